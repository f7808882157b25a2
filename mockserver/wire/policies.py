"""Policies: the detail with its versions, lists, manual policies, transfers from insurers and files, representatives and branches."""


from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, Field

from mockserver.wire.base import Strict, Wire, one_of_required
from mockserver.wire.coverage import Coverage
from mockserver.wire.auth import AgentBranchRef
from mockserver.wire.common import Amount, EmailText, IsoDate, PaymentOption, ProductBranchName, UserReference
from mockserver.wire.properties import PropertyOut
from mockserver.wire.proposals import Communication, ProposalSnapshot, SnapshotCustomer
from mockserver.wire.vehicles import VehicleModelOut, VehicleOut


PolicyState = Literal["ACTIVE", "END_OF_LIFE", "CANCELLED"]  # the SDK's PolicyState: END_OF_LIFE once the end date passed


class RepresentativeRequest(Wire):
    """``POST proposals|policies/{id}/representative`` (the CLI sends the record's id too)."""
    proposalId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Must equal the path's, when given")
    policyId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Must equal the path's, when given")
    representativeAgentUserId: Annotated[str, Field(max_length=64)] | None = Field(None, description="null: none")
    agentUserId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Another name")
    representativeId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Another name")


class RecordBranchRequest(Wire):
    """``POST proposals|policies/{id}/branch``."""
    proposalId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Must equal the path's, when given")
    policyId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Must equal the path's, when given")
    agentBranchId: Annotated[str, Field(max_length=64)] | None = Field(None, description="null: no branch")
    branchId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Another name")


class ManualPolicyRequest(Wire):
    insurerCustomerId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Sigorta ettiren")
    customerId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Another name of insurerCustomerId")
    insuredCustomerId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Sigortalı; default: the insurer customer")
    insuranceCompanyId: int | None = None
    productBranch: ProductBranchName | None = Field(None, description="One the insurer sells (any case)")
    policyNumber: Annotated[str, Field(max_length=60)] | None = Field(None, description="The insurer's policy number")
    insuranceCompanyPolicyNumber: Annotated[str, Field(max_length=60)] | None = Field(None, description="Another name")
    startDate: IsoDate | None = None
    endDate: IsoDate | None = Field(None, description="Default: a year after startDate")
    grossPremium: Amount | None = None
    netPremium: Amount | None = Field(None, description="Default: the gross premium without 5% tax")
    commission: Amount | None = Field(None, description="Default: 10% of the net premium")
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
    startDate: IsoDate | None = None
    endDate: IsoDate | None = None
    grossPremium: Amount | None = None
    netPremium: Amount | None = None
    commission: Amount | None = None


class PolicyIdOut(Strict):
    policyId: str


class PolicyTransferRequest(Wire):
    startDate: IsoDate | None = None
    endDate: IsoDate | None = None
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
    succeededPolicyCount: int
    completedPolicyCount: int = Field(description="older name of succeededPolicyCount")
    failedPolicyCount: int
    skippedPolicyCount: int
    sourceType: Literal["INSURANCE_COMPANY", "POLISOFT", "BENTAS"] = Field(
        description="where the file came from; the sandbox takes insurers' files")
    createdBy: UserReference | None
    createdByName: str = Field(description="the name of createdBy; empty when no user made it")


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


PolicySnapshot = ProposalSnapshot  # the parties and the asset as sold: the proposal's snapshot


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
    state: PolicyState
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
    daskOldPolicyNumber: int | None = Field(description="a number, as the SDK has it (CasePolicyResult, policiesNew)")
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
    state: PolicyState
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


class PolicyDocumentSendRequest(Wire):
    policyId: str | None = None
    PolicyId: str | None = Field(None, description=".NET SDK spelling of policyId")
    email: EmailText | None = Field(None, description="Default: the insured's email")
    Email: EmailText | None = Field(None, description=".NET SDK spelling of email")
    communication: Communication | None = Field(None, description='Or {"type": "email"|"sms", ...} as documents take')


class PolicyCancelRequest(Wire):
    reason: Annotated[str, Field(max_length=500)] | None = Field(None, description="Kept with the cancellation")


class PolicyRef(Strict):
    id: str
    policyId: str
