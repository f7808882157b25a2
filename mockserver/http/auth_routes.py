"""Auth endpoints: customer OTP login, agent-user login, OIDC token endpoint, discovery and JWKS."""

from __future__ import annotations

from urllib.parse import parse_qsl

import orjson
from starlette.responses import Response

from mockserver.core.errors import InputValidation, NotFound, Unauthorized, listing
from mockserver.domain import auth
from mockserver.security import scopes
from mockserver.http.framework import Ctx, ok, Routes
from mockserver.security.tokens import AGENT_USER, CUSTOMER
from mockserver.wire import models as w, parse


routes = Routes(auth="none")


@routes("POST", "/auth/customer/login-or-register", summary="Customer login or registration; sends an SMS code "
       "(or, for an agent that verifies phones itself, answers the tokens)",
       tag="auth", auth="none", request=w.CustomerLoginRequest, response=w.CustomerLoginResponse)
async def customer_login(ctx: Ctx) -> Response:
    body = await ctx.json()
    agent_id = body.get("agentId")
    if agent_id in (None, ""):
        number = body.get("identityNumber", body.get("taxNumber"))
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
    customer, session, created = auth.customer_login(agent, body)
    if session is None:  # the agent's own SMS provider verified the phone: no InsurUp code
        pair = auth.issue(agent, CUSTOMER, customer.id, ctx.base_url())
        return ok({**pair.wire(customerId=customer.id), "token": None, "requiresTwoFactor": False,
                   "isNewCustomer": created})
    return ok({"customerId": customer.id, "token": session.token, "requiresTwoFactor": True,
               "isNewCustomer": created, "expiresIn": agent.sandbox.settings.otp_ttl})


@routes("POST", "/auth/customer/verify-mfa", summary="Verify the customer's SMS code; returns tokens",
       tag="auth", auth="none", request=w.VerifyMfaRequest, response=w.TokenResponse)
async def customer_verify(ctx: Ctx) -> Response:
    body = await ctx.json()
    ctx.bind_grant(body.get("token", body.get("mfaToken")))
    agent, customer_id, pair = auth.customer_verify(ctx.sandbox, body, ctx.base_url())
    ctx.bind(agent)
    return ok(pair.wire(customerId=customer_id))


@routes("POST", "/auth/customer/refresh", summary="Rotate a customer's refresh token", tag="auth", auth="none",
       request=w.RefreshRequest, response=w.TokenResponse)
async def customer_refresh(ctx: Ctx) -> Response:
    body = await ctx.json()
    ctx.bind_grant(body.get("refreshToken"))
    agent, customer_id, pair = auth.refresh(ctx.sandbox, body, ctx.base_url(), CUSTOMER)
    ctx.bind(agent)
    return ok(pair.wire(customerId=customer_id))


@routes("POST", "/authentication:agent-user/login", summary="Agent-user login (email, password)", tag="auth",
       auth="none", request=w.AgentUserLoginRequest, response=w.AgentUserLoginResponse)
async def agent_user_login(ctx: Ctx) -> Response:
    body = await ctx.json()
    known = ctx.sandbox.agent_by_email(body["email"]) if isinstance(body.get("email"), str) else None
    if known is not None:  # the agent's journal keeps its users' logins, refused or not
        ctx.request.scope["sandbox.agent"] = known
    return ok(auth.agent_user_login(ctx.sandbox, body, ctx.base_url()))


@routes("POST", "/authentication:agent-user/verify-mfa", summary="Agent-user second factor", tag="auth",
       auth="none", request=w.AgentUserVerifyRequest, response=w.TokenResponse)
async def agent_user_verify(ctx: Ctx) -> Response:
    return ok(auth.agent_user_verify(ctx.sandbox, await ctx.json(), ctx.base_url()))


@routes("POST", "/authentication:agent-user/refresh", summary="Rotate an agent user's refresh token", tag="auth",
       auth="none", request=w.RefreshRequest, response=w.TokenResponse)
async def agent_user_refresh(ctx: Ctx) -> Response:
    agent, user_id, pair = auth.refresh(ctx.sandbox, await ctx.json(), ctx.base_url(), AGENT_USER)
    ctx.bind(agent)
    return ok(pair.wire(userId=user_id))


