"""OAuth 2.0 and OpenID Connect over HTTP: ``/connect/token`` (client credentials for service accounts;
the code and refresh grants of 'Login with InsurUp'), discovery and keys (``/.well-known``),
``/connect/authorize`` with the login, two-factor and consent pages, ``userinfo``, ``introspect``,
``revoke``, ``par`` and ``logout``/``end-session``; OAuth clients on the control plane. The protocol
is in :mod:`mockserver.domain.oidc` and :mod:`mockserver.domain.auth`."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlencode

import orjson
from starlette.responses import HTMLResponse, RedirectResponse, Response

from mockserver.core.errors import AccessDenied, InputValidation, SandboxError, Unauthorized, listing
from mockserver.domain import oidc
from mockserver.domain import auth
from mockserver.core import templates
from mockserver.http.framework import Ctx, ok, Routes
from mockserver.wire import models as w, parse
from mockserver.wire.render import Const, From, renderer


routes = Routes("/connect", "/login", "/.well-known/openid-configuration", "/.well-known/jwks", "/__sandbox/oauth-clients",
                auth="none")


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
        return await code_or_refresh(ctx, form)
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
    return Response(orjson.dumps(auth.render_grant(answer)), media_type="application/json",
                    headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


@routes("GET", "/.well-known/openid-configuration", summary="OIDC discovery", tag="oidc", auth="none", api=False, response=w.OpenIdConfiguration)
async def discovery(ctx: Ctx) -> Response:
    return ok(oidc.render_discovery(ctx.base_url()))


@routes("GET", "/.well-known/openid-configuration/jwks", summary="JSON Web Key Set", tag="oidc", auth="none", api=False, response=w.Jwks)
async def jwks(ctx: Ctx) -> Response:
    return ok(ctx.sandbox.authority.jwks())


@routes("GET", "/.well-known/jwks", summary="JSON Web Key Set at the path older docs named (discovery's jwks_uri "
       "is the one to use)", tag="oidc", auth="none", api=False, response=w.Jwks)
async def jwks_at_the_older_path(ctx: Ctx) -> Response:
    return ok(ctx.sandbox.authority.jwks())

def _pages(handler):
    """A page step whose signed request or login is unknown or stale answers a page saying so (400)."""
    import functools

    @functools.wraps(handler)
    async def guarded(ctx: Ctx) -> Response:
        try:
            return await handler(ctx)
        except oidc.AuthorizeError as exc:
            return HTMLResponse(templates.render("message.html", message=exc.description), status_code=400,
                                headers={"Cache-Control": "no-store"})

    return guarded


def _page(step: str, request: str, client: oidc.OAuthClient, *, status: int = 200, **values: Any) -> HTMLResponse:
    html = templates.render("login.html", step=step, request=request, client=client.name,
                                          action={"login": "/login", "mfa": "/login/mfa"}.get(step, "/login/consent"),
                                          **values)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"})


def client_auth(ctx: Ctx, form: dict[str, str]) -> tuple[str | None, str | None]:
    """The client's id and secret: HTTP Basic (RFC 6749 §2.3.1), else the form's."""
    header = ctx.request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            user, _, pw = base64.b64decode(header[6:]).decode().partition(":")
            return unquote_plus(user), unquote_plus(pw)
        except (ValueError, UnicodeDecodeError):
            raise oidc.AuthorizeError("invalid_client", "malformed Basic credentials", status=401) from None
    return form.get("client_id"), form.get("client_secret")


async def _form(ctx: Ctx, model: type) -> dict[str, str]:
    ctype = ctx.request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        raise oidc.AuthorizeError("invalid_request", "send application/x-www-form-urlencoded")
    form = dict(parse_qsl((await ctx.raw()).decode("utf-8", "replace"), keep_blank_values=True))
    try:
        parse.body(model, form)
    except InputValidation as exc:
        raise oidc.AuthorizeError("invalid_request", listing(exc.field_errors)) from None
    return form


_PAGE_ERRORS = {"400": ("The page again, or what stops it, for the person at the browser", str, "text/html")}
_STEP_ANSWERS = {"303": ("Signed in: back to the client's redirect_uri with the code (or the error)", None, None),
                 **_PAGE_ERRORS,
                 "401": ("The login page again: wrong e-mail or password", str, "text/html"),
                 "403": ("The login page again: the user is deactivated", str, "text/html"),
                 "422": ("The page again: a field is missing", str, "text/html")}
_OAUTH_ERRORS = {"400": ("OAuth error", w.OAuthErrorOut, "application/json"),
                 "401": ("OAuth error (the client's credentials)", w.OAuthErrorOut, "application/json")}


# ----------------------------------------------------------------------------- authorize and the pages
@routes("GET", "/connect/authorize", summary="OIDC authorization (code + PKCE): 302 to the login page",
       tag="oidc", auth="none", api=False, query=w.AuthorizeQuery, status=302,
       errors=_OAUTH_ERRORS)
async def authorize(ctx: Ctx) -> Response:
    _ = ctx.q
    return _authorize(ctx, dict(ctx.request.query_params), 302)


@routes("POST", "/connect/authorize", summary="OIDC authorization sent as a form post (OIDC Core 3.1.2.1): 303 to "
       "the login page", tag="oidc", auth="none", api=False, request=w.AuthorizeQuery, form=True, parse=False,
       status=303, errors=_OAUTH_ERRORS)
async def authorize_posted(ctx: Ctx) -> Response:
    try:
        form = await _form(ctx, w.AuthorizeQuery)
    except oidc.AuthorizeError as exc:
        return oauth_error(exc.status, exc.error, exc.description)
    return _authorize(ctx, form, 303)


def _authorize(ctx: Ctx, params: dict[str, str], redirect: int) -> Response:
    try:
        request = oidc.check_authorize(ctx.sandbox, params)
    except oidc.AuthorizeError as exc:
        if exc.redirect:  # RFC 9207: the error names its issuer too
            return RedirectResponse(f"{exc.redirect}&{urlencode({'iss': ctx.base_url()})}", status_code=redirect)
        return oauth_error(exc.status, exc.error, exc.description)
    return RedirectResponse(f"/login?{urlencode({'request': oidc.seal(ctx.sandbox, request)})}", status_code=redirect)


@routes("GET", "/login", summary="The sandbox's login page for 'Login with InsurUp'", tag="oidc", auth="none",
       api=False, response=str, media="text/html", errors=_PAGE_ERRORS)
@_pages
async def login_page(ctx: Ctx) -> Response:
    sealed = ctx.request.query_params.get("request", "")
    try:
        request = oidc.unseal(ctx.sandbox, sealed)
    except oidc.AuthorizeError as exc:
        return HTMLResponse(f"<p>{exc.description}</p>", status_code=400)
    return _page("login", sealed, oidc.client(ctx.sandbox, request["client_id"]), email=request.get("login_hint") or "")


@routes("POST", "/login", summary="Login page: an agent user's e-mail and password", tag="oidc", auth="none",
       api=False, request=w.LoginForm, form=True, parse=False, response=str, media="text/html",
       errors=_STEP_ANSWERS)
@_pages
async def login_submit(ctx: Ctx) -> Response:
    from mockserver.domain import auth

    form = await _form(ctx, w.LoginForm)
    request = oidc.unseal(ctx.sandbox, form["request"])
    client = oidc.client(ctx.sandbox, request["client_id"])
    try:
        agent, user = auth.agent_user_by_password(ctx.sandbox, form.get("email"), form.get("password"))
    except (Unauthorized, AccessDenied) as exc:
        return _page("login", form["request"], client, status=exc.status, error=exc.detail,
                     email=form.get("email") or "")
    if client is not None and client.agent_id is not None and client.agent_id != agent.id:
        return _page("login", form["request"], client, status=403, email=form.get("email") or "",
                     error="Bu uygulama başka bir acentenin; yalnızca o acentenin kullanıcıları giriş yapabilir.")
    ctx.request.scope["sandbox.agent"] = agent
    if user.two_factor:
        session = auth.send_otp(agent, subject=user.id, kind=auth.AGENT_USER, phone=user.phone,
                                 purpose="oidc-login")
        login = oidc.seal(ctx.sandbox, {"agent": agent.id, "user": user.id, "otp": session.token, "mfa": True})
        return _page("mfa", form["request"], client, login=login, phone=f"{user.phone[:3]}****{user.phone[-2:]}")
    return _after_login(ctx, agent, user.id, request, form["request"], client)


@routes("POST", "/login/mfa", summary="Login page: the SMS code of a two-factor agent user", tag="oidc",
       auth="none", api=False, request=w.LoginForm, form=True, parse=False, response=str, media="text/html",
       errors=_STEP_ANSWERS)
@_pages
async def login_mfa(ctx: Ctx) -> Response:
    from mockserver.domain import auth

    form = await _form(ctx, w.LoginForm)
    request = oidc.unseal(ctx.sandbox, form["request"])
    client = oidc.client(ctx.sandbox, request["client_id"])
    login = oidc.unseal(ctx.sandbox, form.get("login"))
    agent = ctx.sandbox.agents.get(login.get("agent", ""))
    session = agent.otp_sessions.get(login.get("otp", "")) if agent else None
    if agent is None or session is None:
        return _page("login", form["request"], client, status=400, error="Oturum bulunamadı; yeniden giriş yapın.",
                     email="")
    ctx.request.scope["sandbox.agent"] = agent
    try:
        auth.check_otp(agent, session, form.get("code"))
    except SandboxError as exc:
        return _page("mfa", form["request"], client, status=exc.status, error=exc.detail, login=form["login"],
                     phone="")
    return _after_login(ctx, agent, login["user"], request, form["request"], client)


def _after_login(ctx: Ctx, agent: Any, user_id: str, request: dict[str, Any], sealed: str,
                 client: oidc.OAuthClient) -> Response:
    if oidc.consented(ctx.sandbox, agent, user_id, request):
        return RedirectResponse(oidc.grant(ctx.sandbox, agent, user_id, request, remember=False,
                                           issuer=ctx.base_url()), status_code=303)
    login = oidc.seal(ctx.sandbox, {"agent": agent.id, "user": user_id, "consent": True})
    return _page("consent", sealed, client, login=login, scopes=request["scope"])


@routes("POST", "/login/consent", summary="Login page: the user allows or declines the client", tag="oidc",
       auth="none", api=False, request=w.LoginForm, form=True, parse=False, status=303, errors=_PAGE_ERRORS)
@_pages
async def login_consent(ctx: Ctx) -> Response:
    form = await _form(ctx, w.LoginForm)
    request = oidc.unseal(ctx.sandbox, form["request"])
    login = oidc.unseal(ctx.sandbox, form.get("login"))
    agent = ctx.sandbox.agents.get(login.get("agent", ""))
    if agent is None or not login.get("consent"):
        raise oidc.AuthorizeError("invalid_request", "no login to consent to; start again")
    ctx.request.scope["sandbox.agent"] = agent
    if form.get("decision") != "allow":
        return RedirectResponse(oidc.denied(request, ctx.base_url()), status_code=303)
    return RedirectResponse(oidc.grant(ctx.sandbox, agent, login["user"], request, remember=True,
                                       issuer=ctx.base_url()), status_code=303)


# ----------------------------------------------------------------------------- tokens
async def code_or_refresh(ctx: Ctx, form: dict[str, str]) -> Response:
    """``/connect/token`` for ``authorization_code`` and ``refresh_token`` (auth_routes hands them here)."""
    held = ctx.sandbox.oauth_codes.get(form.get("code") or "")
    if held is not None and held.agent_id in ctx.sandbox.agents:  # the user's agent keeps the call in its journal
        ctx.request.scope["sandbox.agent"] = ctx.sandbox.agents[held.agent_id]
    ctx.bind_grant(form.get("refresh_token"))
    try:
        auth_pair = client_auth(ctx, form)
        if form.get("grant_type") == "authorization_code":
            answer = oidc.exchange(ctx.sandbox, form, auth_pair, ctx.base_url())
        else:
            answer = oidc.refreshed(ctx.sandbox, form, auth_pair, ctx.base_url())
    except oidc.AuthorizeError as exc:
        return oauth_error(exc.status, exc.error, exc.description)
    return Response(orjson.dumps(auth.render_grant(answer)), media_type="application/json",
                    headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


@routes("GET", "/connect/userinfo", auth="token", summary="OIDC userinfo: the logged-in agent user's claims", tag="oidc",
       api=False, response=w.UserInfo)
async def userinfo(ctx: Ctx) -> Response:
    from mockserver.security.tokens import AGENT_USER

    agent, principal = ctx.authenticate()
    if principal.kind != AGENT_USER:
        raise AccessDenied("userinfo answers for an agent user's token.", codes=["AGENT_USER_TOKEN_REQUIRED"])
    user = agent.agent_users[principal.subject]
    return ok(_userinfo(user, agent))


@routes("POST", "/connect/introspect", summary="Token introspection (RFC 7662)", tag="oidc", auth="none", api=False,
       request=w.TokenForm, form=True, parse=False, response=w.Introspection, errors=_OAUTH_ERRORS)
async def introspect(ctx: Ctx) -> Response:
    try:
        form = await _form(ctx, w.TokenForm)
        client_id, secret = client_auth(ctx, form)
        asking = _introspecting_client(ctx, client_id, secret)
    except oidc.AuthorizeError as exc:
        return oauth_error(exc.status, exc.error, exc.description)
    # (a rare answer: built as its model, what it leaves unset left out)
    described = _describe(ctx, form.get("token") or "", asking).model_dump(exclude_none=True)
    return Response(orjson.dumps(described), media_type="application/json",
                    headers={"Cache-Control": "no-store"})


def _introspecting_client(ctx: Ctx, client_id: str | None, secret: str | None) -> tuple[str | None, str | None]:
    """An OAuth client, or an agency's service account (a resource server of its own): (its client id,
    its agency's id when it is a service account)."""
    from mockserver.validators.common import same_secret

    agent = ctx.sandbox.agent_by_client_id(client_id) if client_id else None
    account = agent.service_accounts.get(client_id) if agent else None
    if account is not None and isinstance(secret, str) and same_secret(secret, account.client_secret):
        return client_id, agent.id
    return oidc.authenticate_client(ctx.sandbox, client_id, secret).client_id, None


