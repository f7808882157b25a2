"""Turkish identifiers: TCKN (national id), VKN (tax number), YKN (foreigner id), mobile phones,
vehicle plates and registration-document serials. Each ``is_*`` is a pure predicate; ``make_*``
builds a valid value from digits, which tests and the magic catalogue use."""

from __future__ import annotations

import re

from mockserver.validators.common import isdigits

_TR_UPPER = str.maketrans({"i": "İ", "ı": "I"})


def tr_upper(text: str) -> str:
    return text.translate(_TR_UPPER).upper()


def tckn_check_digits(first9: str) -> str:
    d = [int(c) for c in first9]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    d11 = (sum(d) + d10) % 10
    return f"{d10}{d11}"


def is_tckn(value: str) -> bool:
    """11 digits, no leading zero, the two check digits of the MERNIS algorithm."""
    if len(value) != 11 or not isdigits(value) or value[0] == "0":
        return False
    return value[9:] == tckn_check_digits(value[:9])


def make_tckn(first9: str) -> str:
    if len(first9) != 9 or not isdigits(first9) or first9[0] == "0":
        raise ValueError("first9 must be nine digits not starting with 0")
    return first9 + tckn_check_digits(first9)


def is_ykn(value: str) -> bool:
    """Foreigner identity number: a TCKN-valid number starting with 99."""
    return value.startswith("99") and is_tckn(value)


def vkn_check_digit(first9: str) -> int:
    total = 0
    for i, ch in enumerate(first9):
        tmp = (int(ch) + 9 - i) % 10
        if tmp == 0:
            continue
        v = (tmp * 2 ** (9 - i)) % 9
        total += 9 if v == 0 else v
    return (10 - total % 10) % 10


def is_vkn(value: str) -> bool:
    """10-digit tax number with the Revenue Administration check digit."""
    if len(value) != 10 or not isdigits(value):
        return False
    return int(value[9]) == vkn_check_digit(value[:9])


def make_vkn(first9: str) -> str:
    return first9 + str(vkn_check_digit(first9))


def normalize_mobile(number: str, country_code: int | str | None = 90) -> str | None:
    """A Turkish mobile as 10 digits starting with 5, or None. Accepts ``+90``, ``0`` prefixes,
    spaces and dashes (login variant A sends the number as a string that may start with +90)."""
    digits = re.sub(r"[\s\-()]", "", str(number))
    if digits.startswith("+"):
        digits = digits[1:]
        if digits.startswith("90"):
            digits = digits[2:]
    elif len(digits) == 12 and digits.startswith("90"):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if str(country_code or 90).lstrip("+") not in ("90",):
        return digits if isdigits(digits) and 6 <= len(digits) <= 14 else None
    if len(digits) == 10 and isdigits(digits) and digits[0] == "5":
        return digits
    return None


_PLATE = re.compile(r"^(0[1-9]|[1-7]\d|8[01])([A-Z]{1,3})(\d{2,5})$")


def parse_plate(value: str) -> tuple[int, str] | None:
    """``"34ABC123"`` (spaces allowed) -> ``(34, "ABC123")``, or None if it is not a Turkish plate.

    Letter and digit counts follow the civil format: one letter with 4-5 digits, two letters with
    3-4 digits, three letters with 2-3 digits (4 for Istanbul-era plates is also seen, so 2-4)."""
    compact = re.sub(r"\s+", "", tr_upper(value))
    m = _PLATE.match(compact)
    if not m:
        return None
    letters, digits = m.group(2), m.group(3)
    allowed = {1: (4, 5), 2: (3, 4), 3: (2, 4)}[len(letters)]
    if not allowed[0] <= len(digits) <= allowed[1]:
        return None
    return int(m.group(1)), letters + digits


def is_plate_code(city: int, code: str) -> bool:
    return parse_plate(f"{city:02d}{code}") is not None


def is_document_serial(code: str, number: str) -> bool:
    """Registration (ruhsat) serial: 1-3 letters and 4-7 digits (docs show A/1234567, sites AB/123456)."""
    return bool(re.fullmatch(r"[A-Z]{1,3}", tr_upper(code))) and bool(re.fullmatch(r"\d{4,7}", number))
