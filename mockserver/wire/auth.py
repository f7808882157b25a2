"""Logging in: customers by SMS code, agent users by password and second factor, OAuth 2.0 and OpenID Connect (tokens, discovery, keys, userinfo, introspection)."""


from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field

from mockserver.wire.base import Strict, Wire, one_of_required
from mockserver.wire.common import ClientIdText, CustomerIdentityIn, DateText, HttpUrlText, MobileIn, NameText, Query


class CustomerLoginResponse(Strict):
    """With InsurUp's SMS: ``token`` for verify-mfa, ``expiresIn`` the code's lifetime. For an agent
    whose fixture says ``customerMfa: own-provider``: ``requiresTwoFactor`` false, ``token`` null
    and the tokens verify-mfa would answer."""

    customerId: str
    token: str | None
    requiresTwoFactor: bool
    isNewCustomer: bool
    expiresIn: int
    accessToken: str | None = None
    refreshToken: str | None = None
    tokenType: Literal["Bearer"] | None = None


class TokenResponse(Strict):
    accessToken: str
    refreshToken: str | None
    expiresIn: int
    tokenType: Literal["Bearer"]
    customerId: str | None = None
    userId: str | None = None
    requiresTwoFactor: bool | None = None


class AgentUserLoginResponse(Strict):
    accessToken: str | None
    refreshToken: str | None
    expiresIn: int | None
    tokenType: Literal["Bearer"] | None = None
    requiresTwoFactor: bool
    userId: str
    token: str | None = None


class PermissionOut(Strict):
    permission: str
    scope: Literal["All", "Own", "Branch"]


class RoleOut(Strict):
    id: str
    name: str
    isOwner: bool


class AgentBranchRef(Strict):
    id: str
    name: str | None
    parentId: str | None
    parentName: str | None


class AgentUserMe(Strict):
    id: str
    email: str | None
    firstName: str | None
    lastName: str | None
    isServiceAccount: bool
    serviceAccountName: str | None
    clientId: str | None
    agentId: str
    agentName: str
    status: Literal["Active", "Pending", "Passive"]
    role: RoleOut | None = Field(description="null once the user's role was deleted")
    roles: list[str] = Field(description="The role's name (the SDK's list of role names)")
    permissions: list[str] = Field(description="Permission names (the SDK's string list); scopes in permissionScopes")
    permissionScopes: list[PermissionOut] = Field(description="Each permission with its scope: All, Own or Branch")
    branches: list[AgentBranchRef]


def _consent_type(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


class CustomerLoginRequest(CustomerIdentityIn):
    model_config = ConfigDict(json_schema_extra=one_of_required(("identityNumber", "taxNumber")))

    birthDate: DateText | None = Field(None, description="YYYY-MM-DD; required only on first registration")
    birthday: DateText | None = Field(None, description="dd.mm.yyyy (variant A); same meaning as birthDate")
    phoneNumber: MobileIn
    agentId: str | None = Field(None, description="Required: without it the call is refused with 401 AGENT_ID_REQUIRED")
    agentBranchId: str | None = None
    approvedConsentTypes: Annotated[list[Annotated[Literal["KVKK", "ETK"], BeforeValidator(_consent_type)]],
                                    Field(max_length=10)] | None = Field(None, description="KVKK, ETK (any case)")


class VerifyMfaRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("token", "mfaToken")))

    token: str | None = Field(None, description="The login response's token")
    mfaToken: str | None = Field(None, description="Same as token")
    code: str | int = Field(description="The 6-digit code from the SMS")

    @property
    def login_token(self) -> str | None:
        return self.token if self.token is not None else self.mfaToken


class RefreshRequest(Wire):
    refreshToken: Annotated[str, Field(min_length=1)]


class AgentUserLoginRequest(Wire):
    email: Annotated[str, Field(min_length=1)]
    password: Annotated[str, Field(min_length=1)]


class AgentUserVerifyRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("userId", "token")))

    userId: str | None = None
    token: str | None = None
    code: str | int


class TokenRequest(Wire):
    """``application/x-www-form-urlencoded``; client credentials may come as HTTP Basic instead."""

    grant_type: Annotated[str, Field(min_length=1)] = Field(
        description="client_credentials, authorization_code or refresh_token")
    client_id: str | None = None
    client_secret: str | None = None
    scope: str | None = Field(None, description="core-api (client_credentials)")
    code: str | None = Field(None, description="authorization_code: the code the redirect carried")
    redirect_uri: str | None = Field(None, description="authorization_code: the one sent to /connect/authorize")
    code_verifier: str | None = Field(None, description="authorization_code: the PKCE verifier (43-128 characters)")
    refresh_token: str | None = Field(None, description="refresh_token: the last one issued (they rotate)")