def _owned(asking: tuple[str | None, str | None], client_id: str | None, agent_id: str) -> bool:
    """RFC 7009 §2.1, RFC 7662 §4: a token is revoked or described for the client it was issued to,
    or for a service account of the agency it belongs to; for anyone else it is not there."""
    return (client_id is not None and asking[0] == client_id) or asking[1] == agent_id


def _describe(ctx: Ctx, token: str, asking: tuple[str | None, str | None]) -> w.Introspection:
    agent_id = ctx.sandbox.grant_index.get(token)
    agent = ctx.sandbox.agents.get(agent_id) if agent_id else None
    held = agent.refresh_grants.get(token) if agent else None
    if held is not None:
        if held.used or agent.now() > held.expires_at or not _owned(asking, held.client_id, agent.id):
            return w.Introspection(active=False)
        return w.Introspection(active=True, token_type="refresh_token", sub=held.subject, scope=held.oidc_scope,
                               client_id=held.client_id, exp=int(held.expires_at))
    try:
        agent, principal = auth.authenticate(ctx.sandbox, f"Bearer {token}")
    except SandboxError:
        return w.Introspection(active=False)
    if not _owned(asking, principal.client_id, agent.id):
        return w.Introspection(active=False)
    return w.Introspection(active=True, token_type="access_token", sub=principal.subject, scope=principal.scope,
                           agent_id=agent.id, principal_type=principal.kind, exp=int(principal.expires_at),
                           jti=principal.token_id)


