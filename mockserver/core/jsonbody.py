"""Reading JSON from the network: nesting is checked on the raw bytes, before anything parses or
recurses into the document, in time linear in its size (C-speed passes, no Python loop per byte).

Every JSON document the sandbox reads (REST bodies, GraphQL requests and variables, the journal's
copy of a body) goes through :func:`loads`, so one documented limit holds everywhere.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

MAX_DEPTH = 64  # arrays and objects open at once; InsurUp bodies nest under 10, GraphQL filters under 30

_KEEP = frozenset(b'"\\[]{}')
_DELETE = bytes(b for b in range(256) if b not in _KEEP)
_STRING = re.compile(rb'"[^"]*"')
_PAIR = re.compile(rb"\[\]|\{\}")
_RUN = re.compile(rb"[\[{]{%d}" % (MAX_DEPTH + 1))


class TooDeep(ValueError):
    def __init__(self, limit: int):
        super().__init__(f"nested more than {limit} levels deep")
        self.limit = limit


def depth_exceeds(raw: bytes | str, limit: int = MAX_DEPTH) -> bool:
    """True if ``raw`` nests arrays or objects more than ``limit`` deep (strings ignored).

    Everything but quotes, backslashes and brackets is deleted (``bytes.translate``), escapes and
    then strings are removed, and innermost ``[]``/``{}`` pairs are erased one level per pass; a run
    of ``limit + 1`` openers ends the check at once. Unbalanced text is left for the parser to refuse.
    """
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    s = data.translate(None, _DELETE)
    if b"\\" in s:
        s = s.replace(b"\\\\", b"").replace(b'\\"', b"").replace(b"\\", b"")
    if b'"' in s:
        s = _STRING.sub(b"", s)
    run = _RUN if limit == MAX_DEPTH else re.compile(rb"[\[{]{%d}" % (limit + 1))
    for _ in range(limit + 1):
        if not s:
            return False
        if run.search(s):
            return True
        s, removed = _PAIR.subn(b"", s)
        if not removed:
            return False
    return bool(s)


def loads(raw: bytes | str, limit: int = MAX_DEPTH) -> Any:
    """``orjson.loads`` after the nesting check; raises :class:`TooDeep` or ``orjson.JSONDecodeError``."""
    if depth_exceeds(raw, limit):
        raise TooDeep(limit)
    return orjson.loads(raw)
