"""A read-only JSON object kept as its compact bytes (a proposal's parties and asset as quoted, which
each of its policies shares), decoded when read; the objects read last stay decoded."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

_DECODED: "OrderedDict[Packed, dict[str, Any]]" = OrderedDict()
_KEEP = 2000
_LOCK = threading.Lock()  # (documents read them in the thread pool)


class Packed(Mapping):
    __slots__ = ("raw",)

    def __init__(self, value: dict[str, Any]):
        self.raw = orjson.dumps(value)

    def data(self) -> dict[str, Any]:
        """The object (shared: read it, never change it)."""
        with _LOCK:
            found = _DECODED.get(self)
            if found is not None:
                _DECODED.move_to_end(self)
                return found
        found = orjson.loads(self.raw)
        with _LOCK:
            _DECODED[self] = found
            if len(_DECODED) > _KEEP:
                _DECODED.popitem(last=False)
        return found

    def __getitem__(self, key: str) -> Any:
        return self.data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data())

    def __len__(self) -> int:
        return len(self.data())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Packed):
            return self.raw == other.raw
        if isinstance(other, dict):
            return self.data() == other
        return NotImplemented

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"Packed({self.raw[:60]!r}…)"
