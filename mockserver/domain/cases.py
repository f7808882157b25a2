"""Cases: sale opportunities, cross-sales, cancellations, endorsements and complaints.

One state model, ``mainState`` + ``subState`` (the webhook and GraphQL vocabulary); the SDK's
``status`` (OPEN / DELAYED / SUCCESS / FAIL) is derived from it, and the web guides' words (OPEN /
IN_PROGRESS / CLOSED_WON / CLOSED_LOST) are accepted as filter aliases. ``contracts/FIDELITY.md``
has the table.

The automatic lifecycle runs on the agent's clock, lazily (``Agent.tick``): a sale opportunity left
in ``OPEN_INITIAL`` for ``DELAY_AFTER`` becomes ``OPEN_DELAYED``; one left without a proposal for
``IDLE_CLOSE_AFTER`` closes as ``FAIL_NO_RESPONSE``. A proposal for the customer and branch moves
the open case to ``IN_PROGRESS_UNDER_ANALYSIS`` and links it; an issued policy closes it
``SUCCESS_COMPLETED``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso
from mockserver.core.errors import AccessDenied, FieldError, InputValidation, NotFound, field_error
from mockserver.domain import agency, enums
from mockserver.domain.enums import (
    CANCEL_SUB_TYPES, CHANNEL_ALIASES, CHANNELS, COMPLAINT_SUB_TYPES, ENDORSEMENT_SUB_TYPES, PRODUCT_BRANCHES,
    SALE_SUB_TYPES,
)
from mockserver.domain.references import user_ref
from mockserver.wire.cases import CaseNote, CaseOut
from mockserver.wire.events import CaseCreated, CaseStateChanged
from mockserver.wire.render import Const, From, renderer

if TYPE_CHECKING:
    from mockserver.wire import cases as wire
    from mockserver.domain.tenant import Agent, Customer

DAY = 24 * 3600
DELAY_AFTER = 3 * DAY  # OPEN_INITIAL -> OPEN_DELAYED
IDLE_CLOSE_AFTER = 30 * DAY  # no proposal since the last activity -> FAIL_NO_RESPONSE

MAIN_STATES = ["FAIL", "OPEN", "IN_PROGRESS", "SUCCESS"]
_FAIL_COMMON = ["FAIL_NO_RESPONSE", "FAIL_INVALID_CASE", "FAIL_CUSTOMER_WITHDRAWN", "FAIL_PAYMENT_ERROR",
                "FAIL_DECLINED_CARD_INFORMATION", "FAIL_FOREIGN_USER"]
FAIL_BY_TYPE = {
    "SALE_OPPORTUNITY": ["FAIL_TAKEN_ELSEWHERE", "FAIL_PRICE_TOO_HIGH", "FAIL_ASSET_ACQUISITION", "FAIL_ASSET_SOLD"],
    "COMPLAINT": ["FAIL_UNRESOLVED", "FAIL_REFERRED_TO_LEGAL", "FAIL_CUSTOMER_UNSATISFIED"],
    "ENDORSEMENT": ["FAIL_MISSING_DOCUMENTS", "FAIL_INSURER_DENIED", "FAIL_CONDITIONS_NOT_MET"],
    "CANCEL": ["FAIL_MISSING_DOCUMENTS", "FAIL_INSURER_DENIED", "FAIL_CONDITIONS_NOT_MET"],
}
SUB_STATES = {
    "FAIL": _FAIL_COMMON + [s for t in ("SALE_OPPORTUNITY", "COMPLAINT", "ENDORSEMENT") for s in FAIL_BY_TYPE[t]],
    "OPEN": ["OPEN_INITIAL", "OPEN_COLLECTING_INFORMATION", "OPEN_DELAYED", "OPEN_WAITING"],
    "IN_PROGRESS": ["IN_PROGRESS_UNDER_ANALYSIS", "IN_PROGRESS_PROPOSAL_PREPARED", "IN_PROGRESS_AWAITING_APPROVAL",
                    "IN_PROGRESS_TO_BE_RECONTACTED"],
    "SUCCESS": ["SUCCESS_COMPLETED"],
}
ALL_SUB_STATES = [s for group in SUB_STATES.values() for s in group]
# status (SDK CaseStatus) is derived; the web guides' words are filter aliases
STATUSES = ["OPEN", "DELAYED", "SUCCESS", "FAIL", "IN_PROGRESS", "CLOSED_WON", "CLOSED_LOST"]
BRANCH_ALIASES = {"TRAFFIC": "TRAFIK"}
ASSET_TYPES = ["VEHICLE", "PROPERTY"]
REF_PREFIX = {"SALE_OPPORTUNITY": "SF", "CANCEL": "IP", "ENDORSEMENT": "ZY", "COMPLAINT": "SK"}

# creation verb -> (type, fixed subtype or allowed list)
VERBS: dict[str, tuple[str, str | list[str]]] = {
    "new-sale-opportunity": ("SALE_OPPORTUNITY", "NEW_SALE"),
    "cross-sale-opportunity": ("SALE_OPPORTUNITY", "CROSS_SALE"),
    "cancel": ("CANCEL", CANCEL_SUB_TYPES),
    "endorsement": ("ENDORSEMENT", ENDORSEMENT_SUB_TYPES),
    "complaint": ("COMPLAINT", COMPLAINT_SUB_TYPES),
}


SUB_TYPE_FIELD = {"SALE_OPPORTUNITY": "saleOpportunitySubType", "CANCEL": "cancelSubType",
                  "ENDORSEMENT": "endorsementSubType", "COMPLAINT": "complaintSubType"}


@dataclass(slots=True)
class Case:
    id: str
    ref: str
    type: str
    sub_type: str | None
    customer_id: str
    product_branch: str | None
    channel: str
    asset_type: str | None
    asset_id: str | None
    agent_branch_id: str | None
    created_at: float
    created_by: dict[str, Any]
    main_state: str = "OPEN"
    sub_state: str = "OPEN_INITIAL"
    represented_by: dict[str, Any] | None = None
    last_update: float = 0.0
    last_updated_by: dict[str, Any] | None = None
    touched_at: float = 0.0  # last activity that resets the idle timer
    source_case_id: str | None = None
    policy_end_date: str | None = None
    advertising_source: str | None = None
    advertising_campaign: str | None = None
    proposal_ids: list[str] = field(default_factory=list)
    policy_ids: list[str] = field(default_factory=list)
    last_proposal_at: float | None = None
    last_policy_at: float | None = None
    notes: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)

    def sub_types(self) -> dict[str, str | None]:
        """The four sub-type columns; only the one of the case's type is set."""
        return {f: (self.sub_type if f == SUB_TYPE_FIELD[self.type] else None) for f in SUB_TYPE_FIELD.values()}

    @property
    def status(self) -> str:
        return status_of(self.main_state, self.sub_state)

    @property
    def is_open(self) -> bool:
        return self.main_state in ("OPEN", "IN_PROGRESS")


