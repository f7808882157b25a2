"""Pydantic models of InsurUp's bodies as they are on the wire (camelCase, ``$type``).

They document the API (``contracts/openapi.json`` is generated from them), and tests validate
every body the sandbox renders against the response models, so the two cannot drift. Request
models list every accepted variant (``birthDate`` and ``birthday``, ``$type`` and ``type``, numbers
or strings); the domain does the semantic checks and names the offending field.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from mockserver.core.errors import FieldError, InputValidation
from mockserver.wire.base import Shape, Strict, Wire, non_null, one_of_present, one_of_required  # noqa: F401
from mockserver.wire.coverage import Coverage, CoverageChoice, CoverageChoices, CoverageOut  # noqa: F401


# ----------------------------------------------------------------------------- shared
class ValueText(Strict):
    value: str
    text: str


class PhoneOut(Strict):
    number: str
    countryCode: int
    areaCode: str
    numberWithoutAreaCode: str


class IdResponse(Strict):
    id: str


class ValidationErrorOut(Strict):
    propertyName: str
    errorMessage: str
    attemptedValue: str | int | float | bool | None = None


class Problem(Strict):
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    codes: list[str]
    validationErrors: list[ValidationErrorOut]
    suggestions: list[str]
    traceId: str
    message: str
    errors: list[str]


class UserReference(Strict):
    id: str
    name: str | None
    email: str | None = None
    userType: Literal["ADMIN_PANEL", "AGENT", "CUSTOMER"] | None = None


# ----------------------------------------------------------------------------- auth
class ReferenceIn(Wire):
    id: Annotated[str, Field(max_length=64)]


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


# ----------------------------------------------------------------------------- agency administration
_NAME = Annotated[str, Field(max_length=200)]


class PhoneIn(Wire):
    number: str | int
    countryCode: int | str = 90
    areaCode: str | None = None
    numberWithoutAreaCode: str | None = None


class AgentUserInvite(Wire):
    email: Annotated[str, Field(max_length=254)] = Field(description="Where the invitation is sent")
    firstName: _NAME
    lastName: _NAME
    phoneNumber: Annotated[str, Field(max_length=20)] | PhoneIn | None = Field(
        None, description="The user's mobile (5XXXXXXXXX): the SMS code of a two-factor login goes there")
    roleId: Annotated[str, Field(max_length=64)] | None = Field(None, description="GET /api/agent-roles; none: no rights")
    roleIds: list[Annotated[str, Field(max_length=64)]] | None = Field(None, description="The first is the user's role")
    roles: list[Annotated[str, Field(max_length=200)]] | None = Field(
        None, description="Role names (the SDK's); the sandbox gives a user one role")
    agentBranchIds: list[Annotated[str, Field(max_length=64)]] | None = None
    agentBranchId: Annotated[str, Field(max_length=64)] | None = None
    isTwoFactorEnabled: bool | None = Field(None, description="Logins then need the SMS code")
    twoFactorEnabled: bool | None = Field(None, description="Same as isTwoFactorEnabled (the SDK's name)")

    model_config = ConfigDict(json_schema_extra=one_of_required(("email",), ("firstName",), ("lastName",),
                                                                x_error_code="AGENT_USER_INVALID"))


class AgentUserUpdate(Wire):
    """``PUT agent-users/{id}`` and ``PUT agent-users/me`` (which ignores role and branches); absent fields are kept."""
    id: Annotated[str, Field(max_length=64)] | None = Field(None, description="Must equal the path's, when given")
    firstName: _NAME | None = None
    lastName: _NAME | None = None
    phoneNumber: Annotated[str, Field(max_length=20)] | PhoneIn | None = None
    roleId: Annotated[str, Field(max_length=64)] | None = None
    roleIds: list[Annotated[str, Field(max_length=64)]] | None = None
    roles: list[Annotated[str, Field(max_length=200)]] | None = Field(
        None, description="Role names (the SDK's); the sandbox gives a user one role")
    agentBranchIds: list[Annotated[str, Field(max_length=64)]] | None = None
    agentBranchId: Annotated[str, Field(max_length=64)] | None = None
    isTwoFactorEnabled: bool | None = None
    twoFactorEnabled: bool | None = Field(None, description="Same as isTwoFactorEnabled (the SDK's name)")


class AcceptInvite(Wire):
    code: Annotated[str, Field(max_length=200)] = Field(description="From the invitation e-mail")
    password: Annotated[str, Field(max_length=200)] = Field(description="At least 8 characters, a letter and a digit")
    firstName: _NAME | None = None
    lastName: _NAME | None = None
    phoneNumber: Annotated[str, Field(max_length=20)] | PhoneIn | None = None

    model_config = ConfigDict(json_schema_extra=one_of_required(("code",), ("password",),
                                                                x_error_code="AGENT_USER_INVALID"))


class PasswordChange(Wire):
    currentPassword: Annotated[str, Field(max_length=200)] | None = None
    oldPassword: Annotated[str, Field(max_length=200)] | None = Field(None, description="Another name of currentPassword")
    newPassword: Annotated[str, Field(max_length=200)] | None = None
    password: Annotated[str, Field(max_length=200)] | None = Field(None, description="Another name of newPassword")

    model_config = ConfigDict(json_schema_extra=one_of_required(("currentPassword", "oldPassword"),
                                                                ("newPassword", "password"),
                                                                x_error_code="AGENT_USER_PASSWORD_INVALID"))


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
    name: _NAME | None = None
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


class RolePermissionIn(Wire):
    permission: Annotated[str, Field(max_length=64)]
    scope: Literal["All", "Own", "Branch"] | None = None


class AgentRoleRequest(Wire):
    id: Annotated[str, Field(max_length=64)] | None = Field(None, description="Must equal the path's, when given")
    name: _NAME | None = None
    roleName: _NAME | None = Field(None, description="Same as name (the SDK's CreateAgentRoleRequest)")
    permissions: list[Annotated[str, Field(max_length=64)] | RolePermissionIn] | None = Field(
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


_URLS = Annotated[list[Annotated[str, Field(max_length=2000)]], Field(max_length=20)]


class ApiClientRequest(Wire):
    """The SDK's CreateOAuthClientRequest (and UpdateOAuthClientRequest), or the sandbox's ``{name, scopes}``."""

    clientId: Annotated[str, Field(max_length=100)] | None = Field(None, description="The client_id to use; "
                                                                                    "omitted: the sandbox makes one")
    clientSecret: Annotated[str, Field(max_length=200)] | None = Field(None, description="A confidential client's "
                                                                                        "(16+ characters); omitted: "
                                                                                        "made and shown once")
    displayName: _NAME | None = None
    name: _NAME | None = Field(None, description="Another name of displayName")
    clientName: _NAME | None = Field(None, description="Another name of displayName")
    clientType: int | Annotated[str, Field(max_length=20)] | None = Field(None, description="0 Confidential "
                                                                                           "(default), 1 Public")
    applicationType: int | Annotated[str, Field(max_length=20)] | None = Field(
        None, description="0 Web (exact redirects), 1 Native (a loopback redirect on any port)")
    grantTypes: Annotated[list[int | Annotated[str, Field(max_length=40)]], Field(max_length=3)] | None = Field(
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


_ENUM = Annotated[str, Field(max_length=64)]
_NAMES = Annotated[list[_ENUM], Field(max_length=20)]


class RuleArguments(Shape):
    """A rule's extra conditions (the sandbox's keys; the domain refuses any other key, naming it,
    with the body's other problems)."""

    openForMoreThanDays: Annotated[int, Field(ge=0, le=3650)] | None = Field(None, description="An open case older "
                                                                                              "than this many days")
    withoutProposal: bool | None = Field(None, description="true: no proposal yet; false: one at least")
    withAsset: bool | None = Field(None, description="true: a vehicle or property is linked; false: none")


_CREDENTIAL = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]


class SmsDefault(Shape):
    implementation: Literal["Default"]


class SmsTeknomart(Shape):
    implementation: Literal["Teknomart"]
    sender: _CREDENTIAL
    username: _CREDENTIAL
    password: _CREDENTIAL


class SmsArtiKurumsal(Shape):
    implementation: Literal["ArtiKurumsal"]
    companyCode: _CREDENTIAL
    username: _CREDENTIAL
    password: _CREDENTIAL
    originator: _CREDENTIAL


class SmsVerimor(Shape):
    implementation: Literal["Verimor"]
    username: _CREDENTIAL
    password: _CREDENTIAL
    sourceAddr: _CREDENTIAL


SmsOptions = Annotated[SmsDefault | SmsTeknomart | SmsArtiKurumsal | SmsVerimor,
                       Field(discriminator="implementation", description="The SDK's SmsAgentOptions")]


class CampaignKeyMapping(Shape):
    campaignKey: _CREDENTIAL
    productBranch: Annotated[str, Field(max_length=64)] | None = None
    caseType: Annotated[str, Field(max_length=64)] | None = None


class CallCenterNone(Shape):
    implementation: Literal["None"]
    tenant: _CREDENTIAL


class CallCenterAloTech(Shape):
    implementation: Literal["AloTech"]
    tenant: _CREDENTIAL
    clientSecret: _CREDENTIAL
    clientId: _CREDENTIAL
    listName: _CREDENTIAL
    campaignKeyMappings: Annotated[list[CampaignKeyMapping], Field(max_length=100)] = []


CallCenterOptions = Annotated[CallCenterNone | CallCenterAloTech,
                              Field(discriminator="implementation", description="The SDK's CallCenterAgentOptions")]


class CasePriorityRule(Wire):
    """A case priority rule: its ``score`` goes to the cases it matches (empty lists match any)."""

    name: _NAME | None = Field(None, description="Shown as the hit's ruleName and label")
    score: float | None = Field(None, description="-10000 to 10000")
    branches: _NAMES | None = Field(None, description="ProductBranch values")
    caseTypes: _NAMES | None = Field(None, description="SALE_OPPORTUNITY, ENDORSEMENT, CANCEL, COMPLAINT")
    saleOpportunityCaseSubTypes: _NAMES | None = None
    cancelCaseSubTypes: _NAMES | None = None
    endorsementCaseSubTypes: _NAMES | None = None
    complaintCaseSubTypes: _NAMES | None = None
    channels: _NAMES | None = None
    arguments: RuleArguments | None = None


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

    name: _NAME | None = None
    phoneNumber: PhoneIn | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    robotMode: _ENUM | None = Field(None, description="NONE, DESKTOP, SERVER")
    callCenterOptions: dict[str, Any] | None = Field(None, description="The SDK's CallCenterAgentOptions: "
                                                     "{implementation: None|AloTech, tenant, …}; checked by the domain "
                                                     "so every problem of the body is named in one answer")
    smsOptions: dict[str, Any] | None = Field(None, description="The SDK's SmsAgentOptions: {implementation: Default|"
                                              "Teknomart|ArtiKurumsal|Verimor, …its credentials}")
    caseRepresentativeAssignmentMode: _ENUM | None = Field(None, description="NONE, RANDOM, ROUND_ROBIN, "
                                                                            "BRANCH_IMPORTANCE_BALANCE")
    caseRepresentativeAssignmentAllowedRoles: Annotated[list[_NAME], Field(max_length=200)] | None = Field(
        None, description="Role names whose users new cases go to; empty: every active user")
    casePriorityRuleDefinitions: Annotated[list[CasePriorityRule], Field(max_length=50)] | None = None


# ----------------------------------------------------------------------------- a customer's contact details
class CustomerEmailRequest(Wire):
    email: Annotated[str, Field(max_length=254)] | None = None
    value: Annotated[str, Field(max_length=254)] | None = Field(None, description="Another name of email")
    isPrimary: bool | None = Field(None, description="Make it the primary e-mail (the first one always is)")

    model_config = ConfigDict(json_schema_extra=one_of_required(("email", "value"), x_error_code="CUSTOMER_EMAIL_INVALID"))


class CustomerEmailOut(Strict):
    email: str
    isPrimary: bool
    primary: bool = Field(description="Same as isPrimary (the SDK's name)")


class CustomerPhoneRequest(Wire):
    phoneNumber: Annotated[str, Field(max_length=20)] | PhoneIn | None = None
    number: Annotated[str, Field(max_length=20)] | None = Field(None, description="With countryCode, instead of phoneNumber")
    countryCode: int | None = None
    isPrimary: bool | None = Field(None, description="Make it the primary phone (the first one always is)")

    model_config = ConfigDict(json_schema_extra=one_of_required(("phoneNumber", "number"),
                                                                x_error_code="CUSTOMER_PHONE_INVALID"))


class PhoneNumberOut(Strict):
    """The SDK's ``{number, countryCode}``."""

    number: str
    countryCode: int


class CustomerPhoneOut(Strict):
    number: str
    countryCode: int
    areaCode: str
    numberWithoutAreaCode: str
    phoneNumber: PhoneNumberOut = Field(description="The SDK's form of the same number")
    isPrimary: bool
    primary: bool = Field(description="Same as isPrimary (the SDK's name)")


class CustomerAddressRequest(Wire):
    id: Annotated[str, Field(max_length=64)] | None = Field(None, description="PUT: must equal the path's, when given")
    type: Annotated[str, Field(max_length=20)] | None = Field(None, description="HOME (default), WORK, BILLING, "
                                                                               "TEMPORARY, OTHER, UNKNOWN")
    propertyNumber: int | Annotated[str, Field(max_length=10)] | None = Field(
        None, description="The SDK's form: a UAVT code; the address is read from it")
    cityReference: Annotated[str, Field(max_length=10)] | int | None = None
    districtReference: Annotated[str, Field(max_length=20)] | int | None = None
    addressText: Annotated[str, Field(max_length=500)] | None = None
    address: Annotated[str, Field(max_length=500)] | None = Field(None, description="Another name of addressText")
    postalCode: Annotated[str, Field(max_length=10)] | None = None
    isPrimary: bool | None = None

    model_config = ConfigDict(json_schema_extra=one_of_required(("addressText", "address", "propertyNumber"),
                                                                x_error_code="CUSTOMER_ADDRESS_INVALID"))


