"""A customer's contact details (reference A.4, the user guide's customer page: "multiple emails and
phones with one primary each", addresses, representative and branch), and the agency's contact flows
and contacts with them (the SDK's: phone calls, alone or in a named flow, ended SUCCEEDED or FAILED).

The primary e-mail and phone stay the customer's ``email`` and ``phone`` (what ``customers/{id}``,
lists, search, webhooks and logins read); the others are kept beside them. Adding one that is
marked primary, or ``PUT …/{email}/primary``, swaps it in. A primary cannot be deleted while others
exist: make another primary first (the panel's rule: one primary each). Every change is a
``customer.updated`` webhook, as a profile change is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso
from mockserver.core.errors import Duplicate, InvalidState, NotFound, field_error, same_as_path
from mockserver.domain.customers import announce_updated, parse_location
from mockserver.domain.reference import address_tree, render_address, render_ref
from mockserver.domain.references import user_ref
from mockserver.domain.tenant import Phone
from mockserver.wire.common import PhoneNumberOut, national_mobile
from mockserver.wire.customers import (ContactFlowOut, CustomerAddressOut, CustomerContactOut, CustomerEmailOut,
                                       CustomerPhoneOut)
from mockserver.wire.render import Const, Fields, From, renderer
from mockserver.validators.common import isdigits

if TYPE_CHECKING:
    from mockserver.wire.customers import (CustomerAddressRequest, CustomerContactRequest, CustomerEmailRequest,
                                           CustomerPhoneRequest)
    from mockserver.wire.customers import (ContactFlowRequest, CustomerBranchRequest,
                                          CustomerRepresentativeRequest, EndContactFlowRequest)
    from mockserver.domain.tenant import Agent, Customer

ADDRESS_TYPES = ("HOME", "WORK", "BILLING", "TEMPORARY", "OTHER", "UNKNOWN")  # the SDK's AddressType, and BILLING
MAX_EACH = 20  # e-mails, phones and addresses a customer may hold (each)


@dataclass(slots=True)
class CustomerAddress:
    id: str
    customer_id: str
    type: str
    city: str | None
    district: str | None
    text: str
    postal_code: str | None
    created_at: float
    updated_at: float
    is_primary: bool = False
    property_number: int | None = None  # the SDK's form: a UAVT code, the address read from it


def _add(agent: "Agent", c: "Customer", attr: str, others: list[Any], value: Any, primary: bool, shown: str,
         noun: str, code: str, by: dict[str, Any]) -> None:
    """Add an e-mail or a phone: the first, or one marked primary, becomes ``c.<attr>`` (the old primary
    goes first among the others)."""
    current = getattr(c, attr)
    if value == current or value in others:
        raise Duplicate(f"The customer already has the {noun} {shown}.", codes=[f"{code}_DUPLICATE"])
    if len(others) + 1 >= MAX_EACH:
        raise InvalidState(f"A customer holds at most {MAX_EACH} of each: {noun}s are full.", codes=[f"{code}_LIMIT"])
    if primary or current is None:
        if current is not None:
            others.insert(0, current)
        setattr(c, attr, value)
    else:
        others.append(value)
    announce_updated(agent, c, by)


def _remove(agent: "Agent", c: "Customer", attr: str, others: list[Any], value: Any, shown: str, noun: str,
            code: str, first: str, by: dict[str, Any]) -> None:
    """Remove an e-mail or a phone; the primary (``c.<attr>``) only when it is the last one."""
    if value == getattr(c, attr):
        if others:
            raise InvalidState(f"The primary {noun} cannot be deleted while the customer has others; {first} first.",
                               codes=[f"{code}_PRIMARY"])
        setattr(c, attr, None)
    elif value in others:
        others.remove(value)
    else:
        raise NotFound(f"The customer has no {noun} {shown}.", codes=[f"{code}_NOT_FOUND"])
    announce_updated(agent, c, by)


# ----------------------------------------------------------------------------- e-mails
def _emails(agent: "Agent", c: "Customer") -> list[str]:
    return agent.customer_emails.setdefault(c.id, [])


@dataclass(slots=True)
class Listed:
    """An e-mail or a phone as a customer's list shows it: the value and whether it is the primary one."""

    value: Any
    primary: bool


