"""Certification sessions: a dedicated agent per partner and plan, its recorded traffic as
evidence, and the adversarial steering of its control plane.

The evidence holds what the rules read and nothing personal: the journal's redaction (cards, CVCs,
secrets, identity numbers) and then the contract suite's pseudonyms (names, phones, birth dates,
e-mail addresses; ``<name:1>`` is the same person throughout), so the rules still see that two
requests were about the same person. Its times are seconds from the session's start. The sandbox
signs it (``certify.signing``): a report re-made from edited evidence is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from typing import TYPE_CHECKING, Any

from mockserver.certify import signing
from mockserver.certify.rules import MODULES, PLAN_ID, PLAN_VERSION, Evidence, exercised
from mockserver.core.redact import redact
from mockserver.domain.tenant import AgentFixture
from mockserver.wire.control import (
    CertificationCreated, CertificationModuleOut, CertificationScopeOut, CertificationStatus, Credentials,
    UserCredentials)
from mockserver.wire.render import Const, From, renderer

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Sandbox

JOURNAL_SIZE = 20_000  # a session keeps all its traffic (a normal agent keeps the latest 500 requests)


def start(sandbox: "Sandbox", partner: str, scope: dict[str, Any] | None, coverage_groups: list[dict[str, Any]]
          | None = None) -> "Agent":
    agent = sandbox.create_agent(AgentFixture(name=f"Sertifikasyon: {partner}"[:120],
                                              coverage_groups=coverage_groups or []))
    agent.journal = deque(agent.journal, maxlen=JOURNAL_SIZE)
    agent.certification = {"plan": PLAN_ID, "version": PLAN_VERSION, "partner": partner, "scope": scope or {},
                           "startedAt": agent.now(), "jumps": []}
    return agent


def session_of(agent: "Agent") -> dict[str, Any] | None:
    return getattr(agent, "certification", None)


def clock_moved(agent: "Agent", before: float) -> None:
    """The control plane moved the session's clock: a jump its site could not see (``INS-TOK-001``
    excuses the first call each token makes after it expired inside the jump)."""
    session = session_of(agent)
    after = agent.now()
    if session is not None and abs(after - before) >= 1:
        start_at = session.get("startedAt", 0.0)
        session.setdefault("jumps", []).append({"from": round(before - start_at, 3), "to": round(after - start_at, 3)})


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


def collect(agent: "Agent", bodies: bool = True) -> dict[str, Any]:
    """What the evidence is made of, copied on the event loop (``evidence`` may then run elsewhere)."""
    from mockserver.core.journal import LazyBody

    journal = []
    for e in list(agent.journal):
        body = e.get("responseBody") if bodies else None
        journal.append({**e, "responseBody": body.render() if isinstance(body, LazyBody) else body})
    mine = {agent.sandbox.identity_key(c.identity_number) for c in agent.customers.values() if c.identity_number}
    payments = []
    for p in agent.payments.values():
        proposal = agent.proposals.get(p.proposal_id)
        payments.append({"id": p.id, "proposalId": p.proposal_id, "proposalProductId": p.proposal_product_id,
                         "type": p.payment_type, "state": p.state, "completedAt": p.completed_at,
                         "lying": p.lying, "claimedPolicyId": p.claimed_policy_id, "async": p.callback_url is not None,
                         "insurer": p.insurer_id, "branch": proposal.branch if proposal else None})
    return {"session": dict(session_of(agent) or {}), "sessionId": agent.id, "journal": journal,
            "unattributed": [u["entry"] for u in list(agent.sandbox.unattributed) if u["identity"] in mine],
            "events": [{"sequence": ev.seq, "event": ev.name, "at": ev.occurred_at,
                        "payload": ev.payload.data() if bodies else {}} for ev in agent.events.since(0)],
            "payments": payments, "secret": agent.sandbox.secret}


def timeline(raw: dict[str, Any], pseudonyms: Any = None) -> dict[str, list[dict[str, Any]]]:
    """Requests, events and payments with times in seconds from the session's start, their bodies
    pseudonymised when ``pseudonyms`` (a ``core.pseudonyms.Redactor``) is given."""
    start_at = raw["session"].get("startedAt", 0.0)
    rel = (lambda t: None if t is None else round(t - start_at, 3))
    same = (lambda v: v)
    text = pseudonyms.text if pseudonyms is not None else same

    def value(v: Any) -> Any:
        if pseudonyms is None:
            return v
        # a body the journal kept as text (cut at its size limit, so no longer JSON) is free text
        return pseudonyms.message(v) if isinstance(v, str) else pseudonyms.value(v)

    requests = [{**u, "at": -1.0, "body": value(u.get("body")), "response": value(u.get("response"))}
                for u in raw["unattributed"]]
    for e in raw["journal"]:
        requests.append({"id": e["traceId"], "at": rel(e["at"]), "method": e["method"], "path": text(e["path"]),
                         "status": e["status"], "auth": e.get("authorization"),
                         "tokenExpiresAt": rel(e.get("tokenExpiresAt")), "body": value(_scrub(e.get("requestBody"))),
                         "response": value(_scrub(e.get("responseBody")))})
    events = [{**ev, "at": rel(ev["at"]), "payload": value(redact(ev["payload"]))} for ev in raw["events"]]
    payments = [{**p, "completedAt": rel(p["completedAt"])} for p in raw["payments"]]
    return {"requests": requests, "events": events, "payments": payments,
            "clockJumps": list(raw["session"].get("jumps", []))}


def evidence(raw: dict[str, Any], collected_at: dt.datetime | None = None) -> dict[str, Any]:
    """The session's signed evidence from what ``collect`` copied (pure: it may run off the loop)."""
    from mockserver.core.pseudonyms import Redactor

    session = raw["session"]
    collected_at = collected_at or dt.datetime.now(dt.UTC)
    document = signing.plain({
        "plan": session.get("plan", PLAN_ID), "version": session.get("version", PLAN_VERSION),
        "partner": session.get("partner"), "scope": session.get("scope", {}), "sessionId": raw["sessionId"],
        "collectedAt": collected_at.isoformat(timespec="seconds"), **timeline(raw, Redactor())})
    document["signature"] = signing.sign(raw["secret"], document, signing.EVIDENCE_TYPE)
    return document


