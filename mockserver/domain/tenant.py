"""Tenant = agent. Each agent owns its clock, seeded random source, ids, data, credentials,
journal, SMS outbox and events; nothing is shared between agents, so parallel CI jobs never see
each other. ``Sandbox`` is the registry of agents for one server process.
"""

from __future__ import annotations

import dataclasses
import heapq
import random
import uuid
from collections.abc import Callable, Mapping
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from mockserver.core.clock import VirtualClock, turkish_day, wall
from mockserver.core.entropy import Entropy
from mockserver.core.errors import Duplicate, InputValidation, NotFound, TooManyRequests, field_error
from mockserver.core.ids import IdGenerator
from mockserver.core.settings import DOCUMENTED_CLIENT_SECRET, DOCUMENTED_PASSWORD, Settings
from mockserver.domain import records, references
from mockserver.domain.events import EventLog
from mockserver.domain.listindex import Indexes
from mockserver.domain.live import Hub
from mockserver.security import control_plane
from mockserver.security.tokens import TokenAuthority
from mockserver.validators.common import is_guid
from mockserver.wire.common import PhoneOut
from mockserver.wire.models import AgentFixtureRequest
from mockserver.wire.render import Fields, renderer


# --------------------------------------------------------------------------- entities
@dataclass(slots=True)
class Phone:
    number: str  # national significant number, e.g. 5321234567
    country_code: int = 90

    def wire(self) -> dict[str, Any]:
        """``PhoneOut``."""
        return render_phone(self)

    def split(self, _ctx: Any = None) -> tuple[str, str]:
        """The area code and the rest (a Turkish number's first three digits; none abroad)."""
        return (self.number[:3], self.number[3:]) if self.country_code == 90 else ("", self.number)

    def e164(self) -> str:
        return f"+{self.country_code}{self.number}"


render_phone = renderer(PhoneOut, Phone, Fields(("areaCode", "numberWithoutAreaCode"), Phone.split))


@dataclass(slots=True)
class Consent:
    consent_type: str  # KVKK | ETK
    active: bool
    channel: str
    changed_at: float


@dataclass(slots=True)
class HealthInfo:
    height: int | None = None
    weight: int | None = None
    surgeries: list[Any] = field(default_factory=list)
    diseases: list[Any] = field(default_factory=list)
    updated_at: float | None = None


@dataclass(slots=True)
class Customer:
    id: str
    type: str  # individual | company | foreign
    identity_number: str  # TCKN, YKN/passport, or VKN for companies
    created_at: float
    updated_at: float
    creation_channel: str
    created_by: dict[str, Any] | None = None
    full_name: str | None = None
    title: str | None = None
    birth_date: date | None = None
    gender: str | None = None
    marital_status: str | None = None
    education_status: str | None = None
    nationality: str | None = None
    job: str | None = None
    email: str | None = None
    phone: Phone | None = None
    city: str | None = None
    district: str | None = None
    agent_branch_id: str | None = None
    represented_by: Any = None
    consents: dict[str, Consent] = field(default_factory=dict)
    health: HealthInfo | None = None

    @property
    def display_name(self) -> str:
        """A company's title, a person's full name, else the identity number."""
        return (self.title if self.type == "company" else self.full_name) or self.identity_number


@dataclass(slots=True)
class Link:
    """One directed family link; every link has a mirror (SPOUSE<->SPOUSE, CHILD<->PARENT,
    SIBLING<->SIBLING)."""

    id: str
    customer_id: str
    related_id: str
    relation: str
    created_at: float


@dataclass(slots=True)
class Vehicle:
    id: str
    customer_id: str
    plate_city: int | None
    plate_code: str
    brand: str  # brand value
    model: str  # model value
    year: int
    utilization_style: str
    fuel_type: str
    custom_lpg: bool
    custom_lpg_price: float | None
    engine: str | None
    chassis: str | None
    document_serial: tuple[str, str] | None
    registration_date: date | None
    seat_number: int | None
    accessories: list[dict[str, Any]]
    loss_payee: dict[str, Any] | None
    kasko_old_policy: Any
    trafik_old_policy: Any
    created_at: float
    updated_at: float


