"""The agency: its users, branches, roles and OAuth clients, and its settings (profile, SMS and call-center options, case assignment and priority rules)."""


from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Discriminator, Field, Tag

from mockserver.wire.base import Shape, Strict, Wire, one_of_required
from mockserver.wire.auth import AgentBranchRef, PermissionOut
from mockserver.wire.common import ClientIdText, EmailText, OptionalEmail, HttpUrlText, EnumName, EnumNames, NameText, OptionalMobile, PhoneIn, PhoneNumberOut, Query, ShortText


_ID = Annotated[str, Field(max_length=64)]
RobotMode = Literal["NONE", "DESKTOP", "SERVER"]  # how the agency's robot (RPA) quotes run


def _strong(password: Any) -> Any:
    if isinstance(password, str) and not (len(password) >= 8 and any(c.isalpha() for c in password)
                                          and any(c.isdigit() for c in password)):
        raise ValueError("must be at least 8 characters with a letter and a digit")
    return password


StrongPassword = Annotated[str, Field(min_length=8, max_length=200, pattern=r"^(.*[A-Za-z].*[0-9].*|.*[0-9].*[A-Za-z].*)$",
                                      description="At least 8 characters, a letter and a digit"), BeforeValidator(_strong)]


class _UserRights(Wire):
    """A user's role and branches, under every name clients send them."""
    roleId: _ID | None = Field(None, description="GET /api/agent-roles; none: no rights")
    roleIds: list[_ID] | None = Field(None, description="The first is the user's role")
    roles: list[Annotated[str, Field(max_length=200)]] | None = Field(
        None, description="Role names (the SDK's); the sandbox gives a user one role")
    agentBranchIds: list[_ID] | None = None
    agentBranchId: _ID | None = None
    isTwoFactorEnabled: bool | None = Field(None, description="Logins then need the SMS code")
    twoFactorEnabled: bool | None = Field(None, description="Same as isTwoFactorEnabled (the SDK's name)")

    @property
    def role_id(self) -> str | None:
        return self.roleId or (self.roleIds or [None])[0]

    @property
    def branch_ids(self) -> list[str] | None:
        return self.agentBranchIds if self.agentBranchIds is not None else (
            [self.agentBranchId] if self.agentBranchId else None)

    @property
    def two_factor(self) -> bool | None:
        return self.isTwoFactorEnabled if self.isTwoFactorEnabled is not None else self.twoFactorEnabled


class AgentUserInvite(_UserRights):
    email: EmailText = Field(description="Where the invitation is sent")
    firstName: NameText
    lastName: NameText
    phoneNumber: OptionalMobile = Field(
        None, description="The user's mobile (5XXXXXXXXX): the SMS code of a two-factor login goes there")

    model_config = ConfigDict(json_schema_extra=one_of_required(("email",), ("firstName",), ("lastName",),
                                                                x_error_code="AGENT_USER_INVALID"))


class AgentUserUpdate(_UserRights):
    """``PUT agent-users/{id}`` and ``PUT agent-users/me`` (which ignores role and branches); absent fields are kept."""
    id: _ID | None = Field(None, description="Must equal the path's, when given")
    firstName: NameText | None = None
    lastName: NameText | None = None
    phoneNumber: OptionalMobile = None


class AcceptInvite(Wire):
    code: Annotated[str, Field(min_length=1, max_length=200)] = Field(description="From the invitation e-mail")
    password: StrongPassword
    firstName: NameText | None = None
    lastName: NameText | None = None
    phoneNumber: OptionalMobile = None

    model_config = ConfigDict(json_schema_extra=one_of_required(("code",), ("password",),
                                                                x_error_code="AGENT_USER_INVALID"))


class PasswordChange(Wire):
    currentPassword: Annotated[str, Field(max_length=200)] | None = None
    oldPassword: Annotated[str, Field(max_length=200)] | None = Field(None, description="Another name of currentPassword")
    newPassword: StrongPassword | None = None
    password: StrongPassword | None = Field(None, description="Another name of newPassword")

    model_config = ConfigDict(json_schema_extra=one_of_required(("currentPassword", "oldPassword"),
                                                                ("newPassword", "password"),
                                                                x_error_code="AGENT_USER_PASSWORD_INVALID"))

    @property
    def current(self) -> str | None:
        return self.currentPassword or self.oldPassword

    @property
    def new(self) -> str | None:
        return self.newPassword or self.password


