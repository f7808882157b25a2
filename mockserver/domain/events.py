"""Domain events recorded per agent, in the payload shapes of the webhook reference (§6.6), ready
for a webhook outbox to deliver. The journal of events is bounded; each event has a sequence
number so a consumer can resume."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from mockserver.core.clock import iso
from mockserver.wire.control import EventOut
from mockserver.wire.render import From, renderer
from mockserver.core.packed import Packed


@dataclass(slots=True)
class DomainEvent:
    seq: int
    name: str
    occurred_at: float
    payload: Packed  # kept as its JSON (what a webhook delivery sends, byte for byte)

    def wire(self) -> dict[str, Any]:
        """``EventOut``."""
        return _render_event(self)


_render_event = renderer(EventOut, DomainEvent, sequence="seq", event="name", occurredAt=From(convert=iso),
                         payload=lambda e, ctx: e.payload.data())


@dataclass(slots=True)
class EventLog:
    maxlen: int
    items: deque[DomainEvent] = field(default_factory=deque)
    seq: int = 0

    def __post_init__(self) -> None:
        self.items = deque(maxlen=self.maxlen)

    def record(self, name: str, occurred_at: float, payload: dict[str, Any]) -> DomainEvent:
        self.seq += 1
        event = DomainEvent(self.seq, name, occurred_at, Packed(payload))
        self.items.append(event)
        return event

    def since(self, seq: int = 0, name: str | None = None) -> list[DomainEvent]:
        return [e for e in self.items if e.seq > seq and (name is None or e.name == name)]
