"""Authentication: customer OTP login, agent-user login with optional 2FA, service-account client
credentials, refresh-token rotation, and the check every authenticated request goes through.

Times are the agent's virtual clock: an OTP dies ``otp_ttl`` seconds after it was sent, an access
token ``*_access_ttl`` seconds after it was issued, whatever the wall clock says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockserver import magic
from mockserver.core.errors import (
    AccessDenied,
    BadRequest,
    FieldError,
    InputValidation,
    Unauthorized,
    Upstream,
    field_error,
)
from mockserver.domain import customers
from mockserver.domain.tenant import Consent, OtpSession, Phone, RefreshGrant
from mockserver.security import scopes
from mockserver.security.tokens import AGENT_USER, CUSTOMER, SERVICE_ACCOUNT, Principal
from mockserver.validators.common import same_secret
from mockserver.wire.auth import AgentUserLoginResponse, CustomerLoginResponse, TokenGrant, TokenResponse
from mockserver.wire.render import Const, From, renderer

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Customer, Sandbox
    from mockserver.wire.auth import (AgentUserLoginRequest, AgentUserVerifyRequest, CustomerLoginRequest, RefreshRequest,
                                      VerifyMfaRequest)


@dataclass(slots=True)
class TokenPair:
    access_token: str
    refresh_token: str | None
    expires_in: int
    token_id: str = ""  # the access token's jti

    def wire(self, **who: Any) -> dict[str, Any]:
        """``TokenResponse``; ``who`` says whose tokens they are (customerId, userId, requiresTwoFactor)."""
        return _render_tokens(self, who)


@dataclass(slots=True)
class Login:
    """A login's answer: the tokens at once, or (``pair`` None) the second factor to come."""

    subject_id: str  # the customer or the agent user
    pair: TokenPair | None
    token: str | None = None  # the OTP session, for the second factor
    expires_in: int = 0  # the OTP's lifetime, while the second factor is awaited
    created: bool = False  # a customer's: the login registered them


def _who(name: str) -> From:
    return From(lambda pair, who: who.get(name), optional=True)


def _of_pair(name: str) -> Any:
    return lambda v, ctx: getattr(v.pair, name) if v.pair is not None else None


_BEARER_ONCE_ISSUED = From(lambda v, ctx: "Bearer" if v.pair is not None else None, optional=True)
_render_tokens = renderer(TokenResponse, TokenPair, tokenType=Const("Bearer"), customerId=_who("customerId"),
                          userId=_who("userId"), requiresTwoFactor=_who("requiresTwoFactor"))
render_customer_login = renderer(
    CustomerLoginResponse, Login,
    customerId="subject_id", requiresTwoFactor=lambda v, ctx: v.pair is None, isNewCustomer="created",
    expiresIn=lambda v, ctx: v.pair.expires_in if v.pair is not None else v.expires_in,
    accessToken=From(_of_pair("access_token"), optional=True), refreshToken=From(_of_pair("refresh_token"),
                                                                                  optional=True),
    tokenType=_BEARER_ONCE_ISSUED,
)
_render_agent_login = renderer(
    AgentUserLoginResponse, Login,
    accessToken=_of_pair("access_token"), refreshToken=_of_pair("refresh_token"), expiresIn=_of_pair("expires_in"),
    tokenType=_BEARER_ONCE_ISSUED,
    requiresTwoFactor=lambda v, ctx: v.pair is None, userId="subject_id", token=From(optional=True),
)


def _ttl(agent: "Agent", kind: str) -> tuple[int, int]:
    s = agent.sandbox.settings
    if kind == CUSTOMER:
        return s.customer_access_ttl, s.customer_refresh_ttl
    if kind == AGENT_USER:
        return s.agent_user_access_ttl, s.agent_user_refresh_ttl
    return s.service_token_ttl, 0


