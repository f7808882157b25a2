"""The agency's people and machines: agent users (invite, accept, activate, deactivate, delete) and
its OAuth clients (service accounts), and who looks after a proposal or policy.

What the sources say, and so what is enforced (reference §3.12, the user guide's "Kullanıcılar" and
"Roller" pages, the CLI's command table): an invited user is *pending* until the invitation is
accepted (a password is set); *active* users log in; *passive* (deactivated) users cannot, and their
live tokens answer 403. Only a pending user can be deleted. Re-sending an invitation replaces its code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso
from mockserver.core.errors import AccessDenied, Duplicate, FieldError, InputValidation, InvalidState, NotFound
from mockserver.core.errors import field_error, refuse_fields, same_as_path
from mockserver.domain.references import user_ref
from mockserver.domain.branches import branch_ref, known_branch, named, room
from mockserver.wire import agency as wire_agency
from mockserver.wire.auth import AgentUserMe
from mockserver.wire.policies import RecordBranchRequest, RepresentativeRequest
from mockserver.wire.render import Const, Fields, From, renderer
from mockserver.domain.roles import OWNER_ROLE, Role, may_give, owner_only, rights, role_of

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, AgentUser, ServiceAccount
    from mockserver.wire.agency import AcceptInvite, AgentUserInvite, AgentUserUpdate, ApiClientRequest, PasswordChange


INVITE_TTL = 7 * 86400.0  # seconds of the agent's clock an invitation code stays valid


# what one agency may hold (README "Limits"): far above any agency's, far below what exhausts memory
MAX_USERS, MAX_CLIENTS = 5000, 100


@dataclass(slots=True)
class Invite:
    code: str
    user_id: str
    expires_at: float


def seed(agent: "Agent") -> None:
    """Every agency starts with its owner role (its first user holds it) and no branch."""
    now = agent.now()
    agent.roles = {OWNER_ROLE: Role(OWNER_ROLE, "Acente Sahibi", {}, now, now, True)}
    agent.branches = {}
    agent.invites = {}


def user(agent: "Agent", user_id: str) -> "AgentUser":
    found = agent.agent_users.get(user_id)
    if found is None:
        raise NotFound(f"Agent user '{user_id}' was not found.", codes=["AGENT_USER_NOT_FOUND"])
    return found


def status(u: "AgentUser") -> str:
    return "Pending" if not u.password else ("Active" if u.active else "Passive")


def _role(u: "AgentUser", agent: "Agent") -> Role | None:
    return role_of(agent, u)


_render_user = renderer(  # ctx: the agent
    wire_agency.AgentUserOut, None,
    firstName="first_name", lastName="last_name", phoneNumber=lambda u, agent: u.phone or None,
    status=lambda u, agent: status(u), isActive=lambda u, agent: u.active and bool(u.password),
    isTwoFactorEnabled="two_factor", twoFactorEnabled="two_factor",
    roleName=lambda u, agent: r.name if (r := _role(u, agent)) else None,
    roles=lambda u, agent: [r.name] if (r := _role(u, agent)) else [],
    permissions=lambda u, agent: list(r.effective) if (r := _role(u, agent)) else [],
    agentName=lambda u, agent: agent.name, callCenterImplementation=Const("None"),
    isOwner=lambda u, agent: bool((r := _role(u, agent)) and r.is_owner),
    agentBranchIds=From("branch_ids", convert=list),
    agentBranches=lambda u, agent: [branch_ref(agent, b) for b in u.branch_ids],
    createdAt=From(convert=iso), lastLoginAt=From(convert=iso),
)


def user_wire(agent: "Agent", u: "AgentUser") -> dict[str, Any]:
    """``AgentUserOut``."""
    return _render_user(u, agent)


@dataclass(slots=True)
class Caller:
    """Who calls ``agent-users/me``: an agent user, or a service account (which has the owner's rights)."""

    agent: "Agent"
    user: "AgentUser | None"
    account: "ServiceAccount | None"


def _caller_rights(v: Caller, _ctx: Any) -> tuple[Any, ...]:
    return rights(role_of(v.agent, v.user) if v.user is not None else v.agent.roles.get(OWNER_ROLE))


def _of_user(name: str) -> Any:
    return lambda v, ctx: getattr(v.user, name) if v.user is not None else None


render_caller = renderer(
    AgentUserMe, Caller, Fields(("role", "roles", "permissions", "permissionScopes"), _caller_rights),
    id=lambda v, ctx: v.user.id if v.user is not None else v.account.id,
    email=_of_user("email"), firstName=_of_user("first_name"), lastName=_of_user("last_name"),
    isServiceAccount=lambda v, ctx: v.user is None,
    serviceAccountName=lambda v, ctx: v.account.name if v.account is not None else None,
    clientId=lambda v, ctx: v.account.client_id if v.account is not None else None,
    agentId="agent.id", agentName="agent.name",
    status=lambda v, ctx: status(v.user) if v.user is not None else "Active",
    branches=lambda v, ctx: [branch_ref(v.agent, b) for b in v.user.branch_ids] if v.user is not None else [],
)
"""``agent-users/me``."""


def _person(req: "AgentUserInvite | AgentUserUpdate | AcceptInvite") -> dict[str, Any]:
    """The names and phone a request sent (its model checked them)."""
    out: dict[str, Any] = {key: " ".join(value.split()) for key in ("firstName", "lastName")
                           if (value := getattr(req, key)) is not None}
    if req.phoneNumber is not None:
        out["phone"] = req.phoneNumber.number
    return out


def _role_and_branches(agent: "Agent", req: "AgentUserInvite | AgentUserUpdate", errors: list[FieldError]) -> dict[str, Any]:
    """The role and branches a request names, which must be the agency's."""
    out: dict[str, Any] = {}
    role_id, names = req.role_id, req.roles
    if role_id is None and names is not None:  # the SDK's role names
        if len(names) > 1:
            errors.append(FieldError("roles", "the sandbox gives a user one role: name one", None))
        elif names:
            found = next((r for r in agent.roles.values() if r.name == names[0]), None)
            if found is None:
                errors.append(FieldError("roles[0]", "is not the name of a role of the agency (GET /api/agent-roles)",
                                         names[0]))
            else:
                out["role_id"] = found.id
        else:
            out["role_id"] = None
    if role_id is not None:
        if role_id not in agent.roles:
            errors.append(FieldError("roleId", "is not a role of the agency (GET /api/agent-roles)", role_id))
        else:
            out["role_id"] = role_id
    branches = req.branch_ids
    if branches is not None:
        unknown = [b for b in branches if b not in agent.branches]
        if unknown:
            errors.append(FieldError("agentBranchIds", f"{', '.join(unknown)}: not a branch of the agency", None))
        else:
            out["branch_ids"] = list(dict.fromkeys(branches))
    return out


def _end_grants(agent: "Agent", subject: str) -> None:
    """Every refresh token of a user or service account stops working."""
    for grant in agent.refresh_grants.values():
        if grant.subject == subject:
            grant.used = True


def _raise(errors: list[FieldError], what: str) -> None:
    refuse_fields(what, errors, "AGENT_USER_INVALID")


def invite(agent: "Agent", req: "AgentUserInvite", base_url: str, acting: "AgentUser | None" = None) -> "AgentUser":
    from mockserver.domain.tenant import AgentUser

    email, person, errors = req.email, _person(req), []
    extra = _role_and_branches(agent, req, errors)
    _raise(errors, "invitation")
    may_give(agent, acting, extra.get("role_id"))
    room(len(agent.agent_users), MAX_USERS, "agent users", "AGENT_USER_LIMIT")
    taken = agent.sandbox.agent_by_email(email)
    if taken is not None or any(u.email.lower() == email.lower() for u in agent.agent_users.values()):
        raise Duplicate(f"An agent user with the e-mail '{email}' already exists.", codes=["AGENT_USER_EMAIL_IN_USE"])
    u = AgentUser(id=agent.ids.guid(), email=email, password="", first_name=person["firstName"],
                  last_name=person["lastName"], phone=person.get("phone", ""),
                  two_factor=bool(req.two_factor), role_id=extra.get("role_id"),
                  branch_ids=extra.get("branch_ids", []), created_at=agent.now())
    agent.agent_users[u.id] = u
    agent.sandbox.index_email(agent, email)
    _send_invite(agent, u, base_url)
    return u


def _send_invite(agent: "Agent", u: "AgentUser", base_url: str) -> Invite:
    for code in [c for c, i in agent.invites.items() if i.user_id == u.id]:
        del agent.invites[code]
    made = Invite(agent.sandbox.entropy.token_urlsafe(24), u.id, agent.now() + INVITE_TTL)
    agent.invites[made.code] = made
    from mockserver.domain import templates

    subject = templates.render(agent, "agent-user-invite", firstName=u.first_name, lastName=u.last_name)
    agent.send_document(channel="email", to=u.email, subject=subject,
                        url=f"{base_url}/api/agent-users/check-invite-code?code={made.code}", kind="agent-user-invite",
                        refs={"agentUserId": u.id, "inviteCode": made.code})
    return made


def resend(agent: "Agent", u: "AgentUser", base_url: str) -> None:
    if u.password:
        raise InvalidState("The user accepted the invitation already.", codes=["AGENT_USER_NOT_PENDING"])
    _send_invite(agent, u, base_url)


def invite_unknown() -> NotFound:
    return NotFound("The invitation code is unknown or was replaced by a newer one.",
                    codes=["AGENT_USER_INVITE_NOT_FOUND"])


def _invite(agent: "Agent", code: Any) -> Invite:
    found = agent.invites.get(code) if isinstance(code, str) else None
    if found is None or found.user_id not in agent.agent_users:
        raise invite_unknown()
    if agent.now() > found.expires_at:
        raise InvalidState("The invitation has expired; ask for it to be sent again.",
                           codes=["AGENT_USER_INVITE_EXPIRED"])
    return found


_render_invite = renderer(  # ctx: (the agent, the invited user)
    wire_agency.InviteCheck, None, isValid=Const(True), email=lambda i, ctx: ctx[1].email,
    firstName=lambda i, ctx: ctx[1].first_name, lastName=lambda i, ctx: ctx[1].last_name,
    agentId=lambda i, ctx: ctx[0].id, agentName=lambda i, ctx: ctx[0].name, expiresAt=From("expires_at", convert=iso))


def check_invite(agent: "Agent", code: Any) -> dict[str, Any]:
    """``InviteCheck``: whom an invitation is for, and until when."""
    found = _invite(agent, code)
    return _render_invite(found, (agent, agent.agent_users[found.user_id]))


def accept_invite(agent: "Agent", req: "AcceptInvite") -> "AgentUser":
    person = _person(req)
    found = _invite(agent, req.code)
    u = agent.agent_users[found.user_id]
    u.password = req.password
    if "phone" in person:
        u.phone = person["phone"]
    u.first_name, u.last_name = person.get("firstName", u.first_name), person.get("lastName", u.last_name)
    del agent.invites[found.code]
    return u


def update_user(agent: "Agent", u: "AgentUser", req: "AgentUserUpdate", *, self_service: bool,
                acting: "AgentUser | None" = None) -> None:
    same_as_path(req.id, "id", u.id, code="AGENT_USER_ID_MISMATCH")
    errors: list[FieldError] = []
    person = _person(req)
    extra = {} if self_service else _role_and_branches(agent, req, errors)
    _raise(errors, "agent user")
    changes_rights = extra.get("role_id", u.role_id) != u.role_id or extra.get("branch_ids", u.branch_ids) != u.branch_ids
    if changes_rights and acting is not None and acting.id == u.id:
        raise AccessDenied("An agent user cannot change their own role or branches.", codes=["AGENT_USER_OWN_RIGHTS"])
    if changes_rights and u.role_id == OWNER_ROLE:
        owner_only(agent, acting, "change an owner's role or branches")
    if "role_id" in extra and extra["role_id"] != u.role_id:
        may_give(agent, acting, extra["role_id"])
    if "role_id" in extra and u.role_id == OWNER_ROLE and extra["role_id"] != OWNER_ROLE and _owners(agent) == 1:
        raise InvalidState("The agency's last owner keeps the owner role.", codes=["AGENT_USER_LAST_OWNER"])
    u.first_name, u.last_name = person.get("firstName", u.first_name), person.get("lastName", u.last_name)
    u.phone = person.get("phone", u.phone)
    two_factor = req.two_factor
    if two_factor is not None:
        if two_factor and not u.phone:
            raise field_error("isTwoFactorEnabled", "needs a phone number for the SMS code", None,
                              code="AGENT_USER_PHONE_REQUIRED")
        u.two_factor = bool(two_factor)
    u.role_id = extra.get("role_id", u.role_id)
    u.branch_ids = extra.get("branch_ids", u.branch_ids)


def _owners(agent: "Agent") -> int:
    return sum(1 for x in agent.agent_users.values() if x.role_id == OWNER_ROLE and x.active and x.password)


def set_active(agent: "Agent", u: "AgentUser", active: bool, acting: str | None,
               granter: "AgentUser | None" = None) -> None:
    if not u.password:
        raise InvalidState("A pending user is activated by accepting the invitation.", codes=["AGENT_USER_PENDING"])
    if u.role_id == OWNER_ROLE:
        owner_only(agent, granter, "deactivate or activate an owner")
    if not active and (u.id == acting or (u.role_id == OWNER_ROLE and _owners(agent) == 1 and u.active)):
        raise InvalidState("An agent user cannot deactivate themself or the agency's last owner.",
                           codes=["AGENT_USER_LAST_OWNER"])
    u.active = active
    if not active:  # their refresh tokens end now; their access tokens answer 403 from now on
        _end_grants(agent, u.id)


def delete_user(agent: "Agent", u: "AgentUser") -> None:
    if u.password:
        raise InvalidState("Only a pending (invited, never accepted) user can be deleted; deactivate the others.",
                           codes=["AGENT_USER_NOT_PENDING"])
    del agent.agent_users[u.id]
    for code in [c for c, i in agent.invites.items() if i.user_id == u.id]:
        del agent.invites[code]
    agent.sandbox.unindex_email(u.email)


def change_password(agent: "Agent", u: "AgentUser", req: "PasswordChange") -> None:
    from mockserver.validators.common import same_secret

    current, new = req.current, req.new
    errors = [FieldError(k, "is required", None) for k, v in (("currentPassword", current), ("newPassword", new)) if not v]
    if errors:
        raise InputValidation("The password change is not valid.", codes=["AGENT_USER_PASSWORD_INVALID"],
                              field_errors=errors)
    if not same_secret(current, u.password):
        raise field_error("currentPassword", "is not the user's password", None, code="AGENT_USER_PASSWORD_WRONG")
    u.password = new


_render_robot_code = renderer(wire_agency.RobotCode, None, robotCode=lambda u, code: code, agentUserId="id")


def robot_code(agent: "Agent", u: "AgentUser") -> dict[str, Any]:
    """A stable per-user code (the 'robot' integrations identify the user with it)."""
    import hashlib

    digest = hashlib.sha256(f"{agent.sandbox.secret}:robot:{agent.id}:{u.id}".encode()).hexdigest()
    return _render_robot_code(u, digest[:12].upper())


def account(agent: "Agent", client_id: str) -> "ServiceAccount":
    found = agent.service_accounts.get(client_id) or next(
        (a for a in agent.service_accounts.values() if a.id == client_id), None)
    if found is None:
        raise NotFound(f"OAuth client '{client_id}' was not found.", codes=["OAUTH_CLIENT_NOT_FOUND"])
    return found


_render_account = renderer(  # ctx: the secret, in the answer that made the client
    wire_agency.ApiClientOut, None,
    applicationId=lambda a, secret: a.application_id or a.id, displayName="name", isActive="active",
    clientType=lambda a, secret: 1 if a.public else 0, applicationType=lambda a, secret: 1 if a.native else 0,
    grantTypes=From("grant_types", convert=list),
    scopes=lambda a, secret: list(a.scopes) if a.scopes else ["core-api"], redirectUris=From(convert=list),
    postLogoutRedirectUris=From(convert=list), requirePushedAuthorizationRequests="require_par",
    clientSecret=lambda a, secret: secret, createdAt=From(convert=iso),
)


def account_wire(a: "ServiceAccount", secret: str | None = None) -> dict[str, Any]:
    """The SDK's GetOAuthClientByIdResult, with the sandbox's earlier names (name, isActive) beside it;
    the secret only in the answer that made the client."""
    return _render_account(a, secret)


def _scopes_problem(wanted: list[str]) -> FieldError | None:
    from mockserver.domain import oidc
    from mockserver.security import scopes as scope_rules

    api = [x for x in wanted if x not in oidc.OIDC_SCOPES]
    unknown = [x for x in api if x not in (scope_rules.FULL, *scope_rules.GRANULAR)]
    if unknown or (scope_rules.FULL in api and len(api) > 1):
        return FieldError("scopes", f"{', '.join(unknown) or 'core-api'}: " + (
            "not a scope of the API" if unknown else "full access and granular scopes are exclusive"), None)
    return None


def _sdk_client(agent: "Agent", req: "ApiClientRequest", errors: list[FieldError]) -> dict[str, Any]:
    """The SDK's CreateOAuthClientRequest (its model read each field): the rules between its fields and
    the sandbox's other clients, and what the account and its application are made of."""
    out: dict[str, Any] = {}
    cid = req.clientId
    if cid is not None:
        if agent.sandbox.agent_by_client_id(cid) is not None or cid in agent.sandbox.oauth_clients:
            errors.append(FieldError("clientId", "is already the client_id of an OAuth client", cid))
        else:
            out["client_id"] = cid
    grants = list(dict.fromkeys(req.grantTypes if req.grantTypes is not None else [1]))
    public = req.clientType == 1
    if public and 1 in grants:
        errors.append(FieldError("grantTypes", "a public client has no secret, so it cannot use ClientCredentials", None))
    if 2 in grants and 0 not in grants:
        errors.append(FieldError("grantTypes", "RefreshToken comes with AuthorizationCode (a service account's "
                                 "tokens are not refreshed: it asks again)", None))
    if req.clientSecret is not None and public:
        errors.append(FieldError("clientSecret", "is for a confidential client only", None))
    redirects, logouts = req.redirectUris or [], req.postLogoutRedirectUris or []
    if 0 in grants and not redirects:
        errors.append(FieldError("redirectUris", "is required with AuthorizationCode: where the login returns", None))
    wanted = req.scopes or ["core-api"]
    if (problem := _scopes_problem(wanted)) is not None:
        errors.append(problem)
    out.update(public=public, native=req.applicationType == 1, grant_types=grants, secret=req.clientSecret,
               redirect_uris=list(redirects), post_logout_redirect_uris=list(logouts),
               require_par=bool(req.requirePushedAuthorizationRequests), scopes=list(dict.fromkeys(wanted)))
    return out


def _application(agent: "Agent", a: "ServiceAccount") -> None:
    """The "Login with InsurUp" side of an agency's client with AuthorizationCode: the sandbox's OIDC
    client of the same client_id, kept in step (and gone when the grant or the client is)."""
    from mockserver.domain import oidc

    clients = agent.sandbox.oauth_clients
    if 0 not in a.grant_types:
        clients.pop(a.client_id, None)
        return
    scopes = [*(x for x in ("openid", "profile", "email") if x not in a.scopes), *a.scopes]
    if 2 in a.grant_types and "offline_access" not in scopes:
        scopes.append("offline_access")
    clients[a.client_id] = oidc.OAuthClient(
        a.client_id, a.name, a.public, None if a.public else a.client_secret, list(a.redirect_uris),
        list(a.post_logout_redirect_uris), scopes, a.require_par, loopback_any_port=a.native, agent_id=agent.id)


def create_account(agent: "Agent", req: "ApiClientRequest") -> tuple["ServiceAccount", str | None]:
    """``POST oauth-clients``: the SDK's CreateOAuthClientRequest, or the sandbox's earlier ``{name, scopes}``
    (a service account). A confidential client's secret is the one given, or made and shown once."""
    from mockserver.domain.tenant import ServiceAccount

    errors: list[FieldError] = []
    name = named(req.display_name or req.clientId, errors)
    made = _sdk_client(agent, req, errors)
    refuse_fields("OAuth client", errors, "OAUTH_CLIENT_INVALID")
    room(len(agent.service_accounts), MAX_CLIENTS, "OAuth clients", "OAUTH_CLIENT_LIMIT")
    client_id = made.get("client_id") or f"{agent.id[:8]}-{agent.sandbox.entropy.token_hex(6)}"
    secret = None if made["public"] else (made["secret"] or agent.sandbox.entropy.token_urlsafe(32))
    account_ = ServiceAccount(id=agent.ids.guid(), name=name, client_id=client_id, client_secret=secret or "",
                              scopes=[x for x in made["scopes"] if x not in ("openid", "profile", "email",
                                                                               "offline_access")] or ["core-api"],
                              created_at=agent.now(), application_id=agent.ids.guid(), public=made["public"],
                              native=made["native"], grant_types=made["grant_types"],
                              redirect_uris=made["redirect_uris"],
                              post_logout_redirect_uris=made["post_logout_redirect_uris"],
                              require_par=made["require_par"])
    agent.service_accounts[client_id] = account_
    agent.sandbox.index_client(agent, client_id)
    _application(agent, account_)
    return account_, None if made["secret"] else secret  # a secret the caller chose is not echoed


def update_account(agent: "Agent", a: "ServiceAccount", req: "ApiClientRequest", *, caller: str | None = None) -> None:
    """``PUT oauth-clients/{id}``: the fields sent change (the SDK's UpdateOAuthClientRequest; name, isActive).
    ``caller``: the service account making the call, which cannot deactivate itself."""
    from mockserver.domain import oidc

    if caller == a.id and req.isActive is False:
        raise InvalidState("A service account cannot deactivate itself (its token would lock the agency's "
                           "integration out); use another credential.", codes=["OAUTH_CLIENT_SELF"])
    if req.id not in (None, "", a.id, a.client_id):
        same_as_path(req.id, "id", a.id, code="OAUTH_CLIENT_INVALID")
    errors: list[FieldError] = []
    if req.redirectUris == [] and 0 in a.grant_types:
        errors.append(FieldError("redirectUris", "cannot be emptied while the client has AuthorizationCode", None))
    if req.scopes is not None and (problem := _scopes_problem(req.scopes)) is not None:
        errors.append(problem)
    refuse_fields("OAuth client", errors, "OAUTH_CLIENT_INVALID")
    a.name = req.display_name.strip() if req.display_name else a.name
    if req.redirectUris is not None:
        a.redirect_uris = list(req.redirectUris)
    if req.postLogoutRedirectUris is not None:
        a.post_logout_redirect_uris = list(req.postLogoutRedirectUris)
    if req.scopes is not None:
        a.scopes = [x for x in dict.fromkeys(req.scopes) if x not in oidc.OIDC_SCOPES] or ["core-api"]
    if req.requirePushedAuthorizationRequests is not None:
        a.require_par = req.requirePushedAuthorizationRequests
    if req.isActive is not None:
        a.active = req.isActive
    if a.active:
        _application(agent, a)
    else:  # a deactivated application takes no logins either
        agent.sandbox.oauth_clients.pop(a.client_id, None)


def delete_account(agent: "Agent", a: "ServiceAccount", *, caller: str | None = None) -> None:
    if caller == a.id:
        raise InvalidState("A service account cannot revoke itself; use another credential.",
                           codes=["OAUTH_CLIENT_SELF"])
    del agent.service_accounts[a.client_id]
    agent.sandbox.unindex_client(a.client_id)
    agent.sandbox.oauth_clients.pop(a.client_id, None)
    _end_grants(agent, a.id)


def assign(agent: "Agent", record: Any, kind: str, req: "RepresentativeRequest | RecordBranchRequest") -> None:
    """``POST proposals|policies/{id}/representative|branch``: the CLI sends the record's id beside the
    agent user or branch (``{proposalId, representativeAgentUserId}``); null clears it."""
    same_as_path(getattr(req, f"{kind}Id"), f"{kind}Id", record.id, code=f"{kind.upper()}_ID_MISMATCH")
    if isinstance(req, RepresentativeRequest):
        record.represented_by = user_ref(agent, req.representativeAgentUserId or req.agentUserId or req.representativeId,
                                         "representativeAgentUserId")
    else:
        record.agent_branch_id = known_branch(agent, req.agentBranchId or req.branchId)
    getattr(agent, {"proposal": "proposals", "policy": "policies"}[kind]).changed(record)
