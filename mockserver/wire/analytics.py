"""The dashboard's analytics: funnels, backlogs, trends, premiums, renewals, earnings."""


from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from mockserver.wire.base import Strict, Wire
from mockserver.wire.common import IsoDate, upper_snake


Period = Annotated[Literal["DAY", "WEEK", "MONTH"] | None, upper_snake({})]  # type: ignore[valid-type]


class AnalyticsRequest(Wire):
    startDate: Annotated[IsoDate, Field(max_length=30)] | None = Field(
        None, description="YYYY-MM-DD (an ISO instant is cut to its day); default: 29 days ago")
    endDate: Annotated[IsoDate, Field(max_length=30)] | None = Field(
        None, description="YYYY-MM-DD (an ISO instant is cut to its day); default: today")
    period: Period = Field(None, description="DAY (default), WEEK or MONTH, any case")
    groupBy: Period = Field(None, description="Another name of period")
    agentBranchIds: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=200)] | None = None
    productBranches: Annotated[list[Annotated[str, Field(max_length=30)]], Field(max_length=50)] | None = None

    def day(self, key: str) -> date | None:
        raw = getattr(self, key)
        return date.fromisoformat(raw[:10]) if raw else None


class AnalyticsWindow(Strict):
    startDate: str
    endDate: str


class FunnelStage(Strict):
    stage: Literal["OPENED", "PROPOSAL_MADE", "POLICY_SOLD", "WON"]
    count: int
    rate: float = Field(description="Share of the opened cases, 0 to 1")


class SalesFunnelOut(AnalyticsWindow):
    stages: list[FunnelStage]


class BacklogAges(Strict):
    day: int = Field(alias="0-1")
    week: int = Field(alias="1-7")
    month: int = Field(alias="7-30")
    older: int = Field(alias="30+")


class BacklogRow(Strict):
    caseType: str
    subState: str
    total: int
    byAgeDays: BacklogAges


class BacklogOut(AnalyticsWindow):
    total: int
    rows: list[BacklogRow]


class FailedReason(Strict):
    subState: str
    count: int
    share: float


class FailedReasonsOut(AnalyticsWindow):
    total: int
    reasons: list[FailedReason]


class ConversionPoint(Strict):
    period: str
    proposalCount: int
    purchasedCount: int
    conversionRate: float


class ConversionTrendOut(AnalyticsWindow):
    period: str = Field(description="DAY, WEEK or MONTH: the points' bucket")
    proposalCount: int
    purchasedCount: int
    conversionRate: float
    points: list[ConversionPoint]


class PolicyMoney(Strict):
    """Counts and sums over every version of the policies (issue, endorsements, cancellation)."""

    policyCount: int
    grossPremium: float
    netPremium: float
    commission: float


class MoneyPoint(PolicyMoney):
    period: str


class CountAndPremiumOut(AnalyticsWindow, PolicyMoney):
    period: str
    cancelledCount: int
    points: list[MoneyPoint]


class BranchShare(PolicyMoney):
    productBranch: str
    premiumShare: float


class DistributionOut(AnalyticsWindow, PolicyMoney):
    branches: list[BranchShare]


class RenewalPolicy(Strict):
    policyId: str
    productBranch: str
    endDate: str
    insuredCustomerId: str
    state: Literal["RENEWED", "LOST", "OPEN"]


class RenewalOut(AnalyticsWindow):
    dueCount: int
    renewedCount: int
    lostCount: int
    openCount: int
    renewalRate: float
    policies: list[RenewalPolicy]


class EarningsRow(PolicyMoney):
    agentUserId: str | None
    name: str | None


class EarningsOut(AnalyticsWindow):
    representatives: list[EarningsRow]
