"""Customers: registration through OTP login, B2B creation, updates, consents, health info, and
the wire body every client reads (``GET customers/me``)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso, iso_turkey
from mockserver.core.errors import AccessDenied, Duplicate, FieldError, InputValidation, field_error
from mockserver.domain import enums, registries
from mockserver.domain.reference import address_tree, render_ref
from mockserver.domain.references import user_ref
from mockserver.domain.tenant import Consent, Customer, HealthInfo, Phone, render_phone
from mockserver.validators.common import isdigits
from mockserver.wire.common import ReferenceIn, ValueRef
from mockserver.wire.customers import ConsentOut, CustomerOut
from mockserver.wire.events import (CustomerCreated, CustomerUpdated, EtkConsentGiven, EtkConsentRevoked,
                                    KvkkConsentGiven, KvkkConsentRevoked, event_name)
from mockserver.wire.render import Const, Fields, From, Is, IsNot, renderer
from mockserver.validators.turkish import is_tckn, is_vkn, is_ykn

if TYPE_CHECKING:
    from mockserver.wire.common import CustomerIdentityIn
    from mockserver.wire.customers import CustomerCreateRequest, CustomerUpdateRequest, HealthInfoRequest
    from mockserver.domain.tenant import Agent

WIRE_TYPE = {"individual": "INDIVIDUAL", "company": "COMPANY", "foreign": "FOREIGN"}
_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")


# ----------------------------------------------------------------------------- input parsing
def parse_identity(ctype: str, req: "CustomerIdentityIn") -> tuple[str, str]:
    """(path, number) after checking the checksum that applies to the customer type."""
    if ctype == "company":
        path = "taxNumber" if req.taxNumber not in (None, "") else "identityNumber"
        raw = getattr(req, path)
        number = _digits_text(path, raw)
        if not is_vkn(number):
            raise field_error(path, "must be a 10-digit tax number (VKN) with a valid check digit", raw,
                              code="INVALID_TAX_NUMBER")
        return path, number
    raw = req.identityNumber
    number = _digits_text("identityNumber", raw, allow_alnum=ctype == "foreign")
    if ctype == "individual" and not is_tckn(number):
        raise field_error("identityNumber", "must be an 11-digit TCKN with valid check digits", raw,
                          code="INVALID_IDENTITY_NUMBER")
    if ctype == "foreign" and not (is_ykn(number) or (_PASSPORT.match(number) and not isdigits(number))):
        raise field_error("identityNumber", "must be a foreigner id (11 digits starting with 99, valid check "
                          "digits) or a passport number (5-20 letters and digits)", raw, code="INVALID_IDENTITY_NUMBER")
    return "identityNumber", number


def _digits_text(path: str, raw: Any, *, allow_alnum: bool = False) -> str:
    if raw is None or raw == "":
        raise field_error(path, "is required", raw)
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise field_error(path, "must be a string or a number", None)
    text = str(raw).strip().upper()
    if not allow_alnum and not isdigits(text):
        raise field_error(path, "must contain digits only", raw)
    return text


def parse_birth_date(path: str, raw: Any, today: date) -> date | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise field_error(path, "must be a date string (YYYY-MM-DD or dd.mm.yyyy)", raw if isinstance(raw, int) else None)
    text = raw.strip()
    value: date | None = None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            value = datetime.strptime(text, fmt).date()
            break
        except ValueError:
            continue
    if value is None:
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            raise field_error(path, "must be a date (YYYY-MM-DD or dd.mm.yyyy)", raw) from None
    if value > today:
        raise field_error(path, "must not be in the future", raw)
    if value.year < today.year - 120:
        raise field_error(path, "is more than 120 years ago", raw)
    return value


def _ref_value(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, ValueRef):  # a {value, text} or {reference} echo the model parsed
        raw = raw.value if raw.value is not None else raw.reference
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        return "\x00invalid"
    return str(raw).strip() or None


def parse_location(sent: dict[str, Any], current: tuple[str | None, str | None]) -> tuple[str | None, str | None]:
    """City and district from the ``cityReference``/``districtReference`` (or echoed ``city``/``district``)
    values a request's model parsed, by the names sent; keeps the current value for a key not sent."""
    tree = address_tree()
    city, district = current
    city_key = "cityReference" if "cityReference" in sent else ("city" if "city" in sent else None)
    district_key = "districtReference" if "districtReference" in sent else ("district" if "district" in sent else None)
    if city_key:
        city = _ref_value(sent[city_key])
        if city is not None:
            if isdigits(city):
                city = city.zfill(2)
            if city not in tree.city_by_code:
                name = next((c.value for c in tree.cities if c.text == str(city).upper()), None)
                if name is None:
                    raise field_error(city_key, "is not a city code of address-parameters/cities (e.g. \"34\")",
                                      sent[city_key] if isinstance(sent[city_key], (str, int)) else None)
                city = name
    if district_key:
        district = _ref_value(sent[district_key])
        if district is not None and district not in tree.district_by_code:
            raise field_error(district_key, "is not a district code of address-parameters/districts",
                              sent[district_key] if isinstance(sent[district_key], (str, int)) else None)
    if district is not None:
        owner = tree.district_city[district]
        if city is None or (city_key and not district_key and city != owner):
            if city_key and not district_key:
                district = None  # city changed: the old district no longer applies
            else:
                city = owner
        elif city != owner:
            raise field_error(district_key or "districtReference",
                              f"district {district} is not in city {city}", district)
    return city, district


