"""Benchmark: list queries against an agency of 10 000 and of 100 000 customers and cases, each against
``GET /api/customers/me`` in the same run, in-process through the full ASGI stack.

    python bench/bench_scale.py [--sizes 10000 100000] [--requests 100]

For each documented list shape (a first page in the default order, a filtered page, the next page by
cursor, a customer's own list, an identity lookup, an autocomplete search, the REST lists) it prints the
mean per request, the ratio to ``customers/me`` and the growth exponent between the two sizes
(log(t_large / t_small) / log(large / small): 0 means the cost does not grow with the agency, 1 that it
grows with it). Writes ``bench/results/scale.json``. Bounded: fixed sizes and request counts.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_graphql import _stats, _timed  # noqa: E402

CASES = """query($first: Int, $after: String, $filter: QueryCaseModelFilterInput) {
  casesNew(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor }
    nodes { id ref status productBranch createdAt customerId customerName } } }"""
CUSTOMERS = """query($first: Int, $filter: QueryCustomerModelFilterInput, $search: QueryCustomerModelSearchInput) {
  customersNew(first: $first, filter: $filter, search: $search) { totalCount nodes { id name identityNumber } } }"""


def agency(size: int):
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
    by = {"id": "bench", "name": "Bench", "email": None, "userType": "AGENT"}
    started = time.perf_counter()
    people = [customers.new_customer(a, ctype="individual", number=make_tckn(f"{100000000 + i:09d}"), channel="API",
                                     created_by=by, fill_from_registry=True) for i in range(size)]
    branches = ["KASKO", "TRAFIK", "DASK", "KONUT", "TSS"]
    for i in range(size):
        case_domain.create(a, "new-sale-opportunity", CaseCreateRequest.model_validate(
            {"customerId": people[i].id, "productBranch": branches[i % 5], "channel": "WEBSITE"}), by=by)
    seeded = time.perf_counter() - started
    import gc

    gc.collect()
    return sb, agent, a, people, seeded


def measure(size: int, requests: int) -> dict:
    from mockserver.validators.turkish import make_tckn

    sb, agent, a, people, seeded = agency(size)
    me = sb.customer_login(agent.id, make_tckn("987654321"), "5320001122")
    customer_h = sb.bearer(me["accessToken"])
    staff = sb.service_token(agent)
    staff_h = sb.bearer(staff)
    target = people[size // 2]
    first_page = sb.graphql(staff, CASES, {"first": 50})["data"]["casesNew"]
    prefix = " ".join(w[:3] for w in target.full_name.split()[:2])

    def gql(query, variables, field):
        def call() -> None:
            r = sb.http.post("/graphql", json={"query": query, "variables": variables}, headers=staff_h)
            assert r.status_code == 200 and "errors" not in r.json(), r.text[:300]
            assert r.json()["data"][field]["totalCount"] >= 1
        return call

    def rest(path, h, params=None):
        def call() -> None:
            r = sb.http.get(path, headers=h, params=params)
            assert r.status_code == 200, r.text[:300]
        return call

    shapes = {
        "customers/me (REST, the baseline)": rest("/api/customers/me", customer_h),
        "casesNew: first page, default order": gql(CASES, {"first": 50}, "casesNew"),
        "casesNew: next page by cursor": gql(CASES, {"first": 50, "after": first_page["pageInfo"]["endCursor"]},
                                             "casesNew"),
        "casesNew: one customer's cases": gql(CASES, {"first": 50, "filter": {"customerId": {"eq": target.id}}},
                                              "casesNew"),
        "casesNew: one branch": gql(CASES, {"first": 50, "filter": {"productBranch": {"eq": "KASKO"}}}, "casesNew"),
        "customersNew: first page": gql(CUSTOMERS, {"first": 50}, "customersNew"),
        "customersNew: by identity number": gql(CUSTOMERS, {"first": 5, "filter": {
            "identityNumber": {"eq": target.identity_number}}}, "customersNew"),
        "customersNew: autocomplete search": gql(CUSTOMERS, {"first": 10, "search": {
            "name": {"autocomplete": {"value": prefix}}}}, "customersNew"),
        "customersNew: identity search": gql(CUSTOMERS, {"first": 10, "search": {
            "identityNumber": {"startsWith": {"value": target.identity_number[:9]}}}}, "customersNew"),
        "GET /api/proposals (REST)": rest("/api/proposals", staff_h),
        "GET /api/policies (REST)": rest("/api/policies", staff_h),
    }
    out = {"size": size, "seed_s": round(seeded, 1), "shapes": {}}
    for name, call in shapes.items():
        _timed(call, 5)  # warm
        out["shapes"][name] = _stats(_timed(call, requests))
    base = out["shapes"]["customers/me (REST, the baseline)"]["mean_ms"]
    for stats in out["shapes"].values():
        stats["ratio_to_me"] = round(stats["mean_ms"] / base, 2)
    sb.http.delete(f"/__sandbox/agents/{agent.id}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    small, large = (measure(n, args.requests) for n in args.sizes)
    result = {"small": small, "large": large, "growth": {}}
    print(f"{'shape':42} {'mean ms ' + str(small['size']):>14} {'mean ms ' + str(large['size']):>15} "
          f"{'× me':>6} {'growth':>7}")
    for name in small["shapes"]:
        t0, t1 = small["shapes"][name]["mean_ms"], large["shapes"][name]["mean_ms"]
        growth = round(math.log(max(t1, 1e-6) / max(t0, 1e-6)) / math.log(large["size"] / small["size"]), 2)
        result["growth"][name] = growth
        print(f"{name:42} {t0:14.3f} {t1:15.3f} {large['shapes'][name]['ratio_to_me']:6.1f} {growth:7.2f}")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "scale.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
