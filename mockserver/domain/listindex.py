"""What the lists need to page without reading the whole agent: each collection (customers, cases,
proposals, policies) kept in list order (``createdAt``, then creation) with the records of each value
of the fields filters name most (customer, branch, identity number).

Lists (GraphQL ``…New`` and offset lists, REST) ask :func:`view` for the records in the order they
want; it answers a sequence that reads only what the page reads (``len`` is free, an item is one
lookup), or ``None`` when the query needs the general path (search, other orders, other filters).
Maintained where records are added and removed; rebuilt after a snapshot is read.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from mockserver.core.text import words

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent

Key = tuple[Any, int, str]  # (sort key, creation number, id)


def _customer_identity(c: Any) -> Any:
    return c.identity_number if c.type != "company" else None


def _quoted_plate(p: Any) -> Any:
    """The plate of the car as quoted (a proposal's, and its policies', never changes)."""
    return (p.snapshot.get("vehicleRow") or {}).get("vehiclePlate")


SEARCHED = {"customers"}  # the collections with a word index
SearchFields = dict[str, Callable[[Any], Any]]  # field name -> its value on a record, as lists read it


# per collection: the sort key of createdAt as the general path compares it, and the indexed fields
KINDS: dict[str, tuple[Callable[[Any], Any], dict[str, Callable[[Any], Any]], tuple[str, ...]]] = {
    "customers": (lambda c: c.created_at, {"identityNumber": _customer_identity}, ()),
    "cases": (lambda c: c.created_at, {"customerId": lambda c: c.customer_id,
                                       "productBranch": lambda c: c.product_branch,
                                       "mainState": lambda c: c.main_state}, ("customerId",)),
    "proposals": (lambda p: p.created_at, {"productBranch": lambda p: p.branch,
                                                "insuredCustomerId": lambda p: p.insured_id,
                                                "insurerCustomerId": lambda p: p.insurer_id,
                                                "vehiclePlate": _quoted_plate},
                  ("insuredCustomerId", "insurerCustomerId")),
    "policies": (lambda p: p.created_at, {"productBranch": lambda p: p.branch,
                                               "insuredCustomerId": lambda p: p.insured_id,
                                               "insurerCustomerId": lambda p: p.insurer_id,
                                               "vehiclePlate": _quoted_plate},
                 ("insuredCustomerId", "insurerCustomerId")),
    "vehicles": (lambda v: v.created_at, {"customerId": lambda v: v.customer_id}, ("customerId",)),
    "properties": (lambda p: p.created_at, {"customerId": lambda p: p.customer_id}, ("customerId",)),
}


class _Lists:
    """One ordering of a set of records: ascending keys, and descending keys whose ties keep creation
    order (what a stable sort with reverse=True gives)."""

    __slots__ = ("asc", "desc")

    def __init__(self) -> None:
        self.asc: list[Key] = []
        self.desc: list[tuple[Any, int, str]] = []  # (key, -creation, id) ascending; read backwards

    def add(self, key: Any, n: int, rid: str) -> None:
        entry = (key, n, rid)
        if not self.asc or self.asc[-1] < entry:
            self.asc.append(entry)
        else:
            insort(self.asc, entry)
        insort(self.desc, (key, -n, rid))

    def remove(self, key: Any, n: int, rid: str) -> None:
        for lst, entry in ((self.asc, (key, n, rid)), (self.desc, (key, -n, rid))):
            i = bisect_left(lst, entry)
            if i < len(lst) and lst[i] == entry:
                del lst[i]

    def __len__(self) -> int:
        return len(self.asc)


class CollectionIndex:
    __slots__ = ("kind", "all", "by", "entries", "seq", "words", "record_words", "search_fields")

    def __init__(self, kind: str, search_fields: SearchFields):
        self.kind = kind
        self.search_fields = search_fields if kind in SEARCHED else {}
        self.all = _Lists()
        self.by: dict[str, dict[Any, _Lists]] = {name: {} for name in KINDS[kind][1]}
        self.entries: dict[str, tuple[Any, int, dict[str, Any]]] = {}  # id -> (key, creation, field values)
        self.seq = 0
        # searched fields: (field, folded word, id) sorted, so a prefix is a range; and each record's words
        self.words: list[tuple[str, str, str]] = []
        self.record_words: dict[str, list[tuple[str, str, str]]] = {}

    def add(self, record: Any) -> None:
        key_of, fields, _parties = KINDS[self.kind]
        old = self.entries.get(record.id)
        if old is not None:  # re-indexed after a change: it keeps its place among equal keys
            n = old[1]
            self.remove(record.id)
        else:
            self.seq += 1
            n = self.seq
        key = key_of(record)
        values = {name: get(record) for name, get in fields.items()}
        self.entries[record.id] = (key, n, values)
        self.all.add(key, n, record.id)
        for name, value in values.items():
            if value is not None:
                self.by[name].setdefault(value, _Lists()).add(key, n, record.id)
        if self.search_fields:
            mine = sorted({(field, word, record.id) for field, get in self.search_fields.items()
                           if (value := get(record)) is not None for word in words(str(value))})
            self.record_words[record.id] = mine
            for entry in mine:
                insort(self.words, entry)

    def remove(self, rid: str) -> None:
        for entry in self.record_words.pop(rid, ()):
            i = bisect_left(self.words, entry)
            if i < len(self.words) and self.words[i] == entry:
                del self.words[i]
        found = self.entries.pop(rid, None)
        if found is None:
            return
        key, n, values = found
        self.all.remove(key, n, rid)
        for name, value in values.items():
            lists = self.by[name].get(value)
            if lists is not None:
                lists.remove(key, n, rid)
                if not len(lists):
                    del self.by[name][value]


class View(Sequence):
    """Records of one ordering, read on demand; ``locate`` finds an id without a scan."""

    def __init__(self, store: dict[str, Any], lists: _Lists, descending: bool,
                 index: CollectionIndex):
        self._store, self._lists, self._desc, self._index = store, lists, descending, index

    def __len__(self) -> int:
        return len(self._lists)

    def _id(self, i: int) -> str:
        if self._desc:
            return self._lists.desc[len(self._lists.desc) - 1 - i][2]
        return self._lists.asc[i][2]

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._store[self._id(j)] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._store[self._id(i)]

    def locate(self, rid: str) -> int | None:
        found = self._index.entries.get(rid)
        if found is None:
            return None
        key, n, _values = found
        if self._desc:
            j = bisect_left(self._lists.desc, (key, -n, rid))
            if j < len(self._lists.desc) and self._lists.desc[j][2] == rid:
                return len(self._lists.desc) - 1 - j
            return None
        j = bisect_left(self._lists.asc, (key, n, rid))
        return j if j < len(self._lists.asc) and self._lists.asc[j][2] == rid else None


class Indexes:
    """The agent's list indexes, one per collection."""

    __slots__ = ("by_kind", "search_fields")

    def __init__(self, search_fields: SearchFields | None = None) -> None:
        """``search_fields``: the customer fields a search names most, and how to read them (the
        composition root gives GraphQL's); their words are indexed."""
        self.search_fields = search_fields or {}
        self.by_kind = {kind: CollectionIndex(kind, self.search_fields) for kind in KINDS}

    def added(self, kind: str, record: Any) -> None:
        self.by_kind[kind].add(record)

    def removed(self, kind: str, rid: str) -> None:
        self.by_kind[kind].remove(rid)

    def count(self, kind: str, field: str, value: Any) -> int:
        """How many records of ``kind`` have ``value`` in ``field`` (a customer's cases, vehicles...)."""
        lists = self.by_kind[kind].by[field].get(value)
        return len(lists) if lists is not None else 0

    def of(self, agent: "Agent", kind: str, field: str, value: Any) -> list[Any]:
        """The records of ``kind`` with ``value`` in ``field``, in the order they were made."""
        lists = self.by_kind[kind].by[field].get(value)
        store = getattr(agent, kind)
        return [store[rid] for _n, rid in sorted((n, rid) for _k, n, rid in lists.asc)] if lists else []

    def party_count(self, kind: str, customer_id: str) -> int:
        """How many proposals or policies name the customer, as either party."""
        by = self.by_kind[kind].by
        found = [lists for field in KINDS[kind][2] if (lists := by[field].get(customer_id))]
        if len(found) < 2:  # one party field names the customer (or none): no record counted twice
            return len(found[0]) if found else 0
        return len({rid for lists in found for _k, _n, rid in lists.asc})

    def rebuild(self, agent: "Agent") -> None:
        for kind, index in list(self.by_kind.items()):
            fresh = CollectionIndex(kind, self.search_fields)
            for record in getattr(agent, kind).values():
                fresh.add(record)
            self.by_kind[kind] = fresh