def issue(agent: "Agent", kind: str, subject: str, issuer: str, *, refresh: bool = True,
          scope: str = scopes.FULL, access_ttl: int | None = None, refresh_ttl: int | None = None,
          client_id: str | None = None, oidc_scope: str | None = None, family: str | None = None) -> TokenPair:
    """An access token (and a rotating refresh token); the OIDC flow passes its own lifetimes, its client
    and the scopes it granted, which a refresh keeps."""
    default_access, default_refresh = _ttl(agent, kind)
    access_ttl = default_access if access_ttl is None else access_ttl
    refresh_ttl = default_refresh if refresh_ttl is None else refresh_ttl
    now = agent.now()
    jti = agent.ids.guid()
    token = agent.sandbox.authority.issue(issuer=issuer, kind=kind, subject=subject, agent_id=agent.id,
                                          generation=agent.generation, issued_at=now, ttl=access_ttl,
                                          token_id=jti, scope=scope,
                                          extra={"client_id": client_id} if client_id else None)
    rt = None
    if refresh:
        rt = agent.entropy.uuid4()  # a bearer secret: keyed entropy, never from the seed
        agent.refresh_grants[rt] = RefreshGrant(rt, kind, subject, now + refresh_ttl, client_id=client_id,
                                                oidc_scope=oidc_scope, family=family or rt, access_id=jti)
        agent.sandbox.grant_index[rt] = agent.id
        _prune(agent)
    return TokenPair(token, rt, access_ttl, jti)


def revoke_family(agent: "Agent", family: str | None) -> int:
    """Every refresh grant of a rotation chain, and the access tokens issued beside them, stop working
    (RFC 9700: a replayed refresh token means the chain leaked)."""
    ended = 0
    for grant in agent.refresh_grants.values():
        if family is not None and grant.family == family:
            grant.used = True
            if grant.access_id:
                agent.revoked_tokens.add(grant.access_id)
            ended += 1
    return ended


def _prune(agent: "Agent") -> None:
    now = agent.now()
    if len(agent.refresh_grants) > 5000:
        for k in [k for k, g in agent.refresh_grants.items() if g.used or g.expires_at < now]:
            del agent.refresh_grants[k]
            agent.sandbox.grant_index.pop(k, None)
    if len(agent.otp_sessions) > 5000:
        for k in [k for k, s in agent.otp_sessions.items() if s.dead or s.expires_at < now]:
            del agent.otp_sessions[k]
            agent.sandbox.grant_index.pop(k, None)


# ----------------------------------------------------------------------------- OTP
def send_otp(agent: "Agent", *, subject: str, kind: str, phone: str, purpose: str) -> OtpSession:
    if phone == magic.SMS_FAILURE_PHONE:
        raise Upstream("The SMS provider could not deliver the verification code.", codes=["SMS_DELIVERY_FAILED"],
                       suggestions=["Try again in a moment, or use another phone number."])
    code = (magic.FIXED_OTP_CODE if phone.startswith(magic.FIXED_OTP_PHONE_PREFIX)
            else f"{agent.entropy.randbelow(10**6):06d}")  # keyed entropy: a code from the seed could be predicted
    now = agent.now()
    session = OtpSession(token=f"mfa_{agent.entropy.token_hex(24)}", subject=subject, kind=kind, phone=phone, code=code,
                         created_at=now, expires_at=now + agent.sandbox.settings.otp_ttl)
    agent.otp_sessions[session.token] = session
    agent.sandbox.grant_index[session.token] = agent.id
    _prune(agent)
    from mockserver.domain import templates

    agent.send_sms(phone, templates.render(agent, "otp-sms", code=code), code=code, purpose=purpose)
    return session


def check_otp(agent: "Agent", session: OtpSession, code: Any) -> None:
    s = agent.sandbox.settings
    if session.dead:
        raise BadRequest("This verification session is closed after too many wrong codes; log in again.",
                         codes=["MFA_ATTEMPTS_EXCEEDED"], suggestions=["Call login again to receive a new code."])
    if agent.now() > session.expires_at:
        raise BadRequest("The verification code has expired; log in again to receive a new one.",
                         codes=["MFA_CODE_EXPIRED"], suggestions=["Call login again to receive a new code."])
    if not isinstance(code, (str, int)) or isinstance(code, bool) or not str(code).strip():
        raise field_error("code", "is required (the 6-digit code from the SMS)", None)
    if not same_secret(str(code).strip(), session.code):
        session.attempts += 1
        left = s.otp_max_attempts - session.attempts
        if left <= 0:
            session.dead = True
            raise BadRequest("Wrong verification code; too many attempts, this session is now closed.",
                             codes=["MFA_ATTEMPTS_EXCEEDED"], suggestions=["Call login again to receive a new code."])
        raise BadRequest(f"Wrong verification code; {left} attempt(s) left.", codes=["MFA_CODE_INVALID"],
                         field_errors=[FieldError("code", "does not match the code sent by SMS", None)])
    session.dead = True  # one use


