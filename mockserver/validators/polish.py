"""Polish identifiers used in insurer access data (seed 003): PESEL and the RAU number."""

from __future__ import annotations

import re

from mockserver.validators.common import isdigits

_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)


def pesel_check_digit(first10: str) -> int:
    return (10 - sum(int(c) * w for c, w in zip(first10, _WEIGHTS)) % 10) % 10


def _pesel_date_ok(value: str) -> bool:
    yy, mm, dd = int(value[0:2]), int(value[2:4]), int(value[4:6])
    century = {0: 1900, 20: 2000, 40: 2100, 60: 2200, 80: 1800}.get(mm - mm % 20)
    month = mm % 20
    if century is None or not 1 <= month <= 12:
        return False
    year = century + yy
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return 1 <= dd <= days


def is_pesel(value: str) -> bool:
    """11 digits, a real birth date (month carries the century), and the weighted check digit."""
    if len(value) != 11 or not isdigits(value):
        return False
    return _pesel_date_ok(value) and int(value[10]) == pesel_check_digit(value[:10])


def make_pesel(first10: str) -> str:
    return first10 + str(pesel_check_digit(first10))


def is_rau(value: str) -> bool:
    return bool(re.fullmatch(r"\d{7}/P", value))
