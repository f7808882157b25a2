"""Properties (homes and workplaces) keyed by their UAVT address code, the UAVT and old-DASK-policy
lookups, and the body real clients read back (``address.{city,…,apartment}`` as ``{value, text}``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso
from mockserver.core.errors import Duplicate, FieldError, InputValidation, field_error
from mockserver.domain import enums, records, registries
from mockserver.domain.tenant import Property
from mockserver.domain.reference import render_address
from mockserver.wire.properties import PropertyOut, PropertyRequest, PropertyUpdateRequest
from mockserver.wire.events import PropertyCreated, PropertyUpdated
from mockserver.wire.render import Const, From, renderer
from mockserver.validators.common import isdigits

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Customer


def parse_uavt(path: str, raw: Any) -> int:
    if raw is None or raw == "":
        raise field_error(path, "is required (the 10-digit UAVT address code)", raw)
    if isinstance(raw, bool) or not isdigits(str(raw).strip()) or len(str(raw).strip()) != 10:
        raise field_error(path, "must be a 10-digit UAVT address code", raw if isinstance(raw, (str, int)) else None)
    return int(str(raw).strip())


def parse_policy_number(path: str, raw: Any) -> str:
    if raw is None or raw == "":
        raise field_error(path, "is required (the 8-digit DASK policy number)", raw)
    text = str(raw).strip()
    if isinstance(raw, bool) or not isdigits(text) or len(text) != 8:
        raise field_error(path, "must be an 8-digit DASK policy number", raw if isinstance(raw, (str, int)) else None)
    return text


def parse_body(agent: "Agent", req: PropertyUpdateRequest, *, current: Property | None = None) -> dict[str, Any]:
    """What the route's model parsed, with the rules that need the registry or the clock: a known UAVT
    code, a construction year not in the future, the enums' spellings."""
    errors: list[FieldError] = []
    number = current.number if current else None
    given = req.model_fields_set
    key = next((k for k in ("number", "propertyNumber", "uavtCode") if getattr(req, k) is not None), None)
    raw_number = getattr(req, key) if key else None
    if key is None and isinstance(req.address, dict):
        apt = req.address.get("apartment")
        if isinstance(apt, dict) and apt.get("value"):
            key, raw_number = "address.apartment.value", apt["value"]
    if key is None:
        if current is None:
            errors.append(FieldError("number", "is required (the 10-digit UAVT code of the apartment; "
                                     "get it from address-parameters/apartments or a UAVT query)", None))
    else:
        try:
            number = parse_uavt(key, raw_number)
            if not registries.is_known_uavt(number):
                errors.append(FieldError(key, "is not a known UAVT code (Failed to get address by uavt code)", number))
        except InputValidation as exc:
            errors += exc.field_errors
    out: dict[str, Any] = {"number": number}
    out["squareMeter"] = req.squareMeter if req.squareMeter is not None else current.square_meter if current else None
    out["constructionYear"] = (req.constructionYear if req.constructionYear is not None
                               else current.construction_year if current else None)
    if req.constructionYear is not None and req.constructionYear > agent.today().year + 1:
        errors.append(FieldError("constructionYear", f"must not be after {agent.today().year + 1}", req.constructionYear))
    out["floor"] = (req.floor.wire() if req.floor is not None else None) if "floor" in given else (
        current.floor if current else None)
    for k, values, default, attr in (("structure", enums.PROPERTY_STRUCTURE, "UNKNOWN", "structure"),
                                     ("utilizationStyle", enums.PROPERTY_UTILIZATION, "HOUSE", "utilization_style"),
                                     ("damageStatus", enums.PROPERTY_DAMAGE, "NONE", "damage_status"),
                                     ("ownershipType", enums.PROPERTY_OWNERSHIP, "PROPRIETOR", "ownership_type")):
        raw_enum = getattr(req, k)
        try:
            value = enums.enum_value(k, raw_enum.model_dump() if hasattr(raw_enum, "model_dump") else raw_enum, values)
        except InputValidation as exc:
            errors += exc.field_errors
            value = None
        out[k] = value or (getattr(current, attr) if current else default)
    for k in ("daskOldPolicyNumber", "KonutOldPolicyNumber", "konutOldPolicyNumber"):
        raw = getattr(req, k)
        if raw not in (None, ""):
            try:
                out[k.lower()] = parse_policy_number(k, raw)
            except InputValidation as exc:
                errors += exc.field_errors
    out["lossPayeeClause"] = ((req.lossPayeeClause.model_dump(by_alias=True) if req.lossPayeeClause is not None else None)
                              if "lossPayeeClause" in given else current.loss_payee if current else None)
    if errors:
        raise InputValidation("One or more property fields are invalid.", field_errors=errors)
    return out