@dataclass(slots=True)
class Property:
    id: str
    customer_id: str
    number: int  # UAVT
    dask_old_policy_number: str | None
    konut_old_policy_number: str | None
    square_meter: int | None
    construction_year: int | None
    floor: dict[str, Any] | None
    structure: str
    utilization_style: str
    damage_status: str
    ownership_type: str
    loss_payee: dict[str, Any] | None
    created_at: float
    updated_at: float


@dataclass(slots=True)
class OtpSession:
    token: str
    subject: str  # customer id or agent-user id
    kind: str
    phone: str
    code: str
    created_at: float
    expires_at: float
    attempts: int = 0
    dead: bool = False


@dataclass(slots=True)
class RefreshGrant:
    token: str
    kind: str
    subject: str
    expires_at: float
    used: bool = False
    client_id: str | None = None  # the OAuth client it was issued to ("Login with InsurUp")
    oidc_scope: str | None = None  # the scopes that login granted, kept by a refresh
    family: str | None = None  # the first grant of its rotation chain (a replay revokes the whole chain)
    access_id: str | None = None  # the access token issued beside it (revoked with the chain)


@dataclass(slots=True)
class AgentUser:
    id: str
    email: str
    password: str
    first_name: str
    last_name: str
    phone: str
    two_factor: bool = False
    active: bool = True
    role_id: str | None = "owner"  # mockserver.domain.roles: the agency's roles
    branch_ids: list[str] = field(default_factory=list)
    created_at: float = 0.0
    last_login_at: float | None = None


@dataclass(slots=True)
class ServiceAccount:
    id: str
    name: str
    client_id: str
    client_secret: str
    active: bool = True
    scopes: list[str] = field(default_factory=list)  # what it may ask for; empty: any
    created_at: float = 0.0
    # the SDK's OAuth client (CreateOAuthClientRequest): an agency's client may also be a "Login with
    # InsurUp" application (grant 0, its redirects in the sandbox's OIDC clients under the same client_id)
    application_id: str | None = None
    public: bool = False  # OAuthClientType 1
    native: bool = False  # OAuthApplicationType 1: a loopback redirect on any port
    grant_types: list[int] = field(default_factory=lambda: [1])  # 0 AuthorizationCode, 1 ClientCredentials, 2 RefreshToken
    redirect_uris: list[str] = field(default_factory=list)
    post_logout_redirect_uris: list[str] = field(default_factory=list)
    require_par: bool = False


@dataclass(slots=True)
class Connection:
    id: str
    insurance_company_id: int
    branches: list[str]
    fields: dict[str, str]
    created_at: float
    updated_at: float
    last_sync_at: float


@dataclass(slots=True)
class Sms:
    id: str
    to: str
    text: str
    code: str | None
    purpose: str
    sent_at: float


@dataclass
class AgentFixture:
    """What ``POST /__sandbox/agents`` accepts: a fixed id, a seed, a market, credentials."""

    agent_id: str | None = None
    seed: int | None = None
    name: str | None = None
    market: str | None = None
    agent_user_email: str | None = None
    agent_user_password: str | None = None
    agent_user_two_factor: bool = False
    client_id: str | None = None
    client_secret: str | None = None
    connect_all_insurers: bool = True
    coverage_groups: list[dict[str, Any]] = field(default_factory=list)
    webhook_delivery: str = "auto"  # auto | manual (only on flush)
    control_token: str | None = None
    connections: list[dict[str, Any]] = field(default_factory=list)  # agents/me/insurance-companies bodies
    customer_mfa: str = "sms"  # sms | own-provider (login-or-register answers tokens at once)
    payment_types: str = "as-sent"  # as-sent | documented (the payment table's refusals)


