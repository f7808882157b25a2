"""Coverage shapes, made from the branch tables in ``data/coverage.json`` (the declaration: a new
coverage key there is a new field here, in the answers' validation and in the OpenAPI document).

A value is written as real clients read it: ``{"$type": "DECIMAL", "value": 1000000}``, a bare
``{"$type": "INCLUDED"}`` (or NOT_INCLUDED, LIMITLESS, …), a ``kiralikArac`` ``DEFINED`` object, or a
plain enum string for an option (service type, part type…). A coverage is one object per branch,
told apart by its ``$type`` (``kasko``, ``konut``…)."""


import json
from importlib import resources
from typing import Annotated, Any, Literal, Union

from pydantic import Field, create_model

from mockserver.wire.base import Strict

_TABLES: dict[str, Any] = json.loads(resources.files("mockserver.data").joinpath("coverage.json").read_text("utf-8"))


class DecimalValue(Strict):
    type_: Literal["DECIMAL", "NUMBER", "PERCENT"] = Field(alias="$type")
    value: float = Field(ge=0)


class FlagValue(Strict):
    type_: Literal["LIMITLESS", "UNDEFINED", "HIGHEST_LIMIT", "NOT_INCLUDED", "INCLUDED",
                   "MARKET_VALUE"] = Field(alias="$type")


class RentalValue(Strict):
    """``kiralikArac``: a replacement car, so many times a year for so many days."""

    type_: Literal["DEFINED"] = Field(alias="$type")
    yillikKullanimSayisi: int = Field(ge=1, le=60)
    tekSeferlikGunSayisi: int = Field(ge=1, le=60)
    aracSegment: str


class RentalFlag(Strict):
    type_: Literal["NONE", "UNDEFINED"] = Field(alias="$type")


# the SDK's CoverageValue (a plain union: told apart by $type all the same, each member takes only
# its own; pydantic cannot place one discriminated union's mapping when it is nested in many models)
CoverageValue = DecimalValue | FlagValue
Rental = RentalValue | RentalFlag  # the SDK's KiralikArac


def _value_type(item: dict[str, Any]) -> Any:
    if item["kind"] == "option":
        return Literal[tuple(item["choices"])]
    return Rental if item["kind"] == "rental" else CoverageValue


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _branch_model(branch: str, table: dict[str, Any]) -> type[Strict]:
    name = "".join(part.capitalize() for part in table["$type"].split("-")) + "Coverage"
    fields: dict[str, Any] = {"type_": (Literal[table["$type"]], Field(alias="$type")),
                              "productBranch": (Literal[branch], Field(description="the branch, as the SDK tells "
                                                                                   "coverages apart"))}
    for item in table["items"]:
        # absent when not asked for (never null): the schema shows no default
        fields[item["key"]] = (_value_type(item), Field(None, description=item["label"], json_schema_extra=_no_default))
    return create_model(name, __base__=Strict, __doc__=f"A {branch} coverage", **fields)


BRANCH_MODELS: dict[str, type[Strict]] = {branch: _branch_model(branch, t) for branch, t in _TABLES.items()}
Coverage = Annotated[Union[tuple(BRANCH_MODELS.values())], Field(discriminator="type_")]  # noqa: UP007


class CoverageChoice(Strict):
    key: str
    label: str
    kind: Literal["limit", "switch", "option", "rental", "amount", "percent"]
    choices: list[CoverageValue | Rental | str] = Field(
        description="Values a coverage group may hold (an option's are strings)")
    default: CoverageValue | Rental | str | None


class CoverageChoices(Strict):
    type_: str = Field(alias="$type")
    productBranch: str
    insuranceCompanyId: int | None
    vehicleUtilizationStyle: str | None
    items: list[CoverageChoice]


class CoverageOut(Strict):
    coverage: Coverage | None
