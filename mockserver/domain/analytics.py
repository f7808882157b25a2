"""The Agent Panel dashboard's figures (user guide: policy counts and premium, branch distribution,
renewals, proposal conversion trend, sales funnel, representative earnings, failed-case reasons,
open-case backlog), computed from the agent's own cases, proposals and policies.

No source gives these endpoints' request or answer shapes (the CLI sends ``--data`` as it is and
prints what comes back), so the shapes are the sandbox's: a period (``startDate``, ``endDate``, days
of the agent's clock, Turkish time), optional ``agentBranchIds`` and ``productBranches`` filters, and
for trends a ``period`` of DAY, WEEK or MONTH. Every figure is a count or a sum a test can check
against the records it made. Role scopes apply: an Own or Branch role counts what it may see.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import TURKEY, turkish_day
from mockserver.core.errors import FieldError, refuse_fields
from mockserver.wire import analytics as out

if TYPE_CHECKING:
    from mockserver.wire.analytics import AnalyticsRequest
    from mockserver.domain.tenant import Agent

PERIODS = ("DAY", "WEEK", "MONTH")
MAX_DAYS = 3 * 366


class Window:
    """The period and filters an analytics request parsed (its model checks each field); here the
    defaults from the agent's clock and the rules between the two dates."""

    def __init__(self, agent: "Agent", req: "AnalyticsRequest"):
        errors: list[FieldError] = []
        today = turkish_day(agent.now())  # the periods are Turkish days (see first and after below)
        self.start = req.day("startDate") or today - timedelta(days=29)
        self.end = req.day("endDate") or today
        if self.start > self.end:
            errors.append(FieldError("endDate", "is before startDate", req.endDate))
        elif (self.end - self.start).days > MAX_DAYS:
            errors.append(FieldError("endDate", f"is more than {MAX_DAYS} days after startDate", req.endDate))
        self.period = req.period or req.groupBy or "DAY"
        self.branches = set(req.agentBranchIds or [])
        self.products = {b.upper() for b in req.productBranches or []}
        refuse_fields("analytics request", errors, "ANALYTICS_INVALID")
        # the period as instants (Turkish days), so a record is placed by two comparisons
        self.first = datetime(self.start.year, self.start.month, self.start.day, tzinfo=TURKEY).timestamp()
        self.after = datetime(self.end.year, self.end.month, self.end.day, tzinfo=TURKEY).timestamp() + 86400

    def holds(self, at: float, branch_id: str | None = None, product: str | None = None) -> bool:
        return (self.first <= at < self.after and (not self.branches or branch_id in self.branches)
                and (not self.products or (product or "").upper() in self.products))

    def bucket(self, at: float) -> str:
        day = turkish_day(at)
        if self.period == "WEEK":
            day -= timedelta(days=day.weekday())
        elif self.period == "MONTH":
            day = day.replace(day=1)
        return day.isoformat()

    def buckets(self) -> list[str]:
        out, day = [], self.start
        while day <= self.end:
            key = self.bucket(datetime(day.year, day.month, day.day, 12, tzinfo=TURKEY).timestamp())
            if not out or out[-1] != key:
                out.append(key)
            day += timedelta(days=1)
        return out

    def echo(self) -> dict[str, Any]:
        """The window's fields of an answer."""
        return {"startDate": self.start.isoformat(), "endDate": self.end.isoformat()}


def _seen(agent: "Agent", principal: Any, permission: str, records: Any) -> list[Any]:
    """The records the caller's role lets it count (all of them, but for an Own or Branch scope)."""
    from mockserver.domain import roles

    records = list(records)  # (one C call: atomic for the event loop's thread while this runs in the pool)
    if not roles.scoped(agent, principal, permission):
        return records
    return [r for r in records if roles.sees(agent, principal, permission, r)]


