"""HotChocolate-style filtering, ordering, search and paging over in-memory records.

Pure functions: a record is anything, and ``get(record, field)`` reads one field (nested objects are
plain dicts, lists are lists). Values compare as they are stored: strings lexicographically (ISO
dates and instants are stored in one fixed format, so that is chronological), numbers numerically.

Semantics, chosen to match HotChocolate over MongoDB:

- several fields in one filter object, and ``and``, are conjunctions; ``or`` is a disjunction;
- ``eq: null`` matches a missing value; every negated operator (``neq nin ncontains nstartsWith
  nendsWith ngt ngte nlt nlte``) is exactly the negation of its positive, so it matches nulls;
- ``contains startsWith endsWith gt gte lt lte`` never match a null;
- a filter on a nested object treats a null object as an object of nulls;
- list fields take ``some all none any``;
- ordering is stable, several keys apply in order, nulls sort first ascending and last descending;
- paging cursors are opaque (base64 of position and id) and survive records added elsewhere.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from mockserver.core.text import fold, words

Getter = Callable[[Any, str], Any]
EqFn = Callable[[Any, Any], bool]

# the SDK's names for the negations (notContains, …) and HotChocolate's defaults (ncontains, …)
STRING_OPS = {"contains", "ncontains", "notContains", "startsWith", "nstartsWith", "notStartsWith", "endsWith",
              "nendsWith", "notEndsWith"}
COMPARE_OPS = {"gt", "ngt", "gte", "ngte", "lt", "nlt", "lte", "nlte"}
OPS = {"eq", "neq", "in", "nin"} | STRING_OPS | COMPARE_OPS
LIST_OPS = {"some", "all", "none", "any"}
MAX_PAGE = 100
DEFAULT_PAGE = 10


class PagingError(ValueError):
    """Bad paging arguments; ``argument`` names the culprit."""

    def __init__(self, argument: str, message: str):
        super().__init__(message)
        self.argument = argument


def dict_get(record: Any, name: str) -> Any:
    return record.get(name) if isinstance(record, dict) else None


# ----------------------------------------------------------------------------- filtering
def _positive(op: str, actual: Any, operand: Any, eq: EqFn) -> bool:
    if op == "eq":
        return eq(actual, operand)
    if op == "in":
        return operand is not None and any(eq(actual, o) for o in operand)
    if actual is None or operand is None:
        return False
    if op in STRING_OPS:
        if not isinstance(actual, str):
            return False
        if op == "contains":
            return operand in actual
        if op == "startsWith":
            return actual.startswith(operand)
        return actual.endswith(operand)
    try:
        if op == "gt":
            return actual > operand
        if op == "gte":
            return actual >= operand
        if op == "lt":
            return actual < operand
        return actual <= operand
    except TypeError:
        return False


_NEGATIONS = {"neq": "eq", "nin": "in", "ncontains": "contains", "nstartsWith": "startsWith",
              "nendsWith": "endsWith", "notContains": "contains", "notStartsWith": "startsWith",
              "notEndsWith": "endsWith", "ngt": "gt", "ngte": "gte", "nlt": "lt", "nlte": "lte"}


def _default_eq(a: Any, b: Any) -> bool:
    return a == b


def _operation(actual: Any, cond: dict[str, Any], eq: EqFn) -> bool:
    for op, operand in cond.items():
        if op == "and":
            if not all(_operation(actual, c, eq) for c in operand or ()):
                return False
        elif op == "or":
            if operand and not any(_operation(actual, c, eq) for c in operand):
                return False
        elif op in _NEGATIONS:
            if _positive(_NEGATIONS[op], actual, operand, eq):
                return False
        elif not _positive(op, actual, operand, eq):
            return False
    return True


def _is_operation(cond: dict[str, Any]) -> bool:
    return any(k in OPS for k in cond) or (bool(cond) and all(k in ("and", "or") for k in cond)
                                            and _nested_ops(cond))


def _nested_ops(cond: dict[str, Any]) -> bool:
    for k in ("and", "or"):
        for c in cond.get(k) or ():
            if isinstance(c, dict) and (any(x in OPS for x in c) or _nested_ops(c)):
                return True
    return False


def matches(record: Any, flt: dict[str, Any] | None, get: Getter = dict_get,
            eq_fns: dict[str, EqFn] | None = None) -> bool:
    if not flt:
        return True
    for key, cond in flt.items():
        if key == "and":
            if not all(matches(record, f, get, eq_fns) for f in cond or ()):
                return False
            continue
        if key == "or":
            if cond and not any(matches(record, f, get, eq_fns) for f in cond):
                return False
            continue
        if cond is None:
            continue
        value = get(record, key)
        if isinstance(value, list) or (value is None and set(cond) and set(cond) <= LIST_OPS):
            if not _list(value or [], cond, eq_fns):
                return False
        elif _is_operation(cond):
            eq = (eq_fns or {}).get(key, _default_eq)
            if not _operation(value, cond, eq):
                return False
        elif not matches(value if isinstance(value, dict) else {}, cond, dict_get, None):
            return False
    return True


def _element(item: Any, cond: dict[str, Any]) -> bool:
    if isinstance(item, dict):
        return matches(item, cond)
    return _operation(item, cond, _default_eq)


def _list(values: list[Any], cond: dict[str, Any], eq_fns: dict[str, EqFn] | None) -> bool:
    for op, operand in cond.items():
        if operand is None:
            continue
        if op == "any":
            if bool(values) != bool(operand):
                return False
        elif op == "some":
            if not any(_element(v, operand) for v in values):
                return False
        elif op == "all":
            if not all(_element(v, operand) for v in values):
                return False
        elif op == "none":
            if any(_element(v, operand) for v in values):
                return False
    return True


# ----------------------------------------------------------------------------- ordering
def sort_keys(order: Any) -> list[tuple[tuple[str, ...], bool]]:
    """``[{createdAt: DESC}, {agentBranch: {name: ASC}}]`` -> [(("createdAt",), True), ...] (True = DESC)."""
    keys: list[tuple[tuple[str, ...], bool]] = []
    if order is None:
        return keys
    items = order if isinstance(order, list) else [order]

    def walk(prefix: tuple[str, ...], obj: dict[str, Any]) -> None:
        for name, direction in obj.items():
            if direction is None:
                continue
            if isinstance(direction, dict):
                walk(prefix + (name,), direction)
            else:
                keys.append((prefix + (name,), direction == "DESC"))

    for item in items:
        if isinstance(item, dict):
            walk((), item)
    return keys


def order_records(records: list[Any], keys: list[tuple[tuple[str, ...], bool]], get: Getter = dict_get) -> list[Any]:
    out = list(records)
    for path, desc in reversed(keys):
        def key(r: Any, head: str = path[0], rest: tuple[str, ...] = path[1:]) -> tuple[bool, Any]:
            v = get(r, head)
            for part in rest:
                v = v.get(part) if isinstance(v, dict) else None
            return (v is not None, v if v is not None else 0)

        out.sort(key=key, reverse=desc)
    return out


# ----------------------------------------------------------------------------- search
_tokens = words  # (the word index, mockserver.domain.listindex, cuts values the same way)


def _scored(spec: Any, base: float) -> float:
    """Apply a ``score: {boost, constant}`` to a match worth ``base``."""
    score = spec.get("score") if isinstance(spec, dict) else None
    if isinstance(score, dict):
        if isinstance(score.get("constant"), (int, float)):
            return float(score["constant"]) or 1e-6
        if isinstance(score.get("boost"), (int, float)):
            return base * float(score["boost"]) or 1e-6
    return base


def search_text(spec: Any) -> str:
    """The operand of a text operator: the SDK's ``{value}``, the older ``{query}``, or a bare string."""
    if isinstance(spec, dict):
        return str(spec.get("value", spec.get("query", "")) or "")
    return str(spec)