# ----------------------------------------------------------------------------- lifecycle
def _index_key(c: Customer) -> tuple[str, str]:
    return ("company" if c.type == "company" else "person", c.identity_number)


def find_by_identity(agent: "Agent", ctype: str, number: str) -> Customer | None:
    cid = agent.customer_index.get(("company" if ctype == "company" else "person", number))
    return agent.customers.get(cid) if cid else None


def new_customer(agent: "Agent", *, ctype: str, number: str, channel: str, created_by: dict[str, Any] | None,
                 birth_date: date | None = None, phone: Phone | None = None, email: str | None = None,
                 fill_from_registry: bool = True, branch_id: str | None = None) -> Customer:
    now = agent.now()
    c = Customer(id=agent.ids.guid(), type=ctype, identity_number=number, created_at=now, updated_at=now,
                 creation_channel=channel, created_by=created_by, birth_date=birth_date, phone=phone, email=email,
                 agent_branch_id=branch_id)
    if fill_from_registry:
        if ctype == "individual":
            person = registries.mernis(number)
            c.full_name, c.gender, c.city, c.district = person.full_name, person.gender, person.city, person.district
            c.nationality = "TURKISH"
        elif ctype == "company":
            c.title = registries.company_title(number)
    agent.customers.add(c)
    agent.customer_index[_index_key(c)] = c.id
    return c


def announce_created(agent: "Agent", c: Customer) -> None:
    agent.event(_created_event(c))
    for consent in c.consents.values():
        _consent_event(agent, c, consent)


def create(agent: "Agent", req: "CustomerCreateRequest", *, created_by: dict[str, Any], channel: str = "API") -> Customer:
    """``POST customers`` (agent users and service accounts), from the parsed request."""
    ctype = req.kind()
    path, number = parse_identity(ctype, req)
    if find_by_identity(agent, ctype, number):
        raise Duplicate(f"A customer with {path} {number} already exists.", codes=["CUSTOMER_ALREADY_EXISTS"])
    fill = req.fillMissingFields
    birth = parse_birth_date("birthDate", req.birthDate or req.birthday, agent.today())
    mobile = req.phoneNumber or req.primaryPhoneNumber
    phone = Phone(*mobile) if mobile else None
    email = req.email or req.primaryEmail
    requested_channel = enums.enum_value("channel", req.channel, enums.CHANNELS, ints=False)
    branch = req.agentBranchId or None
    if fill and ctype == "individual":
        registries.mernis(number)  # surface registry failures before anything is stored
    c = new_customer(agent, ctype=ctype, number=number, channel=requested_channel or channel, created_by=created_by,
                     birth_date=birth, phone=phone, email=email, fill_from_registry=fill, branch_id=branch)
    try:
        _apply_profile(agent, c, req)
        if ctype in ("individual", "foreign") and not c.full_name:
            raise field_error("fullName", "is required for individual and foreign customers unless fillMissingFields is true", None)
        if ctype == "company" and not c.title:
            raise field_error("title", "is required for company customers unless fillMissingFields is true", None)
    except Exception:
        agent.customers.remove(c.id)
        agent.customer_index.pop(_index_key(c), None)
        raise
    agent.customers.changed(c)  # with its profile: the search index reads the name
    announce_created(agent, c)
    return c


