"""Live notifications: who listens to which proposal, and pushing an event to them.

Transport-agnostic: a subscriber is a principal (the token that opened the connection), the
proposals it registered for, and a ``push(target, payload)`` callable; the SignalR-compatible hub
(``mockserver.http.hub``) provides the WebSocket side. A subscriber hears only of proposals its
token may read: a customer of its own, an agent's token of every proposal of the agency.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mockserver.security.tokens import CUSTOMER, Principal

if TYPE_CHECKING:
    from mockserver.domain.proposals import Proposal
    from mockserver.domain.tenant import Agent


@dataclass(eq=False)
class Subscriber:
    agent_id: str
    principal: Principal
    push: Callable[[str, dict[str, Any]], None]
    proposals: set[str] = field(default_factory=set)

    def may_see(self, p: "Proposal") -> bool:
        return self.principal.kind != CUSTOMER or self.principal.subject in (p.insurer_id, p.insured_id)


class Hub:
    def __init__(self) -> None:
        self.by_agent: dict[str, set[Subscriber]] = {}

    def add(self, sub: Subscriber) -> None:
        self.by_agent.setdefault(sub.agent_id, set()).add(sub)

    def remove(self, sub: Subscriber) -> None:
        subs = self.by_agent.get(sub.agent_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self.by_agent[sub.agent_id]

    def drop_agent(self, agent_id: str) -> None:
        """A deleted agent's connections hear nothing more (their sockets close on their own)."""
        self.by_agent.pop(agent_id, None)

    def listening(self) -> list[str]:
        return list(self.by_agent)

    def publish(self, agent: "Agent", p: "Proposal", target: str, payload: dict[str, Any]) -> int:
        sent = 0
        for sub in tuple(self.by_agent.get(agent.id, ())):
            if p.id in sub.proposals and sub.may_see(p):
                sub.push(target, payload)
                sent += 1
        return sent
