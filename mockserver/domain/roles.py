"""What an agency user may do: roles, each a named set of permissions with a scope.

A role's permission has a scope: ``All`` (the agency), ``Own`` (records the user created or
represents) or ``Branch`` (records of the user's branches). The owner role allows everything. A call
that a role does not allow answers 403 naming the permission (routes declare the permission they
need: ``mockserver.http.framework.Routes``); a record outside an ``Own``/``Branch`` scope answers 404,
as the API filters what a user may not see. Deleting a role removes its rights from its users (they
keep no role, so only ``agent-users/me``). A user whose role is not the owner's may hand out only
rights it holds itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso
from mockserver.core.errors import AccessDenied, Duplicate, FieldError, InvalidState, NotFound
from mockserver.core.errors import refuse_fields, same_as_path
from mockserver.domain.branches import named, room, subtree
from mockserver.security.tokens import AGENT_USER
from mockserver.wire import agency as wire
from mockserver.wire.auth import RoleOut
from mockserver.wire.render import From, renderer

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, AgentUser


OWNER_ROLE = "owner"


SCOPES = ("All", "Own", "Branch")


PERMISSIONS = wire.PERMISSIONS  # the permission names and their labels


MAX_ROLES = 200


@dataclass(slots=True)
class Role:
    id: str
    name: str
    permissions: dict[str, str]  # permission -> scope
    created_at: float
    updated_at: float
    is_owner: bool = False
    created_by: dict[str, Any] | None = None  # UserReference of who made it, and of who changed it last
    updated_by: dict[str, Any] | None = None

    @property
    def effective(self) -> dict[str, str]:
        """Permission -> scope: the owner's is every permission, on everything."""
        return {p: "All" for p in PERMISSIONS} if self.is_owner else self.permissions


def role_of(agent: "Agent", user: "AgentUser") -> Role | None:
    return agent.roles.get(user.role_id) if user.role_id else None


def allowed(agent: "Agent", user: "AgentUser", permission: str) -> str | None:
    """The scope ``user`` holds ``permission`` with (All, Own, Branch), or None."""
    role = role_of(agent, user)
    return role.effective.get(permission) if role is not None else None


# An acting agent user whose role is not the owner's may hand out only rights it holds itself, and may
# not change its own role, branches or role's rights; the owner role and OAuth clients (which act with
# the agency's full rights) are the owner's to give. ``acting`` None: an owner-level caller (the owner
# role, or a service account).
_SCOPE_RANK = {"Own": 1, "Branch": 2, "All": 3}


def _limit(agent: "Agent", acting: "AgentUser | None") -> dict[str, str] | None:
    """What ``acting`` may give (permission -> widest scope), or None for everything."""
    if acting is None:
        return None
    role = role_of(agent, acting)
    if role is not None and role.is_owner:
        return None
    return dict(role.effective) if role is not None else {}


def _beyond(permissions: dict[str, str], limit: dict[str, str]) -> list[str]:
    return [f"{p} ({scope})" for p, scope in permissions.items()
            if p not in limit or _SCOPE_RANK.get(scope, 3) > _SCOPE_RANK.get(limit[p], 0)]


def owner_only(agent: "Agent", acting: "AgentUser | None", what: str) -> None:
    if _limit(agent, acting) is not None:
        raise AccessDenied(f"Only an owner (or a service account) can {what}.", codes=["AGENT_OWNER_ONLY"],
                           suggestions=["Ask an owner of the agency, or use the agency's service account."])


def may_give(agent: "Agent", acting: "AgentUser | None", role_id: str | None) -> None:
    limit = _limit(agent, acting)
    if limit is None or role_id is None:
        return
    given = agent.roles[role_id]
    if given.is_owner:
        owner_only(agent, acting, "give the owner role")
    beyond = _beyond(given.effective, limit)
    if beyond:
        raise AccessDenied(f"The role '{given.name}' allows {', '.join(beyond)}, beyond the caller's own role: a user "
                           "can give only rights it holds.", codes=["AGENT_ROLE_BEYOND_GRANTER"])


def check(agent: "Agent", user: "AgentUser", permission: str) -> None:
    """403 unless the user's role holds ``permission`` (the route declares which it needs)."""
    if allowed(agent, user, permission) is None:
        role = role_of(agent, user)
        raise AccessDenied(f"The agent user's role ({role.name if role else 'none'}) does not allow {permission}.",
                           codes=["AGENT_ROLE_PERMISSION_REQUIRED"],
                           suggestions=[f"Give the role '{permission}' (PUT /api/agent-roles/{{roleId}}), or use an "
                                        "owner's token."])


def visible(agent: "Agent", user: "AgentUser", permission: str, *, created_by: str | None,
            represented_by: str | None, branch_id: str | None) -> bool:
    """Whether a record is inside the user's scope for ``permission`` (Own: created or represented by
    the user; Branch: of one of the user's branches or their sub-branches)."""
    scope = allowed(agent, user, permission)
    if scope == "All":
        return True
    if scope == "Own":
        return user.id in (created_by, represented_by)
    if scope == "Branch":
        return branch_id is not None and branch_id in subtree(agent, user.branch_ids)
    return False


render_role_ref = renderer(RoleOut, Role, isOwner="is_owner")


def rights(role: Role | None) -> tuple[Any, ...]:
    """A role as ``agent-users/me`` shows it: the role, its names and permissions (the SDK's strings), and
    each permission's scope (``role``, ``roles``, ``permissions``, ``permissionScopes``)."""
    perms = role.effective if role else {}
    return (render_role_ref(role) if role else None, [role.name] if role else [], list(perms),
            [{"permission": p, "scope": s} for p, s in perms.items()])


