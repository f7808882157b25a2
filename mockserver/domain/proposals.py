"""Proposals: one quote request fanned out to every insurer the agency is connected to (asking is
:mod:`mockserver.domain.quoting`; this module holds the records, what they read and how they render).

``quoting.create`` validates the request (both body generations), snapshots the parties and the asset, and
creates one product per insurer product (web service and robot) and coverage group. Each product's
arrival time and outcome are drawn once, at creation, from the agent's seed; its state is then
derived from the agent's clock (``WAITING`` until it arrives, then ``ACTIVE`` with premiums or
``FAILED`` with an ``errorMessage``), so reading a proposal never changes it and a test can jump
the clock instead of sleeping. The proposal's state, counts and premium range derive from its
products. Arrivals are also scheduled on the agent's clock to record ``proposal_premium.received``.

Lifecycle (``PURCHASING``/``PURCHASED`` belong to purchases)::

    product:  WAITING -> ACTIVE | FAILED;  FAILED -(retry)-> WAITING
    proposal: WAITING while any product waits; then ACTIVE if any product is ACTIVE, else FAILED
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any


from mockserver.core.clock import iso
from mockserver.core.errors import (
    InvalidState,
    NotFound,
)
from mockserver.domain import coverage, pricing, vehicles
from mockserver.domain.catalog import Product, catalog
from mockserver.wire.common import digits_as_int
from mockserver.wire.proposals import ProposalListItem, ProposalOut, ProposalProductOut
from mockserver.wire.render import Const, From, renderer

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent


INVESTIGATION_MESSAGE = "Teklif sigorta şirketi tarafından inceleniyor."


# --------------------------------------------------------------------------- state
@dataclass(slots=True)
class ProposalProduct:
    id: str
    proposal_id: str
    product: Product
    group: coverage.CoverageGroup | None
    created_at: float
    arrives_at: float | None  # None: waits for the insurer's investigation until settled
    outcome: str  # ACTIVE | FAILED
    error_message: str | None
    net1: float | None  # the quote's one-installment net price: its plans come from it (premiums)
    proposal_number: str
    coverage: dict[str, Any] | None  # what the insurer quoted
    attempt: int = 1
    revised: bool = False
    needs_investigation: bool = False
    announced: int = 0  # the attempt whose arrival was recorded as an event
    purchase_state: str | None = None  # PURCHASING | PURCHASED, set by purchases
    purchase_failure: str | None = None  # why the last purchase failed (cleared by the next attempt)
    policy_id: str | None = None
    position: int = 0  # its place among the proposal's products when it was added (see draw_key)
    seed: int = 0  # the agent's seed, which the insurer's installment terms come from

    @property
    def robot(self) -> bool:
        return self.product.kind == "ROBOT"

    @property
    def premiums(self) -> "pricing.Premiums | list[dict[str, Any]]":
        """Every installment plan quoted, 1 first (none unless quoted)."""
        if self.net1 is None:
            return []
        return pricing.Premiums(seed=self.seed, insurer_id=self.product.insurer_id, product_id=self.product.id,
                                branch=self.product.branch, proposal_number=self.proposal_number, net1=self.net1)

    def state(self, now: float) -> str:
        if self.purchase_state is not None:
            return self.purchase_state
        if self.arrives_at is None or now < self.arrives_at:
            return "WAITING"
        return self.outcome

    def status(self, now: float) -> str:
        """The mobile guide's verification status: the state, or PURCHASE_FAILED after a failed purchase."""
        state = self.state(now)
        return "PURCHASE_FAILED" if state == "ACTIVE" and self.purchase_failure else state

    def premium(self, n: int) -> dict[str, Any] | None:
        return next((p for p in self.premiums if p["installmentNumber"] == n), None)