class CustomerAddressUpdate(CustomerAddressRequest):
    model_config = ConfigDict(json_schema_extra=None)


class RefOut(Strict):
    value: str
    text: str


class CustomerAddressOut(Strict):
    id: str
    customerId: str
    type: str
    isPrimary: bool
    city: RefOut | None
    district: RefOut | None
    addressText: str
    postalCode: str | None
    propertyNumber: int | None = Field(description="The UAVT code, when the address was given by one")
    address: AddressOut | None = Field(description="The UAVT address (the SDK's PropertyAddress), with propertyNumber")
    createdAt: str
    updatedAt: str


class AddressCreated(Strict):
    id: str
    addressId: str = Field(description="Same as id (the SDK's CreateCustomerAddressResult)")


class IdOut(Strict):
    id: str


class ContactFlowRequest(Wire):
    name: _NAME | None = None
    caseRef: Annotated[str, Field(max_length=40)] | None = Field(None, description="A case of the customer")

    model_config = ConfigDict(json_schema_extra=one_of_required(("name",), x_error_code="CONTACT_FLOW_INVALID"))


class EndContactFlowRequest(Wire):
    state: Literal["SUCCEEDED", "FAILED"] | None = Field(None, description="How it ended (SUCCEEDED)")


class CustomerContactRequest(Wire):
    flowId: Annotated[str, Field(max_length=64)] | None = Field(None, description="An active flow of the customer")
    contactFlowId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Same as flowId")
    plannedTime: Annotated[str, Field(max_length=40)] | None = Field(None, description="A later instant: the call is "
                                                                                     "PLANNED; otherwise it OCCURRED now")
    representativeId: Annotated[str, Field(max_length=64)] | None = Field(
        None, description="The agent user who calls (default: the caller, if an agent user)")


class ContactFlowOut(Strict):
    id: str
    name: str
    contactsCount: int
    caseRef: str | None
    customerId: str
    createdBy: UserReference | None
    createdAt: str
    state: Literal["ACTIVE", "SUCCEEDED", "FAILED"]
    endedDate: str | None


class CustomerContactOut(Strict):
    id: str
    type: Literal["PHONE_CALL"]
    state: Literal["PLANNED", "OCCURRED"]
    customerId: str
    createdAt: str
    attemptTime: str | None
    startTime: str | None
    plannedTime: str | None
    flowId: str | None
    representative: UserReference | None
    createdBy: UserReference | None
    hangUpTime: str | None


class CustomerBranchRequest(Wire):
    agentBranchId: Annotated[str, Field(max_length=64)] | None = Field(description="null: no branch")
    branchId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Another name of agentBranchId")

    model_config = ConfigDict(json_schema_extra=one_of_present(("agentBranchId", "branchId")))


class CustomerRepresentativeRequest(Wire):
    agentUserId: Annotated[str, Field(max_length=64)] | None = Field(description="null: no representative")
    representativeId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Another name")

    model_config = ConfigDict(json_schema_extra=one_of_present(("agentUserId", "representativeId")))


class CustomerLookupRequest(Wire):
    identityNumber: Annotated[str, Field(max_length=20)] | int | None = Field(None, description="TCKN (MERNIS)")
    taxNumber: Annotated[str, Field(max_length=20)] | int | None = Field(None, description="VKN (the tax registry)")
    birthDate: Annotated[str, Field(max_length=30)] | None = None

    model_config = ConfigDict(json_schema_extra=one_of_required(("identityNumber", "taxNumber"),
                                                                x_error_code="CUSTOMER_LOOKUP_INVALID"))


class CustomerLookupOut(Strict):
    type: Literal["individual", "company"]
    fullName: str | None
    title: str | None
    gender: str | None
    cityReference: str | None
    districtReference: str | None
    existingCustomerId: str | None = Field(description="The agency's customer with this number, if there is one")


class BrandCodeQueryRequest(Wire):
    brandCode: Annotated[str, Field(max_length=20)] | int | None = None
    modelCode: Annotated[str, Field(max_length=20)] | int | None = None
    year: int | None = None

    model_config = ConfigDict(json_schema_extra=one_of_required(("brandCode",), x_error_code="VEHICLE_QUERY_INVALID"))


class BrandCodeModelOut(Strict):
    brandCode: str
    brandName: str
    modelCode: str
    modelName: str
    firstYear: int
    lastYear: int
    fuel: str


class RepresentativeRequest(Wire):
    """``POST proposals|policies/{id}/representative`` (the CLI sends the record's id too)."""
    proposalId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Must equal the path's, when given")
    policyId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Must equal the path's, when given")
    representativeAgentUserId: Annotated[str, Field(max_length=64)] | None = Field(None, description="null: none")
    agentUserId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Another name")


class RecordBranchRequest(Wire):
    """``POST proposals|policies/{id}/branch``."""
    proposalId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Must equal the path's, when given")
    policyId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Must equal the path's, when given")
    agentBranchId: Annotated[str, Field(max_length=64)] | None = Field(None, description="null: no branch")
    branchId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Another name")


class AnalyticsRequest(Wire):
    startDate: Annotated[str, Field(max_length=30)] | None = Field(None, description="YYYY-MM-DD; default: 29 days ago")
    endDate: Annotated[str, Field(max_length=30)] | None = Field(None, description="YYYY-MM-DD; default: today")
    period: Annotated[str, Field(max_length=10)] | None = Field(None, description="DAY (default), WEEK or MONTH")
    groupBy: Annotated[str, Field(max_length=10)] | None = Field(None, description="Another name of period")
    agentBranchIds: list[Annotated[str, Field(max_length=64)]] | None = None
    productBranches: list[Annotated[str, Field(max_length=30)]] | None = None


class ManualPolicyRequest(Wire):
    insurerCustomerId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Sigorta ettiren")
    customerId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Another name of insurerCustomerId")
    insuredCustomerId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Sigortalı; default: the insurer customer")
    insuranceCompanyId: int | None = None
    productBranch: Annotated[str, Field(max_length=30)] | None = None
    policyNumber: Annotated[str, Field(max_length=60)] | None = Field(None, description="The insurer's policy number")
    insuranceCompanyPolicyNumber: Annotated[str, Field(max_length=60)] | None = Field(None, description="Another name")
    startDate: Annotated[str, Field(max_length=30)] | None = None
    endDate: Annotated[str, Field(max_length=30)] | None = Field(None, description="Default: a year after startDate")
    grossPremium: float | None = None
    netPremium: float | None = None
    commission: float | None = None
    vehicleId: Annotated[str, Field(max_length=64)] | None = None
    propertyId: Annotated[str, Field(max_length=64)] | None = None
    agentBranchId: Annotated[str, Field(max_length=64)] | None = None

    model_config = ConfigDict(json_schema_extra=one_of_required(
        ("insurerCustomerId", "customerId"), ("insuranceCompanyId",), ("productBranch",),
        ("policyNumber", "insuranceCompanyPolicyNumber"), ("startDate",), ("grossPremium",),
        x_error_code="MANUAL_POLICY_INVALID"))


class ManualPolicyUpdate(Wire):
    policyId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Must equal the path's, when given")
    id: Annotated[str, Field(max_length=64)] | None = None
    policyNumber: Annotated[str, Field(max_length=60)] | None = None
    insuranceCompanyPolicyNumber: Annotated[str, Field(max_length=60)] | None = None
    startDate: Annotated[str, Field(max_length=30)] | None = None
    endDate: Annotated[str, Field(max_length=30)] | None = None
    grossPremium: float | None = None
    netPremium: float | None = None
    commission: float | None = None


class PolicyIdOut(Strict):
    policyId: str


class PolicyTransferRequest(Wire):
    startDate: Annotated[str, Field(max_length=30)] | None = None
    endDate: Annotated[str, Field(max_length=30)] | None = None
    insuranceCompanyIds: list[int] | None = Field(None, description="Default: every insurer the agency is connected to")

    model_config = ConfigDict(json_schema_extra=one_of_required(("startDate",), ("endDate",),
                                                                x_error_code="POLICY_TRANSFER_INVALID"))


class TriggerCompanyOut(Strict):
    insuranceCompanyId: int
    succeededPolicyCount: int
    failedPolicyCount: int
    skippedPolicyCount: int
    success: bool
    failureReason: str | None


class PolicyTransferTriggerOut(Strict):
    id: str
    triggeredAt: str
    occurredAt: str = Field(description="Same as triggeredAt (the SDK's name)")
    state: Literal["COMPLETED"]
    status: Literal["SUCCEEDED", "TRIGGER_STATUS_FAILED"]
    durationMs: int | None
    policyCount: int
    newPolicyCount: int
    existingPolicyCount: int
    succeededPolicyCount: int = Field(description="Policies new to the CRM: none (the insurers report what was sold "
                                                  "through the sandbox)")
    failedPolicyCount: int
    skippedPolicyCount: int = Field(description="Policies in the CRM already (SKIP_ALREADY_TRANSFERRED)")
    policyIds: list[str]
    triggeredBy: UserReference | None
    insuranceCompanyCount: int | None = None
    policyTransferId: str | None = Field(None, description="The trigger detail's")
    duration: dict[str, int | None] | None = Field(None, description="The trigger detail's phases, in ms")
    companies: list[TriggerCompanyOut] | None = Field(None, description="The trigger detail's, per insurer")


class PolicyTransferOut(Strict):
    id: str
    startDate: str
    endDate: str
    insuranceCompanyIds: list[int]
    insuranceCompanyCount: int
    policyTransferTriggerCount: int
    policyCount: int
    succeededPolicyCount: int
    failedPolicyCount: int
    skippedPolicyCount: int
    createdAt: str
    createdBy: UserReference | None
    triggers: list[PolicyTransferTriggerOut]


class ContactFormRequest(Wire):
    """The real site's contact page and product-request widget (real-b2c-site §12)."""
    agentId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Required without a token")
    firstName: _NAME | None = None
    lastName: _NAME | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    phoneNumber: Annotated[str, Field(max_length=20)] | PhoneIn | None = None
    subject: Annotated[str, Field(max_length=200)] | None = None
    message: Annotated[str, Field(max_length=5000)] | None = None
    kvkkConsent: bool | None = None

    model_config = ConfigDict(json_schema_extra=one_of_required(("message", "subject"), x_error_code="CONTACT_FORM_INVALID"))


class ContactFormOut(Strict):
    id: str


class ContactFormReceived(Strict):
    id: str
    firstName: str | None
    lastName: str | None
    email: str | None
    phoneNumber: str | None
    subject: str | None
    message: str | None
    kvkkConsent: bool
    receivedAt: str


class MagicValue(Strict):
    value: str
    field: str
    outcome: str


class SnapshotCounts(Strict):
    customers: int
    vehicles: int
    properties: int
    cases: int
    proposals: int
    payments: int
    policies: int


class ShippedSnapshot(Strict):
    name: str
    description: str | None
    counts: SnapshotCounts | None
    clock: str | None


class LanguageOut(Strict):
    id: int
    name: str
    code: str
    nativeName: str
    englishName: str


class TemplateOut(Strict):
    key: str
    languageId: int
    name: str
    description: str | None
    content: str = Field(description="Text with {{ variables }} (templates/definitions names them) and {% if %}")


class TemplateDetailOut(TemplateOut):
    jsonSchema: dict[str, Any] = Field(description="The variables the content may use; required: those it must")


class TemplateMetadata(Strict):
    channel: Literal["sms", "email"]
    usedFor: str
    syntax: str
    filters: list[str]
    sentInLanguageId: int


class TemplateDefinitionOut(Strict):
    key: str
    jsonSchema: dict[str, Any] = Field(description="A JSON Schema (draft 2020-12) of the variables: itself a "
                                                   "document, not a shape of this API")
    metadata: TemplateMetadata


class TemplateUpdate(Wire):
    key: Annotated[str, Field(max_length=100)] | None = Field(None, description="Must equal the path's, when given")
    languageId: int | Annotated[str, Field(max_length=10)] | None = Field(None, description="1 Türkçe, 2 English")
    name: Annotated[str, Field(max_length=200)] | None = None
    description: Annotated[str, Field(max_length=1000)] | None = None
    content: Annotated[str, Field(max_length=4000)] | None = None

    model_config = ConfigDict(json_schema_extra=one_of_required(("languageId",), x_error_code="TEMPLATE_INVALID"))


class SetupRequestCreate(Wire):
    label: Annotated[str, Field(max_length=200)] | None = Field(None, description="Shown to the agency when it enters "
                                                                                 "the code")
    validDays: Annotated[int, Field(ge=1, le=365)] | None = Field(None, description="How long the code works (7)")

    model_config = ConfigDict(json_schema_extra=one_of_required(("label",), x_error_code="AGENT_SETUP_REQUEST_INVALID"))


class SetupRequestOut(Strict):
    id: str
    label: str
    status: Literal["PENDING", "COMPLETED", "DISABLED", "EXPIRED"]
    createdAt: str
    expiresAt: str
    agentId: str | None = Field(description="The agency it made, once completed")
    completedAt: str | None
    code: str = Field(description="What the agency enters (agent-setup-requests/enter and /complete)")