_render_email = renderer(CustomerEmailOut, Listed, email="value", isPrimary="primary")
_render_phone = renderer(
    CustomerPhoneOut, Listed, Fields(("areaCode", "numberWithoutAreaCode"), lambda x, ctx: x.value.split()),
    number="value.number", countryCode="value.country_code",
    phoneNumber=From("value", model=renderer(PhoneNumberOut, Phone)), isPrimary="primary")


def emails(agent: "Agent", c: "Customer") -> list[dict[str, Any]]:
    listed = [Listed(c.email, True)] if c.email else []
    return [_render_email(x) for x in listed + [Listed(e, False) for e in agent.customer_emails.get(c.id, [])]]


def add_email(agent: "Agent", c: "Customer", req: "CustomerEmailRequest", by: dict[str, Any]) -> None:
    email = req.email or req.value
    if email is None:
        raise field_error("email", "is required", None, code="CUSTOMER_EMAIL_INVALID")
    _add(agent, c, "email", _emails(agent, c), email, bool(req.isPrimary), email, "e-mail", "CUSTOMER_EMAIL", by)


def primary_email(c: "Customer") -> dict[str, Any]:
    if not c.email:
        raise NotFound("The customer has no e-mail.", codes=["CUSTOMER_EMAIL_NOT_FOUND"])
    return _render_email(Listed(c.email, True))


def _known_email(agent: "Agent", c: "Customer", email: str) -> str:
    wanted = email.strip().lower()
    if wanted != c.email and wanted not in agent.customer_emails.get(c.id, []):
        raise NotFound(f"The customer has no e-mail '{email}'.", codes=["CUSTOMER_EMAIL_NOT_FOUND"])
    return wanted


def make_primary_email(agent: "Agent", c: "Customer", email: str, by: dict[str, Any]) -> None:
    wanted = _known_email(agent, c, email)
    if wanted == c.email:
        return
    others = _emails(agent, c)
    others.remove(wanted)
    others.insert(0, c.email)  # (c.email is set: wanted is another of its e-mails)
    c.email = wanted
    announce_updated(agent, c, by)


def delete_email(agent: "Agent", c: "Customer", email: str, by: dict[str, Any]) -> None:
    _remove(agent, c, "email", _emails(agent, c), email.strip().lower(), f"'{email}'", "e-mail", "CUSTOMER_EMAIL",
            "make another primary (PUT …/emails/{email}/primary)", by)


# ----------------------------------------------------------------------------- phone numbers
def _phones(agent: "Agent", c: "Customer") -> list[Phone]:
    return agent.customer_phones.setdefault(c.id, [])


def phones(agent: "Agent", c: "Customer") -> list[dict[str, Any]]:
    return [_phone_item(p, i == 0 and c.phone is not None)
            for i, p in enumerate(([c.phone] if c.phone else []) + agent.customer_phones.get(c.id, []))]


def _phone_item(p: Phone, primary: bool) -> dict[str, Any]:
    """A phone in the sandbox's flat form and as the SDK reads it ({phoneNumber: {number, countryCode}, primary})."""
    return _render_phone(Listed(p, primary))


def add_phone(agent: "Agent", c: "Customer", req: "CustomerPhoneRequest", by: dict[str, Any]) -> None:
    mobile = req.mobile
    if mobile is None:
        raise field_error("phoneNumber", "is required", None, code="CUSTOMER_PHONE_INVALID")
    phone = Phone(*mobile)
    _add(agent, c, "phone", _phones(agent, c), phone, bool(req.isPrimary), phone.e164(), "phone number",
         "CUSTOMER_PHONE", by)


def primary_phone(c: "Customer") -> dict[str, Any]:
    if not c.phone:
        raise NotFound("The customer has no phone number.", codes=["CUSTOMER_PHONE_NOT_FOUND"])
    return _phone_item(c.phone, True)


