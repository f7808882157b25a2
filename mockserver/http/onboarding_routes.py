"""Agency onboarding: ``agent-setup-requests/enter`` and ``/complete`` (the CLI's ``agent-setup``),
and the control plane's stand-in for InsurUp's administrator who creates the setup requests
(mockserver.domain.onboarding)."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.domain import onboarding
from mockserver.http.framework import Ctx, no_content, ok, Routes
from mockserver.wire import models as w


routes = Routes("/agent-setup-requests", "/__sandbox/agent-setup-requests", auth="none")

C = "/__sandbox/agent-setup-requests"


@routes("POST", "/agent-setup-requests/enter", summary="Enter a setup code: answers its label", tag="agents",
       auth="none", request=w.SetupCode, response=w.SetupEntered)
async def enter(ctx: Ctx) -> Response:
    return ok(onboarding.enter(ctx.sandbox, await ctx.model()))


@routes("POST", "/agent-setup-requests/complete", summary="Complete a setup code with the agency's profile and first "
       "user: a new agency (tenant) whose owner logs in with that e-mail", tag="agents", auth="none",
       request=w.SetupComplete, status=204)
async def complete(ctx: Ctx) -> Response:
    agent = onboarding.complete(ctx.sandbox, await ctx.model())
    response = no_content()
    response.headers["X-Sandbox-Agent-Id"] = agent.id  # the control plane's name for the new agency
    return response


@routes("POST", C, summary="Create an agency setup request, as InsurUp's administrator does: answers its code",
       tag="control", auth="create", api=False, request=w.SetupRequestCreate, response=w.SetupRequestOut, status=201)
async def create_request(ctx: Ctx) -> Response:
    return ok(onboarding.wire(onboarding.create(ctx.sandbox, await ctx.model())), status=201)


@routes("GET", C, summary="The agency setup requests, oldest first", tag="control", auth="admin", api=False,
       response=list[w.SetupRequestOut])
async def list_requests(ctx: Ctx) -> Response:
    return ok([onboarding.wire(r) for r in ctx.sandbox.setup_requests.values()])


@routes("POST", C + "/{requestId}/disable", summary="Disable a setup request: its code stops working", tag="control",
       auth="admin", api=False, status=204)
async def disable_request(ctx: Ctx) -> Response:
    onboarding.by_id(ctx.sandbox, ctx.params["requestId"]).enabled = False
    return no_content()
