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
from mockserver.domain import branches, cases
from mockserver.domain.proposals import live_payload, sdk_snapshot as proposal_snapshot
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

    def _row_base(self) -> dict[str, Any]:
        snap = self.snapshot
        insurer = catalog().by_id[self.insurance_company_id]
        vehicle_row = dict(snap.get("vehicleRow", {}))
        prop = snap.get("property") or {}
        row: dict[str, Any] = {
            "id": self.id, "insurerCustomerId": self.insurer_id, "insuredCustomerId": self.insured_id,
            "installmentNumber": self.installment, "productBranch": self.branch,
            "paymentType": self.payment_type, "currency": self.premium["currency"],
            "exchangeRate": self.premium["exchangeRate"],
            "insuranceCompanyProposalNumber": self.premium.get("insuranceCompanyProposalNumber"),
            "insuranceCompanyPolicyNumber": self.number, "policyNumber": self.number, "renewalNumber": self.renewal_number,
            "createdAt": iso(self.created_at), "startDate": self.start.isoformat(), "endDate": self.end.isoformat(),
            "arrangementDate": iso_turkey(self.created_at)[:10], "state": self.state(),
            **{f"insuredCustomer{k}": v for k, v in snap["insuredCustomer"]["row"].items()},
            **{f"insurerCustomer{k}": v for k, v in snap["insurerCustomer"]["row"].items()
               if k in ("Name", "IdentityNumber", "TaxNumber", "CityText", "CityValue", "DistrictText",
                        "DistrictValue", "BirthDate")},
            **vehicle_row,
            "productId": self.product_id, "productName": self.product_name,
            "insuranceCompanyId": insurer.id, "insuranceCompanyName": insurer.name,
            "insuranceCompanyLogo": self.base_url + insurer.logo_path(), "createdBy": self.created_by, "representedBy": self.represented_by,
            "propertyNumber": prop.get("number"), "daskOldPolicyNumber": int(prop["daskOldPolicyNumber"]) if prop.get("daskOldPolicyNumber") else None,
            "daskPolicyNumber": self.number if self.branch == "DASK" else None,
            "vehicleId": self.vehicle_id, "propertyId": self.property_id, "channel": self.channel, "campaign": None,
            "agentBranchId": self.agent_branch_id,
            "agentBranch": {"id": self.agent_branch_id, "name": None, "parentId": None, "parentName": None}
            if self.agent_branch_id else None,
        }
        return row

    def graphql_row(self) -> dict[str, Any]:
        """The current state: premiums are the sum of every version (a cancellation brings them to 0)."""
        last = self.versions[-1]
        commission = round(sum(v.commission_change for v in self.versions), 2)
        return {**self._row_base(), "netPremium": self.net, "grossPremium": self.gross, "commission": commission,
                "netPremiumTL": self.net, "grossPremiumTL": self.gross, "commissionTL": commission,
                "endorsementNumber": last.endorsement_number, "endorsementType": last.kind,
                "updateReasonText": last.reason, "endorsementTimestamp": iso(last.at) if last.kind else None}

    def graphql_versions(self) -> list[dict[str, Any]]:
        base = self._row_base()
        rows = []
        for v in self.versions:
            rows.append({**base, "netPremium": v.net_change, "grossPremium": v.gross_change,
                         "commission": v.commission_change, "netPremiumTL": v.net_change,
                         "grossPremiumTL": v.gross_change, "commissionTL": v.commission_change,
                         "netPremiumChange": v.net_change, "grossPremiumChange": v.gross_change,
                         "commissionChange": v.commission_change, "endorsementNumber": v.endorsement_number,
                         "endorsementType": v.kind, "updateReasonText": v.reason,
                         "endorsementTimestamp": iso(v.at) if v.kind else None})
        return rows


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


def _party(role: str, attr: str) -> Any:
    """A source reading the policy's insurer's or insured's (``role``) customer attribute; ctx: the agent."""
    def source(policy: Policy, agent: "Agent") -> Any:
        c = agent.customers.get(getattr(policy, role))
        return getattr(c, attr) if c else None
    return source


_IDENTITIES = dict(insurerIdentityNumber=_party("insurer_id", "identity_number"),
                   insuredIdentityNumber=_party("insured_id", "identity_number"),
                   installmentNumber="installment", insuranceCompanyPolicyNo="number")
# ctx: the agent
_created_event = renderer(
    PolicyCreated, Policy, event=Const("policy.created"), policyId="id",
    insuranceCompany=lambda policy, agent: render_company(catalog().by_id[policy.insurance_company_id], ""),
    startDate=From("start", convert=date.isoformat), endDate=From("end", convert=date.isoformat),
    productBranch="branch", insurerCustomerId="insurer_id", insuredCustomerId="insured_id",
    insuredCustomerEmail=_party("insured_id", "email"), insurerCustomerEmail=_party("insurer_id", "email"),
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


list_item = renderer(  # GET policies' items: the row's columns the list shows
    PolicyListItem, dict, prepare=lambda policy, ctx: {"policyId": policy.id, **policy.graphql_row()},
    insuredCustomerName=From(lambda row, ctx: row.get("insuredCustomerName")),
    vehicleId=From(lambda row, ctx: row.get("vehicleId")), propertyId=From(lambda row, ctx: row.get("propertyId")))


__all__ = ["Policy", "issue", "get", "visible", "cancel", "wire", "list_item", "announce_created"]
