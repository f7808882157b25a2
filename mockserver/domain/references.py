"""References from one record to an agency user: the ``UserReference`` (``{id, name, email,
userType}``) that cases, customers, proposals and policies answer as ``representedBy``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockserver.core.errors import field_error

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, AgentUser


def user_reference(user: "AgentUser") -> dict[str, Any]:
    return {"id": user.id, "name": f"{user.first_name} {user.last_name}", "email": user.email, "userType": "AGENT"}


def user_ref(agent: "Agent", user_id: Any, path: str) -> dict[str, Any] | None:
    """The reference to the agent user named at ``path``; None for None; 422 naming ``path`` when the
    agency has no such user."""
    if user_id is None:
        return None
    u = agent.agent_users.get(user_id) if isinstance(user_id, str) else None
    if u is None:
        raise field_error(path, "is not an agent user of the agency", user_id if isinstance(user_id, str) else None,
                          code="AGENT_USER_NOT_FOUND")
    return user_reference(u)
