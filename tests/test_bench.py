"""Short, bounded runs of the benchmarks: they run and report, and the sandbox answers without
errors under them. Speeds are measured and reported by ``bench/`` (python bench/bench_me.py and
friends), never asserted here: tests must pass on a busy two-core machine."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.bench_me import bench  # noqa: E402


@pytest.mark.slow
def test_benchmark_runs_without_errors_and_reports():
    result = bench(duration=2, connections=16)
    print(result)
    assert result["sandbox"]["errors"] == 0 and result["sandbox"]["rps"] > 0
    assert result["start_to_healthy_s"] > 0 and "ratio" in result


@pytest.mark.slow
def test_graphql_cases_page_benchmark_runs():
    from bench.bench_graphql import bench as bench_graphql

    result = bench_graphql(cases=2000, requests=20)
    print(result)
    assert result["graphql_cases_page"]["p50_ms"] > 0


@pytest.mark.slow
def test_proposal_benchmark_runs():
    from bench.bench_proposals import bench as bench_proposals

    result = bench_proposals(proposals=3)
    print(result)
    assert result["products_per_proposal"] > 20 and result["polls_per_proposal"] > 1
    assert result["read_full_proposal"]["p50_ms"] > 0