@dataclass(slots=True)
class Proposal:
    id: str
    branch: str
    insurer_id: str
    insured_id: str
    additional_ids: list[str]
    vehicle_id: str | None
    property_id: str | None
    groups: list[coverage.CoverageGroup]
    initial_coverage: dict[str, Any] | None
    channel: str
    agent_branch_id: str | None
    start: date
    options: dict[str, Any]
    created_at: float
    created_by: dict[str, Any] | None
    snapshot: Mapping[str, Any]  # the parties and asset as quoted (mockserver.core.packed)
    clock: Any  # the agent's clock: reads derive states from it
    products: list[ProposalProduct] = field(default_factory=list)
    represented_by: dict[str, Any] | None = None
    revised_from: str | None = None
    magic: set[str] = field(default_factory=set)
    risk: pricing.Risk | None = None
    draw_key: str = ""  # branch, risk and how many proposals for the same risk came before
    base_url: str = ""  # where it was asked for: live notifications link logos there
    _row: tuple[Any, dict[str, Any]] | None = None

    def now(self) -> float:
        return self.clock.timestamp()

    @property
    def end(self) -> date:
        try:
            return self.start.replace(year=self.start.year + 1)
        except ValueError:  # 29 February
            return self.start + timedelta(days=365)

    def product(self, ppid: str) -> ProposalProduct:
        found = next((p for p in self.products if p.id == ppid), None)
        if found is None:
            raise NotFound(f"Product '{ppid}' is not part of proposal '{self.id}'.",
                           codes=["PROPOSAL_PRODUCT_NOT_FOUND"])
        return found

    def summary(self, now: float | None = None) -> dict[str, Any]:
        """State, counts and premium range, all derived from the products at ``now``."""
        now = self.now() if now is None else now
        states = [p.state(now) for p in self.products]
        active = [p for p, s in zip(self.products, states) if s in ("ACTIVE", "PURCHASING", "PURCHASED")]
        lows = [p.premiums[0]["grossPremium"] for p in active if p.premiums]
        if "PURCHASED" in states:
            state = "PURCHASED"
        elif "PURCHASING" in states:
            state = "PURCHASING"
        elif "WAITING" in states:
            state = "WAITING"
        elif "ACTIVE" in states:
            state = "ACTIVE"
        else:
            state = "FAILED"
        return {"state": state, "total": len(states), "succeeded": len(active),
                "failed": states.count("FAILED"), "waiting": states.count("WAITING"),
                "lowest": min(lows) if lows else None, "highest": max(lows) if lows else None}

    def graphql_row(self) -> dict[str, Any]:
        """The proposal as GraphQL's row holds it (``COLUMNS``), with the insured's and the vehicle's
        flat rows whole beside it (the REST list reads them); kept until a quote arrives, a purchase
        moves or the branch changes."""
        now = self.now()
        key = (sum(1 for p in self.products if p.arrives_at is not None and p.arrives_at <= now),
               len(self.products), tuple(p.purchase_state for p in self.products), self.agent_branch_id)
        if self._row is not None and self._row[0] == key:
            return self._row[1]
        s = self.summary(now)
        row = {name: get(self, s) for name, _, get in COLUMNS if name not in _SNAPSHOT_ONLY}
        row.update({f"insuredCustomer{k}": v for k, v in self.snapshot["insuredCustomer"]["row"].items()})
        row.update(self.snapshot.get("vehicleRow", {}))
        self._row = (key, row)
        return row


# --------------------------------------------------------------------------- the row
# One declaration of a proposal's flat columns: (name, GraphQL type, getter(proposal, its summary)). It
# feeds the GraphQL node (``graphql.rows``: the SDL; the resolvers read the cached row) and the REST
# list items (``graphql_row``).
def party_column(role: str, part: str) -> Any:
    """A getter of one column of a party's flat row as quoted (``role``: insuredCustomer or
    insurerCustomer), for any record holding the quote's snapshot (a proposal, a policy)."""
    return lambda record, ctx: record.snapshot[role]["row"].get(part)


def vehicle_column(name: str) -> Any:
    """A getter of one of the vehicle's flat columns as quoted (None when the record has no vehicle)."""
    return lambda record, ctx: (record.snapshot.get("vehicleRow") or {}).get(name)


def _insured(part: str) -> Any:
    return party_column("insuredCustomer", part)


_PARTY = ("Name", "IdentityNumber", "TaxNumber", "CityText", "CityValue", "DistrictText", "DistrictValue",
          "Identity")
