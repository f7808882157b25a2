"""Family links (TSS family module). Every link is stored in both directions; adding a CHILD also
links the customer's spouse as a parent and the customer's other children as siblings.

Invariant (tested with hypothesis): for every link A->B of type T there is exactly one link B->A of
type ``MIRROR[T]``, and removing a link removes its mirror.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso
from mockserver.core.errors import BusinessValidation, NotFound, field_error
from mockserver.domain.tenant import Link
from mockserver.wire.customers import RelationshipOut
from mockserver.wire.render import From, renderer

if TYPE_CHECKING:
    from mockserver.wire.customers import RelationshipRequest
    from mockserver.domain.tenant import Agent

MIRROR = {"SPOUSE": "SPOUSE", "CHILD": "PARENT", "PARENT": "CHILD", "SIBLING": "SIBLING"}
MANUAL = ("SPOUSE", "CHILD")


def _rule(code: str, detail: str) -> BusinessValidation:
    # FAM documents family-rule violations as 400 with a code (the SDK table says 422; see FIDELITY.md)
    return BusinessValidation(detail, codes=[code], status=400)


def links_of(agent: "Agent", customer_id: str) -> list[Link]:
    return [l for l in agent.links.values() if l.customer_id == customer_id]


def _linked(agent: "Agent", a: str, b: str) -> Link | None:
    return next((l for l in agent.links.values() if l.customer_id == a and l.related_id == b), None)


def _related(agent: "Agent", cid: str, relation: str) -> list[str]:
    return [l.related_id for l in agent.links.values() if l.customer_id == cid and l.relation == relation]


def _pair(agent: "Agent", a: str, b: str, relation: str) -> Link:
    now = agent.now()
    first = Link(agent.ids.guid(), a, b, relation, now)
    second = Link(agent.ids.guid(), b, a, MIRROR[relation], now)
    agent.links[first.id] = first
    agent.links[second.id] = second
    return first


def add(agent: "Agent", customer_id: str, req: "RelationshipRequest") -> Link:
    related, relation = req.relatedCustomerId, req.relationType
    if relation not in MANUAL:
        raise _rule("CUSTOMER_RELATIONSHIP_PARENT_MANUAL",
                    f"{relation} links are created automatically; add the other person as SPOUSE or CHILD instead.")
    if related == customer_id:
        raise _rule("CUSTOMER_RELATIONSHIP_SELF", "A customer cannot be linked to themselves.")
    if related not in agent.customers:
        raise NotFound(f"Customer '{related}' was not found.", codes=["CUSTOMER_NOT_FOUND"])
    if agent.customers[related].type == "company":
        raise field_error("relatedCustomerId", "family members must be individual customers", related)
    if _linked(agent, customer_id, related):
        raise _rule("CUSTOMER_RELATIONSHIP_DUPLICATE", "These two customers are already linked.")
    if relation == "SPOUSE":
        if _related(agent, customer_id, "SPOUSE"):
            raise _rule("CUSTOMER_RELATIONSHIP_SPOUSE_EXISTS", "The customer already has a spouse.")
        if _related(agent, related, "SPOUSE"):
            raise _rule("CUSTOMER_RELATIONSHIP_SPOUSE_EXISTS", "The person to link as spouse already has a spouse.")
        return _pair(agent, customer_id, related, "SPOUSE")
    spouses = _related(agent, customer_id, "SPOUSE")
    family = {customer_id, *spouses}
    parents = set(_related(agent, related, "PARENT"))
    if parents - family or len(parents) >= 2:
        raise _rule("CUSTOMER_RELATIONSHIP_CHILD_OTHER_FAMILY",
                    "This child is already linked to another family (a child has at most two parents).")
    existing_children = {c for p in family for c in _related(agent, p, "CHILD")} - {related}
    link = _pair(agent, customer_id, related, "CHILD")
    for spouse in spouses:
        if not _linked(agent, spouse, related):
            _pair(agent, spouse, related, "CHILD")
    for sibling in sorted(existing_children):
        if not _linked(agent, sibling, related):
            _pair(agent, sibling, related, "SIBLING")
    return link


def remove(agent: "Agent", customer_id: str, relationship_id: str) -> None:
    link = agent.links.get(relationship_id)
    if link is None or link.customer_id != customer_id:
        raise NotFound(f"Relationship '{relationship_id}' was not found for this customer.",
                       codes=["CUSTOMER_RELATIONSHIP_NOT_FOUND"])
    mirror = _linked(agent, link.related_id, link.customer_id)
    del agent.links[link.id]
    if mirror is not None:
        del agent.links[mirror.id]


def forget(agent: "Agent", customer_id: str) -> None:
    for lid in [l.id for l in agent.links.values() if customer_id in (l.customer_id, l.related_id)]:
        del agent.links[lid]


def _other(link: Link, agent: "Agent") -> Any:
    return agent.customers.get(link.related_id)


_render = renderer(  # ctx: the agent
    RelationshipOut, Link,
    relatedCustomerId="related_id",
    relatedCustomerType=lambda l, agent: ((o.type if (o := _other(l, agent)) else "individual")).capitalize(),
    relationType="relation",
    relatedCustomerName=lambda l, agent: o.display_name if (o := _other(l, agent)) else None,
    relatedCustomerEmail=lambda l, agent: o.email if (o := _other(l, agent)) else None,
    relatedCustomerPhoneNumber=lambda l, agent: o.phone.e164() if (o := _other(l, agent)) and o.phone else None,
    createdAt=From(convert=iso),
)


def wire(agent: "Agent", link: Link) -> dict[str, Any]:
    """``RelationshipOut``."""
    return _render(link, agent)