def _session(sandbox: "Sandbox", token: Any, path: str = "token") -> tuple["Agent", OtpSession]:
    if not isinstance(token, str) or not token:
        raise field_error(path, "is required (the value returned by login)", None)
    agent_id = sandbox.grant_index.get(token)
    agent = sandbox.agents.get(agent_id) if agent_id else None
    session = agent.otp_sessions.get(token) if agent else None
    if agent is None or session is None:
        raise BadRequest("Unknown or expired login token; log in again.", codes=["MFA_TOKEN_INVALID"],
                         field_errors=[FieldError(path, "is not a login token issued by this server", None)])
    return agent, session


# ----------------------------------------------------------------------------- customers
def customer_login(agent: "Agent", req: "CustomerLoginRequest") -> tuple["Customer", OtpSession | None, bool]:
    """``auth/customer/login-or-register``: find or register the customer, send the OTP (no
    session when the agent verifies phones with its own SMS provider: tokens are issued at once).
    The model parsed the phone, the dates' form and the consent types; the checksum that fits the
    type and the birth date against the clock are checked here, together."""
    ctype = req.kind()
    errors: list[FieldError] = []
    number = path = birth = None
    phone = Phone(*req.phoneNumber)
    try:
        path, number = customers.parse_identity(ctype, req)
    except InputValidation as exc:
        errors += exc.field_errors
    birth_key = "birthDate" if req.birthDate not in (None, "") else "birthday"
    try:
        birth = customers.parse_birth_date(birth_key, getattr(req, birth_key), agent.today())
    except InputValidation as exc:
        errors += exc.field_errors
    consents = list(dict.fromkeys(req.approvedConsentTypes or []))
    if errors:
        raise InputValidation("One or more fields are invalid.", field_errors=errors)
    assert number and phone
    customer = customers.find_by_identity(agent, ctype, number)
    created = customer is None
    if customer is None:
        if ctype != "company" and birth is None:
            raise field_error("birthDate", "is required when the customer registers for the first time", None,
                              code="BIRTH_DATE_REQUIRED")
        customer = customers.new_customer(agent, ctype=ctype, number=number, channel="WEBSITE", created_by=None,
                                          birth_date=birth, phone=phone, branch_id=req.agentBranchId or None)
    else:
        if birth is not None and customer.birth_date is not None and birth != customer.birth_date:
            raise field_error(birth_key, "does not match the birth date registered for this identity number", None,
                              code="CUSTOMER_BIRTH_DATE_MISMATCH")
        if customer.phone is not None and customer.phone.number != phone.number:
            raise field_error("phoneNumber", "does not match the phone number registered for this customer", None,
                              code="CUSTOMER_PHONE_MISMATCH")
        if customer.phone is None:
            customer.phone = phone
            agent.customers.changed(customer)
        if customer.birth_date is None and birth is not None:
            customer.birth_date = birth
    try:
        session = None if agent.fixture.customer_mfa == "own-provider" else send_otp(
            agent, subject=customer.id, kind=CUSTOMER, phone=phone.number, purpose="customer-login")
    except Upstream:
        if created:
            customers.delete(agent, customer)
        raise
    if created:
        for item in consents:
            customer.consents[item.upper()] = Consent(item.upper(), True, "WEB", agent.now())
        customers.announce_created(agent, customer)
    else:
        for item in consents:
            customers.set_consent(agent, customer, item.upper(), True, "WEB")
    return customer, session, created


def customer_verify(sandbox: "Sandbox", req: "VerifyMfaRequest", issuer: str) -> tuple["Agent", str, TokenPair]:
    agent, session = _session(sandbox, req.login_token)
    if session.kind != CUSTOMER:
        raise BadRequest("This token belongs to an agent-user login.", codes=["MFA_TOKEN_INVALID"])
    check_otp(agent, session, req.code)
    if session.subject not in agent.customers:
        raise BadRequest("The customer of this login no longer exists.", codes=["CUSTOMER_NOT_FOUND"])
    return agent, session.subject, issue(agent, CUSTOMER, session.subject, issuer)


