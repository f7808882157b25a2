"""Pydantic models of InsurUp's bodies as they are on the wire (camelCase, ``$type``).

They document the API (``contracts/openapi.json`` is generated from them), and tests validate
every body the sandbox renders against the response models, so the two cannot drift. Request
models list every accepted variant (``birthDate`` and ``birthday``, ``$type`` and ``type``, numbers
or strings); the domain does the semantic checks and names the offending field.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mockserver.core.errors import FieldError, InputValidation


class Wire(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow")


class Strict(BaseModel):
    """Response bodies: every field the sandbox emits is declared."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")


# ----------------------------------------------------------------------------- shared
class ValueText(Strict):
    value: str
    text: str


class PhoneIn(Wire):
    number: str | int
    countryCode: int | str = 90


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
class CustomerLoginRequest(Wire):
    type_: Literal["individual", "company", "foreign"] | None = Field(None, alias="$type")
    type: Literal["individual", "corporate", "company", "foreign", "INDIVIDUAL", "COMPANY", "FOREIGN"] | None = None
    identityNumber: str | int | None = Field(None, description="TCKN (individual), YKN/passport (foreign), VKN (company, variant A)")
    taxNumber: str | None = Field(None, description="VKN for company customers (real client shape)")
    birthDate: str | None = Field(None, description="YYYY-MM-DD; required only on first registration")
    birthday: str | None = Field(None, description="dd.mm.yyyy (variant A); same meaning as birthDate")
    phoneNumber: PhoneIn | str
    agentId: str
    agentBranchId: str | None = None
    approvedConsentTypes: list[Literal["KVKK", "ETK"]] | None = None


class CustomerLoginResponse(Strict):
    customerId: str
    token: str
    requiresTwoFactor: bool
    isNewCustomer: bool
    expiresIn: int


class VerifyMfaRequest(Wire):
    token: str
    code: str


class RefreshRequest(Wire):
    refreshToken: str


class TokenResponse(Strict):
    accessToken: str
    refreshToken: str | None
    expiresIn: int
    tokenType: Literal["Bearer"]
    customerId: str | None = None
    userId: str | None = None
    requiresTwoFactor: bool | None = None


class AgentUserLoginRequest(Wire):
    email: str
    password: str


class AgentUserLoginResponse(Strict):
    accessToken: str | None
    refreshToken: str | None
    expiresIn: int | None
    tokenType: Literal["Bearer"] | None = None
    requiresTwoFactor: bool
    userId: str
    token: str | None = None


class AgentUserVerifyRequest(Wire):
    userId: str | None = None
    token: str | None = None
    code: str


class PermissionOut(Strict):
    permission: str
    scope: Literal["All", "Own", "Branch"]


class RoleOut(Strict):
    id: str
    name: str
    isOwner: bool


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
    status: str
    role: RoleOut
    permissions: list[PermissionOut]
    branches: list[Any]


# ----------------------------------------------------------------------------- customers
class ConsentOut(Strict):
    consentType: Literal["KVKK", "ETK"]
    isActive: bool
    channel: str
    updatedAt: str


class ConsentRequest(Wire):
    consentType: Literal["KVKK", "ETK"]
    isActive: bool = True
    channel: str | None = None


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
    representedBy: Any
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


class CustomerCreateRequest(Wire):
    type_: Literal["individual", "company", "foreign"] | None = Field(None, alias="$type")
    identityNumber: str | int | None = None
    fullName: str | None = None
    birthDate: str | None = None
    gender: str | int | None = None
    maritalStatus: str | int | None = None
    nationality: str | None = None
    educationStatus: str | None = None
    job: str | int | None = None
    title: str | None = None
    taxNumber: str | None = None
    email: str | None = None
    phoneNumber: PhoneIn | str | None = None
    cityReference: str | None = None
    districtReference: str | None = None
    fillMissingFields: bool = False
    agentBranchId: str | None = None


