"""Small format checks shared by the catalogue's credential fields."""

from __future__ import annotations

import ipaddress
import re
import uuid
from urllib.parse import urlsplit


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def is_guid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return bool(re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", value))


def is_object_id(value: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-f]{24}", value))


MAX_DIGITS = 64  # no InsurUp number is longer; int() of a 5,000-digit text raises (and is quadratic)


def isdigits(value: str) -> bool:
    """ASCII digits only, at most :data:`MAX_DIGITS` of them. ``str.isdigit`` is also true for ``²``
    or ``٣``, which ``int()`` refuses or reads as a number no InsurUp field takes."""
    return len(value) <= MAX_DIGITS and value.isascii() and value.isdigit()


def same_secret(given: object, expected: str) -> bool:
    """Constant-time comparison of text of any script (``hmac.compare_digest`` raises on non-ASCII
    ``str``; UTF-8 bytes compare safely)."""
    if not isinstance(given, str):
        return False
    import hmac

    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))
