"""Webhooks and their deliveries."""


from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from mockserver.wire.base import Strict, Wire, one_of_required
from mockserver.wire.common import HttpUrlText, Query
from mockserver.wire.events import WebhookPayload


class WebhookOut(Strict):
    id: str
    url: str
    name: str
    events: list[str]
    agentBranchIds: list[str]
    secret: str | None
    createdAt: str
    updatedAt: str
    deliveryCount: int | None = Field(None, description="The list's: deliveries made for the webhook")


class DeliveryAttempt(Strict):
    attempt: int
    at: str
    responseStatusCode: int | None
    durationMs: float
    error: str | None
    manual: bool = Field(description="A redelivery asked for by hand")


WebhookEvent = Literal[
    "PROPOSAL_PREMIUM_RECEIVED", "PROPOSAL_PREMIUM_PURCHASING", "PROPOSAL_PREMIUM_PURCHASED",
    "PROPOSAL_PREMIUM_PURCHASE_FAILED", "POLICY_CREATED", "POLICY_UPDATED", "CUSTOMER_CREATED", "CUSTOMER_UPDATED",
    "CUSTOMER_KVKK_CONSENT_GIVEN", "CUSTOMER_KVKK_CONSENT_REVOKED", "CUSTOMER_ETK_CONSENT_GIVEN",
    "CUSTOMER_ETK_CONSENT_REVOKED", "VEHICLE_CREATED", "VEHICLE_UPDATED", "PROPERTY_CREATED", "PROPERTY_UPDATED",
    "CASE_CREATED", "CASE_STATE_CHANGED"]  # the SDK's WebhookEvent


class WebhookDeliveryOut(Strict):
    """The SDK's ``GetWebhookDeliveryResult`` (its fields describe the latest attempt), with the outbox's
    own: its state, every attempt and, for one delivery, the body sent."""

    id: str
    webhookId: str
    webhookName: str
    webhookUrl: str
    event: WebhookEvent
    state: Literal["PENDING", "SUCCESS", "FAILED"]
    responseStatusCode: int | None
    createdAt: str
    completedAt: str | None
    retryCount: int
    nextAttemptAt: str | None = Field(description="When a pending delivery is tried again")
    deliveredAt: str | None = Field(description="When the latest attempt was made (null before the first)")
    responseBody: str | None = Field(description="The start of the receiver's answer to the latest attempt")
    durationMs: int = Field(description="The latest attempt's duration (0 before the first)")
    isSuccess: bool
    attempts: list[DeliveryAttempt]
    payload: WebhookPayload | None = Field(None, description="One delivery's: the body sent (the event's payload)")


# the reference's event names (§6.5); the SDK's WebhookEvent spells each in upper snake case
REFERENCE_EVENTS = (
    "proposal_premium.received", "proposal_premium.purchasing", "proposal_premium.purchased",
    "proposal_premium.purchase_failed", "policy.created", "policy.updated", "customer.created", "customer.updated",
    "customer.kvkk_consent_given", "customer.kvkk_consent_revoked", "customer.etk_consent_given",
    "customer.etk_consent_revoked", "vehicle.created", "vehicle.updated", "property.created", "property.updated",
    "case.created", "case.state_changed")
EventName = Literal[REFERENCE_EVENTS + tuple(WebhookEvent.__args__)]  # type: ignore[valid-type,attr-defined]
MAX_SECRET = 256


class WebhookUpdateRequest(Wire):
    """``PUT``: absent fields are kept."""

    model_config = ConfigDict(json_schema_extra=one_of_required(x_error_code="WEBHOOK_INVALID"))

    id: str | None = Field(None, description="Must equal the path's, when given")
    url: HttpUrlText | None = None
    events: Annotated[list[EventName], Field(min_length=1, max_length=50)] | None = Field(
        None, description="Event names of reference §6.5 (proposal_premium.purchased) or the SDK's WebhookEvent "
                          "(PROPOSAL_PREMIUM_PURCHASED), all in one spelling")
    secret: Annotated[str, Field(max_length=MAX_SECRET)] | None = Field(
        None, description="Signs deliveries: x-webhook-signature = hex HMAC-SHA256; null: unsigned")
    agentBranchIds: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=100)] | None = None
    name: Annotated[str, Field(max_length=200)] | None = None


class WebhookRequest(WebhookUpdateRequest):
    model_config = ConfigDict(json_schema_extra=one_of_required(("url",), ("events",), x_error_code="WEBHOOK_INVALID"))


class DeliveriesQuery(Query):
    state: Literal["PENDING", "SUCCESS", "FAILED"] | None = None
    event: str | None = Field(None, description="POLICY_CREATED (the SDK's) or policy.created (the reference's)")


class Flushed(Strict):
    sent: list[WebhookDeliveryOut]
    pending: int
