"""Premiums that look like a Turkish insurer's and are fixed for a seed.

A price depends on the risk (vehicle value, age and use; property size and age; insured ages), the
insurer's appetite for the branch, the coverage asked for and a small per-risk jitter, all drawn
from ``random.Random`` seeded with the agent's seed and stable keys, never with the request order:
the same car quoted twice on the same agent gets the same price. DASK is a state pool, so every
insurer charges the same DASK tariff.

Premiums are totals (the webhook example repeats one amount for every installment). An insurer
that charges for installments adds a fixed surcharge per extra installment, so a plan with more
installments never costs less in total.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import functools
import hashlib
import math
import random
import threading
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

TAX = {"KASKO": 0.05, "TRAFIK": 0.05, "IMM": 0.05, "KONUT": 0.05, "DASK": 0.0, "TSS": 0.0}  # BSMV
COMMISSION = {"KASKO": 0.15, "TRAFIK": 0.08, "IMM": 0.15, "KONUT": 0.20, "DASK": 0.125, "TSS": 0.15}
KASKO_USE = {"PRIVATE_CAR": 1.0, "TAXI": 1.9, "RENTAL_CAR": 1.5, "MOTORCYCLE": 1.3, "TRUCK": 1.35,
             "PICKUP_TRUCK": 1.15, "CLOSED_BED_PICKUP": 1.15, "JEEP": 1.1, "JEEP_SUV": 1.1,
             "MINIBUS_SHARED_TAXI": 1.7, "MEDIUM_BUS": 1.6, "LARGE_BUS": 1.7, "TRACTOR": 0.9}
TRAFIK_BASE = {"PRIVATE_CAR": 8500, "TAXI": 32000, "MOTORCYCLE": 3200, "TRUCK": 24000, "PICKUP_TRUCK": 11000,
               "CLOSED_BED_PICKUP": 11000, "RENTAL_CAR": 14000, "JEEP": 9000, "JEEP_SUV": 9000,
               "MINIBUS_SHARED_TAXI": 21000, "MEDIUM_BUS": 30000, "LARGE_BUS": 40000, "TRACTOR": 4000}
TSS_AGE = ((18, 4500), (30, 6500), (40, 8000), (50, 10500), (60, 15000), (200, 22000))


@dataclass(frozen=True, slots=True)
class Risk:
    """What the price depends on, read from the proposal's snapshot."""

    branch: str
    key: str  # the asset or insured set: same key, same jitter
    vehicle_year: int | None = None
    vehicle_use: str | None = None
    brand: str | None = None
    square_meter: int | None = None
    construction_year: int | None = None
    building_cost: float | None = None
    contents: float = 0.0
    inflation: int = 60
    ages: tuple[int, ...] = ()
    undamaged_step: int = 0


def age_on(birth: date | None, today: date) -> int:
    if birth is None:
        return 35
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def undamaged_rate(step: int) -> int:
    return (0, 30, 40, 50, 60)[step]


@functools.lru_cache(maxsize=4096)
def insurer_terms(seed: int, insurer_id: int, branch: str) -> tuple[float, int, float]:
    """(price factor, most installments, surcharge per extra installment) of an insurer in a branch."""
    r = random.Random(f"{seed}:terms:{insurer_id}:{branch}")
    if branch == "DASK":
        return 1.0, 1, 0.0
    factor = r.uniform(0.95, 1.15) if branch == "TRAFIK" else r.uniform(0.85, 1.3)
    most = r.choice((1, 3, 4, 6)) if branch == "TRAFIK" else r.choice((4, 6, 9, 9))
    surcharge = r.choice((0.0, 0.0, 0.005, 0.01, 0.015))
    return factor, most, surcharge


def coverage_factor(branch: str, coverage: dict[str, Any] | None) -> float:
    c = coverage or {}

    def kind(key: str) -> str | None:
        v = c.get(key)
        return v.get("$type") if isinstance(v, dict) else v

    def value(key: str, default: float) -> float:
        v = c.get(key)
        return float(v["value"]) if isinstance(v, dict) and v.get("$type") == "DECIMAL" else default

    f = 1.0
    if branch in ("KASKO", "IMM"):
        f *= 1.08 if kind("immLimitiAyrimsiz") == "LIMITLESS" else 1 + 0.02 * math.log10(max(value("immLimitiAyrimsiz", 1e6), 1e5) / 1e5)
        rental = c.get("kiralikArac")
        if isinstance(rental, dict) and rental.get("$type") == "DEFINED":
            f *= 1 + 0.003 * float(rental.get("tekSeferlikGunSayisi", 7))
    if branch == "KASKO":
        f *= {"YETKILI_SERVIS": 1.15, "OZEL_SERVIS": 0.95}.get(kind("onarimServisTuru") or "", 1.0)
        f *= {"ORIJINAL_PARCA": 1.1, "MUADIL_PARCA": 0.93}.get(kind("yedekParcaTuru") or "", 1.0)
        f *= 1 + value("ferdiKazaVefat", 25000) / 5e6
        f *= 0.96 if kind("maneviTazminat") == "NOT_INCLUDED" else 1.0
    if branch == "TSS":
        f *= 0.55 if kind("ayaktaTedavi") == "NOT_INCLUDED" else 1.0
        f *= 1.12 if kind("disPaketi") == "INCLUDED" else 1.0
        f *= 1.2 if kind("dogum") == "INCLUDED" else 1.0
        f *= {"GENIS_KAPSAM": 1.3, "DAR_KAPSAM": 0.8}.get(kind("hastaneAgi") or "", 1.0)
    if branch == "IMM" and kind("tasinanYuk") == "INCLUDED":
        f *= 1.1
    return f