def create(agent: "Agent", customer: "Customer", req: PropertyRequest, *, by: dict[str, Any]) -> Property:
    data = parse_body(agent, req)
    if any(p.number == data["number"] for p in agent.indexes.of(agent, "properties", "customerId", customer.id)):
        raise Duplicate(f"Bu UAVT koduna ({data['number']}) ait bir mülk müşteride zaten kayıtlı.",
                        codes=["PROPERTY_ALREADY_EXISTS"],
                        suggestions=["Update the existing property with PUT customers/{customerId}/properties/{propertyId}."])
    now = agent.now()
    prop = Property(id=agent.ids.guid(), customer_id=customer.id, number=data["number"],
                    dask_old_policy_number=data.get("daskoldpolicynumber"),
                    konut_old_policy_number=data.get("konutoldpolicynumber"),
                    square_meter=data["squareMeter"], construction_year=data["constructionYear"], floor=data["floor"],
                    structure=data["structure"], utilization_style=data["utilizationStyle"],
                    damage_status=data["damageStatus"], ownership_type=data["ownershipType"],
                    loss_payee=data["lossPayeeClause"], created_at=now, updated_at=now)
    agent.properties.add(prop)
    agent.event(_created_event(prop))
    return prop


def update(agent: "Agent", prop: Property, req: PropertyUpdateRequest, *, by: dict[str, Any]) -> Property:
    if req.propertyId not in (None, "", prop.id):
        raise field_error("propertyId", f"does not match the property id in the path ({prop.id})", req.propertyId)
    data = parse_body(agent, req, current=prop)
    if any(p.number == data["number"] and p.id != prop.id
           for p in agent.indexes.of(agent, "properties", "customerId", prop.customer_id)):
        raise Duplicate(f"Bu UAVT koduna ({data['number']}) ait başka bir mülk zaten kayıtlı.",
                        codes=["PROPERTY_ALREADY_EXISTS"])
    prop.number = data["number"]
    prop.square_meter, prop.construction_year, prop.floor = data["squareMeter"], data["constructionYear"], data["floor"]
    prop.structure, prop.utilization_style = data["structure"], data["utilizationStyle"]
    prop.damage_status, prop.ownership_type, prop.loss_payee = data["damageStatus"], data["ownershipType"], data["lossPayeeClause"]
    prop.dask_old_policy_number = data.get("daskoldpolicynumber", prop.dask_old_policy_number)
    prop.konut_old_policy_number = data.get("konutoldpolicynumber", prop.konut_old_policy_number)
    prop.updated_at = agent.now()
    agent.event(_updated_event(prop, by))
    return prop


def get(agent: "Agent", customer_id: str, property_id: str) -> Property:
    """The customer's property; another customer's answers as one that does not exist."""
    p = agent.properties.get(property_id)
    if p is None or p.customer_id != customer_id:
        raise records.PROPERTY(property_id)
    return p


def delete(agent: "Agent", p: Property) -> None:
    agent.properties.remove(p.id)


wire = renderer(PropertyOut, Property, address=From(lambda p, ctx: registries.uavt_address(p.number), model=render_address),
                lossPayeeClause="loss_payee", createdAt=From(convert=iso), updatedAt=From(convert=iso))
"""``GET customers/{id}/properties/{propertyId}``'s answer (``PropertyOut``) for a property."""


_EVENT_FIELDS = dict(propertyId="id", propertyNumber="number",
                     address=lambda p, ctx: registries.uavt_address(p.number).line())
_created_event = renderer(PropertyCreated, Property, event=Const("property.created"), createdAt=From(convert=iso),
                          **_EVENT_FIELDS)
# ctx: who changed it (a user reference)
_updated_event = renderer(PropertyUpdated, Property, event=Const("property.updated"), updatedAt=From(convert=iso),
                          updatedBy=lambda p, by: by, **_EVENT_FIELDS)