def _apply_profile(agent: "Agent", c: Customer, req: "CustomerCreateRequest | CustomerUpdateRequest") -> None:
    """Apply the profile fields a create or update request sent (its model checked each one; what
    needs the clock, a vocabulary or the address tree is checked here, every problem reported at once)."""
    errors: list[FieldError] = []

    def attempt(fn):
        try:
            fn()
        except InputValidation as exc:
            errors.extend(exc.field_errors)

    def set_name() -> None:
        if c.type == "company":
            title = req.title if req.title is not None else req.companyTitle
            if title is not None:
                c.title = title.strip()
            return
        name = req.fullName
        if name is None and (req.firstName or req.lastName):
            name = f"{req.firstName or ''} {req.lastName or ''}".strip()
            if len(name) > 150:
                raise field_error("fullName", "must be at most 150 characters", None)
        if name is not None:
            c.full_name = " ".join(name.split())

    def set_birth() -> None:
        key = req.sent("birthDate", "birthday")
        if key and c.type != "company":
            value = parse_birth_date(key, getattr(req, key), agent.today())
            if value is not None:
                c.birth_date = value

    def set_enums() -> None:
        for key, values, attr in (("gender", enums.GENDER, "gender"), ("maritalStatus", enums.MARITAL_STATUS, "marital_status"),
                                  ("job", enums.JOB, "job")):
            if getattr(req, key) not in (None, ""):
                try:
                    setattr(c, attr, enums.enum_value(key, getattr(req, key), values))
                except InputValidation as exc:
                    errors.extend(exc.field_errors)
        for key, attr in (("educationStatus", "education_status"), ("nationality", "nationality")):
            value = getattr(req, key)
            if value is not None:
                value = value.value if isinstance(value, ValueRef) else value
                if not isinstance(value, (str, int)):
                    errors.append(FieldError(key, "must be a string", None))
                else:
                    setattr(c, attr, str(value).upper() or None)

    def set_contact() -> None:
        key = req.sent("primaryEmail", "email")
        if key:
            c.email = getattr(req, key) or c.email
        mobile = req.primaryPhoneNumber or req.phoneNumber
        if mobile is not None:
            c.phone = Phone(*mobile)

    def set_location() -> None:
        c.city, c.district = parse_location(req.location, (c.city, c.district))

    for fn in (set_name, set_birth, set_enums, set_contact, set_location):
        attempt(fn)
    if "agentBranchId" in req.model_fields_set:
        c.agent_branch_id = req.agentBranchId or None
    if "representedBy" in req.model_fields_set:  # an agent user's id, or its reference {id, …}
        raw = req.representedBy
        try:
            c.represented_by = user_ref(agent, raw.id if isinstance(raw, ReferenceIn) else raw, "representedBy")
        except InputValidation as exc:
            errors.extend(exc.field_errors)
    if errors:
        raise InputValidation("One or more fields are invalid.", field_errors=errors)


def update(agent: "Agent", c: Customer, req: "CustomerUpdateRequest", *, updated_by: dict[str, Any]) -> Customer:
    """``PUT customers/{id}``: partial by nature (real clients echo the whole /me body back)."""
    if req.id not in (None, "", c.id):
        raise field_error("id", f"does not match the customer id in the path ({c.id})", req.id)
    if req.kind_sent is not None and req.kind_sent != c.type:
        raise field_error("$type", f"a {c.type} customer cannot become {req.kind_sent}", req.kind_sent)
    for key in ("identityNumber", "taxNumber"):
        if getattr(req, key) not in (None, ""):
            if str(getattr(req, key)).strip() != c.identity_number:
                raise field_error(key, "cannot be changed", getattr(req, key), code="IDENTITY_NUMBER_IMMUTABLE")
    snapshot = _snapshot(c)
    try:
        _apply_profile(agent, c, req)
    except InputValidation:
        _restore(c, snapshot)
        raise
    announce_updated(agent, c, updated_by)
    return c