# ----------------------------------------------------------------------------- cases
def sales_funnel(agent: "Agent", principal: Any, req: "AnalyticsRequest") -> out.SalesFunnelOut:
    w = Window(agent, req)
    cases = [c for c in _seen(agent, principal, "cases:read", agent.cases.values())
             if c.type == "SALE_OPPORTUNITY" and w.holds(c.created_at, c.agent_branch_id, c.product_branch)]
    with_proposal = [c for c in cases if c.proposal_ids]
    with_policy = [c for c in cases if c.policy_ids]
    won = [c for c in cases if c.main_state == "SUCCESS"]
    stages = [("OPENED", len(cases)), ("PROPOSAL_MADE", len(with_proposal)), ("POLICY_SOLD", len(with_policy)),
              ("WON", len(won))]
    return out.SalesFunnelOut(**w.echo(), stages=[
        out.FunnelStage(stage=s, count=n, rate=round(n / len(cases), 4) if cases else 0.0) for s, n in stages])


def open_backlog(agent: "Agent", principal: Any, req: "AnalyticsRequest") -> out.BacklogOut:
    w = Window(agent, req)
    now = agent.now()
    cells: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c in _seen(agent, principal, "cases:read", agent.cases.values()):
        if not c.is_open or not w.holds(c.created_at, c.agent_branch_id, c.product_branch):
            continue
        age = (now - c.created_at) / 86400
        bucket = "0-1" if age < 1 else "1-7" if age < 7 else "7-30" if age < 30 else "30+"
        cells[(c.type, c.sub_state)][bucket] += 1
    rows = [out.BacklogRow(caseType=t, subState=s, total=sum(b.values()), byAgeDays=out.BacklogAges(
        day=b["0-1"], week=b["1-7"], month=b["7-30"], older=b["30+"])) for (t, s), b in sorted(cells.items())]
    return out.BacklogOut(**w.echo(), total=sum(r.total for r in rows), rows=rows)


def failed_reasons(agent: "Agent", principal: Any, req: "AnalyticsRequest") -> out.FailedReasonsOut:
    w = Window(agent, req)
    failed = [c for c in _seen(agent, principal, "cases:read", agent.cases.values())
              if c.main_state == "FAIL" and w.holds(c.last_update or c.created_at, c.agent_branch_id, c.product_branch)]
    counts = Counter(c.sub_state for c in failed)
    return out.FailedReasonsOut(**w.echo(), total=len(failed), reasons=[
        out.FailedReason(subState=s, count=n, share=round(n / len(failed), 4)) for s, n in counts.most_common()])


# ----------------------------------------------------------------------------- proposals
def conversion_trend(agent: "Agent", principal: Any, req: "AnalyticsRequest") -> out.ConversionTrendOut:
    w = Window(agent, req)
    made: Counter = Counter()
    sold: Counter = Counter()
    for p in _seen(agent, principal, "proposals:read", agent.proposals.values()):
        if not w.holds(p.created_at, p.agent_branch_id, p.branch):
            continue
        key = w.bucket(p.created_at)
        made[key] += 1
        if any(pp.purchase_state == "PURCHASED" for pp in p.products):
            sold[key] += 1
    points = [out.ConversionPoint(period=k, proposalCount=made[k], purchasedCount=sold[k],
                                  conversionRate=round(sold[k] / made[k], 4) if made[k] else 0.0) for k in w.buckets()]
    total, bought = sum(made.values()), sum(sold.values())
    return out.ConversionTrendOut(**w.echo(), period=w.period, proposalCount=total, purchasedCount=bought,
                                  conversionRate=round(bought / total, 4) if total else 0.0, points=points)


# ----------------------------------------------------------------------------- policies
def _policies(agent: "Agent", principal: Any, w: Window) -> list[Any]:
    return [p for p in _seen(agent, principal, "policies:read", agent.policies.values())
            if w.holds(p.created_at, p.agent_branch_id, p.branch)]