class SetupCode(Wire):
    code: Annotated[str, Field(max_length=100)] | None = Field(None, description="From InsurUp (the sandbox: POST "
                                                                                "/__sandbox/agent-setup-requests)")

    model_config = ConfigDict(json_schema_extra=one_of_required(("code",), x_error_code="AGENT_SETUP_REQUEST_CODE_REQUIRED"))


class SetupEntered(Strict):
    label: str


class SetupBranch(Wire):
    productBranch: Annotated[str, Field(max_length=64)] | None = None
    productIds: Annotated[list[int], Field(max_length=200)] | None = None


class SetupCompany(Wire):
    type: Annotated[str, Field(max_length=20)] | None = Field(None, description="WEB_SERVICE or ROBOT")
    insuranceCompanyId: int | Annotated[str, Field(max_length=20)] | None = None
    connectionFields: dict[str, Annotated[str, Field(max_length=500)] | int] | None = Field(
        None, description="insurance-companies/{id}/connection-fields:agent-based")
    branches: Annotated[list[SetupBranch], Field(max_length=30)] | None = None


class SetupAgent(Wire):
    name: _NAME | None = None
    plateNo: Annotated[str, Field(max_length=20)] | None = None
    taxNumber: Annotated[str, Field(max_length=20)] | None = Field(None, description="A valid VKN")
    phoneNumber: PhoneIn | None = None
    companies: Annotated[list[SetupCompany], Field(max_length=100)] | None = None
    robotMode: Annotated[str, Field(max_length=20)] | None = Field(None, description="NONE, DESKTOP, SERVER")


class SetupAgentUser(Wire):
    firstName: _NAME | None = None
    lastName: _NAME | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    password: Annotated[str, Field(max_length=200)] | None = Field(None, description="8+ characters, a letter and a digit")


class SetupComplete(SetupCode):
    agent: SetupAgent | None = None
    agentUser: SetupAgentUser | None = None


class B2CConfigField(Wire):
    """One field of the site's settings form (the contract's B2CConfigField union)."""

    name: Annotated[str, Field(max_length=100)] | None = None
    type: int | None = Field(None, description="1 Object, 2 Array, 3 Text, 4 Number, 5 Boolean, 6 File, 7 Color, "
                                               "8 ProductBranch, 9 Icon, 10 InsuranceCompany, 11 MultiLineText, "
                                               "12 InsuranceProduct")
    labelResourceKey: Annotated[str, Field(max_length=200)] | None = None
    descriptionResourceKey: Annotated[str, Field(max_length=200)] | None = None
    allowedExtensions: Annotated[list[Annotated[str, Field(max_length=20)]], Field(max_length=30)] | None = Field(
        None, description="A File's")
    children: Annotated[list["B2CConfigField"], Field(max_length=100)] | None = Field(None, description="An Object's")
    itemType: "B2CConfigField | None" = Field(None, description="An Array's: the field of each item")


class B2CConfig(Wire):
    fields: Annotated[list[B2CConfigField], Field(max_length=500)] | None = None

    model_config = ConfigDict(json_schema_extra=one_of_required(("fields",), x_error_code="B2C_CONFIG_INVALID"))


class B2CConfigFieldOut(Strict):
    name: str
    type: int
    labelResourceKey: str | None
    descriptionResourceKey: str | None
    allowedExtensions: list[str] | None = None
    children: list["B2CConfigFieldOut"] | None = None
    itemType: "B2CConfigFieldOut | None" = None


class B2CConfigOut(Strict):
    fields: list[B2CConfigFieldOut]


class FilePolicyTransferUpload(Wire):
    """multipart/form-data: the insurer's policy list and which insurer it is from."""

    MULTIPART: ClassVar[bool] = True
    file: bytes = Field(description="CSV (UTF-8, ; or ,) or XLSX with a header row: policyNumber, productBranch, "
                                    "startDate, endDate, identityNumber, grossPremium (required); customerType, "
                                    "customerName, netPremium, commission, paymentType, renewalNumber, "
                                    "endorsementNumber (Turkish names too)")
    insuranceCompanyId: int | Annotated[str, Field(max_length=10)] = Field(description="GET insurance-companies")


class FilePolicyTransferOut(Strict):
    id: str
    insuranceCompanyId: int
    insuranceCompanyName: str
    insuranceCompanyLogo: str | None
    fileName: str
    fileUrl: str | None = Field(description="Always null: the sandbox does not keep the file")
    createdAt: str
    totalPolicyCount: int
    completedPolicyCount: int
    failedPolicyCount: int
    skippedPolicyCount: int
    createdBy: UserReference | None


class TransferredPolicyOut(Strict):
    status: Literal["SUCCESS", "TRANSFER_FAILED", "TRANSFER_SKIPPED"]
    skipReason: str | None = Field(description="SKIP_ALREADY_TRANSFERRED, PREVIOUS_VERSION_NOT_FOUND, "
                                                "PRODUCT_BRANCH_NOT_SUPPORTED, …")
    failureReason: str | None = Field(description="INVALID_CUSTOMER_IDENTITY_NUMBER, INVALID_START_DATE, "
                                                   "INVALID_PREMIUM, …")
    productBranch: str | None
    insuranceCompanyId: int
    endorsementNumber: int
    renewalNumber: int
    insuranceCompanyName: str
    insuranceCompanyLogo: str | None
    insuranceCompanyPolicyNumber: str
    productId: int | None
    productName: str | None
    transferredPolicyId: str | None


class FilePolicyTransferDetailOut(Strict):
    id: str
    createdBy: UserReference | None
    createdAt: str
    insuranceCompanyId: int
    fileName: str
    succeededPolicyCount: int
    failedPolicyCount: int
    skippedPolicyCount: int
    transferredPolicies: list[TransferredPolicyOut]


class FileUpload(Wire):
    """A multipart/form-data body with one file part (``files/public``, ``plugins``)."""

    MULTIPART: ClassVar[bool] = True
    file: bytes = Field(description="The file, under its name and with its media type")


class PluginVersionOut(Strict):
    version: str
    runtimeType: int = Field(description="1: JavaScriptJint")
    contractVersion: str
    hooks: list[int] = Field(description="PluginHook numbers: 0-16 the on{Event} hooks, 100000 validateCustomer, "
                                         "200000 mutateCustomer, 300000 decorateIgwRequest")
    bundleHash: str = Field(description="SHA-256 of the uploaded zip")
    configSchemaJson: str | None = Field(description="Always null in the sandbox (it runs no plugin code)")
    installedAt: str
    installedByName: str


class PluginSummaryOut(Strict):
    id: str
    slug: str
    activeVersion: str | None
    enabled: bool
    versionCount: int
    hooks: list[int] = Field(description="The active version's hooks; empty with no active version")
    priority: int


class PluginDetailOut(Strict):
    id: str
    slug: str = Field(description="plugin.json's id (reverse-DNS)")
    activeVersion: str | None
    enabled: bool
    priority: int
    maskedConfigJson: str | None
    createdAt: str
    versions: list[PluginVersionOut] = Field(description="Newest first")


class PluginConsoleLineOut(Strict):
    level: str
    message: str
    data: str | None
    timestamp: str


class PluginInvocationLogOut(Strict):
    hookName: str
    pluginVersion: str
    outcome: int = Field(description="0 Ok, 1 Faulted, 2 TimedOut, 3 LimitExceeded")
    durationMs: float
    traceId: str
    failureReason: str | None
    console: list[PluginConsoleLineOut]
    startedAt: str


class ActivatePluginRequest(Wire):
    version: Annotated[str, Field(max_length=64)] | None = Field(None, description="An installed version")

    model_config = ConfigDict(json_schema_extra=one_of_required(("version",), x_error_code="PLUGIN_VERSION_REQUIRED"))


class PluginConfigRequest(Wire):
    config: dict[str, Any] | None = Field(None, description="The active version's per-agency values")

    model_config = ConfigDict(json_schema_extra=one_of_required(("config",), x_error_code="PLUGIN_CONFIG_INVALID"))


class PluginPriorityRequest(Wire):
    priority: Annotated[int, Field(ge=-(2**31), le=2**31 - 1)] | None = Field(None, description="Orders the sequential hooks")

    model_config = ConfigDict(json_schema_extra=one_of_required(("priority",), x_error_code="PLUGIN_PRIORITY_INVALID"))


class UploadedFile(Strict):
    fileUrl: str
    filePath: str
    size: int


class NamedOut(Strict):
    id: int
    name: str


class BankBranchOut(Strict):
    id: int
    name: str
    bankId: int
    cityReference: str
    cityName: str


class CustomerAssetsOut(Strict):
    customerId: str
    vehicles: list[VehicleOut]
    properties: list[PropertyOut]


# ----------------------------------------------------------------------------- customers
class ConsentOut(Strict):
    consentType: Literal["KVKK", "ETK"]
    isActive: bool
    channel: str
    updatedAt: str


class CustomerOut(Strict):
    type_: Literal["individual", "company", "foreign"] = Field(alias="$type")
    type: Literal["INDIVIDUAL", "COMPANY", "FOREIGN"]
    id: str
    identityNumber: str | None = None
    fullName: str | None = None
    firstName: str | None = None
    lastName: str | None = None
    birthDate: str | None = None
    gender: Literal["UNKNOWN", "MALE", "FEMALE", "OTHER"] | None = None
    maritalStatus: str | None = None
    educationStatus: str | None = None
    nationality: str | None = None
    job: str | None = None
    title: str | None = None
    taxNumber: str | None = None
    primaryEmail: str | None
    primaryPhoneNumber: PhoneOut | None
    city: ValueText | None
    district: ValueText | None
    createdAt: str
    updatedAt: str
    createdBy: UserReference | None
    representedBy: UserReference | None
    creationChannel: str
    agentBranchId: str | None
    consents: list[ConsentOut]
    vehicleCount: int
    propertyCount: int
    proposalCount: int
    policyCount: int
    caseCount: int
    emailCount: int
    phoneCount: int


class HealthInfo(Strict):
    customerId: str
    height: int | None
    weight: int | None
    surgeries: list[str | int]
    diseases: list[str | int]
    updatedAt: str | None


class RelationshipOut(Strict):
    id: str
    customerId: str
    relatedCustomerId: str
    relatedCustomerType: Literal["Individual", "Company", "Foreign"]
    relationType: Literal["SPOUSE", "CHILD", "PARENT", "SIBLING"]
    relatedCustomerName: str | None
    relatedCustomerEmail: str | None
    relatedCustomerPhoneNumber: str | None
    createdAt: str


# ----------------------------------------------------------------------------- vehicles
class PlateOut(Strict):
    city: int | None
    code: str


class DocumentSerial(Strict):
    code: str
    number: str


class VehicleModelOut(Strict):
    brand: ValueText
    type: ValueText
    year: int


class FuelOut(Strict):
    type: str | None
    customLpg: bool
    customLpgPrice: float | None


class BankRef(Shape):
    id: int | Annotated[str, Field(max_length=64)] = Field(description="GET banks' id")
    name: Annotated[str, Field(max_length=200)]


class BankBranchRef(Shape):
    id: int | Annotated[str, Field(max_length=64)] = Field(description="GET banks/{bankId}/branches' id")
    name: Annotated[str, Field(max_length=200)]
    bankId: int | Annotated[str, Field(max_length=64)]


class LossPayeeClause(Shape):
    """The SDK's LossPayeeClause (dain-i mürtehin): a bank and its branch, or a financial institution."""

    type: Literal["BANK", "FINANCIAL_INSTITUTION"]
    bank: BankRef | None = None
    bankBranch: BankBranchRef | None = None
    financialInstitution: BankRef | None = Field(None, description="GET financial-institutions' {id, name}")
    creditAgreementNumber: Annotated[str, Field(pattern=r"^[A-Za-z0-9]{6,20}$")] | None = None


class VehicleOldPolicy(Shape):
    """The SDK's VehicleOldPolicy: the policy this one renews."""

    insuranceCompanyPolicyNumber: Annotated[str, Field(pattern=r"^[0-9]{6,20}$")]
    insuranceCompanyRenewalNumber: Annotated[int, Field(ge=0, le=9)]
    insuranceCompanyReference: Annotated[str, Field(min_length=1, max_length=64)]
    agentNumber: Annotated[str, Field(min_length=3, max_length=18, pattern=r"^[A-Za-z0-9]+(/[A-Za-z0-9]+)?$")]
    endDate: Annotated[str, Field(max_length=30)] | None = None


class AccessoryOut(Strict):
    type_: Literal["audio", "display", "other"] = Field(alias="$type")
    price: float


class VehicleOut(Strict):
    id: str
    customerId: str
    hasPlate: bool = Field(description="The SDK's: whether the vehicle is registered under a plate")
    plate: PlateOut
    model: VehicleModelOut
    type: str
    utilizationStyle: str
    fuel: FuelOut
    engineNumber: str | None
    chassisNumber: str | None
    documentSerial: DocumentSerial | None
    registrationDate: str | None
    seatNumber: int | None
    accessories: list[AccessoryOut]
    lossPayeeClause: LossPayeeClause | None
    kaskoOldPolicy: VehicleOldPolicy | None
    trafikOldPolicy: VehicleOldPolicy | None
    createdAt: str
    updatedAt: str


class LookupPlate(Strict):
    city: str
    code: str


class VehicleLookupOut(Strict):
    plate: LookupPlate
    model: VehicleModelOut
    engine: str
    chassis: str
    registrationDate: str
    seatNumber: int
    utilizationStyle: str
    fuelType: str
    documentSerial: DocumentSerial | None