@routes("POST", "/connect/revoke", summary="Token revocation (RFC 7009): a refresh or an access token", tag="oidc",
       auth="none", api=False, request=w.TokenForm, form=True, parse=False, response=str, media="text/plain",
       errors=_OAUTH_ERRORS)
async def revoke(ctx: Ctx) -> Response:
    from mockserver.domain.auth import authenticate

    try:
        form = await _form(ctx, w.TokenForm)
        asking = _introspecting_client(ctx, *client_auth(ctx, form))
    except oidc.AuthorizeError as exc:
        return oauth_error(exc.status, exc.error, exc.description)
    token = form.get("token") or ""
    agent_id = ctx.sandbox.grant_index.get(token)
    agent = ctx.sandbox.agents.get(agent_id) if agent_id else None
    # RFC 7009: an unknown or dead token, or one issued to another client, is answered 200 all the
    # same (and left as it is): the answer tells a caller nothing about tokens that are not its own
    if agent is not None and token in agent.refresh_grants:
        if _owned(asking, agent.refresh_grants[token].client_id, agent.id):
            agent.refresh_grants[token].used = True
            ctx.request.scope["sandbox.agent"] = agent
    else:
        try:
            agent, principal = authenticate(ctx.sandbox, f"Bearer {token}")
        except SandboxError:
            pass
        else:
            if _owned(asking, principal.client_id, agent.id):
                agent.revoked_tokens.add(principal.token_id)
                ctx.request.scope["sandbox.agent"] = agent
    return Response(b"", status_code=200, media_type="text/plain", headers={"Cache-Control": "no-store"})