def _money(policies: list[Any]) -> dict[str, Any]:
    """Counts and sums over every version (issue, endorsements, cancellation) of the policies."""
    return {"policyCount": len(policies), "grossPremium": round(sum(p.gross for p in policies), 2),
            "netPremium": round(sum(p.net for p in policies), 2),
            "commission": round(sum(v.commission_change for p in policies for v in p.versions), 2)}


def count_and_premium(agent: "Agent", principal: Any, req: "AnalyticsRequest") -> out.CountAndPremiumOut:
    w = Window(agent, req)
    found = _policies(agent, principal, w)
    by_bucket: dict[str, list[Any]] = defaultdict(list)
    for p in found:
        by_bucket[w.bucket(p.created_at)].append(p)
    return out.CountAndPremiumOut(**w.echo(), period=w.period, **_money(found),
                                  cancelledCount=sum(1 for p in found if p.cancelled_at is not None),
                                  points=[out.MoneyPoint(period=k, **_money(by_bucket.get(k, []))) for k in w.buckets()])


def distribution_by_branch(agent: "Agent", principal: Any, req: "AnalyticsRequest") -> out.DistributionOut:
    w = Window(agent, req)
    found = _policies(agent, principal, w)
    groups: dict[str, list[Any]] = defaultdict(list)
    for p in found:
        groups[p.branch].append(p)
    total = sum(g for g in (_money(v)["grossPremium"] for v in groups.values()))
    rows = []
    for branch, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        money = _money(items)
        rows.append(out.BranchShare(productBranch=branch, **money,
                                    premiumShare=round(money["grossPremium"] / total, 4) if total else 0.0))
    return out.DistributionOut(**w.echo(), **_money(found), branches=rows)


def renewal(agent: "Agent", principal: Any, req: "AnalyticsRequest") -> out.RenewalOut:
    """Policies whose end date falls in the window, and whether a newer policy of the same branch
    for the same insured customer (and asset) started from it."""
    w = Window(agent, req)
    seen = _seen(agent, principal, "policies:read", agent.policies.values())
    ending = [p for p in seen if w.start <= p.end <= w.end and (not w.branches or p.agent_branch_id in w.branches)
              and (not w.products or p.branch in w.products)]
    today = turkish_day(agent.now())
    latest: dict[tuple[Any, ...], float] = {}  # per risk (branch, insured, asset): the newest policy's creation
    for q in seen:
        key = (q.branch, q.insured_id, q.vehicle_id, q.property_id)
        latest[key] = max(latest.get(key, q.created_at), q.created_at)

    def renewed(p: Any) -> bool:  # a newer policy for the same risk was made after this one
        return latest[(p.branch, p.insured_id, p.vehicle_id, p.property_id)] > p.created_at

    done = [p for p in ending if renewed(p)]
    lost = [p for p in ending if p not in done and p.end < today]
    return out.RenewalOut(
        **w.echo(), dueCount=len(ending), renewedCount=len(done), lostCount=len(lost),
        openCount=len(ending) - len(done) - len(lost), renewalRate=round(len(done) / len(ending), 4) if ending else 0.0,
        policies=[out.RenewalPolicy(policyId=p.id, productBranch=p.branch, endDate=p.end.isoformat(),
                                    insuredCustomerId=p.insured_id,
                                    state="RENEWED" if p in done else "LOST" if p in lost else "OPEN") for p in ending])


def representative_earnings(agent: "Agent", principal: Any, req: "AnalyticsRequest") -> out.EarningsOut:
    w = Window(agent, req)
    groups: dict[str | None, list[Any]] = defaultdict(list)
    names: dict[str | None, str | None] = {None: None}
    for p in _policies(agent, principal, w):
        who = p.represented_by or p.created_by or {}
        key = who.get("id")
        groups[key].append(p)
        names[key] = who.get("name")
    rows = [out.EarningsRow(agentUserId=k, name=names.get(k), **_money(v)) for k, v in groups.items()]
    rows.sort(key=lambda r: -r.commission)
    return out.EarningsOut(**w.echo(), representatives=rows)