class AgentUserOut(Strict):
    id: str
    email: str
    firstName: str
    lastName: str
    phoneNumber: str | None
    status: Literal["Active", "Pending", "Passive"]
    isActive: bool
    isTwoFactorEnabled: bool
    twoFactorEnabled: bool
    roleId: str | None
    roleName: str | None
    roles: list[str] = Field(description="The role's name (the SDK's list of role names)")
    permissions: list[str] = Field(description="What the role allows (the SDK's string list)")
    agentName: str
    callCenterImplementation: str = Field(description="None (no call-center integration in the sandbox)")
    isOwner: bool
    agentBranchIds: list[str]
    agentBranches: list[AgentBranchRef]
    createdAt: str
    lastLoginAt: str | None


class InviteCheck(Strict):
    isValid: bool
    email: str
    firstName: str
    lastName: str
    agentId: str
    agentName: str
    expiresAt: str


class RobotCode(Strict):
    robotCode: str
    agentUserId: str


class AgentBranchRequest(Wire):
    id: Annotated[str, Field(max_length=64)] | None = Field(None, description="Must equal the path's, when given")
    name: NameText | None = None
    parentId: Annotated[str, Field(max_length=64)] | None = Field(None, description="The parent branch; none: a root")
    parentBranchId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Same as parentId (the SDK's)")

    model_config = ConfigDict(json_schema_extra=one_of_required(("name",), x_error_code="AGENT_BRANCH_INVALID"))


class AgentBranchUpdate(AgentBranchRequest):
    model_config = ConfigDict(json_schema_extra=None)


class AgentBranchOut(Strict):
    id: str
    name: str | None
    parentId: str | None
    parentBranchId: str | None = Field(description="Same as parentId (the SDK's name)")
    parentName: str | None
    children: list[str]
    createdAt: str
    updatedAt: str


# the permission names: the reference's four read permissions, and the user guide's role categories
PERMISSIONS: dict[str, str] = {
    "customers:read": "Müşteri görüntüleme",
    "customers:write": "Müşteri ekleme ve düzenleme",
    "cases:read": "Fırsat ve talep görüntüleme",
    "cases:write": "Fırsat ve talep açma, güncelleme",
    "proposals:read": "Teklif görüntüleme",
    "proposals:create": "Teklif oluşturma",
    "policies:read": "Poliçe görüntüleme",
    "policies:purchase": "Poliçe satın alma, iptal",
    "coverage-groups:read": "Teminat grubu görüntüleme",
    "coverage-groups:write": "Teminat grubu düzenleme",
    "agent-users:manage": "Acente kullanıcı yönetimi",
    "agent-roles:manage": "Acente rol yönetimi",
    "agency:manage": "Acente ayarları, eklentiler ve şablonlar",
}
PermissionName = Literal[tuple(PERMISSIONS)]  # type: ignore[valid-type]

class RolePermissionIn(Wire):
    permission: PermissionName
    scope: Literal["All", "Own", "Branch"] | None = Field(None, description="All (the default), Own or Branch")


# a permission's name alone (scope All), or the object; a name's error is reported at .permission as the
# object's is
RolePermission = Annotated[Annotated[PermissionName, Tag("permission")] | Annotated[RolePermissionIn, Tag("object")],
                           Discriminator(lambda v: "permission" if isinstance(v, str) else "object")]


class AgentRoleRequest(Wire):
    id: Annotated[str, Field(max_length=64)] | None = Field(None, description="Must equal the path's, when given")
    name: NameText | None = None
    roleName: NameText | None = Field(None, description="Same as name (the SDK's CreateAgentRoleRequest)")
    permissions: Annotated[list[RolePermission], Field(max_length=50)] | None = Field(
        None, description="Permission names (scope All) or {permission, scope}")

    model_config = ConfigDict(json_schema_extra=one_of_required(("name", "roleName"), x_error_code="AGENT_ROLE_INVALID"))


class AgentRoleUpdate(AgentRoleRequest):
    model_config = ConfigDict(json_schema_extra=None)


class AgentRoleOut(Strict):
    id: str
    name: str
    isOwner: bool
    permissions: list[str] = Field(description="Permission names (the SDK's string list); scopes in permissionScopes")
    permissionScopes: list[PermissionOut] = Field(description="Each permission with its scope: All, Own or Branch")
    userCount: int
    createdAt: str
    updatedAt: str | None = Field(description="null until the role is changed")
    createdById: str | None
    createdByName: str | None
    updatedById: str | None
    updatedByName: str | None


_URLS = Annotated[list[HttpUrlText], Field(max_length=20)]
_CLIENT_TYPES = {"Confidential": 0, "Public": 1}
_APPLICATION_TYPES = {"Web": 0, "Native": 1}
_GRANTS = {"AuthorizationCode": 0, "ClientCredentials": 1, "RefreshToken": 2, "authorization_code": 0,
           "client_credentials": 1, "refresh_token": 2}


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):  # (True == 1 would match the literal)
        raise ValueError("must be a number or a name, not true or false")
    return value


