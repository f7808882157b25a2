"""Auth endpoints: customer OTP login, agent-user login, OIDC token endpoint, discovery and JWKS."""

from __future__ import annotations


from starlette.responses import Response

from mockserver.core.errors import NotFound, Unauthorized
from mockserver.domain import auth
from mockserver.http.framework import Ctx, ok, Routes
from mockserver.security.tokens import AGENT_USER, CUSTOMER
from mockserver.wire import models as w


routes = Routes("/auth", "/authentication", auth="none")


@routes("POST", "/auth/customer/login-or-register", summary="Customer login or registration; sends an SMS code "
       "(or, for an agent that verifies phones itself, answers the tokens)",
       tag="auth", auth="none", request=w.CustomerLoginRequest, response=w.CustomerLoginResponse)
async def customer_login(ctx: Ctx) -> Response:
    body, req = await ctx.json(), await ctx.model()
    agent_id = req.agentId
    if agent_id in (None, ""):
        number = req.identityNumber if req.identityNumber not in (None, "") else req.taxNumber
        if number not in (None, ""):
            from mockserver.core.redact import redact

            ctx.sandbox.unattributed.append({"identity": ctx.sandbox.identity_key(number), "entry": {
                "id": f"unattributed-{len(ctx.sandbox.unattributed) + 1}", "at": -1.0, "method": "POST",
                "path": ctx.request.url.path, "status": 401, "auth": None, "body": redact(body),
                "response": {"codes": ["AGENT_ID_REQUIRED"]}}})
        raise Unauthorized("agentId is required: without it the call is not authorised.", codes=["AGENT_ID_REQUIRED"],
                           suggestions=["Send the agentId InsurUp gave your agency (GET /__sandbox/agents lists the sandbox's)."])
    agent = ctx.sandbox.agents.get(str(agent_id))
    if agent is None:
        raise NotFound(f"Agent '{agent_id}' was not found.", codes=["AGENT_NOT_FOUND"])
    ctx.bind(agent)
    customer, session, created = auth.customer_login(agent, req)
    if session is None:  # the agent's own SMS provider verified the phone: no InsurUp code
        pair = auth.issue(agent, CUSTOMER, customer.id, ctx.base_url())
        return ok(auth.render_customer_login(auth.Login(customer.id, pair, created=created)))
    return ok(auth.render_customer_login(auth.Login(customer.id, None, session.token,
                                                    agent.sandbox.settings.otp_ttl, created)))


@routes("POST", "/auth/customer/verify-mfa", summary="Verify the customer's SMS code; returns tokens",
       tag="auth", auth="none", request=w.VerifyMfaRequest, response=w.TokenResponse)
async def customer_verify(ctx: Ctx) -> Response:
    req = await ctx.model()
    ctx.bind_grant(req.login_token)
    agent, customer_id, pair = auth.customer_verify(ctx.sandbox, req, ctx.base_url())
    ctx.bind(agent)
    return ok(pair.wire(customerId=customer_id))


@routes("POST", "/auth/customer/refresh", summary="Rotate a customer's refresh token", tag="auth", auth="none",
       request=w.RefreshRequest, response=w.TokenResponse)
async def customer_refresh(ctx: Ctx) -> Response:
    req = await ctx.model()
    ctx.bind_grant(req.refreshToken)
    agent, customer_id, pair = auth.refresh(ctx.sandbox, req, ctx.base_url(), CUSTOMER)
    ctx.bind(agent)
    return ok(pair.wire(customerId=customer_id))


@routes("POST", "/authentication:agent-user/login", summary="Agent-user login (email, password)", tag="auth",
       auth="none", request=w.AgentUserLoginRequest, response=w.AgentUserLoginResponse)
async def agent_user_login(ctx: Ctx) -> Response:
    req = await ctx.model()
    known = ctx.sandbox.agent_by_email(req.email)
    if known is not None:  # the agent's journal keeps its users' logins, refused or not
        ctx.request.scope["sandbox.agent"] = known
    return ok(auth.agent_user_login(ctx.sandbox, req, ctx.base_url()))


@routes("POST", "/authentication:agent-user/verify-mfa", summary="Agent-user second factor", tag="auth",
       auth="none", request=w.AgentUserVerifyRequest, response=w.TokenResponse)
async def agent_user_verify(ctx: Ctx) -> Response:
    return ok(auth.agent_user_verify(ctx.sandbox, await ctx.model(), ctx.base_url()))


@routes("POST", "/authentication:agent-user/refresh", summary="Rotate an agent user's refresh token", tag="auth",
       auth="none", request=w.RefreshRequest, response=w.TokenResponse)
async def agent_user_refresh(ctx: Ctx) -> Response:
    agent, user_id, pair = auth.refresh(ctx.sandbox, await ctx.model(), ctx.base_url(), AGENT_USER)
    ctx.bind(agent)
    return ok(pair.wire(userId=user_id))