def status_of(main_state: str, sub_state: str) -> str:
    if main_state == "SUCCESS":
        return "SUCCESS"
    if main_state == "FAIL":
        return "FAIL"
    return "DELAYED" if sub_state == "OPEN_DELAYED" else "OPEN"


# the web-sales guide's words for a case (its older GraphQL ``cases(customerId, type, status)`` form)
GUIDE_STATUS = {"OPEN": "OPEN", "IN_PROGRESS": "IN_PROGRESS", "SUCCESS": "CLOSED_WON", "FAIL": "CLOSED_LOST"}
GUIDE_SALE_TYPE = {"NEW_SALE": "NEW_SALE_OPPORTUNITY", "CROSS_SALE": "CROSS_SALE_OPPORTUNITY"}


def guide_status(case: Case) -> str:
    return GUIDE_STATUS[case.main_state]


def guide_type(case: Case) -> str:
    if case.type == "SALE_OPPORTUNITY":
        return GUIDE_SALE_TYPE.get(case.sub_type or "", case.type)
    return case.type


def guide_matches(case: Case, *, type_: str | None, statuses: list[str] | None) -> bool:
    """Does the case answer the guide's ``type`` and ``status`` arguments? The guide's words mean
    what the guide says (OPEN: not quoted yet); the SDK's DELAYED, SUCCESS and FAIL work too."""
    if type_ is not None and type_ != guide_type(case) and not (type_ == "SALE_OPPORTUNITY" == case.type):
        return False
    return not statuses or any(s == guide_status(case) if s in GUIDE_STATUS.values()
                               else status_matches(case.status, case.main_state, s) for s in statuses)


