"""One ordered, idempotent normaliser, applied identically to both sides of a comparison.

In order: volatile fields dropped (trace ids, GraphQL locations), the base URL of each side made
``<base>``, ids (ObjectIds, GUIDs, case refs) made ``<id@…>`` tokens, instants made ``<instant>`` and
dates ``<date:±Nd>`` relative to the day of the run (in Turkey), premium amounts made ``<amount>`` (the tolerance
band: any positive amount), seed-driven counts ``<count>``, insurers' own numbers ``<number>`` and the
human text of errors ``<text>``. Running it on its own output changes nothing.

**A placeholder never erases a type.** Every placeholder is a :class:`Placeholder`, a string that
remembers the JSON kind of the value it stands for: a premium sent as ``1234.5`` and one sent as
``"1234.50"`` are still a number and a string to the comparison (``compare.kind_of``). A redaction
pseudonym of a number (``<tckn:1|number>``) is a number too.

**Token names do not depend on key order.** An id (and a redaction pseudonym) becomes a token named
after where it first appeared, walking each object's keys in sorted order:
``<id@create the proposal:$.proposalId>``; wherever it comes back (a later body, a URL path) it reads
the same, so both sides agree when their flows agree, whatever the ids' values, their count, or the
order in which a server writes its keys. Every id inside one list has the same name
(``$.items[*].id``), so reordering a list renames nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

NORMALISER_VERSION = "2"

VOLATILE = frozenset({"traceId", "locations"})
AMOUNT_KEYS = frozenset({"netPremium", "grossPremium", "commission", "lowestPremium", "highestPremium", "amount",
                         "installmentAmount", "netPremiumTL", "grossPremiumTL", "commissionTL"})
TEXT_KEYS = frozenset({"detail", "title", "message", "errorMessage", "error_description", "failureReason",
                       "investigationMessage"})
# seed-driven figures and the insurers' own numbers: compared as present (and by kind), not by value
COUNT_KEYS = re.compile(r"^(.*Count|successRate|attempt)$")
NUMBER_KEYS = frozenset({"insuranceCompanyProposalNumber", "insuranceCompanyPolicyNumber", "policyNumber",
                         "proposalNumber", "insuranceServicesProposalId", "insuranceServicesPremiumId", "clientId"})
DEFAULT_SORT = {"products": ("insuranceCompanyId", "productId", "coverageGroupId", "revised")}
# the response headers clients read, compared by meaning (``compare.compare_headers``)
COMPARED_HEADERS = ("location", "www-authenticate", "allow", "retry-after")

_PSEUDONYM = re.compile(r"<(?:tckn|vkn|card|phone|email|name|birthdate|secret):\d+(?:\|number)?>"
                        r"(?:@example\.invalid)?")
_ID = re.compile(r"(?<![0-9a-fA-F-])(?:[0-9a-f]{24}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                 r"[0-9a-fA-F]{12}|(?:SF|IP|ZY|SK)-\d{4}-\d{6})(?![0-9a-fA-F-])")
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class Placeholder(str):
    """A normalised value: its text (``<amount>``) and the JSON kind of what it replaced."""

    kind: str

    def __new__(cls, text: str, kind: str) -> "Placeholder":
        self = super().__new__(cls, text)
        self.kind = kind
        return self

    def __repr__(self) -> str:
        return f"{str(self)}:{self.kind}" if self.kind != "string" else str(self)


def json_kind(value: Any) -> str:
    """null, bool, number, string, array or object (a placeholder: the kind it stands for)."""
    if isinstance(value, Placeholder):
        return value.kind
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


class Normaliser:
    """Per scenario and side: the id numbering is shared across the scenario's steps."""

    def __init__(self, *, run_date: dt.date, base_url: str = ""):
        self.run_date, self.base_url = run_date, base_url.rstrip("/")
        self._ids: dict[str, str] = {}
        self._where = "$"
        self._step = ""

    def _id(self, m: re.Match[str]) -> str:
        raw = m.group(0) if m.group(0).startswith("<") else m.group(0).lower()
        if raw not in self._ids:
            kind = "id" if not raw.startswith("<") else raw[1:].split(":", 1)[0]
            self._ids[raw] = f"<{kind}@{self._where}>"
        return self._ids[raw]

    def text(self, value: str, where: str | None = None) -> str:
        if isinstance(value, Placeholder):
            return value
        if where is not None:
            self._where = where
        if self.base_url and value.startswith(self.base_url):
            value = "<base>" + value[len(self.base_url):]
        if _INSTANT.match(value):
            return "<instant>"
        m = _DATE.match(value)
        if m:
            try:
                delta = (dt.date(int(m[1]), int(m[2]), int(m[3])) - self.run_date).days
            except ValueError:
                return value
            return f"<date:{delta:+d}d>"
        whole = _PSEUDONYM.fullmatch(value)
        out = _ID.sub(self._id, _PSEUDONYM.sub(self._id, value))
        if whole and value.endswith("|number>"):
            return Placeholder(out, "number")  # the redactor's stand-in for a number
        return out

    def value(self, value: Any, key: str | None = None, sort_by: dict[str, Any] | None = None,
              where: str = "$") -> Any:
        if isinstance(value, dict):
            out = {}
            for k in sorted(value, key=str):  # sorted: token names do not depend on the server's key order
                v = value[k]
                if k in VOLATILE or (k == "instance" and isinstance(v, str)):
                    continue
                out[k] = self.value(v, k, sort_by, f"{where}.{k}")
            return out
        if isinstance(value, list):
            items = [self.value(v, key, sort_by, f"{where}[*]") for v in value]
            keys = (sort_by or {}).get(where) or (sort_by or {}).get(key or "") or DEFAULT_SORT.get(key or "")
            if key == "errors" and all(isinstance(i, dict) for i in items):
                keys = ("path", "message")
            if keys and all(isinstance(i, dict) for i in items):  # for the report's eyes: the comparison
                fields = (keys,) if isinstance(keys, str) else tuple(keys)  # does not depend on order
                items.sort(key=lambda i: tuple(str(i.get(f)) for f in fields))
            return items
        if isinstance(value, Placeholder):
            return value
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if key in AMOUNT_KEYS and number and value > 0:
            return Placeholder("<amount>", "number")
        if key and COUNT_KEYS.match(key) and number:
            return Placeholder("<count>", "number")
        if key in NUMBER_KEYS and value not in (None, ""):
            return Placeholder("<number>", json_kind(value))
        if isinstance(value, str):
            if key in TEXT_KEYS and value:
                return Placeholder("<text>", "string")
            return self.text(value, f"{self._step}:{where}")
        return value

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        """The compared headers, with the side's base URL and its ids made tokens (a ``Location``)."""
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        return {h: self.text(lowered[h], f"{self._step}:headers.{h}") for h in COMPARED_HEADERS if h in lowered}

    def exchange(self, exchange: dict[str, Any]) -> dict[str, Any]:
        """A recorded or live answer, normalised (its path and the headers clients read too)."""
        headers = exchange.get("headers") or {}
        ctype = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
        self._step = exchange["step"]
        return {"step": exchange["step"], "method": exchange["method"],
                "path": self.text(exchange["path"], f"{self._step}:path"),
                "status": exchange["status"], "contentType": ctype.split(";")[0].strip().lower(),
                "headers": self.headers(headers),
                "body": self.value(exchange.get("body"), sort_by=exchange.get("sortBy")),
                "calls": exchange.get("calls", 1), "compare": exchange.get("compare"),
                "ordered": exchange.get("ordered") or []}
