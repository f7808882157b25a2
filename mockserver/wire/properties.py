"""Homes: UAVT addresses, floors, DASK lookups."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from mockserver.wire.base import Strict, Wire, one_of_required
from mockserver.wire.common import Enumish, Query, ValueText
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
