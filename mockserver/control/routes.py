"""The control plane, under ``/__sandbox`` and never under ``/api``: agents, clocks, SMS outbox,
journal, events, magic values. Who may call what is decided by :mod:`mockserver.control.access`
(open on a loopback bind without an admin token; otherwise admin and per-agent control tokens)."""

from __future__ import annotations

from datetime import UTC
from typing import Any
from html import escape

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mockserver import __version__, magic
from mockserver.core.clock import iso
from mockserver.core.errors import field_error
from mockserver.domain import payments
from mockserver.domain.catalog import catalog
from mockserver.domain.tenant import AgentFixture
from mockserver.http import answers
from mockserver.http.framework import Ctx, disposition, no_content, ok, Routes
from mockserver.validators.common import isdigits
from mockserver.wire import models as w
from mockserver.wire.render import Const, From, renderer


routes = Routes("/__sandbox/agents", "/__sandbox/snapshots", "/__sandbox/health", "/__sandbox/journal",
                "/__sandbox/magic", "/__sandbox/logos", "/__sandbox/documents", auth="control")

C = "/__sandbox"


def agent_summary(ctx: Ctx, agent) -> dict:
    return {
        "agentId": agent.id, "name": agent.name, "seed": agent.seed, "market": agent.market,
        "serviceAccount": {"clientId": agent.client_id, "clientSecret": agent.client_secret},
        "agentUser": {"email": agent.agent_user_email, "password": agent.agent_user_password,
                      "twoFactor": next(iter(agent.agent_users.values())).two_factor},
        "controlToken": agent.control_token,
        "isDefault": agent is ctx.sandbox.default_agent,
        "clock": clock_state(agent),
        "webhookDelivery": agent.fixture.webhook_delivery,
        "customerMfa": agent.fixture.customer_mfa, "paymentTypes": agent.fixture.payment_types,
        "counts": {"customers": len(agent.customers), "vehicles": len(agent.vehicles),
                   "properties": len(agent.properties), "connections": len(agent.connections)},
    }


_health = renderer(w.Health, None, status=Const("ok"), version=Const(__version__),
                   agents=lambda sandbox, ctx: len(sandbox.agents), defaultAgentId="default_agent.id")
_sms = renderer(w.SmsOut, None, sentAt=From("sent_at", convert=iso))
_settled = renderer(  # a proposal's summary; ctx: (the proposal, how many products were settled)
    w.Settled, dict, proposalId=lambda s, ctx: ctx[0].id, settledProducts=lambda s, ctx: ctx[1],
    succeedProductsCount="succeeded", totalProductsCount="total")
_outboxed = renderer(
    w.OutboxMessage, dict,
    **{name: From(when=lambda m, name=name: name in m) for name, info in w.OutboxMessage.model_fields.items()
       if not info.is_required()},
    sentAt=From("sentAt", convert=iso))
_completed = renderer(  # ctx: (agent id, base URL)
    w.PaymentCompleted, payments.Payment, payment=lambda p, ctx: p.wire(*ctx),
    callbackLocation=lambda p, ctx: payments.callback_location(p) if p.callback_url else None)


def clock_state(agent) -> dict:
    return {"now": iso(agent.now()), "frozen": agent.clock.frozen, "offsetSeconds": round(agent.clock.offset_seconds, 3)}


@routes("GET", f"{C}/health", summary="Liveness", tag="control", auth="public", api=False, response=w.Health)
async def health(ctx: Ctx) -> Response:
    return ok(_health(ctx.sandbox))


@routes("GET", f"{C}/agents", summary="List agents (admin token when the control plane is closed)", tag="control",
       auth="admin", api=False, response=list[w.AgentCreated])
async def list_agents(ctx: Ctx) -> Response:
    return ok([agent_summary(ctx, a) for a in ctx.sandbox.agents.values()])


@routes("POST", f"{C}/agents", summary="Create an isolated agent (optional fixture body); answers its controlToken",
       tag="control", auth="create", api=False, request=w.AgentFixtureRequest, response=w.AgentCreated, status=201)
async def create_agent(ctx: Ctx) -> Response:
    from mockserver import snapshots

    req = await ctx.model(required=False)
    given = req.snapshot
    fixture = req.fields()
    doc = snapshots.resolve(given) if given is not None else None
    if doc is not None and fixture["seed"] is None and isinstance(doc.get("seed"), int):
        fixture["seed"] = doc["seed"]
    agent = ctx.sandbox.create_agent(AgentFixture(**fixture))
    if doc is not None:
        try:  # decoded in the thread pool (a big agent's state takes a while), attached on the loop
            snapshots.attach(agent, doc, await run_in_threadpool(snapshots.decoded, doc, agent.id))
        except Exception:
            ctx.sandbox.delete_agent(agent.id)  # no half-made agent stays behind
            raise
    return ok(agent_summary(ctx, agent), status=201)


@routes("GET", f"{C}/agents/{{agentId}}/snapshot", summary="The agent as a versioned file (?redact=true masks "
       "identity numbers, phones, e-mails, birth dates and names)", tag="control", auth="control", api=False,
       query=w.SnapshotQuery, response=dict[str, Any])