def _phone_key(key: str) -> Phone:
    """``{CountryCode}-{PhoneNumber}`` as the SDK path names it (``90-5321234567``)."""
    country, sep, number = key.partition("-")
    if not sep or not isdigits(country.lstrip("+")) or not isdigits(number) or len(country) > 4 or len(number) > 15:
        raise field_error("phoneNumber", "must be {countryCode}-{number}, e.g. 90-5321234567", key,
                          code="CUSTOMER_PHONE_INVALID")
    cc = int(country.lstrip("+"))
    try:
        return Phone(national_mobile(number, cc), cc)
    except ValueError as exc:
        raise field_error("phoneNumber", str(exc), key, code="CUSTOMER_PHONE_INVALID") from None


def delete_phone(agent: "Agent", c: "Customer", key: str, by: dict[str, Any]) -> None:
    phone = _phone_key(key)
    _remove(agent, c, "phone", _phones(agent, c), phone, phone.e164(), "phone number", "CUSTOMER_PHONE",
            "add another with isPrimary: true", by)


# ----------------------------------------------------------------------------- addresses
def _uavt(a: CustomerAddress, _ctx: Any) -> Any:
    from mockserver.domain import registries

    return registries.uavt_address(a.property_number) if a.property_number is not None else None


address_wire = renderer(
    CustomerAddressOut, CustomerAddress, isPrimary="is_primary",
    city=From(lambda a, ctx: address_tree().city_by_code[a.city] if a.city else None, model=render_ref),
    district=From(lambda a, ctx: address_tree().district_by_code[a.district] if a.district else None,
                  model=render_ref),
    addressText="text", address=From(_uavt, model=render_address), createdAt=From(convert=iso),
    updatedAt=From(convert=iso),
)
"""The sandbox's address and the SDK's GetCustomerAddressResult (propertyNumber, address) in one."""


def addresses(agent: "Agent", c: "Customer") -> list[CustomerAddress]:
    return [a for a in agent.customer_addresses.values() if a.customer_id == c.id]


def address(agent: "Agent", c: "Customer", address_id: str) -> CustomerAddress:
    found = agent.customer_addresses.get(address_id)
    if found is None or found.customer_id != c.id:
        raise NotFound(f"Address '{address_id}' was not found.", codes=["CUSTOMER_ADDRESS_NOT_FOUND"])
    return found


def save_address(agent: "Agent", c: "Customer", req: "CustomerAddressRequest", by: dict[str, Any],
                 current: CustomerAddress | None = None) -> CustomerAddress:
    """``POST`` (``current`` None) or ``PUT`` an address from the parsed request; the fields not sent
    keep the current address's. A UAVT code (the SDK's ``propertyNumber``) names the whole address."""
    if current is not None:
        same_as_path(req.id, "id", current.id, code="CUSTOMER_ADDRESS_ID_MISMATCH")
    sent = req.model_fields_set
    kind = str(req.type or (current.type if current else "HOME")).upper()
    if kind not in ADDRESS_TYPES:
        raise field_error("type", f"must be one of {', '.join(ADDRESS_TYPES)}", req.type,
                          code="CUSTOMER_ADDRESS_INVALID")
    number = current.property_number if current else None
    text = current.text if current else None
    place = {k: getattr(req, k) for k in ("cityReference", "districtReference") if k in sent}
    if req.propertyNumber is not None:
        from mockserver.domain import properties, registries

        number = properties.parse_uavt("propertyNumber", req.propertyNumber)
        found = registries.uavt_address(number)
        text = req.addressText or found.line()
        place = {"cityReference": found.city.value, "districtReference": found.district.value}
    elif "addressText" in sent or "address" in sent:
        text = req.addressText if "addressText" in sent else req.address
    if not isinstance(text, str) or not text.strip():
        raise field_error("addressText", "is required (the street, building and door)", None,
                          code="CUSTOMER_ADDRESS_INVALID")
    city, district = parse_location(place, (current.city, current.district) if current else (None, None))
    postal = req.postalCode if "postalCode" in sent else (current.postal_code if current else None)
    if current is None and len(addresses(agent, c)) >= MAX_EACH:
        raise InvalidState(f"A customer holds at most {MAX_EACH} addresses.", codes=["CUSTOMER_ADDRESS_LIMIT"])
    now = agent.now()
    if current is None:
        current = CustomerAddress(agent.ids.guid(), c.id, kind, city, district, text.strip(),
                                  str(postal) if postal is not None else None, now, now, property_number=number)
        agent.customer_addresses[current.id] = current
    else:
        current.type, current.city, current.district, current.text = kind, city, district, text.strip()
        current.property_number = number
        current.postal_code, current.updated_at = (str(postal) if postal is not None else None), now
    mine = addresses(agent, c)
    if req.isPrimary or len(mine) == 1:
        for a in mine:
            a.is_primary = a is current
    announce_updated(agent, c, by)
    return current


