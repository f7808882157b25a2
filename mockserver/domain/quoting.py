"""Asking insurers for quotes: a proposal request parsed and checked (branch, parties, asset, coverage
groups, KONUT options, the TSS family rules), the parties and asset frozen as quoted, the fan-out to
every connected insurer's products with seeded arrival times and outcomes, and the arrivals on the
agent's clock; retrying a failed product and revising a proposal or a product ask again."""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import orjson

from mockserver.core.packed import Packed
from mockserver.core.errors import (
    AccessDenied,
    BusinessValidation,
    FieldError,
    InputValidation,
    InvalidState,
    NotFound,
    field_error,
)
from mockserver.domain import cases, coverage, pricing, properties, vehicles
from mockserver.domain.catalog import Insurer, Product, catalog
from mockserver.domain.customers import WIRE_TYPE, place
from mockserver.magic import PROPOSAL_FAIL_LETTERS, PROPOSAL_INVESTIGATION_LETTERS, PROPOSAL_SLOW_LETTERS
from mockserver.validators.common import isdigits
from mockserver.wire.events import ProposalPremiumReceived
from mockserver.wire.render import Const, renderer
from mockserver.wire.proposals import ProductReviseRequest, ProposalCreateRequest, ProposalReviseRequest

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Customer
from mockserver.domain.proposals import Proposal, ProposalProduct, live_payload, wire_product


VEHICLE_BRANCHES = ("KASKO", "TRAFIK", "IMM")


PROPERTY_BRANCHES = ("KONUT", "DASK")


MAX_START_AHEAD_DAYS = 60


MAX_FAMILY = 5


ADULT_AGE = 20


KONUT_PRICES = ("furniturePrice", "electronicDevicePrice", "insulationPrice", "windowPrice")


ERRORS = {
    "any": ("Sigorta şirketi servisinden zamanında yanıt alınamadı (zaman aşımı).",
            "Sigorta şirketi web servisi geçici olarak hizmet veremiyor.",
            "Web servis kullanıcı bilgileri hatalı veya süresi dolmuş."),
    "KASKO": ("Aracın hasar geçmişi nedeniyle otomatik teklif verilemiyor.",
              "Şirket bu kullanım tarzı için kasko teklifi vermiyor."),
    "TRAFIK": ("Araç için Tramer sorgusu sonuçlanmadı.", "Poliçe başlangıç tarihi şirket kurallarına uygun değil."),
    "IMM": ("İMM teminatı bu araç için tek başına verilemiyor.",),
    "KONUT": ("Adres bilgisi (UAVT) şirket tarafından doğrulanamadı.",),
    "DASK": ("DASK sistemi yanıt vermiyor.",),
    "TSS": ("Sigortalının yaşı ürün koşullarına uygun değil.", "Sağlık beyanı nedeniyle teklif için ön onay gerekiyor."),
}


# --------------------------------------------------------------------------- parsing
def _branch(req: ProposalCreateRequest) -> str:
    raw, key = req.first_of("type_", "type", "productBranch")
    key = "$type" if key == "type_" else key
    if raw is None or raw.strip().lower() not in coverage.PROPOSAL_BRANCHES:
        raise field_error(key, f"must be one of {', '.join(coverage.PROPOSAL_BRANCHES)} (the proposal's branch)",
                          raw, code="PROPOSAL_TYPE_INVALID")
    branch = coverage.PROPOSAL_BRANCHES[raw.strip().lower()]
    named = req.productBranch
    if named not in (None, "") and named.strip().upper() != branch and \
            coverage.PROPOSAL_BRANCHES.get(named.strip().lower()) != branch:
        raise field_error("productBranch", f"does not match {key} {raw!r} (expected {branch})", named,
                          code="PROPOSAL_BRANCH_MISMATCH")
    return branch


def _start(agent: "Agent", raw: str | None) -> date:
    """The policy start the (parsed) date asks for, within the days ahead the agent's clock allows."""
    today = agent.today()
    if raw is None:
        return today
    start = date.fromisoformat(raw[:10])
    if start < today or start > today + timedelta(days=MAX_START_AHEAD_DAYS):
        raise field_error("policyStartDate", f"must be between today ({today}) and {MAX_START_AHEAD_DAYS} days ahead "
                          "on the agent's clock", raw, code="PROPOSAL_START_DATE_INVALID")
    return start


