"""Redaction of recordings, reports and messages, applied before anything touches disk or a
console, and the scanner that proves a recording holds none of it.

Secrets (tokens, cookies, Authorization, passwords, client secrets, one-time codes, payment-page
``key=`` values, signed document links) become ``<secret>``. Card numbers (by Luhn), TCKN / YKN /
VKN (by checksum), phones (whole, or split as ``areaCode`` + ``numberWithoutAreaCode``), e-mail
addresses, personal names and birth dates become stable pseudonyms within one run (``<tckn:1>`` is
the same person in step 1 and step 5), so the comparison still sees that two fields held the same
value. A number's pseudonym says it was a number (``<tckn:1|number>``): redaction never erases a type.

Free text (a failed step's message) is redacted too: what the text shows by its form (digits,
e-mail, tokens), the values of person fields written as ``'fullName': 'Ahmet…`` even when the text
was cut short, and every raw value this redactor has replaced anywhere in the run.
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
                       "insurercustomername", "createdbyname", "representedbyname", "lastupdatedbyname",
                       "cardholdername", "mothername", "fathername"})
# a key naming something that is not a person keeps its value
NOT_PERSON_NAMES = frozenset({"productname", "insurancecompanyname", "coveragegroupname", "webhookname", "filename",
                              "templatename", "branchname", "agentbranchname", "parentname", "vehiclemodelname",
                              "typename", "__typename", "propertyname", "operationname", "name", "cityname",
                              "districtname", "brandname", "modelname", "rolename", "bankname", "nativename",
                              "englishname", "planname", "displayname", "hostname", "eventname", "stepname"})
BIRTH_KEYS = re.compile(r"(?i)^(birth(date|day)|.*birthdate)$")
PERSON_HINTS = frozenset({"identityNumber", "taxNumber", "birthDate", "primaryPhoneNumber", "primaryEmail"})
# an object under one of these keys is a person (``agentUserCreatedBy: {id, name}``): its ``name`` is one
PERSON_PARENTS = re.compile(r"(?i)(by|user|users|customer|customers|insured|insurer|owner|holder|person|driver|"
                            r"representative|member|members|spouse|child|children|contact|assignee|agent)$")
PHONE_PARTS = ("areaCode", "numberWithoutAreaCode")
KEPT_HEADERS = ("content-type", "allow", "location", "www-authenticate", "retry-after")

_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_DIGITS = re.compile(r"(?<![\w<:+|])\+?\d[\d ]{8,21}\d(?!\w)")
_PHONE = re.compile(r"^(?:\+?90|0)?5\d{9}$")
_PSEUDONYM = re.compile(r"^<[a-z]+:\d+(\|number)?>")
_NUMBER_STAND_IN = re.compile(r"^<[a-z]+:(\d+)\|number>$")


def typed(value: Any) -> Any:
    """``value`` with each pseudonym that stands in for a number (``<tckn:1|number>``) read back as a
    number, so a redacted answer still fits the types of its schema."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    if isinstance(value, str):
        found = _NUMBER_STAND_IN.match(value)
        return int(found.group(1)) if found else value
    return value

# a credential in a URL: a payment page's key, a code, a token; a signed document link's signature
_QUERY_SECRET = re.compile(r"(?i)([?&](?:key|code|token|access_token|id_token|signature|sig)=)([^&#\s\"'<>]+)")
_SIGNED_LINK = re.compile(r"(/__sandbox/documents/[^/\s\"'?]+/)([^/\s\"'?<>]+)")
# ``'fullName': 'Ahmet Yılmaz'`` or ``"birthDate": "1990-01-01"`` inside a message, possibly cut short
_KEYED = re.compile(r"""(['"])([A-Za-z_$][\w$]*)\1(\s*[:=]\s*)(['"])([^'"]*)(\4|$)""")


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


def person_key(key: str, siblings: frozenset[str] = frozenset(), parent: str | None = None) -> bool:
    """Does a field of this name (beside these, under that parent key) hold a person's name?"""
    lk = key.lower()
    return (lk in NAME_KEYS or ("name" in lk and lk not in NOT_PERSON_NAMES)
            or (lk == "name" and (bool(siblings & PERSON_HINTS) or bool(parent and PERSON_PARENTS.search(parent))))
            or (lk == "title" and "taxNumber" in siblings))


