"""Vehicles: plates, models, fuel, accessories, loss payee clauses, old policies, and the registry (Tramer) lookups."""


from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from mockserver.wire.base import Shape, Strict, Wire, one_of_required
from mockserver.wire.common import Enumish, IsoDate, Money, Query, ValueRef, ValueText


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


class ModelsQuery(Query):
    model_config = ConfigDict(json_schema_extra=one_of_required(("brandReference", "brandCode")))

    brandReference: str | None = Field(None, description="A brand value of vehicle-parameters/brands")
    brandCode: str | None = Field(None, description="Same as brandReference")
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None