def _groups(agent: "Agent", branch: str, ids: list[str | int] | None) -> list[coverage.CoverageGroup]:
    """The coverage groups the (parsed) ids name, each once, all of ``branch``."""
    errors: list[FieldError] = []
    out: list[coverage.CoverageGroup] = []
    codes: list[str] = []
    for i, gid in enumerate(ids or ()):
        group = coverage.resolve(agent, str(gid), branch)
        if group is None:
            errors.append(FieldError(f"coverageGroupIds[{i}]", "no coverage group with this id in the agency", gid))
            codes.append("COVERAGE_GROUP_NOT_FOUND")
        elif group.branch != branch:
            errors.append(FieldError(f"coverageGroupIds[{i}]", f"belongs to branch {group.branch}, not {branch}", gid))
            codes.append("COVERAGE_GROUP_BRANCH_MISMATCH")
        elif all(g.id != group.id for g in out):
            out.append(group)
    if errors:
        raise InputValidation("One or more coverage groups cannot be used for this proposal.",
                              codes=list(dict.fromkeys(codes)) or ["COVERAGE_GROUP_INVALID"], field_errors=errors)
    if len(out) > coverage.MAX_GROUPS_PER_PROPOSAL:
        raise field_error("coverageGroupIds", f"at most {coverage.MAX_GROUPS_PER_PROPOSAL} coverage groups per "
                          "proposal", None, code="COVERAGE_GROUP_LIMIT_EXCEEDED")
    return out


def _rule(code: str, detail: str, path: str | None = None, value: Any = None) -> BusinessValidation:
    # the TSS family guide documents these as 400 with a code (see FIDELITY.md)
    return BusinessValidation(detail, codes=[code], status=400,
                              field_errors=[FieldError(path, detail, value)] if path else ())


def _tss_rules(agent: "Agent", insurer: "Customer", insured: "Customer", extra: list[str]) -> list[str]:
    """The TSS rules in the documented order (reference §4.3); returns the additional insured ids."""
    from mockserver.domain.pricing import age_on

    today = agent.today()

    def health(c: "Customer", path: str) -> None:
        h = c.health
        if h is None or not h.height:
            raise _rule("PROPOSAL_HEIGHT_REQUIRED", f"Customer {c.id} has no height in their health info; "
                        "PUT customers/{id}/health-info first.", path, c.id)
        if not h.weight:
            raise _rule("PROPOSAL_WEIGHT_REQUIRED", f"Customer {c.id} has no weight in their health info; "
                        "PUT customers/{id}/health-info first.", path, c.id)

    for i, cid in enumerate(extra):
        if cid not in agent.customers:
            raise NotFound(f"Customer '{cid}' was not found.", codes=["CUSTOMER_NOT_FOUND"], field_errors=[
                FieldError(f"additionalInsuredCustomers[{i}]", "no customer with this id in the agency", cid)])
    if extra and age_on(insurer.birth_date, today) < ADULT_AGE:  # 1
        raise _rule("PROPOSAL_INSURER_MUST_BE_ADULT", f"The policyholder must be at least {ADULT_AGE} years old "
                    "for a family TSS proposal.", "insurerCustomerId", insurer.id)
    health(insured, "insuredCustomerId")  # 2
    if not extra:
        return []
    if 1 + len(extra) > MAX_FAMILY:  # 3
        raise _rule("PROPOSAL_MAX_FAMILY_MEMBERS_EXCEEDED", f"A family TSS proposal covers at most {MAX_FAMILY} "
                    f"people (main insured + {MAX_FAMILY - 1}); got {1 + len(extra)}.", "additionalInsuredCustomers")
    seen = {insured.id}
    for i, cid in enumerate(extra):  # 4
        if cid in seen:
            raise _rule("PROPOSAL_ADDITIONAL_INSURED_DUPLICATE", f"Customer {cid} appears twice among the insured.",
                        f"additionalInsuredCustomers[{i}]", cid)
        seen.add(cid)
    relations = {l.related_id: l.relation for l in agent.links.values() if l.customer_id == insured.id}
    for i, cid in enumerate(extra):  # 5
        if cid not in relations:
            raise _rule("PROPOSAL_ADDITIONAL_INSURED_NOT_RELATIVE", f"Customer {cid} has no relationship record to "
                        f"the main insured {insured.id}; add one with POST customers/{{id}}/relationships.",
                        f"additionalInsuredCustomers[{i}]", cid)
    for i, cid in enumerate(extra):  # 6
        if relations[cid] == "CHILD" and age_on(agent.customers[cid].birth_date, today) >= ADULT_AGE:
            raise _rule("PROPOSAL_ADDITIONAL_INSURED_CHILD_TOO_OLD", f"Child {cid} is {ADULT_AGE} or older and "
                        "cannot be insured as a child.", f"additionalInsuredCustomers[{i}]", cid)
    for i, cid in enumerate(extra):  # 7
        health(agent.customers[cid], f"additionalInsuredCustomers[{i}]")
    ages = [age_on(agent.customers[c].birth_date, today) for c in [insured.id, *extra]]
    if max(ages) < ADULT_AGE:  # 8
        raise _rule("PROPOSAL_FAMILY_REQUIRES_ADULT", f"At least one insured must be {ADULT_AGE} or older "
                    "(the policyholder counts only when insured).", "additionalInsuredCustomers")
    return extra