def announce_updated(agent: "Agent", c: Customer, by: dict[str, Any] | None) -> None:
    """After any change of a customer (profile, e-mails, phones, addresses, branch): re-indexed (the
    name, e-mail or phone may differ) and ``customer.updated`` fires."""
    c.updated_at = agent.now()
    agent.customers.changed(c)
    agent.event(_updated_event(c, by))


_PROFILE_ATTRS = ("full_name", "title", "birth_date", "gender", "marital_status", "education_status", "nationality",
                  "job", "email", "phone", "city", "district", "agent_branch_id", "represented_by")


def _snapshot(c: Customer) -> dict[str, Any]:
    return {a: getattr(c, a) for a in _PROFILE_ATTRS}


def _restore(c: Customer, snap: dict[str, Any]) -> None:
    for k, v in snap.items():
        setattr(c, k, v)


def delete(agent: "Agent", c: Customer) -> None:
    from mockserver.domain import relationships

    relationships.forget(agent, c.id)
    for vid in [v.id for v in agent.indexes.of(agent, "vehicles", "customerId", c.id)]:
        agent.vehicles.remove(vid)
    for pid in [p.id for p in agent.indexes.of(agent, "properties", "customerId", c.id)]:
        agent.properties.remove(pid)
    agent.customer_index.pop(_index_key(c), None)
    agent.customer_emails.pop(c.id, None)
    agent.customer_phones.pop(c.id, None)
    for aid in [a.id for a in agent.customer_addresses.values() if a.customer_id == c.id]:
        del agent.customer_addresses[aid]
    agent.customers.remove(c.id)


# ----------------------------------------------------------------------------- consents
def set_consent(agent: "Agent", c: Customer, consent_type: str, active: bool, channel: str) -> Consent:
    ctype = enums.enum_value("consentType", consent_type, enums.CONSENT_TYPES, ints=False, allow_none=False)
    ch = enums.enum_value("channel", channel, enums.CONSENT_CHANNELS, ints=False, allow_none=False)
    assert ctype and ch
    current = c.consents.get(ctype)
    if current is not None and current.active == active:
        return current
    consent = Consent(ctype, active, ch, agent.now())
    c.consents[ctype] = consent
    _consent_event(agent, c, consent)
    return consent


def _consent_renderer(model: Any, at: str) -> Any:
    return renderer(model, Consent, event=Const(event_name(model)), customerId=lambda consent, c: c.id,
                    customerType=lambda consent, c: WIRE_TYPE[c.type], **{at: From("changed_at", convert=iso_turkey)})


# (consent type, given?) -> the event's renderer; ctx: the customer
_CONSENT_EVENTS = {("KVKK", True): _consent_renderer(KvkkConsentGiven, "givenAt"),
                   ("KVKK", False): _consent_renderer(KvkkConsentRevoked, "revokedAt"),
                   ("ETK", True): _consent_renderer(EtkConsentGiven, "givenAt"),
                   ("ETK", False): _consent_renderer(EtkConsentRevoked, "revokedAt")}


def _consent_event(agent: "Agent", c: Customer, consent: Consent) -> None:
    agent.event(_CONSENT_EVENTS[consent.consent_type, consent.active](consent, c))


# ----------------------------------------------------------------------------- health info
def put_health(agent: "Agent", c: Customer, req: "HealthInfoRequest") -> HealthInfo:
    """What the route's model parsed (whole cm and kg in range, lists of codes); a company has none."""
    if c.type == "company":
        raise AccessDenied("Health information applies to individual customers only.", codes=["CUSTOMER_NOT_INDIVIDUAL"])
    c.health = HealthInfo(int(req.height), int(req.weight), list(req.surgeries or []), list(req.diseases or []),
                          agent.now())
    return c.health


def wire_health(c: Customer) -> dict[str, Any]:
    h = c.health or HealthInfo()
    return {"customerId": c.id, "height": h.height, "weight": h.weight, "surgeries": h.surgeries,
            "diseases": h.diseases, "updatedAt": iso(h.updated_at)}