def net_base(risk: Risk, today: date, seed: int) -> float:
    """The market price of the risk before the insurer's factor."""
    b = risk.branch
    if b in ("KASKO", "TRAFIK", "IMM"):
        age = max(0, today.year - (risk.vehicle_year or today.year))
        if b == "KASKO":
            tier = random.Random(f"{seed}:brand:{risk.brand}").uniform(0.8, 1.6)
            value = max(150_000.0, 900_000.0 * tier * 0.88 ** age)
            base = value * 0.028 * KASKO_USE.get(risk.vehicle_use or "", 1.25)
            return base * (1 - undamaged_rate(risk.undamaged_step) / 200)
        if b == "TRAFIK":
            base = TRAFIK_BASE.get(risk.vehicle_use or "", 12000) * (1 + 0.01 * min(age, 15))
            return base * (1 - undamaged_rate(risk.undamaged_step) / 400)
        return 2200.0 * KASKO_USE.get(risk.vehicle_use or "", 1.25)
    if b in ("KONUT", "DASK"):
        sqm = risk.square_meter or 100
        built = risk.construction_year or 2000
        old = 1.0 + max(0, min(today.year - built, 60)) / 60
        if b == "DASK":
            return round(sqm * 17.0 * (0.9 + 0.7 * (old - 1)), 2)
        building = sqm * (risk.building_cost or 25000.0)
        return (building * 0.00045 * old + risk.contents * 0.004) * (1 + risk.inflation / 400)
    if b == "TSS":
        ages = risk.ages or (35,)
        total = sum(next(price for limit, price in TSS_AGE if a < limit) for a in ages)
        return total * (0.95 if len(ages) > 1 else 1.0)
    raise ValueError(b)


class Premiums(Sequence):
    """An insurer's installment plans for one quote, 1 first. A quote keeps the one price they all come
    from (with what names the insurer's terms) and builds the plans when they are read (a kasko
    proposal quotes ~40 products with up to nine plans each); the plans of the quotes read last stay
    built."""

    __slots__ = ("seed", "insurer_id", "product_id", "branch", "proposal_number", "net1")

    def __init__(self, *, seed: int, insurer_id: int, product_id: int, branch: str, proposal_number: str,
                 net1: float):
        self.seed, self.insurer_id, self.product_id = seed, insurer_id, product_id
        self.branch, self.proposal_number, self.net1 = branch, proposal_number, net1

    def __len__(self) -> int:
        return insurer_terms(self.seed, self.insurer_id, self.branch)[1]

    def _key(self) -> tuple[Any, ...]:
        return self.seed, self.insurer_id, self.product_id, self.branch, self.proposal_number, self.net1

    def _plans(self) -> list[dict[str, Any]]:
        with _BUILT_LOCK:  # (documents read plans in the thread pool)
            key = self._key()
            built = _BUILT.get(key)
            if built is not None:
                _BUILT.move_to_end(key)
                return built
        built = []
        _factor, most, surcharge = insurer_terms(self.seed, self.insurer_id, self.branch)
        tax, net1 = TAX[self.branch], self.net1
        gross1, commission = round(net1 * (1 + tax), 2), round(net1 * COMMISSION[self.branch], 2)
        for n in range(1, most + 1):
            gross = round(gross1 * (1 + surcharge * (n - 1)), 2)
            net = round(gross / (1 + tax), 2) if n > 1 else net1
            # the insurer's reference of the plan (PremiumModel.insurancePremiumReference, a GUID)
            digest = hashlib.sha256(f"{self.seed}:{self.product_id}:{self.proposal_number}:{n}".encode()).digest()
            built.append({"installmentNumber": n, "insurancePremiumReference": str(uuid.UUID(bytes=digest[:16], version=4)),
                          "netPremium": net, "grossPremium": gross, "commission": commission, "exchangeRate": 1,
                          "currency": "TURKISH_LIRA", "insuranceCompanyProposalNumber": self.proposal_number})
        with _BUILT_LOCK:
            _BUILT[self._key()] = built
            if len(_BUILT) > _KEEP_BUILT:
                _BUILT.popitem(last=False)
        return built

    def __getitem__(self, i):  # type: ignore[override]
        return self._plans()[i]

    def __iter__(self):
        return iter(self._plans())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Premiums, list)):
            return list(self) == list(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Premiums({list(self)!r})"


_BUILT: "OrderedDict[tuple[Any, ...], list[dict[str, Any]]]" = OrderedDict()  # by what the plans come from
_KEEP_BUILT = 4000  # quotes whose plans stay built (~4 KB each)
_BUILT_LOCK = threading.Lock()


def net_premium(*, seed: int, insurer_id: int, product_id: int, risk: Risk, coverage: dict[str, Any] | None,
                today: date, proposal_number: str) -> float:
    """The one-installment net price of a quote, which every installment plan comes from (Premiums)."""
    factor, _most, _surcharge = insurer_terms(seed, insurer_id, risk.branch)
    jitter = 1.0 if risk.branch == "DASK" else random.Random(f"{seed}:risk:{product_id}:{risk.key}").uniform(0.96, 1.04)
    net1 = round(net_base(risk, today, seed) * factor * coverage_factor(risk.branch, coverage) * jitter, 2)
    return max(net1, 150.0)


def premiums(*, seed: int, insurer_id: int, product_id: int, risk: Risk, coverage: dict[str, Any] | None,
             today: date, proposal_number: str) -> Premiums:
    """Every installment plan the insurer offers for the risk, 1 first."""
    net1 = net_premium(seed=seed, insurer_id=insurer_id, product_id=product_id, risk=risk, coverage=coverage,
                       today=today, proposal_number=proposal_number)
    return Premiums(seed=seed, insurer_id=insurer_id, product_id=product_id, branch=risk.branch,
                    proposal_number=proposal_number, net1=net1)
