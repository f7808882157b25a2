"""'Login with InsurUp' (reference §1.4): the authorization code flow with PKCE for partner apps and the
CLI's browser login, on the sandbox's own login, two-factor and consent pages.

* ``GET /connect/authorize`` checks the request (client, exact redirect URI, registered scopes,
  ``response_type=code``, PKCE S256 for public clients; PAR's ``request_uri``) and, as the real server
  does for a user without a session, answers 302 to the login page. The request travels through the
  pages signed (HMAC with the sandbox's secret), so nothing is stored until the user has logged in.
* The login page takes an agent user's e-mail and password, then the SMS code when the user has
  two-factor login, then asks consent once per client and scopes (declining redirects with
  ``error=access_denied``). The code is good for 60 seconds, once.
* ``POST /connect/token`` exchanges it (``grant_type=authorization_code``, the same ``redirect_uri``,
  ``code_verifier``, the secret of a confidential client) for an agent-user RS256 access token (1800 s),
  a refresh token with ``offline_access`` (rotating, 14 days) and an ID token with ``openid``.
* ``/connect/userinfo``, ``/connect/introspect``, ``/connect/revoke``, ``/connect/par`` and
  ``/connect/logout`` (alias ``/connect/end-session``) work on those tokens.

OAuth clients are the sandbox's, not an agency's (reference: "OAuth clients are global"): a default
public client, and any registered through ``POST /__sandbox/oauth-clients``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import orjson

from mockserver.core.clock import wall
from mockserver.security import scopes
from mockserver.validators.common import same_secret
from mockserver.wire.auth import OpenIdConfiguration
from mockserver.wire.render import Const, renderer

if TYPE_CHECKING:
    from mockserver.domain import auth
    from mockserver.wire.auth import OAuthClientRequest
    from mockserver.domain.tenant import Agent, AgentUser, Sandbox

CODE_TTL = 60.0
PAR_TTL = 60.0
ACCESS_TTL = 1800
REFRESH_TTL = 14 * 24 * 3600
OIDC_SCOPES = ("openid", "profile", "email", "offline_access")
DEFAULT_CLIENT = "insurup-sandbox-app"
DEFAULT_REDIRECTS = ["http://localhost:3000/api/auth/callback", "http://127.0.0.1:8400/callback",
                     "http://localhost:8400/callback"]
CLI_CLIENT = "cli"  # the official CLI's public client: PKCE through PAR, a loopback redirect on any port
LOOPBACK = ("localhost", "127.0.0.1", "::1")


def _at(path: str) -> Any:
    return lambda issuer, ctx: issuer + path


# GET /.well-known/openid-configuration, from the issuer (the sandbox's base URL)
render_discovery = renderer(
    OpenIdConfiguration, str, issuer=".", token_endpoint=_at("/connect/token"),
    jwks_uri=_at("/.well-known/openid-configuration/jwks"), authorization_endpoint=_at("/connect/authorize"),
    userinfo_endpoint=_at("/connect/userinfo"), end_session_endpoint=_at("/connect/logout"),
    introspection_endpoint=_at("/connect/introspect"), revocation_endpoint=_at("/connect/revoke"),
    pushed_authorization_request_endpoint=_at("/connect/par"),
    grant_types_supported=Const(("authorization_code", "refresh_token", "client_credentials")),
    response_types_supported=Const(("code",)), response_modes_supported=Const(("query",)),
    code_challenge_methods_supported=Const(("S256",)), subject_types_supported=Const(("public",)),
    scopes_supported=Const(tuple(dict.fromkeys((*OIDC_SCOPES, "core-api", *scopes.GRANTABLE)))),  # each once
    token_endpoint_auth_methods_supported=Const(("client_secret_post", "client_secret_basic", "none")),
    id_token_signing_alg_values_supported=Const(("RS256",)),
    authorization_response_iss_parameter_supported=Const(True),
    claims_supported=Const(("sub", "name", "given_name", "family_name", "email", "email_verified", "agent_id",
                            "principal_type", "scope", "nonce", "auth_time", "amr")))


class AuthorizeError(Exception):
    """A request the server refuses before any redirect (400), or after: ``redirect`` set."""

    def __init__(self, error: str, description: str, *, status: int = 400, redirect: str | None = None):
        super().__init__(description)
        self.error, self.description, self.status, self.redirect = error, description, status, redirect


@dataclass(slots=True)
class OAuthClient:
    client_id: str
    name: str
    public: bool
    secret: str | None
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=lambda: ["openid", "profile", "email", "offline_access", "core-api"])
    require_par: bool = False
    loopback_any_port: bool = False  # RFC 8252 §7.3: a native app's loopback redirect may take any port
    agent_id: str | None = None  # an agency's own application (POST /api/oauth-clients): its users only

    def accepts(self, redirect: Any) -> bool:
        """``redirect`` is registered: exactly, or for a native app on loopback, with any port."""
        if not isinstance(redirect, str):
            return False
        if redirect in self.redirect_uris:
            return True
        if not self.loopback_any_port:
            return False
        try:
            got = urlsplit(redirect)
            port = got.port
        except ValueError:
            return False
        if got.scheme != "http" or got.hostname not in LOOPBACK or port is None or got.query or got.fragment:
            return False
        return any((r.scheme, r.hostname, r.path) == (got.scheme, got.hostname, got.path)
                   for r in map(urlsplit, self.redirect_uris))


@dataclass(slots=True)
class AuthCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: list[str]
    nonce: str | None
    challenge: str | None
    agent_id: str
    user_id: str
    expires_at: float
    used: bool = False
    issued: tuple[str, str | None] | None = None  # (access jti, refresh token) of its exchange


def default_clients() -> dict[str, OAuthClient]:
    return {DEFAULT_CLIENT: OAuthClient(DEFAULT_CLIENT, "Sandbox partner app (public, PKCE)", True, None,
                                        list(DEFAULT_REDIRECTS), ["http://localhost:3000/", "http://127.0.0.1:8400/"]),
            CLI_CLIENT: OAuthClient(CLI_CLIENT, "InsurUp CLI", True, None,
                                    ["http://localhost/callback", "http://127.0.0.1/callback", "http://[::1]/callback",
                                     "http://localhost/", "http://127.0.0.1/"],
                                    ["http://localhost/", "http://127.0.0.1/"], loopback_any_port=True)}


# ----------------------------------------------------------------------------- signed requests
def _key(sandbox: "Sandbox") -> bytes:
    return hashlib.sha256(f"oidc:{sandbox.secret}".encode()).digest()


def seal(sandbox: "Sandbox", params: dict[str, Any]) -> str:
    payload = base64.urlsafe_b64encode(orjson.dumps({**params, "t": wall()})).decode().rstrip("=")
    return payload + "." + hmac.new(_key(sandbox), payload.encode(), hashlib.sha256).hexdigest()[:32]


def unseal(sandbox: "Sandbox", sealed: Any, max_age: float = 900.0) -> dict[str, Any]:
    gone = AuthorizeError("invalid_request", "The login request is unknown or older than 15 minutes; start again "
                                             "from the application.")
    if not isinstance(sealed, str) or "." not in sealed or len(sealed) > 8000:
        raise gone
    payload, _, sig = sealed.rpartition(".")
    if not same_secret(sig, hmac.new(_key(sandbox), payload.encode(), hashlib.sha256).hexdigest()[:32]):
        raise gone
    try:
        data = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, orjson.JSONDecodeError):
        raise gone from None
    if not isinstance(data, dict) or wall() - float(data.get("t", 0)) > max_age:
        raise gone
    return data


# ----------------------------------------------------------------------------- clients
def client(sandbox: "Sandbox", client_id: Any) -> OAuthClient | None:
    return sandbox.oauth_clients.get(client_id) if isinstance(client_id, str) else None


def authenticate_client(sandbox: "Sandbox", client_id: Any, secret: Any) -> OAuthClient:
    """A registered client; a confidential one must show its secret."""
    found = client(sandbox, client_id)
    if found is None:
        raise AuthorizeError("invalid_client", "unknown client_id", status=401)
    if not found.public and not (isinstance(secret, str) and found.secret and same_secret(secret, found.secret)):
        raise AuthorizeError("invalid_client", "a confidential client authenticates with its client_secret",
                             status=401)
    return found


def register(sandbox: "Sandbox", req: "OAuthClientRequest") -> tuple[OAuthClient, str | None]:
    """``POST /__sandbox/oauth-clients``: a new client (its secret shown once, as the Agent Panel does),
    from the parsed request (its model checked the client_id and the URLs)."""
    from mockserver.core.errors import Duplicate, field_error
    from mockserver.security import scopes as api_scopes

    cid = req.clientId
    if cid in sandbox.oauth_clients:
        raise Duplicate(f"OAuth client '{cid}' already exists.", codes=["OAUTH_CLIENT_EXISTS"])
    public = req.clientType == "Public"
    redirects, logouts = req.redirectUris, req.postLogoutRedirectUris or []
    wanted = req.scopes or ["openid", "profile", "offline_access", "core-api"]
    unknown = [s for s in wanted if s not in OIDC_SCOPES and s != api_scopes.FULL and s not in api_scopes.GRANTABLE]
    if unknown:
        raise field_error("scopes", f"unknown scopes: {' '.join(unknown)}", None)
    api = [s for s in wanted if s not in OIDC_SCOPES]
    if api_scopes.FULL in api and len(api) > 1:
        raise field_error("scopes", "core-api (full access) and granular scopes are exclusive", None)
    secret = None if public else (req.clientSecret or sandbox.entropy.token_urlsafe(32))
    made = OAuthClient(cid, req.displayName or cid, public, secret, list(redirects), list(logouts),
                       list(wanted), req.requirePar)
    sandbox.oauth_clients[cid] = made
    return made, secret


# ----------------------------------------------------------------------------- authorize
def check_authorize(sandbox: "Sandbox", params: dict[str, str], *, pushing: bool = False) -> dict[str, Any]:
    """The authorization request, checked as OAPAT §5.1 says (400 before any redirect); ``pushing``: it
    arrives at /connect/par."""
    if params.get("request_uri"):
        stored = sandbox.oauth_par.pop(params["request_uri"], None)
        if stored is None or stored["expires_at"] < wall() or stored["client_id"] != params.get("client_id"):
            raise AuthorizeError("invalid_request_uri", "request_uri is unknown, used or expired (60 s)")
        params = stored["params"]
        pushed = True
    else:
        pushed = False
    found = client(sandbox, params.get("client_id"))
    if found is None:
        raise AuthorizeError("invalid_client", "unknown client_id")
    redirect = params.get("redirect_uri")
    if not found.accepts(redirect):
        raise AuthorizeError("invalid_request", "redirect_uri is not registered for this client (matched exactly: "
                                                "scheme, host, port and path; a native app's loopback URI on any port)")
    if found.require_par and not (pushed or pushing):
        raise AuthorizeError("invalid_request", "this client must push its request first (POST /connect/par)")
    scope = (params.get("scope") or "").split()
    unregistered = [s for s in scope if s not in found.scopes]
    if not scope or unregistered:
        raise AuthorizeError("invalid_scope", f"scopes not registered for this client: {' '.join(unregistered)}"
                             if unregistered else "scope is required")
    state = params.get("state")

    def later(error: str, description: str) -> AuthorizeError:  # errors the client's redirect receives
        query = {"error": error, "error_description": description, **({"state": state} if state else {})}
        return AuthorizeError(error, description, redirect=f"{redirect}{'&' if '?' in redirect else '?'}"
                                                            f"{urlencode(query)}")

    if params.get("response_type") != "code":
        raise later("unsupported_response_type", "response_type must be code")
    if "none" in (params.get("prompt") or "").split():
        raise later("login_required", "the sandbox keeps no sign-in session, so prompt=none cannot be met: the "
                                      "user must sign in")
    challenge, method = params.get("code_challenge") or None, params.get("code_challenge_method") or "plain"
    if challenge is None and found.public:
        raise later("invalid_request", "a public client must send code_challenge (PKCE, S256)")
    if challenge is not None and method != "S256":
        raise later("invalid_request", "code_challenge_method must be S256")
    if challenge is not None and not _CHALLENGE.fullmatch(challenge):
        raise later("invalid_request", "code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ "
                                       "(RFC 7636; an S256 challenge is 43)")
    return {"client_id": found.client_id, "redirect_uri": redirect, "scope": scope, "state": state,
            "login_hint": (params.get("login_hint") or "")[:254] or None,
            "nonce": params.get("nonce"), "challenge": challenge}


_CHALLENGE = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


def consented(sandbox: "Sandbox", agent: "Agent", user_id: str, request: dict[str, Any]) -> bool:
    return (agent.id, user_id, request["client_id"], " ".join(sorted(request["scope"]))) in sandbox.oauth_consents


def grant(sandbox: "Sandbox", agent: "Agent", user_id: str, request: dict[str, Any], *, remember: bool,
          issuer: str) -> str:
    """The redirect to the client with a fresh code (and the consent kept for next time)."""
    if remember:
        sandbox.oauth_consents.add((agent.id, user_id, request["client_id"], " ".join(sorted(request["scope"]))))
    code = sandbox.entropy.token_urlsafe(32)
    sandbox.oauth_codes[code] = AuthCode(code, request["client_id"], request["redirect_uri"], request["scope"],
                                         request.get("nonce"), request.get("challenge"), agent.id, user_id,
                                         wall() + CODE_TTL)
    if len(sandbox.oauth_codes) > 5000:  # spent and expired codes go first
        for k in [k for k, c in sandbox.oauth_codes.items() if c.used or c.expires_at < wall()]:
            del sandbox.oauth_codes[k]
    query = {"code": code, **({"state": request["state"]} if request.get("state") else {}), "iss": issuer}
    redirect = request["redirect_uri"]
    return f"{redirect}{'&' if '?' in redirect else '?'}{urlencode(query)}"


def denied(request: dict[str, Any], issuer: str) -> str:
    query = {"error": "access_denied", "error_description": "the user declined",
             **({"state": request["state"]} if request.get("state") else {}), "iss": issuer}
    redirect = request["redirect_uri"]
    return f"{redirect}{'&' if '?' in redirect else '?'}{urlencode(query)}"


# ----------------------------------------------------------------------------- tokens
def s256(verifier: str) -> str:
    from authlib.oauth2.rfc7636 import create_s256_code_challenge

    return create_s256_code_challenge(verifier)


def exchange(sandbox: "Sandbox", form: dict[str, str], client_auth: tuple[str | None, str | None],
             issuer: str) -> "auth.Grant":
    """``grant_type=authorization_code``."""
    found = authenticate_client(sandbox, client_auth[0] or form.get("client_id"), client_auth[1])
    code = sandbox.oauth_codes.get(form.get("code") or "")
    if code is None or code.client_id != found.client_id:
        raise AuthorizeError("invalid_grant", "unknown code, or a code issued to another client")
    if code.used or code.expires_at < wall():
        if code.used and code.issued is not None:  # a replayed code: what its exchange issued is revoked
            _revoke_issued(sandbox, code)
        code.used = True
        raise AuthorizeError("invalid_grant", "the code was already used or has expired (60 s)")
    code.used = True
    if form.get("redirect_uri") != code.redirect_uri:
        raise AuthorizeError("invalid_grant", "redirect_uri must be the one sent to /connect/authorize")
    if code.challenge is not None:
        verifier = form.get("code_verifier") or ""
        if not 43 <= len(verifier) <= 128 or not same_secret(s256(verifier), code.challenge):
            raise AuthorizeError("invalid_grant", "code_verifier does not match the code_challenge (PKCE S256)")
    agent = sandbox.agents.get(code.agent_id)
    user = agent.agent_users.get(code.user_id) if agent else None
    if agent is None or user is None or not user.active:
        raise AuthorizeError("invalid_grant", "the user of this code no longer exists or is deactivated")
    out = tokens(sandbox, agent, user, found.client_id, code.scope, code.nonce, issuer)
    code.issued = (out.jti, out.refresh_token)
    return out


def _revoke_issued(sandbox: "Sandbox", code: AuthCode) -> None:
    """RFC 6749 §4.1.2: a code used twice revokes the tokens its first exchange issued (and, RFC 9700,
    whatever their refresh tokens turned into since)."""
    from mockserver.domain import auth

    agent = sandbox.agents.get(code.agent_id)
    if agent is None or code.issued is None:
        return
    jti, refresh = code.issued
    agent.revoked_tokens.add(jti)
    grant = agent.refresh_grants.get(refresh) if refresh else None
    if grant is not None:
        auth.revoke_family(agent, grant.family)


def tokens(sandbox: "Sandbox", agent: "Agent", user: "AgentUser", client_id: str, scope: list[str],
           nonce: str | None, issuer: str, family: str | None = None) -> "auth.Grant":
    from mockserver.domain import auth
    from mockserver.security import scopes as api_scopes
    from mockserver.security.tokens import AGENT_USER

    api = " ".join(s for s in scope if s not in OIDC_SCOPES) or api_scopes.FULL
    pair = auth.issue(agent, AGENT_USER, user.id, issuer, refresh="offline_access" in scope, scope=api,
                      access_ttl=ACCESS_TTL, refresh_ttl=REFRESH_TTL, client_id=client_id, oidc_scope=" ".join(scope),
                      family=family)
    out = auth.Grant(pair.access_token, pair.expires_in, " ".join(scope), pair.refresh_token or None, jti=pair.token_id)
    if "openid" in scope:
        now = int(wall())
        claims = {"iss": issuer, "sub": user.id, "aud": client_id, "iat": now, "exp": now + ACCESS_TTL,
                  "auth_time": now, "agent_id": agent.id, "amr": ["pwd", "otp"] if user.two_factor else ["pwd"],
                  **({"nonce": nonce} if nonce else {})}
        if "profile" in scope:
            claims.update(name=f"{user.first_name} {user.last_name}", given_name=user.first_name,
                          family_name=user.last_name)
        if "email" in scope:
            claims.update(email=user.email, email_verified=True)
        out.id_token = sandbox.authority.sign(claims)
    return out


def refreshed(sandbox: "Sandbox", form: dict[str, str], client_auth: tuple[str | None, str | None],
              issuer: str) -> "auth.Grant":
    """``grant_type=refresh_token`` for tokens this flow issued (rotating)."""
    found = authenticate_client(sandbox, client_auth[0] or form.get("client_id"), client_auth[1])
    token = form.get("refresh_token") or ""
    agent_id = sandbox.grant_index.get(token)
    agent = sandbox.agents.get(agent_id) if agent_id else None
    held = agent.refresh_grants.get(token) if agent else None
    if agent is None or held is None or held.client_id != found.client_id:
        raise AuthorizeError("invalid_grant", "unknown refresh_token, or one issued to another client")
    if held.used:
        from mockserver.domain import auth

        auth.revoke_family(agent, held.family)  # RFC 9700 §4.14.2: a replay ends the whole chain
        raise AuthorizeError("invalid_grant", "the refresh_token was already used (they rotate): every token of its "
                                              "chain is now revoked")
    if agent.now() > held.expires_at:
        raise AuthorizeError("invalid_grant", "the refresh_token has expired")
    held.used = True
    user = agent.agent_users.get(held.subject)
    if user is None or not user.active:
        raise AuthorizeError("invalid_grant", "the user no longer exists or is deactivated")
    return tokens(sandbox, agent, user, found.client_id, (held.oidc_scope or "core-api").split(), None, issuer,
                  family=held.family)
