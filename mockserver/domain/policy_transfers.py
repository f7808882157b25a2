"""Policies that reach the CRM without a purchase through it: manual policy entry (``policies/manual``)
and the insurers' reconciliation (policy transfers, reference §8.6 "police transferi servisleri").

* A **manual policy** is one the agency sold elsewhere and types in: a customer, an insurer, a branch,
  the insurer's policy number, dates and premium. It fires ``policy.created`` (channel MANUAL) and
  is a policy like any other for lists, GraphQL, documents and analytics; only manual ones can be
  changed through ``PUT policies/manual/{id}``.
* A **policy transfer** is a reconciliation window (start and end date, some or all insurers). Each
  trigger asks the insurers for the agency's policies issued in the window. The sandbox's insurers
  have issued exactly the policies sold through the sandbox, so a trigger finds those (and counts
  them as already in the CRM): nothing is invented. File transfers (an insurer's list uploaded as a
  file) are mockserver.domain.file_policy_transfers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso
from mockserver.core.errors import FieldError, InvalidState, NotFound, refuse_fields, same_as_path
from mockserver.domain.catalog import catalog
from mockserver.wire.policies import PolicyTransferOut, PolicyTransferTriggerOut
from mockserver.wire.render import Const, From, IsNot, renderer

if TYPE_CHECKING:
    from mockserver.domain.policies import Policy
    from mockserver.domain.tenant import Agent
    from mockserver.wire.policies import ManualPolicyRequest, ManualPolicyUpdate, PolicyTransferRequest

MAX_WINDOW_DAYS = 366
MAX_TRANSFERS, MAX_TRIGGERS = 1000, 100  # per agency, per transfer (README "Limits")


@dataclass(slots=True)
class Trigger:
    id: str
    at: float
    state: str
    found: list[str]  # policy ids the insurers reported
    by: dict[str, Any] | None


@dataclass(slots=True)
class Transfer:
    id: str
    start: date
    end: date
    insurer_ids: list[int]
    created_at: float
    created_by: dict[str, Any] | None
    triggers: list[Trigger] = field(default_factory=list)


# ----------------------------------------------------------------------------- manual policies
def _date(req: Any, key: str, errors: list[FieldError], default: date | None = None) -> date | None:
    """A day the model parsed (YYYY-MM-DD, an instant read as its day); ``default`` when absent, which
    is "required" when there is none."""
    value = getattr(req, key)
    if value is None:
        if default is None:
            errors.append(FieldError(key, "is required (YYYY-MM-DD)", None))
        return default
    return date.fromisoformat(value[:10])


def _money(req: Any, key: str, errors: list[FieldError], default: float | None) -> float | None:
    value = getattr(req, key)
    if value is None:
        if default is None:
            errors.append(FieldError(key, "is required", None))
        return default
    return round(float(value), 2)


def manual(agent: "Agent", req: "ManualPolicyRequest", *, by: dict[str, Any], base_url: str,
           payment_type: str = "UNKNOWN", known_new: bool = False, renewal_number: int = 0,
           from_transfer: bool = False) -> "Policy":
    """``POST policies/manual`` from its parsed request (a file import builds the same request per row);
    ``known_new``: the caller checked the number is new."""
    from mockserver.domain import quoting
    from mockserver.domain.policies import Policy, Version, announce_created

    errors: list[FieldError] = []
    insurer_cid = req.insurerCustomerId or req.customerId
    insured_cid = req.insuredCustomerId or insurer_cid
    for key, cid in (("insurerCustomerId", insurer_cid), ("insuredCustomerId", insured_cid)):
        if not cid:
            errors.append(FieldError(key, "is required", None))
        elif cid not in agent.customers:
            errors.append(FieldError(key, "is not a customer of the agency", cid))
    company = catalog().by_id.get(req.insuranceCompanyId) if req.insuranceCompanyId is not None else None
    if company is None:
        errors.append(FieldError("insuranceCompanyId", "is not an insurer of insurance-companies", req.insuranceCompanyId))
    branch = (req.productBranch or "").upper()
    product = None
    if company is not None:
        product = next((p for p in company.products if p.branch == branch), None)
        if product is None:
            errors.append(FieldError("productBranch", f"{company.name} has no {branch or 'such'} product; it has "
                                     f"{', '.join(sorted({p.branch for p in company.products}))}", req.productBranch))
    number = req.policyNumber or req.insuranceCompanyPolicyNumber
    if not number or not str(number).strip():
        errors.append(FieldError("policyNumber", "is required (the insurer's policy number)", None))
    start = _date(req, "startDate", errors)
    end = _date(req, "endDate", errors, default=(start.replace(year=start.year + 1) if start and not (
        start.month == 2 and start.day == 29) else start + timedelta(days=365) if start else None))
    if start and end and end <= start:
        errors.append(FieldError("endDate", "must be after startDate", req.endDate))
    gross = _money(req, "grossPremium", errors, None)
    net = _money(req, "netPremium", errors, round((gross or 0) / 1.05, 2))
    commission = _money(req, "commission", errors, round((net or 0) * 0.1, 2))
    vehicle_id, property_id = req.vehicleId, req.propertyId
    if vehicle_id and (vehicle_id not in agent.vehicles or agent.vehicles[vehicle_id].customer_id != insured_cid):
        errors.append(FieldError("vehicleId", "is not a vehicle of the insured customer", vehicle_id))
    if property_id and (property_id not in agent.properties or agent.properties[property_id].customer_id != insured_cid):
        errors.append(FieldError("propertyId", "is not a property of the insured customer", property_id))
    refuse_fields("manual policy", errors, "MANUAL_POLICY_INVALID")
    assert company is not None and product is not None and start is not None and end is not None and gross is not None
    if not known_new and any(p.insurance_company_id == company.id and p.number == str(number).strip()
                             for p in agent.policies.values()):
        from mockserver.core.errors import Duplicate

        raise Duplicate(f"{company.name} policy {number} is in the CRM already.", codes=["POLICY_DUPLICATE"])
    now = agent.now()
    snapshot = quoting.snapshot_of(agent, agent.customers[insurer_cid], agent.customers[insured_cid], [],
                                   vehicle_id, property_id)
    premium = {"installmentNumber": 1, "netPremium": net, "grossPremium": gross, "commission": commission,
               "currency": "TURKISH_LIRA", "exchangeRate": 1.0, "insuranceCompanyProposalNumber": None}
    policy = Policy(
        id=agent.ids.object_id(now), number=str(number).strip(), proposal_id=None, proposal_product_id=None,  # type: ignore[arg-type]
        product_id=product.id, product_name=product.name, insurance_company_id=company.id, branch=branch,
        insurer_id=insurer_cid, insured_id=insured_cid, vehicle_id=vehicle_id, property_id=property_id, start=start,
        end=end, installment=1, premium=premium, payment_type=payment_type, channel="MANUAL", created_at=now,
        created_by=by, agent_branch_id=req.agentBranchId, snapshot=snapshot, clock=agent.clock,
        base_url=base_url, manual=True, renewal_number=renewal_number, from_transfer=from_transfer)
    policy.versions.append(Version(0, None, now, net or 0.0, gross, commission or 0.0, None))
    agent.policies.add(policy)
    announce_created(agent, policy)
    return policy


def update_manual(agent: "Agent", policy: "Policy", req: "ManualPolicyUpdate") -> None:
    if not policy.manual:
        raise InvalidState("Only a manually entered policy can be changed; this one came from a purchase.",
                           codes=["POLICY_NOT_MANUAL"])
    same_as_path(req.policyId if "policyId" in req.model_fields_set else req.id, "policyId", policy.id,
                 code="POLICY_ID_MISMATCH")
    errors: list[FieldError] = []
    start = _date(req, "startDate", errors, default=policy.start)
    end = _date(req, "endDate", errors, default=policy.end)
    if start and end and end <= start:
        errors.append(FieldError("endDate", "must be after startDate", req.endDate))
    gross = _money(req, "grossPremium", errors, policy.premium["grossPremium"])
    net = _money(req, "netPremium", errors, policy.premium["netPremium"])
    commission = _money(req, "commission", errors, policy.premium["commission"])
    refuse_fields("manual policy", errors, "MANUAL_POLICY_INVALID")
    number = req.policyNumber or req.insuranceCompanyPolicyNumber
    if number:
        policy.number = str(number).strip()
    assert start is not None and end is not None
    policy.start, policy.end = start, end
    policy.premium = {**policy.premium, "grossPremium": gross, "netPremium": net, "commission": commission}
    first = policy.versions[0]
    policy.versions[0] = type(first)(0, None, first.at, net or 0.0, gross or 0.0, commission or 0.0, None)
    agent.policies.changed(policy)


# ----------------------------------------------------------------------------- transfers
def transfer(agent: "Agent", transfer_id: str) -> Transfer:
    found = agent.policy_transfers.get(transfer_id)
    if found is None:
        raise NotFound(f"Policy transfer '{transfer_id}' was not found.", codes=["POLICY_TRANSFER_NOT_FOUND"])
    return found


def create_transfer(agent: "Agent", req: "PolicyTransferRequest", by: dict[str, Any]) -> Transfer:
    errors: list[FieldError] = []
    start = _date(req, "startDate", errors)
    end = _date(req, "endDate", errors)
    if start and end and end < start:
        errors.append(FieldError("endDate", "is before startDate", req.endDate))
    if start and end and (end - start).days > MAX_WINDOW_DAYS:
        errors.append(FieldError("endDate", f"is more than {MAX_WINDOW_DAYS} days after startDate", req.endDate))
    ids = req.insuranceCompanyIds or []
    unknown = [i for i in ids if i not in catalog().by_id]
    if unknown:
        errors.append(FieldError("insuranceCompanyIds", f"{', '.join(map(str, unknown))}: not insurers of "
                                 "insurance-companies", None))
    refuse_fields("policy transfer", errors, "POLICY_TRANSFER_INVALID")
    assert start is not None and end is not None
    if len(agent.policy_transfers) >= MAX_TRANSFERS:
        raise InvalidState(f"An agency holds at most {MAX_TRANSFERS} policy transfers.", codes=["POLICY_TRANSFER_LIMIT"])
    now = agent.now()
    made = Transfer(agent.ids.object_id(now), start, end, list(dict.fromkeys(ids)), now, by)
    agent.policy_transfers.add(made)
    return made


def _insurers(agent: "Agent", t: Transfer) -> list[int]:
    """The transfer's insurers, or every insurer the agency is connected to."""
    return t.insurer_ids or sorted({c.insurance_company_id for c in agent.connections.values()})