def status_matches(case_status: str, main_state: str, wanted: str) -> bool:
    """Does a case with this derived status and main state answer a filter on ``wanted``?"""
    if wanted == "IN_PROGRESS":
        return main_state == "IN_PROGRESS"
    return case_status == {"CLOSED_WON": "SUCCESS", "CLOSED_LOST": "FAIL"}.get(wanted, wanted)


# ----------------------------------------------------------------------------- reading
def get(agent: "Agent", ref: str) -> Case:
    """A case by id or by ref (``SF-2026-000001``)."""
    found = agent.cases.get(ref) or agent.cases.get(agent.case_refs.get(ref.upper(), ""))
    if found is None:
        raise NotFound(f"Case '{ref}' was not found.", codes=["CASE_NOT_FOUND"])
    return found


def visible(agent: "Agent", case: Case, customer_id: str | None) -> Case:
    """Customer tokens see their own cases only (others are 404, as the real API hides them)."""
    if customer_id is not None and case.customer_id != customer_id:
        raise NotFound(f"Case '{case.ref}' was not found.", codes=["CASE_NOT_FOUND"])
    return case


def open_siblings(agent: "Agent", case: Case) -> list[Case]:
    """Other open sale opportunities for the same customer and branch."""
    if case.type != "SALE_OPPORTUNITY":
        return []
    return [c for c in agent.cases.values() if c is not case and c.type == "SALE_OPPORTUNITY" and c.is_open
            and c.customer_id == case.customer_id and c.product_branch == case.product_branch]


def open_duplicates(agent: "Agent") -> list[dict[str, Any]]:
    """Groups of open sale opportunities for the same customer and branch (allowed, but visible)."""
    groups: dict[tuple[str, str | None], list[Case]] = {}
    for c in agent.cases.values():
        if c.type == "SALE_OPPORTUNITY" and c.is_open:
            groups.setdefault((c.customer_id, c.product_branch), []).append(c)
    return [{"customerId": cid, "productBranch": branch, "cases": [{"id": c.id, "ref": c.ref} for c in cs]}
            for (cid, branch), cs in groups.items() if len(cs) > 1]


# ----------------------------------------------------------------------------- creating
def _enum(path: str, raw: Any, values: list[str], aliases: dict[str, str] | None = None, *,
          required: bool = False) -> str | None:
    return enums.enum_value(path, raw, values, aliases=aliases, ints=False, allow_none=not required)


def _asset(agent: "Agent", customer: "Customer", asset_id: str | None, raw_type: Any,
           errors: list[FieldError]) -> tuple[str | None, str | None]:
    """The customer's vehicle or property a case is about (and its type, which must agree)."""
    if asset_id in (None, ""):
        if raw_type not in (None, ""):
            errors.append(FieldError("assetId", "is required when assetType is given", None))
        return None, None
    try:
        asset_type = _enum("assetType", raw_type, ASSET_TYPES)
    except InputValidation as exc:
        errors.extend(exc.field_errors)
        return None, None
    vehicle, prop = agent.vehicles.get(asset_id), agent.properties.get(asset_id)
    found = vehicle or prop
    if found is None or found.customer_id != customer.id:
        errors.append(FieldError("assetId", "no vehicle or property with this id belongs to the customer", asset_id))
        return None, None
    actual = "VEHICLE" if vehicle else "PROPERTY"
    if asset_type and asset_type != actual:
        errors.append(FieldError("assetType", f"the asset is a {actual.lower()}, not a {asset_type.lower()}", raw_type))
    return actual, asset_id