class SessionView:
    """A session as it stands: its agent, what it declared, and which modules its traffic shows."""

    __slots__ = ("agent", "session", "seen")

    def __init__(self, agent: "Agent"):
        self.agent, self.session = agent, session_of(agent) or {}
        self.seen = exercised(Evidence(timeline(collect(agent, bodies=False))))


def _declared(key: str) -> Any:
    return lambda v, ctx: v.session.get(key)


_render_scope = renderer(CertificationScopeOut, dict, **{
    key: From(when=lambda scope, key=key: key in scope) for key in CertificationScopeOut.model_fields})
_STATUS = dict(
    sessionId="agent.id", agentId="agent.id", plan=_declared("plan"), version=_declared("version"),
    partner=_declared("partner"), scope=From(lambda v, ctx: v.session.get("scope", {}), model=_render_scope),
    modules=From(lambda v, ctx: [(m, v.seen) for m in MODULES], each=renderer(
        CertificationModuleOut, None, id=lambda ms, ctx: ms[0].id, title=lambda ms, ctx: ms[0].title,
        how=lambda ms, ctx: ms[0].how, seen=lambda ms, ctx: ms[0].id in ms[1],
        evidence=lambda ms, ctx: ms[1].get(ms[0].id, []))),
    requests=lambda v, ctx: len(v.agent.journal))
_render_status = renderer(CertificationStatus, SessionView, **_STATUS)
render_created = renderer(  # ctx: the base URL the site is pointed at
    CertificationCreated, SessionView, **_STATUS, baseUrl=lambda v, base_url: base_url,
    serviceAccount=From("agent", model=renderer(Credentials, None, clientId="client_id", clientSecret="client_secret")),
    agentUser=From("agent", model=renderer(UserCredentials, None, email="agent_user_email",
                                           password="agent_user_password", twoFactor=Const(False))),
    controlToken="agent.control_token")
"""``POST /__sandbox/certifications``' answer: the session and what the site signs in with."""


def status(agent: "Agent") -> dict[str, Any]:
    """The session as it stands: which modules the traffic shows so far (from its timeline: nothing
    here is written down, so nothing is pseudonymised or signed)."""
    return _render_status(SessionView(agent))