# ----------------------------------------------------------------------------- properties
class AddressOut(Strict):
    propertyNumber: int | None = None
    city: ValueText
    district: ValueText
    town: ValueText
    neighborhood: ValueText
    street: ValueText
    building: ValueText
    apartment: ValueText


class FloorRange(Strict):
    type_: Literal["range"] = Field(alias="$type")
    min: int
    max: int


class FloorOut(Strict):
    totalFloors: FloorRange | None
    currentFloor: int | None


class DaskPolicyOut(Strict):
    propertyNumber: int
    address: AddressOut
    constructionYear: int
    squareMeter: int
    floor: FloorOut
    structure: str
    utilizationStyle: str
    damageStatus: str
    ownershipType: str
    policyEndDate: str


class NewPropertyResponse(Strict):
    newPropertyId: str


class PropertyOut(Strict):
    id: str
    customerId: str
    number: int
    address: AddressOut
    squareMeter: int | None
    constructionYear: int | None
    floor: FloorOut | None
    structure: str
    utilizationStyle: str
    damageStatus: str
    ownershipType: str
    lossPayeeClause: LossPayeeClause | None
    daskOldPolicyNumber: str | None
    konutOldPolicyNumber: str | None
    createdAt: str
    updatedAt: str


# ----------------------------------------------------------------------------- insurers
PaymentOption = Literal["UNKNOWN", "SYNC_CREDIT_CARD", "SYNC_OPEN_ACCOUNT", "ASYNC_3D_SECURE",
                        "ASYNC_INSURANCE_COMPANY_REDIRECT", "ASYNC_THIRD_PARTY_3D_SECURE"]


class InsuranceCompany(Strict):
    id: int
    name: str
    logo: str | None
    enabled: bool
    supportedPaymentOptions: list[PaymentOption]


class ProductOut(Strict):
    id: int
    name: str
    productBranch: str
    insuranceCompanyId: int
    insuranceCompanyName: str
    integrationType: Literal["WEB_SERVICE", "ROBOT"]
    status: Literal["LIVE", "IN_PROGRESS"]
    purchasable: bool


class CredentialFieldOut(Strict):
    key: str
    label: str
    labelEn: str
    type: str
    required: bool
    secret: bool
    pattern: str | None
    hint: str | None
    allowedValues: list[str] | None


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


class ConnectionOut(Strict):
    id: str
    insuranceCompanyId: int
    insuranceCompanyName: str
    insuranceCompanyLogo: str
    integrationType: Literal["WEB_SERVICE", "ROBOT"] = Field(description="ROBOT for an insurer quoted only by "
                                                                          "robots (its branches are the robot's)")
    branches: list[str]
    enabled: bool
    syncStatus: str
    lastSyncAt: str
    createdAt: str
    updatedAt: str
    connection: dict[str, str] | None = None


# ----------------------------------------------------------------------------- control plane
class ConnectionFixture(Wire):
    """One insurer connection of an agent fixture: the POST agents/me/insurance-companies body."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    insuranceCompanyId: int | str
    branches: list[str] | None = Field(None, description="default: every branch the insurer offers")
    connection: CredentialValues | None = Field(None, description="credential field key -> value (default: valid "
                                                                  "sample values)")


class AgentFixtureRequest(Wire):
    """An agent: the POST /__sandbox/agents body, and the file ``serve --agent-fixture`` reads for the
    default agent."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    agentId: str | None = None
    seed: int | None = None
    name: str | None = None
    market: Literal["TR", "PL"] | None = None
    agentUser: dict[str, Any] | None = Field(None, description="{email, password, twoFactor}")
    serviceAccount: dict[str, Any] | None = Field(None, description="{clientId, clientSecret}")
    connectAllInsurers: bool = True
    coverageGroups: list[dict[str, Any]] | None = Field(
        None, description="[{id, productBranch, name?, coverage?}]: coverage groups with the ids an app is configured with")
    webhookDelivery: Literal["auto", "manual"] = Field(
        "auto", description="auto: deliveries are sent in the background as they fall due; manual: only when "
                            "POST /__sandbox/agents/{agentId}/webhook-deliveries/flush asks (deterministic tests)")
    controlToken: str | None = Field(None, min_length=16, max_length=200,
                                     description="the agent's control token (default: random)")
    connections: list[ConnectionFixture] | None = Field(
        None, description="insurer connections with their credentials, checked as agents/me/insurance-companies "
                          "checks them; added to (or replacing) those of connectAllInsurers")
    customerMfa: Literal["sms", "own-provider"] = Field(
        "sms", description="sms: login-or-register sends InsurUp's SMS code and answers a login token for "
                           "verify-mfa; own-provider: the guide's 'use your own SMS provider', login-or-register "
                           "answers the access and refresh tokens at once")
    paymentTypes: Literal["as-sent", "documented"] = Field(
        "as-sent", description="as-sent: a purchase may use any payment type of its endpoint (InsurUp's own site "
                               "sends 3d-secure to every insurer), with X-Sandbox-Warning naming what the "
                               "documented table would refuse; documented: the table's refusals (422 "
                               "PAYMENT_TYPE_NOT_SUPPORTED)")
    snapshot: dict[str, Any] | str | None = Field(
        None, description="start from a snapshot: the object GET /__sandbox/agents/{agentId}/snapshot answers, or "
                          "the name of a shipped one (GET /__sandbox/snapshots lists them); the new agent keeps its own "
                          "id and credentials and goes on from the snapshot's clock")

    @classmethod
    def parse(cls, body: dict[str, Any]) -> dict[str, Any]:
        from pydantic import ValidationError

        try:
            m = cls.model_validate(body)
        except ValidationError as exc:
            raise InputValidation("The agent fixture is invalid.", field_errors=[
                FieldError(".".join(str(p) for p in e["loc"]) or "body", e["msg"],
                           e.get("input") if isinstance(e.get("input"), (str, int, float, bool)) else None)
                for e in exc.errors()]) from None
        user = m.agentUser or {}
        sa = m.serviceAccount or {}
        for prefix, d, keys in (("agentUser", user, ("email", "password", "twoFactor")),
                                ("serviceAccount", sa, ("clientId", "clientSecret"))):
            for k, v in d.items():
                if k not in keys:
                    raise InputValidation(f"{prefix}.{k} is not a fixture field.",
                                          field_errors=[FieldError(f"{prefix}.{k}", f"allowed: {', '.join(keys)}", None)])
                if k != "twoFactor" and (not isinstance(v, str) or not v.strip() or len(v) > 200):
                    raise InputValidation(f"{prefix}.{k} must be a non-empty string.",
                                          field_errors=[FieldError(f"{prefix}.{k}", "must be a non-empty string", None)])
        if "twoFactor" in user and not isinstance(user["twoFactor"], bool):
            raise InputValidation("agentUser.twoFactor must be a boolean.",
                                  field_errors=[FieldError("agentUser.twoFactor", "must be true or false", None)])
        return {"agent_id": m.agentId, "seed": m.seed, "name": m.name, "market": m.market,
                "agent_user_email": user.get("email"), "agent_user_password": user.get("password"),
                "agent_user_two_factor": bool(user.get("twoFactor", False)), "client_id": sa.get("clientId"),
                "client_secret": sa.get("clientSecret"), "connect_all_insurers": m.connectAllInsurers,
                "coverage_groups": m.coverageGroups or [], "webhook_delivery": m.webhookDelivery,
                "control_token": m.controlToken,
                "connections": [c.model_dump(exclude_none=True) for c in m.connections or []],
                "customer_mfa": m.customerMfa, "payment_types": m.paymentTypes}


class Credentials(Strict):
    clientId: str
    clientSecret: str


class UserCredentials(Strict):
    email: str
    password: str
    twoFactor: bool


class ClockOut(Strict):
    now: str
    frozen: bool
    offsetSeconds: float


class AgentCreated(Strict):
    agentId: str
    name: str
    seed: int
    market: str
    serviceAccount: Credentials
    agentUser: UserCredentials
    controlToken: str = Field(description="send as X-Sandbox-Token on this agent's control calls when the control "
                                          "plane is closed")
    isDefault: bool
    clock: ClockOut
    webhookDelivery: Literal["auto", "manual"]
    customerMfa: Literal["sms", "own-provider"]
    paymentTypes: Literal["as-sent", "documented"]
    counts: dict[str, int]


def _scope_words(schema: dict[str, Any], field: str) -> None:
    """The documented words of a scope list (the API's value and the guide's words; other cases of
    them are taken too)."""
    from mockserver.certify.scope import VOCABULARY

    words = [w for value, spellings in VOCABULARY[field].items() for w in (value, *spellings)]
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "array":
            branch["items"] = {"type": "string", "enum": words}


class CertificationScope(Wire):
    """What the partner's integration implements; rules and modules outside it are SKIPPED. Each list
    takes the guide's words or the API's enum values (``mockserver/certify/scope.example.yaml``) and
    keeps the enum value; an unknown word is refused, naming its place."""

    model_config = ConfigDict(extra="forbid")

    branches: list[str] | None = Field(None, description="e.g. [kasko, traffic] or [KASKO, TRAFIK] (any case)",
                                       json_schema_extra=lambda s: _scope_words(s, "branches"))
    channels: list[str] | None = Field(None, description="website and/or mobile-app (WEBSITE, MOBILE_APP; any case)",
                                       json_schema_extra=lambda s: _scope_words(s, "channels"))
    paymentTypes: list[str] | None = Field(None, description="e.g. [3d-secure] or [ASYNC_3D_SECURE] (any case)",
                                           json_schema_extra=lambda s: _scope_words(s, "paymentTypes"))

    @field_validator("branches", "channels", "paymentTypes", mode="before")
    @classmethod
    def _words(cls, value: Any, info: ValidationInfo) -> Any:
        from mockserver.certify.scope import word

        if not isinstance(value, list):
            return value
        out = []
        for i, raw in enumerate(value):
            try:
                out.append(word(info.field_name, raw))
            except ValueError as exc:
                raise ValueError(f"[{i}]: {exc}") from None
        return list(dict.fromkeys(out))


class CertificationRequest(Wire):
    model_config = ConfigDict(extra="forbid")

    partner: Annotated[str, Field(min_length=1, max_length=120)]
    plan: Literal["web-sales"] = "web-sales"
    scope: CertificationScope | None = None
    coverageGroups: list[dict[str, Any]] | None = Field(None, description="[{id, productBranch, name?}]: the "
                                                                          "coverage group ids the partner's site sends")


class CertificationSteerRequest(Wire):
    """Adversarial moments: the next callbacks lie, or the agent's clock jumps (tokens expire)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    lyingCallbacks: Annotated[int, Field(ge=0, le=10)] | None = Field(
        None, description="the next N payment callbacks say success=true whatever the payment did")
    advanceSeconds: Annotated[float, Field(ge=0, le=86_400)] | None = None
    failingInsurers: list[int] | None = Field(None, description="insurer ids whose quotes fail on the first "
                                                                "attempt in the session's next proposals ([] stops it)")


class CertificationScopeOut(Strict):
    """A session's scope as kept: enum values only; an absent list means every value."""

    branches: list[str] | None = None
    channels: list[str] | None = None
    paymentTypes: list[str] | None = None


class ClockJump(Strict):
    from_: float = Field(alias="from", description="seconds from the session's start")
    to: float


class EvidenceRequest(Strict):
    id: str | None = None
    at: float | None
    method: str | None = None
    path: str | None = None
    status: int | None = None
    auth: str | None = None
    tokenExpiresAt: float | None = None
    body: Any = Field(description="The request body as recorded (pseudonymised): whatever the client sent")
    response: Any = Field(description="The answer's body as recorded (pseudonymised)")


class EvidenceEvent(Strict):
    sequence: int
    event: str
    at: float | None
    payload: dict[str, Any] = Field(description="The webhook payload (pseudonymised), as GET "
                                                "/__sandbox/agents/{agentId}/events gives it")


class EvidencePayment(Strict):
    id: str
    proposalId: str
    proposalProductId: str
    type: str
    state: str
    completedAt: float | None
    lying: bool
    claimedPolicyId: str | None
    async_: bool = Field(alias="async")
    insurer: int
    branch: str | None


class CertificationModuleOut(Strict):
    id: str
    title: str
    how: str
    seen: bool
    evidence: list[str]


class CertificationStatus(Strict):
    sessionId: str
    agentId: str
    plan: str | None
    version: str | None
    partner: str | None
    scope: CertificationScopeOut
    modules: list[CertificationModuleOut]
    requests: int


class CertificationEvidence(Strict):
    """What ``certify report`` evaluates: the session's traffic, redacted and pseudonymised (oldest
    first; times in seconds from the session's start), signed by the sandbox."""

    plan: str
    version: str
    partner: str | None
    scope: CertificationScopeOut
    sessionId: str
    collectedAt: str = Field(description="when the evidence was taken (the certificate's issue date)")
    clockJumps: list[ClockJump] = Field(description="the control plane moved the session's clock")
    requests: list[EvidenceRequest]
    events: list[EvidenceEvent]
    payments: list[EvidencePayment]
    signature: str = Field(description="the sandbox's JWS (ES256, detached payload: the evidence's RFC 8785 JSON "
                                       "without this member); keys at /.well-known/sandbox-certification-keys.json")


class CertificationCreated(CertificationStatus):
    baseUrl: str
    serviceAccount: Credentials
    agentUser: UserCredentials
    controlToken: str