def delete_address(agent: "Agent", c: "Customer", a: CustomerAddress, by: dict[str, Any]) -> None:
    del agent.customer_addresses[a.id]
    rest = addresses(agent, c)
    if a.is_primary and rest:
        rest[0].is_primary = True
    announce_updated(agent, c, by)


# ----------------------------------------------------------------------------- contact flows and contacts
@dataclass(slots=True)
class ContactFlow:
    """A communication workflow with a customer (the SDK's GetCustomerContactFlowsResultItem)."""

    id: str
    customer_id: str
    name: str
    case_ref: str | None
    created_by: dict[str, Any] | None
    created_at: float
    state: str = "ACTIVE"  # ACTIVE | SUCCEEDED | FAILED (the contract's ContactFlowState)
    ended_at: float | None = None


@dataclass(slots=True)
class Contact:
    """One contact with the customer: a phone call (the SDK's PhoneCallContactResultItem)."""

    id: str
    customer_id: str
    state: str  # PLANNED | OCCURRED (the contract's ContactState)
    created_by: dict[str, Any] | None
    created_at: float
    planned_at: float | None
    started_at: float | None
    flow_id: str | None
    representative: dict[str, Any] | None
    hang_up_at: float | None = None


MAX_FLOWS, MAX_CONTACTS = 200, 2000  # per customer (README "Limits")


def _case_ref(agent: "Agent", c: "Customer", raw: Any, path: str = "caseRef") -> str | None:
    if raw in (None, ""):
        return None
    case = agent.cases.get(agent.case_refs.get(str(raw).upper(), "")) if isinstance(raw, str) else None
    if case is None or case.customer_id != c.id:
        raise field_error(path, "is not a case of this customer (a case ref such as SF-2026-000001)",
                          raw if isinstance(raw, str) else None, code="CASE_NOT_FOUND")
    return case.ref


def create_flow(agent: "Agent", c: "Customer", req: "ContactFlowRequest", by: dict[str, Any]) -> ContactFlow:
    name = req.name
    if name is None:
        raise field_error("name", "is required, 1 to 200 characters", None, code="CONTACT_FLOW_INVALID")
    ref = _case_ref(agent, c, req.caseRef)
    if sum(1 for f in agent.contact_flows.values() if f.customer_id == c.id) >= MAX_FLOWS:
        raise InvalidState(f"A customer has at most {MAX_FLOWS} contact flows.", codes=["CONTACT_FLOW_LIMIT"])
    made = ContactFlow(agent.ids.guid(), c.id, name.strip(), ref, by, agent.now())
    agent.contact_flows[made.id] = made
    return made


def flow(agent: "Agent", c: "Customer", flow_id: str) -> ContactFlow:
    found = agent.contact_flows.get(flow_id)
    if found is None or found.customer_id != c.id:
        raise NotFound(f"The customer has no contact flow '{flow_id}'.", codes=["CONTACT_FLOW_NOT_FOUND"])
    return found