def _values(spec: Any) -> list[str]:
    if isinstance(spec, dict):
        spec = spec.get("values")
    return [fold(str(v)) for v in spec or () if v is not None]


class Wildcard:
    """Atlas Search wildcard: ``*`` any run of characters, ``?`` one; ``\\`` escapes them. Matched
    in time linear in the text, whatever the pattern (``*a*a*a…b`` backtracks exponentially as a
    regular expression): the pattern is cut at its stars into pieces of fixed length (letters and
    ``?``), each compiled to a regular expression without repetition; the first piece must start the
    text, the last end it, and the ones between are found leftmost, left to right (for a glob the
    leftmost place of a piece is never worse than a later one)."""

    __slots__ = ("pieces", "starred")

    def __init__(self, pattern: str):
        pieces: list[list[str]] = [[]]
        escaped = False
        for ch in fold(pattern):
            if escaped:
                pieces[-1].append(re.escape(ch))
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == "*":
                pieces.append([])
            elif ch == "?":
                pieces[-1].append(".")
            else:
                pieces[-1].append(re.escape(ch))
        self.starred = len(pieces) > 1
        self.pieces = [(re.compile("".join(p), re.DOTALL), len(p)) for p in pieces]

    def matches(self, text: str) -> bool:
        if not self.starred:
            rx, n = self.pieces[0]
            return len(text) == n and rx.fullmatch(text) is not None
        (first, n_first), *middle, (last, n_last) = self.pieces
        end = len(text) - n_last  # where the last piece must start
        if end < n_first or first.match(text) is None:
            return False
        pos = n_first
        for rx, n in middle:
            if n == 0:
                continue
            found = rx.search(text, pos, end)
            if found is None:
                return False
            pos = found.end()
        return last.match(text, end) is not None


