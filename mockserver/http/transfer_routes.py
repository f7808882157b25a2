"""Manual policies and policy transfers (reconciliation) over REST; see ``mockserver.domain.transfers``."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mockserver.core.errors import NotFound
from mockserver.domain import policies, transfers
from mockserver.http.framework import Ctx, no_content, ok, route
from mockserver.wire import models as w

T = "/policy-transfers/{transferId}"


@route("POST", "/policies/manual", summary="Enter a policy sold elsewhere (fires policy.created, channel MANUAL)",
       tag="policies", request=w.ManualPolicyRequest, response=w.PolicyIdOut)
async def create_manual(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    made = transfers.manual(agent, await ctx.json(), by=ctx.actor(), base_url=ctx.base_url())
    return ok({"policyId": made.id})


@route("PUT", "/policies/manual/{policyId}", summary="Change a manual policy's number, dates or premium",
       tag="policies", request=w.ManualPolicyUpdate, status=204)
async def update_manual(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    transfers.update_manual(agent, policies.get(agent, ctx.params["policyId"]), await ctx.json())
    return no_content()


@route("GET", "/policy-transfers", summary="The agency's policy transfers (reconciliation windows)", tag="policies",
       response=list[w.PolicyTransferOut])
async def list_transfers(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok([transfers.transfer_wire(agent, t) for t in agent.policy_transfers.values()])


@route("POST", "/policy-transfers", summary="Create a policy transfer (answers its id as a JSON string)",
       tag="policies", request=w.PolicyTransferRequest, response=str)
async def create_transfer(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(transfers.create_transfer(agent, await ctx.json(), ctx.actor()).id)


@route("GET", T, summary="One policy transfer with its triggers", tag="policies", response=w.PolicyTransferOut)
async def get_transfer(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(transfers.transfer_wire(agent, transfers.transfer(agent, ctx.params["transferId"])))


@route("POST", T + "/trigger", summary="Ask the insurers for the window's policies now", tag="policies", status=204)
async def trigger(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    transfers.trigger(agent, transfers.transfer(agent, ctx.params["transferId"]), ctx.actor())
    return no_content()


@route("GET", T + "/triggers/{triggerId}", summary="One run of a policy transfer", tag="policies",
       response=w.PolicyTransferTriggerOut)
async def get_trigger(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    t = transfers.transfer(agent, ctx.params["transferId"])
    return ok(transfers.trigger_wire(transfers.trigger_of(t, ctx.params["triggerId"])))


@route("GET", "/file-policy-transfers", summary="Policy transfers from uploaded files (made in the panel; none "
       "through the API)", tag="policies", response=list[dict[str, Any]])
async def list_file_transfers(ctx: Ctx) -> Response:
    ctx.require_agent()
    return ok([])


@route("GET", "/file-policy-transfers/{transferId}", summary="One file policy transfer", tag="policies",
       response=dict[str, Any])
async def get_file_transfer(ctx: Ctx) -> Response:
    ctx.require_agent()
    raise NotFound(f"File policy transfer '{ctx.params['transferId']}' was not found (file transfers are uploaded "
                   "in the panel; the sandbox's agencies have none).", codes=["FILE_POLICY_TRANSFER_NOT_FOUND"])
