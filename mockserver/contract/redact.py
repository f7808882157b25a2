"""Redaction of recordings, applied before anything touches disk, and the scanner that proves a
recording holds none of it.

Secrets (tokens, cookies, Authorization, passwords, client secrets) become ``<secret>``. Card
numbers (by Luhn), TCKN / YKN / VKN (by checksum), phones, e-mail addresses, personal names and
birth dates become stable pseudonyms within one recording (``<tckn:1>`` is the same person in
step 1 and step 5), so the comparison still sees that two fields held the same value.
"""

from __future__ import annotations

import re
from typing import Any

from mockserver.core.redact import luhn_ok
from mockserver.validators.turkish import is_tckn, is_vkn, is_ykn

SECRET_KEYS = frozenset({
    "token", "accesstoken", "refreshtoken", "access_token", "refresh_token", "id_token", "idtoken", "authorization",
    "cookie", "set-cookie", "password", "clientsecret", "client_secret", "secret", "controltoken",
    "connectiontoken", "apikey", "x-sandbox-token", "code", "cvc", "cvv"})
NAME_KEYS = frozenset({"fullname", "firstname", "lastname", "holdername", "customername", "insuredcustomername",
                       "insurercustomername", "createdbyname", "representedbyname", "lastupdatedbyname"})
# a key naming something that is not a person keeps its value
NOT_PERSON_NAMES = frozenset({"productname", "insurancecompanyname", "coveragegroupname", "webhookname", "filename",
                              "templatename", "branchname", "agentbranchname", "parentname", "vehiclemodelname",
                              "typename", "__typename", "propertyname", "operationname", "name"})
BIRTH_KEYS = re.compile(r"(?i)^(birth(date|day)|.*birthdate)$")
PERSON_HINTS = frozenset({"identityNumber", "taxNumber", "birthDate", "primaryPhoneNumber", "primaryEmail"})
KEPT_HEADERS = ("content-type", "allow", "location", "www-authenticate", "retry-after")

_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_DIGITS = re.compile(r"(?<![\w<:+])\+?\d[\d ]{8,21}\d(?!\w)")
_PHONE = re.compile(r"^(?:\+?90|0)?5\d{9}$")
_PSEUDONYM = re.compile(r"^<[a-z]+:\d+>")


def _digits_kind(raw: str) -> str | None:
    """What a run of digits is, if it is something a recording must not hold."""
    digits = re.sub(r"\D", "", raw)
    if _PHONE.match(digits):
        return "phone"
    if 13 <= len(digits) <= 19 and luhn_ok(digits):
        return "card"
    if len(digits) == 11 and (is_tckn(digits) or is_ykn(digits)):
        return "tckn"
    if len(digits) == 10 and is_vkn(digits):
        return "vkn"
    return None


class Redactor:
    """Replaces what must not be written with pseudonyms numbered per kind, stable per value."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}

    def pseudonym(self, kind: str, value: str) -> str:
        if kind == "phone":  # +90 532…, 0532… and 532… are one number
            value = re.sub(r"\D", "", value)[-10:]
        key = (kind, value)
        if key not in self._seen:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            n = self._counts[kind]
            self._seen[key] = f"<email:{n}>@example.invalid" if kind == "email" else f"<{kind}:{n}>"
        return self._seen[key]

    def text(self, value: str) -> str:
        value = _JWT.sub("<secret>", value)
        value = _EMAIL.sub(lambda m: m.group(0) if m.group(0).endswith("@example.invalid")
                           else self.pseudonym("email", m.group(0).lower()), value)

        def digits(m: re.Match[str]) -> str:
            kind = _digits_kind(m.group(0))
            return self.pseudonym(kind, re.sub(r"\D", "", m.group(0))) if kind else m.group(0)

        return _DIGITS.sub(digits, value)

    def value(self, value: Any, key: str | None = None, siblings: frozenset[str] = frozenset()) -> Any:
        lk = (key or "").lower()
        if lk in SECRET_KEYS and value not in (None, ""):
            return "<secret>"
        if isinstance(value, dict):
            keys = frozenset(value)
            return {k: self.value(v, k, keys) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v, key, siblings) for v in value]
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            kind = _digits_kind(str(value))
            return self.pseudonym(kind, str(value)) if kind else value
        if not isinstance(value, str):
            return value
        if _PSEUDONYM.match(value):
            return value
        if (lk in NAME_KEYS or ("name" in lk and lk not in NOT_PERSON_NAMES)
                or (lk == "name" and siblings & PERSON_HINTS) or (lk == "title" and "taxNumber" in siblings)):
            return self.pseudonym("name", value)
        if BIRTH_KEYS.match(key or "") and value:
            return self.pseudonym("birthdate", value)
        return self.text(value)

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {k: self.text(v) for k, v in ((k.lower(), v) for k, v in headers.items()) if k in KEPT_HEADERS}


def scan(value: Any, path: str = "$") -> list[tuple[str, str]]:
    """(JSON path, kind) of everything in ``value`` that redaction should have replaced."""
    hits: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k.lower() in SECRET_KEYS and v not in (None, "", "<secret>"):
                hits.append((f"{path}.{k}", "secret"))
            elif ((k.lower() in NAME_KEYS or ("name" in k.lower() and k.lower() not in NOT_PERSON_NAMES))
                  and isinstance(v, str) and not _PSEUDONYM.match(v)):
                hits.append((f"{path}.{k}", "name"))
            elif BIRTH_KEYS.match(k) and isinstance(v, str) and v and not _PSEUDONYM.match(v):
                hits.append((f"{path}.{k}", "birthdate"))
            else:
                hits += scan(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            hits += scan(v, f"{path}[{i}]")
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int):
        kind = _digits_kind(str(value))
        if kind:
            hits.append((path, kind))
    elif isinstance(value, str):
        if _JWT.search(value):
            hits.append((path, "secret"))
        if any(not m.group(0).endswith("@example.invalid") for m in _EMAIL.finditer(value)):
            hits.append((path, "email"))
        hits += [(path, kind) for m in _DIGITS.finditer(value) if (kind := _digits_kind(m.group(0)))]
    return hits
