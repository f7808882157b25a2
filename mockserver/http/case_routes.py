"""Cases over REST: the five creation verbs (literal colon in the path), detail, state, notes,
channel, asset, branch, representative, activities, and the linked proposals and policies."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.core.errors import NotFound
from mockserver.domain import agency, analytics, cases
from mockserver.http.answers import identified
from mockserver.http.framework import CUSTOMER, Ctx, no_content, off_loop, ok, Routes, warn
from mockserver.wire import models as w
from mockserver.wire.render import renderer


_proposal_ref = renderer(w.ProposalRef, None, id=".", proposalId=".")
_policy_ref = renderer(w.PolicyRef, None, id=".", policyId=".")

routes = Routes("/cases", resource="case", permissions=("cases:read", "cases:write"))


def _create(verb: str, summary: str):
    async def handler(ctx: Ctx) -> Response:
        agent, principal = ctx.authenticate()
        scope = principal.subject if principal.kind == CUSTOMER else None
        case = cases.create(agent, verb, await ctx.model(), by=ctx.actor(), customer_scope=scope, visible=ctx.sees_customer)
        dupes = [c.ref for c in cases.open_siblings(agent, case)]
        response = ok(identified(case))
        if dupes:
            # the real API accepts duplicates; the sandbox says so without changing the body
            warn(response, f"duplicate open sale opportunity for this customer and branch: {', '.join(dupes)}")
        return response

    handler.__name__ = f"create_{verb.replace('-', '_')}"
    routes("POST", f"/cases:{verb}", summary=summary, tag="cases", request=w.CaseCreateRequest,
          response=w.IdResponse)(handler)


_create("new-sale-opportunity", "Open a new-sale opportunity (customers only for themselves)")
_create("cross-sale-opportunity", "Open a cross-sale opportunity")
_create("cancel", "Open a cancellation case")
_create("endorsement", "Open an endorsement (zeyil) case")
_create("complaint", "Open a complaint case")


def _case(ctx: Ctx) -> cases.Case:
    agent, principal = ctx.authenticate()
    case = cases.visible(agent, cases.get(agent, ctx.params["caseRef"]),
                         principal.subject if principal.kind == CUSTOMER else None)
    return ctx.within_role(case, "cases:read", NotFound(f"Case '{ctx.params['caseRef']}' was not found.",
                                                        codes=["CASE_NOT_FOUND"]))


def _agent_case(ctx: Ctx) -> cases.Case:
    ctx.require_agent()
    return ctx.within_role(cases.get(ctx.agent, ctx.params["caseRef"]), "cases:read",
                           NotFound(f"Case '{ctx.params['caseRef']}' was not found.", codes=["CASE_NOT_FOUND"]))


# ----------------------------------------------------------------------------- the dashboard's analytics
# (mockserver.domain.analytics says what each counts; each reads, though it is a POST)
for _path, _compute, _summary, _answer in (
    ("sales-opportunity-funnel", analytics.sales_funnel,
     "Sale opportunities opened, with a proposal, with a policy, won", w.SalesFunnelOut),
    ("open-case-backlog-pivot", analytics.open_backlog, "Open cases by type and sub-state, by age", w.BacklogOut),
    ("failed-cases-reason-distribution", analytics.failed_reasons, "Failed cases by reason (sub-state)",
     w.FailedReasonsOut),
):
    routes("POST", f"/cases/analytics/{_path}", auth="agent", reads=True, summary=_summary, tag="cases",
           request=w.AnalyticsRequest, response=_answer)(off_loop(_compute))


@routes("GET", "/cases/{caseRef}", summary="One case by id or ref", tag="cases", response=w.CaseOut)
async def get_case(ctx: Ctx) -> Response:
    case = _case(ctx)
    return ok(cases.wire(ctx.agent, case))


@routes("PUT", "/cases/{caseRef}/state", summary="Change main state and sub-state", tag="cases", auth="agent",
       request=w.CaseStateRequest, status=204)
async def put_state(ctx: Ctx) -> Response:
    case = _agent_case(ctx)
    cases.change_state(ctx.agent, case, await ctx.model(), by=ctx.actor())
    return no_content()


@routes("GET", "/cases/{caseRef}/notes", summary="The case's notes", tag="cases", response=list[w.CaseNote])
async def get_notes(ctx: Ctx) -> Response:
    return ok([cases.note_wire(n) for n in _case(ctx).notes])


async def _add_note(ctx: Ctx) -> Response:
    case = _agent_case(ctx)
    cases.add_note(ctx.agent, case, await ctx.model(), by=ctx.actor())
    return no_content()


routes("PUT", "/cases/{caseRef}/notes", summary="Add a markdown note (SDK verb)", tag="cases", auth="agent",
      request=w.CaseNoteRequest, status=204)(_add_note)
routes("POST", "/cases/{caseRef}/notes", summary="Add a markdown note", tag="cases", auth="agent",
      request=w.CaseNoteRequest, status=204)(_add_note)


def _setter(name: str, fn, model, summary: str):
    async def handler(ctx: Ctx) -> Response:
        case = _agent_case(ctx)
        fn(ctx.agent, case, await ctx.model(), by=ctx.actor())
        return no_content()

    handler.__name__ = f"put_{name}"
    routes("PUT", f"/cases/{{caseRef}}/{name}", summary=summary, tag="cases", auth="agent", request=model,
          status=204)(handler)


_setter("channel", cases.set_channel, w.CaseChannelRequest, "Change the case's channel")
_setter("asset", cases.set_asset, w.CaseAssetRequest, "Attach a vehicle or property of the customer")
_setter("branch", cases.set_branch, w.CaseBranchRequest, "Move the case to an agency branch")
_setter("representative", cases.set_representative, w.CaseRepresentativeRequest, "Assign an agent user")


@routes("GET", "/cases/{caseRef}/activities", summary="What happened to the case, oldest first", tag="cases",
       response=list[w.CaseActivity])
async def get_activities(ctx: Ctx) -> Response:
    return ok(list(_case(ctx).activities))


@routes("GET", "/cases/{caseRef}/proposals", summary="Proposals linked to the case", tag="cases", response=list[w.ProposalRef])
async def get_proposals(ctx: Ctx) -> Response:
    case = _case(ctx)
    return ok([_proposal_ref(pid) for pid in case.proposal_ids])


@routes("GET", "/cases/{caseRef}/policies", summary="Policies linked to the case", tag="cases", response=list[w.PolicyRef])
async def get_policies(ctx: Ctx) -> Response:
    case = _case(ctx)
    return ok([_policy_ref(pid) for pid in case.policy_ids])


@routes("GET", "/cases/priority-templates", auth="agent", summary="Ready case priority rule sets (the sandbox's) to copy "
       "into PUT agents/me", tag="cases", response=w.PriorityTemplatesOut)
async def priority_templates(ctx: Ctx) -> Response:
    ctx.require_agent()
    return ok(agency.render_templates(agency.TEMPLATES))
