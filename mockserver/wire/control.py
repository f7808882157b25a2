"""The control plane (``/__sandbox``): agents and their fixtures, clocks, journals, events, outboxes, snapshots, magic values and certification sessions."""


from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from mockserver.wire.base import Strict, Wire
from mockserver.wire.auth import EcJwk
from mockserver.wire.catalog import CredentialValues
from mockserver.wire.common import Instant, Query, NameText
from mockserver.wire.events import WebhookPayload


class MagicValue(Strict):
    value: str
    field: str
    outcome: str


class SnapshotCounts(Strict):
    customers: int
    vehicles: int
    properties: int
    cases: int
    proposals: int
    payments: int
    policies: int


class ShippedSnapshot(Strict):
    name: str
    description: str | None
    counts: SnapshotCounts | None
    clock: str | None


class ConnectionFixture(Wire):
    """One insurer connection of an agent fixture: the POST agents/me/insurance-companies body."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    insuranceCompanyId: int | str
    branches: list[str] | None = Field(None, description="default: every branch the insurer offers")
    connection: CredentialValues | None = Field(None, description="credential field key -> value (default: valid "
                                                                  "sample values)")



class FixtureUser(Wire):
    """The agent's first agent user (default: made up, shown in the answer)."""
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    email: NameText | None = None
    password: NameText | None = None
    twoFactor: bool = False


class FixtureServiceAccount(Wire):
    """The agent's service account (default: made up, shown in the answer)."""
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    clientId: NameText | None = None
    clientSecret: NameText | None = None