def role(agent: "Agent", role_id: str) -> Role:
    found = agent.roles.get(role_id)
    if found is None:
        raise NotFound(f"Agent role '{role_id}' was not found.", codes=["AGENT_ROLE_NOT_FOUND"])
    return found


_render_role = renderer(  # ctx: the agent
    wire.AgentRoleOut, Role,
    permissions=lambda r, agent: list(r.effective),
    permissionScopes=lambda r, agent: [{"permission": p, "scope": s} for p, s in r.effective.items()],
    userCount=lambda r, agent: sum(1 for u in agent.agent_users.values() if u.role_id == r.id),
    createdAt=From(convert=iso),
    updatedAt=lambda r, agent: iso(r.updated_at) if r.updated_by or r.updated_at != r.created_at else None,
    createdById=lambda r, agent: (r.created_by or {}).get("id"),
    createdByName=lambda r, agent: (r.created_by or {}).get("name"),
    updatedById=lambda r, agent: (r.updated_by or {}).get("id"),
    updatedByName=lambda r, agent: (r.updated_by or {}).get("name"),
)


def role_wire(agent: "Agent", r: Role) -> dict[str, Any]:
    """The SDK's GetAgentRoleByIdResult (permission names), with each permission's scope beside them."""
    return _render_role(r, agent)


def save_role(agent: "Agent", req: "wire.AgentRoleRequest", current: Role | None = None, *,
              by: dict[str, Any] | None = None, acting: "AgentUser | None" = None) -> Role:
    if current is not None and current.is_owner:
        raise InvalidState("The owner role allows everything and cannot be changed.", codes=["AGENT_ROLE_OWNER"])
    limit = _limit(agent, acting)
    if limit is not None and current is not None and acting is not None and acting.role_id == current.id:
        raise AccessDenied("An agent user cannot change the role they hold.", codes=["AGENT_USER_OWN_RIGHTS"])
    if current is not None:
        same_as_path(req.id, "id", current.id, code="AGENT_ROLE_ID_MISMATCH")
    errors: list[FieldError] = []
    given = req.name if req.name is not None else req.roleName
    name = named(given if given is not None else (current.name if current else None), errors)
    perms = dict(current.permissions) if current else {}
    if req.permissions is not None:
        perms = {}
        for item in req.permissions:
            permission, scope = (item, "All") if isinstance(item, str) else (item.permission, item.scope or "All")
            perms[permission] = scope
    refuse_fields("role", errors, "AGENT_ROLE_INVALID")
    if limit is not None and (beyond := _beyond(perms, limit)):
        raise AccessDenied(f"The role would allow {', '.join(beyond)}, beyond the caller's own role: a user can give "
                           "only rights it holds.", codes=["AGENT_ROLE_BEYOND_GRANTER"])
    if any(r.name.casefold() == name.casefold() and r is not current for r in agent.roles.values()):
        raise Duplicate(f"A role named '{name}' exists.", codes=["AGENT_ROLE_DUPLICATE"])
    now = agent.now()
    if current is None:
        room(len(agent.roles), MAX_ROLES, "roles", "AGENT_ROLE_LIMIT")
        current = Role(agent.ids.object_id(now), name, perms, now, now, created_by=by)
        agent.roles[current.id] = current
    else:
        current.name, current.permissions, current.updated_at, current.updated_by = name, perms, now, by
    return current


def delete_role(agent: "Agent", r: Role, acting: "AgentUser | None" = None) -> None:
    if r.is_owner:
        raise InvalidState("The owner role cannot be deleted.", codes=["AGENT_ROLE_OWNER"])
    if _limit(agent, acting) is not None and acting is not None and acting.role_id == r.id:
        raise AccessDenied("An agent user cannot delete the role they hold.", codes=["AGENT_USER_OWN_RIGHTS"])
    del agent.roles[r.id]
    for u in agent.agent_users.values():  # the user guide: deleting a role removes the rights of its users
        if u.role_id == r.id:
            u.role_id = None


def _ref_id(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("id") or value.get("userId")
    return value if isinstance(value, str) else None


def sees(agent: "Agent", principal: Any, permission: str, record: Any) -> bool:
    """Whether the caller may see ``record`` (a customer, case, proposal or policy): always for a
    service account or a customer's own token; for an agent user, as their role's scope says."""
    if principal is None or principal.kind != AGENT_USER:
        return True
    u = agent.agent_users.get(principal.subject)
    if u is None:
        return False
    if isinstance(record, dict):  # a GraphQL row (a policy version)
        return visible(agent, u, permission, created_by=_ref_id(record.get("createdBy")),
                       represented_by=_ref_id(record.get("representedBy")), branch_id=record.get("agentBranchId"))
    return visible(agent, u, permission, created_by=_ref_id(getattr(record, "created_by", None)),
                   represented_by=_ref_id(getattr(record, "represented_by", None)),
                   branch_id=getattr(record, "agent_branch_id", None))


def scoped(agent: "Agent", principal: Any, permission: str) -> bool:
    """True when the caller's lists must be filtered record by record (an Own or Branch scope)."""
    if principal is None or principal.kind != AGENT_USER or principal.subject not in agent.agent_users:
        return False
    return allowed(agent, agent.agent_users[principal.subject], permission) not in ("All", None)
