"""Webhooks and their deliveries."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from mockserver.wire.base import Strict, Wire, one_of_required
from mockserver.wire.common import Query


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


class WebhookDeliveryOut(Strict):
    id: str
    webhookId: str
    webhookName: str
    event: str
    state: Literal["PENDING", "SUCCESS", "FAILED"]
    responseStatusCode: int | None
    createdAt: str
    completedAt: str | None
    retryCount: int
    nextAttemptAt: str | None = Field(description="When a pending delivery is tried again")
    attempts: list[DeliveryAttempt]
    payload: dict[str, Any] | None = Field(None, description="One delivery's: the body sent (the event's payload)")


class WebhookUpdateRequest(Wire):
    """``PUT``: absent fields are kept."""

    id: str | None = Field(None, description="Must equal the path's, when given")
    url: Annotated[str, Field(max_length=2000)] | None = None
    events: list[str] | None = Field(None, description="Event names of reference §6.5 (proposal_premium.purchased) or "
                                                       "the SDK's WebhookEvent (PROPOSAL_PREMIUM_PURCHASED)")
    secret: str | None = Field(None, description="Signs deliveries: x-webhook-signature = hex HMAC-SHA256")
    agentBranchIds: list[str] | None = None
    name: str | None = None


class WebhookRequest(WebhookUpdateRequest):
    model_config = ConfigDict(json_schema_extra=one_of_required(("url",), ("events",), x_error_code="WEBHOOK_INVALID"))


class DeliveriesQuery(Query):
    state: Literal["PENDING", "SUCCESS", "FAILED"] | None = None
    event: str | None = None


class Flushed(Strict):
    sent: list[WebhookDeliveryOut]
    pending: int
