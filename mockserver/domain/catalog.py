"""The insurer catalogue: companies, their products per branch (web service or robot), payment
options and web-service credential fields with validators. Loaded from ``data/insurers.json``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from mockserver.core.errors import FieldError
from mockserver.domain.reference import insurer_data
from mockserver.validators.common import is_guid, is_ip, is_url, isdigits
from mockserver.validators.polish import is_pesel
from mockserver.wire.catalog import CredentialFieldOut, InsuranceCompany, ProductOut
from mockserver.wire.render import From, renderer

BRANCHES = ("KASKO", "TRAFIK", "DASK", "KONUT", "TSS", "IMM", "YESIL_KART", "SAGLIK", "SEYAHAT", "FERDI", "ISYERI")


_KIND_CHECKS = {
    "ip": (is_ip, "must be an IPv4 or IPv6 address"),
    "url": (is_url, "must be an http(s) URL"),
    "guid": (is_guid, "must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"),
    "pesel": (is_pesel, "must be a valid PESEL (11 digits with a valid date and check digit)"),
}


@dataclass(frozen=True, slots=True)
class CredentialField:
    key: str
    label: str
    label_en: str
    kind: str
    required: bool
    secret: bool
    pattern: str | None
    hint: str | None
    allowed: tuple[str, ...] = ()

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not acceptable for this field, or None."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return "is required" if self.required else None
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            return "must be a string"
        text = str(value)
        if len(text) > 512:
            return "must be at most 512 characters"
        if self.kind in _KIND_CHECKS:
            ok, msg = _KIND_CHECKS[self.kind]
            return None if ok(text) else msg
        if self.pattern and not re.fullmatch(self.pattern, text):
            return f"has the wrong format ({self.hint or 'expected ' + self.pattern})"
        return None

    def wire(self) -> dict[str, Any]:
        return _render_field(self)


@dataclass(frozen=True, slots=True)
class Product:
    id: int
    name: str
    branch: str
    kind: str  # WEB_SERVICE | ROBOT
    status: str  # LIVE | IN_PROGRESS
    insurer_id: int

    @property
    def purchasable(self) -> bool:
        return self.kind == "WEB_SERVICE" and self.status == "LIVE"

    def wire(self, insurer: "Insurer") -> dict[str, Any]:
        return _render_product(self, insurer)


@dataclass(frozen=True, slots=True)
class Insurer:
    id: int
    code: str
    name: str
    market: str
    enabled: bool
    payment_options: tuple[str, ...]
    tramer: bool
    credentials_from_insurer: bool
    fields: tuple[CredentialField, ...]
    products: tuple[Product, ...]

    def web_service_branches(self, *, live_only: bool = True) -> list[str]:
        seen: list[str] = []
        for p in self.products:
            if p.kind == "WEB_SERVICE" and (p.status == "LIVE" or not live_only) and p.branch not in seen:
                seen.append(p.branch)
        return seen

    def connection_branches(self) -> list[str]:
        """The branches a connection may name: the live web-service products', or for an insurer
        quoted only by robots (Acıbadem, Corpus) its live robot products' (the robot logs in with
        the agency's credentials too)."""
        return self.web_service_branches() or list(dict.fromkeys(
            p.branch for p in self.products if p.kind == "ROBOT" and p.status == "LIVE"))

    @property
    def integration_type(self) -> str:
        return "WEB_SERVICE" if self.web_service_branches() else "ROBOT"

    def logo_path(self) -> str:
        return f"/__sandbox/logos/{self.id}.svg"

    def validate_credentials(self, values: dict[str, Any], prefix: str = "connection") -> list[FieldError]:
        errors = [FieldError(f"{prefix}.{f.key}", msg, values.get(f.key) if not f.secret else None)
                  for f in self.fields if (msg := f.problem(values.get(f.key)))]
        known = {f.key for f in self.fields}
        errors += [FieldError(f"{prefix}.{k}", f"is not a credential field of {self.name}; expected one of: "
                              f"{', '.join(sorted(known)) or '(none)'}", None) for k in values if k not in known]
        return errors


class Catalog:
    def __init__(self, raw: list[dict[str, Any]]):
        insurers = []
        for row in raw:
            fields = tuple(CredentialField(f["key"], f["label"], f["labelEn"], f["kind"], f["required"], f["secret"],
                                           f["pattern"], f["hint"], tuple(f.get("allowed") or ()))
                           for f in row["connectionFields"])
            products = tuple(Product(p["id"], p["name"], p["branch"], p["kind"], p["status"], row["id"])
                             for p in row["products"])
            insurers.append(Insurer(row["id"], row["code"], row["name"], row["market"], row["enabled"],
                                    tuple(row["supportedPaymentOptions"]), row["tramer"],
                                    row["credentialsFromInsurer"], fields, products))
        self.insurers = insurers
        self.by_id = {i.id: i for i in insurers}
        self.products = {p.id: p for i in insurers for p in i.products}

    def get(self, ref: int | str) -> Insurer | None:
        """An insurer by id, given as an int or as a path segment."""
        if isinstance(ref, str):
            if not isdigits(ref):
                return None
            ref = int(ref)
        return self.by_id.get(ref)

    def for_market(self, market: str) -> list[Insurer]:
        return [i for i in self.insurers if i.market == market]


_render_field = renderer(CredentialFieldOut, CredentialField, labelEn="label_en", type="kind",
                         allowedValues=lambda f, ctx: list(f.allowed) or None)
_render_product = renderer(ProductOut, Product, productBranch="branch", insuranceCompanyId="insurer_id",
                           insuranceCompanyName=lambda p, insurer: insurer.name, integrationType="kind")
render_company = renderer(  # ctx: the base URL its logo is served from
    InsuranceCompany, Insurer, logo=lambda i, base_url: base_url + i.logo_path(),
    supportedPaymentOptions=From("payment_options", convert=list))


@cache
def catalog() -> Catalog:
    return Catalog(insurer_data())


def sample_credentials(insurer: Insurer, salt: int = 0) -> dict[str, str]:
    """Valid credential values for an insurer (the default agent's connections use them)."""
    samples = {
        "ip": "10.0.0.10", "url": "https://ws.example-insurer.test/customer", "guid": "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
        "pesel": "44051401359", "digits": "1234", "enum": "TEST",
    }
    by_pattern = {r"^\d{7}/P$": "1234567/P", r"^\d{7}$": "1234567", r"^A[0-9A-Za-z]{10}$": "A0000ABC123",
                  r"^\d{8}$": "12345678", r"^\d{6}$": "123456", r"^\d{2}/\d{4}/\d{3}$": "12/3456/789",
                  r"^\d{1,20}$": "123456"}
    out = {}
    for f in insurer.fields:
        if f.pattern in by_pattern:
            out[f.key] = by_pattern[f.pattern]
        elif f.kind in samples:
            out[f.key] = samples[f.kind]
        elif f.kind == "secret":
            out[f.key] = f"sandbox-secret-{insurer.id}-{salt}-0000"
        elif f.pattern and "a-z" in f.pattern and "@" not in f.pattern:
            out[f.key] = "jkowal"
        elif f.pattern and "@" in f.pattern:
            out[f.key] = "jkowal1"
        else:
            out[f.key] = f"sandbox{insurer.id}"
    return out
