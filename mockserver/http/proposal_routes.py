"""Proposals over REST: create (both body generations), list, detail, products, premium detail (both
documented paths), coverage, documents as signed URLs (both information-form paths), sending them
to the agent's outbox, retry, revise; and coverage choices and coverage groups."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mockserver.core.errors import FieldError, InputValidation, field_error
from mockserver.domain import analytics, coverage, documents, payments, proposals, quoting, templates
from mockserver.domain import listindex, roles, users
from mockserver.http.framework import Ctx, no_content, off_loop, ok, Routes, warn
from mockserver.http.answers import Page, coverage_of, document_url, identified, page_of
from mockserver.http.lookups import customer_scope, product_of, proposal_of
from mockserver.validators.common import isdigits
from mockserver.wire import models as w
from mockserver.wire.render import Const, renderer


routes = Routes("/proposals", "/coverage-groups", "/coverage-choices", resource="proposal",
                permissions=("proposals:read", "proposals:create"))

P = "/proposals/{proposalId}"
_created = renderer(w.ProposalCreated, None, proposalId="id")
_page = page_of(w.ProposalList, proposals.list_item)
_revised = renderer(w.ProductRevised, None, proposalId=lambda new, p: p.id, proposalProductId="id")  # ctx: the proposal
_redirect = renderer(w.PurchaseAsyncResponse, None, redirectUrl=".")
_bought = renderer(w.PurchaseSyncResponse, None, policyId="id", policyNumber="number", status=Const("PURCHASED"))
PP = P + "/products/{productId}"


# --------------------------------------------------------------------------- create and read
# ----------------------------------------------------------------------------- the dashboard's analytics
# (mockserver.domain.analytics says what each counts; each reads, though it is a POST)
for _path, _compute, _summary, _answer in (
    ("conversion-trend", analytics.conversion_trend, "Proposals made and bought, per day, week or month",
     w.ConversionTrendOut),
):
    routes("POST", f"/proposals/analytics/{_path}", auth="agent", reads=True, summary=_summary, tag="proposals",
           request=w.AnalyticsRequest, response=_answer)(off_loop(_compute))


@routes("POST", "/proposals", summary="Ask every connected insurer for a quote", tag="proposals",
       request=w.ProposalCreateRequest, response=w.ProposalCreated)
async def create_proposal(ctx: Ctx) -> Response:
    agent, _ = ctx.authenticate()
    p = quoting.create(agent, await ctx.model(), by=ctx.actor(), customer_scope=customer_scope(ctx),
                       visible=ctx.sees_customer)
    p.base_url = ctx.base_url()
    response = ok(_created(p))
    if not p.products:
        warn(response, f"no connected insurer sells {p.branch} over a live web service or robot; the proposal has "
                       "no products and is FAILED")
    return response


@routes("GET", "/proposals", summary="Proposals the caller may see (customers: their own)", tag="proposals",
       response=w.ProposalList, query=w.PageQuery)
async def list_proposals(ctx: Ctx) -> Response:
    agent, principal = ctx.authenticate()
    q = ctx.q
    skip, take = q.skip, q.take
    branch = (q.productBranch or "").strip().upper() or None
    state = (q.state or "").strip().upper() or None
    narrowed = roles.scoped(agent, principal, "proposals:read")  # an Own or Branch role reads record by record
    if state is None and not narrowed:  # the list index pages without reading every proposal
        view = listindex.view(agent, "proposals", where={"productBranch": {"eq": branch}} if branch else None,
                              order=[{"createdAt": "DESC"}], search=None, scope=customer_scope(ctx))
        if view is not None:
            return ok(_page(Page(view[skip:skip + take], len(view), skip, take)))
    items = sorted(proposals.visible(agent, customer_scope(ctx)), key=lambda p: p.created_at, reverse=True)
    chosen = [p for p in items if branch in (None, p.branch) and state in (None, p.summary(p.now())["state"])
              and (not narrowed or roles.sees(agent, principal, "proposals:read", p))]
    return ok(_page(Page(chosen[skip:skip + take], len(chosen), skip, take)))


@routes("GET", P, summary="A proposal with its products, as sites poll it", tag="proposals", response=w.ProposalOut)
async def get_proposal(ctx: Ctx) -> Response:
    return ok(proposals.wire(proposal_of(ctx), ctx.base_url()))


@routes("GET", P + "/snapshot", summary="The parties and asset as quoted", tag="proposals", response=w.ProposalSnapshot)
async def get_snapshot(ctx: Ctx) -> Response:
    return ok(proposals.wire(proposal_of(ctx), ctx.base_url())["snapshot"])


@routes("GET", P + "/coverage", summary="The coverage the proposal asked for", tag="proposals", response=w.CoverageOut)
async def get_proposal_coverage(ctx: Ctx) -> Response:
    return ok(coverage_of(proposal_of(ctx).initial_coverage))


@routes("POST", P + "/revise", summary="Ask again with other coverage groups or coverage (a new proposal)",
       tag="proposals", request=w.ProposalReviseRequest, response=w.ProposalCreated)
async def revise_proposal(ctx: Ctx) -> Response:
    p = proposal_of(ctx)
    new = quoting.revise(ctx.agent, p, await ctx.model(required=False), by=ctx.actor())
    new.base_url = ctx.base_url()
    return ok(_created(new))


# compare-pdf before {productId}: the literal segment must win
def _compare_ids(p: proposals.Proposal, raw: Any) -> list[proposals.ProposalProduct]:
    if raw in (None, "", []):
        chosen = [pp for pp in p.products if pp.state(p.now()) in ("ACTIVE", "PURCHASING", "PURCHASED")]
        if not chosen:
            raise InputValidation("No product of this proposal is quoted yet; nothing to compare.",
                                  codes=["PROPOSAL_PRODUCT_NOT_ACTIVE"])
        return chosen
    if isinstance(raw, str):
        raw = [x for x in raw.split(",") if x]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise field_error("proposalProductIds", "must be a list of proposal product ids", None)
    out = []
    errors = []
    for i, ppid in enumerate(raw):
        pp = next((x for x in p.products if x.id == ppid), None)
        if pp is None:
            errors.append(FieldError(f"proposalProductIds[{i}]", "is not a product of this proposal", ppid))
        elif pp.state(p.now()) not in ("ACTIVE", "PURCHASING", "PURCHASED"):
            errors.append(FieldError(f"proposalProductIds[{i}]", f"is {pp.state(p.now())}; only quoted products "
                                     "can be compared", ppid))
        else:
            out.append(pp)
    if errors:
        raise InputValidation("Some products cannot be compared.", codes=["PROPOSAL_PRODUCT_NOT_ACTIVE"],
                              field_errors=errors)
    return out


def _excluded(raw: Any) -> list[str]:
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        return [x for x in raw.split(",") if x]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise field_error("excludedCoverageFields", "must be a list of coverage keys", None)
    return raw


async def _compare(ctx: Ctx) -> Response:
    p = proposal_of(ctx)
    if ctx.request.method == "POST":
        req = await ctx.model(required=False)
        ids, excluded = req.proposalProductIds, req.excludedCoverageFields
    else:
        ids, excluded = ctx.q.proposalProductIds, ctx.q.excludedCoverageFields
    chosen = _compare_ids(p, ids)
    return ok(document_url(documents.link(ctx.agent, ctx.base_url(), "compare", p.id, [x.id for x in chosen],
                                          _excluded(excluded))))


routes("GET", P + "/products/compare-pdf", summary="Comparison PDF of quoted products (URL)", tag="proposals",
      response=w.DocumentUrl, query=w.CompareQuery)(_compare)
routes("POST", P + "/products/compare-pdf", summary="Comparison PDF of chosen products (URL)", tag="proposals",
      request=w.CompareRequest, response=w.DocumentUrl)(_compare)


@routes("POST", P + "/products/compare-pdf/send", summary="Send the comparison PDF by email or SMS", tag="proposals",
       request=w.DocumentSendRequest, status=204)
async def send_compare(ctx: Ctx) -> Response:
    p = proposal_of(ctx)
    req = await ctx.model()
    chosen = _compare_ids(p, req.proposalProductIds)
    url = documents.link(ctx.agent, ctx.base_url(), "compare", p.id, [x.id for x in chosen],
                         _excluded(req.excludedCoverageFields))
    _send(ctx, p, req, url, "compare", None)
    return no_content()


@routes("GET", P + "/products", summary="The proposal's products", tag="proposals", response=list[w.ProposalProductOut])
async def get_products(ctx: Ctx) -> Response:
    p = proposal_of(ctx)
    now = p.now()
    return ok([proposals.wire_product(p, pp, ctx.base_url(), now) for pp in p.products])


@routes("GET", PP, summary="One product (also how a site verifies a payment)", tag="proposals",
       response=w.ProposalProductOut)
async def get_product(ctx: Ctx) -> Response:
    p, pp = product_of(ctx)
    return ok(proposals.wire_product(p, pp, ctx.base_url()))


async def _premium(ctx: Ctx) -> Response:
    p, pp = product_of(ctx)
    raw = ctx.params["installmentNumber"]
    if not isdigits(raw) or not 1 <= int(raw) <= 12:
        raise field_error("installmentNumber", "must be a whole number between 1 and 12", raw)
    return ok(proposals.premium_detail(p, pp, int(raw)))


routes("GET", PP + "/premiums/{installmentNumber}", summary="Premium detail of an installment plan (docs path)",
      tag="proposals", response=w.PremiumDetail)(_premium)
routes("GET", PP + "/premium-detail/{installmentNumber}", summary="Premium detail of an installment plan (SDK path)",
      tag="proposals", response=w.PremiumDetail)(_premium)


@routes("GET", PP + "/coverage", summary="The product's coverages and limits", tag="proposals", response=w.CoverageOut)
async def get_product_coverage(ctx: Ctx) -> Response:
    p, pp = product_of(ctx)
    proposals.require_active(p, pp)
    return ok(coverage_of(pp.coverage))


def _doc(kind: str):
    async def handler(ctx: Ctx) -> Response:
        p, pp = product_of(ctx)
        proposals.require_active(p, pp)
        return ok(document_url(documents.link(ctx.agent, ctx.base_url(), kind, p.id, [pp.id])))

    return handler


routes("GET", PP + "/document", summary="The product's proposal PDF (URL)", tag="proposals",
      response=w.DocumentUrl)(_doc("proposal"))
routes("GET", PP + "/documents/clarificationtext", summary="The insurer's KVKK clarification text PDF (URL; the real "
      "site's path)", tag="proposals", response=w.DocumentUrl)(_doc("clarification"))


@routes("GET", PP + "/documents/policy", summary="The policy PDF of a bought product (URL; the real site's path)",
       tag="proposals", response=w.DocumentUrl)
async def product_policy_document(ctx: Ctx) -> Response:
    from mockserver.core.errors import InvalidState

    p, pp = product_of(ctx)
    if not pp.policy_id:
        raise InvalidState("This product has no policy yet; buy it first.", codes=["PROPOSAL_PRODUCT_NOT_PURCHASED"])
    return ok(document_url(documents.link(ctx.agent, ctx.base_url(), "policy", pp.policy_id, [])))


@routes("GET", P + "/customer-document-pdf", summary="The customer's copy: every quoted product side by side (URL)",
       tag="proposals", response=w.DocumentUrl)
async def customer_document(ctx: Ctx) -> Response:
    p = proposal_of(ctx)
    chosen = _compare_ids(p, None)
    return ok(document_url(documents.link(ctx.agent, ctx.base_url(), "compare", p.id, [x.id for x in chosen])))
for _path, _summary in (("/information-form-document", "docs path"), ("/information-form", "SDK path"),
                        ("/documents/preinfoform", "real site's trafik path")):
    routes("GET", PP + _path, summary=f"The pre-information form PDF (URL; {_summary})", tag="proposals",
          response=w.DocumentUrl)(_doc("information-form"))


def _send(ctx: Ctx, p: proposals.Proposal, req: w.DocumentSendRequest, url: str, kind: str, ppid: str | None) -> None:
    ctype, to = documents.recipient(req.communication)
    title = documents.TITLES[kind]
    subject = templates.render(ctx.agent, "proposal-document", documentTitle=title,
                               branchName=documents.BRANCH_NAMES.get(p.branch, p.branch))
    ctx.agent.send_document(channel=ctype, to=to, subject=subject,
                            url=url, kind=kind, refs={"proposalId": p.id, "proposalProductId": ppid})


def _send_doc(kind: str):
    async def handler(ctx: Ctx) -> Response:
        p, pp = product_of(ctx)
        proposals.require_active(p, pp)
        _send(ctx, p, await ctx.model(), documents.link(ctx.agent, ctx.base_url(), kind, p.id, [pp.id]), kind, pp.id)
        return no_content()

    return handler


routes("POST", PP + "/document/send", summary="Send the proposal PDF by email or SMS (outbox)", tag="proposals",
      request=w.DocumentSendRequest, status=204)(_send_doc("proposal"))
routes("POST", PP + "/information-form/send", summary="Send the pre-information form by email or SMS (outbox)",
      tag="proposals", request=w.DocumentSendRequest, status=204)(_send_doc("information-form"))


async def _retry(ctx: Ctx) -> Response:
    p, pp = product_of(ctx)
    quoting.retry(ctx.agent, p, pp)
    return no_content()


routes("POST", PP + "/retry", summary="Retry a failed product (a new arrival on the clock)", tag="proposals",
      status=204)(_retry)
routes("GET", PP + "/retry", summary="Retry a failed product (the kasko guide's verb)", tag="proposals",
      status=204)(_retry)


@routes("POST", PP + "/revise", summary="Ask the same insurer product again with another coverage group",
       tag="proposals", request=w.ProductReviseRequest, response=w.ProductRevised)
async def revise_product(ctx: Ctx) -> Response:
    p, pp = product_of(ctx)
    new = quoting.revise_product(ctx.agent, p, pp, await ctx.model())
    return ok(_revised(new, p))


# --------------------------------------------------------------------------- coverage
def _choices(branch: str):
    async def handler(ctx: Ctx) -> Response:
        ctx.authenticate()
        insurer, style = ctx.q.insuranceCompanyId, (ctx.q.vehicleUtilizationStyle or "").strip() or None
        return ok(coverage.render_choices(coverage.ChoicesAsked(branch, insurer, style)))

    handler.__name__ = f"choices_{branch.lower()}"
    return handler


for _branch in coverage.CHOICE_BRANCHES:
    routes("GET", f"/coverage-choices:{_branch.lower()}", resource=None, permission=None, summary=f"{_branch} coverage choices", tag="coverage",
          query=w.ChoicesQuery, response=w.CoverageChoices)(_choices(_branch))
for _branch, _slug in coverage.CHOICES_ONLY.items():
    routes("GET", f"/coverage-choices:{_slug}", resource=None, permission=None, summary=f"{_branch} coverage choices (no insurer quotes it over web "
          "service: choices only)", tag="coverage", query=w.ChoicesQuery, response=w.CoverageChoices)(_choices(_branch))


@routes("GET", "/coverage-groups", resource="me", permission="coverage-groups:read", summary="The agency's coverage groups", tag="coverage", auth="agent",
       response=list[w.CoverageGroupOut], query=w.BranchQuery)
async def list_groups(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    branch = (ctx.q.productBranch or "").strip().upper() or None
    return ok([g.wire() for g in agent.coverage_groups.values() if branch in (None, g.branch)])


@routes("POST", "/coverage-groups", resource="me", permission="coverage-groups:write", summary="Create a coverage group", tag="coverage", auth="agent",
       request=w.CoverageGroupRequest, response=w.IdResponse, status=201)
async def create_group(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    group = coverage.create(agent, await ctx.model(), by=ctx.actor())
    return ok(identified(group), status=201)


@routes("GET", "/coverage-groups/{groupId}", resource="me", permission="coverage-groups:read", summary="One coverage group", tag="coverage", auth="agent",
       response=w.CoverageGroupOut)
async def get_group(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(coverage.get(agent, ctx.params["groupId"]).wire())


@routes("PUT", "/coverage-groups/{groupId}", resource="me", permission="coverage-groups:write", summary="Rename or change a coverage group", tag="coverage", auth="agent",
       request=w.CoverageGroupUpdateRequest, response=w.CoverageGroupOut)
async def put_group(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    group = coverage.get(agent, ctx.params["groupId"])
    return ok(coverage.update(agent, group, await ctx.model(), by=ctx.actor()).wire())


@routes("DELETE", "/coverage-groups/{groupId}", resource="me", permission="coverage-groups:write", summary="Delete a coverage group", tag="coverage", auth="agent",
       status=204)
async def delete_group(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    coverage.delete(agent, coverage.get(agent, ctx.params["groupId"]))
    return no_content()


# --------------------------------------------------------------------------- who looks after a proposal
@routes("POST", P + "/representative", auth="agent", summary="Give the proposal a representative (an agent user; "
        "null: none)", tag="proposals", request=w.RepresentativeRequest, status=204)
async def proposal_representative(ctx: Ctx) -> Response:
    users.assign(ctx.agent, proposal_of(ctx), "proposal", await ctx.model())
    return no_content()


@routes("POST", P + "/branch", auth="agent", summary="Put the proposal in a branch (null: none)", tag="proposals",
        request=w.RecordBranchRequest, status=204)
async def proposal_branch(ctx: Ctx) -> Response:
    users.assign(ctx.agent, proposal_of(ctx), "proposal", await ctx.model())
    return no_content()


# --------------------------------------------------------------------------- buying a product (mockserver.domain.payments)
@routes("POST", PP + "/purchase/async", permission="policies:purchase", summary="Start an asynchronous purchase; answers the payment page URL",
       tag="purchases", request=w.PurchaseAsyncRequest, response=w.PurchaseAsyncResponse)
async def purchase_async(ctx: Ctx) -> Response:
    p, pp = product_of(ctx)
    payment = payments.start(ctx.agent, p, pp, await ctx.model(), sync=False, principal=ctx.principal, by=ctx.actor(),
                             base_url=ctx.base_url())
    return warn(ok(_redirect(payments.page_url(ctx.base_url(), ctx.agent.id, payment))), *payment.notes)


@routes("POST", PP + "/purchase/sync", permission="policies:purchase", summary="Buy at once with a card or on open account (B2B)", tag="purchases",
       request=w.PurchaseSyncRequest, response=w.PurchaseSyncResponse)
async def purchase_sync(ctx: Ctx) -> Response:
    p, pp = product_of(ctx)
    payment = payments.start(ctx.agent, p, pp, await ctx.model(), sync=True, principal=ctx.principal, by=ctx.actor(),
                             base_url=ctx.base_url())
    payments.decide(ctx.agent, payment, payment.outcome or "success")
    payments.sync_result(payment)
    policy = ctx.agent.policies[payment.policy_id]
    return warn(ok(_bought(policy)), *payment.notes)