class AgentFixtureRequest(Wire):
    """An agent: the POST /__sandbox/agents body, and the file ``serve --agent-fixture`` reads for the
    default agent."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    agentId: str | None = None
    seed: int | None = None
    name: str | None = None
    market: Literal["TR", "PL"] | None = None
    agentUser: FixtureUser | None = None
    serviceAccount: FixtureServiceAccount | None = None
    connectAllInsurers: bool = True
    coverageGroups: list[dict[str, Any]] | None = Field(
        None, description="[{id, productBranch, name?, coverage?}]: coverage groups with the ids an app is configured with")
    webhookDelivery: Literal["auto", "manual"] = Field(
        "auto", description="auto: deliveries are sent in the background as they fall due; manual: only when "
                            "POST /__sandbox/agents/{agentId}/webhook-deliveries/flush asks (deterministic tests)")
    controlToken: str | None = Field(None, min_length=16, max_length=200,
                                     description="the agent's control token (default: random)")
    connections: list[ConnectionFixture] | None = Field(
        None, description="insurer connections with their credentials, checked as agents/me/insurance-companies "
                          "checks them; added to (or replacing) those of connectAllInsurers")
    customerMfa: Literal["sms", "own-provider"] = Field(
        "sms", description="sms: login-or-register sends InsurUp's SMS code and answers a login token for "
                           "verify-mfa; own-provider: the guide's 'use your own SMS provider', login-or-register "
                           "answers the access and refresh tokens at once")
    paymentTypes: Literal["as-sent", "documented"] = Field(
        "as-sent", description="as-sent: a purchase may use any payment type of its endpoint (InsurUp's own site "
                               "sends 3d-secure to every insurer), with X-Sandbox-Warning naming what the "
                               "documented table would refuse; documented: the table's refusals (422 "
                               "PAYMENT_TYPE_NOT_SUPPORTED)")
    snapshot: dict[str, Any] | str | None = Field(
        None, description="start from a snapshot: the object GET /__sandbox/agents/{agentId}/snapshot answers, or "
                          "the name of a shipped one (GET /__sandbox/snapshots lists them); the new agent keeps its own "
                          "id and credentials and goes on from the snapshot's clock")

    @classmethod
    def parse(cls, body: dict[str, Any]) -> dict[str, Any]:
        """A fixture from a file or a body (the CLI's --fixture, serve --agent-fixture): its fields as
        ``AgentFixture`` takes them, or 422 naming each field that is wrong."""
        from pydantic import ValidationError

        from mockserver.wire.parse import invalid

        try:
            return cls.model_validate(body).fields()
        except ValidationError as exc:
            raise invalid(cls, exc, "agent fixture") from None

    def fields(self) -> dict[str, Any]:
        """What ``AgentFixture`` is made of."""
        user, sa = self.agentUser or FixtureUser(), self.serviceAccount or FixtureServiceAccount()
        return {"agent_id": self.agentId, "seed": self.seed, "name": self.name, "market": self.market,
                "agent_user_email": user.email, "agent_user_password": user.password,
                "agent_user_two_factor": user.twoFactor, "client_id": sa.clientId, "client_secret": sa.clientSecret,
                "connect_all_insurers": self.connectAllInsurers, "coverage_groups": self.coverageGroups or [],
                "webhook_delivery": self.webhookDelivery, "control_token": self.controlToken,
                "connections": [c.model_dump(exclude_none=True) for c in self.connections or []],
                "customer_mfa": self.customerMfa, "payment_types": self.paymentTypes}


class Credentials(Strict):
    clientId: str
    clientSecret: str


class UserCredentials(Strict):
    email: str
    password: str
    twoFactor: bool


class ClockOut(Strict):
    now: str
    frozen: bool
    offsetSeconds: float


class AgentCreated(Strict):
    agentId: str
    name: str
    seed: int
    market: str
    serviceAccount: Credentials
    agentUser: UserCredentials
    controlToken: str = Field(description="send as X-Sandbox-Token on this agent's control calls when the control "
                                          "plane is closed")
    isDefault: bool
    clock: ClockOut
    webhookDelivery: Literal["auto", "manual"]
    customerMfa: Literal["sms", "own-provider"]
    paymentTypes: Literal["as-sent", "documented"]
    counts: dict[str, int]


def _scope_words(schema: dict[str, Any], field: str) -> None:
    """The documented words of a scope list (the API's value and the guide's words; other cases of
    them are taken too)."""
    from mockserver.certify.scope import VOCABULARY

    words = [w for value, spellings in VOCABULARY[field].items() for w in (value, *spellings)]
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "array":
            branch["items"] = {"type": "string", "enum": words}


class CertificationScope(Wire):
    """What the partner's integration implements; rules and modules outside it are SKIPPED. Each list
    takes the guide's words or the API's enum values (``mockserver/certify/scope.example.yaml``) and
    keeps the enum value; an unknown word is refused, naming its place."""

    model_config = ConfigDict(extra="forbid")

    branches: list[str] | None = Field(None, description="e.g. [kasko, traffic] or [KASKO, TRAFIK] (any case)",
                                       json_schema_extra=lambda s: _scope_words(s, "branches"))
    channels: list[str] | None = Field(None, description="website and/or mobile-app (WEBSITE, MOBILE_APP; any case)",
                                       json_schema_extra=lambda s: _scope_words(s, "channels"))
    paymentTypes: list[str] | None = Field(None, description="e.g. [3d-secure] or [ASYNC_3D_SECURE] (any case)",
                                           json_schema_extra=lambda s: _scope_words(s, "paymentTypes"))

    @field_validator("branches", "channels", "paymentTypes", mode="before")
    @classmethod
    def _words(cls, value: Any, info: ValidationInfo) -> Any:
        from mockserver.certify.scope import word

        if not isinstance(value, list):
            return value
        out = []
        for i, raw in enumerate(value):
            try:
                out.append(word(info.field_name, raw))
            except ValueError as exc:
                raise ValueError(f"[{i}]: {exc}") from None
        return list(dict.fromkeys(out))


class CertificationRequest(Wire):
    model_config = ConfigDict(extra="forbid")

    partner: Annotated[str, Field(min_length=1, max_length=120)]
    plan: Literal["web-sales"] = "web-sales"
    scope: CertificationScope | None = None
    coverageGroups: list[dict[str, Any]] | None = Field(None, description="[{id, productBranch, name?}]: the "
                                                                          "coverage group ids the partner's site sends")


class CertificationSteerRequest(Wire):
    """Adversarial moments: the next callbacks lie, or the agent's clock jumps (tokens expire)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    lyingCallbacks: Annotated[int, Field(ge=0, le=10)] | None = Field(
        None, description="the next N payment callbacks say success=true whatever the payment did")
    advanceSeconds: Annotated[float, Field(ge=0, le=86_400)] | None = None
    failingInsurers: list[int] | None = Field(None, description="insurer ids whose quotes fail on the first "
                                                                "attempt in the session's next proposals ([] stops it)")


class CertificationScopeOut(Strict):
    """A session's scope as kept: enum values only; an absent list means every value."""

    branches: list[str] | None = None
    channels: list[str] | None = None
    paymentTypes: list[str] | None = None


class ClockJump(Strict):
    from_: float = Field(alias="from", description="seconds from the session's start")
    to: float


class EvidenceRequest(Strict):
    id: str | None = None
    at: float | None
    method: str | None = None
    path: str | None = None
    status: int | None = None
    auth: str | None = None
    tokenExpiresAt: float | None = None
    body: Any = Field(description="The request body as recorded (pseudonymised): whatever the client sent")
    response: Any = Field(description="The answer's body as recorded (pseudonymised)")


class EvidenceEvent(Strict):
    sequence: int
    event: str
    at: float | None
    payload: WebhookPayload = Field(description="The webhook payload (pseudonymised), as GET "
                                                "/__sandbox/agents/{agentId}/events gives it")


