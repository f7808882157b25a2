"""Proposals: asking insurers for quotes, products and premiums, the snapshot of what was quoted, documents, coverage groups."""


from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints

from mockserver.wire.base import Strict, Wire, one_of_required
from mockserver.wire.coverage import Coverage
from mockserver.wire.common import EmailText, IsoDate, MobileIn, OptionalChannel, PhoneOut, Query, UserReference, ValueText, NameText
from mockserver.wire.properties import AddressOut, FloorOut
from mockserver.wire.vehicles import (AccessoryOut, DocumentSerial, FuelOut, LossPayeeClause, PlateOut,
                                      VehicleModelOut, VehicleOldPolicy)


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
    hasUndamagedDiscountRate: float | None = Field(description="a fraction: 0.6 is a 60% no-claims discount (SDK)")
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


class CoverageTableRow(Strict):
    coverage: Coverage
    insuranceCompanyId: int | None
    type: Literal["WEB_SERVICE", "ROBOT"] | None
    productId: int | None = Field(description="the insurer product a row is for; null: every product")


class CoverageGroupTable(Strict):
    id: str
    name: str
    description: str | None
    coverageTable: list[CoverageTableRow] = Field(description="The SDK's CoverageTable: rows of a coverage, each "
                                                              "for an insurer and product type or generic (null)")


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


# ----------------------------------------------------------------------------- the SDK's ProposalSnapshot
class NumberValue(Strict):
    value: int


class TextValue(Strict):
    value: str


class NumberText(Strict):
    number: str


class _PartyBase(Strict):
    """Optional fields are left out when unknown, never sent as null (the SDK's optional-not-null)."""

    id: str
    name: str
    city: ValueText | None = None
    district: ValueText | None = None
    email: EmailValue | None = None
    phoneNumber: PhoneOut | None = None


class ProposalSnapshotPerson(_PartyBase):
    type: Literal["INDIVIDUAL", "FOREIGN"]
    identityNumber: NumberValue
    birthDate: TextValue | None = Field(None, description="left out when the customer's birth date is unknown")
    fullName: str
    job: str | None = None
    gender: str | None = None


class ProposalSnapshotCompany(_PartyBase):
    type: Literal["COMPANY"]
    title: str
    taxNumber: TextValue


ProposalSnapshotCustomer = Annotated[ProposalSnapshotPerson | ProposalSnapshotCompany, Field(discriminator="type")]


class ProposalSnapshotVehicle(Strict):
    id: str
    plate: PlateOut
    model: VehicleModelOut
    utilizationStyle: str
    fuel: FuelOut | None = None
    engine: NumberText | None = Field(None, description="left out when the engine number is unknown")
    chassis: NumberText | None = Field(None, description="left out when the chassis number is unknown")
    registrationDate: TextValue | None = None
    seatNumber: NumberValue | None = None
    accessories: list[AccessoryOut]
    documentSerial: DocumentSerial | None = None
    oldPolicy: VehicleOldPolicy | None = Field(None, description="the policy of this branch the proposal renews")
    lossPayeeClause: LossPayeeClause | None = None
    hasPlate: bool


class DaskOldPolicyOut(Strict):
    number: int
    endDate: str | None


class ProposalSnapshotProperty(Strict):
    id: str
    number: NumberValue
    address: AddressOut
    squareMeter: NumberValue | None = None
    constructionYear: NumberValue | None = None
    damageStatus: str
    floor: FloorOut | None = None
    structure: str
    utilizationStyle: str
    lossPayeeClause: LossPayeeClause | None = None
    ownershipType: str
    daskOldPolicy: DaskOldPolicyOut | None = None


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
    """The SDK's ProposalSnapshot: the parties and the asset as the proposal was asked for (they do not
    change after), a union on productBranch: vehicle for KASKO, TRAFIK and IMM; property for KONUT and
    DASK (and DASK's oldPolicy); height, weight, surgeries and diseases for TSS."""

    productBranch: str
    insurerCustomer: ProposalSnapshotCustomer
    insuredCustomer: ProposalSnapshotCustomer
    isInsuredCustomerSameAsInsurerCustomer: bool
    additionalInsuredCustomers: list[ProposalSnapshotCustomer] | None = Field(
        None, description="a TSS family proposal's other insured (the sandbox's; left out when none)")
    vehicle: ProposalSnapshotVehicle | None = None
    property: ProposalSnapshotProperty | None = None
    oldPolicy: DaskOldPolicyOut | None = Field(None, description="DASK: the policy renewed")
    height: NumberValue | None = None
    weight: NumberValue | None = None
    surgeries: list[str | int] | None = Field(None, description="TSS: always sent, empty when none")
    diseases: list[str | int] | None = Field(None, description="TSS: always sent, empty when none")
    konutOptions: KonutOptions | None = Field(None, description="A KONUT proposal's contents and options "
                                                                "(the sandbox's)")


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


Id = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]  # blank: not given
Named = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64, pattern=r"\S")]  # an id, not blank
GroupId = Named | int
KONUT_DEFAULTS = {"furniturePrice": 50000, "electronicDevicePrice": 10000, "insulationPrice": 1000, "windowPrice": 5000,
                  "constructionCostPerSquareMeter": 25000, "inflation": 60, "earthquakeCoverageOption": 0,
                  "vacancyDurationOption": 0}


