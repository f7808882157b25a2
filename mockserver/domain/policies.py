"""Policies: issued when a purchase succeeds, read over REST and GraphQL, documented by a real PDF.

A policy copies what it was sold from: the proposal's parties and asset (its snapshot), the
chosen installment plan's premiums, the payment type and the insurer. It runs one year from the
proposal's start date (or from today on the agent's clock, when that date has passed).

Lifecycle::

    ACTIVE --(clock passes endDate)--> END_OF_LIFE (the SDK's PolicyState)
    ACTIVE --(cancel, control plane)--> CANCELLED   (policy.updated with isCancel and negative premiums)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso, iso_turkey, turkish_day
from mockserver.core.errors import InvalidState, NotFound
from mockserver.domain import branches, cases, vehicles
from mockserver.domain.proposals import live_payload, party_column, sdk_snapshot as proposal_snapshot, vehicle_column
from mockserver.domain.catalog import catalog, render_company
from mockserver.wire.events import PolicyCreated, PolicyUpdated, ProposalPremiumPurchased
from mockserver.wire.policies import PolicyListItem, PolicyOut, PolicyRow, PolicyVersionOut
from mockserver.wire.render import Const, From, renderer

if TYPE_CHECKING:
    from mockserver.domain.payments import Payment
    from mockserver.domain.proposals import Proposal, ProposalProduct
    from mockserver.domain.tenant import Agent


@dataclass(slots=True)
class Version:
    """One row of ``policiesExpanded``: the issue (endorsement 0) or an endorsement/cancellation."""

    endorsement_number: int
    kind: str | None  # None for the issue; CANCELLATION | ENDORSEMENT
    at: float
    net_change: float
    gross_change: float
    commission_change: float
    reason: str | None


@dataclass(slots=True)
class Policy:
    id: str
    number: str  # the insurer's policy number
    proposal_id: str
    proposal_product_id: str
    product_id: int
    product_name: str
    insurance_company_id: int
    branch: str
    insurer_id: str  # customer ids: sigorta ettiren and sigortalı
    insured_id: str
    vehicle_id: str | None
    property_id: str | None
    start: date
    end: date
    installment: int
    premium: dict[str, Any]
    payment_type: str
    channel: str
    created_at: float
    created_by: dict[str, Any] | None
    agent_branch_id: str | None
    snapshot: Mapping[str, Any]  # the proposal's, shared
    clock: Any
    base_url: str  # where it was bought: links (logo, document) point there
    versions: list[Version] = field(default_factory=list)
    cancelled_at: float | None = None
    represented_by: dict[str, Any] | None = None
    manual: bool = False  # entered by hand (policies/manual), not bought through the sandbox
    renewal_number: int = 0  # the insurer's yenileme no (a file transfer gives it)
    from_transfer: bool = False  # imported by a (file) policy transfer: policy.created says fromPolicyTransfer

    def state(self) -> str:
        if self.cancelled_at is not None:
            return "CANCELLED"
        today = turkish_day(self.clock.timestamp())
        return "END_OF_LIFE" if today > self.end else "ACTIVE"

    @property
    def net(self) -> float:
        return round(sum(v.net_change for v in self.versions), 2)

    @property
    def gross(self) -> float:
        return round(sum(v.gross_change for v in self.versions), 2)

    def graphql_row(self) -> dict[str, Any]:
        """The current state as GraphQL's row holds it (premiums summed over every version: a cancellation
        brings them to 0), with what the REST detail and list read beside it (``PolicyRow``)."""
        row = {name: get(self, None) for name, _, get in COLUMNS if name not in _SNAPSHOT_ONLY}
        snap = self.snapshot
        for part in ("PhoneNumber", "PhoneNumberCountryCode", "Email"):
            row["insuredCustomer" + part] = snap["insuredCustomer"]["row"].get(part)
        row.update(snap.get("vehicleRow", {}))  # (a policy of no vehicle has none of these)
        return row

    def graphql_versions(self) -> list[dict[str, Any]]:
        """``policiesExpanded``: a row per version, its premiums the version's change."""
        base = self.graphql_row()
        return [{**base, **{name: get(v) for name, _, get in VERSION_COLUMNS}} for v in self.versions]


