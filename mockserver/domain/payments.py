"""Purchases: the five payment types of InsurUp, card checks as a bank makes them, and the payment
sessions behind the sandbox's 3-D Secure, insurer and third-party pages.

Card data never outlives the request that carries it: ``parse_card`` keeps a masked number
(first six, last four), the brand, the holder and the expiry, and the outcome a magic card asks
for. The number and the CVC are dropped there and then.

Lifecycle (transition table; the product's ``purchase_state`` mirrors the payment)::

    async:  (purchase/async) AWAITING_AUTHENTICATION --(page or complete)--> SUCCEEDED | FAILED
                                                     --(clock passes expiresAt)--> EXPIRED
            SUCCEEDED via a "stuck" card: PROCESSING --(clock passes the insurer timeout)--> FAILED
    sync:   (purchase/sync) SUCCEEDED | FAILED at once, or PROCESSING (stuck) as above
    product: ACTIVE -> PURCHASING -> PURCHASED, or back to ACTIVE when the payment fails
"""

from __future__ import annotations

import secrets

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from mockserver.core.clock import iso
from mockserver.core.errors import (
    AccessDenied,
    BusinessValidation,
    FieldError,
    InputValidation,
    listing,
    InvalidState,
    NotFound,
    SandboxError,
    Upstream,
    field_error,
    same_as_path,
)
from mockserver.core.redact import luhn_ok, mask_pan
from mockserver.domain.catalog import catalog
from mockserver.magic import CARD_OUTCOMES, PAYMENT_OTP_CODE
from mockserver.validators.common import is_url, isdigits
from mockserver.validators.turkish import is_tckn, is_vkn, is_ykn
from mockserver.wire.purchases import CardOut, PaymentOut
from mockserver.wire.events import ProposalPremiumPurchaseFailed, ProposalPremiumPurchasing
from mockserver.wire.render import Const, From, renderer

if TYPE_CHECKING:
    from mockserver.domain.proposals import Proposal, ProposalProduct
    from mockserver.domain.tenant import Agent
    from mockserver.security.tokens import Principal
    from mockserver.wire.purchases import CardIn, PaymentPageForm, PurchaseAsyncRequest, PurchaseSyncRequest

ASYNC = ("ASYNC_3D_SECURE", "ASYNC_INSURANCE_COMPANY_REDIRECT", "ASYNC_THIRD_PARTY_3D_SECURE")
SYNC = ("SYNC_CREDIT_CARD", "SYNC_OPEN_ACCOUNT")
CARD_TYPES = ("ASYNC_3D_SECURE", "ASYNC_THIRD_PARTY_3D_SECURE", "SYNC_CREDIT_CARD")
KEBAB = {"ASYNC_3D_SECURE": "3d-secure", "ASYNC_INSURANCE_COMPANY_REDIRECT": "insurance-company-redirect",
         "ASYNC_THIRD_PARTY_3D_SECURE": "third-party-3d-secure", "SYNC_CREDIT_CARD": "credit-card",
         "SYNC_OPEN_ACCOUNT": "open-account"}