class CustomerUpdateRequest(Wire):
    type_: Literal["individual", "company", "foreign"] | None = Field(None, alias="$type")
    id: str | None = None
    fullName: str | None = None
    title: str | None = None
    birthDate: str | None = None
    gender: str | int | None = None
    job: str | int | None = None
    maritalStatus: str | int | None = None
    primaryEmail: str | None = None
    primaryPhoneNumber: PhoneIn | None = None
    cityReference: str | None = None
    districtReference: str | None = None
    agentBranchId: str | None = None


class HealthInfoRequest(Wire):
    height: int
    weight: int
    surgeries: list[str | int] = []
    diseases: list[str | int] = []


class HealthInfo(Strict):
    customerId: str
    height: int | None
    weight: int | None
    surgeries: list[str | int]
    diseases: list[str | int]
    updatedAt: str | None


class RelationshipRequest(Wire):
    relatedCustomerId: str
    relationType: Literal["SPOUSE", "CHILD"]


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
class PlateIn(Wire):
    city: int | str
    code: str


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


class VehicleRequest(Wire):
    plate: PlateIn | str
    modelYear: int | None = None
    year: int | None = Field(None, description="docs spelling of modelYear")
    brandReference: str | None = None
    brandCode: str | None = Field(None, description="docs spelling: a brand name such as RENAULT or a brand value")
    modelTypeReference: str | None = None
    modelCode: str | None = Field(None, description="docs spelling: a model name such as CLIO or a model value")
    utilizationStyle: str | int | None = None
    fuel: dict[str, Any] | None = None
    engine: str | None = None
    chassis: str | None = None
    documentSerial: DocumentSerial | None = None
    documentSerialCode: str | None = None
    documentSerialNumber: str | None = None
    registrationDate: str | None = None
    seatNumber: int | None = None
    accessories: list[dict[str, Any]] | None = None
    lossPayeeClause: dict[str, Any] | None = None


class VehicleOut(Strict):
    id: str
    customerId: str
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
    accessories: list[dict[str, Any]]
    lossPayeeClause: dict[str, Any] | None
    kaskoOldPolicy: Any
    trafikOldPolicy: Any
    createdAt: str
    updatedAt: str


class VehicleLookupRequest(Wire):
    plate: PlateIn | str
    documentSerial: DocumentSerial | None = None


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


class UavtQueryRequest(Wire):
    propertyNumber: int | str


class DaskQueryRequest(Wire):
    daskOldPolicyNumber: int | str | None = None
    daskPolicyNumber: int | str | None = Field(None, description="SDK spelling")


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


class PropertyRequest(Wire):
    number: int | str
    squareMeter: int | None = None
    constructionYear: int | None = None
    floor: dict[str, Any] | None = None
    structure: str | None = None
    utilizationStyle: str | None = None
    damageStatus: str | None = None
    ownershipType: str | None = None
    daskOldPolicyNumber: str | int | None = None
    KonutOldPolicyNumber: str | int | None = None
    lossPayeeClause: dict[str, Any] | None = None


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
    lossPayeeClause: dict[str, Any] | None
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


class ConnectionRequest(Wire):
    insuranceCompanyId: int
    branches: list[str]
    connection: dict[str, str] = Field(default_factory=dict, description="credential field key -> value")


class ConnectionUpdateRequest(Wire):
    connection: dict[str, str]


class BranchesRequest(Wire):
    branches: list[str]


class ConnectionOut(Strict):
    id: str
    insuranceCompanyId: int
    insuranceCompanyName: str
    insuranceCompanyLogo: str
    integrationType: Literal["WEB_SERVICE"]
    branches: list[str]
    enabled: bool
    syncStatus: str
    lastSyncAt: str
    createdAt: str
    updatedAt: str
    connection: dict[str, str] | None = None


# ----------------------------------------------------------------------------- control plane
class AgentFixtureRequest(Wire):
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
                "control_token": m.controlToken}


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
    counts: dict[str, int]


class ClockRequest(Wire):
    freeze: bool | None = None
    unfreeze: bool | None = None
    advance: float | None = Field(None, description="seconds to move forward")
    set: str | None = Field(None, description="ISO-8601 instant")