# ----------------------------------------------------------------------------- the row
# One declaration of a policy's flat columns: (name, GraphQL type, getter(policy, query context)). It
# feeds the GraphQL node (``graphql.rows``: the SDL and a getter per selected field), the rows
# ``policiesExpanded`` lists, and the REST detail and list items (``graphql_row``, ``PolicyRow``).
def _commission(p: Policy, q: Any) -> float:
    return round(sum(v.commission_change for v in p.versions), 2)


def _last(attr: str) -> Any:
    return lambda p, q: getattr(p.versions[-1], attr)


_PARTY = ("Name", "IdentityNumber", "TaxNumber", "CityText", "CityValue", "DistrictText", "DistrictValue")
_SNAPSHOT_ONLY = {name for name, _ in vehicles.ROW_COLUMNS}  # (the REST row takes the snapshot's vehicle row whole)
COLUMNS: tuple[tuple[str, str, Any], ...] = (
    ("id", "String!", lambda p, q: p.id), ("insurerCustomerId", "UUID", lambda p, q: p.insurer_id),
    ("insuredCustomerId", "UUID", lambda p, q: p.insured_id), ("installmentNumber", "Int", lambda p, q: p.installment),
    ("productBranch", "ProductBranch", lambda p, q: p.branch), ("netPremium", "Decimal", lambda p, q: p.net),
    ("grossPremium", "Decimal", lambda p, q: p.gross), ("commission", "Decimal", _commission),
    ("paymentType", "PaymentOption", lambda p, q: p.payment_type),
    ("currency", "Currency", lambda p, q: p.premium["currency"]),
    ("exchangeRate", "Decimal", lambda p, q: p.premium["exchangeRate"]),
    ("netPremiumTL", "Decimal", lambda p, q: p.net), ("grossPremiumTL", "Decimal", lambda p, q: p.gross),
    ("commissionTL", "Decimal", _commission),
    ("insuranceCompanyProposalNumber", "String", lambda p, q: p.premium.get("insuranceCompanyProposalNumber")),
    ("insuranceCompanyPolicyNumber", "String", lambda p, q: p.number), ("policyNumber", "String", lambda p, q: p.number),
    ("renewalNumber", "Int", lambda p, q: p.renewal_number),
    ("endorsementNumber", "Int", _last("endorsement_number")), ("endorsementType", "String", _last("kind")),
    ("updateReasonText", "String", _last("reason")),
    ("endorsementTimestamp", "DateTime", lambda p, q: iso(p.versions[-1].at) if p.versions[-1].kind else None),
    ("createdAt", "DateTime", lambda p, q: iso(p.created_at)), ("startDate", "Date", lambda p, q: p.start.isoformat()),
    ("endDate", "Date", lambda p, q: p.end.isoformat()),
    ("arrangementDate", "Date", lambda p, q: iso_turkey(p.created_at)[:10]), ("state", "PolicyState", lambda p, q: p.state()),
    *((f"insuredCustomer{part}", "String", party_column("insuredCustomer", part)) for part in _PARTY),
    ("insuredCustomerIdentity", "String", party_column("insuredCustomer", "Identity")),
    ("insuredCustomerType", "CustomerType", party_column("insuredCustomer", "Type")),
    ("insuredCustomerBirthDate", "Date", party_column("insuredCustomer", "BirthDate")),
    *((f"insurerCustomer{part}", "String", party_column("insurerCustomer", part)) for part in _PARTY),
    ("insurerCustomerBirthDate", "Date", party_column("insurerCustomer", "BirthDate")),
    *((name, kind, vehicle_column(name)) for name, kind in vehicles.ROW_COLUMNS),
    ("productId", "Int", lambda p, q: p.product_id), ("productName", "String", lambda p, q: p.product_name),
    ("insuranceCompanyId", "Int", lambda p, q: p.insurance_company_id),
    ("insuranceCompanyName", "String", lambda p, q: catalog().by_id[p.insurance_company_id].name),
    ("insuranceCompanyLogo", "String", lambda p, q: p.base_url + catalog().by_id[p.insurance_company_id].logo_path()),
    ("createdBy", "UserReference", lambda p, q: p.created_by),
    ("representedBy", "UserReference", lambda p, q: p.represented_by),
    ("propertyNumber", "Long", lambda p, q: (p.snapshot.get("property") or {}).get("number")),
    ("daskOldPolicyNumber", "Long", lambda p, q: int(old) if (old := (p.snapshot.get("property") or {}).get(
        "daskOldPolicyNumber")) else None),
    ("daskPolicyNumber", "String", lambda p, q: p.number if p.branch == "DASK" else None),
    ("vehicleId", "UUID", lambda p, q: p.vehicle_id), ("propertyId", "UUID", lambda p, q: p.property_id),
    ("channel", "Channel", lambda p, q: p.channel), ("campaign", "String", lambda p, q: None),
    ("agentBranchId", "String", lambda p, q: p.agent_branch_id),
    # (GraphQL names the branch from the agency's branches: graphql.rows)
    ("agentBranch", "AgentBranchModel", lambda p, q: {"id": p.agent_branch_id, "name": None, "parentId": None,
                                                     "parentName": None} if p.agent_branch_id else None),
)
# a version's row: the version's own premiums (its change) and endorsement, as (name, GraphQL type, getter(version))
VERSION_COLUMNS: tuple[tuple[str, str, Any], ...] = (
    ("netPremium", "Decimal", lambda v: v.net_change), ("grossPremium", "Decimal", lambda v: v.gross_change),
    ("commission", "Decimal", lambda v: v.commission_change), ("netPremiumTL", "Decimal", lambda v: v.net_change),
    ("grossPremiumTL", "Decimal", lambda v: v.gross_change), ("commissionTL", "Decimal", lambda v: v.commission_change),
    ("netPremiumChange", "Decimal", lambda v: v.net_change), ("grossPremiumChange", "Decimal", lambda v: v.gross_change),
    ("commissionChange", "Decimal", lambda v: v.commission_change),
    ("endorsementNumber", "Int", lambda v: v.endorsement_number), ("endorsementType", "String", lambda v: v.kind),
    ("updateReasonText", "String", lambda v: v.reason),
    ("endorsementTimestamp", "DateTime", lambda v: iso(v.at) if v.kind else None),
)