# every spelling the sources use, folded (lower case, no separators): the docs' $type values, the
# PaymentOption enum, the TSS guide's 3DSecure/InsuranceCompanyRedirect and the B2B guide's names
_SPELLINGS = {
    "3dsecure": "ASYNC_3D_SECURE", "async3dsecure": "ASYNC_3D_SECURE",
    "insurancecompanyredirect": "ASYNC_INSURANCE_COMPANY_REDIRECT",
    "asyncinsurancecompanyredirect": "ASYNC_INSURANCE_COMPANY_REDIRECT",
    "thirdparty3dsecure": "ASYNC_THIRD_PARTY_3D_SECURE", "asyncthirdparty3dsecure": "ASYNC_THIRD_PARTY_3D_SECURE",
    "creditcard": "SYNC_CREDIT_CARD", "synccreditcard": "SYNC_CREDIT_CARD",
    "openaccount": "SYNC_OPEN_ACCOUNT", "syncopenaccount": "SYNC_OPEN_ACCOUNT",
    # the real site's legacy paymentMethod names the third-party provider (the guide's Papara, QPay, Paratika)
    "paratika3dsecure": "ASYNC_THIRD_PARTY_3D_SECURE", "papara3dsecure": "ASYNC_THIRD_PARTY_3D_SECURE",
    "qpay3dsecure": "ASYNC_THIRD_PARTY_3D_SECURE",
}
PAGE_TIMEOUT = 15 * 60  # an unfinished payment page expires after 15 minutes of the agent's clock
INSURER_TIMEOUT = 10 * 60  # a "stuck" insurer gives up after 10 minutes
MAX_CODE_ATTEMPTS = 3
FAILURES = {
    "declined": ("PAYMENT_DECLINED", "Kart işlemi banka tarafından reddedildi."),
    "insufficient_funds": ("PAYMENT_INSUFFICIENT_FUNDS", "Kartın limiti yetersiz."),
    "authentication_failed": ("PAYMENT_AUTHENTICATION_FAILED", "3-D Secure doğrulaması başarısız oldu."),
    "issuance_failed": ("POLICY_ISSUANCE_FAILED", "Ödeme alındı ancak {insurer} poliçeyi tanzim edemedi; "
                                                  "tahsilat iade edilecek."),
    "stuck": ("PURCHASE_TIMEOUT", "{insurer} poliçe tanzim yanıtını zamanında vermedi (zaman aşımı)."),
    "expired": ("PAYMENT_EXPIRED", "Ödeme sayfasında işlem zamanında tamamlanmadı (zaman aşımı)."),
    "cancelled": ("PAYMENT_CANCELLED", "Ödeme kullanıcı tarafından iptal edildi."),
}
_BRANDS = ((re.compile(r"^4"), "VISA"), (re.compile(r"^(5[1-5]|2[2-7])"), "MASTERCARD"),
           (re.compile(r"^3[47]"), "AMEX"), (re.compile(r"^9792"), "TROY"))


# --------------------------------------------------------------------------- cards
@dataclass(frozen=True, slots=True)
class CardSummary:
    """What may be kept of a card: never the number or the CVC."""

    masked: str
    brand: str
    holder: str
    expiry: str  # MM/YYYY
    identity_number: str | None
    outcome: str  # what this card makes happen (magic cards), "success" otherwise

    def wire(self) -> dict[str, Any]:
        return _render_card(self)


def _either(value: Any, other: Any) -> Any:
    """A field sent under either of its names (the first when both are)."""
    return value if value is not None else other


