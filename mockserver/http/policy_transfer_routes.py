"""Policies that reach the CRM without a purchase through it, over REST: manual policies, the insurers'
policy transfers (reconciliation) and file policy transfers; see ``mockserver.domain.policy_transfers``
and ``mockserver.domain.file_policy_transfers``."""

from __future__ import annotations


from starlette.responses import Response

from mockserver.domain import policies, policy_transfers
from mockserver.http.framework import Ctx, no_content, ok, Routes
from mockserver.wire import models as w
from mockserver.wire.render import renderer


_made = renderer(w.PolicyIdOut, None, policyId="id")

routes = Routes("/policy-transfers", "/file-policy-transfers", "/policies/manual", auth="agent")

T = "/policy-transfers/{transferId}"


@routes("POST", "/policies/manual", resource="policy", permission="policies:purchase", summary="Enter a policy sold elsewhere (fires policy.created, channel MANUAL)",
       tag="policies", request=w.ManualPolicyRequest, response=w.PolicyIdOut)
async def create_manual(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    made = policy_transfers.manual(agent, await ctx.model(), by=ctx.actor(), base_url=ctx.base_url())
    return ok(_made(made))


@routes("PUT", "/policies/manual/{policyId}", resource="policy", permission="policies:purchase", summary="Change a manual policy's number, dates or premium",
       tag="policies", request=w.ManualPolicyUpdate, status=204)
async def update_manual(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    policy_transfers.update_manual(agent, policies.get(agent, ctx.params["policyId"]), await ctx.model())
    return no_content()


@routes("GET", "/policy-transfers", summary="The agency's policy transfers (reconciliation windows)", tag="policies",
       response=list[w.PolicyTransferOut])
async def list_transfers(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok([policy_transfers.transfer_wire(agent, t) for t in agent.policy_transfers.values()])


@routes("POST", "/policy-transfers", summary="Create a policy transfer (answers its id as a JSON string)",
       tag="policies", request=w.PolicyTransferRequest, response=str)
async def create_transfer(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(policy_transfers.create_transfer(agent, await ctx.model(), ctx.actor()).id)


@routes("GET", T, summary="One policy transfer with its triggers", tag="policies", response=w.PolicyTransferOut)
async def get_transfer(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(policy_transfers.transfer_wire(agent, policy_transfers.transfer(agent, ctx.params["transferId"])))


@routes("POST", T + "/trigger", summary="Ask the insurers for the window's policies now", tag="policies", status=204)
async def trigger(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    policy_transfers.trigger(agent, policy_transfers.transfer(agent, ctx.params["transferId"]), ctx.actor())
    return no_content()


@routes("GET", T + "/triggers/{triggerId}", summary="One run of a policy transfer", tag="policies",
       response=w.PolicyTransferTriggerOut)
async def get_trigger(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    t = policy_transfers.transfer(agent, ctx.params["transferId"])
    return ok(policy_transfers.trigger_wire(policy_transfers.trigger_of(t, ctx.params["triggerId"]), t, agent))


@routes("POST", "/file-policy-transfers", summary="Upload an insurer's policy list (multipart: file, insuranceCompanyId; "
       "CSV or XLSX): each row is imported or reported with its reason", tag="policies",
       request=w.FilePolicyTransferUpload, parse=False, status=204)
async def create_file_transfer(ctx: Ctx) -> Response:
    from starlette.concurrency import run_in_threadpool

    from mockserver.domain import file_policy_transfers
    
    agent, _ = ctx.require_agent()
    name, _media, data = await ctx.uploaded_file()
    insurer = file_policy_transfers.insurer_of((await ctx.request.form()).get("insuranceCompanyId"))
    rows = await run_in_threadpool(file_policy_transfers.read, name or "policies", data)  # parsing: off the event loop
    made = file_policy_transfers.create(agent, insurer.id, (name or "policies")[:200], rows, by=ctx.actor(),
                                base_url=ctx.base_url())
    response = no_content()
    response.headers["Location"] = f"/api/file-policy-transfers/{made.id}"
    return response


@routes("GET", "/file-policy-transfers", summary="The agency's file policy transfers, newest first", tag="policies",
       response=list[w.FilePolicyTransferOut])
async def list_file_transfers(ctx: Ctx) -> Response:
    from mockserver.domain import file_policy_transfers

    agent, _ = ctx.require_agent()
    return ok([file_policy_transfers.summary(t) for t in reversed(agent.file_transfers.values())])


@routes("GET", "/file-policy-transfers/{transferId}", summary="One file policy transfer, row by row", tag="policies",
       response=w.FilePolicyTransferDetailOut)
async def get_file_transfer(ctx: Ctx) -> Response:
    from mockserver.domain import file_policy_transfers

    agent, _ = ctx.require_agent()
    return ok(file_policy_transfers.detail(file_policy_transfers.get(agent, ctx.params["transferId"])))
