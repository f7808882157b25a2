"""A customer's contact details (reference A.4, the user guide's customer page: "multiple emails and
phones with one primary each", addresses, representative and branch) and what the agency sent them.

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
from mockserver.domain.customers import announce_updated, parse_email, parse_location, parse_phone, place_of
from mockserver.domain.tenant import Phone
from mockserver.validators.common import isdigits

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Customer

ADDRESS_TYPES = ("HOME", "WORK", "BILLING", "OTHER")
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


def _changed(agent: "Agent", c: "Customer", by: dict[str, Any]) -> None:
    announce_updated(agent, c, by)


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
    _changed(agent, c, by)


# ----------------------------------------------------------------------------- e-mails
def _emails(agent: "Agent", c: "Customer") -> list[str]:
    return agent.customer_emails.setdefault(c.id, [])


def emails(agent: "Agent", c: "Customer") -> list[dict[str, Any]]:
    out = [{"email": c.email, "isPrimary": True}] if c.email else []
    return out + [{"email": e, "isPrimary": False} for e in agent.customer_emails.get(c.id, [])]


def add_email(agent: "Agent", c: "Customer", body: dict[str, Any], by: dict[str, Any]) -> None:
    email = parse_email("email", body.get("email") or body.get("value"))
    if email is None:
        raise field_error("email", "is required", None, code="CUSTOMER_EMAIL_INVALID")
    _add(agent, c, "email", _emails(agent, c), email, bool(body.get("isPrimary")), email, "e-mail", "CUSTOMER_EMAIL", by)


def primary_email(c: "Customer") -> dict[str, Any]:
    if not c.email:
        raise NotFound("The customer has no e-mail.", codes=["CUSTOMER_EMAIL_NOT_FOUND"])
    return {"email": c.email, "isPrimary": True}


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
    _changed(agent, c, by)


def delete_email(agent: "Agent", c: "Customer", email: str, by: dict[str, Any]) -> None:
    wanted = _known_email(agent, c, email)
    others = _emails(agent, c)
    if wanted == c.email:
        if others:
            raise InvalidState("The primary e-mail cannot be deleted while the customer has others; make another "
                               "primary first (PUT …/emails/{email}/primary).", codes=["CUSTOMER_EMAIL_PRIMARY"])
        c.email = None
    else:
        others.remove(wanted)
    _changed(agent, c, by)


# ----------------------------------------------------------------------------- phone numbers
def _phones(agent: "Agent", c: "Customer") -> list[Phone]:
    return agent.customer_phones.setdefault(c.id, [])


def phones(agent: "Agent", c: "Customer") -> list[dict[str, Any]]:
    out = [{**c.phone.wire(), "isPrimary": True}] if c.phone else []
    return out + [{**p.wire(), "isPrimary": False} for p in agent.customer_phones.get(c.id, [])]


def add_phone(agent: "Agent", c: "Customer", body: dict[str, Any], by: dict[str, Any]) -> None:
    raw = body.get("phoneNumber", body if "number" in body else None)
    phone = parse_phone("phoneNumber" if "phoneNumber" in body else "number", raw, required=True)
    assert phone is not None
    _add(agent, c, "phone", _phones(agent, c), phone, bool(body.get("isPrimary")), phone.e164(), "phone number",
         "CUSTOMER_PHONE", by)


def primary_phone(c: "Customer") -> dict[str, Any]:
    if not c.phone:
        raise NotFound("The customer has no phone number.", codes=["CUSTOMER_PHONE_NOT_FOUND"])
    return {**c.phone.wire(), "isPrimary": True}


def _phone_key(key: str) -> Phone:
    """``{CountryCode}-{PhoneNumber}`` as the SDK path names it (``90-5321234567``)."""
    country, sep, number = key.partition("-")
    if not sep or not isdigits(country.lstrip("+")) or not isdigits(number) or len(country) > 4 or len(number) > 15:
        raise field_error("phoneNumber", "must be {countryCode}-{number}, e.g. 90-5321234567", key,
                          code="CUSTOMER_PHONE_INVALID")
    found = parse_phone("phoneNumber", {"number": number, "countryCode": int(country.lstrip("+"))})
    assert found is not None
    return found


def delete_phone(agent: "Agent", c: "Customer", key: str, by: dict[str, Any]) -> None:
    phone = _phone_key(key)
    others = _phones(agent, c)
    if phone == c.phone:
        if others:
            raise InvalidState("The primary phone number cannot be deleted while the customer has others; add "
                               "another with isPrimary: true first.", codes=["CUSTOMER_PHONE_PRIMARY"])
        c.phone = None
    elif phone in others:
        others.remove(phone)
    else:
        raise NotFound(f"The customer has no phone number {phone.e164()}.", codes=["CUSTOMER_PHONE_NOT_FOUND"])
    _changed(agent, c, by)


# ----------------------------------------------------------------------------- addresses
def address_wire(a: CustomerAddress) -> dict[str, Any]:
    city, district = place_of(a.city, a.district)
    return {"id": a.id, "customerId": a.customer_id, "type": a.type, "isPrimary": a.is_primary,
            "city": city, "district": district,
            "addressText": a.text, "postalCode": a.postal_code,
            "createdAt": iso(a.created_at), "updatedAt": iso(a.updated_at)}


def addresses(agent: "Agent", c: "Customer") -> list[CustomerAddress]:
    return [a for a in agent.customer_addresses.values() if a.customer_id == c.id]


def address(agent: "Agent", c: "Customer", address_id: str) -> CustomerAddress:
    found = agent.customer_addresses.get(address_id)
    if found is None or found.customer_id != c.id:
        raise NotFound(f"Address '{address_id}' was not found.", codes=["CUSTOMER_ADDRESS_NOT_FOUND"])
    return found


def save_address(agent: "Agent", c: "Customer", body: dict[str, Any], by: dict[str, Any],
                 current: CustomerAddress | None = None) -> CustomerAddress:
    if current is not None:
        same_as_path(body.get("id"), "id", current.id, code="CUSTOMER_ADDRESS_ID_MISMATCH")
    kind = str(body.get("type") or (current.type if current else "HOME")).upper()
    if kind not in ADDRESS_TYPES:
        raise field_error("type", f"must be one of {', '.join(ADDRESS_TYPES)}", body.get("type"),
                          code="CUSTOMER_ADDRESS_INVALID")
    text = body.get("addressText", body.get("address", current.text if current else None))
    if not isinstance(text, str) or not text.strip():
        raise field_error("addressText", "is required (the street, building and door)", None,
                          code="CUSTOMER_ADDRESS_INVALID")
    city, district = parse_location(body, (current.city, current.district) if current else (None, None))
    postal = body.get("postalCode", current.postal_code if current else None)
    if postal is not None and (not isdigits(str(postal)) or len(str(postal)) != 5):
        raise field_error("postalCode", "must be 5 digits", postal, code="CUSTOMER_ADDRESS_INVALID")
    if current is None and len(addresses(agent, c)) >= MAX_EACH:
        raise InvalidState(f"A customer holds at most {MAX_EACH} addresses.", codes=["CUSTOMER_ADDRESS_LIMIT"])
    now = agent.now()
    if current is None:
        current = CustomerAddress(agent.ids.guid(), c.id, kind, city, district, text.strip(),
                                  str(postal) if postal is not None else None, now, now)
        agent.customer_addresses[current.id] = current
    else:
        current.type, current.city, current.district, current.text = kind, city, district, text.strip()
        current.postal_code, current.updated_at = (str(postal) if postal is not None else None), now
    mine = addresses(agent, c)
    if body.get("isPrimary") or len(mine) == 1:
        for a in mine:
            a.is_primary = a is current
    _changed(agent, c, by)
    return current


def delete_address(agent: "Agent", c: "Customer", a: CustomerAddress, by: dict[str, Any]) -> None:
    del agent.customer_addresses[a.id]
    rest = addresses(agent, c)
    if a.is_primary and rest:
        rest[0].is_primary = True
    _changed(agent, c, by)


# ----------------------------------------------------------------------------- all of it
def contacts(agent: "Agent", c: "Customer") -> dict[str, Any]:
    """Every way to reach the customer, with whether they agreed to commercial messages (ETK)."""
    etk = c.consents.get("ETK")
    return {"customerId": c.id, "emails": emails(agent, c), "phoneNumbers": phones(agent, c),
            "addresses": [address_wire(a) for a in addresses(agent, c)],
            "commercialMessagesAllowed": bool(etk and etk.active)}


def contact_flows(agent: "Agent", c: "Customer") -> list[dict[str, Any]]:
    """What the agency sent the customer (documents by e-mail or SMS, one-time codes) and their
    consent changes, newest first: the customer page's communication history."""
    mails = {c.email, *agent.customer_emails.get(c.id, [])} - {None}
    numbers = {p.number for p in ([c.phone] if c.phone else []) + agent.customer_phones.get(c.id, [])}
    flows: list[dict[str, Any]] = []
    for m in agent.outbox:
        to = str(m.get("to", "")).lower()
        if m.get("customerId") == c.id or to in mails or to[-10:] in numbers:
            flows.append({"id": m["id"], "channel": "EMAIL" if m["channel"] == "email" else "SMS",
                          "direction": "OUTBOUND", "kind": m.get("kind"), "subject": m.get("subject"),
                          "at": m["sentAt"]})
    for s in agent.sms:
        if s.to[-10:] in numbers:
            flows.append({"id": s.id, "channel": "SMS", "direction": "OUTBOUND", "kind": s.purpose,
                          "subject": None, "at": s.sent_at})
    for consent in c.consents.values():
        flows.append({"id": f"{c.id}:{consent.consent_type}", "channel": consent.channel, "direction": "INBOUND",
                      "kind": f"consent.{consent.consent_type.lower()}.{'granted' if consent.active else 'revoked'}",
                      "subject": None, "at": consent.changed_at})
    flows.sort(key=lambda f: f["at"], reverse=True)
    return [{**f, "at": iso(f["at"])} for f in flows]


# ----------------------------------------------------------------------------- who looks after the customer
def set_branch(agent: "Agent", c: "Customer", body: dict[str, Any], by: dict[str, Any]) -> None:
    from mockserver.domain.admin import known_branch

    c.agent_branch_id = known_branch(agent, body.get("agentBranchId", body.get("branchId")))
    _changed(agent, c, by)


def set_representative(agent: "Agent", c: "Customer", body: dict[str, Any], by: dict[str, Any]) -> None:
    from mockserver.domain.admin import user_ref

    c.represented_by = user_ref(agent, body.get("agentUserId", body.get("representativeId", body.get("representedById"))),
                                "agentUserId")
    _changed(agent, c, by)