class ClockRequest(Wire):
    """One or more commands: set (or now), then freeze / unfreeze, then advance (or advanceSeconds)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    freeze: bool | None = None
    unfreeze: bool | None = None
    advance: Annotated[float, Field(ge=0, le=100 * 365 * 86400)] | None = Field(None, description="seconds to move forward")
    advanceSeconds: Annotated[float, Field(ge=0, le=100 * 365 * 86400)] | None = Field(None, description="Same as advance")
    set: str | None = Field(None, description="ISO-8601 instant such as 2026-01-01T09:00:00Z")
    now: str | None = Field(None, description="Same as set")


# ----------------------------------------------------------------------------- cases
class CaseNote(Strict):
    id: str
    content: str
    createdAt: str
    createdBy: UserReference | None


class CaseStates(Strict):
    mainState: str
    subState: str


class CreatedData(CaseStates):
    source: str | None = Field(None, description="The request's source, when it gave one")


class StateChangedData(Strict):
    from_: CaseStates = Field(alias="from")
    to: CaseStates


class NoteAddedData(Strict):
    noteId: str


class ChannelChangedData(Strict):
    from_: str | None = Field(alias="from")
    to: str


class AssetChangedData(Strict):
    assetType: str | None
    assetId: str | None


class BranchChangedData(Strict):
    agentBranchId: str | None


class RepresentativeChangedData(Strict):
    representedBy: UserReference | None
    assignmentMode: str | None = Field(None, description="The agency's caseRepresentativeAssignmentMode, when the "
                                                         "representative was assigned automatically")


class ProposalLinkedData(Strict):
    proposalId: str


class PolicyLinkedData(Strict):
    policyId: str


class _CaseActivity(Strict):
    id: str
    createdAt: str
    createdBy: UserReference | None


class CreatedActivity(_CaseActivity):
    type: Literal["CREATED"]
    data: CreatedData


class StateChangedActivity(_CaseActivity):
    type: Literal["STATE_CHANGED"]
    data: StateChangedData


class NoteAddedActivity(_CaseActivity):
    type: Literal["NOTE_ADDED"]
    data: NoteAddedData


class ChannelChangedActivity(_CaseActivity):
    type: Literal["CHANNEL_CHANGED"]
    data: ChannelChangedData


class AssetChangedActivity(_CaseActivity):
    type: Literal["ASSET_CHANGED"]
    data: AssetChangedData


class BranchChangedActivity(_CaseActivity):
    type: Literal["BRANCH_CHANGED"]
    data: BranchChangedData


class RepresentativeChangedActivity(_CaseActivity):
    type: Literal["REPRESENTATIVE_CHANGED"]
    data: RepresentativeChangedData


class ProposalLinkedActivity(_CaseActivity):
    type: Literal["PROPOSAL_LINKED"]
    data: ProposalLinkedData


class PolicyLinkedActivity(_CaseActivity):
    type: Literal["POLICY_LINKED"]
    data: PolicyLinkedData


CaseActivity = Annotated[CreatedActivity | StateChangedActivity | NoteAddedActivity | ChannelChangedActivity
                         | AssetChangedActivity | BranchChangedActivity | RepresentativeChangedActivity
                         | ProposalLinkedActivity | PolicyLinkedActivity, Field(discriminator="type")]


class CaseOut(Strict):
    id: str
    ref: str
    type: Literal["SALE_OPPORTUNITY", "ENDORSEMENT", "CANCEL", "COMPLAINT"]
    status: Literal["OPEN", "DELAYED", "SUCCESS", "FAIL"]
    mainState: Literal["FAIL", "OPEN", "IN_PROGRESS", "SUCCESS"]
    subState: str
    saleOpportunitySubType: str | None
    cancelSubType: str | None
    endorsementSubType: str | None
    complaintSubType: str | None
    productBranch: str | None
    channel: str
    customerId: str
    customerName: str | None
    assetType: Literal["VEHICLE", "PROPERTY"] | None
    assetId: str | None
    agentBranchId: str | None
    sourceCaseId: str | None
    policyEndDate: str | None
    createdAt: str
    createdBy: UserReference | None
    representedBy: UserReference | None
    lastUpdateDate: str
    lastUpdatedBy: UserReference | None
    proposalIds: list[str]
    policyIds: list[str]
    proposalCount: int
    policyCount: int
    lastProposalDate: str | None
    lastPolicyDate: str | None
    notes: list[CaseNote]
    advertisingSource: str | None
    advertisingCampaign: str | None


# ----------------------------------------------------------------------------- proposals
ProposalState = Literal["WAITING", "ACTIVE", "PURCHASING", "PURCHASED", "FAILED"]
PurchaseStatus = Literal["WAITING", "ACTIVE", "PURCHASING", "PURCHASED", "FAILED", "PURCHASE_FAILED"]


class ProposalCreated(Strict):
    proposalId: str


class Premium(Strict):
    installmentNumber: int
    insurancePremiumReference: str = Field(description="The insurer's reference of this plan (a GUID)")
    netPremium: float
    grossPremium: float
    commission: float
    exchangeRate: float
    currency: Literal["TURKISH_LIRA", "UNITED_STATES_DOLLAR", "EURO", "UNKNOWN"]
    insuranceCompanyProposalNumber: str | None


class ProposalProductOut(Strict):
    id: str
    proposalProductId: str
    proposalId: str
    insuranceCompanyId: int
    insuranceCompanyName: str
    insuranceCompanyLogo: str | None
    productId: int
    productName: str
    productType: Literal["WEB_SERVICE", "ROBOT"]
    productBranch: str
    premiums: list[Premium]
    state: ProposalState
    status: PurchaseStatus = Field(description="The mobile guide's purchase verification: state, except that a "
                                               "product whose last purchase failed reads PURCHASE_FAILED (its "
                                               "state is ACTIVE again: it can be bought) with the reason in "
                                               "errorMessage")
    needsInvestigationByCompany: bool
    hasVocationalDiscount: bool
    hasUndamagedDiscount: bool
    hasUndamagedDiscountRate: int | None
    revised: bool
    isManual: bool
    manualPdfUrl: str | None
    policyId: str | None
    errorMessage: str | None
    insuranceServiceProviderCoverage: Coverage | None
    pdfCoverage: Coverage | None
    initialCoverage: Coverage | None
    optimalCoverage: Coverage | None
    coverageGroupId: str | None
    coverageGroupName: str | None
    supportedPaymentOptions: list[str]
    insuranceCompanyProposalNumber: str | None
    discountModels: list[Any] = Field(max_length=0, description="Always empty (no source describes a discount)")
    attempt: int
    createdAt: str
    arrivedAt: str | None


class CoverageGroupTable(Strict):
    id: str
    name: str
    description: str | None
    coverageTable: Coverage


class EmailValue(Strict):
    value: str


class HealthOut(Strict):
    height: float
    weight: float


class _SnapshotParty(Strict):
    id: str
    phoneNumber: PhoneOut | None
    email: EmailValue | None
    city: ValueText | None
    district: ValueText | None
    health: HealthOut | None = Field(None, description="A TSS insured's height and weight, when known")


class SnapshotPerson(_SnapshotParty):
    type_: Literal["individual", "foreign"] = Field(alias="$type")
    identityNumber: str
    birthDate: str | None
    fullName: str | None


class SnapshotCompany(_SnapshotParty):
    type_: Literal["company"] = Field(alias="$type")
    title: str | None
    taxNumber: str


SnapshotCustomer = Annotated[SnapshotPerson | SnapshotCompany, Field(discriminator="type_",
                                                                     description="The webhook reference's CustomerModel")]


class KonutOptions(Strict):
    furniturePrice: float
    electronicDevicePrice: float
    insulationPrice: float
    windowPrice: float
    constructionCostPerSquareMeter: float
    inflation: int
    earthquakeCoverageOption: Literal[0, 1]
    vacancyDurationOption: Literal[0, 1]


class ProposalSnapshot(Strict):
    """The parties and the asset as the proposal was asked for (they do not change after)."""

    insurerCustomer: SnapshotCustomer
    insuredCustomer: SnapshotCustomer
    additionalInsuredCustomers: list[SnapshotCustomer]
    vehicle: VehicleOut | None
    property: PropertyOut | None
    konutOptions: KonutOptions | None = Field(description="A KONUT proposal's contents and options")


class ProposalOut(Strict):
    proposalId: str
    id: str
    productBranch: str
    totalProductsCount: int
    succeedProductsCount: int
    failedProductsCount: int
    waitingProductsCount: int
    agentUserCreatedBy: UserReference | None
    representedBy: UserReference | None
    agentBranchId: str | None
    createdAt: str
    state: ProposalState
    status: PurchaseStatus = Field(description="The mobile guide's purchase verification: state, except that a "
                                               "proposal whose last purchase failed (and none succeeded) reads "
                                               "PURCHASE_FAILED")
    channel: str
    lowestPremium: float | None
    highestPremium: float | None
    insurerCustomerId: str
    insuredCustomerId: str
    additionalInsuredCustomerIds: list[str]
    initialCoverage: Coverage | None
    products: list[ProposalProductOut]
    snapshot: ProposalSnapshot
    policyStartDate: str
    policyEndDate: str
    coverageGroups: list[CoverageGroupTable]
    revisedFromProposalId: str | None


class ProposalListItem(Strict):
    proposalId: str
    id: str
    productBranch: str
    state: ProposalState
    channel: str
    createdAt: str
    insurerCustomerId: str
    insuredCustomerId: str
    insuredCustomerName: str | None
    totalProductsCount: int
    succeedProductsCount: int
    lowestPremium: float | None
    highestPremium: float | None
    vehicleId: str | None
    propertyId: str | None
    agentBranchId: str | None


class ProposalList(Strict):
    items: list[ProposalListItem]
    totalCount: int
    skip: int
    take: int


class PremiumDetail(Premium):
    proposalId: str
    proposalProductId: str
    insurerCustomerId: str
    insuredCustomerId: str
    insuranceServicesProposalId: str
    insuranceServicesPremiumId: str
    installmentAmount: float


class ProductRevised(Strict):
    proposalId: str
    proposalProductId: str


class DocumentUrl(Strict):
    url: str


class CoverageGroupOut(Strict):
    id: str
    name: str
    productBranch: str
    description: str | None
    coverage: Coverage
    createdAt: str
    updatedAt: str
    createdBy: UserReference | None
    lastUpdatedBy: UserReference | None


# --------------------------------------------------------------------------- purchases
PaymentOption = Literal["UNKNOWN", "SYNC_CREDIT_CARD", "SYNC_OPEN_ACCOUNT", "ASYNC_3D_SECURE",
                        "ASYNC_INSURANCE_COMPANY_REDIRECT", "ASYNC_THIRD_PARTY_3D_SECURE"]


class PurchaseAsyncResponse(Strict):
    redirectUrl: str


class PurchaseSyncResponse(Strict):
    policyId: str
    policyNumber: str
    status: Literal["PURCHASED"]


class CardOut(Strict):
    """What is kept of a card: never its number, only the last four digits."""

    maskedNumber: str
    brand: str
    holderName: str | None
    expiry: str


class PaymentStep(Strict):
    at: str
    event: str
    detail: str | None


class PaymentOut(Strict):
    id: str
    paymentId: str
    agentId: str
    proposalId: str
    proposalProductId: str
    installmentNumber: int
    paymentType: PaymentOption
    type_: str = Field(alias="$type", description="The payment type in kebab case (3d-secure, …)")
    amount: float
    currency: str
    insuranceCompanyId: int
    state: Literal["AWAITING_AUTHENTICATION", "PROCESSING", "SUCCEEDED", "FAILED", "EXPIRED"]
    card: CardOut | None
    callbackUrl: str | None
    redirectUrl: str | None
    expectedOutcome: str = Field(description="What the card makes happen (a magic card's outcome, else success)")
    createdAt: str
    expiresAt: str | None
    completedAt: str | None
    failureCode: str | None
    failureReason: str | None
    policyId: str | None
    history: list[PaymentStep]


class PaymentCompleted(Strict):
    payment: PaymentOut
    callbackLocation: str | None = Field(description="Where a browser would land: callbackUrl with the result")


# --------------------------------------------------------------------------- policies
class PolicyVersionOut(Strict):
    """The SDK's PolicyVersionSummary, with the sandbox's own names beside it."""

    version: int
    versionType: Literal["INITIAL", "UPDATE", "CANCELLATION"]
    timestamp: str
    source: Literal["UNKNOWN", "MANUAL", "POLICY_TRANSFER"]
    updateReasonText: str | None
    hasSnapshotChange: bool
    hasCoverageChange: bool
    hasPremiumChange: bool
    endorsementNumber: int
    type: str | None = Field(description="The sandbox's: null for the issue, else the endorsement's kind")
    at: str
    netPremiumChange: float
    grossPremiumChange: float
    reason: str | None


class PolicySnapshot(Strict):
    """The SDK's PolicySnapshot: the parties and the asset as sold."""

    productBranch: str
    insurerCustomer: SnapshotCustomer
    insuredCustomer: SnapshotCustomer
    isInsuredCustomerSameAsInsurerCustomer: bool
    vehicle: VehicleOut | None = None
    property: PropertyOut | None = None


class PolicyPremium(Strict):
    installmentNumber: int
    netPremium: float
    grossPremium: float
    commission: float
    exchangeRate: float
    currency: str
    insuranceCompanyProposalNumber: str | None = None
    insurancePremiumReference: str | None = None


