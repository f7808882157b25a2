"""Webhooks: definitions (URL, optional secret, subscribed events) and the delivery outbox.

Every external event an agent records becomes one delivery per subscribed webhook, with its body
frozen as the exact bytes to send and sign. The outbox lives in the agent's state: a delivery
stays PENDING until a receiver answers 2xx, so nothing is lost while a receiver is down. The HTTP
sending itself is the only real background work of the sandbox (``mockserver.http.deliverer``);
when an attempt falls due is decided on the agent's clock.

Delivery lifecycle::

    PENDING --2xx--> SUCCESS
    PENDING --non-2xx or timeout--> PENDING (next attempt at +60 s, +120 s on the agent's clock)
            --third failure--> FAILED --(redeliver)--> PENDING (one more attempt)
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from mockserver.core.clock import iso
from mockserver.core.errors import FieldError, InvalidState, NotFound, refuse_fields, same_as_path
from mockserver.wire import webhooks as wire
from mockserver.wire.events import INTERNAL  # a sync, internal event: never sent to a webhook
from mockserver.wire.render import Fields, From, renderer

if TYPE_CHECKING:
    from mockserver.domain.events import DomainEvent
    from mockserver.domain.tenant import Agent

EVENTS = wire.REFERENCE_EVENTS
SDK_NAMES = {e.upper().replace(".", "_"): e for e in EVENTS}  # the SDK's WebhookEvent: POLICY_CREATED


def sdk_name(event: str) -> str:
    """The SDK's ``WebhookEvent`` spelling of an event (``policy.created`` -> ``POLICY_CREATED``): how
    deliveries name their event, over REST and GraphQL."""
    return event.upper().replace(".", "_")


def event_named(name: str) -> str:
    """An event given in either spelling (the reference's ``policy.created``, the SDK's ``POLICY_CREATED``)."""
    return SDK_NAMES.get(name.strip().upper(), name.strip().lower())
MAX_ATTEMPTS = 3
BACKOFF = 60.0  # seconds of the agent's clock before the 2nd attempt; doubles for each next one
MAX_SECRET = wire.MAX_SECRET
KEEP_FINISHED = 2000  # finished deliveries kept per agent; pending ones are never dropped


@dataclass(slots=True)
class Webhook:
    id: str
    url: str
    events: list[str]
    secret: str | None
    agent_branch_ids: list[str]
    name: str | None
    created_at: float
    updated_at: float
    sdk_names: bool = False  # the events were given as the SDK's WebhookEvent (POLICY_CREATED): answered so

    def wire(self, deliveries: int | None = None) -> dict[str, Any]:
        """``WebhookOut``; the list's with the number of deliveries made."""
        return _render_webhook(self, deliveries)


RESPONSE_KEPT = 2000  # characters of a receiver's answer kept with its attempt


@dataclass(slots=True)
class Attempt:
    number: int
    at: float
    status_code: int | None
    duration_ms: float
    error: str | None
    manual: bool
    response: str | None = None  # the start of the receiver's answer

    def wire(self) -> dict[str, Any]:
        return _render_attempt(self)


@dataclass(slots=True)
class Delivery:
    id: str
    webhook_id: str
    webhook_name: str
    event: str
    event_seq: int
    body: bytes
    created_at: float
    next_attempt_at: float
    state: str = "PENDING"  # PENDING | SUCCESS | FAILED
    attempts: list[Attempt] = field(default_factory=list)
    max_attempts: int = MAX_ATTEMPTS
    completed_at: float | None = None
    in_flight: bool = False
    manual_next: bool = False  # the next attempt was asked for by redeliver
    webhook_url: str = ""  # where it is sent (the webhook's URL when the event happened)

    @property
    def retry_count(self) -> int:
        return max(len(self.attempts) - 1, 0)

    @property
    def status_code(self) -> int | None:
        return self.attempts[-1].status_code if self.attempts else None

    def wire(self, *, body: bool = True) -> dict[str, Any]:
        """``WebhookDeliveryOut``; with the body sent unless ``body`` is false (lists)."""
        return _render_delivery(self, body)


# --------------------------------------------------------------------------- definitions
def _latest(d: Delivery, _body: Any) -> tuple[str | None, str | None, int]:
    """The SDK's GetWebhookDeliveryResult describes the latest attempt: when, its answer, how long."""
    last = d.attempts[-1] if d.attempts else None
    return (iso(last.at), last.response, round(last.duration_ms)) if last else (None, None, 0)


