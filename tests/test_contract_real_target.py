"""The contract suite against a target that is not a sandbox, as a tester runs it against the real
API: a served sandbox behind a proxy that hides its control plane (so the suite cannot tell it from
the real API), one persistent agent whose credentials come from the environment, the tester's own
phone, SMS codes from ``INSURUP_OTP_COMMAND``. Every scenario of the portable class (not
``sandboxOnly``) passes, twice in a row against the same agent (fresh identities per scenario and run),
the sandbox-only ones are skipped and said so, and nothing personal reaches a recording, a report or
the console (independent detectors, ``tests/pii.py``)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from mockserver.contract import scenario_dir
from mockserver.contract.spec import load_scenario
from tests import drift_proxy as dp
from tests import live, pii

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
TESTER_PHONE = "5051234567"  # the tester's own (50X, X in 1, 5, 6, 7: Türk Telekom's): must never be written down
GROUPS = [{"id": "68ff33ef85427175168098e5", "productBranch": "KASKO", "name": "Web satış kasko"},
          {"id": "68ff3538a409fcf6b6821902", "productBranch": "KONUT", "name": "Web satış konut"},
          {"id": "68ff347e9944df26b83fe388", "productBranch": "TSS", "name": "Web satış TSS"}]

OTP_SCRIPT = """#!{python}
# the tester's SMS inbox: given the phone, print the latest code (here: the hidden sandbox's outbox)
import sys, httpx
r = httpx.get("{base}/__sandbox/agents/{agent}/sms", params={{"to": sys.argv[1]}})
print(r.json()[-1]["code"])
"""


def portable() -> list[Path]:
    return [p for p in sorted(scenario_dir().glob("*.yaml")) if not load_scenario(p)[0].sandboxOnly]


def test_the_portable_class_holds_no_control_plane_step():
    files = portable()
    assert len(files) >= 12
    for path in files:
        raw = load_scenario(path)[1]
        for step in raw["steps"]:
            assert "clock" not in step and "receiver" not in step, path
            assert not any(str(step.get(m, "")).lstrip("/").startswith("__sandbox")
                           for m in ("get", "post", "put", "delete", "patch")), path


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """A 'real API': the served sandbox behind a proxy without a control plane, whose insurers have all
    answered by a proposal's second read (the proxy settles it, as time would)."""
    work = tmp_path_factory.mktemp("real")
    with live.serve() as (base, _, _proc):
        agent = httpx.post(f"{base}/__sandbox/agents", json={"coverageGroups": GROUPS}).json()
        agent_id = agent["agentId"]

        read: set[str] = set()

        def insurers_answer_by_the_second_read(method: str, path: str) -> None:
            found = re.fullmatch(r"/api/proposals/([0-9a-f]{24})", path)
            if method == "GET" and found:
                if found.group(1) in read:
                    httpx.post(f"{base}/__sandbox/agents/{agent_id}/proposals/{found.group(1)}/settle")
                read.add(found.group(1))

        otp = work / "otp.py"
        otp.write_text(OTP_SCRIPT.format(python=sys.executable, base=base, agent=agent_id))
        otp.chmod(0o755)
        env = {"PATH": "/usr/bin:/bin", "COLUMNS": "200", "INSURUP_AGENT_ID": agent_id,
               "INSURUP_CLIENT_ID": agent["serviceAccount"]["clientId"],
               "INSURUP_CLIENT_SECRET": agent["serviceAccount"]["clientSecret"],
               "INSURUP_AGENT_USER_EMAIL": agent["agentUser"]["email"],
               "INSURUP_AGENT_USER_PASSWORD": agent["agentUser"]["password"],
               "INSURUP_TESTER_PHONE": TESTER_PHONE, "INSURUP_OTP_COMMAND": str(otp), "INSURUP_POLL_SECONDS": "0.1"}
        with dp.serve(base, [], hide_control_plane=True, before=insurers_answer_by_the_second_read) as (url, _):
            runs = []
            for i in range(2):
                done = subprocess.run([sys.executable, "-m", "mockserver.cli", "contract", "record", "--target", url,
                                       "--out", str(work / f"run{i}"), "--max-requests", "3000"], capture_output=True,
                                      text=True, timeout=600, cwd=work, env=env)
                counts = httpx.get(f"{base}/__sandbox/agents/{agent_id}").json()["counts"]
                runs.append((done, counts))
        yield {"runs": runs, "work": work, "agent": agent_id}