COLUMNS: tuple[tuple[str, str, Any], ...] = (
    ("id", "String!", lambda p, s: p.id), ("productBranch", "ProductBranch", lambda p, s: p.branch),
    ("state", "ProposalState", lambda p, s: s["state"]), ("status", "ProposalState", lambda p, s: s["state"]),
    ("insurerCustomerId", "UUID", lambda p, s: p.insurer_id), ("insuredCustomerId", "UUID", lambda p, s: p.insured_id),
    ("productsCount", "Int", lambda p, s: s["total"]), ("succeedProductsCount", "Int", lambda p, s: s["succeeded"]),
    ("createdAt", "DateTime", lambda p, s: iso(p.created_at)),
    ("agentUserCreatedBy", "UserReference", lambda p, s: p.created_by),
    ("successRate", "Float", lambda p, s: round(s["succeeded"] / s["total"], 4) if s["total"] else 0.0),
    *((f"insuredCustomer{part}", "String", _insured(part)) for part in _PARTY),
    ("insuredCustomerType", "CustomerType", _insured("Type")),
    ("insuredCustomerPhoneNumber", "String", _insured("PhoneNumber")),
    ("insuredCustomerPhoneNumberCountryCode", "Int", _insured("PhoneNumberCountryCode")),
    ("insuredCustomerEmail", "String", _insured("Email")), ("insuredCustomerBirthDate", "Date", _insured("BirthDate")),
    ("lowestPremium", "Decimal", lambda p, s: s["lowest"]), ("highestPremium", "Decimal", lambda p, s: s["highest"]),
    ("channel", "Channel", lambda p, s: p.channel),
    *((name, kind, vehicle_column(name)) for name, kind in vehicles.ROW_COLUMNS),
    ("utilizationStyle", "VehicleUtilizationStyle", vehicle_column("vehicleUtilizationStyle")),
    ("vehicleId", "UUID", lambda p, s: p.vehicle_id), ("propertyId", "UUID", lambda p, s: p.property_id),
    ("agentBranchId", "String", lambda p, s: p.agent_branch_id),
    # (GraphQL names the branch from the agency's branches: graphql.rows)
    ("agentBranch", "AgentBranchModel", lambda p, s: {"id": p.agent_branch_id, "name": None, "parentId": None,
                                                     "parentName": None} if p.agent_branch_id else None),
)
# the columns a row takes whole from the snapshot's flat rows (which hold more than GraphQL declares)
_SNAPSHOT_ONLY = {name for name, _ in vehicles.ROW_COLUMNS} | {
    f"insuredCustomer{part}" for part in (*_PARTY, "Type", "PhoneNumber", "PhoneNumberCountryCode", "Email",
                                          "BirthDate")}


# --------------------------------------------------------------------------- reads and actions
def get(agent: "Agent", proposal_id: str, customer_scope: str | None = None) -> Proposal:
    p = agent.proposals.get(proposal_id)
    if p is None or (customer_scope is not None and customer_scope not in (p.insurer_id, p.insured_id)):
        raise NotFound(f"Proposal '{proposal_id}' was not found.", codes=["PROPOSAL_NOT_FOUND"])
    return p


def visible(agent: "Agent", customer_scope: str | None) -> list[Proposal]:
    items = agent.proposals.values()
    if customer_scope is None:
        return list(items)
    return [p for p in items if customer_scope in (p.insurer_id, p.insured_id)]


def require_active(p: Proposal, pp: ProposalProduct) -> None:
    state = pp.state(p.now())
    if state not in ("ACTIVE", "PURCHASING", "PURCHASED"):
        raise InvalidState(f"Product '{pp.id}' is {state}; premiums and documents exist only for a quoted "
                           "(ACTIVE) product.", codes=["PROPOSAL_PRODUCT_NOT_ACTIVE"],
                           suggestions=["Poll GET proposals/{id} until the product is ACTIVE, or settle it with "
                                        "POST /__sandbox/agents/{agentId}/proposals/{id}/settle."])


def premium_detail(p: Proposal, pp: ProposalProduct, installment: int) -> dict[str, Any]:
    require_active(p, pp)
    premium = pp.premium(installment)
    if premium is None:
        offered = ", ".join(str(x["installmentNumber"]) for x in pp.premiums)
        raise NotFound(f"{pp.product.name} offers no plan with {installment} installments; offered: {offered}.",
                       codes=["PROPOSAL_PREMIUM_NOT_FOUND"])
    return {"proposalId": p.id, "proposalProductId": pp.id, "insurerCustomerId": p.insurer_id,
            "insuredCustomerId": p.insured_id, "installmentNumber": installment,
            "insuranceServicesProposalId": f"{pp.id}-{pp.attempt}",
            "insuranceServicesPremiumId": f"{pp.id}-{pp.attempt}-{installment}",
            "insuranceCompanyProposalNumber": pp.proposal_number,
            "installmentAmount": round(premium["grossPremium"] / installment, 2), **premium}


