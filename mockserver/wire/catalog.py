"""Insurers, their products and the agency's web-service connections to them; banks."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

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


CredentialValues = dict[str, str | int | float | bool | None] | list[dict[str, Any]]


class ConnectionRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("branches", "productBranches")))

    insuranceCompanyId: int | str
    branches: list[str] | None = None
    productBranches: list[str] | None = None
    connection: CredentialValues | None = Field(None, description="credential field key -> value")
    fields: CredentialValues | None = None
    credentials: CredentialValues | None = None


class ConnectionUpdateRequest(Wire):
    connection: CredentialValues | None = None
    fields: CredentialValues | None = None
    credentials: CredentialValues | None = None


class BranchesRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("branches", "productBranches")))

    branches: list[str] | None = None
    productBranches: list[str] | None = None