def _number(agent: "Agent", start: date) -> str:
    taken = {p.number for p in agent.policies.values()}
    while True:
        number = f"{start.year}{agent.ids.digits(8)}"
        if number not in taken:
            return number


def issue(agent: "Agent", p: "Proposal", pp: "ProposalProduct", payment: "Payment") -> Policy:
    """The policy of a successful purchase: the product becomes PURCHASED, the case closes as won,
    ``proposal_premium.purchased`` and ``policy.created`` fire and live clients hear of it."""
    now = agent.now()
    insurer = catalog().by_id[pp.product.insurer_id]
    start = max(p.start, agent.today())
    try:
        end = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        end = start + timedelta(days=365)
    premium = dict(pp.premium(payment.installment) or {})
    policy = Policy(
        id=agent.ids.object_id(now), number=_number(agent, start), proposal_id=p.id,
        proposal_product_id=pp.id, product_id=pp.product.id, product_name=pp.product.name,
        insurance_company_id=insurer.id, branch=p.branch, insurer_id=p.insurer_id, insured_id=p.insured_id,
        vehicle_id=p.vehicle_id, property_id=p.property_id, start=start, end=end,
        installment=payment.installment, premium=premium, payment_type=payment.payment_type, channel=p.channel,
        created_at=now, created_by=payment.created_by or p.created_by, agent_branch_id=p.agent_branch_id,
        snapshot=p.snapshot, clock=agent.clock, base_url=payment.base_url)
    policy.versions.append(Version(0, None, now, premium["netPremium"], premium["grossPremium"],
                                   premium["commission"], None))
    agent.policies.add(policy)
    pp.purchase_state, pp.policy_id = "PURCHASED", policy.id
    agent.event(_purchased_event(policy))
    announce_created(agent, policy)
    cases.on_policy_issued(agent, p.id, policy.id, policy_end_date=end.isoformat(), by=payment.created_by)
    agent.notify(p, "ReceiveProposalProductPurchased", live_payload(
        p, pp, installmentNumber=payment.installment, paymentType=payment.payment_type, policyId=policy.id,
        policyNumber=policy.number))
    return policy