# ----------------------------------------------------------------------------- cases
class CaseCreateRequest(Wire):
    customerId: str | None = Field(None, description="Required for agent tokens; a customer token may omit it")
    productBranch: str | None = Field(None, description="Required for sale opportunities: KASKO, TRAFIK, ...")
    channel: str | None = Field(None, description="WEBSITE, MOBILE_APP (MOBILE accepted), CALL_CENTER, ...")
    assetType: str | None = Field(None, description="VEHICLE or PROPERTY (inferred from assetId)")
    assetId: str | None = None
    customerAssetReference: str | None = Field(None, description="Real-site lead forms: same as assetId")
    agentBranchId: str | None = None
    subType: str | None = Field(None, description="Cancel/endorsement/complaint sub-type")
    sourceCaseId: str | None = None
    note: str | None = None


class CaseNote(Strict):
    id: str
    content: str
    createdAt: str
    createdBy: UserReference | None


class CaseActivity(Strict):
    id: str
    type: Literal["CREATED", "STATE_CHANGED", "NOTE_ADDED", "CHANNEL_CHANGED", "ASSET_CHANGED", "BRANCH_CHANGED",
                  "REPRESENTATIVE_CHANGED", "PROPOSAL_LINKED", "POLICY_LINKED"]
    createdAt: str
    createdBy: UserReference | None
    data: dict[str, Any]


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


class CaseStateRequest(Wire):
    mainState: str = Field(description="FAIL, OPEN, IN_PROGRESS or SUCCESS")
    subState: str = Field(description="A sub-state of mainState that applies to the case type")
    note: str | None = None


class CaseNoteRequest(Wire):
    note: str | None = Field(None, description="Markdown; `content` and `text` are accepted too")
    content: str | None = None


class CaseChannelRequest(Wire):
    channel: str


class CaseAssetRequest(Wire):
    assetType: str | None = None
    assetId: str | None = None


class CaseBranchRequest(Wire):
    agentBranchId: str | None = None


class CaseRepresentativeRequest(Wire):
    representativeId: str | None = Field(None, description="An agent user's id; null removes the representative")


class GraphQLRequest(Wire):
    query: str = Field(description="The GraphQL document")
    variables: dict[str, Any] | None = None
    operationName: str | None = None


# ----------------------------------------------------------------------------- proposals
ProposalState = Literal["WAITING", "ACTIVE", "PURCHASING", "PURCHASED", "FAILED"]


class ProposalCreateRequest(Wire):
    """Both generations: ``$type`` + ``insurerCustomerId`` (SDK, real site) or ``type`` + ``customerId``
    (web-sales guides)."""

    type_: str | None = Field(None, alias="$type", description="kasko, trafik, imm, konut, dask, tss")
    type: str | None = Field(None, description="Older guides: traffic, kasko, imm, konut, tss")
    productBranch: str | None = Field(None, description="KASKO, TRAFIK, IMM, KONUT, DASK, TSS (must match $type)")
    insurerCustomerId: str | None = Field(None, description="Policyholder (sigorta ettiren)")
    customerId: str | None = Field(None, description="Older guides' name for insurerCustomerId")
    insuredCustomerId: str | None = Field(None, description="Main insured; defaults to the policyholder")
    vehicleId: str | None = Field(None, description="kasko, trafik, imm")
    propertyId: str | None = Field(None, description="konut, dask")
    additionalInsuredCustomers: list[str] | None = Field(None, description="TSS family: up to 4 relatives")
    coverageGroupIds: list[str | int] | None = Field(None, description="1-3 coverage group ids of the branch")
    coverage: dict[str, Any] | None = Field(None, description="Coverage values instead of (or on top of) groups")
    channel: str | None = Field(None, description="WEBSITE (website), MOBILE_APP (MOBILE), MANUAL, API, ...")
    agentBranchId: str | None = None
    policyStartDate: str | None = Field(None, description="YYYY-MM-DD, today up to 60 days ahead")
    furniturePrice: float | None = None
    electronicDevicePrice: float | None = None
    insulationPrice: float | None = None
    windowPrice: float | None = None
    constructionCostPerSquareMeter: float | None = None
    inflation: int | None = Field(None, description="Konut inflation protection, 0-80 in steps of 5")
    earthquakeCoverageOption: int | None = Field(None, description="0 or 1")
    vacancyDurationOption: int | None = Field(None, description="0: under a month empty, 1: over a month")


