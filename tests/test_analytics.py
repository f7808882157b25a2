"""The dashboard analytics count the agent's own records: a sold kasko policy shows in the premium,
branch distribution, conversion trend, earnings and funnel figures; a failed case in the reasons; a
proposal and policy given a representative and a branch carry them; bad periods name the field."""

from __future__ import annotations

from tests.test_purchases import _policy, buyer  # noqa: F401  (the fixture)


def post(sb, h, path, body=None):
    r = sb.http.post(f"/api/{path}", headers=h, json=body or {})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_sold_policy_shows_in_every_figure(sb, agent, buyer):  # noqa: F811
    h = sb.bearer(sb.service_token(agent))
    case = sb.http.post("/api/cases:new-sale-opportunity", headers=buyer.h,
                        json={"customerId": buyer.id, "productBranch": "KASKO", "channel": "WEBSITE"}).json()["id"]
    empty = post(sb, h, "policies/analytics/count-and-premium")
    assert empty["policyCount"] == 0 and empty["grossPremium"] == 0
    pid, policy_id, _pp = _policy(sb, agent, buyer)
    gross = sb.http.get(f"/api/policies/{policy_id}", headers=h).json()["grossPremium"]
    money = post(sb, h, "policies/analytics/count-and-premium", {"period": "MONTH"})
    assert money["policyCount"] == 1 and money["grossPremium"] == round(gross, 2)
    assert sum(p["policyCount"] for p in money["points"]) == 1
    spread = post(sb, h, "policies/analytics/distribution-by-branch")
    assert spread["branches"] == [{**spread["branches"][0], "productBranch": "KASKO", "policyCount": 1,
                                   "premiumShare": 1.0}]
    trend = post(sb, h, "proposals/analytics/conversion-trend")
    assert trend["proposalCount"] >= 1 and trend["purchasedCount"] == 1
    assert sum(p["purchasedCount"] for p in trend["points"]) == 1
    funnel = {s["stage"]: s["count"] for s in post(sb, h, "cases/analytics/sales-opportunity-funnel")["stages"]}
    assert funnel["OPENED"] >= 1 and funnel["POLICY_SOLD"] >= 1
    # a representative and a branch on the proposal and the policy; earnings follow the representative
    user = next(iter(sb.sandbox.agents[agent.id].agent_users))
    branch = sb.http.post("/api/agent-branches", headers=h, json={"name": "İzmir"}).json()
    assert sb.http.post(f"/api/policies/{policy_id}/representative", headers=h,
                        json={"policyId": policy_id, "representativeAgentUserId": user}).status_code == 204
    assert sb.http.post(f"/api/policies/{policy_id}/branch", headers=h, json={"agentBranchId": branch}).status_code == 204
    assert sb.http.post(f"/api/proposals/{pid}/branch", headers=h, json={"agentBranchId": branch}).status_code == 204
    mismatch = sb.http.post(f"/api/proposals/{pid}/representative", headers=h,
                            json={"proposalId": "another", "representativeAgentUserId": user})
    assert mismatch.status_code == 422 and mismatch.json()["validationErrors"][0]["propertyName"] == "proposalId"
    got = sb.http.get(f"/api/policies/{policy_id}", headers=h).json()
    assert got["representedBy"]["id"] == user and got["agentBranchId"] == branch
    assert got["agentBranch"] == {"id": branch, "name": "İzmir", "parentId": None, "parentName": None}
    assert sb.http.get(f"/api/proposals/{pid}", headers=h).json()["agentBranchId"] == branch
    earnings = post(sb, h, "policies/analytics/representative-earnings")["representatives"]
    assert [r["agentUserId"] for r in earnings] == [user] and earnings[0]["grossPremium"] == round(gross, 2)
    in_branch = post(sb, h, "policies/analytics/count-and-premium", {"agentBranchIds": [branch]})
    elsewhere = post(sb, h, "policies/analytics/count-and-premium", {"agentBranchIds": ["other"]})
    assert in_branch["policyCount"] == 1 and elsewhere["policyCount"] == 0
    gql = sb.graphql(sb.service_token(agent), "{ policiesNew(first: 5) { nodes { id agentBranch { name } } } }")
    assert gql["data"]["policiesNew"]["nodes"][0]["agentBranch"]["name"] == "İzmir"
    # renewal: the policy ends next year, so a window around its end date holds it, not yet renewed
    end = got["endDate"]
    due = post(sb, h, "policies/analytics/renewal", {"startDate": end, "endDate": end})
    assert due["dueCount"] == 1 and due["renewedCount"] == 0 and due["policies"][0]["state"] == "OPEN"
    assert case