def _eq_filters(where: Any) -> dict[str, Any] | None:
    """``{field: {eq: value}}`` parts of a filter, or None when it has any other part."""
    if not where:
        return {}
    if not isinstance(where, dict):
        return None
    out = {}
    for name, cond in where.items():
        if not isinstance(cond, dict) or set(cond) != {"eq"} or isinstance(cond["eq"], (dict, list)):
            return None
        out[name] = cond["eq"]
    return out


def view(agent: "Agent", kind: str, *, where: Any, order: Any, search: Any,
         scope: str | None) -> View | list[Any] | None:
    """The records of ``kind`` that ``where`` selects, in ``order`` (createdAt, either way), for a
    customer ``scope`` or the whole agency; None when the query needs the general path."""
    if search or kind not in KINDS:
        return None
    descending = True
    if order:
        keys = order if isinstance(order, list) else [order]
        if len(keys) != 1 or not isinstance(keys[0], dict) or list(keys[0]) != ["createdAt"] \
                or keys[0]["createdAt"] not in ("ASC", "DESC"):
            return None
        descending = keys[0]["createdAt"] == "DESC"
    eqs = _eq_filters(where)
    if eqs is None:
        return None
    index = agent.indexes.by_kind[kind]
    store = getattr(agent, kind)
    parties = KINDS[kind][2]
    if scope is not None:
        if not parties:
            return None
        if len(parties) == 1:
            eqs = dict(eqs)
            if eqs.get(parties[0], scope) != scope:
                return []
            eqs[parties[0]] = scope
        else:  # either party: the union, in order (the general path reads both)
            return None if eqs else _union(agent, kind, scope, descending)
    if "id" in eqs:  # one record at most
        others = {n: v for n, v in eqs.items() if n != "id"}
        if any(n not in index.by for n in others):
            return None
        entry = index.entries.get(eqs["id"]) if isinstance(eqs["id"], str) else None
        if entry is None or any(entry[2].get(n) != v for n, v in others.items()):
            return []
        return [store[eqs["id"]]]
    unknown = [n for n in eqs if n not in index.by]
    if unknown:
        return None
    if not eqs:
        return View(store, index.all, descending, index)
    if len(eqs) == 1:
        (name, value), = eqs.items()
        lists = index.by[name].get(value)
        return View(store, lists, descending, index) if lists is not None else []
    # several: the smallest list, checked for the others
    name = min(eqs, key=lambda n: len(index.by[n].get(eqs[n]) or ()))
    lists = index.by[name].get(eqs[name])
    if lists is None:
        return []
    seq = View(store, lists, descending, index)
    out = []
    for i in range(len(seq)):
        rid = seq._id(i)
        values = index.entries[rid][2]
        if all(values.get(n) == v for n, v in eqs.items()):
            out.append(store[rid])
    return out


def _union(agent: "Agent", kind: str, scope: str, descending: bool) -> list[Any]:
    index = agent.indexes.by_kind[kind]
    store = getattr(agent, kind)
    seen: dict[str, tuple[Any, int]] = {}
    for name in KINDS[kind][2]:
        lists = index.by[name].get(scope)
        for key, n, rid in (lists.asc if lists else ()):
            seen[rid] = (key, n)
    if descending:
        ordered = sorted(seen, key=lambda r: (seen[r][0], -seen[r][1]), reverse=True)
    else:
        ordered = sorted(seen, key=lambda r: seen[r])
    return [store[r] for r in ordered]


# ----------------------------------------------------------------------------- search
