"""The webhook payloads, one model per event (the webhook reference, §6.6): what a delivery POSTs to
a receiver, what ``GET /__sandbox/agents/{id}/events`` and a delivery's detail show, and what the
served OpenAPI document lists under ``webhooks``. Each model renders its event's payload in the domain
(``wire.render.renderer``), so what is declared here is what is sent.

Fields the reference marks sensitive (identity and tax numbers, e-mails, phones, plates, chassis and
engine numbers, addresses) are plain strings here: the sandbox's recordings and certification evidence
carry them pseudonymised, in the same shape."""


from typing import Annotated, Literal, Union

from pydantic import Field

from mockserver.wire.base import Strict
from mockserver.wire.catalog import InsuranceCompany
from mockserver.wire.common import PaymentOption, UserReference
from mockserver.wire.proposals import Premium, SnapshotCustomer

CustomerType = Literal["INDIVIDUAL", "COMPANY", "FOREIGN"]
Day = Annotated[str, Field(description="A calendar day, YYYY-MM-DD")]
At = Annotated[str, Field(description="An instant, ISO 8601 in UTC")]
AtTurkey = Annotated[str, Field(description="An instant, ISO 8601 with Turkey's offset (+03:00)")]


# ----------------------------------------------------------------------------- proposal premiums
class ProposalPremiumReceived(Strict):
    """A quote arrived: one insurer's product of a proposal has its premiums."""

    event: Literal["proposal_premium.received"] = Field(alias="$event")
    proposalId: str
    productId: int
    proposalProductId: str
    productBranch: str
    premiums: list[Premium]
    insuredCustomer: SnapshotCustomer
    tempProposalDocumentUrl: str | None
    tempPreInfoDocumentUrl: str | None


class ProposalPremiumPurchasing(Strict):
    """A payment started. Internal (the reference): on the agent's event log, never sent to a webhook."""

    event: Literal["proposal_premium.purchasing"] = Field(alias="$event")
    proposalId: str
    productId: int
    installmentNumber: int
    paymentType: PaymentOption


class ProposalPremiumPurchased(Strict):
    event: Literal["proposal_premium.purchased"] = Field(alias="$event")
    proposalId: str
    policyId: str
    productId: int
    installmentNumber: int
    paymentType: PaymentOption
    policyStartDate: Day
    policyEndDate: Day


class ProposalPremiumPurchaseFailed(Strict):
    event: Literal["proposal_premium.purchase_failed"] = Field(alias="$event")
    proposalId: str
    productId: int
    installmentNumber: int
    paymentType: PaymentOption
    failureReason: str | None


# ----------------------------------------------------------------------------- policies
class PolicyCreated(Strict):
    event: Literal["policy.created"] = Field(alias="$event")
    policyId: str
    proposalId: str | None = Field(description="null for a policy that came by transfer")
    productId: int | None
    installmentNumber: int | None
    paymentType: PaymentOption
    insuranceCompany: InsuranceCompany
    startDate: Day
    endDate: Day
    renewalNumber: int
    productBranch: str
    insurerCustomerId: str
    insuredCustomerId: str
    insurerIdentityNumber: str | None
    insuredIdentityNumber: str | None
    insuredCustomerEmail: str | None
    insurerCustomerEmail: str | None
    fromPolicyTransfer: bool
    netPremium: float | None
    grossPremium: float | None
    channel: str
    insuranceCompanyPolicyNo: str


class PolicyUpdated(Strict):
    """An endorsement or a cancellation: the premiums are the change (negative for a refund)."""

    event: Literal["policy.updated"] = Field(alias="$event")
    policyId: str
    installmentNumber: int | None
    paymentType: PaymentOption
    endorsementNumber: int
    isCancel: bool
    netPremium: float
    grossPremium: float
    insurerIdentityNumber: str | None
    insuredIdentityNumber: str | None
    insuranceCompanyPolicyNo: str


# ----------------------------------------------------------------------------- customers
class _CustomerFields(Strict):
    event: str = Field(alias="$event")  # (each event narrows it to its name, first on the wire)
    customerId: str
    customerType: CustomerType
    identityNumber: str | None = Field(description="individual and foreign customers'")
    firstName: str | None
    lastName: str | None
    companyTitle: str | None
    taxNumber: str | None = Field(description="company customers'")
    birthDate: Day | None
    gender: str | None
    maritalStatus: str | None
    province: str | None = Field(description="the city's name")
    district: str | None = Field(description="the district's name")
    email: str | None
    phoneNumber: str | None = Field(description="ten digits, e.g. 5321234567")