_render_webhook = renderer(  # ctx: the number of deliveries made, for the list (else left out)
    wire.WebhookOut, Webhook,
    name=lambda h, n: h.name or h.url,
    events=lambda h, n: [e.upper().replace(".", "_") for e in h.events] if h.sdk_names else h.events,
    agentBranchIds="agent_branch_ids", createdAt=From(convert=iso), updatedAt=From(convert=iso),
    deliveryCount=From(lambda h, n: n, optional=True),
)
_render_attempt = renderer(
    wire.DeliveryAttempt, Attempt,
    attempt="number", at=From(convert=iso), responseStatusCode="status_code",
    durationMs=From("duration_ms", convert=lambda ms: round(ms, 1)),
)
_render_delivery = renderer(  # ctx: whether the body sent goes with it
    wire.WebhookDeliveryOut, Delivery,
    Fields(("deliveredAt", "responseBody", "durationMs"), _latest),
    event=From(convert=sdk_name), responseStatusCode="status_code", createdAt=From(convert=iso),
    completedAt=From(convert=iso),
    nextAttemptAt=lambda d, body: iso(d.next_attempt_at) if d.state == "PENDING" else None,
    isSuccess=lambda d, body: d.state == "SUCCESS", attempts=From(each=_render_attempt),
    payload=From(lambda d, body: orjson.loads(d.body) if body else None, optional=True),
)


def _parse(req: wire.WebhookUpdateRequest, current: Webhook | None = None) -> dict[str, Any]:
    """What the route's model parsed, with the rules between fields: a webhook has a URL and events
    (kept when a PUT leaves them out), named in one spelling, which is answered back."""
    given = req.model_fields_set
    errors: list[FieldError] = []
    url = req.url if req.url is not None else (current.url if current else None)
    if url is None:
        errors.append(FieldError("url", "is required", None))
    events = req.events if req.events is not None else None
    if events is None:
        if current is None:
            errors.append(FieldError("events", f"must be a non-empty list of event names: {', '.join(EVENTS)}", None))
        upper = current.sdk_names if current else False
        events = list(current.events) if current else []
    else:
        upper = all(n in SDK_NAMES for n in events)
        if not upper and any(n in SDK_NAMES for n in events):
            errors.append(FieldError("events", "must name every event in one spelling: the reference's "
                                     "(policy.created) or the SDK's (POLICY_CREATED)", None))
        events = [SDK_NAMES.get(n, n) for n in events]
    refuse_fields("webhook", errors, "WEBHOOK_INVALID")
    secret = req.secret if "secret" in given else (current.secret if current else None)
    branches = req.agentBranchIds if req.agentBranchIds is not None else (
        current.agent_branch_ids if current and "agentBranchIds" not in given else [])
    name = req.name if "name" in given else (current.name if current else None)
    return {"url": url, "events": list(dict.fromkeys(events)), "secret": secret or None,
            "agent_branch_ids": list(branches), "name": name, "sdk_names": upper}


def create(agent: "Agent", req: wire.WebhookRequest) -> Webhook:
    fields = _parse(req)
    now = agent.now()
    hook = Webhook(id=agent.ids.guid(), created_at=now, updated_at=now, **fields)
    agent.webhooks.add(hook)
    return hook


def get(agent: "Agent", webhook_id: str) -> Webhook:
    found = agent.webhooks.get(webhook_id)
    if found is None:
        raise NotFound(f"Webhook '{webhook_id}' was not found.", codes=["WEBHOOK_NOT_FOUND"])
    return found


def update(agent: "Agent", hook: Webhook, req: wire.WebhookUpdateRequest) -> Webhook:
    same_as_path(req.id, "id", hook.id, code="WEBHOOK_ID_MISMATCH")
    fields = _parse(req, hook)
    for key, value in fields.items():
        setattr(hook, key, value)
    hook.updated_at = agent.now()
    return hook


def delete(agent: "Agent", hook: Webhook) -> None:
    """Pending deliveries of a deleted webhook fail: there is no one left to send them to."""
    agent.webhooks.remove(hook.id)
    now = agent.now()
    for d in agent.deliveries.values():
        if d.webhook_id == hook.id and d.state == "PENDING" and not d.in_flight:
            d.state, d.completed_at = "FAILED", now


def internal_only(hook: Webhook) -> list[str]:
    return [e for e in hook.events if e in INTERNAL]


# --------------------------------------------------------------------------- the outbox
def enqueue(agent: "Agent", event: "DomainEvent") -> list[Delivery]:
    """One delivery per webhook subscribed to ``event`` (internal events are never delivered)."""
    if event.name in INTERNAL:
        return []
    made = []
    unset = object()
    branch: Any = unset
    for hook in agent.webhooks.values():
        if event.name not in hook.events:
            continue
        if hook.agent_branch_ids:  # a branch's webhook hears its branch and the branches under it
            from mockserver.domain.branches import subtree

            if branch is unset:
                branch = branch_of(agent, event.payload.data())
            if branch not in subtree(agent, hook.agent_branch_ids) | set(hook.agent_branch_ids):
                continue
        d = Delivery(id=agent.ids.guid(), webhook_id=hook.id, webhook_name=hook.name or hook.url, event=event.name,
                     event_seq=event.seq, body=event.payload.raw, created_at=event.occurred_at,
                     next_attempt_at=event.occurred_at, webhook_url=hook.url)
        agent.deliveries.add(d)
        made.append(d)
    if made:
        _trim(agent)
        agent.sandbox.wake_deliverer()
    return made