class LoginForm(Wire):
    request: str = Field(description="the signed authorization request the login page carries")
    email: str | None = None
    password: str | None = None
    login: str | None = Field(None, description="two-factor and consent steps: the signed login")
    code: str | None = Field(None, description="two-factor step: the SMS code")
    decision: str | None = Field(None, description="consent step: allow or deny")


class TokenForm(Wire):
    """``/connect/introspect`` and ``/connect/revoke``: the token, and the client's credentials."""

    token: str | None = None
    token_type_hint: str | None = Field(None, description="access_token or refresh_token")
    client_id: str | None = None
    client_secret: str | None = None


class OAuthClientRequest(Wire):
    """An OAuth client, as the Agent Panel registers it ("OAuth İstemcileri")."""

    clientId: ClientIdText
    displayName: NameText | None = None
    clientType: Literal["Public", "Confidential"] = "Public"
    clientSecret: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        None, description="Confidential only; generated when not given, shown once")
    redirectUris: Annotated[list[HttpUrlText], Field(min_length=1, max_length=20)] = Field(
        description="Where logins return, matched exactly")
    postLogoutRedirectUris: Annotated[list[HttpUrlText], Field(max_length=20)] | None = None
    scopes: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=40)] | None = Field(
        None, description="default: openid profile offline_access core-api")
    requirePar: bool = False


class TokenGrant(Strict):
    access_token: str
    expires_in: int
    token_type: Literal["Bearer"]
    scope: str
    refresh_token: str | None = Field(None, description="The code and refresh grants, with offline_access")
    id_token: str | None = Field(None, description="The code grant with the openid scope")


class UserInfo(Strict):
    sub: str
    name: str
    given_name: str
    family_name: str
    email: str
    email_verified: bool
    agent_id: str
    agent_name: str


class Introspection(Strict):
    """RFC 7662: ``active`` alone when the token is unknown, expired, used or revoked."""
    active: bool
    token_type: Literal["access_token", "refresh_token"] | None = None
    sub: str | None = None
    scope: str | None = None
    client_id: str | None = None
    agent_id: str | None = None
    principal_type: str | None = None
    exp: int | None = None
    jti: str | None = None


class PushedAuthorization(Strict):
    request_uri: str
    expires_in: int


class OAuthClientOut(Strict):
    clientId: str
    displayName: str
    clientType: Literal["Public", "Confidential"]
    redirectUris: list[str]
    postLogoutRedirectUris: list[str]
    scopes: list[str]
    requirePar: bool
    clientSecret: str | None = Field(None, description="Shown once, when a confidential client is registered")


class OAuthErrorOut(Strict):
    error: str
    error_description: str


class OpenIdConfiguration(Strict):
    issuer: str
    token_endpoint: str
    jwks_uri: str
    authorization_endpoint: str
    userinfo_endpoint: str
    end_session_endpoint: str
    introspection_endpoint: str
    revocation_endpoint: str
    pushed_authorization_request_endpoint: str
    grant_types_supported: list[str]
    response_types_supported: list[str]
    response_modes_supported: list[str]
    code_challenge_methods_supported: list[str]
    authorization_response_iss_parameter_supported: bool
    subject_types_supported: list[str]
    scopes_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]
    id_token_signing_alg_values_supported: list[str]
    claims_supported: list[str]


class Jwk(Strict):
    kty: Literal["RSA"]
    use: Literal["sig"]
    alg: Literal["RS256"]
    kid: str
    n: str
    e: str


class Jwks(Strict):
    keys: list[Jwk]


class EcJwk(Strict):
    kty: Literal["EC"]
    crv: Literal["P-256"]
    x: str
    y: str
    kid: str
    use: Literal["sig"]
    alg: Literal["ES256"]


class AuthorizeQuery(Query):
    """``/connect/authorize`` (and the body of ``/connect/par``)."""

    response_type: str | None = Field(None, description="code")
    client_id: str | None = None
    redirect_uri: str | None = Field(None, description="registered for the client, matched exactly")
    scope: str | None = Field(None, description="e.g. openid profile offline_access core-api")
    state: str | None = None
    nonce: str | None = None
    code_challenge: str | None = Field(None, description="BASE64URL(SHA-256(code_verifier)); required of public clients")
    code_challenge_method: str | None = Field(None, description="S256")
    request_uri: str | None = Field(None, description="from /connect/par")
    prompt: str | None = Field(None, description="login (always met) or none: login_required, as there is no session")
    login_hint: str | None = Field(None, description="fills the e-mail field of the login page")


class LogoutQuery(Query):
    id_token_hint: str | None = None
    post_logout_redirect_uri: str | None = Field(None, description="registered for the client")
    client_id: str | None = None
    state: str | None = None