def _text(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        return ""
    return str(raw).strip()


def parse_card(card: "CardIn | PaymentPageForm | None", today: date, identity: Any = None,
               path: str = "card") -> CardSummary:
    """Check a card (as its model parsed it: a purchase's ``card`` or the payment page's form) as a
    bank would (Luhn, expiry on the agent's clock, CVC) and keep only its safe parts. Errors name
    the field and never echo the number or the CVC."""
    if card is None:
        raise field_error(path, "is required for this payment type: {number, cvc, expiryMonth, expiryYear, holderName}",
                          None, code="CARD_REQUIRED")
    errors: list[FieldError] = []
    number = re.sub(r"[ -]", "", _text(_either(card.number, card.cardNumber)) or "")
    masked = mask_pan(number) if isdigits(number) and len(number) >= 12 else None
    if not number:
        errors.append(FieldError(f"{path}.number", "is required", None))
    elif not isdigits(number) or not 12 <= len(number) <= 19:
        errors.append(FieldError(f"{path}.number", "must be 12-19 digits", masked))
    elif not luhn_ok(number):
        errors.append(FieldError(f"{path}.number", "is not a valid card number (Luhn check failed)", masked))
    brand = next((name for pattern, name in _BRANDS if pattern.match(number)), "UNKNOWN")
    cvc = _text(_either(card.cvc, card.cvv)) or ""
    if not cvc:
        errors.append(FieldError(f"{path}.cvc", "is required", None))
    else:
        # the brand decides the length only once the number is known to be good
        lengths = ((4,) if brand == "AMEX" else (3,)) if not any(e.property_name.endswith(".number")
                                                                 for e in errors) else (3, 4)
        if not isdigits(cvc) or len(cvc) not in lengths:
            errors.append(FieldError(f"{path}.cvc", f"must be {' or '.join(map(str, lengths))} digits", None))
    month_raw, year_raw = _text(card.expiryMonth), _text(card.expiryYear)
    month = int(month_raw) if month_raw and isdigits(month_raw) else None
    year = int(year_raw) if year_raw and isdigits(year_raw) and len(year_raw) in (2, 4) else None
    if year is not None and year < 100:
        year += 2000  # real sites send the two digits as typed ("28")
    if month is None or not 1 <= month <= 12:
        errors.append(FieldError(f"{path}.expiryMonth", "must be a month 01-12", month_raw))
    if year is None:
        errors.append(FieldError(f"{path}.expiryYear", "must be a year as YYYY or YY", year_raw))
    elif year > today.year + 20:
        errors.append(FieldError(f"{path}.expiryYear", "is too far in the future", year_raw))
    if month is not None and year is not None and 1 <= month <= 12 and (year, month) < (today.year, today.month):
        errors.append(FieldError(f"{path}.expiryYear", f"the card expired at the end of {month:02d}/{year} "
                                 f"(today is {today.isoformat()} on the agent's clock)", year_raw))
    holder = _text(_either(card.holderName, card.cardHolderName)) or ""
    if not holder:
        errors.append(FieldError(f"{path}.holderName", "is required", None))
    elif len(holder) > 100:
        errors.append(FieldError(f"{path}.holderName", "must be at most 100 characters", None))
    ident = _text(_either(card.identityNumber, identity))
    if ident and not (is_tckn(ident) or is_ykn(ident) or is_vkn(ident)):
        errors.append(FieldError(f"{path}.identityNumber" if card.identityNumber else "identityNumber",
                                 "must be a valid TCKN, YKN (11 digits) or VKN (10 digits)", ident))
    if errors:
        codes = sorted({"CARD_EXPIRED" if "expired" in e.message else
                        "CARD_NUMBER_INVALID" if e.property_name.endswith(".number") else
                        "CARD_CVC_INVALID" if e.property_name.endswith(".cvc") else "CARD_INVALID" for e in errors})
        raise InputValidation("The card was refused: " + listing(errors) + ".",
                              codes=codes, field_errors=errors)
    return CardSummary(masked=mask_pan(number), brand=brand, holder=holder, expiry=f"{month:02d}/{year}",
                       identity_number=ident or None, outcome=CARD_OUTCOMES.get(number, "success"))


# --------------------------------------------------------------------------- state
@dataclass(slots=True)
class Payment:
    id: str
    proposal_id: str
    proposal_product_id: str
    installment: int
    payment_type: str  # PaymentOption
    amount: float
    currency: str
    insurer_id: int
    card: CardSummary | None
    callback_url: str | None
    outcome: str | None  # what the card asks for; None: decided on the insurer's page
    created_at: float
    expires_at: float
    created_by: dict[str, Any] | None
    base_url: str  # where the purchase was made: links in the policy point there
    metadata: dict[str, Any] | None = None
    state: str = "AWAITING_AUTHENTICATION"
    code_attempts: int = 0
    completed_at: float | None = None
    failure_code: str | None = None
    failure_reason: str | None = None
    policy_id: str | None = None
    notes: list[str] = field(default_factory=list)  # what was accepted against the documentation
    lying: bool = False  # certification: the callback will claim success whatever happens
    claimed_policy_id: str | None = None  # ...naming this policy, which does not exist
    history: list[dict[str, Any]] = field(default_factory=list)
    # the page URL's key: payment ids are seeded, so only this unguessable key opens the page
    page_key: str = field(default_factory=lambda: secrets.token_urlsafe(16))

    @property
    def open(self) -> bool:
        return self.state == "AWAITING_AUTHENTICATION"

    def wire(self, agent_id: str, base_url: str) -> dict[str, Any]:
        """``PaymentOut``: the control plane's view of the payment and its history."""
        return _render_payment(self, (agent_id, base_url))


def page_url(base_url: str, agent_id: str, payment: Payment) -> str:
    return f"{base_url}/__sandbox/pay/{agent_id}/{payment.id}?key={payment.page_key}"


_render_card = renderer(CardOut, CardSummary, maskedNumber="masked", holderName="holder")
_render_payment = renderer(  # ctx: (agent id, base URL)
    PaymentOut, Payment,
    paymentId="id", agentId=lambda p, ctx: ctx[0], installmentNumber="installment",
    type_=From("payment_type", convert=KEBAB.__getitem__), insuranceCompanyId="insurer_id",
    card=From(model=_render_card),
    redirectUrl=lambda p, ctx: page_url(ctx[1], ctx[0], p) if p.payment_type in ASYNC else None,
    expectedOutcome="outcome", createdAt=From(convert=iso), expiresAt=From(convert=iso),
    completedAt=From(convert=iso),
)


def get(agent: "Agent", payment_id: str) -> Payment:
    found = agent.payments.get(payment_id)
    if found is None:
        raise NotFound(f"Payment '{payment_id}' was not found for agent '{agent.id}'.", codes=["PAYMENT_NOT_FOUND"])
    return found


# --------------------------------------------------------------------------- starting a purchase
def payment_type(req: "PurchaseAsyncRequest | PurchaseSyncRequest", *, sync: bool, has_card: bool,
                 supported: tuple[str, ...], notes: list[str] | None = None) -> str:
    """The PaymentOption a body asks for, from ``$type``, ``type`` or ``paymentType`` in any spelling
    the sources use; when they disagree the first of them wins (``$type``: the real site sends
    ``$type: 3d-secure`` with ``paymentMethod: PARATIKA_3D_SECURE``) and ``notes`` says so. With
    none given: a card means 3-D Secure (or credit card on the sync path), no card means the
    insurer's page (or open account)."""
    found: list[tuple[str, str]] = []
    for key, attr in (("$type", "type_"), ("type", "type"), ("paymentType", "paymentType"),
                      ("paymentMethod", "paymentMethod")):
        raw = getattr(req, attr)
        if raw in (None, ""):
            continue
        folded = re.sub(r"[^a-z0-9]", "", str(raw).lower())
        value = _SPELLINGS.get(folded)
        if value is None and folded == "sync":  # the TSS guide's "Sync"
            value = "SYNC_CREDIT_CARD"
        if value is None and found and notes is not None:  # an earlier field decides: this one is ignored
            notes.append(f"{key} {str(raw)[:40]!r} is not a payment type; {found[0][0]} decides")
            continue
        if value is None:
            raise field_error(key, f"is not a payment type; use one of {', '.join(KEBAB.values())} "
                                   f"(or {', '.join(ASYNC + SYNC)})", raw, code="PAYMENT_TYPE_UNKNOWN")
        found.append((key, value))
    if len({v for _, v in found}) > 1 and notes is not None:
        (k1, v1), (k2, v2) = found[0], next(f for f in found if f[1] != found[0][1])
        notes.append(f"{k2} says {v2} but {k1} says {v1}; {k1} wins")
    if found:
        return found[0][1]
    if sync:
        return "SYNC_CREDIT_CARD" if has_card else "SYNC_OPEN_ACCOUNT"
    if has_card:
        return "ASYNC_3D_SECURE" if "ASYNC_3D_SECURE" in supported else "ASYNC_THIRD_PARTY_3D_SECURE"
    return "ASYNC_INSURANCE_COMPANY_REDIRECT"


def _installment(req: "PurchaseAsyncRequest | PurchaseSyncRequest") -> int:
    raw = _either(req.installmentNumber, req.installment)
    if raw is None or raw == "":
        raise field_error("installmentNumber", "is required (1 = single payment)", None)
    if isinstance(raw, bool) or not (isinstance(raw, int) or (isinstance(raw, str) and isdigits(raw.strip()))):
        raise field_error("installmentNumber", "must be a whole number (1 = single payment)", raw)
    value = int(raw)
    if value < 1:
        raise field_error("installmentNumber", "must be 1 or more", raw)
    return value


def _reject(status_cls: type[SandboxError], code: str, detail: str, path: str | None = None, value: Any = None,
            suggestions: list[str] | None = None) -> SandboxError:
    return status_cls(detail, codes=[code], suggestions=suggestions or (),
                      field_errors=[FieldError(path, detail, value)] if path else ())


def check(agent: "Agent", p: "Proposal", pp: "ProposalProduct", req: "PurchaseAsyncRequest | PurchaseSyncRequest", *, sync: bool,
          principal: "Principal", notes: list[str]) -> tuple[str, int, dict[str, Any]]:
    """Every rule a purchase must pass, in the order a client can fix them. Returns the payment
    type, the installment number and the chosen premium plan; ``notes`` gets what the sandbox
    accepted that the documentation would have refused."""
    from mockserver.security.tokens import CUSTOMER

    for key, expected in (("proposalId", p.id), ("proposalProductId", pp.id)):
        same_as_path(getattr(req, key), key, expected, code="PURCHASE_ID_MISMATCH")
    insurer = catalog().by_id[pp.product.insurer_id]
    has_card = req.card is not None
    ptype = payment_type(req, sync=sync, has_card=has_card, supported=insurer.payment_options, notes=notes)
    installment = _installment(req)
    if sync and ptype in ASYNC:
        raise _reject(BusinessValidation, "PAYMENT_TYPE_NEEDS_ASYNC",
                      f"{KEBAB[ptype]} is an asynchronous payment; call purchase/async, not purchase/sync.", "$type",
                      KEBAB[ptype])
    if not sync and ptype in SYNC:
        raise _reject(BusinessValidation, "PAYMENT_TYPE_NEEDS_SYNC",
                      f"{KEBAB[ptype]} is a synchronous payment; call purchase/sync, not purchase/async.", "$type",
                      KEBAB[ptype])
    if sync and principal.kind == CUSTOMER:
        raise AccessDenied("Synchronous purchases (credit-card, open-account) are for B2B integrations with an agent "
                           "token; web sales sites must use purchase/async.", codes=["PURCHASE_SYNC_NOT_ALLOWED"],
                           suggestions=["Use purchase/async with 3d-secure, insurance-company-redirect or "
                                        "third-party-3d-secure."])
    # the proposal and the product
    others = [x for x in p.products if x is not pp and x.purchase_state is not None]
    state = pp.state(agent.now())
    if state == "PURCHASED":
        raise InvalidState(f"Product '{pp.id}' is already PURCHASED (policy {pp.policy_id}).",
                           codes=["PROPOSAL_PRODUCT_ALREADY_PURCHASED"])
    if state == "PURCHASING":
        raise InvalidState(f"Product '{pp.id}' is being purchased (PURCHASING); wait for the result before trying "
                           "again.", codes=["PROPOSAL_PRODUCT_PURCHASE_IN_PROGRESS"],
                           suggestions=["Read GET proposals/{proposalId}/products/{proposalProductId} until it is "
                                        "PURCHASED or back to ACTIVE."])
    if others:
        raise InvalidState(f"Proposal '{p.id}' already has a product {others[0].purchase_state} "
                           f"('{others[0].id}'); a proposal yields one policy.",
                           codes=["PROPOSAL_ALREADY_PURCHASED"])
    if pp.robot:
        raise _reject(BusinessValidation, "PURCHASE_ROBOT_PRODUCT",
                      f"{pp.product.name} was quoted by a robot (RPA); robot products cannot be bought through the "
                      "API, only web-service products.", None,
                      suggestions=["Choose a product whose productType is WEB_SERVICE."])
    if state != "ACTIVE":
        raise _reject(BusinessValidation, "PROPOSAL_PRODUCT_NOT_ACTIVE",
                      f"Product '{pp.id}' is {state}; only a quoted (ACTIVE) product can be bought.", None,
                      suggestions=["Poll GET proposals/{id} until the product is ACTIVE."])
    if ptype not in insurer.payment_options and agent.fixture.payment_types != "documented":
        # InsurUp's own site sends 3d-secure to insurers the payment table lists without it: the
        # sandbox takes what real clients send and says what the table would have refused
        notes.append(f"the documented payment table lists {', '.join(insurer.payment_options) or 'nothing'} for "
                     f"{insurer.name}, not {ptype}; accepted as InsurUp's own site sends it (agent fixture "
                     f"paymentTypes: documented refuses it)")
    elif ptype not in insurer.payment_options:
        usable = [KEBAB[o] for o in insurer.payment_options if (o in SYNC) == sync]
        raise _reject(BusinessValidation, "PAYMENT_TYPE_NOT_SUPPORTED",
                      f"{insurer.name} does not support {KEBAB[ptype]} ({ptype}); it supports "
                      f"{', '.join(insurer.payment_options) or 'no payment type'}.", "$type", KEBAB[ptype],
                      suggestions=[f"Use {' or '.join(usable)} on purchase/{'sync' if sync else 'async'}."] if usable
                      else [f"{insurer.name} cannot be sold through purchase/{'sync' if sync else 'async'}."])
    premium = pp.premium(installment)
    if premium is None:
        offered = ", ".join(str(x["installmentNumber"]) for x in pp.premiums)
        raise _reject(BusinessValidation, "PURCHASE_INSTALLMENT_NOT_OFFERED",
                      f"{pp.product.name} offers no plan with {installment} installments; offered: {offered}.",
                      "installmentNumber", installment)
    return ptype, installment, premium


def _callback(req: "PurchaseAsyncRequest") -> str:
    raw = _either(req.callbackUrl, _either(req.callbackURL, req.returnUrl))
    if raw in (None, ""):
        raise field_error("callbackUrl", "is required for an asynchronous purchase: the payment page returns the "
                                         "customer there", None, code="CALLBACK_URL_REQUIRED")
    if not isinstance(raw, str) or not is_url(raw.strip()) or len(raw) > 2000:
        raise field_error("callbackUrl", "must be an absolute http(s) URL of at most 2000 characters",
                          raw if isinstance(raw, str) else None, code="CALLBACK_URL_INVALID")
    return raw.strip()


# ctx: the proposal product paid for
_PAYMENT_EVENT = dict(productId=lambda pay, pp: pp.product.id, installmentNumber="installment")
_purchasing_event = renderer(ProposalPremiumPurchasing, Payment, event=Const("proposal_premium.purchasing"),
                             **_PAYMENT_EVENT)
_failed_event = renderer(ProposalPremiumPurchaseFailed, Payment, event=Const("proposal_premium.purchase_failed"),
                         **_PAYMENT_EVENT)


def start(agent: "Agent", p: "Proposal", pp: "ProposalProduct", req: "PurchaseAsyncRequest | PurchaseSyncRequest", *, sync: bool,
          principal: "Principal", by: dict[str, Any] | None, base_url: str) -> Payment:
    """Validate a purchase and open its payment; the product becomes PURCHASING. A synchronous
    purchase is decided at once (see ``decide``)."""
    notes: list[str] = []
    ptype, installment, premium = check(agent, p, pp, req, sync=sync, principal=principal, notes=notes)
    card = None
    if ptype in CARD_TYPES:
        card = parse_card(req.card, agent.today(), req.identityNumber)
    callback = None if sync else _callback(req)
    now = agent.now()
    meta = req.metadata
    payment = Payment(id=agent.ids.object_id(now), proposal_id=p.id, proposal_product_id=pp.id,
                      installment=installment, payment_type=ptype, amount=premium["grossPremium"],
                      currency=premium["currency"], insurer_id=pp.product.insurer_id, card=card,
                      callback_url=callback, outcome=card.outcome if card else ("success" if sync else None),
                      created_at=now, expires_at=now + PAGE_TIMEOUT, created_by=by, base_url=base_url,
                      metadata=meta if isinstance(meta, dict) else None, notes=notes,
                      lying=agent.lying_callbacks > 0, page_key=agent.entropy.token_urlsafe(16))
    if payment.lying:
        agent.lying_callbacks -= 1
        payment.claimed_policy_id = agent.entropy.token_hex(12)  # a policy id a forged callback would name
    agent.payments.add(payment)
    pp.purchase_state, pp.purchase_failure = "PURCHASING", None
    _log(payment, now, "CREATED", None)
    agent.event(_purchasing_event(payment, pp))
    agent.notify(p, "ReceiveProposalProductPurchasing", _live(p, pp, payment))
    if not sync:
        agent.schedule(payment.expires_at, "payment.expire", payment.id)
    return payment


# --------------------------------------------------------------------------- finishing
def _log(payment: Payment, at: float, what: str, detail: str | None) -> None:
    payment.history.append({"at": iso(at), "event": what, "detail": detail})


def _live(p: "Proposal", pp: "ProposalProduct", payment: Payment, **extra: Any) -> dict[str, Any]:
    from mockserver.domain.proposals import live_payload

    return live_payload(p, pp, installmentNumber=payment.installment, paymentType=payment.payment_type, **extra)


def decide(agent: "Agent", payment: Payment, outcome: str) -> Payment:
    """Apply what the bank, the PSP or the insurer answered: issue the policy, or fail the purchase
    and give the product back (ACTIVE), or leave it PURCHASING until the insurer times out."""
    from mockserver.domain import policies, proposals

    if payment.state not in ("AWAITING_AUTHENTICATION",):
        raise InvalidState(f"Payment '{payment.id}' is already {payment.state}.", codes=["PAYMENT_ALREADY_COMPLETED"])
    p = proposals.get(agent, payment.proposal_id)
    pp = p.product(payment.proposal_product_id)
    now = agent.now()
    if outcome == "success":
        policy = policies.issue(agent, p, pp, payment)
        payment.state, payment.completed_at, payment.policy_id = "SUCCEEDED", now, policy.id
        _log(payment, now, "SUCCEEDED", policy.id)
        return payment
    if outcome == "stuck":
        payment.state = "PROCESSING"
        _log(payment, now, "PROCESSING", "the insurer has not answered")
        agent.schedule(now + INSURER_TIMEOUT, "payment.insurer-timeout", payment.id)
        return payment
    fail(agent, payment, outcome)
    return payment


def fail(agent: "Agent", payment: Payment, why: str, at: float | None = None) -> None:
    from mockserver.domain import proposals

    at = agent.now() if at is None else at
    p = proposals.get(agent, payment.proposal_id)
    pp = p.product(payment.proposal_product_id)
    code, reason = FAILURES[why]
    reason = reason.format(insurer=catalog().by_id[payment.insurer_id].name)
    payment.state = "EXPIRED" if why == "expired" else "FAILED"
    payment.completed_at, payment.failure_code, payment.failure_reason = at, code, reason
    _log(payment, at, payment.state, reason)
    pp.purchase_state = None  # back to ACTIVE: the customer may try again...
    pp.purchase_failure = reason  # ...and the product says why the last attempt failed
    agent.event(_failed_event(payment, pp), at=at)
    agent.notify(p, "ReceiveProposalProductPurchaseFailed",
                 _live(p, pp, payment, errorMessage=reason, failureReason=reason, failureCode=code))


def authenticate_code(agent: "Agent", payment: Payment, code: str | None) -> str | None:
    """Check the one-time code typed on a page; returns an error message to show, or None. Three
    wrong codes fail the payment."""
    if not payment.open:
        raise InvalidState(f"Payment '{payment.id}' is already {payment.state}.", codes=["PAYMENT_ALREADY_COMPLETED"])
    if (code or "").strip() == PAYMENT_OTP_CODE:
        return None
    payment.code_attempts += 1
    _log(payment, agent.now(), "WRONG_CODE", f"attempt {payment.code_attempts}")
    if payment.code_attempts >= MAX_CODE_ATTEMPTS:
        fail(agent, payment, "authentication_failed")
        return "Doğrulama kodu üç kez hatalı girildi."
    left = MAX_CODE_ATTEMPTS - payment.code_attempts
    return f"Doğrulama kodu hatalı. Kalan deneme: {left}."


def callback_location(payment: Payment) -> str:
    """The integrator's callbackUrl with the result appended (``&`` when it already has a query)."""
    assert payment.callback_url is not None
    params: dict[str, str] = {"success": "true" if payment.state == "SUCCEEDED" or payment.lying else "false",
                              "proposalId": payment.proposal_id, "proposalProductId": payment.proposal_product_id,
                              "paymentId": payment.id}
    if payment.lying and payment.state != "SUCCEEDED":
        # the adversarial callback of a certification: it says success and names a policy the API
        # never made; a site that shows that policy believed it
        params["policyId"] = payment.claimed_policy_id or ""
    elif payment.state == "SUCCEEDED":
        params["policyId"] = payment.policy_id or ""
    elif payment.state == "PROCESSING":
        params["status"] = "PURCHASING"
        params["error"] = "Ödeme alındı; poliçe sonucu sigorta şirketinden bekleniyor."
    else:
        params["error"] = payment.failure_reason or "Ödeme başarısız."
    parts = urlsplit(payment.callback_url)
    query = parts.query + ("&" if parts.query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def due_expiry(agent: "Agent", key: str, at: float) -> None:
    payment = agent.payments.get(key)
    if payment is not None and payment.open:
        fail(agent, payment, "expired", at)


def due_insurer_timeout(agent: "Agent", key: str, at: float) -> None:
    payment = agent.payments.get(key)
    if payment is not None and payment.state == "PROCESSING":
        fail(agent, payment, "stuck", at)




def sync_result(payment: Payment) -> None:
    """Raise the error a synchronous purchase answers when its payment did not succeed."""
    if payment.state == "SUCCEEDED":
        return
    if payment.state == "PROCESSING":
        raise Upstream("The insurer did not answer in time; the product stays PURCHASING until it does or the "
                       "purchase times out.", status=504, codes=["PURCHASE_PENDING"],
                       suggestions=["Read the product, or wait for proposal_premium.purchased / purchase_failed."])
    raise BusinessValidation(payment.failure_reason or "The payment failed.", codes=[payment.failure_code or "PAYMENT_FAILED"])


__all__ = ["Payment", "CardSummary", "parse_card", "start", "decide", "fail", "get", "check",
           "authenticate_code", "callback_location", "page_url", "sync_result", "ASYNC", "SYNC", "KEBAB"]