async def agent_snapshot(ctx: Ctx) -> Response:
    from mockserver import snapshots

    agent = ctx.sandbox.agent(ctx.params["agentId"])
    doc = snapshots.export(agent, redact=ctx.q.redact)
    name = f"agent-{agent.id[:8]}-{'redacted-' if ctx.q.redact else ''}snapshot.json"
    return Response(orjson.dumps(doc), media_type="application/json",
                    headers={"Content-Disposition": disposition("attachment", name), "Cache-Control": "no-store"})


@routes("GET", f"{C}/snapshots", summary="The snapshots shipped with the sandbox (name them in POST /__sandbox/agents)",
       tag="control", auth="public", api=False, response=list[w.ShippedSnapshot])
async def shipped_snapshots(ctx: Ctx) -> Response:
    from mockserver import snapshots

    out = []
    for name, path in snapshots.shipped().items():
        doc = snapshots.read_shipped(path)
        out.append({"name": name, "description": doc.get("description"), "counts": doc.get("counts"),
                    "clock": iso(doc.get("clock", {}).get("now"))})
    return ok(out)


@routes("GET", f"{C}/agents/{{agentId}}", summary="One agent", tag="control", auth="control", api=False, response=w.AgentCreated)
async def get_agent(ctx: Ctx) -> Response:
    return ok(agent_summary(ctx, ctx.sandbox.agent(ctx.params["agentId"])))


@routes("DELETE", f"{C}/agents/{{agentId}}", summary="Delete an agent", tag="control", auth="control", api=False,
       status=204)
async def delete_agent(ctx: Ctx) -> Response:
    ctx.sandbox.delete_agent(ctx.params["agentId"])
    return no_content()


@routes("POST", f"{C}/agents/{{agentId}}/reset", summary="Forget all data; keep id and credentials",
       tag="control", auth="control", api=False, response=w.AgentCreated)
