"""Agency onboarding (``agent-setup-requests``, the SDK's setup contracts and the CLI's ``agent-setup``).

InsurUp's administrator creates a setup request with a ``label`` and hands its ``code`` to a new
agency; in the sandbox that administrator is the control plane (``POST /__sandbox/agent-setup-requests``).
The agency then ``enter``s the code (answered with the label) and ``complete``s it with its profile
(``agent``: name, tax number, phone, robot mode, insurer ``companies``) and its first user
(``agentUser``: name, e-mail, password). Completing makes a new sandbox agent, an isolated tenant like
one from ``POST /__sandbox/agents``, whose owner logs in with that e-mail and password and which is
connected to exactly the companies given. A code serves once, and lasts ``valid_days`` of wall time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso, wall
from mockserver.wire.render import From, renderer
from mockserver.wire.setup import SetupRequestOut
from mockserver.core.errors import (FieldError, InvalidState, NotFound, SandboxError, field_error,
                                    refuse_fields)

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Sandbox
    from mockserver.wire.setup import SetupCode, SetupCompany, SetupComplete, SetupRequestCreate

DAY = 86400.0
MAX_REQUESTS = 1000  # setup requests the sandbox keeps (the oldest finished ones go first)


@dataclass(slots=True)
class SetupRequest:
    id: str
    code: str
    label: str
    created_at: float
    expires_at: float
    enabled: bool = True
    agent_id: str | None = None  # the agency it made
    completed_at: float | None = None

    def status(self) -> str:
        if self.agent_id is not None:
            return "COMPLETED"
        if not self.enabled:
            return "DISABLED"
        return "EXPIRED" if wall() > self.expires_at else "PENDING"


def create(sandbox: "Sandbox", req: "SetupRequestCreate") -> SetupRequest:
    label = req.label
    if label is None:
        raise field_error("label", "is required, 1 to 200 characters", None, code="AGENT_SETUP_REQUEST_INVALID")
    days = req.validDays or 7
    requests = sandbox.setup_requests
    while len(requests) >= MAX_REQUESTS:
        done = next((c for c, r in requests.items() if r.status() != "PENDING"), next(iter(requests)))
        del requests[done]
    now = wall()
    made = SetupRequest(id=sandbox.entropy.uuid4(), code=f"KURULUM-{sandbox.entropy.token_hex(6).upper()}",
                        label=label.strip(), created_at=now, expires_at=now + days * DAY)
    requests[made.code] = made
    return made


def by_id(sandbox: "Sandbox", request_id: str) -> SetupRequest:
    found = next((r for r in sandbox.setup_requests.values() if r.id == request_id), None)
    if found is None:
        raise NotFound(f"No agent setup request {request_id}.", codes=["AGENT_SETUP_REQUEST_NOT_FOUND"])
    return found


def _open(sandbox: "Sandbox", code: Any) -> SetupRequest:
    if not isinstance(code, str) or not code.strip():
        raise field_error("code", "is required", None, code="AGENT_SETUP_REQUEST_CODE_REQUIRED")
    found = sandbox.setup_requests.get(code.strip().upper())
    if found is None:
        raise NotFound("No agent setup request has this code.", codes=["AGENT_SETUP_REQUEST_NOT_FOUND"],
                       field_errors=[FieldError("code", "is not a setup code", None)],
                       suggestions=["The code comes from InsurUp (the sandbox: POST /__sandbox/agent-setup-requests)."])
    status = found.status()
    if status != "PENDING":
        raise InvalidState(f"The setup request is {status.lower()}; ask for a new code.",
                           codes=[f"AGENT_SETUP_REQUEST_{status}"], field_errors=[FieldError("code", f"is {status.lower()}")])
    return found


def enter(sandbox: "Sandbox", req: "SetupCode") -> dict[str, Any]:
    return {"label": _open(sandbox, req.code).label}


def _profile(req: "SetupComplete", errors: list[FieldError]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The agency's profile and its first user, from the parsed request (its model checked each field:
    the tax number's check digit, the robot mode, the e-mail, the password's strength)."""
    from mockserver.domain import agency

    profile, user = req.agent, req.agentUser
    if profile is None:
        errors.append(FieldError("agent", "is required: {name, taxNumber, phoneNumber, companies, robotMode}", None))
    if user is None:
        errors.append(FieldError("agentUser", "is required: {firstName, lastName, email, password}", None))
    if profile is None or user is None:
        return {}, {}
    for at, value in (("agent.name", profile.name), ("agent.taxNumber", profile.taxNumber),
                      ("agentUser.firstName", user.firstName), ("agentUser.lastName", user.lastName),
                      ("agentUser.email", user.email), ("agentUser.password", user.password)):
        if value is None:
            errors.append(FieldError(at, "is required", None))
    phone = agency.phone_number(profile.phoneNumber,
                                "agent.phoneNumber", errors)
    return ({"name": profile.name, "taxNumber": profile.taxNumber, "phone": phone,
             "robotMode": profile.robotMode or "NONE", "companies": profile.companies or []},
            {"firstName": user.firstName, "lastName": user.lastName, "email": user.email, "password": user.password})


def _connect(agent: "Agent", companies: list["SetupCompany"]) -> None:
    """The profile's insurer connections, errors named ``agent.companies[i].…``."""
    from mockserver.domain import connections

    errors: list[FieldError] = []
    for i, company in enumerate(companies):
        at = f"agent.companies[{i}]"
        branches = [b.productBranch for b in company.branches or []]
        try:
            connections.connect(agent, company.insuranceCompanyId, branches, dict(company.connectionFields or {}),
                                "connectionFields")
        except SandboxError as exc:
            errors += [FieldError(f"{at}.{e.property_name}", e.message, e.attempted_value) for e in exc.field_errors] \
                or [FieldError(at, exc.detail, None)]
    refuse_fields("agency's insurer connections", errors, "AGENT_SETUP_COMPANIES_INVALID")


def complete(sandbox: "Sandbox", req: "SetupComplete") -> "Agent":
    from mockserver.domain.tenant import AgentFixture

    found = _open(sandbox, req.code)
    errors: list[FieldError] = []
    profile, user = _profile(req, errors)
    refuse_fields("agency setup", errors, "AGENT_SETUP_INVALID")
    agent = sandbox.create_agent(AgentFixture(name=profile["name"].strip(), agent_user_email=user["email"],
                                              agent_user_password=user["password"], connect_all_insurers=False))
    try:
        owner = next(iter(agent.agent_users.values()))
        owner.first_name, owner.last_name = user["firstName"].strip(), user["lastName"].strip()
        settings = agent.agency
        settings.tax_number, settings.robot_mode = profile["taxNumber"], profile["robotMode"]
        settings.phone = profile["phone"]
        _connect(agent, profile["companies"])
    except Exception:
        sandbox.delete_agent(agent.id)  # no half-made agency stays behind
        raise
    found.agent_id, found.completed_at = agent.id, wall()
    return agent


wire = renderer(SetupRequestOut, SetupRequest, status=lambda r, ctx: r.status(), createdAt=From(convert=iso),
                expiresAt=From(convert=iso), completedAt=From(convert=iso))
"""``SetupRequestOut``: an agent setup request as InsurUp's admin sees it, with its code."""