# --------------------------------------------------------------------------- snapshot
def _customer_model(agent: "Agent", c: "Customer") -> dict[str, Any]:
    """``CustomerModel`` of the webhook reference (§6.7) plus the flat GraphQL columns."""
    city, district = place(c)
    phone = c.phone.wire() if c.phone else None
    model: dict[str, Any] = {"$type": c.type, "id": c.id}
    if c.type == "company":
        model.update(title=c.title, taxNumber=c.identity_number)
    else:
        model.update(identityNumber=c.identity_number, birthDate=c.birth_date.isoformat() if c.birth_date else None,
                     fullName=c.full_name)
    model.update(phoneNumber=phone, email={"value": c.email} if c.email else None,
                 city=city, district=district)
    if c.health is not None:
        model["health"] = {"height": c.health.height, "weight": c.health.weight}
    row = {"Name": c.display_name, "IdentityNumber": c.identity_number if c.type != "company" else None,
           "TaxNumber": c.identity_number if c.type == "company" else None,
           "Identity": c.identity_number, "Type": WIRE_TYPE[c.type],
           "CityText": city["text"] if city else None, "CityValue": c.city,
           "DistrictText": district["text"] if district else None, "DistrictValue": c.district,
           "PhoneNumber": c.phone.number if c.phone else None,
           "PhoneNumberCountryCode": c.phone.country_code if c.phone else None, "Email": c.email,
           "BirthDate": c.birth_date.isoformat() if c.birth_date else None}
    return {"model": model, "row": row}


def snapshot_of(agent: "Agent", insurer: "Customer", insured: "Customer", extra: list[str],
              vehicle_id: str | None, property_id: str | None) -> dict[str, Any]:
    snap: dict[str, Any] = {"insurerCustomer": _customer_model(agent, insurer),
                            "insuredCustomer": _customer_model(agent, insured),
                            "additionalInsuredCustomers": [_customer_model(agent, agent.customers[c])["model"]
                                                           for c in extra],
                            # what the SDK's ProposalSnapshot adds to the webhook's CustomerModel
                            "people": {c.id: {"job": c.job, "gender": c.gender}
                                       for c in (insurer, insured, *(agent.customers[x] for x in extra))}}
    if insured.health is not None:
        h = insured.health
        snap["health"] = {"height": h.height, "weight": h.weight, "surgeries": list(h.surgeries),
                          "diseases": list(h.diseases)}
    if vehicle_id:
        v = agent.vehicles[vehicle_id]
        snap["vehicle"] = vehicles.wire(v)
        snap["vehicleRow"] = vehicles.row_fields(v)
    if property_id:
        snap["property"] = properties.wire(agent.properties[property_id])
    return snap


