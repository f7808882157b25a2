"""Shapes every resource shares: values with their text, phone numbers, user references, the problem body, the scalar input types (dates, money, enum spellings) and the query-string base."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from mockserver.wire.base import Strict, Wire


class ValueText(Strict):
    value: str
    text: str


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


class ReferenceIn(Wire):
    id: Annotated[str, Field(max_length=64)]


ShortText = Annotated[str, Field(max_length=200)]


class PhoneIn(Wire):
    number: str | int
    countryCode: int | str = 90
    areaCode: str | None = None
    numberWithoutAreaCode: str | None = None


EnumName = Annotated[str, Field(max_length=64)]


EnumNames = Annotated[list[EnumName], Field(max_length=20)]


class PhoneNumberOut(Strict):
    """The SDK's ``{number, countryCode}``."""

    number: str
    countryCode: int


class RefOut(Strict):
    value: str
    text: str


class IdOut(Strict):
    id: str


class NamedOut(Strict):
    id: int
    name: str


PaymentOption = Literal["UNKNOWN", "SYNC_CREDIT_CARD", "SYNC_OPEN_ACCOUNT", "ASYNC_3D_SECURE",
                        "ASYNC_INSURANCE_COMPANY_REDIRECT", "ASYNC_THIRD_PARTY_3D_SECURE"]


class DocumentUrl(Strict):
    url: str


class ValueRef(Wire):
    """An echoed ``{value, text}`` (or ``{reference}``) object: only its value counts."""

    value: str | int | None = None
    text: str | None = None
    reference: str | int | None = None


Enumish = str | int | ValueRef  # UPPER_SNAKE in any case, the integer code, or a {value} echo


DateText = Annotated[str, Field(pattern=r"^([0-9]{4}-[0-9]{2}-[0-9]{2}([T ].*)?|[0-9]{2}[./][0-9]{2}[./][0-9]{4})$",
                               description="YYYY-MM-DD (dd.mm.yyyy and ISO instants accepted)")]


IsoDate = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}", description="YYYY-MM-DD")]


Money = Annotated[float, Field(ge=0)]


class Query(BaseModel):
    """Query strings: values arrive as text, so numbers are read from their digits (lax), and
    unknown parameters are ignored."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")


Digits = Annotated[str, Field(pattern=r"^[0-9]+$")]


class PageQuery(Query):
    skip: Annotated[int, Field(ge=0, le=10**9)] = 0
    take: Annotated[int, Field(ge=1, le=100)] = 20
    productBranch: str | None = Field(None, description="KASKO, TRAFIK, ... (any case)")
    state: str | None = Field(None, description="A state of the listed resource (any case)")