def _customer_attr(role: str, attr: str) -> Any:
    """A source reading the policy's insurer's or insured's (``role``) customer attribute; ctx: the agent."""
    def source(policy: Policy, agent: "Agent") -> Any:
        c = agent.customers.get(getattr(policy, role))
        return getattr(c, attr) if c else None
    return source


_IDENTITIES = dict(insurerIdentityNumber=_customer_attr("insurer_id", "identity_number"),
                   insuredIdentityNumber=_customer_attr("insured_id", "identity_number"),
                   installmentNumber="installment", insuranceCompanyPolicyNo="number")
# ctx: the agent
_created_event = renderer(
    PolicyCreated, Policy, event=Const("policy.created"), policyId="id",
    insuranceCompany=lambda policy, agent: render_company(catalog().by_id[policy.insurance_company_id], ""),
    startDate=From("start", convert=date.isoformat), endDate=From("end", convert=date.isoformat),
    productBranch="branch", insurerCustomerId="insurer_id", insuredCustomerId="insured_id",
    insuredCustomerEmail=_customer_attr("insured_id", "email"), insurerCustomerEmail=_customer_attr("insurer_id", "email"),
    fromPolicyTransfer="from_transfer", netPremium=lambda policy, agent: policy.premium["netPremium"],
    grossPremium=lambda policy, agent: policy.premium["grossPremium"], **_IDENTITIES)
# ctx: the agent; the change is the policy's last version
_updated_event = renderer(
    PolicyUpdated, Policy, event=Const("policy.updated"), policyId="id",
    endorsementNumber=lambda policy, agent: policy.versions[-1].endorsement_number,
    isCancel=lambda policy, agent: policy.versions[-1].kind == "CANCELLATION",
    netPremium=lambda policy, agent: policy.versions[-1].net_change,
    grossPremium=lambda policy, agent: policy.versions[-1].gross_change, **_IDENTITIES)
_purchased_event = renderer(
    ProposalPremiumPurchased, Policy, event=Const("proposal_premium.purchased"), policyId="id",
    installmentNumber="installment", policyStartDate=From("start", convert=date.isoformat),
    policyEndDate=From("end", convert=date.isoformat))


def announce_created(agent: "Agent", policy: Policy) -> None:
    """``policy.created``, for a policy bought, entered by hand or transferred."""
    agent.event(_created_event(policy, agent))


def get(agent: "Agent", policy_id: str, customer_scope: str | None = None) -> Policy:
    found = agent.policies.get(policy_id)
    if found is None or (customer_scope is not None and customer_scope not in (found.insurer_id, found.insured_id)):
        raise NotFound(f"Policy '{policy_id}' was not found.", codes=["POLICY_NOT_FOUND"])
    return found


def visible(agent: "Agent", customer_scope: str | None) -> list[Policy]:
    items = list(agent.policies.values())
    if customer_scope is None:
        return items
    return [p for p in items if customer_scope in (p.insurer_id, p.insured_id)]


def cancel(agent: "Agent", policy: Policy, reason: str | None) -> Policy:
    """Cancel a policy (a control-plane action standing in for the insurer): a refund version with
    negative premiums, pro rata for the days left, and ``policy.updated`` with ``isCancel``."""
    if policy.cancelled_at is not None:
        raise InvalidState(f"Policy '{policy.id}' is already cancelled.", codes=["POLICY_ALREADY_CANCELLED"])
    now = agent.now()
    total = max((policy.end - policy.start).days, 1)
    left = min(max((policy.end - max(agent.today(), policy.start)).days, 0), total)
    share = left / total
    first = policy.versions[0]
    version = Version(len(policy.versions), "CANCELLATION", now, -round(first.net_change * share, 2),
                      -round(first.gross_change * share, 2), -round(first.commission_change * share, 2),
                      reason or "Sigortalı talebiyle iptal")
    policy.versions.append(version)
    policy.cancelled_at = now
    agent.event(_updated_event(policy, agent))
    return policy


