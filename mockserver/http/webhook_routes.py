"""Webhooks over REST (SDK paths): CRUD, deliveries and redelivery; and the control plane's
outbox view and an on-demand flush for CI."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.domain import webhooks
from mockserver.http.answers import identified
from mockserver.http.framework import Ctx, no_content, ok, Routes, warn
from mockserver.wire import models as w
from mockserver.wire.render import renderer


_flushed = renderer(  # the deliveries sent; ctx: the agent
    w.Flushed, None, sent=lambda sent, agent: [d.wire(body=False) for d in sent],
    pending=lambda sent, agent: sum(1 for d in agent.deliveries.values() if d.state == "PENDING"))

routes = Routes("/webhooks", "/__sandbox/agents/{agentId}/webhook-deliveries", auth="agent", resource="webhook")

W = "/webhooks/{webhookId}"
C = "/__sandbox"


def _count(agent, hook_id: str) -> int:
    return sum(1 for d in agent.deliveries.values() if d.webhook_id == hook_id)


@routes("GET", "/webhooks", summary="Webhooks of the agency", tag="webhooks", response=list[w.WebhookOut])
async def list_webhooks(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok([h.wire(_count(agent, h.id)) for h in agent.webhooks.values()])


@routes("POST", "/webhooks", summary="Create a webhook (URL, events, optional secret)", tag="webhooks",
       request=w.WebhookRequest, response=w.IdResponse)
async def create_webhook(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    hook = webhooks.create(agent, await ctx.model())
    response = ok(identified(hook))
    internal = webhooks.internal_only(hook)
    if internal:
        warn(response, f"{', '.join(internal)} is an internal (sync) event and is never delivered to a webhook")
    return response


@routes("GET", W, summary="One webhook", tag="webhooks", response=w.WebhookOut)
async def get_webhook(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(webhooks.get(agent, ctx.params["webhookId"]).wire())


@routes("PUT", W, summary="Change a webhook's URL, events, secret or branches (absent fields are kept)",
       tag="webhooks", request=w.WebhookUpdateRequest, status=204)
async def update_webhook(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    webhooks.update(agent, webhooks.get(agent, ctx.params["webhookId"]), await ctx.model())
    return no_content()


@routes("DELETE", W, summary="Delete a webhook (its pending deliveries fail)", tag="webhooks", status=204)
async def delete_webhook(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    webhooks.delete(agent, webhooks.get(agent, ctx.params["webhookId"]))
    return no_content()


@routes("GET", W + "/deliveries", summary="Deliveries of a webhook, oldest first", tag="webhooks", response=list[w.WebhookDeliveryOut])
async def list_deliveries(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    hook = webhooks.get(agent, ctx.params["webhookId"])
    return ok([d.wire(body=False) for d in webhooks.deliveries_of(agent, hook.id)])


@routes("GET", W + "/deliveries/{deliveryId}", summary="One delivery: payload and every attempt", tag="webhooks",
       response=w.WebhookDeliveryOut)
async def get_delivery(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(webhooks.get_delivery(agent, ctx.params["webhookId"], ctx.params["deliveryId"]).wire())


@routes("POST", W + "/deliveries/{deliveryId}/redeliver", summary="Send a finished delivery once more, now",
       tag="webhooks", response=w.WebhookDeliveryOut)
async def redeliver(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    d = webhooks.redeliver(agent, webhooks.get_delivery(agent, ctx.params["webhookId"], ctx.params["deliveryId"]))
    return ok(d.wire())


# --------------------------------------------------------------------------- control plane
@routes("GET", f"{C}/agents/{{agentId}}/webhook-deliveries",
       summary="The agent's webhook outbox: every delivery with its attempts", tag="control", auth="control", api=False,
       query=w.DeliveriesQuery, response=list[w.WebhookDeliveryOut])
async def outbox(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    state, event = ctx.q.state, webhooks.event_named(ctx.q.event) if ctx.q.event else None
    return ok([d.wire() for d in agent.deliveries.values()
               if state in (None, d.state) and event in (None, d.event)])


@routes("POST", f"{C}/agents/{{agentId}}/webhook-deliveries/flush",
       summary="Send every delivery due now on the agent's clock and wait for the answers", tag="control",
       auth="control", api=False, response=w.Flushed)
async def flush(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    sent = await ctx.request.app.state.deliverer.flush(agent)
    return ok(_flushed(sent, agent))