def _number_of(names: dict[str, int]) -> AfterValidator:
    """An enum the SDK sends as its number (0, 1) or its name (Confidential, Public): the number."""
    return AfterValidator(lambda value: names.get(value, value))


ClientType = Annotated[Literal[0, 1, "Confidential", "Public"], BeforeValidator(_not_bool), _number_of(_CLIENT_TYPES)]
ApplicationType = Annotated[Literal[0, 1, "Web", "Native"], BeforeValidator(_not_bool), _number_of(_APPLICATION_TYPES)]
GrantType = Annotated[Literal[0, 1, 2, "AuthorizationCode", "ClientCredentials", "RefreshToken", "authorization_code",
                              "client_credentials", "refresh_token"], BeforeValidator(_not_bool), _number_of(_GRANTS)]


class ApiClientRequest(Wire):
    """The SDK's CreateOAuthClientRequest (and UpdateOAuthClientRequest), or the sandbox's ``{name, scopes}``."""

    clientId: ClientIdText | None = Field(
        None, description="The client_id to use; omitted: the sandbox makes one")
    clientSecret: Annotated[str, Field(min_length=16, max_length=200)] | None = Field(
        None, description="A confidential client's (16+ characters); omitted: made and shown once")
    displayName: NameText | None = None
    name: NameText | None = Field(None, description="Another name of displayName")
    clientName: NameText | None = Field(None, description="Another name of displayName")
    clientType: ClientType | None = Field(None, description="0 Confidential (default), 1 Public")
    applicationType: ApplicationType | None = Field(
        None, description="0 Web (exact redirects), 1 Native (a loopback redirect on any port)")
    grantTypes: Annotated[list[GrantType], Field(min_length=1, max_length=3)] | None = Field(
        None, description="0 AuthorizationCode (Login with InsurUp), 1 ClientCredentials (default), 2 RefreshToken")
    scopes: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=40)] | None = Field(
        None, description="core-api (default) or granular scopes; openid, profile, email, offline_access for logins")
    redirectUris: _URLS | None = None
    postLogoutRedirectUris: _URLS | None = None
    requirePushedAuthorizationRequests: bool | None = None
    id: Annotated[str, Field(max_length=64)] | None = Field(None, description="PUT: must be the client's, when given")
    isActive: bool | None = Field(None, description="PUT: false stops new tokens and logins; live ones answer 403")

    model_config = ConfigDict(json_schema_extra=one_of_required(("displayName", "name", "clientName", "clientId"),
                                                                x_error_code="OAUTH_CLIENT_INVALID"))

    @property
    def display_name(self) -> str | None:
        return self.displayName or self.name or self.clientName


class ApiClientUpdate(ApiClientRequest):
    model_config = ConfigDict(json_schema_extra=None)


class ApiClientOut(Strict):
    id: str
    applicationId: str
    clientId: str
    name: str
    displayName: str
    isActive: bool
    clientType: int = Field(description="0 Confidential, 1 Public")
    applicationType: int = Field(description="0 Web, 1 Native")
    grantTypes: list[int] = Field(description="0 AuthorizationCode, 1 ClientCredentials, 2 RefreshToken")
    scopes: list[str]
    redirectUris: list[str]
    postLogoutRedirectUris: list[str]
    requirePushedAuthorizationRequests: bool
    clientSecret: str | None = Field(description="Only in the answer that creates the client, when the sandbox made it")
    createdAt: str


class RuleArguments(Shape):
    """A rule's extra conditions (the sandbox's keys; the domain refuses any other key, naming it,
    with the body's other problems)."""

    openForMoreThanDays: Annotated[int, Field(ge=0, le=3650)] | None = Field(None, description="An open case older "
                                                                                              "than this many days")
    withoutProposal: bool | None = Field(None, description="true: no proposal yet; false: one at least")
    withAsset: bool | None = Field(None, description="true: a vehicle or property is linked; false: none")


class RuleArgumentsIn(RuleArguments):
    """A rule's arguments as sent: a key the sandbox does not know is kept, for the domain to name it
    with the body's other problems."""

    model_config = ConfigDict(extra="allow")



class SmsDefault(Shape):
    implementation: Literal["Default"]


class SmsTeknomart(Shape):
    implementation: Literal["Teknomart"]
    sender: NameText
    username: NameText
    password: NameText


class SmsArtiKurumsal(Shape):
    implementation: Literal["ArtiKurumsal"]
    companyCode: NameText
    username: NameText
    password: NameText
    originator: NameText


class SmsVerimor(Shape):
    implementation: Literal["Verimor"]
    username: NameText
    password: NameText
    sourceAddr: NameText