def test_every_portable_scenario_passes_twice_against_one_persistent_agent(real):
    files = portable()
    (first, after_first), (second, after_second) = real["runs"]
    for done in (first, second):
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"recorded {len(files)} scenarios" in done.stdout and "(0 failed steps)" in done.stdout
        skipped = re.search(r"skipped (\d+) scenarios", done.stderr)
        assert skipped and int(skipped.group(1)) == len(list(scenario_dir().glob("*.yaml"))) - len(files)
    # the second run made as many new customers as the first: no identity of the first was reused
    assert after_first["customers"] > 0
    assert after_second["customers"] == 2 * after_first["customers"]
    rec = json.loads((real["work"] / "run0" / "customer_otp_login.json").read_text())
    assert rec["provenance"]["sandbox"] is False


def test_a_real_target_run_writes_nothing_personal(real):
    files = pii.tree(real["work"] / "run0") + pii.tree(real["work"] / "run1")
    assert len(files) == 2 * len(portable())
    assert pii.scan_files(files, known=[TESTER_PHONE]) == {}
    for done, _ in real["runs"]:
        assert pii.findings(done.stdout + done.stderr, known=[TESTER_PHONE]) == []


def test_without_the_testers_phone_a_real_run_says_which_variable_to_set(tmp_path):
    with live.serve() as (base, _, _proc), dp.serve(base, [], hide_control_plane=True) as (url, _):
        done = subprocess.run([sys.executable, "-m", "mockserver.cli", "contract", "record", "--target", url,
                               "--out", str(tmp_path), "-s", "customer_otp_login"], capture_output=True, text=True,
                              timeout=120, cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"})
    assert done.returncode == 1 and "INSURUP_TESTER_PHONE" in done.stderr, done.stderr


def test_failed_step_messages_are_redacted_like_bodies(tmp_path, insurup_app):
    """A step that fails quotes the answer: the console and the recording's outcome keep no name, TCKN,
    phone (whole or split) or birth date, even where the quote is cut short."""
    import asyncio

    from mockserver.contract.record import run_target, write_recordings

    scenario = tmp_path / "mismatch.yaml"
    scenario.write_text(
        "name: a wrong expectation about the profile\nsafety: creates_records\nsteps:\n"
        "  - name: log in\n    post: /api/auth/customer/login-or-register\n"
        "    json: {$type: individual, identityNumber: '${tester.tckn}', birthDate: '1984-03-21',"
        " phoneNumber: {number: '${tester.phone}', countryCode: 90}, agentId: '${agentId}'}\n"
        "    save: {token: body.token}\n"
        "  - name: code\n    otp: {phone: '${tester.phone}', save: code}\n"
        "  - name: verify\n    post: /api/auth/customer/verify-mfa\n    json: {token: '${token}', code: '${code}'}\n"
        "    save: {access: body.accessToken}\n"
        "  - name: the profile is somebody else's\n    get: /api/customers/me\n    auth: ${access}\n"
        "    expect: {status: 201}\n")
    [run] = asyncio.run(run_target([scenario], app=insurup_app))
    failed = [s for s in run.result.steps if s.status == "failed"]
    assert len(failed) == 1 and "expected status 201" in failed[0].message
    agent_customers = run.steps[0]["body"]["customerId"]
    assert agent_customers  # (the login answered)
    [path] = write_recordings([run], tmp_path / "rec", "in-process", True)
    text = path.read_text() + failed[0].message
    assert pii.findings(text, known=["1984-03-21"]) == [], pii.findings(text, known=["1984-03-21"])
    assert "<name:" in failed[0].message and "<birthdate:" in failed[0].message  # redacted, not dropped
    os.environ.pop("INSURUP_TESTER_PHONE", None)