class ProposalCreated(Strict):
    proposalId: str


class Premium(Strict):
    installmentNumber: int
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
    needsInvestigationByCompany: bool
    hasVocationalDiscount: bool
    hasUndamagedDiscount: bool
    hasUndamagedDiscountRate: int | None
    revised: bool
    isManual: bool
    manualPdfUrl: str | None
    policyId: str | None
    errorMessage: str | None
    insuranceServiceProviderCoverage: dict[str, Any] | None
    pdfCoverage: dict[str, Any] | None
    initialCoverage: dict[str, Any] | None
    optimalCoverage: dict[str, Any] | None
    coverageGroupId: str | None
    coverageGroupName: str | None
    supportedPaymentOptions: list[str]
    insuranceCompanyProposalNumber: str | None
    discountModels: list[Any]
    attempt: int
    createdAt: str
    arrivedAt: str | None


class CoverageGroupTable(Strict):
    id: str
    name: str
    description: str | None
    coverageTable: dict[str, Any]


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
    channel: str
    lowestPremium: float | None
    highestPremium: float | None
    insurerCustomerId: str
    insuredCustomerId: str
    additionalInsuredCustomerIds: list[str]
    initialCoverage: dict[str, Any] | None
    products: list[ProposalProductOut]
    snapshot: dict[str, Any]
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


class ProposalReviseRequest(Wire):
    coverageGroupIds: list[str | int] | None = None
    coverage: dict[str, Any] | None = None


class ProductReviseRequest(Wire):
    guaranteeGroupId: str | int | None = Field(None, description="A coverage group id (coverageGroupId accepted)")
    coverage: dict[str, Any] | None = None


class ProductRevised(Strict):
    proposalId: str
    proposalProductId: str


class DocumentUrl(Strict):
    url: str


class CompareRequest(Wire):
    proposalProductIds: list[str] | None = Field(None, description="Default: every quoted product")
    excludedCoverageFields: list[str] | None = None


class DocumentSendRequest(Wire):
    proposalId: str | None = None
    proposalProductId: str | None = None
    customerId: str | None = None
    communication: dict[str, Any] = Field(description='{"type": "email", "email": ...} or {"type": "sms", "phoneNumber": ...}')


class CoverageGroupRequest(Wire):
    name: str | None = None
    productBranch: str | None = Field(None, description="KASKO, TRAFIK, IMM, KONUT, DASK, TSS")
    description: str | None = None
    coverage: dict[str, Any] | None = Field(None, description="Coverage values; unset keys take the branch defaults")


class CoverageGroupOut(Strict):
    id: str
    name: str
    productBranch: str
    description: str | None
    coverage: dict[str, Any]
    createdAt: str
    updatedAt: str
    createdBy: UserReference | None
    lastUpdatedBy: UserReference | None


# --------------------------------------------------------------------------- purchases
PaymentOption = Literal["UNKNOWN", "SYNC_CREDIT_CARD", "SYNC_OPEN_ACCOUNT", "ASYNC_3D_SECURE",
                        "ASYNC_INSURANCE_COMPANY_REDIRECT", "ASYNC_THIRD_PARTY_3D_SECURE"]


class CardIn(Wire):
    number: str = Field(description="12-19 digits passing Luhn; never stored (only first six / last four)")
    cvc: str = Field(description="3 digits (4 for AMEX); never stored")
    expiryMonth: str | int = Field(description="MM")
    expiryYear: str | int = Field(description="YYYY, or YY as real sites send it")
    holderName: str
    identityNumber: str | None = None


