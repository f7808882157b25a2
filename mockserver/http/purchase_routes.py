"""Purchases over REST (async: 3-D Secure, insurer redirect, third-party 3-D Secure; sync: credit
card, open account) and the control plane's view and completion of payments."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.domain import payments
from mockserver.http.framework import Ctx, ok, Routes, warn
from mockserver.http.lookups import product_of
from mockserver.wire import models as w


routes = Routes(resource="proposal", permissions=("policies:purchase", "policies:purchase"))

C = "/__sandbox"
PP = "/proposals/{proposalId}/products/{productId}"


@routes("POST", PP + "/purchase/async", summary="Start an asynchronous purchase; answers the payment page URL",
       tag="purchases", request=w.PurchaseAsyncRequest, response=w.PurchaseAsyncResponse)
async def purchase_async(ctx: Ctx) -> Response:
    p, pp = product_of(ctx)
    body = await ctx.json()
    payment = payments.start(ctx.agent, p, pp, body, sync=False, principal=ctx.principal, by=ctx.actor(),
                             base_url=ctx.base_url())
    return warn(ok({"redirectUrl": payments.page_url(ctx.base_url(), ctx.agent.id, payment)}), *payment.notes)


@routes("POST", PP + "/purchase/sync", summary="Buy at once with a card or on open account (B2B)", tag="purchases",
       request=w.PurchaseSyncRequest, response=w.PurchaseSyncResponse)
async def purchase_sync(ctx: Ctx) -> Response:
    p, pp = product_of(ctx)
    body = await ctx.json()
    payment = payments.start(ctx.agent, p, pp, body, sync=True, principal=ctx.principal, by=ctx.actor(),
                             base_url=ctx.base_url())
    payments.decide(ctx.agent, payment, payment.outcome or "success")
    payments.sync_result(payment)
    policy = ctx.agent.policies[payment.policy_id]
    return warn(ok({"policyId": policy.id, "policyNumber": policy.number, "status": "PURCHASED"}), *payment.notes)


# --------------------------------------------------------------------------- control plane
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
    body = await ctx.json(required=False)
    raw = body.get("outcome")
    outcome = payments.normalize_outcome(raw) if raw is not None else (payment.outcome or "success")
    payments.decide(agent, payment, outcome)
    return ok({"payment": payment.wire(agent.id, ctx.base_url()),
               "callbackLocation": payments.callback_location(payment) if payment.callback_url else None})