SmsOptions = Annotated[SmsDefault | SmsTeknomart | SmsArtiKurumsal | SmsVerimor,
                       Field(discriminator="implementation", description="The SDK's SmsAgentOptions")]


class CampaignKeyMapping(Shape):
    campaignKey: NameText
    productBranch: Annotated[str, Field(max_length=64)] | None = None
    caseType: Annotated[str, Field(max_length=64)] | None = None


class CallCenterNone(Shape):
    implementation: Literal["None"]
    tenant: NameText


class CallCenterAloTech(Shape):
    implementation: Literal["AloTech"]
    tenant: NameText
    clientSecret: NameText
    clientId: NameText
    listName: NameText
    campaignKeyMappings: Annotated[list[CampaignKeyMapping], Field(max_length=100)] = []


CallCenterOptions = Annotated[CallCenterNone | CallCenterAloTech,
                              Field(discriminator="implementation", description="The SDK's CallCenterAgentOptions")]


class CasePriorityRule(Wire):
    """A case priority rule: its ``score`` goes to the cases it matches (empty lists match any)."""

    name: ShortText | None = Field(None, description="Shown as the hit's ruleName and label")
    score: float | None = Field(None, description="-10000 to 10000")
    branches: EnumNames | None = Field(None, description="ProductBranch values")
    caseTypes: EnumNames | None = Field(None, description="SALE_OPPORTUNITY, ENDORSEMENT, CANCEL, COMPLAINT")
    saleOpportunityCaseSubTypes: EnumNames | None = None
    cancelCaseSubTypes: EnumNames | None = None
    endorsementCaseSubTypes: EnumNames | None = None
    complaintCaseSubTypes: EnumNames | None = None
    channels: EnumNames | None = None
    arguments: RuleArgumentsIn | None = None


class CasePriorityRuleOut(Strict):
    name: str
    score: float
    branches: list[str]
    caseTypes: list[str]
    saleOpportunityCaseSubTypes: list[str]
    cancelCaseSubTypes: list[str]
    endorsementCaseSubTypes: list[str]
    complaintCaseSubTypes: list[str]
    channels: list[str]
    arguments: RuleArguments


class AgentUpdate(Wire):
    """``PUT agents/me`` (the SDK's UpdateCurrentAgentRequest): the fields sent change, the others stay."""

    name: ShortText | None = None
    phoneNumber: PhoneIn | None = None
    email: OptionalEmail = Field(None, description="null (or \"\") clears it")
    robotMode: EnumName | None = Field(None, description="NONE, DESKTOP, SERVER")
    callCenterOptions: dict[str, Any] | None = Field(None, description="The SDK's CallCenterAgentOptions: "
                                                     "{implementation: None|AloTech, tenant, …}; checked by the domain "
                                                     "so every problem of the body is named in one answer")
    smsOptions: dict[str, Any] | None = Field(None, description="The SDK's SmsAgentOptions: {implementation: Default|"
                                              "Teknomart|ArtiKurumsal|Verimor, …its credentials}")
    caseRepresentativeAssignmentMode: EnumName | None = Field(None, description="NONE, RANDOM, ROUND_ROBIN, "
                                                                            "BRANCH_IMPORTANCE_BALANCE")
    caseRepresentativeAssignmentAllowedRoles: Annotated[list[ShortText], Field(max_length=200)] | None = Field(
        None, description="Role names whose users new cases go to; empty: every active user")
    casePriorityRuleDefinitions: Annotated[list[CasePriorityRule], Field(max_length=50)] | None = None


class AgentOut(Strict):
    id: str
    name: str
    market: str
    insuranceCompanyConnectionCount: int
    agentUserCount: int
    agentBranchCount: int
    plateNo: str | None
    taxNumber: str
    phoneNumber: PhoneNumberOut | None = Field(description="The contract's PhoneNumber, as PUT agents/me takes it")
    email: str | None
    robotMode: str
    callCenterOptions: CallCenterOptions | None
    smsOptions: SmsOptions | None
    caseRepresentativeAssignmentMode: str | None
    caseRepresentativeAssignmentAllowedRoles: list[str]
    casePriorityRuleDefinitions: list[CasePriorityRuleOut]


class PriorityTemplateOut(Strict):
    id: str
    name: str
    description: str
    rules: list[CasePriorityRuleOut] = Field(description="Copy them into PUT agents/me casePriorityRuleDefinitions")


class PriorityTemplatesOut(Strict):
    templates: list[PriorityTemplateOut]


class InviteCodeQuery(Query):
    code: Annotated[str, Field(max_length=200)] | None = Field(None, description="From the invitation e-mail")