def refresh(sandbox: "Sandbox", req: "RefreshRequest", issuer: str, kind: str) -> tuple["Agent", str, TokenPair]:
    """Rotate: the presented refresh token is spent, a new pair is issued."""
    token = req.refreshToken
    agent_id = sandbox.grant_index.get(token)
    agent = sandbox.agents.get(agent_id) if agent_id else None
    grant = agent.refresh_grants.get(token) if agent else None
    if agent is None or grant is None or grant.kind != kind:
        raise Unauthorized("Unknown refresh token; log in again.", codes=["REFRESH_TOKEN_INVALID"])
    if grant.used:
        raise Unauthorized("This refresh token was already used; refresh tokens rotate, store the new one.",
                           codes=["REFRESH_TOKEN_REUSED"])
    if agent.now() > grant.expires_at:
        raise Unauthorized("The refresh token has expired; log in again.", codes=["REFRESH_TOKEN_EXPIRED"])
    grant.used = True
    if kind == CUSTOMER and grant.subject not in agent.customers:
        raise Unauthorized("The customer no longer exists.", codes=["CUSTOMER_NOT_FOUND"])
    return agent, grant.subject, issue(agent, kind, grant.subject, issuer)


# ----------------------------------------------------------------------------- agent users
def agent_user_by_password(sandbox: "Sandbox", email: Any, password: Any) -> tuple["Agent", Any]:
    """The active agent user with this e-mail and password (REST login and the OIDC login page)."""
    agent = sandbox.agent_by_email(email) if isinstance(email, str) and email else None
    user = next((u for u in agent.agent_users.values() if u.email.lower() == email.lower()), None) if agent else None
    if agent is None or user is None or not user.password or not isinstance(password, str) \
            or not same_secret(password, user.password):
        raise Unauthorized("Wrong e-mail or password.", codes=["INVALID_CREDENTIALS"])
    if not user.active:
        raise AccessDenied("This agent user is deactivated.", codes=["AGENT_USER_INACTIVE"])
    user.last_login_at = agent.now()
    return agent, user


def agent_user_login(sandbox: "Sandbox", req: "AgentUserLoginRequest", issuer: str) -> dict[str, Any]:
    agent, user = agent_user_by_password(sandbox, req.email, req.password)
    if user.two_factor:
        session = send_otp(agent, subject=user.id, kind=AGENT_USER, phone=user.phone, purpose="agent-user-login")
        sandbox.grant_index[f"user:{user.id}"] = agent.id
        return _render_agent_login(Login(user.id, None, session.token))
    return _render_agent_login(Login(user.id, issue(agent, AGENT_USER, user.id, issuer)))


def agent_user_verify(sandbox: "Sandbox", req: "AgentUserVerifyRequest", issuer: str) -> dict[str, Any]:
    """``{userId, code}`` as documented, or ``{token, code}``: the latest open session of the user."""
    if req.token:
        agent, session = _session(sandbox, req.token)
    else:
        user_id = req.userId
        if not user_id:
            raise field_error("userId", "is required (from the login response)", None)
        agent_id = sandbox.grant_index.get(f"user:{user_id}")
        agent = sandbox.agents.get(agent_id) if agent_id else None
        sessions = [s for s in (agent.otp_sessions.values() if agent else []) if s.subject == user_id and s.kind == AGENT_USER]
        if agent is None or not sessions:
            raise BadRequest("No pending two-factor login for this user; log in first.", codes=["MFA_TOKEN_INVALID"])
        session = max(sessions, key=lambda s: s.created_at)
    if session.kind != AGENT_USER:
        raise BadRequest("This token belongs to a customer login.", codes=["MFA_TOKEN_INVALID"])
    check_otp(agent, session, req.code)
    return issue(agent, AGENT_USER, session.subject, issuer).wire(userId=session.subject)


# ----------------------------------------------------------------------------- service accounts
@dataclass(slots=True)
class Grant:
    """What the OAuth token endpoint issued (``TokenGrant``); ``jti`` is the access token's id."""

    access_token: str
    expires_in: int
    scope: str
    refresh_token: str | None = None
    id_token: str | None = None
    jti: str | None = None


render_grant = renderer(TokenGrant, Grant, token_type=Const("Bearer"), refresh_token=From(optional=True),
                        id_token=From(optional=True))


class OAuthError(Exception):
    """RFC 6749 error: rendered as ``{error, error_description}``, not as a problem body."""

    def __init__(self, status: int, error: str, description: str):
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