def trigger(agent: "Agent", t: Transfer, by: dict[str, Any]) -> Trigger:
    if len(t.triggers) >= MAX_TRIGGERS:
        raise InvalidState(f"A policy transfer keeps at most {MAX_TRIGGERS} runs; create another.",
                           codes=["POLICY_TRANSFER_TRIGGER_LIMIT"])
    insurers = set(_insurers(agent, t))
    found = [p.id for p in agent.policies.values() if p.insurance_company_id in insurers and not p.manual
             and t.start <= p.start <= t.end]
    made = Trigger(agent.ids.guid(), agent.now(), "COMPLETED", found, by)
    t.triggers.append(made)
    return made


def trigger_of(t: Transfer, trigger_id: str) -> Trigger:
    found = next((x for x in t.triggers if x.id == trigger_id), None)
    if found is None:
        raise NotFound(f"Trigger '{trigger_id}' of policy transfer '{t.id}' was not found.",
                       codes=["POLICY_TRANSFER_TRIGGER_NOT_FOUND"])
    return found


@dataclass(slots=True)
class TriggerView:
    """A run as answered: alone (its detail: the transfer, the phases and each insurer's counts) or in
    its transfer's list of runs."""

    trigger: Trigger
    insurers: list[int]
    transfer: Transfer | None = None  # the detail's
    by_insurer: dict[int, int] | None = None  # the detail's: policies found per insurer


