"""Customers: their profile, consents, health, family, e-mails, phones, addresses, contacts, assets, registry lookups and the site's contact form."""


from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from mockserver.wire.base import Strict, Wire, one_of_present, one_of_required
from mockserver.wire.common import CustomerIdentityIn, Instant, CountryCode, Mobile, national_mobile, DateText, Enumish, OptionalEmail, OptionalMobile, PhoneNumberOut, PhoneOut, RefOut, ReferenceIn, ShortText, UserReference, ValueRef, ValueText, upper_snake, NameText
from mockserver.wire.properties import AddressOut, PropertyOut
from mockserver.wire.vehicles import VehicleOut


class CustomerEmailRequest(Wire):
    email: OptionalEmail = None
    value: OptionalEmail = Field(None, description="Another name of email")
    isPrimary: bool | None = Field(None, description="Make it the primary e-mail (the first one always is)")

    model_config = ConfigDict(json_schema_extra=one_of_required(("email", "value"), x_error_code="CUSTOMER_EMAIL_INVALID"))


class CustomerEmailOut(Strict):
    email: str
    isPrimary: bool
    primary: bool = Field(description="Same as isPrimary (the SDK's name)")


class CustomerPhoneRequest(Wire):
    phoneNumber: OptionalMobile = None
    countryCode: CountryCode | None = None
    number: Annotated[str, Field(max_length=20)] | None = Field(None, description="With countryCode, instead of phoneNumber")
    isPrimary: bool | None = Field(None, description="Make it the primary phone (the first one always is)")

    @field_validator("number")
    @classmethod
    def _national(cls, number: str | None, info: ValidationInfo) -> str | None:
        return None if number is None else national_mobile(number, info.data.get("countryCode") or 90)

    @property
    def mobile(self) -> Mobile | None:
        """The number sent, in either form."""
        if self.phoneNumber is not None:
            return self.phoneNumber
        return Mobile(self.number, self.countryCode or 90) if self.number is not None else None

    model_config = ConfigDict(json_schema_extra=one_of_required(("phoneNumber", "number"),
                                                                x_error_code="CUSTOMER_PHONE_INVALID"))


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
    postalCode: Annotated[str, Field(pattern=r"^[0-9]{5}$", json_schema_extra={
        "x-error-code": "CUSTOMER_ADDRESS_INVALID"})] | None = Field(None, description="5 digits")
    isPrimary: bool | None = None

    model_config = ConfigDict(json_schema_extra=one_of_required(("addressText", "address", "propertyNumber"),
                                                                x_error_code="CUSTOMER_ADDRESS_INVALID"))


class CustomerAddressUpdate(CustomerAddressRequest):
    model_config = ConfigDict(json_schema_extra=None)


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


class ContactFlowRequest(Wire):
    name: NameText | None = None
    caseRef: Annotated[str, Field(max_length=40)] | None = Field(None, description="A case of the customer")

    model_config = ConfigDict(json_schema_extra=one_of_required(("name",), x_error_code="CONTACT_FLOW_INVALID"))


class EndContactFlowRequest(Wire):
    state: Literal["SUCCEEDED", "FAILED"] | None = Field(None, description="How it ended (SUCCEEDED)")


class CustomerContactRequest(Wire):
    flowId: Annotated[str, Field(max_length=64)] | None = Field(None, description="An active flow of the customer")
    contactFlowId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Same as flowId")
    plannedTime: Instant = Field(None, description="A later instant: the call is PLANNED; otherwise it OCCURRED now",
                                 json_schema_extra={"x-error-code": "CONTACT_INVALID"})
    representativeId: Annotated[str, Field(max_length=64)] | None = Field(
        None, description="The agent user who calls (default: the caller, if an agent user)")
    representativeAgentUserId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Same as "
                                                                                                   "representativeId")


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


class ContactFormRequest(Wire):
    """The real site's contact page and product-request widget (real-b2c-site §12)."""
    agentId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Required without a token")
    firstName: ShortText | None = None
    lastName: ShortText | None = None
    email: OptionalEmail = None
    phoneNumber: OptionalMobile = None
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


class CustomerAssetsOut(Strict):
    customerId: str
    vehicles: list[VehicleOut]
    properties: list[PropertyOut]


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


class ConsentRequest(Wire):
    consentType: str = Field(description="KVKK or ETK")
    isActive: bool | None = True
    approved: bool | None = Field(None, description="Same as isActive")
    channel: str | None = None


FullName = Annotated[str, Field(min_length=1, max_length=150, pattern=r"\S")]
CompanyTitle = Annotated[str, Field(min_length=1, max_length=250, pattern=r"\S")]
_Reference = str | int | ValueRef


class _CustomerProfile(CustomerIdentityIn):
    """The profile fields a customer is created or changed with (absent fields are kept)."""
    fullName: FullName | None = None
    firstName: Annotated[str, Field(max_length=150)] | None = None
    lastName: Annotated[str, Field(max_length=150)] | None = None
    title: CompanyTitle | None = Field(None, description="Company title")
    companyTitle: CompanyTitle | None = None
    birthDate: DateText | None = None
    birthday: DateText | None = None
    gender: Enumish | None = None
    maritalStatus: Enumish | None = None
    nationality: _Reference | None = None
    educationStatus: _Reference | None = None
    job: Enumish | None = None
    email: OptionalEmail = None
    primaryEmail: OptionalEmail = None
    phoneNumber: OptionalMobile = None
    primaryPhoneNumber: OptionalMobile = None
    cityReference: _Reference | None = None
    districtReference: _Reference | None = None
    city: _Reference | None = None
    district: _Reference | None = None
    agentBranchId: str | None = None
    representedBy: Annotated[str, Field(max_length=64)] | ReferenceIn | None = Field(
        None, description="An agent user's id, or its reference {id, …}; null: no representative")

    def sent(self, *names: str) -> str | None:
        """The first of ``names`` the body sent (even as null)."""
        return next((n for n in names if n in self.model_fields_set), None)

    @property
    def location(self) -> dict[str, Any]:
        """The city and district keys sent, with their values."""
        return {k: getattr(self, k) for k in ("cityReference", "districtReference", "city", "district")
                if k in self.model_fields_set}


class CustomerCreateRequest(_CustomerProfile):
    model_config = ConfigDict(json_schema_extra=one_of_required(("identityNumber", "taxNumber")))

    channel: str | None = None
    fillMissingFields: bool = False


class CustomerUpdateRequest(_CustomerProfile):
    """Partial: absent fields are kept (real clients echo the whole customers/me body back)."""

    id: str | None = None


class HealthInfoRequest(Wire):
    height: Annotated[float, Field(ge=30, le=250, multiple_of=1)] = Field(description="cm, a whole number")
    weight: Annotated[float, Field(ge=1, le=400, multiple_of=1)] = Field(description="kg, a whole number")
    surgeries: Annotated[list[Annotated[str, Field(max_length=64)] | int], Field(max_length=100)] | None = Field(
        [], description="Codes (the SDK's Surgery); null: none")
    diseases: Annotated[list[Annotated[str, Field(max_length=64)] | int], Field(max_length=100)] | None = Field(
        [], description="Codes (the SDK's Disease); null: none")


RelationType = Annotated[Literal["SPOUSE", "CHILD", "PARENT", "SIBLING"], upper_snake({})]


class RelationshipRequest(Wire):
    relatedCustomerId: Annotated[str, Field(min_length=1, max_length=64)]
    relationType: RelationType = Field(description="SPOUSE or CHILD (any case; PARENT and SIBLING links are made "
                                                    "for you)")