def client_credentials(sandbox: "Sandbox", form: dict[str, str], credentials: tuple[str | None, str | None],
                       issuer: str) -> Grant:
    """``credentials``: the client's id and secret, from HTTP Basic or the form (``oidc_routes.client_auth``)."""
    grant = form.get("grant_type")
    if not grant:
        raise OAuthError(400, "invalid_request", "grant_type is required")
    if grant != "client_credentials":
        raise OAuthError(400, "unsupported_grant_type",
                         f"grant_type '{grant}' is not supported; use client_credentials, authorization_code "
                         "or refresh_token")
    client_id, secret = credentials
    if not client_id or not secret:
        raise OAuthError(400, "invalid_request", "client_id and client_secret are required")
    agent = sandbox.agent_by_client_id(client_id)
    account = agent.service_accounts.get(client_id) if agent else None
    if agent is None or account is None or not same_secret(secret, account.client_secret):
        raise OAuthError(401, "invalid_client", "unknown client or wrong client secret")
    if not account.active:
        raise OAuthError(400, "unauthorized_client", "the OAuth client is deactivated")
    if 1 not in account.grant_types:
        raise OAuthError(400, "unauthorized_client", "the OAuth client is not allowed the client_credentials grant "
                                                     "(its grantTypes)")
    asked, refused = scopes.requested(form.get("scope") or (" ".join(account.scopes) if account.scopes else None))
    if refused:
        raise OAuthError(400, "invalid_scope", f"{' '.join(refused)}: not a scope a service account can be granted; "
                                               f"ask for core-api or any of {' '.join(scopes.GRANTABLE)}")
    beyond = [s for s in asked if account.scopes and s not in account.scopes and s not in scopes.STANDARD]
    if beyond:
        raise OAuthError(400, "invalid_scope", f"{' '.join(beyond)}: not granted to this OAuth client "
                                               f"(it has {' '.join(account.scopes)})")
    granted = " ".join(asked)
    pair = issue(agent, SERVICE_ACCOUNT, account.id, issuer, refresh=False, scope=granted)
    return Grant(pair.access_token, pair.expires_in, granted, jti=pair.token_id)


# ----------------------------------------------------------------------------- request check
def authenticate(sandbox: "Sandbox", header: str | None) -> tuple["Agent", Principal]:
    if not header:
        raise Unauthorized("Missing bearer token.", codes=["UNAUTHORIZED"],
                           headers={"WWW-Authenticate": 'Bearer realm="insurup-sandbox"'})
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("The Authorization header must be 'Bearer <token>'.", codes=["UNAUTHORIZED"],
                           headers={"WWW-Authenticate": 'Bearer realm="insurup-sandbox"'})
    principal = sandbox.authority.decode(token)
    if principal is None:
        raise Unauthorized("The bearer token is not valid.", codes=["INVALID_TOKEN"],
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    agent = sandbox.agents.get(principal.agent_id)
    if agent is None or agent.generation != principal.generation:
        raise Unauthorized("The token's agent was reset or deleted; log in again.", codes=["INVALID_TOKEN"],
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    if principal.token_id in agent.revoked_tokens:
        raise Unauthorized("The access token was revoked.", codes=["TOKEN_REVOKED"],
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token", error_description="revoked"'})
    if agent.now() >= principal.expires_at:
        exc = Unauthorized("The access token has expired; refresh it.", codes=["TOKEN_EXPIRED"],
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token", error_description="expired"'})
        exc.agent = agent  # type: ignore[attr-defined]  # the call is the agent's: its journal keeps it
        exc.expires_at = principal.expires_at  # type: ignore[attr-defined]  # (certification reads it)
        raise exc
    if principal.kind == CUSTOMER and principal.subject not in agent.customers:
        raise Unauthorized("The customer of this token no longer exists.", codes=["INVALID_TOKEN"])
    if principal.kind == AGENT_USER:
        user = agent.agent_users.get(principal.subject)
        if user is None:
            raise Unauthorized("The agent user of this token was deleted.", codes=["INVALID_TOKEN"])
        if not user.active:
            raise AccessDenied("This agent user is deactivated.", codes=["AGENT_USER_INACTIVE"])
    if principal.kind == SERVICE_ACCOUNT:
        account = next((a for a in agent.service_accounts.values() if a.id == principal.subject), None)
        if account is None:
            raise Unauthorized("The service account of this token was deleted.", codes=["INVALID_TOKEN"])
        if not account.active:
            raise AccessDenied("The service account is deactivated.", codes=["SERVICE_ACCOUNT_INACTIVE"])
    return agent, principal