_DURATION = {"fetchingMs": 0, "filteringMs": 0, "transformingMs": 0, "importingCustomersMs": 0, "importingPoliciesMs": 0}
_detail = IsNot("transfer", None)


def _found(v: TriggerView, ctx: Any) -> int:
    return len(v.trigger.found)


# A run, in the sandbox's words and the SDK's (PolicyTransferTrigger; in detail, its
# GetPolicyTransferTriggerDetailResult): every policy an insurer reported is in the CRM already, so each is
# skipped as SKIP_ALREADY_TRANSFERRED and none is new; the insurers answer at once.
_render_trigger = renderer(
    PolicyTransferTriggerOut, TriggerView, id="trigger.id", triggeredAt=From("trigger.at", convert=iso),
    occurredAt=From("trigger.at", convert=iso), state="trigger.state",
    status=lambda v, ctx: "SUCCEEDED" if v.trigger.state == "COMPLETED" else "TRIGGER_STATUS_FAILED",
    durationMs=Const(0), policyCount=_found, newPolicyCount=Const(0), existingPolicyCount=_found,
    succeededPolicyCount=Const(0), failedPolicyCount=Const(0), skippedPolicyCount=_found,
    policyIds=lambda v, ctx: list(v.trigger.found), triggeredBy="trigger.by",
    insuranceCompanyCount=lambda v, ctx: len(v.insurers),
    policyTransferId=From(lambda v, ctx: v.transfer.id, when=_detail),
    duration=From(lambda v, ctx: dict(_DURATION), when=_detail),
    companies=From(lambda v, ctx: [{"insuranceCompanyId": i, "succeededPolicyCount": 0, "failedPolicyCount": 0,
                                    "skippedPolicyCount": v.by_insurer.get(i, 0), "success": True,
                                    "failureReason": None} for i in v.insurers], when=_detail))


def trigger_wire(t: Trigger, transfer: Transfer, agent: "Agent") -> dict[str, Any]:
    """A run's detail."""
    by_insurer: dict[int, int] = {}
    for pid in t.found:
        p = agent.policies.get(pid)
        if p is not None:
            by_insurer[p.insurance_company_id] = by_insurer.get(p.insurance_company_id, 0) + 1
    return _render_trigger(TriggerView(t, _insurers(agent, transfer), transfer, by_insurer))


def _last_found(t: Transfer, agent: "Agent") -> int:
    return len(t.triggers[-1].found) if t.triggers else 0


_render_transfer = renderer(  # ctx: the agent
    PolicyTransferOut, Transfer, startDate=From("start", convert=date.isoformat),
    endDate=From("end", convert=date.isoformat), insuranceCompanyIds=lambda t, agent: _insurers(agent, t),
    insuranceCompanyCount=lambda t, agent: len(_insurers(agent, t)),
    policyTransferTriggerCount=lambda t, agent: len(t.triggers), policyCount=_last_found,
    succeededPolicyCount=Const(0), failedPolicyCount=Const(0), skippedPolicyCount=_last_found,
    createdAt=From(convert=iso),
    triggers=lambda t, agent: [_render_trigger(TriggerView(x, _insurers(agent, t))) for x in t.triggers])


def transfer_wire(agent: "Agent", t: Transfer) -> dict[str, Any]:
    return _render_transfer(t, agent)
