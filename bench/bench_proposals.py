"""Benchmark: create a kasko proposal and read it until every product has arrived, as a comparison
page polls it (GET every 5 s of the agent's clock), in-process through the full ASGI stack, against
``GET /api/customers/me`` in the same run.

    python bench/bench_proposals.py [--proposals 30]

Prints, per proposal, the whole create-and-poll cycle (and its request count), the single create
and the single full read, with means and p50/p95, the same for ``customers/me``, and the ratios;
writes ``bench/results/proposals.json``. Bounded: a fixed number of proposals.
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

from bench.bench_graphql import _stats  # noqa: E402  (one definition of mean/p50/p95)


def bench(proposals: int = 30) -> dict:
    warnings.filterwarnings("ignore")
    from starlette.testclient import TestClient

    from mockserver.http.app import create_app
    from mockserver.testing import SandboxClient
    from mockserver.validators.turkish import make_tckn

    sb = SandboxClient(TestClient(create_app()))
    agent = sb.new_agent(seed=11)
    a = sb.sandbox.agents[agent.id]
    me = sb.customer_login(agent.id, make_tckn("987654321"), "5320001122")
    h = sb.bearer(me["accessToken"])
    cid = sb.http.get("/api/customers/me", headers=h).json()["id"]
    vehicle = sb.http.post(f"/api/customers/{cid}/vehicles", headers=h, json={
        "plate": "34BN123", "documentSerialCode": "A", "documentSerialNumber": "1234567", "brandCode": "RENAULT",
        "modelCode": "CLIO", "year": 2019}).json()["id"]
    body = {"$type": "kasko", "vehicleId": vehicle, "productBranch": "KASKO", "insurerCustomerId": cid,
            "insuredCustomerId": cid, "coverageGroupIds": None, "channel": "WEBSITE"}

    def rest() -> None:
        assert sb.http.get("/api/customers/me", headers=h).status_code == 200

    cycle_ms, create_ms, read_ms, polls, products = [], [], [], [], []
    rest()
    for _ in range(proposals):
        a.clock.freeze()
        t0 = time.perf_counter()
        r = sb.http.post("/api/proposals", headers=h, json=body)
        create_ms.append((time.perf_counter() - t0) * 1000)
        pid = r.json()["proposalId"]
        n = 0
        while True:
            t1 = time.perf_counter()
            p = sb.http.get(f"/api/proposals/{pid}", headers=h).json()
            read_ms.append((time.perf_counter() - t1) * 1000)
            n += 1
            if p["waitingProductsCount"] == 0:
                break
            a.clock.advance(5)  # the page polls every 5 s; the sandbox's time moves instead of sleeping
        cycle_ms.append((time.perf_counter() - t0) * 1000)
        polls.append(n)
        products.append(p["totalProductsCount"])
        a.clock.advance(3600)  # keep the customer's token fresh between cycles: log in again
        me = sb.customer_login(agent.id, make_tckn("987654321"), "5320001122")
        h = sb.bearer(me["accessToken"])
    rest_ms = []
    for _ in range(max(200, len(read_ms))):
        t0 = time.perf_counter()
        rest()
        rest_ms.append((time.perf_counter() - t0) * 1000)
    result = {
        "proposals": proposals, "products_per_proposal": round(statistics.fmean(products), 1),
        "polls_per_proposal": round(statistics.fmean(polls), 1),
        "create_and_poll_until_settled": _stats(cycle_ms), "create": _stats(create_ms),
        "read_full_proposal": _stats(read_ms), "rest_customers_me": _stats(rest_ms),
    }
    me_mean = result["rest_customers_me"]["mean_ms"]
    result["ratio_create_vs_me"] = round(result["create"]["mean_ms"] / me_mean, 1)
    result["ratio_read_vs_me"] = round(result["read_full_proposal"]["mean_ms"] / me_mean, 1)
    result["ratio_cycle_vs_me"] = round(result["create_and_poll_until_settled"]["mean_ms"] / me_mean, 1)
    sb.http.delete(f"/__sandbox/agents/{agent.id}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=30)
    args = parser.parse_args()
    result = bench(args.proposals)
    out = ROOT / "bench" / "results" / "proposals.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
