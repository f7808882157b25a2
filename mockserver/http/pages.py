"""The pages a customer's browser sees during an asynchronous purchase, served at the
``redirectUrl`` that ``purchase/async`` answers: a bank's 3-D Secure page, an insurer's payment
page and a third-party payment page. They work as a full page and inside an iframe (no frame
busting, no X-Frame-Options), accept GET and POST (real sites auto-submit a form to the URL), and
end with a 303 to the integrator's ``callbackUrl`` with the result appended."""

from __future__ import annotations


from starlette.responses import HTMLResponse, RedirectResponse, Response

from mockserver.core import templates
from mockserver.core.clock import iso_turkey
from mockserver.core.errors import InputValidation, NotFound
from mockserver.domain import payments
from mockserver.domain.catalog import catalog
from mockserver.domain.documents import money
from mockserver.http.framework import Ctx, Routes
from mockserver.magic import PAYMENT_OTP_CODE
from mockserver.wire import models as w
from mockserver.validators.common import same_secret


routes = Routes("/__sandbox/pay", auth="public")

PAGE = "/__sandbox/pay/{agentId}/{paymentId}"
BRANDS = {
    "ASYNC_3D_SECURE": ("Sandbox Bankası", "3-D Secure Doğrulama", "#0b4f8a"),
    "ASYNC_THIRD_PARTY_3D_SECURE": ("Sandbox Ödeme Hizmetleri", "Güvenli Ödeme (3-D Secure)", "#5b2a86"),
    "ASYNC_INSURANCE_COMPANY_REDIRECT": (None, "Online Ödeme", "#1d6b3a"),
}


def _page(payment: payments.Payment, agent, error: str | None) -> str:
    insurer = catalog().by_id[payment.insurer_id]
    issuer, title, color = BRANDS[payment.payment_type]
    issuer = issuer or insurer.name
    rows: list[tuple[str, str]] = [("İşyeri", insurer.name), ("Tutar", money(payment.amount)),
                                   ("Taksit", "Peşin" if payment.installment == 1 else f"{payment.installment} taksit")]
    if payment.card is not None:
        rows += [("Kart", f"{payment.card.masked} ({payment.card.brand})"), ("Kart sahibi", payment.card.holder)]
    rows.append(("Tarih", iso_turkey(agent.now())[:16].replace("T", " ")))
    return templates.render("pay.html", title=title, issuer=issuer, color=color, error=error, rows=rows,
                            card_form=payment.card is None, otp_code=PAYMENT_OTP_CODE, payment_id=payment.id)


def _done(payment: payments.Payment) -> Response:
    return RedirectResponse(payments.callback_location(payment), status_code=303,
                            headers={"Cache-Control": "no-store"})


def _html(body: str, status: int = 200) -> Response:
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store",
                                                           "Referrer-Policy": "no-referrer"})


async def _serve(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    ctx.bind(agent)
    payment = payments.get(agent, ctx.params["paymentId"])
    if not same_secret(ctx.q.key or "", payment.page_key):
        raise NotFound(f"Payment '{payment.id}' was not found (a page URL carries its key: use the redirectUrl "
                       "purchase/async answered).", codes=["PAYMENT_NOT_FOUND"])
    if payment.payment_type not in BRANDS or payment.callback_url is None:
        raise InputValidation("This payment has no page: it was a synchronous purchase.", codes=["PAYMENT_HAS_NO_PAGE"])
    form = await ctx.model(required=False) if ctx.request.method == "POST" else None
    if not payment.open:
        return _done(payment)  # a revisit (back button, refresh) lands on the result again
    action = form.action if form is not None else None
    if action == "cancel":
        payments.fail(agent, payment, "cancelled")
        return _done(payment)
    if action != "confirm":
        return _html(_page(payment, agent, None))
    if payment.card is None:  # insurer page: the card is checked here, and dropped here
        try:
            card = payments.parse_card(form, agent.today(), path="card")
        except InputValidation as exc:
            return _html(_page(payment, agent, "; ".join(f"{e.property_name.removeprefix('card.')}: {e.message}"
                                                         for e in exc.field_errors)), 422)
        payment.card, payment.outcome = card, card.outcome
    problem = payments.authenticate_code(agent, payment, form.code)
    if problem is not None:
        return _done(payment) if not payment.open else _html(_page(payment, agent, problem), 422)
    outcome = payment.outcome or "success"
    if outcome == "authentication_failed":
        payments.fail(agent, payment, "authentication_failed")
    else:
        payments.decide(agent, payment, outcome)
    return _done(payment)


routes("GET", PAGE, summary="Payment page (bank 3-D Secure, insurer or third party)", tag="pages", auth="public",
      api=False, query=w.PageKeyQuery, response=str, media="text/html", errors={"303": ("A finished payment: back to the callbackUrl", None, None)})(_serve)
routes("POST", PAGE, summary="Payment page: form posts (render, confirm with a code, cancel)", tag="pages",
      auth="public", api=False, request=w.PaymentPageForm, form=True, query=w.PageKeyQuery, response=str, media="text/html", errors={"303": ("The result: back to the callbackUrl with it appended", None, None), "422": ("The page again, with what was wrong", str, "text/html")})(_serve)