def live_payload(p: Proposal, pp: ProposalProduct, **extra: Any) -> dict[str, Any]:
    """What a live (hub) notification about ``pp`` carries: the SDK's ProposalProductEventBase
    (plus the branch and state); ``extra`` adds or overrides fields."""
    insurer = catalog().by_id[pp.product.insurer_id]
    return {"proposalId": p.id, "proposalProductId": pp.id, "productId": pp.product.id,
            "productName": pp.product.name, "productType": pp.product.kind,
            "insuranceCompanyId": insurer.id, "insuranceCompanyName": insurer.name,
            "insuranceCompanyLogo": p.base_url + insurer.logo_path() if p.base_url else insurer.logo_path(),
            "supportedPaymentOptions": [] if pp.robot else list(insurer.payment_options),
            "productBranch": p.branch, "state": pp.state(p.now()), **extra}


# --------------------------------------------------------------------------- wire
@dataclass(slots=True)
class ProductView:
    """What a proposal product's answer is drawn from: the product, its proposal, and what several of
    its fields share (its state now, its insurer, whether it was quoted)."""

    p: Proposal
    pp: ProposalProduct
    base_url: str
    now: float
    state: str = ""
    insurer: Any = None
    quoted: bool = False
    discounted: bool = False  # a no-claims step on a motor branch

    def __post_init__(self) -> None:
        self.state = self.pp.state(self.now)
        self.insurer = catalog().by_id[self.pp.product.insurer_id]
        self.quoted = self.state in ("ACTIVE", "PURCHASING", "PURCHASED")
        self.discounted = self.quoted and self.p.branch in ("KASKO", "TRAFIK")


def _error_message(v: ProductView, _ctx: Any = None) -> str | None:
    if v.state == "FAILED":
        return v.pp.error_message
    if v.pp.needs_investigation and v.state == "WAITING":
        return INVESTIGATION_MESSAGE
    return v.pp.purchase_failure if v.state == "ACTIVE" else None


def _if_quoted(value: Any) -> Any:
    return lambda v, ctx: value(v) if v.quoted else None


_render_product = renderer(
    ProposalProductOut, ProductView,
    id="pp.id", proposalProductId="pp.id", proposalId="p.id", insuranceCompanyId="insurer.id",
    insuranceCompanyName="insurer.name", insuranceCompanyLogo=lambda v, ctx: v.base_url + v.insurer.logo_path(),
    productId="pp.product.id", productName="pp.product.name", productType="pp.product.kind", productBranch="p.branch",
    premiums=lambda v, ctx: list(v.pp.premiums) if v.quoted else [],
    status=lambda v, ctx: v.pp.status(v.now),
    needsInvestigationByCompany=lambda v, ctx: v.pp.needs_investigation and v.state == "WAITING",
    hasVocationalDiscount=Const(False),
    hasUndamagedDiscount=lambda v, ctx: v.discounted and v.p.risk.undamaged_step > 0,
    hasUndamagedDiscountRate=lambda v, ctx: pricing.undamaged_rate(v.p.risk.undamaged_step) / 100 if v.discounted
    else None,
    revised="pp.revised", isManual=Const(False), manualPdfUrl=Const(None), policyId="pp.policy_id",
    errorMessage=_error_message,
    insuranceServiceProviderCoverage=_if_quoted(lambda v: v.pp.coverage),
    pdfCoverage=_if_quoted(lambda v: v.pp.coverage), initialCoverage="pp.coverage", optimalCoverage=Const(None),
    coverageGroupId=lambda v, ctx: v.pp.group.id if v.pp.group else None,
    coverageGroupName=lambda v, ctx: v.pp.group.name if v.pp.group else None,
    supportedPaymentOptions=lambda v, ctx: [] if v.pp.robot else list(v.insurer.payment_options),
    insuranceCompanyProposalNumber=_if_quoted(lambda v: v.pp.proposal_number),
    discountModels=lambda v, ctx: [],  # always empty (a fresh list: answers share no mutable value)
    attempt="pp.attempt", createdAt=From("pp.created_at", convert=iso),
    arrivedAt=lambda v, ctx: iso(v.pp.arrives_at) if v.state != "WAITING" else None,
)