def _autocomplete(text: str, query: str) -> float:
    """Every word of the query starts a word of the value; closer prefixes score higher."""
    wanted, tokens = _tokens(query), _tokens(text)
    if not wanted:
        return 0.0
    total = 0.0
    for q in wanted:
        best = max((len(q) / len(t) for t in tokens if t.startswith(q)), default=0.0)
        if best == 0.0:
            return 0.0
        total += 1.0 + best
    return total


def _text_search(text: str, query: str) -> float:
    """Word search (Atlas ``text``): each query word found as a word of the value adds to the score."""
    tokens = set(_tokens(text))
    return float(sum(1 for q in _tokens(query) if q in tokens))


_NEGATED_SEARCH = {"neq": "eq", "nin": "in", "notContains": "contains", "notStartsWith": "startsWith",
                   "notEndsWith": "endsWith"}


def _positive_search(op: str, text: str, spec: Any) -> float:
    """Score of one positive search operator on a present value; 0 when it does not match."""
    folded = fold(text)
    if op == "autocomplete":
        return _autocomplete(text, search_text(spec))
    if op in ("textSearch", "text"):
        return _text_search(text, search_text(spec))
    if op == "wildcard":
        pattern = Wildcard(search_text(spec))
        return 2.0 if pattern.matches(folded) or any(pattern.matches(t) for t in _tokens(text)) else 0.0
    if op == "in":
        return 2.0 if folded in _values(spec) else 0.0
    operand = fold(search_text(spec))
    if op == "eq":
        return 2.0 if folded == operand else 0.0
    if op == "contains":
        return 1.0 if operand in folded else 0.0
    if op == "startsWith":
        return 1.5 if folded.startswith(operand) else 0.0
    if op == "endsWith":
        return 1.0 if folded.endswith(operand) else 0.0
    return 0.0


def _field_score(value: Any, cond: dict[str, Any]) -> float:
    """Score of one field's operators against its value; 0 means no match (every operator must
    match). Text is compared folded (case, accents, Turkish dotless i); a negation matches a
    missing value."""
    total = 0.0
    for op, spec in cond.items():
        if spec is None:
            continue
        if op == "and":
            scores = [_field_score(value, c) for c in spec if isinstance(c, dict)]
            if not all(scores):
                return 0.0
            total += sum(scores)
        elif op == "or":
            scores = [_field_score(value, c) for c in spec if isinstance(c, dict)]
            if spec and not any(scores):
                return 0.0
            total += sum(scores)
        elif op in _NEGATED_SEARCH:
            if value is not None and _positive_search(_NEGATED_SEARCH[op], str(value), spec):
                return 0.0
            total += _scored(spec, 0.5)
        else:
            s = 0.0 if value is None else _positive_search(op, str(value), spec)
            if not s:
                return 0.0
            total += _scored(spec, s)
    return total


