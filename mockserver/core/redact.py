"""Card-data and secret hygiene for everything the sandbox writes down (journal, events, logs).

PANs are masked to first six / last four wherever they appear (a card field or any 13-19 digit
run that passes Luhn); CVCs are dropped; passwords, client secrets and tokens are redacted; identity
and tax numbers keep their first two and last two digits.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

DROP_KEYS = frozenset({"cvc", "cvv", "cvv2", "cvc2", "securitycode", "cardsecuritycode"})
SECRET_KEYS = frozenset({
    "password", "clientsecret", "client_secret", "apipassword", "appsecret", "appsecuritykey", "apikey",
    "token", "accesstoken", "refreshtoken", "access_token", "refresh_token", "authorization",
    "id_token", "idtoken", "id_token_hint", "code_verifier", "client_assertion", "login", "csrf",
})
# a one-time code beside one of these is a credential (a login's SMS code, an authorization code)
_CODE_COMPANIONS = frozenset({"token", "mfaToken", "userId", "login", "grant_type", "code_verifier", "redirect_uri",
                              "password"})  # (an agent-user invitation's code, accepted with the password)
# a query parameter that may carry a credential, by its plain name (an encoded name takes the slow path)
_QUERY_SECRET = re.compile(r"(?i)(?:^|&)(?:code|" + "|".join(sorted(map(re.escape, SECRET_KEYS))) + r")=")
_HIDDEN_SECRET = re.compile(r'(name="(?:login|code|token)" value=")([^"]*)(")')
IDENTITY_KEYS = frozenset({"identitynumber", "taxnumber", "tckn", "vkn", "ykn", "passportnumber"})
IDENTITY_SUFFIXES = (*IDENTITY_KEYS, "identity")
_DIGIT_RUN = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")


def luhn_ok(digits: str) -> bool:
    total, parity = 0, len(digits) % 2
    for i, ch in enumerate(digits):
        d = int(ch)
        if i % 2 == parity:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask_pan(digits: str) -> str:
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]


def mask_query(query: str) -> str:
    """A query string with its credentials redacted (an ID token hint, a code) and PANs masked."""
    # (every journaled request passes here; most have no such key, and no percent-encoded one)
    if "%" not in query and "+" not in query and not _QUERY_SECRET.search(query):
        return mask_text(query)
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = redact(dict(pairs))
    if "code" in kept:  # in a query a code is a credential on its own (check-invite-code?code=)
        kept["code"] = _secret(kept["code"])
    return urlencode([(k, kept.get(k, "")) for k, _ in pairs])


def mask_html(page: str) -> str:
    """A page with the credentials of its hidden fields (a signed login, a code) redacted."""
    return mask_text(_HIDDEN_SECRET.sub(lambda m: m.group(1) + _secret(m.group(2)) + m.group(3), page))


def mask_text(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", m.group(0))
        return mask_pan(digits) if 13 <= len(digits) <= 19 and luhn_ok(digits) else m.group(0)

    return _DIGIT_RUN.sub(repl, text)


def _secret(value: Any) -> str:
    return "***" if not isinstance(value, str) or len(value) < 12 else value[:4] + "…" + "***"


def mask_identity(value: Any) -> str:
    """An identity or tax number as its first two and last two characters: enough to tell two apart."""
    text = str(value)
    return text[:2] + "*" * max(len(text) - 4, 0) + text[-2:] if len(text) > 4 else "*" * len(text)


def redact(value: Any, *, key: str | None = None) -> Any:
    """A copy of ``value`` that is safe to store: no PAN, no CVC, no secret, no identity number."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            lk = str(k).lower()
            if lk in DROP_KEYS:
                continue
            if lk in SECRET_KEYS or (lk == "code" and (_CODE_COMPANIONS & set(value))):
                out[k] = _secret(v)  # (a one-time code next to its login token is a credential too)
            elif lk.endswith(IDENTITY_SUFFIXES) and isinstance(v, (str, int)) and not isinstance(v, bool):
                # identityNumber, insuredCustomerIdentityNumber, customerIdentity, insurerIdentityNumber...
                out[k] = mask_identity(v)
            elif lk.endswith(IDENTITY_SUFFIXES) and isinstance(v, dict) and isinstance(v.get("value"), (str, int)):
                out[k] = {**redact(v), "value": mask_identity(v["value"])}  # the SDK's identityNumber: {value}
            elif lk in ("number", "cardnumber", "pan") and isinstance(v, (str, int)):
                digits = re.sub(r"\D", "", str(v))
                out[k] = mask_pan(digits) if 13 <= len(digits) <= 19 else redact(v, key=lk)
            else:
                out[k] = redact(v, key=lk)
        return out
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, int) and not isinstance(value, bool) and 13 <= len(str(abs(value))) <= 19:
        return mask_text(str(value))
    return value