def _risk(agent: "Agent", p: Proposal) -> pricing.Risk:
    today = agent.today()
    if p.vehicle_id:
        v = agent.vehicles[p.vehicle_id]
        step = random.Random(f"{agent.seed}:undamaged:{v.plate_city}{v.plate_code or v.id}").choice((0, 0, 1, 2, 3, 4))
        return pricing.Risk(p.branch, f"{v.plate_city}{v.plate_code}:{v.model}:{v.year}", vehicle_year=v.year, vehicle_use=v.utilization_style, brand=v.brand,
                            undamaged_step=step)
    if p.property_id:
        prop = agent.properties[p.property_id]
        o = p.options
        contents = sum(float(o.get(k, 0)) for k in KONUT_PRICES) if p.branch == "KONUT" else 0.0
        return pricing.Risk(p.branch, f"{prop.number}:{prop.square_meter}:{contents}:{o.get('inflation')}", square_meter=prop.square_meter,
                            construction_year=prop.construction_year,
                            building_cost=float(o.get("constructionCostPerSquareMeter", 25000)), contents=contents,
                            inflation=int(o.get("inflation", 60)))
    people = [p.insured_id, *p.additional_ids]
    ages = tuple(pricing.age_on(agent.customers[c].birth_date, today) if c in agent.customers else 35 for c in people)
    identities = sorted(agent.customers[c].identity_number for c in people if c in agent.customers)
    return pricing.Risk(p.branch, ":".join(identities), ages=ages)


# --------------------------------------------------------------------------- fan-out
def quoting_products(agent: "Agent", branch: str) -> list[tuple[Insurer, Product]]:
    """The live products of the branch sold by insurers the agent is connected to: web-service
    products for the connection's branches, and the insurer's robot products."""
    cat = catalog()
    out: list[tuple[Insurer, Product]] = []
    for conn in sorted(agent.connections.values(), key=lambda c: c.insurance_company_id):
        insurer = cat.get(conn.insurance_company_id)
        if insurer is None:
            continue
        for product in insurer.products:
            if product.branch != branch or product.status != "LIVE":
                continue
            if product.kind == "WEB_SERVICE" and branch not in conn.branches:
                continue
            out.append((insurer, product))
    return out


def _profile(agent: "Agent", insurer_id: int, robot: bool) -> tuple[float, float, float]:
    """(median seconds, spread, failure rate) of an insurer, seeded per agent."""
    r = random.Random(f"{agent.seed}:latency:{insurer_id}:{robot}")
    if robot:
        return r.uniform(25.0, 90.0), r.uniform(0.2, 0.5), r.uniform(0.10, 0.30)
    return r.uniform(1.5, 9.0), r.uniform(0.2, 0.6), r.uniform(0.03, 0.18)


_SHARED: dict[bytes, Any] = {}


