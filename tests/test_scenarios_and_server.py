"""Scenarios in-process, and the real CLI server over HTTP: start time, banner, scenarios by URL."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from mockserver.contract.runner import discover, run_all
from tests.live import serve

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = discover([ROOT / "scenarios"])


def test_there_are_the_five_required_scenarios():
    names = {p.stem for p in SCENARIOS}
    assert names >= {"customer_otp_login", "service_account_b2b", "car_external_lookup", "home_address_cascade",
                     "family_spouse_two_children"}
    assert names >= {"kasko_polling_comparison", "trafik_proposal", "konut_address_cascade_proposal", "dask_proposal",
                     "tss_single", "tss_family_rules", "retry_failed_product"}


def test_a_poll_that_never_settles_fails_with_the_last_body(tmp_path, insurup_app):
    bad = tmp_path / "never.yaml"
    bad.write_text("name: never\nsafety: read_only\nsandboxOnly: true\nsteps:\n  - name: wait for a field that never comes\n    get: /__sandbox/health\n"
                   "    poll: {every: 1, max: 3, until: {body: {status: down}}}\n")
    [result] = asyncio.run(run_all([bad], app=insurup_app))
    assert not result.passed and "after 3 polls" in result.steps[0].message and "ok" in result.steps[0].message


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_passes_in_process(insurup_app, path):
    [result] = asyncio.run(run_all([path], app=insurup_app))
    failed = [s for s in result.steps if s.status != "passed"]
    assert result.passed and not failed, failed


def test_a_failing_expectation_is_reported_per_step(tmp_path, insurup_app):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nsafety: read_only\nsandboxOnly: true\nsteps:\n  - {name: ok, get: /__sandbox/health}\n"
                   "  - {name: wrong, get: /__sandbox/health, expect: {body: {status: broken}}}\n"
                   "  - {name: after, get: /__sandbox/health}\n")
    [result] = asyncio.run(run_all([bad], app=insurup_app))
    assert [s.status for s in result.steps] == ["passed", "failed", "skipped"]
    assert "expected 'broken'" in result.steps[1].message


@pytest.fixture(scope="module")
def server():
    with serve("--agent-id", "01965871-9f3c-7e4b-97f1-3b57e56a8046") as running:
        yield running


@pytest.mark.slow
def test_serve_becomes_healthy_and_uses_the_given_agent_id(server):
    # how fast it becomes healthy is measured by bench/budget.py, not asserted here
    base, _, _ = server
    health = httpx.get(base + "/__sandbox/health").json()
    assert health["defaultAgentId"] == "01965871-9f3c-7e4b-97f1-3b57e56a8046"


@pytest.mark.slow
def test_scenarios_pass_against_a_base_url(server):
    base, _, _ = server
    results = asyncio.run(run_all(SCENARIOS, target_url=base))
    failures = [f"{Path(r.file).stem} / {s.name}: {s.message}" for r in results for s in r.steps if s.status == "failed"]
    assert all(r.passed for r in results) and not failures, "\n".join(failures)


@pytest.mark.slow
def test_cli_scenario_command_reports_steps(server):
    base, _, _ = server
    exe = Path(sys.executable).with_name("insurup-sandbox")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "mockserver.cli"]
    out = subprocess.run(cmd + ["scenario", str(ROOT / "scenarios" / "service_account_b2b.yaml"), "--target", base,
                                "--json"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert '"passed": true' in out.stdout


@pytest.mark.real
@pytest.mark.skipif(not os.environ.get("INSURUP_REAL_BASE_URL"), reason="set INSURUP_REAL_BASE_URL to run against the real API")
def test_scenarios_against_the_real_api():
    results = asyncio.run(run_all(SCENARIOS, target_url=os.environ["INSURUP_REAL_BASE_URL"]))
    assert all(r.passed for r in results)
