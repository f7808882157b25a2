"""The agency's branches: a tree (a branch has at most one parent), and the names, limits and
references the agency's other records use for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso
from mockserver.core.errors import Duplicate, FieldError, InvalidState, NotFound
from mockserver.core.errors import field_error, refuse_fields, same_as_path
from mockserver.wire.agency import AgentBranchOut
from mockserver.wire.render import From, renderer

if TYPE_CHECKING:
    from mockserver.wire.agency import AgentBranchRequest
    from mockserver.domain.tenant import Agent


MAX_BRANCHES = 1000


MAX_NAME = 200


@dataclass(slots=True)
class Branch:
    id: str
    name: str
    parent_id: str | None
    created_at: float
    updated_at: float


def subtree(agent: "Agent", roots: list[str]) -> set[str]:
    out: set[str] = set()
    todo = [r for r in roots if r in agent.branches]
    while todo:
        b = todo.pop()
        if b not in out:
            out.add(b)
            todo.extend(c.id for c in agent.branches.values() if c.parent_id == b)
    return out


def room(held: int, limit: int, what: str, code: str) -> None:
    if held >= limit:
        raise InvalidState(f"An agency holds at most {limit} {what}.", codes=[code])


def named(name: Any, errors: list[FieldError]) -> str:
    """A branch's, role's or OAuth client's name, stripped; a problem goes to ``errors``."""
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        errors.append(FieldError("name", f"is required, 1 to {MAX_NAME} characters", None))
        return ""
    return name.strip()


def known_branch(agent: "Agent", branch_id: str | None) -> str | None:
    """A branch id a call sets on a record: one of the agency's tree, or None to clear it."""
    if branch_id is not None and branch_id not in agent.branches:
        raise field_error("agentBranchId", "is not a branch of the agency (GET /api/agent-branches)", branch_id,
                          code="AGENT_BRANCH_NOT_FOUND")
    return branch_id


def branch(agent: "Agent", branch_id: str) -> Branch:
    found = agent.branches.get(branch_id)
    if found is None:
        raise NotFound(f"Agent branch '{branch_id}' was not found.", codes=["AGENT_BRANCH_NOT_FOUND"])
    return found


def branch_ref(agent: "Agent", branch_id: str | None) -> dict[str, Any] | None:
    """``{id, name, parentId, parentName}`` as GraphQL's AgentBranchModel; a stale id keeps its id."""
    if branch_id is None:
        return None
    b = agent.branches.get(branch_id)
    parent = agent.branches.get(b.parent_id) if b and b.parent_id else None
    return {"id": branch_id, "name": b.name if b else None, "parentId": b.parent_id if b else None,
            "parentName": parent.name if parent else None}


def branch_path(agent: "Agent", branch_id: str) -> dict[str, Any]:
    """A branch with its depth in the tree (0: a root) and its ancestry (``İstanbul > Kadıköy``)."""
    names, cur, seen = [], agent.branches.get(branch_id), set()
    while cur is not None and cur.id not in seen:
        seen.add(cur.id)
        names.append(cur.name)
        cur = agent.branches.get(cur.parent_id) if cur.parent_id else None
    return {**(branch_ref(agent, branch_id) or {}), "level": max(len(names) - 1, 0),
            "hierarchy": " > ".join(reversed(names)) or None}


def _parent_name(b: Branch, agent: "Agent") -> str | None:
    parent = agent.branches.get(b.parent_id) if b.parent_id else None
    return parent.name if parent else None


_render_branch = renderer(  # ctx: the agent
    AgentBranchOut, Branch, parentId="parent_id", parentBranchId="parent_id", parentName=_parent_name,
    children=lambda b, agent: [c.id for c in agent.branches.values() if c.parent_id == b.id],
    createdAt=From(convert=iso), updatedAt=From(convert=iso),
)


def branch_wire(agent: "Agent", b: Branch) -> dict[str, Any]:
    """``AgentBranchOut``."""
    return _render_branch(b, agent)


def save_branch(agent: "Agent", req: "AgentBranchRequest", current: Branch | None = None) -> Branch:
    """A new branch, or ``current`` renamed or moved (absent fields kept), from the parsed request; the
    rules that need the tree stay here (a known parent, not under itself, one name per parent)."""
    if current is not None:
        same_as_path(req.id, "id", current.id, code="AGENT_BRANCH_ID_MISMATCH")
    errors: list[FieldError] = []
    name = named(req.name if req.name is not None else (current.name if current else None), errors)
    given = req.model_fields_set
    key = "parentId" if "parentId" in given else "parentBranchId"  # the SDK's name, and the sandbox's
    parent = getattr(req, key) if key in given else (current.parent_id if current else None)
    if parent is not None and parent not in agent.branches:
        errors.append(FieldError(key, "is not a branch of the agency", parent))
    elif parent is not None and current is not None and parent in subtree(agent, [current.id]):
        errors.append(FieldError(key, "would put the branch under itself", parent))
    refuse_fields("branch", errors, "AGENT_BRANCH_INVALID")
    now = agent.now()
    if any(b.name.casefold() == name.casefold() and b.parent_id == parent and b is not current
           for b in agent.branches.values()):
        raise Duplicate(f"A branch named '{name}' exists under the same parent.", codes=["AGENT_BRANCH_DUPLICATE"])
    if current is None:
        room(len(agent.branches), MAX_BRANCHES, "branches", "AGENT_BRANCH_LIMIT")
        current = Branch(agent.ids.object_id(now), name, parent, now, now)
        agent.branches[current.id] = current
    else:
        current.name, current.parent_id, current.updated_at = name, parent, now
    return current


def delete_branch(agent: "Agent", b: Branch) -> None:
    if any(c.parent_id == b.id for c in agent.branches.values()):
        raise InvalidState("The branch has sub-branches; move or delete them first.", codes=["AGENT_BRANCH_HAS_CHILDREN"])
    del agent.branches[b.id]
    for u in agent.agent_users.values():
        if b.id in u.branch_ids:
            u.branch_ids = [x for x in u.branch_ids if x != b.id]