def wire_product(p: Proposal, pp: ProposalProduct, base_url: str, now: float | None = None) -> dict[str, Any]:
    """``GET proposals/{id}/products/{productId}``'s answer (``ProposalProductOut``)."""
    return _render_product(ProductView(p, pp, base_url, p.now() if now is None else now))


@dataclass(slots=True)
class ProposalListView:
    p: Proposal
    row: dict[str, Any]  # its GraphQL row (the counts and premiums the list shows)


@dataclass(slots=True)
class ProposalView:
    """What a proposal's answer is drawn from: the proposal, the time, and its products' summary."""

    p: Proposal
    base_url: str
    now: float
    summary: dict[str, Any]


def _status(v: ProposalView, _ctx: Any = None) -> str:
    state = v.summary["state"]
    if state in ("ACTIVE", "WAITING") and any(pp.status(v.now) == "PURCHASE_FAILED" for pp in v.p.products):
        return "PURCHASE_FAILED"
    return state


_render = renderer(
    ProposalOut, ProposalView,
    proposalId="p.id", id="p.id", productBranch="p.branch", totalProductsCount=lambda v, ctx: v.summary["total"],
    succeedProductsCount=lambda v, ctx: v.summary["succeeded"], failedProductsCount=lambda v, ctx: v.summary["failed"],
    waitingProductsCount=lambda v, ctx: v.summary["waiting"], agentUserCreatedBy="p.created_by",
    representedBy="p.represented_by", agentBranchId="p.agent_branch_id", createdAt=From("p.created_at", convert=iso),
    state=lambda v, ctx: v.summary["state"], status=_status, channel="p.channel",
    lowestPremium=lambda v, ctx: v.summary["lowest"], highestPremium=lambda v, ctx: v.summary["highest"],
    insurerCustomerId="p.insurer_id", insuredCustomerId="p.insured_id", additionalInsuredCustomerIds="p.additional_ids",
    initialCoverage="p.initial_coverage",
    products=From(lambda v, ctx: [ProductView(v.p, pp, v.base_url, v.now) for pp in v.p.products], each=_render_product),
    snapshot=lambda v, ctx: sdk_snapshot(v.p.branch, v.p.snapshot, v.p.insurer_id == v.p.insured_id, v.p.options),
    policyStartDate=From("p.start", convert=date.isoformat), policyEndDate=From("p.end", convert=date.isoformat),
    coverageGroups=lambda v, ctx: [g.table() for g in v.p.groups], revisedFromProposalId="p.revised_from",
)


def wire(p: Proposal, base_url: str) -> dict[str, Any]:
    """``GET proposals/{id}``'s answer (``ProposalOut``)."""
    now = p.now()
    return _render(ProposalView(p, base_url, now, p.summary(now)))


# ----------------------------------------------------------------------------- the SDK's ProposalSnapshot
VEHICLE_BRANCHES = frozenset({"KASKO", "TRAFIK", "IMM"})
PROPERTY_BRANCHES = frozenset({"KONUT", "DASK"})


def _party(model: Mapping[str, Any], people: Mapping[str, Any]) -> dict[str, Any]:
    """The SDK's ProposalSnapshotCustomer from the kept CustomerModel: type as the enum, the name, the
    identity and birth date as {value} objects, optional fields left out rather than null."""
    kind = str(model.get("$type", "individual")).upper()
    out: dict[str, Any] = {"type": kind, "id": model["id"]}
    if kind == "COMPANY":
        out.update(name=model.get("title") or "", title=model.get("title") or "",
                   taxNumber={"value": model.get("taxNumber") or ""})
    else:
        out.update(name=model.get("fullName") or "", identityNumber={"value": digits_as_int(model.get("identityNumber"))},
                   fullName=model.get("fullName") or "")
        if model.get("birthDate"):
            out["birthDate"] = {"value": model["birthDate"]}
        extra = people.get(model["id"]) or {}
        out.update({k: v for k, v in extra.items() if v is not None})
    out.update({k: model[k] for k in ("city", "district", "email", "phoneNumber") if model.get(k) is not None})
    return out