def end_flow(agent: "Agent", f: ContactFlow, req: "EndContactFlowRequest") -> None:
    if f.state != "ACTIVE":
        raise InvalidState(f"The contact flow ended already ({f.state}).", codes=["CONTACT_FLOW_ENDED"])
    f.state, f.ended_at = req.state or "SUCCEEDED", agent.now()


def create_contact(agent: "Agent", c: "Customer", req: "CustomerContactRequest", by: dict[str, Any],
                   user_id: str | None) -> Contact:
    """A phone call with the customer: made now (OCCURRED), or planned for ``plannedTime``."""

    flow_id = req.flowId or req.contactFlowId
    if flow_id is not None:
        f = agent.contact_flows.get(flow_id)
        if f is None or f.customer_id != c.id or f.state != "ACTIVE":
            raise field_error("flowId", "is not an active contact flow of this customer", flow_id,
                              code="CONTACT_FLOW_NOT_FOUND")
    planned = req.plannedTime.timestamp() if req.plannedTime is not None else None
    rep_id = req.representativeId or req.representativeAgentUserId or user_id
    representative = user_ref(agent, rep_id, "representativeId") if rep_id else None
    if sum(1 for x in agent.contact_records.values() if x.customer_id == c.id) >= MAX_CONTACTS:
        raise InvalidState(f"A customer has at most {MAX_CONTACTS} contacts.", codes=["CONTACT_LIMIT"])
    now = agent.now()
    future = planned is not None and planned > now
    made = Contact(agent.ids.guid(), c.id, "PLANNED" if future else "OCCURRED", by, now, planned,
                   None if future else now, flow_id, representative)
    agent.contact_records[made.id] = made
    return made


# a flow's renderer; ctx: how many contacts each flow holds (by flow id)
_render_flow = renderer(ContactFlowOut, ContactFlow, contactsCount=lambda f, counts: counts.get(f.id, 0),
                        endedDate=From("ended_at", convert=iso), createdAt=From(convert=iso))
_render_contact = renderer(
    CustomerContactOut, Contact, type=Const("PHONE_CALL"), createdAt=From(convert=iso),
    attemptTime=From("started_at", convert=iso), startTime=From("started_at", convert=iso),
    plannedTime=From("planned_at", convert=iso), hangUpTime=From("hang_up_at", convert=iso))


def flows_wire(agent: "Agent", c: "Customer", case_ref: Any) -> list[dict[str, Any]]:
    ref = _case_ref(agent, c, case_ref)
    counts: dict[str, int] = {}
    for x in agent.contact_records.values():
        if x.flow_id:
            counts[x.flow_id] = counts.get(x.flow_id, 0) + 1
    return [_render_flow(f, counts) for f in reversed(agent.contact_flows.values())
            if f.customer_id == c.id and (ref is None or f.case_ref == ref)]


def contacts_wire(agent: "Agent", c: "Customer", case_ref: Any) -> list[dict[str, Any]]:
    ref = _case_ref(agent, c, case_ref)
    flows_of_case = {f.id for f in agent.contact_flows.values() if ref is not None and f.case_ref == ref}
    return [_render_contact(x) for x in reversed(agent.contact_records.values())
            if x.customer_id == c.id and (ref is None or x.flow_id in flows_of_case)]


# ----------------------------------------------------------------------------- who looks after the customer
def set_branch(agent: "Agent", c: "Customer", req: "CustomerBranchRequest", by: dict[str, Any]) -> None:
    from mockserver.domain.branches import known_branch

    given = req.agentBranchId if "agentBranchId" in req.model_fields_set else req.branchId
    c.agent_branch_id = known_branch(agent, given)
    announce_updated(agent, c, by)


def set_representative(agent: "Agent", c: "Customer", req: "CustomerRepresentativeRequest",
                       by: dict[str, Any]) -> None:
    given = req.agentUserId if "agentUserId" in req.model_fields_set else req.representativeId
    c.represented_by = user_ref(agent, given, "agentUserId")
    announce_updated(agent, c, by)
