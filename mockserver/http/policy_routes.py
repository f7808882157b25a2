"""Policies over REST: list, detail, the document (signed PDF URL) and sending it; and the control
plane's cancellation (it fires ``policy.updated``)."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.core.errors import field_error, same_as_path
from mockserver.domain import analytics, documents, policies, templates
from mockserver.domain import listindex, roles, users
from mockserver.http.framework import CUSTOMER, Ctx, no_content, off_loop, ok, Routes
from mockserver.http.answers import Page, document_url, page_of
from mockserver.http.lookups import policy_of
from mockserver.wire import models as w


_page = page_of(w.PolicyList, policies.list_item)

routes = Routes("/policies", "/__sandbox/agents/{agentId}/policies", resource="policy",
                permissions=("policies:read", "policies:purchase"))

L = "/policies/{policyId}"
C = "/__sandbox"


# ----------------------------------------------------------------------------- the dashboard's analytics
# (mockserver.domain.analytics says what each counts; each reads, though it is a POST)
for _path, _compute, _summary, _answer in (
    ("count-and-premium", analytics.count_and_premium, "Policies sold and their premium, per period",
     w.CountAndPremiumOut),
    ("renewal", analytics.renewal, "Policies ending in the period: renewed or not", w.RenewalOut),
    ("distribution-by-branch", analytics.distribution_by_branch, "Policies and premium by product branch",
     w.DistributionOut),
    ("representative-earnings", analytics.representative_earnings, "Premium and commission per representative",
     w.EarningsOut),
):
    routes("POST", f"/policies/analytics/{_path}", auth="agent", reads=True, summary=_summary, tag="policies",
           request=w.AnalyticsRequest, response=_answer)(off_loop(_compute))


@routes("GET", "/policies", summary="Policies the caller may see (customers: their own)", tag="policies",
       response=w.PolicyList, query=w.PageQuery)
async def list_policies(ctx: Ctx) -> Response:
    agent, principal = ctx.authenticate()
    scope = principal.subject if principal.kind == CUSTOMER else None
    q = ctx.q
    skip, take = q.skip, q.take
    branch = (q.productBranch or "").strip().upper() or None
    state = (q.state or "").strip().upper() or None
    narrowed = roles.scoped(agent, principal, "policies:read")  # an Own or Branch role reads record by record
    if state is None and not narrowed:  # the list index pages without reading every policy
        view = listindex.view(agent, "policies", where={"productBranch": {"eq": branch}} if branch else None,
                              order=[{"createdAt": "DESC"}], search=None, scope=scope)
        if view is not None:
            return ok(_page(Page(view[skip:skip + take], len(view), skip, take)))
    items = sorted(policies.visible(agent, scope), key=lambda x: x.created_at, reverse=True)
    chosen = [x for x in items if branch in (None, x.branch) and state in (None, x.state())
              and (not narrowed or roles.sees(agent, principal, "policies:read", x))]
    return ok(_page(Page(chosen[skip:skip + take], len(chosen), skip, take)))


@routes("GET", L, summary="Policy detail", tag="policies", response=w.PolicyOut)
async def get_policy(ctx: Ctx) -> Response:
    policy = policy_of(ctx)
    return ok(policies.wire(ctx.agent, policy))


@routes("GET", L + "/document", summary="The policy PDF (URL)", tag="policies", response=w.DocumentUrl)
async def policy_document(ctx: Ctx) -> Response:
    policy = policy_of(ctx)
    return ok(document_url(documents.link(ctx.agent, ctx.base_url(), "policy", policy.id, [])))


@routes("POST", L + "/document/send", reads=True, summary="Send the policy PDF to the customer (outbox)", tag="policies",
       request=w.PolicyDocumentSendRequest, status=204)
async def send_policy_document(ctx: Ctx) -> Response:
    policy = policy_of(ctx)
    req = await ctx.model(required=False)
    same_as_path(req.policyId if req.policyId is not None else req.PolicyId, "policyId", policy.id)
    if req.communication is not None:
        channel, to = documents.recipient(req.communication)
    else:  # the .NET SDK's {PolicyId, Email}; the insured's address by default
        channel, to = "email", req.email or req.Email
        if not to:
            insured = ctx.agent.customers.get(policy.insured_id)
            to = insured.email if insured else None
            if not to:
                raise field_error("email", "is required: the insured customer has no email address", None,
                                  code="POLICY_EMAIL_REQUIRED")
    subject = templates.render(ctx.agent, "policy-document", productName=policy.product_name, policyNumber=policy.number)
    ctx.agent.send_document(channel=channel, to=to, subject=subject,
                            url=documents.link(ctx.agent, ctx.base_url(), "policy", policy.id, []), kind="policy",
                            refs={"policyId": policy.id, "proposalId": policy.proposal_id})
    return no_content()


@routes("POST", f"{C}/agents/{{agentId}}/policies/{{policyId}}/cancel",
       summary="Cancel a policy as the insurer would (fires policy.updated with isCancel)", tag="control",
       auth="control", api=False, request=w.PolicyCancelRequest, response=w.PolicyOut)
async def cancel_policy(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    reason = (await ctx.model(required=False)).reason
    policy = policies.cancel(agent, policies.get(agent, ctx.params["policyId"]), reason)
    return ok(policies.wire(agent, policy))


# --------------------------------------------------------------------------- who looks after a policy
@routes("POST", L + "/representative", auth="agent", summary="Give the policy a representative (an agent user; "
        "null: none)", tag="policies", request=w.RepresentativeRequest, status=204)
async def policy_representative(ctx: Ctx) -> Response:
    users.assign(ctx.agent, policy_of(ctx), "policy", await ctx.model())
    return no_content()


@routes("POST", L + "/branch", auth="agent", summary="Put the policy in a branch (null: none)", tag="policies",
        request=w.RecordBranchRequest, status=204)
async def policy_branch(ctx: Ctx) -> Response:
    users.assign(ctx.agent, policy_of(ctx), "policy", await ctx.model())
    return no_content()
