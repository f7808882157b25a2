"""The words of a certification scope: what a partner's integration implements. Each list takes the
guide's words (``kasko``, ``trafik`` or ``traffic``, ``3d-secure``, ``website``) and the API's enum
values (``TRAFIK``, ``ASYNC_3D_SECURE``, ``WEBSITE``), in any case, and keeps the enum value; an
unknown word is refused, naming the field and the words it takes (a silently ignored word would turn
modules into SKIPPED). ``scope.example.yaml`` beside this module is the documented example
(``insurup-sandbox certify example-scope`` prints it)."""

from __future__ import annotations

import re
from pathlib import Path

EXAMPLE = Path(__file__).with_name("scope.example.yaml")

BRANCHES = {"KASKO": ("kasko", "casco", "motor-own-damage"), "TRAFIK": ("trafik", "traffic", "motor-liability"),
            "IMM": ("imm",), "KONUT": ("konut", "home", "housing"), "DASK": ("dask", "earthquake"),
            "TSS": ("tss", "health", "complementary-health")}
PAYMENT_TYPES = {"ASYNC_3D_SECURE": ("3d-secure", "3dsecure", "async-3d-secure"),
                 "ASYNC_INSURANCE_COMPANY_REDIRECT": ("insurance-company-redirect", "insurer-page"),
                 "ASYNC_THIRD_PARTY_3D_SECURE": ("third-party-3d-secure",),
                 "SYNC_CREDIT_CARD": ("credit-card", "sync-credit-card"),
                 "SYNC_OPEN_ACCOUNT": ("open-account", "sync-open-account")}
CHANNELS = {"WEBSITE": ("website", "web"), "MOBILE_APP": ("mobile-app", "mobile", "app"),
            "CALL_CENTER": ("call-center",), "API": ("api",), "PARTNER": ("partner",)}
VOCABULARY = {"branches": BRANCHES, "paymentTypes": PAYMENT_TYPES, "channels": CHANNELS}


def _fold(word: str) -> str:
    return re.sub(r"[^a-z0-9]", "", word.lower())


def word(field: str, raw: object) -> str:
    """The enum value a scope word means; ValueError naming the words the field takes."""
    table = VOCABULARY[field]
    if isinstance(raw, str):
        folded = _fold(raw)
        for value, words in table.items():
            if folded == _fold(value) or folded in {_fold(w) for w in words}:
                return value
    accepted = ", ".join(f"{value} ({'/'.join(words)})" for value, words in table.items())
    raise ValueError(f"{raw!r} is not one of the {field} a scope takes: {accepted}")