class PolicyRow(Strict):
    """A policy as GraphQL's ``policies`` lists it (QueryPoliciesResult), flat: the REST detail starts
    from it."""

    id: str
    insurerCustomerId: str
    insuredCustomerId: str
    installmentNumber: int
    productBranch: str
    netPremium: float
    grossPremium: float
    commission: float
    paymentType: PaymentOption
    currency: str
    exchangeRate: float
    netPremiumTL: float
    grossPremiumTL: float
    commissionTL: float
    insuranceCompanyProposalNumber: str | None
    insuranceCompanyPolicyNumber: str
    policyNumber: str
    renewalNumber: int
    endorsementNumber: int
    endorsementType: str | None
    updateReasonText: str | None
    endorsementTimestamp: str | None
    createdAt: str
    startDate: str
    endDate: str
    arrangementDate: str
    state: Literal["ACTIVE", "CANCELLED", "ENDED"]
    insuredCustomerName: str | None
    insuredCustomerIdentityNumber: str | None
    insuredCustomerTaxNumber: str | None
    insuredCustomerIdentity: str | None
    insuredCustomerType: str | None
    insuredCustomerCityText: str | None
    insuredCustomerCityValue: str | None
    insuredCustomerDistrictText: str | None
    insuredCustomerDistrictValue: str | None
    insuredCustomerPhoneNumber: str | None
    insuredCustomerPhoneNumberCountryCode: int | None
    insuredCustomerEmail: str | None
    insuredCustomerBirthDate: str | None
    insurerCustomerName: str | None
    insurerCustomerIdentityNumber: str | None
    insurerCustomerTaxNumber: str | None
    insurerCustomerCityText: str | None
    insurerCustomerCityValue: str | None
    insurerCustomerDistrictText: str | None
    insurerCustomerDistrictValue: str | None
    insurerCustomerBirthDate: str | None
    vehiclePlateCode: str | None = None
    vehiclePlateCity: int | None = None
    vehiclePlate: str | None = None
    vehicleDocumentSerialCode: str | None = None
    vehicleDocumentSerialNumber: str | None = None
    vehicleModelBrandText: str | None = None
    vehicleModelBrandValue: str | None = None
    vehicleModelTypeText: str | None = None
    vehicleModelTypeValue: str | None = None
    vehicleModelYear: int | None = None
    vehicleModelName: str | None = None
    vehicleFuelType: str | None = None
    vehicleModel: VehicleModelOut | None = None
    vehicleUtilizationStyle: str | None = None
    vehicleEngineNumber: str | None = None
    vehicleChassisNumber: str | None = None
    vehicleRegistrationDate: str | None = None
    vehicleSeatNumber: int | None = None
    productId: int
    productName: str
    insuranceCompanyId: int
    insuranceCompanyName: str
    insuranceCompanyLogo: str
    createdBy: UserReference | None
    representedBy: UserReference | None
    propertyNumber: int | None
    daskOldPolicyNumber: str | None
    daskPolicyNumber: str | None
    vehicleId: str | None
    propertyId: str | None
    channel: str
    campaign: str | None
    agentBranchId: str | None
    agentBranch: AgentBranchRef | None


class PolicyOut(PolicyRow):
    """``GET policies/{id}``: the row, the SDK's GetPolicyDetailResult (snapshot, versions…), and the
    parties and asset as sold."""

    policyId: str
    proposalId: str | None = Field(description="null for a manual policy (policies/manual)")
    proposalProductId: str | None = Field(description="null for a manual policy")
    premium: PolicyPremium
    insurerCustomer: SnapshotCustomer
    insuredCustomer: SnapshotCustomer
    vehicle: VehicleOut | None
    property: PropertyOut | None
    snapshot: PolicySnapshot
    coverage: Coverage | None = Field(description="Always null: the insurer's coverage is on the proposal product")
    metadata: None = Field(description="Always null (no source describes it)")
    insuranceServicesPolicyReference: None = Field(description="Always null (no source describes it)")
    insuranceCompanyEndorsementNumber: int = Field(description="The current version's endorsement number")
    insuranceCompanyRenewalNumber: int
    netPremiumChange: float
    grossPremiumChange: float
    commissionChange: float
    currentVersion: int = Field(description="Index of the current version in versions")
    versions: list[PolicyVersionOut]


class PolicyListItem(Strict):
    policyId: str
    id: str
    productBranch: str
    state: Literal["ACTIVE", "CANCELLED", "ENDED"]
    insuranceCompanyId: int
    insuranceCompanyName: str
    productName: str
    insuranceCompanyPolicyNumber: str
    startDate: str
    endDate: str
    netPremium: float
    grossPremium: float
    installmentNumber: int
    paymentType: PaymentOption
    insurerCustomerId: str
    insuredCustomerId: str
    insuredCustomerName: str | None
    vehicleId: str | None
    propertyId: str | None
    createdAt: str
    channel: str


class PolicyList(Strict):
    items: list[PolicyListItem]
    totalCount: int
    skip: int
    take: int


# --------------------------------------------------------------------------- webhooks
class WebhookOut(Strict):
    id: str
    url: str
    name: str
    events: list[str]
    agentBranchIds: list[str]
    secret: str | None
    createdAt: str
    updatedAt: str
    deliveryCount: int | None = Field(None, description="The list's: deliveries made for the webhook")


class DeliveryAttempt(Strict):
    attempt: int
    at: str
    responseStatusCode: int | None
    durationMs: float
    error: str | None
    manual: bool = Field(description="A redelivery asked for by hand")


class WebhookDeliveryOut(Strict):
    id: str
    webhookId: str
    webhookName: str
    event: str
    state: Literal["PENDING", "SUCCESS", "FAILED"]
    responseStatusCode: int | None
    createdAt: str
    completedAt: str | None
    retryCount: int
    nextAttemptAt: str | None = Field(description="When a pending delivery is tried again")
    attempts: list[DeliveryAttempt]
    payload: dict[str, Any] | None = Field(None, description="One delivery's: the body sent (the event's payload)")


# ----------------------------------------------------------------------------- shared (requests)
class ValueRef(Wire):
    """An echoed ``{value, text}`` (or ``{reference}``) object: only its value counts."""

    value: str | int | None = None
    text: str | None = None
    reference: str | int | None = None


Enumish = str | int | ValueRef  # UPPER_SNAKE in any case, the integer code, or a {value} echo
DateText = Annotated[str, Field(pattern=r"^([0-9]{4}-[0-9]{2}-[0-9]{2}([T ].*)?|[0-9]{2}[./][0-9]{2}[./][0-9]{4})$",
                               description="YYYY-MM-DD (dd.mm.yyyy and ISO instants accepted)")]
IsoDate = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}", description="YYYY-MM-DD")]
Money = Annotated[float, Field(ge=0)]


# ----------------------------------------------------------------------------- auth (requests)
class CustomerLoginRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("identityNumber", "taxNumber")))

    type_: Literal["individual", "company", "foreign"] | None = Field(None, alias="$type")
    type: Literal["individual", "corporate", "company", "foreign", "INDIVIDUAL", "COMPANY", "FOREIGN"] | None = None
    identityNumber: str | int | None = Field(None, json_schema_extra={"x-error-code": "INVALID_IDENTITY_NUMBER"}, description="TCKN (individual), YKN/passport (foreign), VKN (company, variant A)")
    taxNumber: str | int | None = Field(None, json_schema_extra={"x-error-code": "INVALID_TAX_NUMBER"}, description="VKN for company customers (real client shape)")
    birthDate: DateText | None = Field(None, description="YYYY-MM-DD; required only on first registration")
    birthday: DateText | None = Field(None, description="dd.mm.yyyy (variant A); same meaning as birthDate")
    phoneNumber: PhoneIn | str | int
    agentId: str | None = Field(None, description="Required: without it the call is refused with 401 AGENT_ID_REQUIRED")
    agentBranchId: str | None = None
    approvedConsentTypes: list[str] | None = Field(None, description="KVKK, ETK")


class VerifyMfaRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("token", "mfaToken")))

    token: str | None = Field(None, description="The login response's token")
    mfaToken: str | None = Field(None, description="Same as token")
    code: str | int = Field(description="The 6-digit code from the SMS")


class RefreshRequest(Wire):
    refreshToken: str


class AgentUserLoginRequest(Wire):
    email: str
    password: str


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

    clientId: str
    displayName: str | None = None
    clientType: Literal["Public", "Confidential"] = "Public"
    clientSecret: str | None = Field(None, description="Confidential only; generated when not given, shown once")
    redirectUris: list[str]
    postLogoutRedirectUris: list[str] | None = None
    scopes: list[str] | None = Field(None, description="default: openid profile offline_access core-api")
    requirePar: bool = False


# ----------------------------------------------------------------------------- customers (requests)
class ConsentRequest(Wire):
    consentType: str = Field(description="KVKK or ETK")
    isActive: bool | None = True
    approved: bool | None = Field(None, description="Same as isActive")
    channel: str | None = None


class CustomerCreateRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("identityNumber", "taxNumber")))

    type_: Literal["individual", "person", "company", "corporate", "foreign"] | None = Field(None, alias="$type")
    type: str | None = Field(None, description="Same as $type, any case")
    identityNumber: str | int | None = Field(None, json_schema_extra={"x-error-code": "INVALID_IDENTITY_NUMBER"})
    taxNumber: str | int | None = Field(None, json_schema_extra={"x-error-code": "INVALID_TAX_NUMBER"})
    fullName: str | None = None
    firstName: str | None = None
    lastName: str | None = None
    title: str | None = Field(None, description="Company title")
    companyTitle: str | None = None
    birthDate: DateText | None = None
    birthday: DateText | None = None
    gender: Enumish | None = None
    maritalStatus: Enumish | None = None
    nationality: str | int | ValueRef | None = None
    educationStatus: str | int | ValueRef | None = None
    job: Enumish | None = None
    email: str | ValueRef | None = None
    primaryEmail: str | ValueRef | None = None
    phoneNumber: PhoneIn | str | int | None = None
    primaryPhoneNumber: PhoneIn | str | int | None = None
    cityReference: str | int | ValueRef | None = None
    districtReference: str | int | ValueRef | None = None
    city: str | int | ValueRef | None = None
    district: str | int | ValueRef | None = None
    channel: str | None = None
    fillMissingFields: bool = False
    agentBranchId: str | None = None
    representedBy: Annotated[str, Field(max_length=64)] | ReferenceIn | None = Field(
        None, description="An agent user's id, or its reference {id, …}; null: no representative")


class CustomerUpdateRequest(Wire):
    """Partial: absent fields are kept (real clients echo the whole customers/me body back)."""

    type_: Literal["individual", "person", "company", "corporate", "foreign"] | None = Field(None, alias="$type")
    type: str | None = None
    id: str | None = None
    identityNumber: str | int | None = Field(None, description="Cannot change; may be echoed")
    taxNumber: str | int | None = Field(None, description="Cannot change; may be echoed")
    fullName: str | None = None
    firstName: str | None = None
    lastName: str | None = None
    title: str | None = None
    companyTitle: str | None = None
    birthDate: DateText | None = None
    birthday: DateText | None = None
    gender: Enumish | None = None
    job: Enumish | None = None
    maritalStatus: Enumish | None = None
    nationality: str | int | ValueRef | None = None
    educationStatus: str | int | ValueRef | None = None
    primaryEmail: str | ValueRef | None = None
    email: str | ValueRef | None = None
    primaryPhoneNumber: PhoneIn | str | int | None = None
    phoneNumber: PhoneIn | str | int | None = None
    cityReference: str | int | ValueRef | None = None
    districtReference: str | int | ValueRef | None = None
    city: str | int | ValueRef | None = None
    district: str | int | ValueRef | None = None
    agentBranchId: str | None = None
    representedBy: Annotated[str, Field(max_length=64)] | ReferenceIn | None = Field(
        None, description="An agent user's id, or its reference {id, …}; null: no representative")


class HealthInfoRequest(Wire):
    height: Annotated[float, Field(ge=30, le=250, multiple_of=1)] = Field(description="cm, a whole number")
    weight: Annotated[float, Field(ge=1, le=400, multiple_of=1)] = Field(description="kg, a whole number")
    surgeries: list[str | int] | None = []
    diseases: list[str | int] | None = []


class RelationshipRequest(Wire):
    relatedCustomerId: str
    relationType: str = Field(description="SPOUSE or CHILD (any case; PARENT and SIBLING links are made for you)")


# ----------------------------------------------------------------------------- vehicles (requests)
class PlateIn(Wire):
    city: int | str
    code: str | None = None


class DocumentSerialIn(Wire):
    code: str | int | None = None
    number: str | int | None = None


class FuelIn(Wire):
    type: Enumish | None = None
    customLpg: bool | None = None
    customLpgPrice: Money | None = None


class AccessoryIn(Wire):
    type_: str | None = Field(None, alias="$type", description="audio, display or other")
    type: str | None = None
    price: Money | None = None


class VehicleUpdateRequest(Wire):
    """``PUT``: partial, absent fields are kept. The create body adds what a new vehicle needs."""

    plate: PlateIn | str | None = None
    modelYear: int | str | None = Field(None, description="Model year (also accepted as year)")
    year: int | str | None = Field(None, description="docs spelling of modelYear")
    brandReference: str | int | ValueRef | None = None
    brandCode: str | int | ValueRef | None = Field(None, description="docs spelling: a brand name such as RENAULT or a brand value")
    brand: str | int | ValueRef | None = None
    modelTypeReference: str | int | ValueRef | None = None
    modelCode: str | int | ValueRef | None = Field(None, description="docs spelling: a model name such as CLIO or a model value")
    modelReference: str | int | ValueRef | None = None
    model: str | int | ValueRef | dict[str, Any] | None = None
    utilizationStyle: Enumish | None = None
    fuel: FuelIn | str | int | None = None
    fuelType: Enumish | None = None
    engine: Annotated[str, Field(max_length=40)] | None = None
    engineNumber: Annotated[str, Field(max_length=40)] | None = None
    chassis: Annotated[str, Field(max_length=40)] | None = None
    chassisNumber: Annotated[str, Field(max_length=40)] | None = None
    documentSerial: DocumentSerialIn | None = None
    documentSerialCode: str | int | None = None
    documentSerialNumber: str | int | None = None
    registrationDate: IsoDate | None = None
    seatNumber: Annotated[int, Field(ge=1, le=100)] | None = None
    accessories: list[AccessoryIn] | None = None
    lossPayeeClause: LossPayeeClause | None = None
    kaskoOldPolicy: VehicleOldPolicy | None = None
    trafikOldPolicy: VehicleOldPolicy | None = None
    customerId: str | None = None
    vehicleId: str | None = None