class EvidencePayment(Strict):
    id: str
    proposalId: str
    proposalProductId: str
    type: str
    state: str
    completedAt: float | None
    lying: bool
    claimedPolicyId: str | None
    async_: bool = Field(alias="async")
    insurer: int
    branch: str | None


class CertificationModuleOut(Strict):
    id: str
    title: str
    how: str
    seen: bool
    evidence: list[str]


class CertificationStatus(Strict):
    sessionId: str
    agentId: str
    plan: str | None
    version: str | None
    partner: str | None
    scope: CertificationScopeOut
    modules: list[CertificationModuleOut]
    requests: int


class CertificationEvidence(Strict):
    """What ``certify report`` evaluates: the session's traffic, redacted and pseudonymised (oldest
    first; times in seconds from the session's start), signed by the sandbox."""

    plan: str
    version: str
    partner: str | None
    scope: CertificationScopeOut
    sessionId: str
    collectedAt: str = Field(description="when the evidence was taken (the certificate's issue date)")
    clockJumps: list[ClockJump] = Field(description="the control plane moved the session's clock")
    requests: list[EvidenceRequest]
    events: list[EvidenceEvent]
    payments: list[EvidencePayment]
    signature: str = Field(description="the sandbox's JWS (ES256, detached payload: the evidence's RFC 8785 JSON "
                                       "without this member); keys at /.well-known/sandbox-certification-keys.json")


class CertificationCreated(CertificationStatus):
    baseUrl: str
    serviceAccount: Credentials
    agentUser: UserCredentials
    controlToken: str


class ClockRequest(Wire):
    """One or more commands: set (or now), then freeze / unfreeze, then advance (or advanceSeconds)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    freeze: bool | None = None
    unfreeze: bool | None = None
    advance: Annotated[float, Field(ge=0, le=100 * 365 * 86400)] | None = Field(None, description="seconds to move forward")
    advanceSeconds: Annotated[float, Field(ge=0, le=100 * 365 * 86400)] | None = Field(None, description="Same as advance")
    set: Instant = Field(None, description="ISO-8601 instant such as 2026-01-01T09:00:00Z (UTC without an offset)")
    now: Instant = Field(None, description="Same as set")


class SnapshotQuery(Query):
    redact: bool = Field(False, description="mask identity numbers, phones, e-mails, birth dates and names")


class SmsQuery(Query):
    to: str | None = Field(None, description="A phone number (10 digits, +90 or 0 prefixes accepted)")


class EventsQuery(Query):
    since: Annotated[int, Field(ge=0)] | None = Field(None, description="Only events after this sequence number")
    event: str | None = Field(None, description="Only this event name")


class Health(Strict):
    """``starting`` from the moment the port listens while the app loads (requests sent meanwhile wait
    for it, mockserver.http.boot), then ``ok``; the agents are counted once it is ``ok``."""

    status: Literal["ok", "starting"]
    version: str
    agents: int | None
    defaultAgentId: str | None


class SmsOut(Strict):
    id: str
    to: str
    text: str
    code: str | None
    purpose: str
    sentAt: str


class JournalEntry(Strict):
    at: str
    traceId: str
    method: str
    path: str
    query: str | None
    status: int
    durationMs: float
    authorization: str | None = Field(description="The scheme only: 'Bearer ***'")
    requestBody: Any = Field(description="As received, card numbers masked, CVCs dropped, secrets redacted")
    responseBody: Any
    wall: float | None = Field(None, description="Wall-clock time (Unix seconds): orders entries across agents")
    agentId: str | None = Field(None, description="The agent that received it (the sandbox-wide journal only); "
                                                  "null: no agent claimed the request")
    tokenExpiresAt: str | None = Field(None, description="When the request's bearer token expires (or expired) on "
                                                         "the agent's clock; null without a token")


class EventOut(Strict):
    sequence: int
    event: str
    occurredAt: str
    payload: WebhookPayload = Field(description="The event's payload as webhooks send it (the webhook reference, "
                                                "§6.6, per event)")


class Settled(Strict):
    proposalId: str
    settledProducts: int
    state: str
    succeedProductsCount: int
    totalProductsCount: int


class OutboxMessage(Strict):
    id: str
    channel: Literal["email", "sms"]
    to: str
    subject: str
    documentUrl: str
    kind: str
    sentAt: str
    proposalId: str | None = Field(None, description="A proposal document's (and a policy's)")
    proposalProductId: str | None = Field(None, description="A product document's")
    policyId: str | None = Field(None, description="A policy document's")
    agentUserId: str | None = Field(None, description="An invitation's user")
    inviteCode: str | None = Field(None, description="An invitation's code (agent-users/activate takes it)")


class CertificationKeys(Strict):
    keys: list[EcJwk]
