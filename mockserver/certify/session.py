"""Certification sessions: a dedicated agent per partner and plan, its recorded traffic as
evidence (redacted, like the journal), and the adversarial steering of its control plane."""

from __future__ import annotations

import re
from collections import deque
from typing import TYPE_CHECKING, Any

from mockserver.certify.rules import MODULES, PLAN_ID, PLAN_VERSION, exercised, Evidence
from mockserver.core.redact import redact
from mockserver.domain.tenant import AgentFixture

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Sandbox

JOURNAL_SIZE = 20_000  # a session keeps all its traffic (a normal agent keeps the latest 500 requests)


def start(sandbox: "Sandbox", partner: str, scope: dict[str, Any] | None, coverage_groups: list[dict[str, Any]]
          | None = None) -> "Agent":
    agent = sandbox.create_agent(AgentFixture(name=f"Sertifikasyon: {partner}"[:120],
                                              coverage_groups=coverage_groups or []))
    agent.journal = deque(agent.journal, maxlen=JOURNAL_SIZE)
    agent.certification = {"plan": PLAN_ID, "version": PLAN_VERSION, "partner": partner, "scope": scope or {},
                           "startedAt": agent.now()}
    return agent


def session_of(agent: "Agent") -> dict[str, Any] | None:
    return getattr(agent, "certification", None)


def _scrub(value: Any) -> Any:
    """The journal keeps a secret's first characters (``eyJh…***``); evidence keeps none."""
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, str) and value.endswith("…***"):
        return "***"
    if isinstance(value, str) and ("/__sandbox/documents/" in value or "key=" in value):
        # signed document links and payment-page keys open what they point to: bearer secrets
        value = re.sub(r"(/__sandbox/documents/[^/]+/)[^\s\"?]+", r"\1***", value)
        return re.sub(r"([?&]key=)[^&\s\"]+", r"\1***", value)
    return value


def evidence(agent: "Agent") -> dict[str, Any]:
    """Everything the rules read, redacted: requests (oldest first), domain events, payments."""
    from mockserver.http.edge import LazyBody

    session = session_of(agent) or {}
    requests = []
    for e in agent.journal:
        body = e.get("responseBody")
        requests.append({"id": e["traceId"], "at": e["at"], "method": e["method"], "path": e["path"],
                         "status": e["status"], "auth": e.get("authorization"), "body": _scrub(e.get("requestBody")),
                         "response": _scrub(body.render() if isinstance(body, LazyBody) else body)})
    mine = {agent.sandbox.identity_key(c.identity_number) for c in agent.customers.values() if c.identity_number}
    requests = [u["entry"] for u in agent.sandbox.unattributed if u["identity"] in mine] + requests
    events = [{"sequence": ev.seq, "event": ev.name, "at": ev.occurred_at, "payload": redact(ev.payload.data())}
              for ev in agent.events.since(0)]
    payments = []
    for p in agent.payments.values():
        proposal = agent.proposals.get(p.proposal_id)
        payments.append({"id": p.id, "proposalId": p.proposal_id, "proposalProductId": p.proposal_product_id,
                         "type": p.payment_type, "state": p.state, "completedAt": p.completed_at,
                         "lying": p.lying, "async": p.callback_url is not None, "insurer": p.insurer_id,
                         "branch": proposal.branch if proposal else None})
    return {"plan": session.get("plan", PLAN_ID), "version": session.get("version", PLAN_VERSION),
            "partner": session.get("partner"), "scope": session.get("scope", {}), "sessionId": agent.id,
            "requests": requests, "events": events, "payments": payments}


def status(agent: "Agent") -> dict[str, Any]:
    """The session as it stands: which modules the traffic shows so far."""
    session = session_of(agent) or {}
    seen = exercised(Evidence(evidence(agent)))
    return {"sessionId": agent.id, "agentId": agent.id, "plan": session.get("plan"), "version": session.get("version"),
            "partner": session.get("partner"), "scope": session.get("scope", {}),
            "modules": [{"id": m.id, "title": m.title, "how": m.how, "seen": m.id in seen, "evidence": seen.get(m.id, [])}
                        for m in MODULES],
            "requests": len(agent.journal)}