def load_fixture_file(path: str) -> dict[str, Any]:
    """An agent fixture file (YAML or JSON, the POST /__sandbox/agents body) as AgentFixture
    fields; errors name the file and the field."""
    import yaml

    try:
        body = yaml.safe_load(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise InputValidation(f"The agent fixture file {path} cannot be read: {exc.strerror}.",
                              codes=["AGENT_FIXTURE_UNREADABLE"]) from None
    except yaml.YAMLError as exc:
        raise InputValidation(f"The agent fixture file {path} is not YAML or JSON: {exc}",
                              codes=["AGENT_FIXTURE_UNREADABLE"]) from None
    if not isinstance(body, dict):
        raise InputValidation(f"The agent fixture file {path} must hold an object (the POST /__sandbox/agents "
                              "body).", codes=["AGENT_FIXTURE_UNREADABLE"])
    return AgentFixtureRequest.parse(body)


# --------------------------------------------------------------------------- the tenant
def _nothing(*_args: Any) -> None:
    return None


@dataclass(frozen=True, slots=True)
class World:
    """What the resource modules add to a bare agent and sandbox, given by the composition root
    (:mod:`mockserver.world`): this module knows none of them. ``seed`` gives a new (or reset) agent
    its starting records; ``heard`` is told of each event an agent records; ``due`` runs scheduled
    work by kind; ``search_fields`` are the customer fields whose words lists index;
    ``sandbox_seed`` fills a new sandbox's own records."""

    seed: Callable[["Agent"], None] = _nothing
    heard: Callable[["Agent", Any], None] = _nothing
    due: Mapping[str, Callable[["Agent", str, float], None]] = field(default_factory=dict)
    search_fields: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    sandbox_seed: Callable[["Sandbox"], None] = _nothing



class Agent:
    def __init__(self, sandbox: "Sandbox", agent_id: str, fixture: AgentFixture):
        self.sandbox = sandbox
        self.id = agent_id
        self.fixture = fixture
        self.seed = fixture.seed if fixture.seed is not None else sandbox.settings.seed
        self.market = (fixture.market or sandbox.settings.market).upper()
        self.name = fixture.name or f"Sandbox Acente {agent_id[:8].upper()}"
        self.generation = 0
        # secrets come from the OS, never from the (public) seed: the seed drives the simulation only
        self.agent_user_email = fixture.agent_user_email or f"agent-{agent_id[:8]}@sandbox.insurup.test"
        # the agent's own stream of unguessable values (mockserver.core.entropy): reproducible on replay
        # (a sandbox-level draw in its name: an agent deleted and made again with its id gets new secrets)
        self.entropy = sandbox.entropy.child(f"agent:{agent_id}:{sandbox.entropy.token_hex(8)}")
        self.agent_user_password = fixture.agent_user_password or f"pw-{self.entropy.token_urlsafe(12)}"
        self.client_id = fixture.client_id or f"sa-{agent_id[:8]}-{self.entropy.token_hex(4)}"
        self.client_secret = fixture.client_secret or self.entropy.token_hex(20)
        self.control_token = fixture.control_token or f"ctl_{self.entropy.token_urlsafe(24)}"
        self.lying_callbacks = 0  # certification: the next N payment callbacks claim success regardless
        self.failing_insurers: set[int] = set()  # certification: their quotes fail on the first attempt
        self.clock = VirtualClock()
        self._init_state()

    def _init_state(self) -> None:
        s = self.sandbox.settings
        self.rng = random.Random(f"{self.seed}:{self.id}:{self.generation}")
        self.ids = IdGenerator(self.rng)
        world = self.sandbox.world
        self.indexes = Indexes(dict(world.search_fields))  # what lists page through without reading every record
        self.customers: records.Records[Customer] = records.Records("customers", records.CUSTOMER, self.indexes)
        self.customer_index: dict[tuple[str, str], str] = {}
        self.links: dict[str, Link] = {}
        self.customer_emails: dict[str, list[str]] = {}  # customer id -> e-mails besides the primary
        self.customer_phones: dict[str, list[Phone]] = {}  # customer id -> phones besides the primary
        self.customer_addresses: dict[str, Any] = {}  # id -> contacts.CustomerAddress
        self.contact_flows: dict[str, Any] = {}  # id -> contacts.ContactFlow, oldest first
        self.contact_records: dict[str, Any] = {}  # id -> contacts.Contact (phone calls), oldest first
        self.vehicles: records.Records[Vehicle] = records.Records("vehicles", records.VEHICLE, self.indexes)
        self.properties: records.Records[Property] = records.Records("properties", records.PROPERTY, self.indexes)
        self.otp_sessions: dict[str, OtpSession] = {}
        self.refresh_grants: dict[str, RefreshGrant] = {}
        self.revoked_tokens: set[str] = set()  # access tokens revoked through /connect/revoke (their jti)
        self.connections: dict[str, Connection] = {}
        self.cases: records.Records[Any] = records.Records("cases", records.CASE, self.indexes)  # cases.Case
        self.case_refs: dict[str, str] = {}  # ref -> id
        self.case_seq = 0
        self.proposals: records.Records[Any] = records.Records("proposals", records.PROPOSAL, self.indexes)
        self.risks_quoted: dict[str, int] = {}  # risk key -> proposals made for it (seeds outcomes)
        self.policies: records.Records[Any] = records.Records("policies", records.POLICY, self.indexes)
        self.policy_transfers: records.Records[Any] = records.Records("policy_transfers", records.POLICY_TRANSFER)
        self.file_transfers: records.Records[Any] = records.Records("file_transfers", records.FILE_POLICY_TRANSFER)
        self.public_files: dict[str, tuple[str, str, bytes]] = {}  # id -> (name, type, bytes), oldest first
        self.plugins: records.Records[Any] = records.Records("plugins", records.PLUGIN)
        self.templates: dict[tuple[str, int], Any] = {}  # (key, languageId) -> templates.Custom
        self.b2c_fields: list[dict[str, Any]] = []  # b2c/config/fields: the site settings form
        self.agency: Any = None  # agency.Settings (seeded): GET|PUT agents/me, case assignment, priority rules
        self.contact_forms: deque[dict[str, Any]] = deque(maxlen=s.sms_outbox_size)  # the site's contact form
        self.payments: records.Records[Any] = records.Records("payments", records.PAYMENT)
        self.webhooks: records.Records[Any] = records.Records("webhooks", records.WEBHOOK)
        # oldest first (the outbox)
        self.deliveries: records.Records[Any] = records.Records("deliveries", records.DELIVERY)
        self.coverage_groups: records.Records[Any] = records.Records("coverage_groups", records.COVERAGE_GROUP)
        self.outbox: deque[dict[str, Any]] = deque(maxlen=s.sms_outbox_size)  # documents sent by email or SMS
        self._due: list[tuple[float, int, str, str]] = []  # (due, seq, kind, key) min-heap
        self._due_seq = 0
        self.sms: deque[Sms] = deque(maxlen=s.sms_outbox_size)
        self.journal: deque[dict[str, Any]] = deque(maxlen=s.journal_size)
        self.events = EventLog(s.event_log_size)
        cred_rng = random.Random(f"{self.seed}:{self.id}:users")
        user_id = str(uuid.UUID(int=cred_rng.getrandbits(128), version=4))
        self.agent_users: dict[str, AgentUser] = {
            user_id: AgentUser(id=user_id, email=self.agent_user_email, password=self.agent_user_password,
                               first_name="Sandbox", last_name="Operatör", phone="5550000001",
                               two_factor=self.fixture.agent_user_two_factor, created_at=self.now())}
        sa_id = str(uuid.UUID(int=cred_rng.getrandbits(128), version=4))
        self.service_accounts: dict[str, ServiceAccount] = {
            self.client_id: ServiceAccount(id=sa_id, name="sandbox-entegrasyon", client_id=self.client_id,
                                           client_secret=self.client_secret, created_at=self.now())}
        self.roles: dict[str, Any] = {}  # id -> roles.Role (seeded: the owner role)
        self.branches: dict[str, Any] = {}  # id -> branches.Branch
        self.invites: dict[str, Any] = {}  # code -> users.Invite
        world.seed(self)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["sandbox"] = None  # the data directory's snapshot: the sandbox around it is rebuilt
        return state

    def reset(self) -> None:
        """Forget everything the agent was told; keep id, seed and credentials. Tokens issued
        before the reset stop working (their generation is stale)."""
        self.generation += 1
        self.sandbox.forget_grants(self)
        for user in self.agent_users.values():  # invited users and created OAuth clients go with the rest
            if user.email.lower() != self.agent_user_email.lower():
                self.sandbox.unindex_email(user.email)
        for account in self.service_accounts.values():
            if account.client_id != self.client_id:
                self.sandbox.unindex_client(account.client_id)
                self.sandbox.oauth_clients.pop(account.client_id, None)  # its "Login with InsurUp" side
        self.clock = VirtualClock()
        self._init_state()

    # -- helpers used by every domain module --------------------------------------------------
    def now(self) -> float:
        return self.clock.timestamp()

    def today(self) -> date:
        """The calendar day in Turkey on the agent's clock, the insurers' day: a policy asked for at 01:30
        Turkish time starts that day, though in UTC it is still the day before."""
        return turkish_day(self.clock.timestamp())

    def event(self, payload: dict[str, Any], at: float | None = None) -> None:
        """Record a domain event and queue it for every subscribed webhook: ``payload`` is its webhook
        body as its model in ``wire.events`` renders it, ``$event`` first."""
        recorded = self.events.record(payload["$event"], self.now() if at is None else at,
                                      references.named_in(payload))
        self.sandbox.world.heard(self, recorded)

    def notify(self, proposal: Any, target: str, payload: dict[str, Any]) -> None:
        """Push a live notification to the hub connections registered for ``proposal``."""
        if self.id in self.sandbox.hub.by_agent:
            self.sandbox.hub.publish(self, proposal, target, payload)

    # -- things that happen later, on the agent's clock ------------------------------------------
    def schedule(self, due: float, kind: str, key: str) -> None:
        """Ask for the world's ``due[kind](agent, key, due)`` to run once the clock reaches ``due``.
        Nothing sleeps: due work runs lazily, on the next request that touches the agent."""
        self._due_seq += 1
        heapq.heappush(self._due, (due, self._due_seq, kind, key))

    def tick(self) -> None:
        """Run every piece of scheduled work whose time has come, oldest first."""
        due = self._due
        if not due:
            return
        now = self.clock.timestamp()
        while due and due[0][0] <= now:
            at, _, kind, key = heapq.heappop(due)
            self.sandbox.world.due[kind](self, key, at)

    def send_document(self, *, channel: str, to: str, subject: str, url: str, kind: str,
                      refs: dict[str, Any]) -> dict[str, Any]:
        """A document sent to a customer by email or SMS lands in the agent's outbox."""
        message = {"id": self.ids.guid(), "channel": channel, "to": to, "subject": subject, "documentUrl": url,
                   "kind": kind, **refs, "sentAt": self.now()}
        self.outbox.append(message)
        return message

    def send_sms(self, to: str, text: str, *, code: str | None, purpose: str) -> Sms:
        message = Sms(id=self.ids.guid(), to=to, text=text, code=code, purpose=purpose, sent_at=self.now())
        self.sms.append(message)
        return message

    def customer(self, ref: str) -> Customer:
        """A customer by GUID, or by identity/tax number as the .NET SDK allows; 404 otherwise."""
        found = self.customers.get(ref)
        if found is None and not is_guid(ref):
            cid = next((v for (k, num), v in self.customer_index.items() if num == ref), None)
            found = self.customers.get(cid) if cid else None
        if found is None:
            raise NotFound(f"Customer '{ref}' was not found.", codes=["CUSTOMER_NOT_FOUND"])
        return found


class Sandbox:
    """All agents of one server process, the token authority and the settings."""

    def __init__(self, settings: Settings | None = None, authority: TokenAuthority | None = None,
                 entropy_key: bytes | None = None, *, world: World | None = None, drift: Any = None):
        """``world``: what the resource modules add (mockserver.world.sandbox gives the whole one);
        ``drift``: a drift profile the sandbox plays (mockserver.http.drift; contract-suite tests)."""
        self.settings = settings or Settings()
        self.world = world or World()
        self.authority = authority or TokenAuthority()
        # unguessable values; the key is random per process, or kept in the data directory
        self.entropy = Entropy(entropy_key)
        self.secret = self.entropy.token_hex(16)  # signs document links and keys identity hashes
        self.store: Any = None  # mockserver.store.Store with a data directory
        self.agents: dict[str, Agent] = {}
        self._client_index: dict[str, str] = {}
        self._email_index: dict[str, str] = {}
        self.grant_index: dict[str, str] = {}  # login/refresh token -> agent id (bodies carry no agent)
        self.hub = Hub()  # live-notification subscribers
        self.drift = drift  # None: the plain sandbox
        # customer logins that named no agent: kept (identity as a keyed hash) so a certification
        # session can still see that its partner's site forgot agentId
        self.unattributed: deque[dict[str, Any]] = deque(maxlen=1000)
        self.journal: deque[dict[str, Any]] = deque(maxlen=200)  # requests no agent claims (their problems only)
        self.setup_requests: dict[str, Any] = {}  # code -> onboarding.SetupRequest (agent-setup-requests)
        self.oauth_clients: dict[str, Any] = {}  # "Login with InsurUp" clients: the sandbox's (seeded), not an agency's
        self.oauth_codes: dict[str, Any] = {}
        self.oauth_par: dict[str, dict[str, Any]] = {}
        self.oauth_consents: set[tuple[str, str, str, str]] = set()
        self.control_open, self.admin_token = control_plane.resolve(self.settings, self.entropy)
        self.ui_sessions: dict[str, Any] = {}  # dashboard sign-ins (mockserver.control.access.Session), in memory
        self.world.sandbox_seed(self)
        self._wake: Callable[[], None] | None = None
        rng = random.Random(f"{self.settings.seed}:default-agent")
        default_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        fixture = AgentFixture(
            agent_id=default_id, name="Sandbox Varsayılan Acente",
            agent_user_email=self.settings.default_agent_user_email,
            agent_user_password=self._default_secret(self.settings.default_agent_user_password, DOCUMENTED_PASSWORD),
            client_id=self.settings.default_client_id,
            client_secret=self._default_secret(self.settings.default_client_secret, DOCUMENTED_CLIENT_SECRET))
        if self.settings.default_agent_fixture:
            given = load_fixture_file(self.settings.default_agent_fixture)
            fixture = dataclasses.replace(fixture, **{k: v for k, v in given.items() if v is not None})
        if self.settings.default_agent_id:
            fixture.agent_id = self.settings.default_agent_id
        self.default_agent = self.create_agent(fixture)

    def _default_secret(self, given: str | None, documented: str) -> str | None:
        """The default agent keeps the README's credentials only where the control plane is open
        (a loopback bind); a shared sandbox gets random ones unless configured (serve prints them)."""
        if given is not None:
            return given
        return documented if self.control_open else None

    def now(self) -> float:
        """The sandbox's own time (its journal of requests no agent claims): the wall clock."""
        return wall()

    def identity_key(self, number: Any) -> str:
        """A keyed hash of an identity number: comparable within this process, not reversible."""
        import hashlib
        import hmac

        return hmac.new(self.secret.encode(), str(number).strip().encode(), hashlib.sha256).hexdigest()

    def wake_deliverer(self) -> None:
        """Tell the webhook deliverer (when one runs) that a delivery is waiting."""
        if self._wake is not None:
            self._wake()

    def on_delivery_waiting(self, wake: Callable[[], None] | None) -> None:
        self._wake = wake

    def create_agent(self, fixture: AgentFixture) -> Agent:
        agent_id = fixture.agent_id
        if agent_id is None:
            agent_id = self.entropy.uuid4()
        elif not agent_id.strip() or len(agent_id) > 64 or any(c.isspace() or c == "/" for c in agent_id):
            raise field_error("agentId", "must be 1-64 characters without spaces or slashes", agent_id)
        if len(self.agents) >= self.settings.max_agents:
            raise TooManyRequests(f"The sandbox already holds {len(self.agents)} agents, its limit.",
                                  codes=["AGENT_LIMIT_REACHED"],
                                  suggestions=["Delete agents you no longer need (DELETE /__sandbox/agents/{agentId})."])
        if agent_id in self.agents:
            raise Duplicate(f"Agent '{agent_id}' already exists.", codes=["AGENT_ALREADY_EXISTS"],
                            suggestions=["Reset it with POST /__sandbox/agents/{agentId}/reset, or omit agentId."])
        market = (fixture.market or self.settings.market).upper()
        if market not in ("TR", "PL"):
            raise field_error("market", "must be TR or PL", fixture.market)
        for key, taken, value in (("serviceAccount.clientId", self._client_index, fixture.client_id),
                                  ("agentUser.email", self._email_index, fixture.agent_user_email)):
            if value and value.lower() in taken:
                raise Duplicate(f"{key} '{value}' is already used by another agent.", codes=["CREDENTIAL_IN_USE"])
        agent = Agent(self, agent_id, fixture)
        self.agents[agent_id] = agent
        self._client_index[agent.client_id.lower()] = agent_id
        self._email_index[agent.agent_user_email.lower()] = agent_id
        return agent

    def agent(self, agent_id: str) -> Agent:
        found = self.agents.get(agent_id)
        if found is None:
            raise NotFound(f"Agent '{agent_id}' was not found.", codes=["AGENT_NOT_FOUND"])
        found.tick()
        return found

    def agent_by_client_id(self, client_id: str) -> Agent | None:
        aid = self._client_index.get(client_id.lower())
        return self.agents.get(aid) if aid else None

    def agent_of_invite(self, code: Any) -> Agent | None:
        """The agent an agent-user invitation code belongs to."""
        if not isinstance(code, str) or not code:
            return None
        return next((a for a in self.agents.values() if code in getattr(a, "invites", {})), None)

    def index_email(self, agent: Agent, email: str) -> None:
        self._email_index[email.lower()] = agent.id

    def unindex_email(self, email: str) -> None:
        self._email_index.pop(email.lower(), None)

    def index_client(self, agent: Agent, client_id: str) -> None:
        self._client_index[client_id.lower()] = agent.id

    def unindex_client(self, client_id: str) -> None:
        self._client_index.pop(client_id.lower(), None)

    def agent_by_email(self, email: str) -> Agent | None:
        aid = self._email_index.get(email.lower())
        return self.agents.get(aid) if aid else None

    def delete_agent(self, agent_id: str) -> None:
        agent = self.agent(agent_id)
        if agent is self.default_agent:
            raise InputValidation("The default agent cannot be deleted; reset it instead.",
                                  codes=["DEFAULT_AGENT_PROTECTED"])
        del self.agents[agent_id]
        for account in agent.service_accounts.values():
            self._client_index.pop(account.client_id.lower(), None)
            found = self.oauth_clients.get(account.client_id)
            if found is not None and found.agent_id == agent.id:
                del self.oauth_clients[account.client_id]
        for user in agent.agent_users.values():
            self._email_index.pop(user.email.lower(), None)
        self._client_index.pop(agent.client_id.lower(), None)
        self._email_index.pop(agent.agent_user_email.lower(), None)
        self.forget_grants(agent)
        self.hub.drop_agent(agent_id)

    def fresh(self, *, entropy_key: bytes | None = None) -> "Sandbox":
        """A new, empty sandbox like this one (its settings, signing keys, world and drift)."""
        return Sandbox(self.settings, self.authority, entropy_key, world=self.world, drift=self.drift)

    def forget_grants(self, agent: Agent) -> None:
        """Drop the login and refresh grants of ``agent`` from the sandbox-wide index (delete, reset)."""
        index = self.grant_index
        for key in list(agent.otp_sessions) + list(agent.refresh_grants):
            if index.get(key) == agent.id:
                del index[key]
        for user_id in agent.agent_users:
            if index.get(f"user:{user_id}") == agent.id:
                del index[f"user:{user_id}"]
