"""Detectors of personal data and secrets in what the project writes (recordings, drift reports,
certification evidence and reports, console output), independent of the sandbox's own redactor:
checksums from python-stdnum, patterns written here from the data's definitions, and the raw values a
test knows it used. A test that scans an output with these does not trust the code under test to
say what it missed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from stdnum import luhn
from stdnum.tr import tckimlik, vkn

_DIGIT_RUN = re.compile(r"(?<![\w.])\d[\d ]{8,22}\d(?![\w.])")  # a run of its own, not inside a hex id
# a Turkish mobile number however it is written: +90 532 123 45 67, 05321234567, 532-123-4567 (not the
# start of a GUID: 53758821-60a1-… is hex that happens to begin with digits)
_MOBILE = re.compile(r"(?<![\w<])(?:\+?90[\s-]?|0)?\(?5\d{2}\)?[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}(?!\w)")
# …or split as an area code and the rest (both JSON and a Python repr)
_SPLIT = re.compile(r"""["']areaCode["']\s*:\s*["']?5\d\d["']?""")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
_PAYMENT_KEY = re.compile(r"[?&]key=(?!<|\*)[A-Za-z0-9_-]{8,}")
_SIGNED_LINK = re.compile(r"/__sandbox/documents/[^/\s\"']+/(?!<|\*)[A-Za-z0-9_.-]{16,}")


def findings(text: str, known: Iterable[str] = ()) -> list[str]:
    """What in ``text`` is personal or secret: each as 'kind: excerpt'."""
    out: list[str] = []
    for m in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if len(digits) == 11 and tckimlik.is_valid(digits):
            out.append(f"tckn: {digits[:2]}…")
        elif len(digits) == 10 and vkn.is_valid(digits) and not digits.startswith("5"):
            out.append(f"vkn: {digits[:2]}…")
        elif 13 <= len(digits) <= 19 and luhn.is_valid(digits):
            out.append(f"card: {digits[:6]}…")
    out += [f"phone: {m.group(0)[:4]}…" for m in _MOBILE.finditer(text)]
    out += [f"split phone: {m.group(0)}" for m in _SPLIT.finditer(text)]
    out += [f"token: {m.group(0)[:12]}…" for m in _JWT.finditer(text)]
    out += [f"payment key: {m.group(0)[:8]}…" for m in _PAYMENT_KEY.finditer(text)]
    out += [f"signed link: {m.group(0)[:30]}…" for m in _SIGNED_LINK.finditer(text)]
    for value in known:
        if value and len(value) >= 4 and value in text:
            out.append(f"known value: {value[:3]}…")
    return out


def scan_files(paths: Iterable[Path], known: Iterable[str] = ()) -> dict[str, list[str]]:
    """Every file's findings (files with none left out)."""
    known = list(known)
    result = {}
    for path in paths:
        found = findings(path.read_text("utf-8", "replace"), known)
        if found:
            result[str(path)] = found
    return result


def tree(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())