class Redactor:
    """Replaces what must not be written with pseudonyms numbered per kind, stable per value."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}
        self._pending: list[Any] = []  # values seen (``learn``) and not yet walked

    def _walk_pending(self) -> None:
        """Walk what ``learn`` saw, in the order seen: numbered as if each had been walked then."""
        pending, self._pending = self._pending, []
        for seen in pending:
            self.value(seen)

    def pseudonym(self, kind: str, value: str, number: bool = False) -> str:
        if self._pending:
            self._walk_pending()
        if kind == "phone":  # +90 532…, 0532… and 532… are one number
            value = re.sub(r"\D", "", value)[-10:]
        key = (kind, value)
        if key not in self._seen:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            n = self._counts[kind]
            self._seen[key] = f"<email:{n}>@example.invalid" if kind == "email" else f"<{kind}:{n}>"
        out = self._seen[key]
        return out[:-1] + "|number>" if number else out

    def text(self, value: str) -> str:
        value = _JWT.sub("<secret>", value)
        value = _QUERY_SECRET.sub(lambda m: m.group(1) + "<secret>", value)
        value = _SIGNED_LINK.sub(lambda m: m.group(1) + "<secret>", value)
        value = _EMAIL.sub(lambda m: m.group(0) if m.group(0).endswith("@example.invalid")
                           else self.pseudonym("email", m.group(0).lower()), value)

        def digits(m: re.Match[str]) -> str:
            kind = _digits_kind(m.group(0))
            return self.pseudonym(kind, re.sub(r"\D", "", m.group(0))) if kind else m.group(0)

        return _DIGITS.sub(digits, value)

    def value(self, value: Any, key: str | None = None, siblings: frozenset[str] = frozenset(),
              parent: str | None = None) -> Any:
        lk = (key or "").lower()
        if lk in SECRET_KEYS and value not in (None, ""):
            return "<secret>"
        if isinstance(value, dict):
            keys = frozenset(value)
            out = {k: self.value(v, k, keys, key) for k, v in value.items()}
            if all(isinstance(value.get(p), (str, int)) and not isinstance(value.get(p), bool) for p in PHONE_PARTS):
                whole = "".join(str(value[p]) for p in PHONE_PARTS)
                if not _PSEUDONYM.match(str(value["areaCode"])):
                    stand_in = self.pseudonym("phone", whole)
                    for p in PHONE_PARTS:
                        out[p] = stand_in
            return out
        if isinstance(value, list):
            return [self.value(v, key, siblings, parent) for v in value]
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            kind = _digits_kind(str(value))
            return self.pseudonym(kind, str(value), number=True) if kind else value
        if not isinstance(value, str):
            return value
        if _PSEUDONYM.match(value):
            return value
        if person_key(key or "", siblings, parent):
            return self.pseudonym("name", value)
        if value and (BIRTH_KEYS.match(key or "") or (lk == "value" and BIRTH_KEYS.match(parent or ""))):
            return self.pseudonym("birthdate", value)  # birthDate, or the SDK's birthDate: {value}
        return self.text(value)

    def learn(self, value: Any) -> None:
        """See a value without keeping the result: its personal data is then known to ``message``
        (a request body the recording does not hold, but a failed step's message may quote). It is
        walked when a pseudonym is next needed, in the order seen: a run whose messages quote nothing
        (every step passed) never walks the bodies it saw."""
        self._pending.append(value)

    def message(self, text: str) -> str:
        """A free text (a failed step's message, a console line) with nothing personal left."""
        if not text:
            return text
        if self._pending:  # the names it may quote are known only once what was seen is walked
            self._walk_pending()

        def keyed(m: re.Match[str]) -> str:
            key, raw = m.group(2), m.group(5)
            if not raw or _PSEUDONYM.match(raw):
                return m.group(0)
            if key.lower() in SECRET_KEYS:
                stand_in = "<secret>"
            elif person_key(key) or key.lower() == "name":  # a message has no siblings to judge by
                stand_in = self.pseudonym("name", raw)
            elif BIRTH_KEYS.match(key):
                stand_in = self.pseudonym("birthdate", raw)
            elif key in PHONE_PARTS:
                stand_in = "<phone>"
            else:
                return m.group(0)
            return f"{m.group(1)}{key}{m.group(1)}{m.group(3)}{m.group(4)}{stand_in}{m.group(6)}"

        text = _KEYED.sub(keyed, text)
        for (kind, raw), stand_in in sorted(self._seen.items(), key=lambda kv: -len(kv[0][1])):
            if kind in ("name", "birthdate") and len(raw) >= 3 and raw in text:
                text = text.replace(raw, stand_in)
        return self.text(text)

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {k: self.text(v) for k, v in ((k.lower(), v) for k, v in headers.items()) if k in KEPT_HEADERS}


def scan(value: Any, path: str = "$", parent: str | None = None) -> list[tuple[str, str]]:
    """(JSON path, kind) of everything in ``value`` that redaction should have replaced."""
    hits: list[tuple[str, str]] = []
    if isinstance(value, dict):
        keys = frozenset(value)
        if all(isinstance(value.get(p), (str, int)) and not isinstance(value.get(p), bool) for p in PHONE_PARTS) \
                and not _PSEUDONYM.match(str(value["areaCode"])):
            hits.append((f"{path}.areaCode", "phone"))
        for k, v in value.items():
            if k.lower() in SECRET_KEYS and v not in (None, "", "<secret>"):
                hits.append((f"{path}.{k}", "secret"))
            elif person_key(k, keys, parent) and isinstance(v, str) and v and not _PSEUDONYM.match(v):
                hits.append((f"{path}.{k}", "name"))
            elif BIRTH_KEYS.match(k) and isinstance(v, str) and v and not _PSEUDONYM.match(v):
                hits.append((f"{path}.{k}", "birthdate"))
            elif k not in PHONE_PARTS:
                hits += scan(v, f"{path}.{k}", k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            hits += scan(v, f"{path}[{i}]", parent)
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int):
        kind = _digits_kind(str(value))
        if kind:
            hits.append((path, kind))
    elif isinstance(value, str):
        if _JWT.search(value):
            hits.append((path, "secret"))
        if any(m.group(2) != "<secret>" for m in _QUERY_SECRET.finditer(value)) or \
                any(m.group(2) != "<secret>" for m in _SIGNED_LINK.finditer(value)):
            hits.append((path, "secret"))
        if any(not m.group(0).endswith("@example.invalid") for m in _EMAIL.finditer(value)):
            hits.append((path, "email"))
        hits += [(path, kind) for m in _DIGITS.finditer(value) if (kind := _digits_kind(m.group(0)))]
    return hits