class ProposalCreateRequest(Wire):
    """Both generations: ``$type`` + ``insurerCustomerId`` (SDK, real site) or ``type`` + ``customerId``
    (web-sales guides)."""

    model_config = ConfigDict(json_schema_extra=one_of_required(("$type", "type", "productBranch"),
                                                                ("insurerCustomerId", "customerId")))

    type_: str | None = Field(None, json_schema_extra={"x-error-code": "PROPOSAL_TYPE_INVALID"}, alias="$type", description="kasko, trafik, imm, konut, dask, tss")
    type: str | None = Field(None, json_schema_extra={"x-error-code": "PROPOSAL_TYPE_INVALID"}, description="Older guides: traffic, kasko, imm, konut, tss")
    productBranch: str | None = Field(None, json_schema_extra={"x-error-code": "PROPOSAL_TYPE_INVALID"}, description="KASKO, TRAFIK, IMM, KONUT, DASK, TSS (must match $type)")
    insurerCustomerId: Id | None = Field(None, description="Policyholder (sigorta ettiren)")
    customerId: Id | None = Field(None, description="Older guides' name for insurerCustomerId")
    insuredCustomerId: Id | None = Field(None, description="Main insured; defaults to the policyholder")
    vehicleId: Id | None = Field(None, description="kasko, trafik, imm")
    propertyId: Id | None = Field(None, description="konut, dask")
    additionalInsuredCustomers: Annotated[list[Named], Field(max_length=20)] | None = Field(
        None, description="TSS family: up to 4 relatives")
    coverageGroupIds: list[GroupId] | None = Field(None, json_schema_extra={"x-error-code": "COVERAGE_GROUP_INVALID"}, description="1-3 coverage group ids of the branch")
    guaranteeGroupIds: list[GroupId] | None = Field(None, json_schema_extra={"x-error-code": "COVERAGE_GROUP_INVALID"}, description="Same as coverageGroupIds")
    coverage: dict[str, Any] | None = Field(None, description="Coverage values instead of (or on top of) groups")
    channel: OptionalChannel = Field(None, description="WEBSITE (website), MOBILE_APP (MOBILE), MANUAL, ... in any "
                                                       "case; default WEBSITE for a customer, MANUAL for staff")
    agentBranchId: Id | None = None
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

    def first_of(self, *names: str) -> tuple[Any, str]:
        """The first of ``names`` given (not null, not blank) and its name; (None, the first name) if none."""
        for name in names:
            value = getattr(self, name)
            if value not in (None, ""):
                return value, name
        return None, names[0]

    def konut_options(self) -> dict[str, Any]:
        """The konut contents and options, each at its default when not given or null."""
        return {k: default if getattr(self, k) is None else getattr(self, k) for k, default in KONUT_DEFAULTS.items()}


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


CommunicationType = Annotated[Literal["email", "sms"], BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v)]


class Communication(Wire):
    """Where a document goes: ``{"type": "email", "email": …}`` or ``{"type": "sms", "phoneNumber": …}``."""
    type_: CommunicationType | None = Field(None, alias="$type", description="email or sms (any case)")
    type: CommunicationType | None = Field(None, description="Same as $type")
    email: EmailText | None = None
    phoneNumber: MobileIn | None = Field(None, description="A mobile, as text or {number, countryCode}")

    @property
    def channel(self) -> str | None:
        return self.type_ or self.type


class DocumentSendRequest(Wire):
    proposalId: str | None = None
    proposalProductId: str | None = None
    proposalProductIds: list[str] | str | None = Field(None, description="compare-pdf/send: the products compared")
    excludedCoverageFields: list[str] | str | None = None
    customerId: str | None = None
    communication: Communication = Field(description='{"type": "email", "email": ...} or {"type": "sms", "phoneNumber": ...}')


class CoverageGroupUpdateRequest(Wire):
    name: NameText | None = None
    productBranch: Annotated[str, Field(max_length=40)] | None = Field(None, description="Cannot change")
    description: Annotated[str, Field(max_length=2000)] | None = None
    coverage: dict[str, Any] | None = Field(None, description="Coverage values; unset keys take the branch defaults")
    coverageTable: dict[str, Any] | Annotated[list[dict[str, Any]], Field(min_length=1)] | None = Field(
        None, description="Same as coverage; or the SDK's rows [{coverage, insuranceCompanyId?, type?}]")

    def given_coverage(self) -> Any:
        """The coverage sent: ``coverage``, or ``coverageTable`` as one object or as the SDK's rows
        (the generic row, for every insurer and product type; else the first)."""
        raw = self.coverage if self.coverage is not None else self.coverageTable
        if isinstance(raw, list):
            row = next((r for r in raw if r.get("insuranceCompanyId") is None and r.get("type") is None), raw[0])
            return row.get("coverage")
        return raw


class CoverageGroupRequest(CoverageGroupUpdateRequest):
    model_config = ConfigDict(json_schema_extra=one_of_required(("name",), ("productBranch", "branch")))

    branch: Annotated[str, Field(max_length=40)] | None = Field(None, description="Same as productBranch")


class CompareQuery(Query):
    proposalProductIds: list[str] | None = Field(None, description="Repeat the parameter or separate with commas; "
                                                                  "default: every quoted product")
    excludedCoverageFields: list[str] | None = None


class ChoicesQuery(Query):
    insuranceCompanyId: Annotated[int, Field(ge=1, le=10**6)] | None = None
    vehicleUtilizationStyle: str | None = None


class BranchQuery(Query):
    productBranch: str | None = Field(None, description="KASKO, TRAFIK, ... (any case)")


class ProposalRef(Strict):
    id: str
    proposalId: str