@dataclass(slots=True)
class PolicyView:
    """What a policy's detail is drawn from: the policy, its GraphQL row, and its last version."""

    policy: Policy
    row: dict[str, Any]
    last: Version
    source: str  # how the policy came: MANUAL, POLICY_TRANSFER or UNKNOWN (bought here)


@dataclass(slots=True)
class VersionView:
    number: int  # its index in the policy's versions
    version: Version
    source: str


def _view(policy: Policy, _ctx: Any) -> PolicyView:
    source = "POLICY_TRANSFER" if policy.from_transfer else "MANUAL" if policy.manual else "UNKNOWN"
    return PolicyView(policy, policy.graphql_row(), policy.versions[-1], source)


def _row_field(name: str, required: bool) -> From:
    """A column of the GraphQL row (``PolicyRow``): a column the row leaves out is left out."""
    if required:
        return From(lambda v, ctx: v.row[name])
    return From(lambda v, ctx: v.row[name], when=lambda v: name in v.row)


_render_version = renderer(
    PolicyVersionOut, VersionView,
    version="number", versionType=lambda v, ctx: {None: "INITIAL", "CANCELLATION": "CANCELLATION"}.get(
        v.version.kind, "UPDATE"),
    timestamp=From("version.at", convert=iso), updateReasonText="version.reason", hasSnapshotChange=Const(False),
    hasCoverageChange=Const(False),
    hasPremiumChange=lambda v, ctx: bool(v.number and (v.version.net_change or v.version.gross_change)),
    endorsementNumber="version.endorsement_number", type="version.kind", at=From("version.at", convert=iso),
    netPremiumChange="version.net_change", grossPremiumChange="version.gross_change", reason="version.reason",
)
_render = renderer(
    PolicyOut, PolicyView, prepare=_view,
    **{name: _row_field(name, info.is_required()) for name, info in PolicyRow.model_fields.items()
       if name != "agentBranch"},
    agentBranch=lambda v, agent: branches.branch_ref(agent, v.policy.agent_branch_id),  # its name as it is now
    policyId="policy.id", proposalId="policy.proposal_id", proposalProductId="policy.proposal_product_id",
    premium=lambda v, ctx: {**v.policy.premium, "installmentNumber": v.policy.installment},
    insurerCustomer=lambda v, ctx: v.policy.snapshot["insurerCustomer"]["model"],
    insuredCustomer=lambda v, ctx: v.policy.snapshot["insuredCustomer"]["model"],
    vehicle=lambda v, ctx: v.policy.snapshot.get("vehicle"), property=lambda v, ctx: v.policy.snapshot.get("property"),
    # the SDK's GetPolicyDetailResult
    snapshot=lambda v, ctx: proposal_snapshot(v.policy.branch, v.policy.snapshot,
                                              v.policy.insurer_id == v.policy.insured_id),
    coverage=Const(None), metadata=Const(None), insuranceServicesPolicyReference=Const(None),
    insuranceCompanyEndorsementNumber="last.endorsement_number", insuranceCompanyRenewalNumber="policy.renewal_number",
    netPremiumChange="last.net_change", grossPremiumChange="last.gross_change", commissionChange="last.commission_change",
    currentVersion=lambda v, ctx: len(v.policy.versions) - 1,
    versions=From(lambda v, ctx: [VersionView(i, ver, v.source) for i, ver in enumerate(v.policy.versions)],
                  each=_render_version),
)


def wire(agent: "Agent", policy: Policy) -> dict[str, Any]:
    """``GET policies/{id}`` (``PolicyOut``): the GraphQL row's fields plus the parties and the asset as sold."""
    return _render(policy, agent)


list_item = renderer(  # GET policies' items: the row's columns the list shows, read by their getters
    PolicyListItem, Policy, policyId="id",
    **{name: get for name, _, get in COLUMNS if name in PolicyListItem.model_fields and name != "policyId"})


__all__ = ["Policy", "issue", "get", "visible", "cancel", "wire", "list_item", "announce_created"]