def test_failed_cases_and_the_backlog(sb, agent, buyer):  # noqa: F811
    h = sb.bearer(sb.service_token(agent))
    ids = [sb.http.post("/api/cases:new-sale-opportunity", headers=h, json={
        "customerId": buyer.id, "productBranch": b, "channel": "WEBSITE"}).json()["id"] for b in ("KASKO", "TRAFIK")]
    backlog = post(sb, h, "cases/analytics/open-case-backlog-pivot")
    assert backlog["total"] == 2 and backlog["rows"][0]["byAgeDays"]["0-1"] == 2
    r = sb.http.put(f"/api/cases/{ids[0]}/state", headers=h, json={"mainState": "FAIL", "subState": "FAIL_PRICE_TOO_HIGH"})
    assert r.status_code == 204, r.text
    reasons = post(sb, h, "cases/analytics/failed-cases-reason-distribution")
    assert reasons["total"] == 1 and reasons["reasons"] == [{"subState": "FAIL_PRICE_TOO_HIGH", "count": 1, "share": 1.0}]
    sb.advance(agent.id, 8 * 86400)
    h = sb.bearer(sb.service_token(agent))
    aged = post(sb, h, "cases/analytics/open-case-backlog-pivot", {"startDate": "2026-01-01"})
    assert aged["total"] <= 1 and all(r["byAgeDays"]["0-1"] == 0 for r in aged["rows"])
    bad = sb.http.post("/api/policies/analytics/renewal", headers=h, json={"startDate": "2026-13-01"})
    assert bad.status_code == 422 and bad.json()["validationErrors"][0]["propertyName"] == "startDate"
    backwards = sb.http.post("/api/policies/analytics/renewal", headers=h,
                             json={"startDate": "2026-05-01", "endDate": "2026-04-01"})
    assert backwards.status_code == 422 and backwards.json()["validationErrors"][0]["propertyName"] == "endDate"


def test_a_window_is_refused_naming_the_field_in_words(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    for body, field, words in ((({"startDate": "07.12.2026"}), "startDate", "must be a date YYYY-MM-DD"),
                               ({"endDate": "2026-02-30"}, "endDate", "must be a calendar date YYYY-MM-DD"),
                               ({"startDate": "2026-12-07", "endDate": "2026-01-01"}, "endDate", "is before startDate"),
                               ({"period": "YEAR"}, "period", "DAY")):
        r = sb.http.post("/api/proposals/analytics/conversion-trend", headers=h, json=body)
        assert r.status_code == 422, r.text
        (error,) = r.json()["validationErrors"]
        assert error["propertyName"] == field and words in error["errorMessage"], error
    # a leap day is a day; an instant is read as its day; the period in any case
    ok = sb.http.post("/api/proposals/analytics/conversion-trend", headers=h,
                      json={"startDate": "2024-02-29", "endDate": "2024-03-02T10:00:00Z", "period": "week"})
    assert ok.status_code == 200, ok.text


def test_the_default_period_ends_on_todays_turkish_date_even_late_in_the_utc_evening():
    """At 22:30 UTC it is 01:30 the next day in Turkey: the default window (the last 30 Turkish days)
    holds what was made a minute ago, and its end is that Turkish day."""
    from datetime import UTC, date, datetime

    from mockserver.domain.analytics import Window
    from mockserver.wire.analytics import AnalyticsRequest

    late = datetime(2026, 6, 30, 22, 30, tzinfo=UTC).timestamp()

    class Agent:
        def now(self):
            return late

        def today(self):  # the agent's UTC date, which the window must not use
            return date(2026, 6, 30)

    window = Window(Agent(), AnalyticsRequest.model_validate({}))
    assert window.end == date(2026, 7, 1) and window.start == date(2026, 6, 2)
    assert window.holds(late - 60) and window.bucket(late - 60) == "2026-07-01"
