"""A virtual clock per tenant.

Everything that happens "later" in the sandbox (an OTP or token expiring, a quote arriving, a retry
falling due) is computed from this clock when state is read, never from a sleeping task. A clock is
either running (real time plus an offset) or frozen at an instant; both can be moved.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

RealTime = Callable[[], float]

# The wall clock a request sees: one instant for the whole request, taken when its handler starts, so
# that replaying the request from the durable log (mockserver.store) finds the very same times.
WALL: ContextVar[float | None] = ContextVar("sandbox_wall", default=None)


def wall() -> float:
    """POSIX seconds: the current request's instant, or the real time outside a request."""
    pinned = WALL.get()
    return time.time() if pinned is None else pinned


class VirtualClock:
    """Real time shifted by an offset, or a frozen instant.

    ``real_time`` returns POSIX seconds and defaults to :func:`time.time`; tests inject their own.
    """

    __slots__ = ("_real_time", "_offset", "_frozen_at")

    def __init__(self, *, start: datetime | None = None, frozen: bool = False, real_time: RealTime = wall):
        self._real_time = real_time
        self._offset = 0.0
        self._frozen_at: float | None = None
        if start is not None:
            self.set(start)
        if frozen:
            self.freeze()

    def timestamp(self) -> float:
        if self._frozen_at is not None:
            return self._frozen_at
        return self._real_time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), UTC)

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    @property
    def offset_seconds(self) -> float:
        """How far the clock stands from real time (positive: in the future)."""
        return self.timestamp() - self._real_time()

    def freeze(self) -> None:
        if self._frozen_at is None:
            self._frozen_at = self.timestamp()

    def unfreeze(self) -> None:
        if self._frozen_at is not None:
            self._offset = self._frozen_at - self._real_time()
            self._frozen_at = None

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock only moves forward; use set() to go back")
        if self._frozen_at is not None:
            self._frozen_at += seconds
        else:
            self._offset += seconds

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
        target = instant.timestamp()
        if self._frozen_at is not None:
            self._frozen_at = target
        else:
            self._offset = target - self._real_time()

    def in_(self, seconds: float) -> float:
        """The timestamp ``seconds`` from now."""
        return self.timestamp() + seconds

    def snapshot(self) -> dict[str, object]:
        return {
            "now": iso(self.now()),
            "frozen": self.frozen,
            "offsetSeconds": round(self.offset_seconds, 3),
        }


def iso(moment: datetime | float | None) -> str | None:
    """ISO-8601 in UTC with milliseconds and a ``Z``, as the API renders instants."""
    if moment is None:
        return None
    if isinstance(moment, (int, float)):
        return _iso_ts(float(moment))
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@lru_cache(maxsize=8192)
def _iso_ts(ts: float) -> str:
    # stored instants (createdAt, updatedAt) are rendered on every read: format each once
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


TURKEY = timezone(timedelta(hours=3), "TRT")


def turkish_day(moment: datetime | float) -> date:
    """The calendar day in Turkey at ``moment`` (from 21:00 UTC it is already the next day there)."""
    return date.fromisoformat(iso_turkey(moment)[:10])


def iso_turkey(moment: datetime | float) -> str:
    """ISO-8601 with Turkey's fixed +03:00 offset, as the consent events carry it."""
    if isinstance(moment, (int, float)):
        moment = datetime.fromtimestamp(moment, UTC)
    return moment.astimezone(TURKEY).isoformat(timespec="seconds")