@routes("POST", "/connect/par", summary="Pushed authorization request (RFC 9126)", tag="oidc", auth="none",
       api=False, request=w.AuthorizeQuery, form=True, parse=False, status=201, response=w.PushedAuthorization, errors=_OAUTH_ERRORS)
async def par(ctx: Ctx) -> Response:
    from mockserver.core.clock import wall

    try:
        form = await _form(ctx, w.AuthorizeQuery)
        found = oidc.authenticate_client(ctx.sandbox, *client_auth(ctx, form))
        params = {k: v for k, v in form.items() if k not in ("client_secret", "request_uri")}
        params["client_id"] = found.client_id
        oidc.check_authorize(ctx.sandbox, params, pushing=True)
    except oidc.AuthorizeError as exc:
        return oauth_error(exc.status, exc.error, exc.description)
    uri = f"urn:ietf:params:oauth:request_uri:{ctx.sandbox.entropy.token_urlsafe(24)}"
    ctx.sandbox.oauth_par[uri] = {"client_id": found.client_id, "params": params, "expires_at": wall() + oidc.PAR_TTL}
    return Response(orjson.dumps({"request_uri": uri, "expires_in": int(oidc.PAR_TTL)}), status_code=201,
                    media_type="application/json", headers={"Cache-Control": "no-store"})


