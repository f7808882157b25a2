"""The records of one kind an agent holds, and the one way to change them.

A :class:`Records` reads like a dict (``records[id]``, ``get``, ``in``, iteration in the order records
were added: at C speed, for the hot paths), but refuses every write except its own ``add``,
``replace``, ``changed`` and ``remove``, which keep the kind's list indexes (``listindex``) in step.
``need(id)`` answers the kind's own 404. So a route or a domain function that writes a record past its
owner fails at once, in every test, instead of leaving an index stale (a vehicle deleted with ``del``
made the next list answer 500).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from mockserver.core.errors import NotFound

T = TypeVar("T")


def _refused(*_args: Any, **_kwargs: Any) -> None:
    raise TypeError("records change only through add, replace, changed or remove (mockserver.domain.records)")


class Records(dict[str, T], Generic[T]):
    """An agent's records of one ``kind``, by id; ``indexes`` follow every change when given."""

    __setitem__ = __delitem__ = pop = popitem = clear = update = setdefault = _refused  # type: ignore[assignment]

    def __init__(self, kind: str, missing: Callable[[str], NotFound], indexes: Any = None):
        super().__init__()
        self.kind, self._missing, self._indexes = kind, missing, indexes

    def __ior__(self, other: Any) -> "Records[T]":  # (``|=`` would bypass the owner too)
        _refused()
        return self

    def __reduce__(self) -> Any:  # pickle (the data directory's snapshots) without the refused writers
        return (_restore, (self.kind, self._missing, self._indexes, dict(self)))

    # -- reading --------------------------------------------------------------------------------
    def need(self, rid: str) -> T:
        """The record, or the kind's own 404."""
        found = dict.get(self, rid)
        if found is None:
            raise self._missing(rid)
        return found

    # -- the writers ------------------------------------------------------------------------------
    def add(self, record: T) -> T:
        rid = record.id  # type: ignore[attr-defined]
        if dict.__contains__(self, rid):
            raise ValueError(f"{self.kind}: {rid} is there already (replace it)")
        dict.__setitem__(self, rid, record)
        if self._indexes is not None:
            self._indexes.added(self.kind, record)
        return record

    def replace(self, record: T) -> T:
        dict.__setitem__(self, record.id, record)  # type: ignore[attr-defined]
        if self._indexes is not None:
            self._indexes.added(self.kind, record)
        return record

    def changed(self, record: T) -> T:
        """A record changed in place (a field the lists sort or filter on): its index entries follow."""
        if self._indexes is not None:
            self._indexes.added(self.kind, record)
        return record

    def remove(self, rid: str) -> T:
        record = dict.pop(self, rid)
        if self._indexes is not None:
            self._indexes.removed(self.kind, rid)
        return record

    def load(self, records: Iterable[tuple[str, T]]) -> None:
        """Every record at once (an agent made from a snapshot); the caller rebuilds the indexes."""
        dict.clear(self)
        for rid, record in records:
            dict.__setitem__(self, rid, record)


def _restore(kind: str, missing: Callable[[str], NotFound], indexes: Any, items: dict[str, Any]) -> Records[Any]:
    made: Records[Any] = Records(kind, missing, indexes)
    made.load(items.items())
    return made


# ----------------------------------------------------------------------------- each kind's 404
def _missing(name: str, code: str, where: str = "") -> Callable[[str], NotFound]:
    return _Missing(name, code, where)


class _Missing:
    """A kind's not-found error (a class, not a closure: pickled with the records)."""

    def __init__(self, name: str, code: str, where: str):
        self.name, self.code, self.where = name, code, where

    def __call__(self, rid: str) -> NotFound:
        return NotFound(f"{self.name} '{rid}' was not found{self.where}.", codes=[self.code])


CUSTOMER = _missing("Customer", "CUSTOMER_NOT_FOUND")
VEHICLE = _missing("Vehicle", "VEHICLE_NOT_FOUND", " for this customer")
PROPERTY = _missing("Property", "PROPERTY_NOT_FOUND", " for this customer")
CASE = _missing("Case", "CASE_NOT_FOUND")
PROPOSAL = _missing("Proposal", "PROPOSAL_NOT_FOUND")
POLICY = _missing("Policy", "POLICY_NOT_FOUND")
PAYMENT = _missing("Payment", "PAYMENT_NOT_FOUND")
WEBHOOK = _missing("Webhook", "WEBHOOK_NOT_FOUND")
DELIVERY = _missing("Webhook delivery", "WEBHOOK_DELIVERY_NOT_FOUND")
COVERAGE_GROUP = _missing("Coverage group", "COVERAGE_GROUP_NOT_FOUND")
POLICY_TRANSFER = _missing("Policy transfer", "POLICY_TRANSFER_NOT_FOUND")
FILE_POLICY_TRANSFER = _missing("File policy transfer", "FILE_POLICY_TRANSFER_NOT_FOUND")
PLUGIN = _missing("Plugin", "PLUGIN_NOT_FOUND")
