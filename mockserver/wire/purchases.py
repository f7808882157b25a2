"""Buying a product: asynchronous (3-D Secure, insurer page) and synchronous payments, and what is kept of them."""


from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field

from mockserver.wire.base import Strict, Wire, one_of_required
from mockserver.wire.common import PaymentOption, Query


class PurchaseAsyncResponse(Strict):
    redirectUrl: str


class PurchaseSyncResponse(Strict):
    policyId: str
    policyNumber: str
    status: Literal["PURCHASED"]


class CardOut(Strict):
    """What is kept of a card: never its number, only the last four digits."""

    maskedNumber: str
    brand: str
    holderName: str | None
    expiry: str


class PaymentStep(Strict):
    at: str
    event: str
    detail: str | None


class PaymentOut(Strict):
    id: str
    paymentId: str
    agentId: str
    proposalId: str
    proposalProductId: str
    installmentNumber: int
    paymentType: PaymentOption
    type_: str = Field(alias="$type", description="The payment type in kebab case (3d-secure, …)")
    amount: float
    currency: str
    insuranceCompanyId: int
    state: Literal["AWAITING_AUTHENTICATION", "PROCESSING", "SUCCEEDED", "FAILED", "EXPIRED"]
    card: CardOut | None
    callbackUrl: str | None
    redirectUrl: str | None
    expectedOutcome: str = Field(description="What the card makes happen (a magic card's outcome, else success)")
    createdAt: str
    expiresAt: str | None
    completedAt: str | None
    failureCode: str | None
    failureReason: str | None
    policyId: str | None
    history: list[PaymentStep]


class PaymentCompleted(Strict):
    payment: PaymentOut
    callbackLocation: str | None = Field(description="Where a browser would land: callbackUrl with the result")


class CardIn(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("number", "cardNumber"), ("cvc", "cvv")))

    number: str | int | None = Field(None, description="12-19 digits passing Luhn; never stored (only first six / last four)")
    cardNumber: str | int | None = Field(None, description="Same as number")
    cvc: str | int | None = Field(None, description="3 digits (4 for AMEX); never stored")
    cvv: str | int | None = Field(None, description="Same as cvc")
    expiryMonth: str | int = Field(description="MM")
    expiryYear: str | int = Field(description="YYYY, or YY as real sites send it")
    holderName: str | None = None
    cardHolderName: str | None = Field(None, description="Same as holderName")
    identityNumber: str | int | None = None


class PurchaseAsyncRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("installmentNumber", "installment"),
                                                                ("callbackUrl", "callbackURL", "returnUrl")))

    type_: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"}, alias="$type", description="3d-secure, insurance-company-redirect, "
                                                               "third-party-3d-secure (the guides' spellings too)")
    type: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"}, description="Same as $type")
    paymentType: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"}, description="ASYNC_3D_SECURE, ASYNC_INSURANCE_COMPANY_REDIRECT, ...")
    paymentMethod: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"}, description="Same as paymentType")
    proposalId: str | None = Field(None, description="Must equal the path's, when given")
    proposalProductId: str | None = None
    installmentNumber: int | str | None = Field(None, description="1 = single payment (peşin); must be a plan the product offers")
    installment: int | str | None = Field(None, description="Same as installmentNumber")
    callbackUrl: str | None = Field(None, json_schema_extra={"x-error-code": "CALLBACK_URL_INVALID"}, description="Where the payment page sends the customer back, with the result appended")
    callbackURL: str | None = Field(None, json_schema_extra={"x-error-code": "CALLBACK_URL_INVALID"})
    returnUrl: str | None = Field(None, json_schema_extra={"x-error-code": "CALLBACK_URL_INVALID"})
    card: CardIn | None = Field(None, json_schema_extra={"x-error-code": "CARD_REQUIRED"}, description="Required for 3d-secure and third-party-3d-secure")
    identityNumber: str | int | None = Field(None, description="Card holder's identity number, when not the insured")
    metadata: dict[str, Any] | None = None


class PurchaseSyncRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("installmentNumber", "installment")))

    type_: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"}, alias="$type", description="credit-card or open-account")
    type: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"})
    paymentType: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"}, description="SYNC_CREDIT_CARD or SYNC_OPEN_ACCOUNT")
    paymentMethod: str | None = Field(None, json_schema_extra={"x-error-code": "PAYMENT_TYPE_UNKNOWN"})
    proposalId: str | None = None
    proposalProductId: str | None = None
    installmentNumber: int | str | None = None
    installment: int | str | None = None
    card: CardIn | None = Field(None, json_schema_extra={"x-error-code": "CARD_REQUIRED"}, description="Required for credit-card")
    identityNumber: str | int | None = None
    metadata: dict[str, Any] | None = None


PaymentOutcome = Literal["success", "declined", "insufficient_funds", "authentication_failed", "issuance_failed", "stuck"]
OUTCOME_ALIASES = {"succeeded": "success", "ok": "success", "approved": "success", "3ds_failed": "authentication_failed",
                   "3d_secure_failed": "authentication_failed", "failed": "declined", "timeout": "stuck"}


def _outcome(value: Any) -> Any:
    """Any case, with - or _, and the common other words (ok, failed, timeout …)."""
    if isinstance(value, str):
        key = value.strip().lower().replace("-", "_")
        return OUTCOME_ALIASES.get(key, key)
    return value


class PaymentCompleteRequest(Wire):
    outcome: Annotated[PaymentOutcome, BeforeValidator(_outcome)] | None = Field(
        None, json_schema_extra={"x-error-code": "PAYMENT_OUTCOME_UNKNOWN"},
        description="Default: what the card asks for (magic cards), else success; any case, and ok, failed, timeout …")


class PaymentPageForm(Wire):
    """What a payment page's form posts (``application/x-www-form-urlencoded``)."""

    action: Literal["confirm", "cancel"] | None = Field(None, description="Absent: render the page")
    code: str | None = Field(None, description="The one-time code (123456 in the sandbox)")
    holderName: str | None = None
    cardHolderName: str | None = None
    number: str | None = None
    cardNumber: str | None = None
    expiryMonth: str | None = None
    expiryYear: str | None = None
    cvc: str | None = None
    cvv: str | None = None
    identityNumber: str | None = None


class PageKeyQuery(Query):
    key: str | None = Field(None, description="The page URL's key (part of the redirectUrl)")
