"""References from one record to an agency user: the ``UserReference`` (``{id, name, email,
userType, isServiceAccount}``) that cases, customers, proposals and policies answer as
``representedBy``.

Over REST ``userType`` is a number, as the SDK says the deployed API answers ("verified live: 2 for
service accounts"), with ``isServiceAccount``; webhook and hub payloads and GraphQL name it
(``AGENT``), as the guide's examples and the SDL do. The numbers follow the enum's order (NONE 0,
ADMIN_PANEL 1, AGENT 2, CUSTOMER 3): only AGENT's is attested."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockserver.core.errors import field_error

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, AgentUser


USER_TYPES = ("NONE", "ADMIN_PANEL", "AGENT", "CUSTOMER")  # by their wire numbers
AGENT, CUSTOMER = USER_TYPES.index("AGENT"), USER_TYPES.index("CUSTOMER")
# the keys under which payloads carry a UserReference
REFERENCE_KEYS = ("createdBy", "updatedBy", "representedBy", "agentUserCreatedBy", "lastUpdatedBy")


def reference(id: str, name: str | None, email: str | None, user_type: int, *,
              service_account: bool = False) -> dict[str, Any]:
    return {"id": id, "name": name, "email": email, "userType": user_type, "isServiceAccount": service_account}


def user_reference(user: "AgentUser") -> dict[str, Any]:
    return reference(user.id, f"{user.first_name} {user.last_name}", user.email, AGENT)


def user_type_name(value: Any) -> str | None:
    """The enum name of a reference's userType (a number, or a name kept by an earlier version)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(USER_TYPES):
        return USER_TYPES[value]
    return value if isinstance(value, str) else None


def named(ref: Any) -> Any:
    """A reference as webhook payloads carry it: ``{id, name, email, userType: "AGENT"}``."""
    if not isinstance(ref, dict) or "userType" not in ref:
        return ref
    return {"id": ref.get("id"), "name": ref.get("name"), "email": ref.get("email"),
            "userType": user_type_name(ref.get("userType"))}


def named_in(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` with the references under its top-level keys named (a copy only when one is there)."""
    if not any(isinstance(payload.get(k), dict) for k in REFERENCE_KEYS):
        return payload
    return {k: named(v) if k in REFERENCE_KEYS else v for k, v in payload.items()}


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