async def reset_agent(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    agent.reset()
    return ok(agent_summary(ctx, agent))


@routes("GET", f"{C}/agents/{{agentId}}/clock", summary="Read the agent's clock", tag="control", auth="control",
       api=False, response=w.ClockOut)
async def get_clock(ctx: Ctx) -> Response:
    return ok(clock_state(ctx.sandbox.agent(ctx.params["agentId"])))


@routes("POST", f"{C}/agents/{{agentId}}/clock", summary="Freeze, unfreeze, advance or set the clock",
       tag="control", auth="control", api=False, request=w.ClockRequest, response=w.ClockOut)
async def post_clock(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    req = await ctx.model()
    if not req.model_fields_set:
        raise field_error("body", "clock commands are: freeze (true), unfreeze (true), advance or advanceSeconds "
                          "(seconds), set or now (ISO-8601 instant)", None)
    before = agent.now()
    instant = req.set if req.set is not None else req.now
    if instant is not None:
        agent.clock.set(instant if instant.tzinfo else instant.replace(tzinfo=UTC))
    if req.freeze is True:
        agent.clock.freeze()
    if req.unfreeze is True:
        agent.clock.unfreeze()
    step = req.advance if req.advance is not None else req.advanceSeconds
    if step is not None:
        agent.clock.advance(step)
    from mockserver.certify.session import clock_moved

    clock_moved(agent, before)  # a certification session keeps the jumps its site could not see
    agent.tick()  # what fell due happens now, so its events are visible at once
    return ok(clock_state(agent))


@routes("GET", f"{C}/agents/{{agentId}}/cases/duplicates", summary="Open sale opportunities duplicated per customer "
       "and branch (the API allows them; this shows them)", tag="control", auth="control", api=False, response=list[w.CaseDuplicates])
async def case_duplicates(ctx: Ctx) -> Response:
    from mockserver.domain import cases

    return ok(cases.open_duplicates(ctx.sandbox.agent(ctx.params["agentId"])))


@routes("GET", f"{C}/agents/{{agentId}}/sms", summary="SMS outbox, newest last", tag="control", auth="control",
       api=False, query=w.SmsQuery, response=list[w.SmsOut])
async def sms(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    to = ctx.q.to
    return ok([_sms(m) for m in agent.sms if to is None or m.to == to or m.to.endswith(to.lstrip("+").removeprefix("90"))])


@routes("GET", f"{C}/agents/{{agentId}}/journal", summary="Recent requests (card data masked)", tag="control",
       auth="control", api=False, response=list[w.JournalEntry])
async def journal(ctx: Ctx) -> Response:
    return ok([answers.journal_entry(e) for e in ctx.sandbox.agent(ctx.params["agentId"]).journal])


@routes("GET", f"{C}/journal", summary="Every agent's recent requests and those no agent claimed, newest last",
       tag="control", auth="admin", api=False, response=list[w.JournalEntry])
async def sandbox_journal(ctx: Ctx) -> Response:
    entries = [(e, a.id) for a in ctx.sandbox.agents.values() for e in a.journal]
    entries += [(e, None) for e in ctx.sandbox.journal]
    entries.sort(key=lambda pair: pair[0].get("wall", 0))
    return ok([answers.sandbox_journal_entry(e, agent_id) for e, agent_id in entries[-500:]])


@routes("GET", f"{C}/agents/{{agentId}}/events", summary="Domain events (webhook payloads)", tag="control",
       auth="control", api=False, query=w.EventsQuery, response=list[w.EventOut])
async def events(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    return ok([e.wire() for e in agent.events.since(ctx.q.since or 0, ctx.q.event)])


@routes("GET", f"{C}/magic", summary="Magic values that force outcomes", tag="control", auth="public", api=False,
       response=dict[str, list[w.MagicValue]])
async def magic_values(ctx: Ctx) -> Response:
    return ok(magic.catalogue())


@routes("GET", f"{C}/logos/{{companyId}}.svg", summary="Placeholder insurer logo", tag="control", auth="public",
       api=False, response=str, media="image/svg+xml")
async def logo(ctx: Ctx) -> Response:
    ref = ctx.params["companyId"]
    insurer = catalog().get(ref)
    name = insurer.name if insurer else "?"
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    hue = (int(ref) * 47) % 360 if isdigits(ref) else 0
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="160" height="64" viewBox="0 0 160 64">'
           f'<rect width="160" height="64" rx="8" fill="hsl({hue},55%,40%)"/>'
           f'<text x="80" y="40" font-family="sans-serif" font-size="22" fill="#fff" text-anchor="middle">'
           f'{escape(initials)}</text><title>{escape(name)}</title></svg>')
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


@routes("POST", f"{C}/agents/{{agentId}}/proposals/{{proposalId}}/settle",
       summary="Make every waiting product of a proposal arrive now", tag="control", auth="control", api=False, response=w.Settled)
async def settle_proposal(ctx: Ctx) -> Response:
    from mockserver.domain import proposals, quoting

    agent = ctx.sandbox.agent(ctx.params["agentId"])
    p = proposals.get(agent, ctx.params["proposalId"])
    settled = quoting.settle(agent, p)
    return ok(_settled(p.summary(), (p, settled)))


@routes("GET", f"{C}/agents/{{agentId}}/outbox", summary="Documents sent by email or SMS, newest last", tag="control",
       auth="control", api=False, query=w.SmsQuery, response=list[w.OutboxMessage])
async def outbox(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    to = ctx.q.to
    return ok([_outboxed(m) for m in agent.outbox if to is None or m["to"] == to])


@routes("GET", f"{C}/documents/{{agentId}}/{{token}}", summary="A document PDF behind a signed link",
       tag="control", auth="public", api=False, response=bytes, media="application/pdf")
async def document(ctx: Ctx) -> Response:
    from mockserver.domain import documents, policies, proposals

    agent = ctx.sandbox.agent(ctx.params["agentId"])
    data = documents.read_link(agent, ctx.params["token"])
    if data["k"] == "policy":
        policy = policies.get(agent, data["p"])
        return Response(await run_in_threadpool(documents.policy_pdf, agent, policy), media_type="application/pdf",
                        headers={"Content-Disposition": disposition("inline", f"policy-{policy.number}.pdf"),
                                 "Cache-Control": "private, no-store"})
    p = proposals.get(agent, data["p"])
    products = [p.product(ppid) for ppid in data["pp"]]
    if data["k"] == "compare":
        pdf = await run_in_threadpool(documents.compare_pdf, agent, p, products, data["x"])
    elif data["k"] == "clarification":
        pdf = await run_in_threadpool(documents.clarification_pdf, agent, p, products[0])
    else:
        pdf = await run_in_threadpool(documents.proposal_pdf, agent, p, products[0],
                                      info_form=data["k"] == "information-form")
    name = f"{data['k']}-{p.id}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": disposition("inline", name), "Cache-Control": "private, no-store"})


# ----------------------------------------------------------------------------- payments (finishing one without a browser)
@routes("GET", f"{C}/agents/{{agentId}}/payments", summary="Payments of the agent (masked cards), newest last",
       tag="control", auth="control", api=False, response=list[w.PaymentOut])
async def list_payments(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    return ok([pay.wire(agent.id, ctx.base_url()) for pay in agent.payments.values()])


@routes("GET", f"{C}/agents/{{agentId}}/payments/{{paymentId}}", summary="One payment and its history",
       tag="control", auth="control", api=False, response=w.PaymentOut)
async def get_payment(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    return ok(payments.get(agent, ctx.params["paymentId"]).wire(agent.id, ctx.base_url()))


@routes("POST", f"{C}/agents/{{agentId}}/payments/{{paymentId}}/complete",
       summary="Finish a payment without a browser, with the outcome a page would give", tag="control",
       auth="control", api=False, request=w.PaymentCompleteRequest, response=w.PaymentCompleted)
async def complete_payment(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    payment = payments.get(agent, ctx.params["paymentId"])
    req = await ctx.model(required=False)
    outcome = req.outcome or payment.outcome or "success"
    payments.decide(agent, payment, outcome)
    return ok(_completed(payment, (agent.id, ctx.base_url())))
