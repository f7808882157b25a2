"""Homes: UAVT addresses, floors, DASK lookups."""


from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Discriminator, Field, Tag, ValidationInfo, field_validator, model_validator

from mockserver.wire.base import Strict, Wire, one_of_required
from mockserver.wire.common import Enumish, Query, UavtCode, ValueText, whole
from mockserver.wire.vehicles import LossPayeeClause


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


class FloorCount(Strict):
    type_: Literal["exact", "exceeding"] = Field(alias="$type", description="exactly value floors, or more than value")
    value: int


class FloorOut(Strict):
    totalFloors: FloorRange | FloorCount | None = Field(description="The SDK's NumericQuantity")
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


FloorNumber = Annotated[int, Field(ge=0, le=200)]


class FloorRangeIn(Wire):
    type_: Literal["range"] | None = Field(None, alias="$type", description="range (the default)")
    min: FloorNumber
    max: FloorNumber

    @model_validator(mode="after")
    def _ordered(self) -> "FloorRangeIn":
        if self.min > self.max:
            raise ValueError("min must be at most max")
        return self

    def top(self) -> int:
        return self.max

    def wire(self) -> dict[str, Any]:
        return {"$type": "range", "min": self.min, "max": self.max}


class FloorCountIn(Wire):
    type_: Literal["exact", "exceeding"] = Field(alias="$type", description="exact: value floors; exceeding: more")
    value: FloorNumber

    def top(self) -> int | None:
        return self.value if self.type_ == "exact" else None

    def wire(self) -> dict[str, Any]:
        return {"$type": self.type_, "value": self.value}


def _quantity_kind(raw: Any) -> str:
    kind = raw.get("$type") if isinstance(raw, dict) else getattr(raw, "type_", None)
    return "count" if kind in ("exact", "exceeding") else "range"


# the SDK's NumericQuantity: {$type: range, min, max} | {$type: exact|exceeding, value}
NumericQuantityIn = Annotated[Annotated[FloorRangeIn, Tag("range")] | Annotated[FloorCountIn, Tag("count")],
                              Discriminator(_quantity_kind)]


class FloorIn(Wire):
    totalFloors: NumericQuantityIn | None = None
    currentFloor: Annotated[int, Field(ge=-5, le=200)] | None = None

    @field_validator("currentFloor")
    @classmethod
    def _inside(cls, current: int | None, info: ValidationInfo) -> int | None:
        total = info.data.get("totalFloors")
        top = total.top() if total is not None else None
        if top is not None and current is not None and current > top:
            raise ValueError(f"is above the building's top floor ({top})")
        return current

    def wire(self) -> dict[str, Any]:
        return {"totalFloors": self.totalFloors.wire() if self.totalFloors is not None else None,
                "currentFloor": self.currentFloor}


class PropertyUpdateRequest(Wire):
    """``PUT``: partial, absent fields are kept."""

    number: UavtCode | None = Field(None, description="The 10-digit UAVT code of the apartment")
    propertyNumber: UavtCode | None = None
    uavtCode: UavtCode | None = None
    address: dict[str, Any] | None = Field(None, description="An echoed address: its apartment.value is the UAVT code")
    squareMeter: whole(1, 100000) | None = None  # type: ignore[valid-type]
    constructionYear: whole(1800, 9999, "not after next year") | None = None  # type: ignore[valid-type]
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