def branch_of(agent: "Agent", payload: dict[str, Any]) -> str | None:
    """The agency branch an event is about: its policy's, proposal's, case's or customer's."""
    for key, store in (("policyId", agent.policies), ("proposalId", agent.proposals), ("caseId", agent.cases),
                       ("customerId", agent.customers)):
        record = store.get(payload.get(key)) if isinstance(payload.get(key), str) else None
        if record is not None:
            return getattr(record, "agent_branch_id", None)
    return payload.get("branch") if isinstance(payload.get("branch"), str) else None


def _trim(agent: "Agent") -> None:
    finished = [k for k, d in agent.deliveries.items() if d.state != "PENDING"]
    for key in finished[:max(len(finished) - KEEP_FINISHED, 0)]:
        agent.deliveries.remove(key)


def due(agent: "Agent") -> list[Delivery]:
    now = agent.now()
    return [d for d in agent.deliveries.values()
            if d.state == "PENDING" and not d.in_flight and d.next_attempt_at <= now]


def sign(secret: str, body: bytes) -> str:
    """Lowercase hex HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes (§6.3)."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def request_headers(hook: Webhook, d: Delivery) -> dict[str, str]:
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "InsurUp-Webhooks (sandbox)",
               "x-webhook-event": d.event, "x-webhook-id": hook.id, "x-webhook-delivery": d.id}
    if hook.secret:
        headers["x-webhook-signature"] = sign(hook.secret, d.body)
    return headers


def record(agent: "Agent", d: Delivery, *, at: float, status_code: int | None, duration_ms: float,
           error: str | None, response: str | None = None) -> None:
    """Write down one attempt and decide what comes next, on the agent's clock."""
    d.in_flight = False
    manual, d.manual_next = d.manual_next, False
    d.attempts.append(Attempt(len(d.attempts) + 1, at, status_code, duration_ms, error, manual,
                              response[:RESPONSE_KEPT] if response is not None else None))
    if status_code is not None and 200 <= status_code < 300:
        d.state, d.completed_at = "SUCCESS", at
    elif len(d.attempts) >= d.max_attempts:
        d.state, d.completed_at = "FAILED", at
    else:
        failures = sum(1 for a in d.attempts if not a.manual)
        d.next_attempt_at = at + BACKOFF * 2 ** max(failures - 1, 0)


def get_delivery(agent: "Agent", webhook_id: str, delivery_id: str) -> Delivery:
    found = agent.deliveries.get(delivery_id)
    if found is None or found.webhook_id != webhook_id:
        raise NotFound(f"Delivery '{delivery_id}' of webhook '{webhook_id}' was not found.",
                       codes=["WEBHOOK_DELIVERY_NOT_FOUND"])
    return found


def redeliver(agent: "Agent", d: Delivery) -> Delivery:
    """Send a finished delivery again, once, now (same delivery id: receivers de-duplicate on it)."""
    if d.webhook_id not in agent.webhooks:
        raise InvalidState("The webhook of this delivery was deleted.", codes=["WEBHOOK_NOT_FOUND"])
    if d.state == "PENDING":
        raise InvalidState(f"Delivery '{d.id}' is still PENDING (next attempt at {iso(d.next_attempt_at)}).",
                           codes=["WEBHOOK_DELIVERY_PENDING"])
    d.state, d.completed_at = "PENDING", None
    d.next_attempt_at = agent.now()
    d.max_attempts = len(d.attempts) + 1
    d.manual_next = True
    agent.sandbox.wake_deliverer()
    return d


def send_now(agent: "Agent", d: Delivery) -> Delivery:
    """A PENDING delivery waiting between its retries goes out now, not at its next attempt's time (the
    dashboard's button; the API's redeliver is for finished deliveries)."""
    if d.state != "PENDING":
        return redeliver(agent, d)
    if d.in_flight:
        raise InvalidState(f"Delivery '{d.id}' is being sent right now.", codes=["WEBHOOK_DELIVERY_IN_FLIGHT"])
    d.next_attempt_at, d.manual_next = agent.now(), True
    agent.sandbox.wake_deliverer()
    return d


def deliveries_of(agent: "Agent", webhook_id: str | None = None) -> list[Delivery]:
    return [d for d in agent.deliveries.values() if webhook_id is None or d.webhook_id == webhook_id]


__all__ = ["Webhook", "Delivery", "EVENTS", "INTERNAL", "create", "get", "update", "delete", "enqueue", "due", "sign",
           "request_headers", "record", "redeliver", "get_delivery", "deliveries_of", "MAX_ATTEMPTS", "BACKOFF"]