def _case_branch(req: "wire.CaseCreateRequest", case_type: str, errors: list[FieldError]) -> str | None:
    """``productBranch``, or the web-sales guide's ``type`` (``"kasko"``); both must agree."""
    values: dict[str, str] = {}
    for key in ("productBranch", "type"):
        if getattr(req, key) in (None, ""):
            continue
        try:
            value = _enum(key, getattr(req, key), PRODUCT_BRANCHES, BRANCH_ALIASES)
        except InputValidation as exc:
            errors.extend(exc.field_errors)
            return None
        if value:
            values[key] = value
    if len(set(values.values())) > 1:
        errors.append(FieldError("type", f"names branch {values['type']} but productBranch is "
                                         f"{values['productBranch']}; send one of them", req.type if isinstance(req.type, str) else None))
        return None
    if not values and case_type == "SALE_OPPORTUNITY":
        errors.append(FieldError("productBranch", "is required (or type, as the web-sales guide names it): the "
                                                  f"branch, one of {', '.join(PRODUCT_BRANCHES)}", None))
        return None
    return next(iter(values.values()), None)


def create(agent: "Agent", verb: str, req: "wire.CaseCreateRequest", *, by: dict[str, Any],
           customer_scope: str | None = None, visible: Any = None) -> Case:
    """``POST cases:<verb>``, from the parsed request. ``customer_scope`` is the customer id of a
    customer token; ``visible`` whether the caller's role scope covers a customer (one it does not
    is not found)."""
    case_type, sub_rule = VERBS[verb]
    raw_customer = req.customerId
    if raw_customer in (None, "") and customer_scope:
        raw_customer = customer_scope
    if raw_customer in (None, ""):
        raise field_error("customerId", "is required", None)
    if customer_scope is not None and raw_customer != customer_scope:
        raise AccessDenied("A customer may open a case only for themselves.", codes=["CASE_CUSTOMER_MISMATCH"],
                           field_errors=[FieldError("customerId", "must be the logged-in customer's id", raw_customer)])
    customer = agent.customer(raw_customer)
    if visible is not None and not visible(customer):
        raise NotFound(f"Customer '{raw_customer}' was not found.", codes=["CUSTOMER_NOT_FOUND"])
    errors: list[FieldError] = []

    def attempt(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputValidation as exc:
            errors.extend(exc.field_errors)
            return None

    branch = _case_branch(req, case_type, errors)
    channel = attempt(_enum, "channel", req.channel, CHANNELS, CHANNEL_ALIASES) or "UNKNOWN"
    if isinstance(sub_rule, str):
        sub_type = sub_rule
        if verb == "new-sale-opportunity" and req.subType not in (None, ""):
            sub_type = attempt(_enum, "subType", req.subType, SALE_SUB_TYPES) or sub_rule
    else:
        raw_sub = req.subType if "subType" in req.model_fields_set else getattr(req, SUB_TYPE_FIELD[case_type])
        sub_type = attempt(_enum, "subType", raw_sub, sub_rule)
    asset_type, asset_id = _asset(agent, customer, req.assetId if "assetId" in req.model_fields_set
                                  else req.customerAssetReference, req.assetType, errors)
    source_case_id = req.sourceCaseId
    if source_case_id not in (None, ""):
        if source_case_id not in agent.cases and source_case_id.upper() not in agent.case_refs:
            errors.append(FieldError("sourceCaseId", "no case with this id or ref", source_case_id))
        else:
            source_case_id = get(agent, source_case_id).id
    else:
        source_case_id = None
    branch_id, note = req.agentBranchId, req.note
    if errors:
        raise InputValidation("The case request is invalid.", field_errors=errors)

    now = agent.now()
    agent.case_seq += 1
    year = agent.clock.now().year
    case = Case(id=agent.ids.object_id(now), ref=f"{REF_PREFIX[case_type]}-{year}-{agent.case_seq:06d}", type=case_type,
                sub_type=sub_type, customer_id=customer.id, product_branch=branch,
                channel=channel, asset_type=asset_type, asset_id=asset_id,
                agent_branch_id=branch_id or customer.agent_branch_id, created_at=now, created_by=by,
                last_update=now, last_updated_by=by, touched_at=now, source_case_id=source_case_id,
                advertising_source=req.advertisingSource, advertising_campaign=req.advertisingCampaign)
    agent.cases.add(case)
    agent.case_refs[case.ref] = case.id
    created = {"mainState": case.main_state, "subState": case.sub_state}
    if req.source:
        created["source"] = req.source
    _activity(case, "CREATED", now, by, created)
    if note:
        _add_note(case, note, now, by)
    assigned = agency.assign_representative(agent, case)
    if assigned is not None:  # the agency's caseRepresentativeAssignmentMode
        case.represented_by = assigned
        _activity(case, "REPRESENTATIVE_CHANGED", now, None,
                  {"representedBy": assigned, "assignmentMode": agent.agency.assignment_mode})
    agent.event(_created_event(case))
    if case.type == "SALE_OPPORTUNITY":
        agent.schedule(now + DELAY_AFTER, "case.delay", case.id)
        agent.schedule(now + IDLE_CLOSE_AFTER, "case.idle", case.id)
    return case


# ----------------------------------------------------------------------------- changing
def _activity(case: Case, kind: str, at: float, by: dict[str, Any] | None, data: dict[str, Any]) -> None:
    case.activities.append({"id": f"{case.id[:16]}{len(case.activities) + 1:08x}", "type": kind, "createdAt": iso(at),
                            "createdBy": by, "data": data})


def _add_note(case: Case, text: str, at: float, by: dict[str, Any]) -> dict[str, Any]:
    note = {"id": f"{case.id[:12]}{len(case.notes) + 1:012x}", "content": text, "createdAt": iso(at), "createdBy": by}
    case.notes.append(note)
    _activity(case, "NOTE_ADDED", at, by, {"noteId": note["id"]})
    return note


_created_event = renderer(CaseCreated, Case, event=Const("case.created"), caseId="id", caseRef="ref", caseType="type")
_state_changed_event = renderer(CaseStateChanged, Case, event=Const("case.state_changed"), caseId="id", caseRef="ref",
                                newMainState="main_state", newSubState="sub_state")


def _touch(case: Case, at: float, by: dict[str, Any] | None) -> None:
    case.last_update = at
    case.last_updated_by = by
    case.touched_at = at


def move(agent: "Agent", case: Case, main_state: str, sub_state: str, *, by: dict[str, Any] | None,
         at: float | None = None, note: str | None = None) -> bool:
    """Put the case in a state; records the activity and ``case.state_changed``. False when unchanged."""
    at = agent.now() if at is None else at
    if note:
        _add_note(case, note, at, by or {})
    if (case.main_state, case.sub_state) == (main_state, sub_state):
        return False
    before = {"mainState": case.main_state, "subState": case.sub_state}
    case.main_state, case.sub_state = main_state, sub_state
    agent.cases.changed(case)  # lists filter on the main state
    if by is None:  # an automatic transition is not activity: it does not reset the idle timer
        case.last_update, case.last_updated_by = at, None
    else:
        _touch(case, at, by)
    _activity(case, "STATE_CHANGED", at, by, {"from": before, "to": {"mainState": main_state, "subState": sub_state}})
    agent.event(_state_changed_event(case), at=at)
    if by is not None and main_state == "OPEN" and case.type == "SALE_OPPORTUNITY" and not case.proposal_ids:
        agent.schedule(at + IDLE_CLOSE_AFTER, "case.idle", case.id)  # reopened by hand: the idle clock restarts
    return True


def change_state(agent: "Agent", case: Case, req: "wire.CaseStateRequest", *, by: dict[str, Any]) -> bool:
    """``PUT cases/{ref}/state`` with ``{mainState, subState, note?}``."""
    errors: list[FieldError] = []
    main = sub = None
    try:
        main = _enum("mainState", req.mainState, MAIN_STATES, required=True)
    except InputValidation as exc:
        errors.extend(exc.field_errors)
    try:
        sub = _enum("subState", req.subState, ALL_SUB_STATES, required=True)
    except InputValidation as exc:
        errors.extend(exc.field_errors)
    if main and sub:
        allowed = SUB_STATES[main]
        if main == "FAIL":
            allowed = _FAIL_COMMON + FAIL_BY_TYPE[case.type]
        if sub not in SUB_STATES[main]:
            errors.append(FieldError("subState", f"{sub} is not a sub-state of {main}; use one of {', '.join(allowed)}", sub))
        elif sub not in allowed:
            errors.append(FieldError("subState", f"{sub} does not apply to {case.type} cases; use one of "
                                                 f"{', '.join(allowed)}", sub))
    note = req.note
    if errors:
        raise InputValidation("The state change is invalid.", codes=["CASE_INVALID_STATE"], field_errors=errors)
    assert main and sub
    return move(agent, case, main, sub, by=by, note=note or None)


def add_note(agent: "Agent", case: Case, req: "wire.CaseNoteRequest", *, by: dict[str, Any]) -> dict[str, Any]:
    text = req.given()
    if text is None:
        raise field_error("note", "is required: send {\"note\": \"markdown text\"}", None)
    now = agent.now()
    _touch(case, now, by)
    return _add_note(case, text, now, by)


def set_channel(agent: "Agent", case: Case, req: "wire.CaseChannelRequest", *, by: dict[str, Any]) -> None:
    if req.channel != case.channel:
        _activity(case, "CHANNEL_CHANGED", agent.now(), by, {"from": case.channel, "to": req.channel})
        case.channel = req.channel
        _touch(case, agent.now(), by)


def _given(req: Any, *keys: str, clears: str) -> Any:
    """A setter's body must name what it sets (null included: it clears); ``{}`` sets nothing. The
    value of the first key given."""
    named = [key for key in keys if key in req.model_fields_set]
    if not named:
        others = f" (or {', '.join(keys[1:])})" if len(keys) > 1 else ""
        raise field_error(keys[0], f"is required{others}; send null to {clears}", None)
    return getattr(req, named[0])


def set_asset(agent: "Agent", case: Case, req: "wire.CaseAssetRequest", *, by: dict[str, Any]) -> None:
    asset_id = _given(req, "assetId", "customerAssetReference", clears="detach the asset")
    errors: list[FieldError] = []
    asset_type, asset_id = _asset(agent, agent.customers[case.customer_id], asset_id, req.assetType, errors)
    if errors:
        raise InputValidation("The asset is invalid.", field_errors=errors)
    case.asset_type, case.asset_id = asset_type, asset_id
    _activity(case, "ASSET_CHANGED", agent.now(), by, {"assetType": asset_type, "assetId": asset_id})
    _touch(case, agent.now(), by)


def set_branch(agent: "Agent", case: Case, req: "wire.CaseBranchRequest", *, by: dict[str, Any]) -> None:
    branch_id = _given(req, "agentBranchId", "branchId", clears="take the case out of any branch")
    case.agent_branch_id = branch_id
    _activity(case, "BRANCH_CHANGED", agent.now(), by, {"agentBranchId": branch_id})
    _touch(case, agent.now(), by)


def set_representative(agent: "Agent", case: Case, req: "wire.CaseRepresentativeRequest", *,
                       by: dict[str, Any]) -> None:
    raw = _given(req, "representativeId", "agentUserId", "representedById", clears="remove the representative")
    case.represented_by = None if raw is None else user_ref(agent, raw, "representativeId")
    _activity(case, "REPRESENTATIVE_CHANGED", agent.now(), by, {"representedBy": case.represented_by})
    _touch(case, agent.now(), by)


# ----------------------------------------------------------------------------- lifecycle hooks
def on_proposal_created(agent: "Agent", customer_id: str, branch: str, proposal_id: str,
                        by: dict[str, Any] | None = None) -> Case | None:
    """A proposal for the customer and branch: the newest open sale opportunity moves to
    IN_PROGRESS and links it. Returns the linked case (None when the customer has no open case)."""
    candidates = [c for c in agent.cases.values() if c.type == "SALE_OPPORTUNITY" and c.customer_id == customer_id
                  and c.product_branch == branch and c.is_open]
    if not candidates:
        return None
    case = max(candidates, key=lambda c: (c.main_state == "OPEN", c.created_at))
    now = agent.now()
    case.proposal_ids.append(proposal_id)
    case.last_proposal_at = now
    _activity(case, "PROPOSAL_LINKED", now, by, {"proposalId": proposal_id})
    if case.main_state == "OPEN":
        move(agent, case, "IN_PROGRESS", "IN_PROGRESS_UNDER_ANALYSIS", by=by, at=now)
    return case


def on_policy_issued(agent: "Agent", proposal_id: str, policy_id: str, *, policy_end_date: str | None = None,
                     by: dict[str, Any] | None = None) -> Case | None:
    """A policy issued from a proposal closes the case that holds the proposal as won."""
    case = next((c for c in agent.cases.values() if proposal_id in c.proposal_ids), None)
    if case is None:
        return None
    now = agent.now()
    case.policy_ids.append(policy_id)
    case.last_policy_at = now
    case.policy_end_date = policy_end_date
    _activity(case, "POLICY_LINKED", now, by, {"policyId": policy_id})
    move(agent, case, "SUCCESS", "SUCCESS_COMPLETED", by=by, at=now)
    return case


def due_delay(agent: "Agent", case_id: str, at: float) -> None:
    case = agent.cases.get(case_id)
    if case and case.main_state == "OPEN" and case.sub_state == "OPEN_INITIAL" and not case.proposal_ids:
        if case.touched_at + DELAY_AFTER > at:  # touched since: wait a full period again
            agent.schedule(case.touched_at + DELAY_AFTER, "case.delay", case_id)
            return
        move(agent, case, "OPEN", "OPEN_DELAYED", by=None, at=at)


def due_idle(agent: "Agent", case_id: str, at: float) -> None:
    case = agent.cases.get(case_id)
    if case and case.main_state == "OPEN" and not case.proposal_ids:
        if case.touched_at + IDLE_CLOSE_AFTER > at:
            agent.schedule(case.touched_at + IDLE_CLOSE_AFTER, "case.idle", case_id)
            return
        move(agent, case, "FAIL", "FAIL_NO_RESPONSE", by=None, at=at)




# ----------------------------------------------------------------------------- rendering
note_wire = renderer(CaseNote, dict, note="content")  # the SDK's Note.note; content is the earlier name


def _sub_type(column: str) -> Any:
    return lambda case, agent: case.sub_type if SUB_TYPE_FIELD[case.type] == column else None


def _customer(case: Case, agent: "Agent") -> Any:
    return agent.customers.get(case.customer_id)


def _priority(case: Case, agent: "Agent") -> dict[str, Any] | None:
    hits = agency.hits(agent, case)
    if not hits:
        return None
    return {"totalScore": agency.score(agent, case), "assessedAt": iso(agent.now()),
            "ruleHits": [{"name": h["ruleName"], "label": h["label"], "description": h["description"],
                          "score": h["score"]} for h in hits]}


_render = renderer(
    CaseOut, Case,
    mainState="main_state", subState="sub_state", caseSubType="sub_type",
    **{column: _sub_type(column) for column in SUB_TYPE_FIELD.values()},
    customerType=lambda case, agent: c.type.upper() if (c := _customer(case, agent)) else None,
    customerName=lambda case, agent: c.display_name if (c := _customer(case, agent)) else None,
    createdAt=From(convert=iso),
    # the SDK's optional fields: left out when unset, never null
    baseProductBranch=From("product_branch", optional=True), assetType=From(optional=True),
    assetId=From(optional=True), representedBy=From(optional=True), sourceCaseId=From(optional=True),
    sourceCaseRef=From(lambda case, agent: s.ref if case.source_case_id and (s := agent.cases.get(case.source_case_id))
                       else None, optional=True),
    policyEndDate=From(optional=True),
    policyId=From(lambda case, agent: case.policy_ids[0] if case.type in ("CANCEL", "ENDORSEMENT") and case.policy_ids
                  else None, optional=True),
    priority=From(_priority, optional=True),
    lastUpdateDate=From("last_update", convert=iso), proposalIds=From(convert=list), policyIds=From(convert=list),
    proposalCount=lambda case, agent: len(case.proposal_ids), policyCount=lambda case, agent: len(case.policy_ids),
    lastProposalDate=From("last_proposal_at", convert=iso), lastPolicyDate=From("last_policy_at", convert=iso),
    notes=From(each=note_wire),
)


def wire(agent: "Agent", case: Case) -> dict[str, Any]:
    """The SDK's GetCaseByRefResult (a union on type: caseSubType, and policyId for a cancellation or
    an endorsement) with the sandbox's columns (``CaseOut``)."""
    return _render(case, agent)