class CustomerCreated(_CustomerFields):
    event: Literal["customer.created"] = Field(alias="$event")
    createdAt: At
    branch: str | None = Field(description="the customer's agency branch id")
    creationChannel: str


class CustomerUpdated(_CustomerFields):
    event: Literal["customer.updated"] = Field(alias="$event")
    branch: str | None = Field(description="the customer's agency branch id")
    updatedAt: At
    updatedBy: UserReference | None


class _Consent(Strict):
    event: str = Field(alias="$event")  # (each event narrows it to its name, first on the wire)
    customerId: str
    customerType: CustomerType
    channel: str = Field(description="the consent's channel (ConsentChannel: MANUAL, WEB, ...)")


class KvkkConsentGiven(_Consent):
    event: Literal["customer.kvkk_consent_given"] = Field(alias="$event")
    givenAt: AtTurkey


class KvkkConsentRevoked(_Consent):
    event: Literal["customer.kvkk_consent_revoked"] = Field(alias="$event")
    revokedAt: AtTurkey


class EtkConsentGiven(_Consent):
    event: Literal["customer.etk_consent_given"] = Field(alias="$event")
    givenAt: AtTurkey


class EtkConsentRevoked(_Consent):
    event: Literal["customer.etk_consent_revoked"] = Field(alias="$event")
    revokedAt: AtTurkey


# ----------------------------------------------------------------------------- assets
class _VehicleFields(Strict):
    event: str = Field(alias="$event")  # (each event narrows it to its name, first on the wire)
    customerId: str
    vehicleId: str
    plate: str | None
    brandName: str | None
    modelName: str | None
    modelYear: int | None
    utilizationStyle: str | None
    fuel: str | None
    chassis: str | None
    engine: str | None
    registrationDate: Day | None


class VehicleCreated(_VehicleFields):
    event: Literal["vehicle.created"] = Field(alias="$event")
    createdAt: At


class VehicleUpdated(_VehicleFields):
    event: Literal["vehicle.updated"] = Field(alias="$event")
    updatedAt: At
    updatedBy: UserReference | None


class _PropertyFields(Strict):
    event: str = Field(alias="$event")  # (each event narrows it to its name, first on the wire)
    customerId: str
    propertyId: str
    propertyNumber: int | None = Field(description="the UAVT address code")
    address: str | None
    squareMeter: int | None
    constructionYear: int | None
    utilizationStyle: str | None
    ownershipType: str | None


class PropertyCreated(_PropertyFields):
    event: Literal["property.created"] = Field(alias="$event")
    createdAt: At


class PropertyUpdated(_PropertyFields):
    event: Literal["property.updated"] = Field(alias="$event")
    updatedAt: At
    updatedBy: UserReference | None


# ----------------------------------------------------------------------------- cases
class CaseCreated(Strict):
    event: Literal["case.created"] = Field(alias="$event")
    caseId: str
    caseRef: str
    caseType: Literal["SALE_OPPORTUNITY", "ENDORSEMENT", "CANCEL", "COMPLAINT"]
    customerId: str
    productBranch: str | None


class CaseStateChanged(Strict):
    event: Literal["case.state_changed"] = Field(alias="$event")
    caseId: str
    caseRef: str
    customerId: str
    newMainState: Literal["FAIL", "OPEN", "IN_PROGRESS", "SUCCESS"]
    newSubState: str


PAYLOADS: tuple[type[Strict], ...] = (
    ProposalPremiumReceived, ProposalPremiumPurchasing, ProposalPremiumPurchased, ProposalPremiumPurchaseFailed,
    PolicyCreated, PolicyUpdated, CustomerCreated, CustomerUpdated, KvkkConsentGiven, KvkkConsentRevoked,
    EtkConsentGiven, EtkConsentRevoked, VehicleCreated, VehicleUpdated, PropertyCreated, PropertyUpdated,
    CaseCreated, CaseStateChanged)


def event_name(model: type[Strict]) -> str:
    """The event a payload model is for (its ``$event`` literal)."""
    return model.model_fields["event"].annotation.__args__[0]


BY_EVENT: dict[str, type[Strict]] = {event_name(m): m for m in PAYLOADS}  # each event's name -> its model
INTERNAL = frozenset({event_name(ProposalPremiumPurchasing)})  # recorded, never delivered

WebhookPayload = Annotated[Union[PAYLOADS], Field(discriminator="event",  # noqa: UP007
                                                  description="One event's payload, told apart by $event")]