def search_score(record: Any, search: dict[str, Any] | None, get: Getter = dict_get) -> float:
    """0 when the record does not match; otherwise a positive relevance score."""
    if not search:
        return 1.0
    total = 0.0
    for key, cond in search.items():
        if cond is None:
            continue
        if key == "or":
            scores = [search_score(record, c, get) for c in cond]
            if cond and not any(scores):
                return 0.0
            total += sum(scores)
        elif key == "and":
            scores = [search_score(record, c, get) for c in cond]
            if not all(scores):
                return 0.0
            total += sum(scores)
        else:
            s = _field_score(get(record, key), cond)
            if not s:
                return 0.0
            total += s
    return round(total, 6)


# ----------------------------------------------------------------------------- paging
def cursor(position: int, record_id: Any) -> str:
    return base64.b64encode(f"{position}:{record_id}".encode()).decode()


def decode_cursor(value: str, argument: str) -> tuple[int, str]:
    try:
        raw = base64.b64decode(value.encode(), validate=True).decode()
        pos, _, rid = raw.partition(":")
        return int(pos), rid
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise PagingError(argument, f"'{value}' is not a cursor this API issued (use pageInfo.endCursor)") from None


def _locate(records: list[Any], pos: int, rid: str, get: Getter) -> int:
    if 0 <= pos < len(records) and str(get(records[pos], "id")) == rid:
        return pos
    locate = getattr(records, "locate", None)
    if locate is not None:  # an index view finds the id without a scan
        found = locate(rid)
        return found if found is not None else min(pos, len(records))
    for i, r in enumerate(records):
        if str(get(r, "id")) == rid:
            return i
    return min(pos, len(records))


@dataclass(slots=True)
class Page:
    items: list[Any]
    positions: list[int]
    total: int
    has_next: bool
    has_previous: bool


def _size(value: Any, name: str) -> int:
    if value is None:
        return DEFAULT_PAGE
    if value < 0:
        raise PagingError(name, f"{name} must not be negative")
    if value > MAX_PAGE:
        raise PagingError(name, f"{name} is {value}; at most {MAX_PAGE} items can be read per page")
    return value


def offset_page(records: list[Any], skip: int | None, take: int | None) -> Page:
    if skip is not None and skip < 0:
        raise PagingError("skip", "skip must not be negative")
    start = skip or 0
    size = _size(take, "take")
    items = records[start:start + size]
    return Page(items, list(range(start, start + len(items))), len(records), start + size < len(records), start > 0)


def cursor_page(records: list[Any], get: Getter, *, first: int | None = None, after: str | None = None,
                last: int | None = None, before: str | None = None) -> Page:
    if first is not None and last is not None:
        raise PagingError("last", "send either first or last, not both")
    lo, hi = 0, len(records)
    if after:
        lo = _locate(records, *decode_cursor(after, "after"), get) + 1
    if before:
        hi = min(hi, _locate(records, *decode_cursor(before, "before"), get))
    lo = min(lo, hi)
    if last is not None:
        size = _size(last, "last")
        start = max(lo, hi - size)
        end = hi
    else:
        size = _size(first, "first")
        start, end = lo, min(hi, lo + size)
    items = records[start:end]
    return Page(items, list(range(start, end)), len(records), end < len(records), start > 0)


def run(records: Iterable[Any], *, get: Getter = dict_get, where: dict[str, Any] | None = None,
        search: dict[str, Any] | None = None, order: Any = None, eq_fns: dict[str, EqFn] | None = None,
        sort_get: Getter | None = None) -> tuple[list[Any], dict[int, float]]:
    """Filter, search and order. Returns the records and their search scores (by ``id()``).
    ``sort_get`` may read a field in a cheaper form that orders the same way (an instant as a float
    rather than its ISO string)."""
    scores: dict[int, float] = {}
    out = []
    for r in records:
        if where and not matches(r, where, get, eq_fns):
            continue
        if search:
            s = search_score(r, search, get)
            if not s:
                continue
            scores[id(r)] = s
        out.append(r)
    keys = sort_keys(order)
    if search and not keys:
        keys = [(("searchScore",), True)]
    if keys:
        plain = sort_get or get
        if any(path == ("searchScore",) for path, _ in keys):
            def scored(r: Any, name: str) -> Any:
                return scores.get(id(r)) if name == "searchScore" else plain(r, name)

            out = order_records(out, keys, scored)
        else:
            out = order_records(out, keys, plain)
    return out, scores