class PurchaseAsyncRequest(Wire):
    type_: Literal["3d-secure", "insurance-company-redirect", "third-party-3d-secure"] | None = Field(
        None, alias="$type", description="Also accepted: paymentType (ASYNC_3D_SECURE, ...) and the guides' spellings")
    paymentType: PaymentOption | None = None
    proposalId: str | None = Field(None, description="Must equal the path's, when given")
    proposalProductId: str | None = None
    installmentNumber: int = Field(description="1 = single payment (peşin); must be a plan the product offers")
    callbackUrl: str = Field(description="Where the payment page sends the customer back, with the result appended")
    card: CardIn | None = Field(None, description="Required for 3d-secure and third-party-3d-secure")
    identityNumber: str | None = Field(None, description="Card holder's identity number, when not the insured")


class PurchaseAsyncResponse(Strict):
    redirectUrl: str


class PurchaseSyncRequest(Wire):
    type_: Literal["credit-card", "open-account"] | None = Field(None, alias="$type")
    paymentType: PaymentOption | None = None
    proposalId: str | None = None
    proposalProductId: str | None = None
    installmentNumber: int
    card: CardIn | None = Field(None, description="Required for credit-card")
    metadata: dict[str, Any] | None = None


class PurchaseSyncResponse(Strict):
    policyId: str
    policyNumber: str
    status: Literal["PURCHASED"]


class PaymentCompleteRequest(Wire):
    outcome: Literal["success", "declined", "insufficient_funds", "authentication_failed", "issuance_failed",
                     "stuck"] | None = Field(None, description="Default: what the card asks for (magic cards), "
                                                                "else success")


class PaymentOut(Wire):
    id: str
    proposalId: str
    proposalProductId: str
    installmentNumber: int
    paymentType: PaymentOption
    amount: float
    state: Literal["AWAITING_AUTHENTICATION", "PROCESSING", "SUCCEEDED", "FAILED", "EXPIRED"]
    card: dict[str, Any] | None
    callbackUrl: str | None
    redirectUrl: str | None
    failureReason: str | None
    policyId: str | None


class PaymentCompleted(Wire):
    payment: PaymentOut
    callbackLocation: str | None = Field(description="Where a browser would land: callbackUrl with the result")


# --------------------------------------------------------------------------- policies
class PolicyOut(Wire):
    id: str
    policyId: str
    proposalId: str
    proposalProductId: str
    insuranceCompanyPolicyNumber: str
    insuranceCompanyId: int
    insuranceCompanyName: str
    productId: int
    productName: str
    productBranch: str
    state: Literal["ACTIVE", "CANCELLED", "ENDED"]
    startDate: str
    endDate: str
    installmentNumber: int
    paymentType: PaymentOption
    netPremium: float
    grossPremium: float
    commission: float
    currency: str
    insurerCustomerId: str
    insuredCustomerId: str
    vehicleId: str | None
    propertyId: str | None


class PolicyList(Strict):
    items: list[dict[str, Any]]
    totalCount: int
    skip: int
    take: int


class PolicyDocumentSendRequest(Wire):
    policyId: str | None = None
    email: str | None = Field(None, description="Default: the insured's email")
    communication: dict[str, Any] | None = Field(None, description='Or {"type": "email"|"sms", ...} as documents take')


class PolicyCancelRequest(Wire):
    reason: str | None = None


# --------------------------------------------------------------------------- webhooks
class WebhookRequest(Wire):
    url: str
    events: list[str] = Field(description="Event names of reference §6.5, e.g. proposal_premium.purchased")
    secret: str | None = Field(None, description="Signs deliveries: x-webhook-signature = hex HMAC-SHA256")
    agentBranchIds: list[str] | None = None
    name: str | None = None


class WebhookOut(Wire):
    id: str
    url: str
    events: list[str]
    agentBranchIds: list[str]
    secret: str | None


class WebhookDeliveryOut(Wire):
    id: str
    webhookId: str
    event: str
    state: Literal["PENDING", "SUCCESS", "FAILED"]
    responseStatusCode: int | None
    createdAt: str
    completedAt: str | None
    retryCount: int
    attempts: list[dict[str, Any]]