# ----------------------------------------------------------------------------- rendering
def place(c: Customer) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    return place_of(c.city, c.district)


def place_of(city: str | None, district: str | None) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """A city and district code as the API renders them (``{value, text}``)."""
    tree = address_tree()
    return (tree.city_by_code[city].wire() if city else None,
            tree.district_by_code[district].wire() if district else None)


_person, _company = IsNot("type", "company"), Is("type", "company")  # whose fields a customer's answer has


def _names(c: Customer, _agent: Any) -> tuple[str | None, str | None]:
    first, _, last = (c.full_name or "").rpartition(" ")
    return first or None, last or None


def _counts(c: Customer, agent: "Agent") -> tuple[int, ...]:
    """The customer's records, counted from the agent's indexes without reading them."""
    ix, cid = agent.indexes, c.id
    return (ix.count("vehicles", "customerId", cid), ix.count("properties", "customerId", cid),
            ix.party_count("proposals", cid), ix.party_count("policies", cid), ix.count("cases", "customerId", cid),
            (1 if c.email else 0) + len(agent.customer_emails.get(cid, ())),
            (1 if c.phone else 0) + len(agent.customer_phones.get(cid, ())))


render = renderer(  # render(customer, agent): GET customers/{id}'s answer
    CustomerOut, Customer,
    Fields(("firstName", "lastName"), _names, when=_person),
    Fields(("vehicleCount", "propertyCount", "proposalCount", "policyCount", "caseCount", "emailCount",
            "phoneCount"), _counts),
    type_="type", type=From("type", convert=WIRE_TYPE.__getitem__),
    # a person: identity number, names, birth date...; a company: its title and tax number
    identityNumber=From(when=_person), fullName=From(when=_person),
    birthDate=From(convert=date.isoformat, when=_person),
    gender=From(when=_person), maritalStatus=From(when=_person), educationStatus=From(when=_person),
    nationality=From(when=_person), job=From(when=_person),
    title=From(when=_company), taxNumber=From("identity_number", when=_company),
    primaryEmail="email", primaryPhoneNumber=From("phone", model=render_phone),
    city=From(lambda c, agent: address_tree().city_by_code[c.city] if c.city else None, model=render_ref),
    district=From(lambda c, agent: address_tree().district_by_code[c.district] if c.district else None,
                  model=render_ref),
    createdAt=From(convert=iso), updatedAt=From(convert=iso),
    consents=From("consents", convert=dict.values, each=renderer(
        ConsentOut, Consent, consentType="consent_type", isActive="active", updatedAt=From("changed_at", convert=iso))),
)


def wire(agent: "Agent", c: Customer) -> dict[str, Any]:
    """``GET customers/{id}``'s answer (``CustomerOut``)."""
    return render(c, agent)


def _first_name(c: Customer, ctx: Any) -> str | None:
    return (c.full_name or "").rpartition(" ")[0] or None if c.type != "company" else None


def _last_name(c: Customer, ctx: Any) -> str | None:
    return (c.full_name or "").rpartition(" ")[2] or None if c.type != "company" else None


_PERSON_EVENT = dict(
    customerId="id", customerType=From("type", convert=WIRE_TYPE.__getitem__),
    identityNumber=lambda c, ctx: c.identity_number if c.type != "company" else None,
    firstName=_first_name, lastName=_last_name, companyTitle=lambda c, ctx: c.title if c.type == "company" else None,
    taxNumber=lambda c, ctx: c.identity_number if c.type == "company" else None,
    birthDate=From("birth_date", convert=date.isoformat),
    province=From("city", convert=lambda code: address_tree().city_by_code[code].text),
    district=From("district", convert=lambda code: address_tree().district_by_code[code].text),
    phoneNumber=lambda c, ctx: c.phone.number if c.phone else None, branch="agent_branch_id")
_created_event = renderer(CustomerCreated, Customer, event=Const("customer.created"), createdAt=From(convert=iso),
                          **_PERSON_EVENT)
# ctx: who changed it (a user reference)
_updated_event = renderer(CustomerUpdated, Customer, event=Const("customer.updated"), updatedAt=From(convert=iso),
                          updatedBy=lambda c, by: by, **_PERSON_EVENT)


