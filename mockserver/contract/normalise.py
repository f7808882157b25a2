"""One ordered, idempotent normaliser, applied identically to both sides of a comparison.

In order: volatile fields dropped (trace ids, GraphQL locations), the base URL of each side made
``<base>``, ids (ObjectIds, GUIDs, case refs) made ``<id:N>`` numbered by first appearance across
the scenario's steps, instants made ``<instant>`` and dates ``<date:±Nd>`` relative to the day of
the run, premium amounts made ``<amount>`` (the tolerance band: any positive amount), human text of
errors made ``<text>``, GraphQL ``errors`` ordered by path, and lists sorted by declared keys.
Running it on its own output changes nothing.

An id (and a redaction pseudonym) becomes a token named after where it first appeared:
``<id@create the proposal:$.proposalId>``; wherever it comes back (a later body, a URL path) it
reads the same, so both sides agree when their flows agree, whatever the ids' values or count.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

NORMALISER_VERSION = "1"

VOLATILE = frozenset({"traceId", "locations"})
AMOUNT_KEYS = frozenset({"netPremium", "grossPremium", "commission", "lowestPremium", "highestPremium", "amount",
                         "installmentAmount", "netPremiumTL", "grossPremiumTL", "commissionTL"})
TEXT_KEYS = frozenset({"detail", "title", "message", "errorMessage", "error_description", "failureReason",
                       "investigationMessage"})
# seed-driven figures and the insurers' own numbers: compared as present, not by value
COUNT_KEYS = re.compile(r"^(.*Count|successRate|attempt)$")
NUMBER_KEYS = frozenset({"insuranceCompanyProposalNumber", "insuranceCompanyPolicyNumber", "policyNumber",
                         "proposalNumber", "insuranceServicesProposalId", "insuranceServicesPremiumId", "clientId"})
DEFAULT_SORT = {"products": ("insuranceCompanyId", "productId", "coverageGroupId", "revised")}

_PSEUDONYM = re.compile(r"<(?:tckn|vkn|card|phone|email|name|birthdate):\d+>(?:@example\.invalid)?")
_ID = re.compile(r"(?<![0-9a-fA-F-])(?:[0-9a-f]{24}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                 r"[0-9a-fA-F]{12}|(?:SF|IP|ZY|SK)-\d{4}-\d{6})(?![0-9a-fA-F-])")
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


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
        return _ID.sub(self._id, _PSEUDONYM.sub(self._id, value))

    def value(self, value: Any, key: str | None = None, sort_by: dict[str, Any] | None = None,
              where: str = "$") -> Any:
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if k in VOLATILE or (k == "instance" and isinstance(v, str)):
                    continue
                out[k] = self.value(v, k, sort_by, f"{where}.{k}")
            return out
        if isinstance(value, list):
            items = [self.value(v, key, sort_by, f"{where}[*]") for v in value]
            keys = (sort_by or {}).get(where) or (sort_by or {}).get(key or "") or DEFAULT_SORT.get(key or "")
            if key == "errors" and all(isinstance(i, dict) for i in items):
                keys = ("path", "message")
            if keys and all(isinstance(i, dict) for i in items):
                fields = (keys,) if isinstance(keys, str) else tuple(keys)
                items.sort(key=lambda i: tuple(str(i.get(f)) for f in fields))
            return items
        if key in AMOUNT_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return "<amount>"
        if key and COUNT_KEYS.match(key) and isinstance(value, (int, float)) and not isinstance(value, bool):
            return "<count>"
        if key in NUMBER_KEYS and value not in (None, ""):
            return "<number>"
        if isinstance(value, str):
            if key in TEXT_KEYS and value:
                return "<text>"
            return self.text(value, f"{self._step}:{where}")
        return value

    def exchange(self, exchange: dict[str, Any]) -> dict[str, Any]:
        """A recorded or live answer, normalised (its path too)."""
        ctype = (exchange.get("headers") or {}).get("content-type", "")
        self._step = exchange["step"]
        return {"step": exchange["step"], "method": exchange["method"],
                "path": self.text(exchange["path"], f"{self._step}:path"),
                "status": exchange["status"], "contentType": ctype.split(";")[0].strip().lower(),
                "body": self.value(exchange.get("body"), sort_by=exchange.get("sortBy")),
                "calls": exchange.get("calls", 1), "compare": exchange.get("compare")}
