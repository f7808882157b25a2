"""Insurers, their products and the agency's web-service connections to them; banks."""


from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field

from mockserver.wire.base import Strict, Wire, one_of_required
from mockserver.wire.common import PaymentOption


class BankBranchOut(Strict):
    id: int
    name: str
    bankId: int
    cityReference: str
    cityName: str


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


class CredentialPair(Wire):
    key: Annotated[str, Field(max_length=100)]
    value: str | int | float | bool | None = None


def _credential_pairs(value: Any) -> Any:
    """``[{key, value}]`` as a UI form might post it, as the object of field values it means."""
    return {item.key: item.value for item in value} if isinstance(value, list) else value


CredentialValues = Annotated[dict[str, str | int | float | bool | None] | list[CredentialPair],
                             AfterValidator(_credential_pairs)]


class ConnectionUpdateRequest(Wire):
    connection: CredentialValues | None = Field(None, description="credential field key -> value")
    fields: CredentialValues | None = Field(None, description="Same as connection")
    credentials: CredentialValues | None = Field(None, description="Same as connection")
    connectionFields: CredentialValues | None = Field(None, description="Same as connection")

    def credentials_sent(self) -> tuple[dict[str, Any] | None, str]:
        """The credential values and the name they came under (None if sent as null)."""
        key = next((k for k in ("connection", "credentials", "fields", "connectionFields") if k in self.model_fields_set),
                   None)
        return (getattr(self, key), key) if key else ({}, "connection")


class BranchesRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("branches", "productBranches")))

    branches: list[str] | None = None
    productBranches: list[str] | None = Field(None, description="Same as branches")

    @property
    def branch_names(self) -> list[str] | None:
        return self.branches if self.branches is not None else self.productBranches


class ConnectionRequest(ConnectionUpdateRequest, BranchesRequest):
    model_config = ConfigDict(json_schema_extra=one_of_required(("branches", "productBranches")))

    insuranceCompanyId: int | str
