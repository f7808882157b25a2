"""Benchmark: one cursor page of 50 cases with 20 fields (``casesNew``) from an agent holding 10,000
cases, and one page of 50 policies with 21 fields (``policiesNew``) from 200 policies, against
``GET /api/customers/me``, in-process through the full ASGI stack, in the same run.

    python bench/bench_graphql.py [--cases 10000] [--policies 200] [--requests 200]

Prints mean and p50/p95 per request for both and their ratio, and writes
``bench/results/graphql.json``. Bounded: a fixed number of requests.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERY = """query Page($first: Int, $after: String) {
  casesNew(first: $first, after: $after, order: [{createdAt: DESC}]) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id ref type status mainState subState productBranch channel createdAt customerId customerName
      customerIdentity customerCityText customerPrimaryEmail createdByName createdByType lastUpdateDate
      proposalCount policyCount agentBranchId
    } }
  }
}"""
POLICIES_QUERY = """{ policiesNew(first: 50, order: [{createdAt: DESC}]) { totalCount nodes {
  id policyNumber netPremium grossPremium commission state startDate endDate insuredCustomerName productBranch
  insuranceCompanyName insuranceCompanyId paymentType createdAt channel vehiclePlate renewalNumber
  endorsementNumber productName insuredCustomerIdentity arrangementDate } } }"""


def _timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _stats(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {"mean_ms": round(statistics.fmean(ms), 3), "p50_ms": round(ordered[len(ms) // 2], 3),
            "p95_ms": round(ordered[int(len(ms) * 0.95) - 1], 3)}


def bench(cases: int = 10_000, requests: int = 200, policies: int = 200) -> dict:
    warnings.filterwarnings("ignore")
    from starlette.testclient import TestClient

    from mockserver.domain import cases as case_domain
    from mockserver.wire.cases import CaseCreateRequest
    from mockserver.domain import customers
    from mockserver.http.app import create_app
    from mockserver.testing import SandboxClient
    from mockserver.validators.turkish import make_tckn

    sb = SandboxClient(TestClient(create_app()))
    agent = sb.new_agent()
    a = sb.sandbox.agents[agent.id]
    started = time.perf_counter()
    by = {"id": "bench", "name": "Bench", "email": None, "userType": "AGENT"}
    holders = [customers.new_customer(a, ctype="individual", number=make_tckn(f"{100000000 + i:09d}"), channel="API",
                                      created_by=by) for i in range(max(1, cases // 10))]
    branches = ["KASKO", "TRAFIK", "DASK", "KONUT", "TSS"]
    for i in range(cases):
        case_domain.create(a, "new-sale-opportunity", CaseCreateRequest.model_validate(
            {"customerId": holders[i % len(holders)].id, "productBranch": branches[i % 5], "channel": "WEBSITE"}), by=by)
    seeded_s = time.perf_counter() - started
    staff_h = sb.bearer(sb.service_token(agent))
    for i in range(policies):  # entered by hand: the quickest way to many policies
        made = sb.http.post("/api/policies/manual", headers=staff_h, json={
            "insurerCustomerId": holders[i % len(holders)].id, "insuranceCompanyId": 3, "productBranch": "TRAFIK",
            "policyNumber": f"B-{i:08d}", "startDate": "2026-11-20", "grossPremium": 4200.5 + i})
        assert made.status_code == 200, made.text
    me = sb.customer_login(agent.id, make_tckn("987654321"), "5320001122")
    customer_h = sb.bearer(me["accessToken"])

    def rest() -> None:
        r = sb.http.get("/api/customers/me", headers=customer_h)
        assert r.status_code == 200

    def page() -> None:
        r = sb.http.post("/graphql", json={"query": QUERY, "variables": {"first": 50}}, headers=staff_h)
        body = r.json()
        assert r.status_code == 200 and len(body["data"]["casesNew"]["edges"]) == 50, body

    def policy_page() -> None:
        r = sb.http.post("/graphql", json={"query": POLICIES_QUERY}, headers=staff_h)
        body = r.json()
        assert r.status_code == 200 and len(body["data"]["policiesNew"]["nodes"]) == min(50, policies), body

    for fn in (rest, page, policy_page):  # warm caches (parsed document, address tree, token verification)
        _timed(fn, 5)
    rest_ms, page_ms, policy_ms = _timed(rest, requests), _timed(page, requests), _timed(policy_page, requests)
    result = {"cases": cases, "policies": policies, "requests": requests, "seed_s": round(seeded_s, 2),
              "rest_customers_me": _stats(rest_ms), "graphql_cases_page": _stats(page_ms),
              "graphql_policies_page": _stats(policy_ms)}
    result["ratio_mean"] = round(result["graphql_cases_page"]["mean_ms"] / result["rest_customers_me"]["mean_ms"], 1)
    sb.http.delete(f"/__sandbox/agents/{agent.id}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--policies", type=int, default=200)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    result = bench(args.cases, args.requests, args.policies)
    out = ROOT / "bench" / "results" / "graphql.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
