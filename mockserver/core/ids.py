"""Seeded identifiers: GUIDs for people and assets, 24-hex ObjectIds for cases, proposals, policies.

The same seed and the same sequence of requests give the same ids (DESIGN: randomness is seeded).
ObjectIds carry the tenant's virtual time in their first four bytes, as MongoDB's do.
"""

from __future__ import annotations

import random
import uuid


class IdGenerator:
    __slots__ = ("_rng",)

    def __init__(self, rng: random.Random):
        self._rng = rng

    def guid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def object_id(self, timestamp: float) -> str:
        return f"{int(timestamp) & 0xFFFFFFFF:08x}{self._rng.getrandbits(64):016x}"

    def digits(self, n: int) -> str:
        return "".join(str(self._rng.randrange(10)) for _ in range(n))
