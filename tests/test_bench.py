"""A short, bounded run of the performance budget's bench: every part runs and reports, and the
sandbox answers without errors under it. The figures are measured and reported by
``python bench/budget.py`` (and the other scripts in ``bench/``), never asserted here: tests must
pass on a busy two-core machine."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import budget  # noqa: E402


@pytest.mark.slow
def test_the_budget_bench_runs_every_part_and_reports():
    result = budget.run(rounds=1, seconds=1, concurrency=(4,), starts=1, sale_count=2, cases=60)
    print(result)
    capacity = {c["target"]: c for c in result["capacity"]}
    assert set(capacity) == {"customers/me", "graphql cases page", "proposals/{id}"}
    for c in capacity.values():
        # the baseline answers the sandbox's own bytes, and the sandbox answered every request
        assert c["errors"] == 0 and c["same_bytes"], c
        assert c["sandbox_cpu_us_per_request"] > 0 and c["capacity_ratio"]["median"] > 0
    assert "products" in capacity["proposals/{id}"]["note"]
    startup = result["startup"]
    # the port answers (starting) no later than the app is ready (ok)
    assert 0 < startup["serve_to_healthy_s"]["median"] <= startup["serve_to_ready_s"]["median"]
    sales = result["sales"]
    assert sales["in_process_passed"] and sales["concurrent"]["passed"] == 2
    assert 0 < sales["in_process_sandbox_ms"] < sales["in_process_sale_ms"]  # the app's part of the sale


@pytest.mark.slow
def test_graphql_cases_page_benchmark_runs():
    from bench.bench_graphql import bench as bench_graphql

    result = bench_graphql(cases=2000, requests=20, policies=60)
    print(result)
    assert result["graphql_cases_page"]["p50_ms"] > 0 and result["graphql_policies_page"]["p50_ms"] > 0


@pytest.mark.slow
def test_proposal_benchmark_runs():
    from bench.bench_proposals import bench as bench_proposals

    result = bench_proposals(proposals=3)
    print(result)
    assert result["products_per_proposal"] > 20 and result["polls_per_proposal"] > 1
    assert result["read_full_proposal"]["p50_ms"] > 0