async def _logout(ctx: Ctx) -> Response:
    q = ctx.q
    claims: dict[str, Any] = {}
    if q.id_token_hint:  # signed by this server, or it could end anyone's sessions
        claims = ctx.sandbox.authority.claims(q.id_token_hint) or {}
        if not claims:
            return oauth_error(400, "invalid_request", "id_token_hint is not an ID token of this server")
    client_id = q.client_id or claims.get("aud")
    client = oidc.client(ctx.sandbox, client_id)
    agent = ctx.sandbox.agents.get(claims.get("agent_id", "")) if claims else None
    if agent is not None and client is not None:  # the user's sessions with this client end
        for held in agent.refresh_grants.values():
            if held.subject == claims.get("sub") and held.client_id == client.client_id:
                held.used = True
        ctx.request.scope["sandbox.agent"] = agent
    if q.post_logout_redirect_uri:
        if client is None or q.post_logout_redirect_uri not in client.post_logout_redirect_uris:
            return oauth_error(400, "invalid_request", "post_logout_redirect_uri is not registered for the client")
        sep = "&" if "?" in q.post_logout_redirect_uri else "?"
        target = q.post_logout_redirect_uri + (f"{sep}{urlencode({'state': q.state})}" if q.state else "")
        return RedirectResponse(target, status_code=302)
    return HTMLResponse(templates.render("message.html", message="Oturumunuz kapatıldı."))


@routes("GET", "/connect/logout", summary="End the session (OIDC RP-initiated logout)", tag="oidc", auth="none",
       api=False, query=w.LogoutQuery, response=str, media="text/html",
       errors={"302": ("Back to the registered post_logout_redirect_uri", None, None), **_OAUTH_ERRORS})
async def logout(ctx: Ctx) -> Response:
    return await _logout(ctx)


@routes("GET", "/connect/end-session", summary="End the session (alias of /connect/logout)", tag="oidc",
       auth="none", api=False, query=w.LogoutQuery, response=str, media="text/html",
       errors={"302": ("Back to the registered post_logout_redirect_uri", None, None), **_OAUTH_ERRORS})
async def end_session(ctx: Ctx) -> Response:
    return await _logout(ctx)


# ----------------------------------------------------------------------------- clients (control plane)
@routes("GET", "/__sandbox/oauth-clients", summary="The OAuth clients 'Login with InsurUp' accepts", tag="control",
       auth="admin", api=False, response=list[w.OAuthClientOut])
async def list_clients(ctx: Ctx) -> Response:
    return ok([_client_view(c) for c in ctx.sandbox.oauth_clients.values()])


@routes("POST", "/__sandbox/oauth-clients", summary="Register an OAuth client (its secret is shown once)",
       tag="control", auth="admin", api=False, request=w.OAuthClientRequest, response=w.OAuthClientOut, status=201)
async def register_client(ctx: Ctx) -> Response:
    made, secret = oidc.register(ctx.sandbox, await ctx.model())
    return ok(_client_view(made, secret), status=201)


_client_view = renderer(  # ctx: the secret, shown once when a confidential client is registered
    w.OAuthClientOut, None, displayName="name", clientType=lambda c, secret: "Public" if c.public else "Confidential",
    requirePar="require_par", clientSecret=From(lambda c, secret: secret, optional=True))
_userinfo = renderer(  # an agent user; ctx: the agent
    w.UserInfo, None, sub="id", name=lambda u, agent: f"{u.first_name} {u.last_name}", given_name="first_name",
    family_name="last_name", email_verified=Const(True), agent_id=lambda u, agent: agent.id,
    agent_name=lambda u, agent: agent.name)
