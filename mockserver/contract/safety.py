"""What a scenario may do to a real API: the safety registry of operations, the purchase opt-in and
the budgets of a run.

Every operation the sandbox serves is in the registry with a class: reads (``GET`` and GraphQL
queries) are ``read_only``; anything that writes is ``creates_records``; starting a purchase is
``purchases``. Against a target that is not a sandbox, a request whose operation is not in the
registry is refused, and so is one whose class is above the scenario's declared ``safety``. A
purchase scenario runs against a real target only with ``--allow-purchases`` *and*
``INSURUP_CONTRACT_ALLOW_PURCHASES`` set to today's date.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache

from mockserver.contract.spec import SAFETY_ORDER

PURCHASE_ENV = "INSURUP_CONTRACT_ALLOW_PURCHASES"


class Refused(Exception):
    """A request the safety rules or the budgets do not allow; the run stops."""


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$")


@lru_cache(maxsize=1)
def registry() -> list[tuple[str, re.Pattern[str], str, str]]:
    """(method, path pattern, class, template) of every operation the sandbox serves (its route
    table, the OpenAPI document's source), the control plane excluded."""
    from mockserver.http.routes import ROUTES
    out = []
    for spec in ROUTES:
        if spec.path.startswith("/__sandbox"):
            continue
        if "/purchase/" in spec.path:
            kind = "purchases"
        elif spec.method in ("GET", "HEAD") or spec.path in ("/graphql", "/graphql/schema"):
            kind = "read_only"
        else:
            kind = "creates_records"
        out.append((spec.method, _template_regex(spec.path), kind, spec.path))
    return out


def operation(method: str, path: str) -> tuple[str, str] | None:
    """(template, class) of a request, or None when the sandbox knows no such operation."""
    bare = path.split("?", 1)[0]
    if bare.startswith("/api/"):
        bare = bare[4:]
    for m, pattern, kind, template in registry():
        if m == method and pattern.match(bare):
            return f"{method} {template}", kind
    return None


def purchases_allowed(flag: bool, today: dt.date | None = None) -> bool:
    """Both opt-ins: the CLI flag and the environment variable carrying today's date."""
    today = today or dt.date.today()
    return flag and os.environ.get(PURCHASE_ENV, "").strip() == today.isoformat()


# the default budgets: against a real API, what a careful first run may spend; against a sandbox,
# enough for every packaged scenario (about 900 requests and 32 proposals) with room to grow
REAL_DEFAULTS = {"max_requests": 500, "max_proposals": 20, "max_seconds": 900.0}
SANDBOX_DEFAULTS = {"max_requests": 5000, "max_proposals": 200, "max_seconds": 1800.0}


@dataclass
class Budget:
    """Limits of one run against one target; ``charge`` raises Refused once one is spent. A limit
    left ``None`` takes its default for the kind of target (``resolve``)."""

    max_requests: int | None = None
    max_proposals: int | None = None
    max_seconds: float | None = None
    max_5xx_burst: int = 5
    requests: int = 0
    proposals: int = 0
    burst: int = 0
    started: float = field(default_factory=time.monotonic)

    def resolve(self, real: bool) -> "Budget":
        for name, value in (REAL_DEFAULTS if real else SANDBOX_DEFAULTS).items():
            if getattr(self, name) is None:
                setattr(self, name, value)
        return self

    def fresh(self) -> "Budget":
        """The same limits, nothing spent: each side of a diff has its own."""
        return Budget(self.max_requests, self.max_proposals, self.max_seconds, self.max_5xx_burst)

    def charge(self, method: str, path: str) -> None:
        self.resolve(real=True)  # (limits nobody resolved: the careful ones)
        self.requests += 1
        if self.requests > self.max_requests:
            raise Refused(f"request budget spent: {self.max_requests} requests (--max-requests)")
        if method == "POST" and path.split("?", 1)[0].rstrip("/") in ("/api/proposals", "/proposals"):
            self.proposals += 1
            if self.proposals > self.max_proposals:
                raise Refused(f"proposal budget spent: {self.max_proposals} proposals (--max-proposals)")
        if time.monotonic() - self.started > self.max_seconds:
            raise Refused(f"time budget spent: {self.max_seconds:g} s (--max-seconds)")

    def answered(self, status: int) -> None:
        self.burst = self.burst + 1 if status >= 500 else 0
        if self.burst >= self.max_5xx_burst:
            raise Refused(f"the target answered {self.burst} server errors in a row; stopping")


def check(method: str, path: str, declared: str, *, real: bool, purchases_ok: bool) -> tuple[str, str] | None:
    """Refuse a request against a real target that the registry does not know, or whose class is
    above the scenario's declared safety (purchases need both opt-ins). Returns its operation."""
    found = operation(method, path)
    if not real:
        return found
    if found is None:
        raise Refused(f"{method} {path.split('?', 1)[0]} is not in the safety registry; it is never sent to a real API")
    template, kind = found
    if SAFETY_ORDER[kind] > SAFETY_ORDER[declared]:
        raise Refused(f"{template} is {kind} but the scenario declares safety {declared}")
    if kind == "purchases" and not purchases_ok:
        raise Refused(f"{template} buys a policy: pass --allow-purchases and set {PURCHASE_ENV} to today's date "
                      f"({dt.date.today().isoformat()})")
    return found