def oauth_error(status: int, error: str, description: str, rejected_by: str = "rule") -> Response:
    """RFC 6749's error body, as every /connect endpoint answers it."""
    headers = {"Cache-Control": "no-store", parse.REJECTED_BY: rejected_by}
    return Response(orjson.dumps({"error": error, "error_description": description}), status_code=status,
                    media_type="application/json", headers=headers)


@routes("POST", "/connect/token", summary="OAuth 2.0 token endpoint (client_credentials, authorization_code, "
       "refresh_token)", tag="oidc", auth="none",
       api=False, request=w.TokenRequest, form=True, parse=False, response=w.TokenGrant, errors={"400": ("OAuth error", w.OAuthErrorOut, "application/json"), "401": ("OAuth error", w.OAuthErrorOut, "application/json")})
async def token(ctx: Ctx) -> Response:
    ctype = ctx.request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        return oauth_error(400, "invalid_request", "the token endpoint takes application/x-www-form-urlencoded")
    raw = (await ctx.raw()).decode("utf-8", "replace")
    form = dict(parse_qsl(raw, keep_blank_values=True))
    try:
        parse.body(w.TokenRequest, form)
    except InputValidation as exc:
        return oauth_error(400, "invalid_request", listing(exc.field_errors), "schema")
    if form.get("grant_type") in ("authorization_code", "refresh_token"):  # "Login with InsurUp"
        from mockserver.http.oidc_routes import code_or_refresh

        return await code_or_refresh(ctx, form)
    from mockserver.domain import oidc
    from mockserver.http.oidc_routes import client_auth

    try:
        credentials = client_auth(ctx, form)
    except oidc.AuthorizeError as exc:
        return oauth_error(exc.status, exc.error, exc.description)
    client_id = credentials[0]
    known = ctx.sandbox.agent_by_client_id(client_id) if client_id else None
    if known is not None:  # the agent's journal keeps its token requests (secrets are redacted there)
        ctx.request.scope["sandbox.agent"] = known
    try:
        answer = auth.client_credentials(ctx.sandbox, form, credentials, ctx.base_url())
    except auth.OAuthError as exc:
        return oauth_error(exc.status, exc.error, exc.description)
    return Response(orjson.dumps(answer), media_type="application/json",
                    headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


@routes("GET", "/.well-known/openid-configuration", summary="OIDC discovery", tag="oidc", auth="none", api=False, response=w.OpenIdConfiguration)
async def discovery(ctx: Ctx) -> Response:
    base = ctx.base_url()
    return ok({
        "issuer": base,
        "token_endpoint": f"{base}/connect/token",
        "jwks_uri": f"{base}/.well-known/openid-configuration/jwks",
        "authorization_endpoint": f"{base}/connect/authorize",
        "userinfo_endpoint": f"{base}/connect/userinfo",
        "end_session_endpoint": f"{base}/connect/logout",
        "introspection_endpoint": f"{base}/connect/introspect",
        "revocation_endpoint": f"{base}/connect/revoke",
        "pushed_authorization_request_endpoint": f"{base}/connect/par",
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "code_challenge_methods_supported": ["S256"],
        "subject_types_supported": ["public"],
        "scopes_supported": ["openid", "profile", "email", "offline_access", "core-api", *scopes.GRANTABLE],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic", "none"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "authorization_response_iss_parameter_supported": True,
        "claims_supported": ["sub", "name", "given_name", "family_name", "email", "email_verified", "agent_id",
                             "principal_type", "scope", "nonce", "auth_time", "amr"],
    })


@routes("GET", "/.well-known/openid-configuration/jwks", summary="JSON Web Key Set", tag="oidc", auth="none", api=False, response=w.Jwks)
async def jwks(ctx: Ctx) -> Response:
    return ok(ctx.sandbox.authority.jwks())


@routes("GET", "/.well-known/jwks", summary="JSON Web Key Set at the path older docs named (discovery's jwks_uri "
       "is the one to use)", tag="oidc", auth="none", api=False, response=w.Jwks)
async def jwks_at_the_older_path(ctx: Ctx) -> Response:
    return ok(ctx.sandbox.authority.jwks())