def _vehicle(v: Mapping[str, Any], branch: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": v["id"], "plate": v["plate"], "model": v["model"],
                           "utilizationStyle": v["utilizationStyle"], "accessories": v.get("accessories") or [],
                           "hasPlate": v.get("hasPlate", bool(v["plate"].get("code")))}
    optional = {"fuel": v.get("fuel"),
                "engine": {"number": v["engineNumber"]} if v.get("engineNumber") else None,
                "chassis": {"number": v["chassisNumber"]} if v.get("chassisNumber") else None,
                "registrationDate": {"value": v["registrationDate"]} if v.get("registrationDate") else None,
                "seatNumber": {"value": v["seatNumber"]} if v.get("seatNumber") is not None else None,
                "documentSerial": v.get("documentSerial"), "lossPayeeClause": v.get("lossPayeeClause"),
                "oldPolicy": v.get("trafikOldPolicy" if branch == "TRAFIK" else "kaskoOldPolicy")}
    out.update({k: x for k, x in optional.items() if x is not None})
    return out


def _dask_old(number: Any) -> dict[str, Any] | None:
    return {"number": int(number), "endDate": None} if number else None


def _property(prop: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": prop["id"], "number": {"value": prop["number"]}, "address": prop["address"],
                           "damageStatus": prop["damageStatus"], "structure": prop["structure"],
                           "utilizationStyle": prop["utilizationStyle"], "ownershipType": prop["ownershipType"]}
    optional = {"squareMeter": {"value": prop["squareMeter"]} if prop.get("squareMeter") is not None else None,
                "constructionYear": ({"value": prop["constructionYear"]}
                                     if prop.get("constructionYear") is not None else None),
                "floor": prop.get("floor"), "lossPayeeClause": prop.get("lossPayeeClause"),
                "daskOldPolicy": _dask_old(prop.get("daskOldPolicyNumber"))}
    out.update({k: x for k, x in optional.items() if x is not None})
    return out


def sdk_snapshot(branch: str, snap: Mapping[str, Any], same: bool,
                 options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The SDK's ProposalSnapshot (a union on productBranch) of what was kept when the proposal was
    asked for; a policy's snapshot is its proposal's."""
    people = snap.get("people") or {}
    out: dict[str, Any] = {"productBranch": branch,
                           "insurerCustomer": _party(snap["insurerCustomer"]["model"], people),
                           "insuredCustomer": _party(snap["insuredCustomer"]["model"], people),
                           "isInsuredCustomerSameAsInsurerCustomer": same}
    if snap.get("additionalInsuredCustomers"):
        out["additionalInsuredCustomers"] = [_party(m, people) for m in snap["additionalInsuredCustomers"]]
    if snap.get("vehicle"):
        out["vehicle"] = _vehicle(snap["vehicle"], branch)
    if snap.get("property"):
        out["property"] = _property(snap["property"])
        if branch == "DASK" and out["property"].get("daskOldPolicy"):
            out["oldPolicy"] = out["property"]["daskOldPolicy"]
    if branch == "TSS":
        health = snap.get("health") or snap["insuredCustomer"]["model"].get("health") or {}
        out.update({k: {"value": health[k]} for k in ("height", "weight") if health.get(k) is not None})
        out["surgeries"], out["diseases"] = list(health.get("surgeries") or []), list(health.get("diseases") or [])
    if options:
        out["konutOptions"] = dict(options)
    return out


list_item = renderer(  # GET proposals' items: the proposal and the counts its GraphQL row holds
    ProposalListItem, ProposalListView, prepare=lambda p, ctx: ProposalListView(p, p.graphql_row()),
    proposalId="p.id", id="p.id", productBranch="p.branch", state=lambda v, ctx: v.row["state"], channel="p.channel",
    createdAt=lambda v, ctx: v.row["createdAt"], insurerCustomerId="p.insurer_id", insuredCustomerId="p.insured_id",
    insuredCustomerName=lambda v, ctx: v.row.get("insuredCustomerName"),
    totalProductsCount=lambda v, ctx: v.row["productsCount"],
    succeedProductsCount=lambda v, ctx: v.row["succeedProductsCount"],
    lowestPremium=lambda v, ctx: v.row["lowestPremium"], highestPremium=lambda v, ctx: v.row["highestPremium"],
    vehicleId="p.vehicle_id", propertyId="p.property_id", agentBranchId="p.agent_branch_id",
)


__all__ = ["Proposal", "ProposalProduct", "create", "get", "visible", "wire", "wire_product", "retry", "revise",
           "revise_product", "settle", "premium_detail", "require_active", "quoting_products", "list_item"]