def draw_key(p: "Proposal", pp: ProposalProduct) -> str:
    """What the request said about this product (risk, product, coverage asked, position): seeds its
    outcomes, never an id, so two agents with one seed draw alike."""
    asked = hashlib.sha256(orjson.dumps(pp.coverage, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()[:16]
    return f"{p.draw_key}:{pp.product.id}:{asked}:{pp.position}:{'revised' if pp.revised else 'new'}"


def _shared(value: Any) -> Any:
    """One object for equal coverages (most proposals ask the defaults): read-only once quoted."""
    if not isinstance(value, dict):
        return value
    key = orjson.dumps(value, default=str)
    found = _SHARED.get(key)
    if found is None:
        if len(_SHARED) >= 5000:
            return value
        _SHARED[key] = found = value
    return found


def _draw(agent: "Agent", p: Proposal, pp: ProposalProduct, now: float) -> None:
    """Fix the arrival time and outcome of ``pp``'s current attempt."""
    r = random.Random(f"{agent.seed}:outcome:{draw_key(p, pp)}:{pp.attempt}")
    median, spread, fail_rate = _profile(agent, pp.product.insurer_id, pp.robot)
    delay = min(max(median * math.exp(r.gauss(0.0, spread)), 0.4), 240.0)
    if agent.sandbox.drift is not None:  # a drifted sandbox (contract-suite tests): a slower insurer
        delay *= agent.sandbox.drift.slowness(pp.product.insurer_id)
    if "slow" in p.magic:
        delay = delay * 10 + 120.0
    pp.arrives_at = now + round(delay, 3)
    pp.needs_investigation = False
    magic_failed = "fail:*" in p.magic or f"fail:{pp.product.insurer_id}" in p.magic
    failing = magic_failed and pp.attempt == 1
    # a magic failure is for the first attempt only: its retry always succeeds
    if failing or (not magic_failed and r.random() < fail_rate):
        pp.outcome = "FAILED"
        if failing:
            pp.error_message = f"{catalog().by_id[pp.product.insurer_id].name} servisi hata döndürdü (sandbox sihirli değer)."
        else:
            pp.error_message = r.choice(ERRORS["any"] + ERRORS.get(p.branch, ()))
        pp.net1 = None
    else:
        pp.outcome, pp.error_message = "ACTIVE", None
        pp.seed = agent.seed
        pp.net1 = pricing.net_premium(seed=agent.seed, insurer_id=pp.product.insurer_id, product_id=pp.product.id,
                                       risk=p.risk, coverage=pp.coverage, today=agent.today(),
                                       proposal_number=pp.proposal_number)
    agent.schedule(pp.arrives_at, "proposal.product", f"{p.id}/{pp.id}")


def _add_product(agent: "Agent", p: Proposal, insurer: Insurer, product: Product,
                 group: coverage.CoverageGroup | None, now: float, *, revised: bool = False,
                 requested: dict[str, Any] | None = None) -> ProposalProduct:
    quoted = requested if requested is not None else (group.coverage if group else p.initial_coverage)
    if quoted is None:
        quoted = coverage.default_coverage(p.branch)
    # keyed by what was asked (risk, product, coverage, position), never by ids: ids carry the
    # agent's time and its own random stream, so two agents with one seed would draw differently
    pp = ProposalProduct(
        id=agent.ids.object_id(now), proposal_id=p.id, product=product, group=group, created_at=now, arrives_at=None,
        outcome="FAILED", error_message=None, net1=None, proposal_number="", coverage=_shared(quoted),
        revised=revised, position=len(p.products))
    r = random.Random(f"{agent.seed}:number:{draw_key(p, pp)}")
    pp.proposal_number = str(r.randrange(10**8, 10**10))
    p.products.append(pp)
    _draw(agent, p, pp, now)
    return pp


def _magic(agent: "Agent", groups: list[coverage.CoverageGroup], vehicle_id: str | None) -> set[str]:
    tags = {g.magic for g in groups if g.magic}
    tags |= {f"fail:{i}" for i in agent.failing_insurers}  # steered by a certification session
    if vehicle_id:
        letters = "".join(ch for ch in agent.vehicles[vehicle_id].plate_code if ch.isalpha())
        digits = "".join(ch for ch in agent.vehicles[vehicle_id].plate_code if isdigits(ch))
        if letters == PROPOSAL_FAIL_LETTERS and digits:
            tags.add(f"fail:{int(digits)}")
        elif letters == PROPOSAL_SLOW_LETTERS:
            tags.add("slow")
        elif letters == PROPOSAL_INVESTIGATION_LETTERS:
            tags.add("investigation")
    return tags


ASSETS = {"vehicle": ("vehicleId", "vehicles", "PROPOSAL_VEHICLE_REQUIRED", "VEHICLE_NOT_FOUND"),
          "property": ("propertyId", "properties", "PROPOSAL_PROPERTY_REQUIRED", "PROPERTY_NOT_FOUND")}


def _check_asset(agent: "Agent", branch: str, kind: str, ids: dict[str, str | None], owners: set[str],
                 problem: Callable[[str, str, Any, str], None]) -> None:
    """The asset a branch quotes: required, existing, of the right kind, owned by a party."""
    other = "property" if kind == "vehicle" else "vehicle"
    key, store, required_code, missing_code = ASSETS[kind]
    if ids[other]:
        problem(ASSETS[other][0], f"a {branch} proposal quotes a {kind}, not a {other}", ids[other],
                "PROPOSAL_ASSET_BRANCH_MISMATCH")
    ref = ids[kind]
    if ref is None:
        problem(key, f"is required for a {branch} proposal", None, required_code)
    elif ref not in getattr(agent, store):
        if ref in getattr(agent, ASSETS[other][1]):
            problem(key, f"is a {other}, not a {kind}", ref, "PROPOSAL_ASSET_BRANCH_MISMATCH")
        else:
            problem(key, f"no {kind} with this id in the agency", ref, missing_code)
    elif getattr(agent, store)[ref].customer_id not in owners:
        problem(key, "belongs to another customer", ref, "PROPOSAL_ASSET_NOT_OWNED")


def create(agent: "Agent", req: ProposalCreateRequest, *, by: dict[str, Any] | None,
           customer_scope: str | None = None, visible: Any = None) -> Proposal:
    """``POST proposals`` in either body generation, as the request model parsed it. ``customer_scope``:
    the caller's customer id; ``visible``: whether the caller's role scope covers a customer (one it
    does not is not found)."""
    branch = _branch(req)
    insurer_ref, insurer_key = req.first_of("insurerCustomerId", "customerId")
    if insurer_ref is None and customer_scope:
        insurer_ref = customer_scope
    if insurer_ref is None:
        raise field_error("insurerCustomerId", "is required (the policyholder; older bodies call it customerId)", None)
    insured_ref, insured_key = req.first_of("insuredCustomerId")
    insured_ref = insured_ref or insurer_ref
    family = req.additionalInsuredCustomers or []
    named = [(insurer_key, insurer_ref), (insured_key, insured_ref)]
    named += [(f"additionalInsuredCustomers[{i}]", x) for i, x in enumerate(family)]
    for key, ref in named:
        if ref not in agent.customers or (visible is not None and not visible(agent.customers[ref])):
            raise NotFound(f"Customer '{ref}' was not found.", codes=["CUSTOMER_NOT_FOUND"],
                           field_errors=[FieldError(key, "no customer with this id in the agency", ref)])
    insurer, insured = agent.customers[insurer_ref], agent.customers[insured_ref]
    if customer_scope is not None:
        relatives = {l.related_id for l in agent.links.values() if l.customer_id == customer_scope}
        if insurer.id != customer_scope or (insured.id != customer_scope and insured.id not in relatives):
            raise AccessDenied("A customer may ask for proposals only as the policyholder, for themselves or a "
                               "relative.", codes=["PROPOSAL_CUSTOMER_MISMATCH"], field_errors=[
                                   FieldError(insurer_key if insurer.id != customer_scope else insured_key,
                                              "must be the logged-in customer's id", insurer.id)])
    errors: list[FieldError] = []
    vehicle_id, property_id = req.vehicleId or None, req.propertyId or None
    owners = {insurer.id, insured.id}
    codes: list[str] = []
    ids = {"vehicle": vehicle_id, "property": property_id}

    def problem(path: str, message: str, value: Any, code: str) -> None:
        errors.append(FieldError(path, message, value))
        codes.append(code)

    if branch in VEHICLE_BRANCHES or branch in PROPERTY_BRANCHES:
        _check_asset(agent, branch, "vehicle" if branch in VEHICLE_BRANCHES else "property", ids, owners, problem)
    else:
        for key, value in (("vehicleId", vehicle_id), ("propertyId", property_id)):
            if value:
                errors.append(FieldError(key, "a TSS proposal insures people; send no asset", value))
                codes.append("PROPOSAL_ASSET_BRANCH_MISMATCH")
    if branch != "TSS" and family:
        errors.append(FieldError("additionalInsuredCustomers", "only a TSS proposal may insure a family", None))
        codes.append("PROPOSAL_ADDITIONAL_INSURED_NOT_ALLOWED")
    if errors:
        raise InputValidation("The proposal request is invalid.", codes=list(dict.fromkeys(codes)),
                              field_errors=errors)
    groups = _groups(agent, branch, req.coverageGroupIds if req.coverageGroupIds is not None else req.guaranteeGroupIds)
    requested = coverage.parse_coverage(branch, req.coverage)
    channel = req.channel or ("WEBSITE" if customer_scope else "MANUAL")
    start = _start(agent, req.policyStartDate)
    options = req.konut_options() if branch == "KONUT" else {}
    extra = _tss_rules(agent, insurer, insured, family) if branch == "TSS" else []
    return _open(agent, branch=branch, insurer=insurer, insured=insured, extra=extra, vehicle_id=vehicle_id,
                 property_id=property_id, groups=groups, requested=requested, channel=channel, start=start,
                 branch_id=req.agentBranchId or None, options=options, by=by)


def _open(agent: "Agent", *, branch: str, insurer: "Customer", insured: "Customer", extra: list[str],
          vehicle_id: str | None, property_id: str | None, groups: list[coverage.CoverageGroup],
          requested: dict[str, Any] | None, channel: str, start: date, branch_id: str | None,
          options: dict[str, Any], by: dict[str, Any] | None, revised_from: str | None = None) -> Proposal:
    now = agent.now()
    initial = requested
    if initial is None:
        initial = groups[0].coverage if groups else coverage.default_coverage(branch)
    p = Proposal(id=agent.ids.object_id(now), branch=branch, insurer_id=insurer.id, insured_id=insured.id,
                 additional_ids=extra, vehicle_id=vehicle_id, property_id=property_id, groups=groups,
                 initial_coverage=_shared(initial), channel=channel, agent_branch_id=branch_id, start=start, options=options,
                 created_at=now, created_by=by, clock=agent.clock,
                 snapshot=Packed(snapshot_of(agent, insurer, insured, extra, vehicle_id, property_id)),
                 revised_from=revised_from, magic=_magic(agent, groups, vehicle_id))
    p.risk = _risk(agent, p)
    risk_key = f"{branch}:{p.risk.key}:{p.risk.ages}:{p.risk.undamaged_step}"
    same_risk = agent.risks_quoted.get(risk_key, 0)
    agent.risks_quoted[risk_key] = same_risk + 1
    p.draw_key = f"{risk_key}:{same_risk}"
    for insurer_row, product in quoting_products(agent, branch):
        for group in groups or [None]:
            _add_product(agent, p, insurer_row, product, group, now,
                         requested=requested if group is None else None)
    if "investigation" in p.magic and p.products:
        first = p.products[0]
        first.arrives_at, first.needs_investigation = None, True
    agent.proposals.add(p)
    case = cases.on_proposal_created(agent, insurer.id, branch, p.id, by=by)
    if case is None and insured.id != insurer.id:
        cases.on_proposal_created(agent, insured.id, branch, p.id, by=by)
    return p


def retry(agent: "Agent", p: Proposal, pp: ProposalProduct) -> ProposalProduct:
    state = pp.state(agent.now())
    if state != "FAILED":
        raise InvalidState(f"Product '{pp.id}' is {state}; only a FAILED product can be retried.",
                           codes=["PROPOSAL_PRODUCT_NOT_FAILED"])
    pp.attempt += 1
    _draw(agent, p, pp, agent.now())
    announce_waiting(agent, p, pp)
    return pp


def revise(agent: "Agent", p: Proposal, req: ProposalReviseRequest, *, by: dict[str, Any] | None) -> Proposal:
    """A new proposal for the same parties and asset with other coverage groups or coverage (no
    groups, null or empty: the proposal's own, as the SDK says)."""
    groups = _groups(agent, p.branch, req.coverageGroupIds) if req.coverageGroupIds else p.groups
    requested = coverage.parse_coverage(p.branch, req.coverage)
    return _open(agent, branch=p.branch, insurer=agent.customers[p.insurer_id], insured=agent.customers[p.insured_id],
                 extra=p.additional_ids, vehicle_id=p.vehicle_id, property_id=p.property_id, groups=groups,
                 requested=requested, channel=p.channel, start=max(p.start, agent.today()),
                 branch_id=p.agent_branch_id, options=p.options, by=by, revised_from=p.id)


def revise_product(agent: "Agent", p: Proposal, pp: ProposalProduct, req: ProductReviseRequest) -> ProposalProduct:
    """Ask the same insurer product again with another coverage group or coverage: a new product row
    marked ``revised`` (the panel's "Yeniden Çalışıldı"). Either one null keeps the product's own (the
    SDK's "null to keep existing")."""
    gid = req.guaranteeGroupId if req.guaranteeGroupId is not None else req.coverageGroupId
    group = _groups(agent, p.branch, [gid])[0] if gid is not None else pp.group
    requested = coverage.parse_coverage(p.branch, req.coverage)
    if requested is None and gid is None:
        requested = pp.coverage
    insurer = catalog().by_id[pp.product.insurer_id]
    row = _add_product(agent, p, insurer, pp.product, group, agent.now(), revised=True, requested=requested)
    announce_waiting(agent, p, row, revised=True)
    return row


def settle(agent: "Agent", p: Proposal) -> int:
    """Make every waiting product arrive now (investigations included). Returns how many."""
    now = agent.now()
    count = 0
    for pp in p.products:
        if pp.purchase_state is None and (pp.arrives_at is None or pp.arrives_at > now):
            pp.arrives_at, pp.needs_investigation = now, False
            agent.schedule(now, "proposal.product", f"{p.id}/{pp.id}")
            count += 1
    agent.tick()
    return count


_SUCCESS_FIELDS = ("needsInvestigationByCompany", "hasVocationalDiscount", "hasUndamagedDiscount",
                   "hasUndamagedDiscountRate", "premiums", "insuranceServiceProviderCoverage", "pdfCoverage",
                   "initialCoverage", "optimalCoverage")


_COVERAGE_FIELDS = ("pdfCoverage", "optimalCoverage", "hasVocationalDiscount", "hasUndamagedDiscount",
                    "hasUndamagedDiscountRate")


def announce_waiting(agent: "Agent", p: Proposal, pp: ProposalProduct, *, revised: bool = False) -> None:
    """A product went (back) to pricing: ``ReceiveProposalProductInProgress``, and for a revised
    row ``ReceiveProposalProductRevised`` first."""
    live = live_payload(p, pp)
    if revised:
        agent.notify(p, "ReceiveProposalProductRevised", live)
    agent.notify(p, "ReceiveProposalProductInProgress", live)


# ctx: the proposal
_received_event = renderer(
    ProposalPremiumReceived, ProposalProduct, event=Const("proposal_premium.received"),
    proposalId=lambda pp, p: p.id, productId="product.id", proposalProductId="id",
    productBranch=lambda pp, p: p.branch, premiums=lambda pp, p: list(pp.premiums),
    insuredCustomer=lambda pp, p: p.snapshot["insuredCustomer"]["model"],
    tempProposalDocumentUrl=Const(None), tempPreInfoDocumentUrl=Const(None))


def due_arrival(agent: "Agent", key: str, at: float) -> None:
    pid, _, ppid = key.partition("/")
    p = agent.proposals.get(pid)
    if p is None:
        return
    pp = next((x for x in p.products if x.id == ppid), None)
    if pp is None or pp.arrives_at is None or pp.arrives_at > at or pp.announced == pp.attempt:
        return
    pp.announced = pp.attempt
    live = live_payload(p, pp, state=pp.outcome)
    if pp.outcome == "ACTIVE":
        agent.event(_received_event(pp, p), at=pp.arrives_at)
        product = wire_product(p, pp, p.base_url, at)
        agent.notify(p, "ReceiveProposalProductSuccess",
                     {**live, **{k: product[k] for k in _SUCCESS_FIELDS}, "investigationMessage": None})
        # the refined coverage (the quote's PDF) follows the price, as the SDK's Coverage event does
        agent.notify(p, "ReceiveProposalProductCoverage", {"proposalId": p.id, "proposalProductId": pp.id,
                                                           **{k: product[k] for k in _COVERAGE_FIELDS}})
    else:
        agent.notify(p, "ReceiveProposalProductFailed", {**live, "errorMessage": pp.error_message})
