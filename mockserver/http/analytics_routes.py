"""The dashboard's analytics over the agent's own records (``cases|proposals|policies/analytics/*``);
see ``mockserver.domain.analytics`` for what each counts. They run in the thread pool: at 100 000
cases a pass takes 0.1-0.2 s, which must not hold the event loop."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mockserver.domain import analytics
from mockserver.http.framework import Ctx, ok, Routes
from mockserver.wire import models as w


routes = Routes(auth="agent")

_ENDPOINTS = (
    ("/cases/analytics/sales-opportunity-funnel", analytics.sales_funnel, "cases",
     "Sale opportunities opened, with a proposal, with a policy, won", w.SalesFunnelOut),
    ("/cases/analytics/open-case-backlog-pivot", analytics.open_backlog, "cases",
     "Open cases by type and sub-state, by age", w.BacklogOut),
    ("/cases/analytics/failed-cases-reason-distribution", analytics.failed_reasons, "cases",
     "Failed cases by reason (sub-state)", w.FailedReasonsOut),
    ("/proposals/analytics/conversion-trend", analytics.conversion_trend, "proposals",
     "Proposals made and bought, per day, week or month", w.ConversionTrendOut),
    ("/policies/analytics/count-and-premium", analytics.count_and_premium, "policies",
     "Policies sold and their premium, per period", w.CountAndPremiumOut),
    ("/policies/analytics/renewal", analytics.renewal, "policies", "Policies ending in the period: renewed or not",
     w.RenewalOut),
    ("/policies/analytics/distribution-by-branch", analytics.distribution_by_branch, "policies",
     "Policies and premium by product branch", w.DistributionOut),
    ("/policies/analytics/representative-earnings", analytics.representative_earnings, "policies",
     "Premium and commission per representative", w.EarningsOut),
)


def _handler(compute: Any):
    async def handler(ctx: Ctx) -> Response:
        from starlette.concurrency import run_in_threadpool

        agent, principal = ctx.require_agent()
        body = await ctx.json(required=False)
        # a pass over every record of a large agency: off the event loop, as PDFs are (each pass first
        # takes its records as a list, which holds the GIL, so the loop's writes cannot break it)
        return ok(await run_in_threadpool(compute, agent, principal, body))

    handler.__name__ = compute.__name__
    return handler


# what each resource's analytics read: its OAuth resource and the role permission to read it
_READ = {"cases": ("case", "cases:read"), "proposals": ("proposal", "proposals:read"),
         "policies": ("policy", "policies:read")}

for _path, _compute, _tag, _summary, _answer in _ENDPOINTS:
    routes("POST", _path, resource=_READ[_tag][0], permission=_READ[_tag][1], reads=True, summary=_summary, tag=_tag,
           request=w.AnalyticsRequest, response=_answer)(_handler(_compute))