class VehicleRequest(VehicleUpdateRequest):
    model_config = ConfigDict(json_schema_extra=one_of_required(
        ("plate",), ("modelYear", "year"), ("brandReference", "brandCode", "brand"),
        ("modelTypeReference", "modelCode", "modelReference", "model")))


class VehicleLookupRequest(Wire):
    plate: PlateIn | str
    documentSerial: DocumentSerialIn | None = None
    documentSerialCode: str | int | None = None
    documentSerialNumber: str | int | None = None


# ----------------------------------------------------------------------------- properties (requests)
Uavt = str | int


class UavtQueryRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("propertyNumber", "number", "uavtCode")))

    propertyNumber: Uavt | None = Field(None, description="The 10-digit UAVT address code")
    number: Uavt | None = Field(None, description="Same as propertyNumber")
    uavtCode: Uavt | None = Field(None, description="Same as propertyNumber")


class DaskQueryRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("daskOldPolicyNumber", "daskPolicyNumber",
                                                                 "policyNumber")))

    daskOldPolicyNumber: int | str | None = Field(None, description="8 digits")
    daskPolicyNumber: int | str | None = Field(None, description="SDK spelling")
    policyNumber: int | str | None = None


class FloorRangeIn(Wire):
    type_: str | None = Field(None, alias="$type", description="range")
    min: Annotated[int, Field(ge=0, le=200)]
    max: Annotated[int, Field(ge=0, le=200)]


class FloorIn(Wire):
    totalFloors: FloorRangeIn | None = None
    currentFloor: Annotated[int, Field(ge=-5, le=200)] | None = None


class PropertyUpdateRequest(Wire):
    """``PUT``: partial, absent fields are kept."""

    number: Uavt | None = Field(None, description="The 10-digit UAVT code of the apartment")
    propertyNumber: Uavt | None = None
    uavtCode: Uavt | None = None
    address: dict[str, Any] | None = Field(None, description="An echoed address: its apartment.value is the UAVT code")
    squareMeter: int | str | None = None
    constructionYear: int | str | None = None
    floor: FloorIn | None = None
    structure: Enumish | None = None
    utilizationStyle: Enumish | None = None
    damageStatus: Enumish | None = None
    ownershipType: Enumish | None = None
    daskOldPolicyNumber: str | int | None = None
    KonutOldPolicyNumber: str | int | None = None
    konutOldPolicyNumber: str | int | None = None
    lossPayeeClause: LossPayeeClause | None = None
    customerId: str | None = None
    propertyId: str | None = None


class PropertyRequest(PropertyUpdateRequest):
    model_config = ConfigDict(json_schema_extra=one_of_required(("number", "propertyNumber", "uavtCode", "address")))


# ----------------------------------------------------------------------------- catalogue (requests)
CredentialValues = dict[str, str | int | float | bool | None] | list[dict[str, Any]]


class ConnectionRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("branches", "productBranches")))

    insuranceCompanyId: int | str
    branches: list[str] | None = None
    productBranches: list[str] | None = None
    connection: CredentialValues | None = Field(None, description="credential field key -> value")
    fields: CredentialValues | None = None
    credentials: CredentialValues | None = None


class ConnectionUpdateRequest(Wire):
    connection: CredentialValues | None = None
    fields: CredentialValues | None = None
    credentials: CredentialValues | None = None


class BranchesRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("branches", "productBranches")))

    branches: list[str] | None = None
    productBranches: list[str] | None = None


# ----------------------------------------------------------------------------- cases (requests)
CaseEnum = str | ValueRef


class CaseCreateRequest(Wire):
    customerId: str | None = Field(None, description="Required for agent tokens; a customer token may omit it")
    productBranch: CaseEnum | None = Field(None, description="Required for sale opportunities (or type): KASKO, "
                                                              "TRAFIK, ... in any case")
    type: CaseEnum | None = Field(None, description="The web-sales guide's name for productBranch (kasko, trafik, "
                                                    "tss...); must agree with productBranch when both are sent")
    channel: CaseEnum | None = Field(None, description="WEBSITE, MOBILE_APP (MOBILE accepted), CALL_CENTER, ... in "
                                                       "any case")
    source: str | None = Field(None, description="The web-sales guide's lead source (web_sales_platform, "
                                                 "b2c_website); kept in the case's CREATED activity")
    assetType: CaseEnum | None = Field(None, description="VEHICLE or PROPERTY (inferred from assetId)")
    assetId: str | None = None
    customerAssetReference: str | None = Field(None, description="Real-site lead forms: same as assetId")
    agentBranchId: str | None = None
    subType: CaseEnum | None = Field(None, description="Cancel/endorsement/complaint sub-type")
    cancelSubType: CaseEnum | None = None
    endorsementSubType: CaseEnum | None = None
    complaintSubType: CaseEnum | None = None
    sourceCaseId: str | None = None
    note: str | None = None
    advertisingSource: str | None = None
    advertisingCampaign: str | None = None


class CaseStateRequest(Wire):
    mainState: CaseEnum = Field(description="FAIL, OPEN, IN_PROGRESS or SUCCESS")
    subState: CaseEnum = Field(description="A sub-state of mainState that applies to the case type")
    note: str | None = None


class CaseNoteRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("note", "content", "text")))

    note: Annotated[str, Field(max_length=10_000)] | None = Field(None, description="Markdown")
    content: Annotated[str, Field(max_length=10_000)] | None = None
    text: Annotated[str, Field(max_length=10_000)] | None = None


class CaseChannelRequest(Wire):
    channel: CaseEnum


class CaseAssetRequest(Wire):
    """At least one of assetId / customerAssetReference is sent; null detaches the asset."""

    model_config = ConfigDict(json_schema_extra=one_of_present(("assetId", "customerAssetReference")))

    assetType: CaseEnum | None = None
    assetId: str | None = Field(None, description="A vehicle or property of the case's customer; null detaches")
    customerAssetReference: str | None = None


class CaseBranchRequest(Wire):
    """agentBranchId (or branchId) is sent; null moves the case out of any branch."""

    model_config = ConfigDict(json_schema_extra=one_of_present(("agentBranchId", "branchId")))

    agentBranchId: str | None = None
    branchId: str | None = None


class CaseRepresentativeRequest(Wire):
    """representativeId (or agentUserId, representedById) is sent; null removes the representative."""

    model_config = ConfigDict(json_schema_extra=one_of_present(("representativeId", "agentUserId",
                                                                "representedById")))

    representativeId: str | None = Field(None, description="An agent user's id; null removes the representative")
    agentUserId: str | None = None
    representedById: str | None = None


# ----------------------------------------------------------------------------- proposals (requests)
GroupId = str | int


class ProposalCreateRequest(Wire):
    """Both generations: ``$type`` + ``insurerCustomerId`` (SDK, real site) or ``type`` + ``customerId``
    (web-sales guides)."""

    model_config = ConfigDict(json_schema_extra=one_of_required(("$type", "type", "productBranch"),
                                                                ("insurerCustomerId", "customerId")))

    type_: str | None = Field(None, json_schema_extra={"x-error-code": "PROPOSAL_TYPE_INVALID"}, alias="$type", description="kasko, trafik, imm, konut, dask, tss")
    type: str | None = Field(None, json_schema_extra={"x-error-code": "PROPOSAL_TYPE_INVALID"}, description="Older guides: traffic, kasko, imm, konut, tss")
    productBranch: str | None = Field(None, json_schema_extra={"x-error-code": "PROPOSAL_TYPE_INVALID"}, description="KASKO, TRAFIK, IMM, KONUT, DASK, TSS (must match $type)")
    insurerCustomerId: str | None = Field(None, description="Policyholder (sigorta ettiren)")
    customerId: str | None = Field(None, description="Older guides' name for insurerCustomerId")
    insuredCustomerId: str | None = Field(None, description="Main insured; defaults to the policyholder")
    vehicleId: str | None = Field(None, description="kasko, trafik, imm")
    propertyId: str | None = Field(None, description="konut, dask")
    additionalInsuredCustomers: list[str] | None = Field(None, description="TSS family: up to 4 relatives")
    coverageGroupIds: list[GroupId] | None = Field(None, json_schema_extra={"x-error-code": "COVERAGE_GROUP_INVALID"}, description="1-3 coverage group ids of the branch")
    guaranteeGroupIds: list[GroupId] | None = Field(None, json_schema_extra={"x-error-code": "COVERAGE_GROUP_INVALID"}, description="Same as coverageGroupIds")
    coverage: dict[str, Any] | None = Field(None, description="Coverage values instead of (or on top of) groups")
    channel: str | None = Field(None, description="WEBSITE (website), MOBILE_APP (MOBILE), MANUAL, API, ...")
    agentBranchId: str | None = None
    policyStartDate: IsoDate | None = Field(None, json_schema_extra={"x-error-code": "PROPOSAL_START_DATE_INVALID"}, description="YYYY-MM-DD, today up to 60 days ahead")
    furniturePrice: Annotated[float, Field(ge=0, le=100_000_000)] | None = None
    electronicDevicePrice: Annotated[float, Field(ge=0, le=100_000_000)] | None = None
    insulationPrice: Annotated[float, Field(ge=0, le=100_000_000)] | None = None
    windowPrice: Annotated[float, Field(ge=0, le=100_000_000)] | None = None
    constructionCostPerSquareMeter: Annotated[float, Field(gt=0, le=100_000_000)] | None = None
    inflation: Annotated[int, Field(ge=0, le=80, multiple_of=5)] | None = Field(
        None, description="Konut inflation protection, 0-80 in steps of 5")
    earthquakeCoverageOption: Literal[0, 1] | None = Field(None, description="0 or 1")
    vacancyDurationOption: Literal[0, 1] | None = Field(None, description="0: under a month empty, 1: over a month")


class ProposalReviseRequest(Wire):
    coverageGroupIds: list[GroupId] | None = None
    coverage: dict[str, Any] | None = None


class ProductReviseRequest(Wire):
    guaranteeGroupId: GroupId | None = Field(None, description="A coverage group id")
    coverageGroupId: GroupId | None = Field(None, description="Same as guaranteeGroupId")
    coverage: dict[str, Any] | None = None


class CompareRequest(Wire):
    proposalProductIds: list[str] | str | None = Field(None, description="Default: every quoted product")
    excludedCoverageFields: list[str] | str | None = None


class PhoneRef(Wire):
    number: str | int | None = None
    countryCode: int | str | None = None


class Communication(Wire):
    type_: str | None = Field(None, alias="$type", description="email or sms")
    type: str | None = Field(None, description="email or sms")
    email: str | None = None
    phoneNumber: str | int | PhoneRef | None = None


class DocumentSendRequest(Wire):
    proposalId: str | None = None
    proposalProductId: str | None = None
    proposalProductIds: list[str] | str | None = Field(None, description="compare-pdf/send: the products compared")
    excludedCoverageFields: list[str] | str | None = None
    customerId: str | None = None
    communication: Communication = Field(description='{"type": "email", "email": ...} or {"type": "sms", "phoneNumber": ...}')


class CoverageGroupUpdateRequest(Wire):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    productBranch: str | None = Field(None, description="Cannot change")
    description: str | None = None
    coverage: dict[str, Any] | None = Field(None, description="Coverage values; unset keys take the branch defaults")
    coverageTable: dict[str, Any] | None = Field(None, description="Same as coverage")


class CoverageGroupRequest(CoverageGroupUpdateRequest):
    model_config = ConfigDict(json_schema_extra=one_of_required(("name",), ("productBranch", "branch")))

    branch: str | None = Field(None, description="Same as productBranch")


# --------------------------------------------------------------------------- purchases (requests)
class CardIn(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("number", "cardNumber"), ("cvc", "cvv")))

    number: str | int | None = Field(None, description="12-19 digits passing Luhn; never stored (only first six / last four)")
    cardNumber: str | int | None = Field(None, description="Same as number")
    cvc: str | int | None = Field(None, description="3 digits (4 for AMEX); never stored")
    cvv: str | int | None = Field(None, description="Same as cvc")
    expiryMonth: str | int = Field(description="MM")
    expiryYear: str | int = Field(description="YYYY, or YY as real sites send it")
    holderName: str | None = None
    cardHolderName: str | None = Field(None, description="Same as holderName")
    identityNumber: str | int | None = None


class PurchaseAsyncRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("installmentNumber", "installment"),
                                                                ("callbackUrl", "callbackURL", "returnUrl")))

    type_: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"}, alias="$type", description="3d-secure, insurance-company-redirect, "
                                                               "third-party-3d-secure (the guides' spellings too)")
    type: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"}, description="Same as $type")
    paymentType: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"}, description="ASYNC_3D_SECURE, ASYNC_INSURANCE_COMPANY_REDIRECT, ...")
    paymentMethod: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"}, description="Same as paymentType")
    proposalId: str | None = Field(None, description="Must equal the path's, when given")
    proposalProductId: str | None = None
    installmentNumber: int | str | None = Field(None, description="1 = single payment (peşin); must be a plan the product offers")
    installment: int | str | None = Field(None, description="Same as installmentNumber")
    callbackUrl: str | None = Field(None, json_schema_extra={"x-error-code": "CALLBACK_URL_INVALID"}, description="Where the payment page sends the customer back, with the result appended")
    callbackURL: str | None = Field(None, json_schema_extra={"x-error-code": "CALLBACK_URL_INVALID"})
    returnUrl: str | None = Field(None, json_schema_extra={"x-error-code": "CALLBACK_URL_INVALID"})
    card: CardIn | None = Field(None, json_schema_extra={"x-error-code": "CARD_REQUIRED"}, description="Required for 3d-secure and third-party-3d-secure")
    identityNumber: str | int | None = Field(None, description="Card holder's identity number, when not the insured")
    metadata: dict[str, Any] | None = None


class PurchaseSyncRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("installmentNumber", "installment")))

    type_: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"}, alias="$type", description="credit-card or open-account")
    type: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"})
    paymentType: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"}, description="SYNC_CREDIT_CARD or SYNC_OPEN_ACCOUNT")
    paymentMethod: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"})
    proposalId: str | None = None
    proposalProductId: str | None = None
    installmentNumber: int | str | None = None
    installment: int | str | None = None
    card: CardIn | None = Field(None, json_schema_extra={"x-error-code": "CARD_REQUIRED"}, description="Required for credit-card")
    identityNumber: str | int | None = None
    metadata: dict[str, Any] | None = None


class PaymentCompleteRequest(Wire):
    outcome: Literal["success", "declined", "insufficient_funds", "authentication_failed", "issuance_failed",
                     "stuck"] | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_OUTCOME_UNKNOWN"},
                                         description="Default: what the card asks for (magic cards), else success")


class PaymentPageForm(Wire):
    """What a payment page's form posts (``application/x-www-form-urlencoded``)."""

    action: Literal["confirm", "cancel"] | None = Field(None, description="Absent: render the page")
    code: str | None = Field(None, description="The one-time code (123456 in the sandbox)")
    holderName: str | None = None
    cardHolderName: str | None = None
    number: str | None = None
    cardNumber: str | None = None
    expiryMonth: str | None = None
    expiryYear: str | None = None
    cvc: str | None = None
    cvv: str | None = None
    identityNumber: str | None = None


# --------------------------------------------------------------------------- policies (requests)
class PolicyDocumentSendRequest(Wire):
    policyId: str | None = None
    PolicyId: str | None = Field(None, description=".NET SDK spelling of policyId")
    email: str | None = Field(None, description="Default: the insured's email")
    Email: str | None = Field(None, description=".NET SDK spelling of email")
    communication: Communication | None = Field(None, description='Or {"type": "email"|"sms", ...} as documents take')


class PolicyCancelRequest(Wire):
    reason: str | None = None


# --------------------------------------------------------------------------- webhooks (requests)
class WebhookUpdateRequest(Wire):
    """``PUT``: absent fields are kept."""

    id: str | None = Field(None, description="Must equal the path's, when given")
    url: Annotated[str, Field(max_length=2000)] | None = None
    events: list[str] | None = Field(None, description="Event names of reference §6.5 (proposal_premium.purchased) or "
                                                       "the SDK's WebhookEvent (PROPOSAL_PREMIUM_PURCHASED)")
    secret: str | None = Field(None, description="Signs deliveries: x-webhook-signature = hex HMAC-SHA256")
    agentBranchIds: list[str] | None = None
    name: str | None = None


class WebhookRequest(WebhookUpdateRequest):
    model_config = ConfigDict(json_schema_extra=one_of_required(("url",), ("events",), x_error_code="WEBHOOK_INVALID"))


# --------------------------------------------------------------------------- GraphQL (requests)
class GraphQLRequest(Wire):
    query: Annotated[str, Field(pattern=r"\S")] = Field(description="The GraphQL document")
    variables: dict[str, Any] | None = None
    operationName: str | None = None


# --------------------------------------------------------------------------- analytics
class AnalyticsWindow(Strict):
    startDate: str
    endDate: str


class FunnelStage(Strict):
    stage: Literal["OPENED", "PROPOSAL_MADE", "POLICY_SOLD", "WON"]
    count: int
    rate: float = Field(description="Share of the opened cases, 0 to 1")


class SalesFunnelOut(AnalyticsWindow):
    stages: list[FunnelStage]


class BacklogAges(Strict):
    day: int = Field(alias="0-1")
    week: int = Field(alias="1-7")
    month: int = Field(alias="7-30")
    older: int = Field(alias="30+")


class BacklogRow(Strict):
    caseType: str
    subState: str
    total: int
    byAgeDays: BacklogAges


class BacklogOut(AnalyticsWindow):
    total: int
    rows: list[BacklogRow]


class FailedReason(Strict):
    subState: str
    count: int
    share: float


class FailedReasonsOut(AnalyticsWindow):
    total: int
    reasons: list[FailedReason]


class ConversionPoint(Strict):
    period: str
    proposalCount: int
    purchasedCount: int
    conversionRate: float


class ConversionTrendOut(AnalyticsWindow):
    period: str = Field(description="DAY, WEEK or MONTH: the points' bucket")
    proposalCount: int
    purchasedCount: int
    conversionRate: float
    points: list[ConversionPoint]


class PolicyMoney(Strict):
    """Counts and sums over every version of the policies (issue, endorsements, cancellation)."""

    policyCount: int
    grossPremium: float
    netPremium: float
    commission: float


class MoneyPoint(PolicyMoney):
    period: str


class CountAndPremiumOut(AnalyticsWindow, PolicyMoney):
    period: str
    cancelledCount: int
    points: list[MoneyPoint]


class BranchShare(PolicyMoney):
    productBranch: str
    premiumShare: float


class DistributionOut(AnalyticsWindow, PolicyMoney):
    branches: list[BranchShare]


class RenewalPolicy(Strict):
    policyId: str
    productBranch: str
    endDate: str
    insuredCustomerId: str
    state: Literal["RENEWED", "LOST", "OPEN"]


class RenewalOut(AnalyticsWindow):
    dueCount: int
    renewedCount: int
    lostCount: int
    openCount: int
    renewalRate: float
    policies: list[RenewalPolicy]


class EarningsRow(PolicyMoney):
    agentUserId: str | None
    name: str | None


class EarningsOut(AnalyticsWindow):
    representatives: list[EarningsRow]


# --------------------------------------------------------------------------- query strings
class Query(BaseModel):
    """Query strings: values arrive as text, so numbers are read from their digits (lax), and
    unknown parameters are ignored."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")


class SnapshotQuery(Query):
    redact: bool = Field(False, description="mask identity numbers, phones, e-mails, birth dates and names")


Digits = Annotated[str, Field(pattern=r"^[0-9]+$")]


class InviteCodeQuery(Query):
    code: Annotated[str, Field(max_length=200)] | None = Field(None, description="From the invitation e-mail")


class PageQuery(Query):
    skip: Annotated[int, Field(ge=0, le=10**9)] = 0
    take: Annotated[int, Field(ge=1, le=100)] = 20
    productBranch: str | None = Field(None, description="KASKO, TRAFIK, ... (any case)")
    state: str | None = Field(None, description="A state of the listed resource (any case)")


class PluginLogsQuery(Query):
    limit: Annotated[int, Field(ge=1, le=1000)] = Field(100, description="The newest this many")
    hookName: Annotated[str, Field(max_length=64)] | None = Field(None, description="Only this hook's (onCustomerUpdated)")
    hook: Annotated[str, Field(max_length=64)] | None = Field(None, description="Same as hookName")


class TemplateQuery(Query):
    languageId: Annotated[str, Field(max_length=10)] | None = Field(None, description="GET languages: 1 Türkçe (the "
                                                                                     "default), 2 English")


class CaseRefQuery(Query):
    caseRef: Annotated[str, Field(max_length=40)] | None = Field(None, description="Only this case's")


class ModelsQuery(Query):
    model_config = ConfigDict(json_schema_extra=one_of_required(("brandReference", "brandCode")))

    brandReference: str | None = Field(None, description="A brand value of vehicle-parameters/brands")
    brandCode: str | None = Field(None, description="Same as brandReference")
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None


def cascade_query(param: str, *aliases: str) -> type[Query]:
    """The query model of one address-parameters level: its parameter, under every accepted name."""
    from pydantic import create_model

    fields: dict[str, Any] = {param: (str | None, Field(None, description="A value of the previous level"))}
    fields.update({a: (str | None, Field(None, description=(
        f"Same as {param}" if not a.startswith("district") or param.startswith("district") else
        "A district (the web-sales guide's cascade skips the town level): its town, MERKEZ"))) for a in aliases})
    name = param[:1].upper() + param[1:] + "Query"
    base = type(f"{name}Base", (Query,), {"model_config": ConfigDict(json_schema_extra=one_of_required((param, *aliases)))})
    return create_model(name, __base__=base, **fields)  # type: ignore[call-overload]


class UavtQuery(Query):
    model_config = ConfigDict(json_schema_extra=one_of_required(("propertyNumber", "number", "uavtCode")))

    propertyNumber: str | None = Field(None, description="The 10-digit UAVT address code")
    number: str | None = Field(None, description="Same as propertyNumber")
    uavtCode: str | None = Field(None, description="Same as propertyNumber")


class CompareQuery(Query):
    proposalProductIds: list[str] | None = Field(None, description="Repeat the parameter or separate with commas; "
                                                                  "default: every quoted product")
    excludedCoverageFields: list[str] | None = None


class ChoicesQuery(Query):
    insuranceCompanyId: Annotated[int, Field(ge=1, le=10**6)] | None = None
    vehicleUtilizationStyle: str | None = None


class BranchQuery(Query):
    productBranch: str | None = Field(None, description="KASKO, TRAFIK, ... (any case)")


class GraphQLQuery(Query):
    query: Annotated[str, Field(pattern=r"\S")] = Field(description="The GraphQL document (queries only over GET)")
    variables: str | None = Field(None, description="JSON object")
    operationName: str | None = None


class DeliveriesQuery(Query):
    state: Literal["PENDING", "SUCCESS", "FAILED"] | None = None
    event: str | None = None


class SmsQuery(Query):
    to: str | None = Field(None, description="A phone number (10 digits, +90 or 0 prefixes accepted)")


class EventsQuery(Query):
    since: Annotated[int, Field(ge=0)] | None = Field(None, description="Only events after this sequence number")
    event: str | None = Field(None, description="Only this event name")


class PageKeyQuery(Query):
    key: str | None = Field(None, description="The page URL's key (part of the redirectUrl)")


# --------------------------------------------------------------------------- responses without a model so far
class Health(Strict):
    status: Literal["ok"]
    version: str
    agents: int
    defaultAgentId: str


class DuplicateCaseRef(Strict):
    id: str
    ref: str


class CaseDuplicates(Strict):
    customerId: str
    productBranch: str | None
    cases: list[DuplicateCaseRef]


class SmsOut(Strict):
    id: str
    to: str
    text: str
    code: str | None
    purpose: str
    sentAt: str


class JournalEntry(Strict):
    at: str
    traceId: str
    method: str
    path: str
    query: str | None
    status: int
    durationMs: float
    authorization: str | None = Field(description="The scheme only: 'Bearer ***'")
    requestBody: Any = Field(description="As received, card numbers masked, CVCs dropped, secrets redacted")
    responseBody: Any
    wall: float | None = Field(None, description="Wall-clock time (Unix seconds): orders entries across agents")
    agentId: str | None = Field(None, description="The agent that received it (the sandbox-wide journal only); "
                                                  "null: no agent claimed the request")
    tokenExpiresAt: str | None = Field(None, description="When the request's bearer token expires (or expired) on "
                                                         "the agent's clock; null without a token")


class EventOut(Strict):
    sequence: int
    event: str
    occurredAt: str
    payload: dict[str, Any] = Field(description="The event's payload as webhooks send it (the webhook reference, "
                                                "§6.6, per event)")


class Settled(Strict):
    proposalId: str
    settledProducts: int
    state: str
    succeedProductsCount: int
    totalProductsCount: int


class OutboxMessage(Strict):
    id: str
    channel: Literal["email", "sms"]
    to: str
    subject: str
    documentUrl: str
    kind: str
    sentAt: str
    proposalId: str | None = Field(None, description="A proposal document's (and a policy's)")
    proposalProductId: str | None = Field(None, description="A product document's")
    policyId: str | None = Field(None, description="A policy document's")
    agentUserId: str | None = Field(None, description="An invitation's user")
    inviteCode: str | None = Field(None, description="An invitation's code (agent-users/activate takes it)")


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


class CertificationKeys(Strict):
    keys: list[EcJwk]


class ProposalRef(Strict):
    id: str
    proposalId: str


class PolicyRef(Strict):
    id: str
    policyId: str


class GraphQLErrorOut(Strict):
    message: str
    extensions: dict[str, Any] = Field(description="code (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, "
                                                   "INTERNAL_ERROR), codes, traceId")
    locations: list[dict[str, int]] | None = None
    path: list[str | int] | None = None


class GraphQLWarning(Strict):
    code: str
    message: str


class GraphQLExtensions(Strict):
    warnings: list[GraphQLWarning] = Field(description="What the sandbox served differently from the current "
                                                       "API (an older documented form), and the current form")


class GraphQLResponse(Strict):
    data: dict[str, Any] | None = None
    errors: list[GraphQLErrorOut] | None = None
    extensions: GraphQLExtensions | None = None


class Flushed(Strict):
    sent: list[WebhookDeliveryOut]
    pending: int


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
