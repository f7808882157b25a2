"""The contract suite: scenario validation, safety and budgets, redaction, the normaliser, the
comparison and its classes, waivers, reports, and the whole loop a user runs (record a served
sandbox, verify in process, plant drift and see each kind caught, different seeds report nothing)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pyotp
import pytest
from junitparser import JUnitXml

from mockserver.contract import report as drift
from mockserver.contract import safety, scenario_dir
from mockserver.contract.compare import load_waivers
from mockserver.contract.normalise import Normaliser
from mockserver.contract.record import Options, _capture, diff, read_recording, run_target, verify, write_recordings
from mockserver.core.pseudonyms import Redactor, scan
from mockserver.contract.spec import ScenarioError, load_scenario
from mockserver.core.settings import Settings
from mockserver.http.app import create_app
from mockserver.contract.targets import Target, otp_from_provider
from mockserver.contract.values import StepFailed
from tests import live

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
CHOSEN = [SCENARIOS / f"{n}.yaml" for n in ("customer_otp_login", "car_external_lookup", "trafik_proposal",
                                             "customer_token_expiry", "home_address_cascade")]
RECORDINGS = ROOT / "contracts" / "recordings"


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("insurup-sandbox")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "mockserver.cli"]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=300, cwd=kw.pop("cwd", ROOT),
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", **kw.pop("env", {})}, **kw)


# ----------------------------------------------------------------------------- scenario files
def test_every_shipped_scenario_validates_and_declares_its_safety():
    files = sorted(scenario_dir().glob("*.yaml"))
    assert len(files) >= 25
    kinds = {load_scenario(p)[0].safety for p in files}
    assert kinds <= {"read_only", "creates_records", "purchases"} and "purchases" in kinds


@pytest.mark.parametrize("text, where, message", [
    ("name: x\nsafety: read_only\nsteps:\n  - name: a\n    get: /api/x\n    expct: {status: 200}\n", ":6", "expct"),
    ("name: x\nsafety: maybe\nsteps:\n  - {get: /api/x}\n", ":2", "safety"),
    ("name: x\nsteps:\n  - {get: /api/x}\n", "", "safety: Field required"),
    ("name: x\nsafety: read_only\nsteps:\n  - get: /api/x\n    expect: {body: {id: $uid}}\n", ":5", "'$uid' is not a matcher"),
    ("name: x\nsafety: read_only\nsteps:\n  - get: [unclosed\n", ":5", "not valid YAML"),
    ("name: x\nsafety: read_only\ncertification: {partner: P}\nsteps:\n  - {get: /api/x}\n", ":3",
     "certification: a certification session is the sandbox's; mark the scenario sandboxOnly"),
    ("name: x\nsafety: read_only\nsandboxOnly: true\nfixture: {seed: 1}\ncertification: {partner: P}\n"
     "steps:\n  - {get: /api/x}\n", ":5", "certification: a certification session makes its own agent"),
])
def test_a_bad_scenario_names_the_file_the_line_and_the_key(tmp_path, text, where, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value).startswith(f"{path}{where}") and message in str(info.value), str(info.value)


# ----------------------------------------------------------------------------- safety
def test_the_safety_registry_classifies_every_served_operation():
    assert safety.operation("GET", "/api/customers/me") == ("GET /customers/me", "read_only")
    assert safety.operation("POST", "/api/customers") == ("POST /customers", "creates_records")
    assert safety.operation("POST", "/graphql") == ("POST /graphql", "read_only")
    assert safety.operation("POST", "/api/proposals/p1/products/x/purchase/async")[1] == "purchases"
    assert safety.operation("GET", "/api/nothing/here") is None
    assert all(not t.startswith("/__sandbox") for _, _, _, t in safety.registry())


def test_real_targets_get_only_what_the_scenario_declares_and_purchases_need_two_opt_ins(monkeypatch):
    buy = "/api/proposals/p/products/x/purchase/async"
    assert safety.check("POST", buy, "read_only", real=False, purchases_ok=False)  # the sandbox: anything
    with pytest.raises(safety.Refused, match="not in the safety registry"):
        safety.check("DELETE", "/api/everything", "purchases", real=True, purchases_ok=True)
    with pytest.raises(safety.Refused, match="declares safety read_only"):
        safety.check("POST", "/api/customers", "read_only", real=True, purchases_ok=True)
    with pytest.raises(safety.Refused, match="--allow-purchases"):
        safety.check("POST", buy, "purchases", real=True, purchases_ok=False)
    assert safety.check("POST", buy, "purchases", real=True, purchases_ok=True)
    monkeypatch.setenv(safety.PURCHASE_ENV, "2020-01-01")
    assert not safety.purchases_allowed(True)  # yesterday's opt-in is not today's
    monkeypatch.setenv(safety.PURCHASE_ENV, dt.date.today().isoformat())
    assert safety.purchases_allowed(True) and not safety.purchases_allowed(False)


def test_budgets_stop_a_run():
    b = safety.Budget(max_requests=3, max_proposals=1, max_5xx_burst=2)
    b.charge("POST", "/api/proposals")
    with pytest.raises(safety.Refused, match="proposal budget"):
        b.charge("POST", "/api/proposals")
    b.charge("GET", "/api/x")
    with pytest.raises(safety.Refused, match="request budget"):
        b.charge("GET", "/api/x")
    b.answered(502)
    b.answered(200)
    b.answered(503)
    with pytest.raises(safety.Refused, match="2 server errors in a row"):
        b.answered(500)


def test_a_real_target_run_refuses_before_sending(tmp_path, insurup_app):
    sent: list[str] = []
    buy = tmp_path / "buy.yaml"
    buy.write_text("name: buy\nsafety: purchases\nsteps:\n  - name: buy\n    post: /api/proposals/p/products/x/purchase/async\n"
                   "    json: {$type: 3d-secure}\n")
    sneaky = tmp_path / "sneaky.yaml"
    sneaky.write_text("name: sneaky\nsafety: read_only\nsteps:\n  - name: write\n    post: /api/customers\n    json: {}\n")
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("name: unknown\nsafety: creates_records\nsteps:\n  - name: odd\n    post: /api/unlisted/op\n")

    async def go(path: Path):
        transport = httpx.ASGITransport(app=insurup_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://real.example",
                                     event_hooks={"request": [lambda r: _sent(r)]}) as client:
            return await _capture(path, Target(client, "real", sandbox=False), Options(), real=True)

    async def _sent(request: httpx.Request) -> None:
        sent.append(request.url.path)

    # a purchase scenario without both opt-ins does not run at all (skipped, not failed: nobody asked)
    run = asyncio.run(go(buy))
    [step] = run.result.steps
    assert step.status == "skipped" and "--allow-purchases" in step.message and run.skipped
    for path, message in ((sneaky, "declares safety read_only"), (unknown, "not in the safety registry")):
        run = asyncio.run(go(path))
        [step] = run.result.steps
        assert step.status == "failed" and message in step.message, step.message
    assert sent == []


# ----------------------------------------------------------------------------- OTP providers
def test_otp_providers(monkeypatch, tmp_path):
    for var in ("INSURUP_OTP_CODE", "INSURUP_OTP_COMMAND", "INSURUP_OTP_TOTP_SECRET"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "stdin", open("/dev/null"))
    with pytest.raises(StepFailed, match="INSURUP_OTP_TOTP_SECRET"):
        otp_from_provider("5321234567")
    secret = pyotp.random_base32()
    monkeypatch.setenv("INSURUP_OTP_TOTP_SECRET", secret)
    assert otp_from_provider("5321234567") == pyotp.TOTP(secret).now()
    script = tmp_path / "otp.sh"
    script.write_text("#!/bin/sh\necho 4$1 | cut -c1-6\n")
    script.chmod(0o755)
    monkeypatch.setenv("INSURUP_OTP_COMMAND", str(script))
    assert otp_from_provider("5321234567") == "453212"
    monkeypatch.setenv("INSURUP_OTP_CODE", "111222")
    assert otp_from_provider("5321234567") == "111222"


# ----------------------------------------------------------------------------- redaction
def test_redaction_replaces_every_kind_with_stable_pseudonyms():
    raw = {"accessToken": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "identityNumber": "10000000146",
           "taxNumber": 4182736509, "fullName": "Ahmet Yılmaz", "birthDate": "1990-01-01",
           "primaryEmail": "ahmet@example.com", "primaryPhoneNumber": {"number": "5321234567", "countryCode": 90},
           "card": {"number": "4111 1111 1111 1111", "cvc": "123"}, "note": "call +905321234567",
           "customers": [{"name": "Ahmet Yılmaz", "identityNumber": "10000000146"}],
           "path": "/api/customers/10000000146", "insuranceCompanyName": "Doğa Sigorta", "grossPremium": 1234.5,
           "set-cookie": "sid=1"}
    assert {kind for _, kind in scan(raw)} >= {"secret", "tckn", "vkn", "name", "birthdate", "email", "phone", "card"}
    out = Redactor().value(raw)
    assert scan(out) == []
    assert out["identityNumber"] == out["customers"][0]["identityNumber"] == "<tckn:1>"
    assert out["path"] == "/api/customers/<tckn:1>" and out["fullName"] == out["customers"][0]["name"] == "<name:1>"
    assert out["note"] == "call <phone:1>" and out["primaryPhoneNumber"]["number"] == "<phone:1>"
    assert out["insuranceCompanyName"] == "Doğa Sigorta" and out["grossPremium"] == 1234.5
    assert out["card"] == {"number": "<card:1>", "cvc": "<secret>"}


def test_committed_recordings_hold_nothing_redaction_removes():
    files = sorted(RECORDINGS.glob("*.json"))
    assert files, "contracts/recordings is empty"
    for f in files:
        assert scan(json.loads(f.read_text("utf-8"))) == [], f


# ----------------------------------------------------------------------------- normaliser
def test_the_normaliser_is_idempotent_and_names_ids_by_where_they_appeared():
    n = Normaliser(run_date=dt.date(2026, 12, 1), base_url="http://sandbox.local")
    first = n.exchange({"step": "create", "method": "POST", "path": "/api/proposals", "status": 200, "headers": {},
                        "body": {"proposalId": "6b0ea6f782f409db5b2aec02", "createdAt": "2026-12-01T10:00:00.000Z",
                                 "startDate": "2026-12-02", "grossPremium": 10.5, "detail": "Bir hata",
                                 "logo": "http://sandbox.local/l.svg", "succeedProductsCount": 7}})
    second = n.exchange({"step": "read", "method": "GET", "path": "/api/proposals/6b0ea6f782f409db5b2aec02",
                         "status": 200, "headers": {}, "body": {"id": "6b0ea6f782f409db5b2aec02"}})
    token = first["body"]["proposalId"]
    assert token == "<id@create:$.proposalId>" and second["body"]["id"] == token and token in second["path"]
    assert first["body"] | {"proposalId": None} == {"proposalId": None, "createdAt": "<instant>", "startDate": "<date:+1d>",
                                                   "grossPremium": "<amount>", "detail": "<text>", "logo": "<base>/l.svg",
                                                   "succeedProductsCount": "<count>"}
    again = Normaliser(run_date=dt.date(2026, 12, 1)).value(first["body"])
    assert again == first["body"]


def _codes(findings) -> set[tuple[str, str, str]]:
    return {(f.code, f.severity, f.path) for f in findings}


def test_a_placeholder_keeps_the_kind_of_what_it_replaced():
    from mockserver.contract.compare import compare_bodies

    n = Normaliser(run_date=dt.date(2026, 12, 1))
    number = n.value({"products": [{"grossPremium": 1234.5, "policyNumber": 991}]})
    text = n.value({"products": [{"grossPremium": "1234.50", "policyNumber": "991"}]})
    assert number == {"products": [{"grossPremium": "<amount>", "policyNumber": "<number>"}]}  # same text...
    assert _codes(compare_bodies(number, text)) == {  # ...but not the same kind
        ("type_change", "breaking", "$.products[*].grossPremium"),
        ("type_change", "breaking", "$.products[*].policyNumber")}
    within = n.value({"products": [{"grossPremium": 1300.0, "policyNumber": 5}]})
    assert compare_bodies(number, within) == []  # a premium within tolerance is no difference
    assert compare_bodies(n.value({"taxNumber": "<vkn:1|number>"}), n.value({"taxNumber": "<vkn:1>"}))[0].code == \
        "type_change"  # a redacted number stays a number


def test_token_names_do_not_depend_on_the_order_of_keys():
    body = {"id": "6b0ea6f782f409db5b2aec02", "customerId": "d7525a7e-e034-4341-89b4-aac43d7b3a23",
            "items": [{"z": "6b0ea6f782f409db5b2aec03"}, {"z": "6b0ea6f782f409db5b2aec04"}]}
    reordered = {"items": body["items"][::-1], "customerId": body["customerId"], "id": body["id"]}
    a = Normaliser(run_date=dt.date(2026, 12, 1)).exchange({"step": "s", "method": "GET", "path": "/x", "status": 200,
                                                            "headers": {}, "body": body})
    b = Normaliser(run_date=dt.date(2026, 12, 1)).exchange({"step": "s", "method": "GET", "path": "/x", "status": 200,
                                                            "headers": {}, "body": reordered})
    assert a["body"]["id"] == b["body"]["id"] and a["body"]["customerId"] == b["body"]["customerId"]
    assert sorted(map(str, a["body"]["items"])) == sorted(map(str, b["body"]["items"]))


def test_lists_are_sets_unless_declared_ordered():
    from mockserver.contract.compare import compare_bodies

    left = {"supportedPaymentOptions": ["ASYNC_3D_SECURE", "SYNC_CREDIT_CARD"],
            "items": [{"id": "<id@a>", "n": 1}, {"id": "<id@b>", "n": 2}]}
    right = {"supportedPaymentOptions": ["SYNC_CREDIT_CARD", "ASYNC_3D_SECURE"],
             "items": [{"id": "<id@b>", "n": 2}, {"id": "<id@a>", "n": 1}]}
    assert compare_bodies(left, right) == []
    assert _codes(compare_bodies(left, right, ["$.items"])) == {("order", "breaking", "$.items")}
    shorter = _codes(compare_bodies(left, {**right, "items": right["items"][:1]}, ["$.items"]))
    assert ("list_length", "warning", "$.items") in shorter and all(sev != "breaking" for _, sev, _ in shorter)


def test_an_enum_is_judged_by_the_values_each_side_shows_at_its_path():
    from mockserver.contract.compare import compare_bodies

    products = lambda *pairs: {"products": [{"productType": t, "state": s} for t, s in pairs]}  # noqa: E731
    base = products(("WEB_SERVICE", "ACTIVE"), ("ROBOT", "FAILED"))
    # the seed chose which products failed: fewer of the same outcomes is no drift
    assert _codes(compare_bodies(base, products(("WEB_SERVICE", "ACTIVE"), ("ROBOT", "ACTIVE")))) == {
        ("state_mix", "info", "$.products[*].state")}
    # a value renamed in some items only: each side shows one the other lacks
    assert ("unknown_enum_value", "breaking", "$.products[*].productType") in _codes(
        compare_bodies(base, products(("WEB_SERVICE", "ACTIVE"), ("RPA", "FAILED"))))
    # a new value beside the old ones: a client's switch meets a value it never saw
    assert ("unknown_enum_value", "breaking", "$.products[*].productType") in _codes(compare_bodies(
        base, products(("WEB_SERVICE", "ACTIVE"), ("ROBOT", "FAILED"), ("HYBRID", "ACTIVE"))))
    # lifecycle values that share nothing: the flow went elsewhere
    assert ("state", "breaking", "$.products[*].state") in _codes(
        compare_bodies(base, products(("WEB_SERVICE", "WAITING"), ("ROBOT", "WAITING"))))


def test_headers_clients_read_are_compared_by_meaning():
    from mockserver.contract.compare import compare_headers

    assert compare_headers({"allow": "GET, POST"}, {"allow": "POST,GET"}) == []
    assert compare_headers({"www-authenticate": 'Bearer error="invalid_token", error_description="expired"'},
                           {"www-authenticate": 'Bearer error="invalid_token", error_description="abgelaufen"'}) == []
    assert _codes(compare_headers({"www-authenticate": 'Bearer error="invalid_token"'},
                                  {"www-authenticate": 'Bearer error="insufficient_scope"'})) == {
        ("header_value", "breaking", "headers.www-authenticate")}
    assert compare_headers({"location": "<base>/cb?code=<secret>&state=x"},
                           {"location": "<base>/cb?state=y&code=<secret>"}) == []
    assert _codes(compare_headers({"location": "<base>/cb?code=1"}, {"location": "<base>/callback?code=1"})) == {
        ("header_value", "breaking", "headers.location")}
    assert _codes(compare_headers({"retry-after": "5"}, {})) == {("header_missing", "breaking", "headers.retry-after")}


# ----------------------------------------------------------------------------- the whole loop
@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """Recordings of three scenarios made with the CLI against a served sandbox."""
    out = tmp_path_factory.mktemp("recordings")
    with live.serve() as (base, _, _proc):
        done = cli("contract", "record", "--target", base, "--out", str(out),
                   *[a for p in CHOSEN for a in ("--scenario", str(p))])
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"recorded {len(CHOSEN)} scenarios" in done.stdout
    return out


def test_recordings_carry_provenance_and_nothing_secret(recorded):
    rec = read_recording(recorded / "customer_otp_login.json")
    assert rec.provenance.sandbox and rec.provenance.target.startswith("http://127.0.0.1:")
    assert rec.provenance.normaliserVersion and len(rec.provenance.contentHash) == 64
    assert [s.step for s in rec.steps][:2] == ["register with TCKN, phone and birth date", "a wrong code is a 400 with a code"]
    assert all(scan(json.loads(p.read_text())) == [] for p in recorded.glob("*.json"))
    text = (recorded / "customer_otp_login.json").read_text()
    assert "<tckn:1>" in text and "eyJ" not in text


def test_verify_finds_no_drift_between_a_recording_and_the_fake(recorded, tmp_path):
    done = cli("contract", "verify", "--recordings", str(recorded), "--report-dir", str(tmp_path),
               "--waivers", str(tmp_path / "none.yaml"), *[a for p in CHOSEN for a in ("--scenario", str(p))])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("drift: 0 breaking") and "parity 100.0%" in done.stdout
    report = json.loads((tmp_path / "drift-report.json").read_text())
    assert report["schemaVersion"] == 1 and report["summary"]["breaking"] == 0 and report["summary"]["findings"] == {}
    assert report["uncovered"] and "POST /proposals" not in report["uncovered"]


def _findings(comparisons) -> set[tuple[str, str, str, str]]:
    return {(c.scenario, s.name, f.kind, f.code) for c in comparisons for s in c.steps for f in s.findings}


def _breaking(comparisons) -> set[tuple[str, str, str, str, str]]:
    return {(c.scenario, s.name, f.kind, f.code, f.path) for c in comparisons for s in c.steps for f in s.findings
            if f.severity == "breaking"}


LOGIN, PROFILE = "register with TCKN, phone and birth date", "read my profile"
POLL = "poll the proposal every 5 s, as the comparison page does, until every product is ACTIVE or FAILED"
PLANTED = {  # the built-in profile's drifts (mockserver.http.drift.PLANTED), each with its class
    ("customer_otp_login", LOGIN, "shape", "extra_in_fake", "$.loginAttemptId"),  # an extra field
    ("customer_otp_login", "verify the code", "shape", "missing_in_fake", "$.tokenType"),  # a removed one
    ("customer_otp_login", PROFILE, "shape", "missing_in_fake", "$.fullName"),  # a renamed field...
    ("customer_otp_login", PROFILE, "shape", "extra_in_fake", "$.nameSurname"),  # ...is both
    ("customer_otp_login", PROFILE, "shape", "unknown_enum_value", "$.gender"),  # a changed enum value
    ("customer_otp_login", PROFILE, "shape", "null_change", "$.birthDate"),  # a value that becomes null
    ("customer_otp_login", PROFILE, "shape", "type_change", "$.policyCount"),  # a number that becomes a string
    ("customer_otp_login", "the new access token reads the profile", "transport", "status", "$"),
    ("customer_otp_login", "the new access token reads the profile", "flow", "failed_actual", "$"),
    ("customer_token_expiry", "the access token has expired", "transport", "header_missing", "headers.www-authenticate"),
    ("car_external_lookup", "models of the brand for that year include it", "transport", "status", "$"),  # dropped
    ("home_address_cascade", "it is listed with its address", "shape", "type_change", "$"),  # array -> object
    ("trafik_proposal", POLL, "shape", "discriminator", "$.initialCoverage.$type"),
    ("trafik_proposal", POLL, "flow", "state", "$.state"),  # a slower insurer
    ("trafik_proposal", POLL, "flow", "failed_actual", "$"),
}


def test_planted_drift_is_caught_each_with_its_class(recorded, tmp_path):
    comparisons = verify(recorded, CHOSEN, app=create_app(Settings(drift_profile="planted")))
    found = _breaking(comparisons)
    assert PLANTED <= found, sorted(PLANTED - found)
    # what the drift stopped is reported, not hidden: the steps after a failure did not run
    skipped = {(c.scenario, s.name) for c in comparisons for s in c.steps for f in s.findings
               if f.code == "skipped_actual"}
    assert ("car_external_lookup", "it is listed") in skipped
    rep = drift.build(comparisons, mode="verify", expected=str(recorded), actual="drifted")
    assert rep.failed and rep.summary.breaking >= len(PLANTED)
    paths = drift.write(rep, tmp_path)
    page = paths[1].read_text()
    assert "unknown_enum_value" in page and "Car via Tramer external lookup" in page and "<script" not in page
    xml = JUnitXml.fromfile(str(paths[2]))
    failures = [c for suite in xml for c in suite if c.result]
    assert failures and {suite.name for suite in xml} == {p.stem for p in CHOSEN}


def test_waivers_accept_a_difference_until_they_expire(recorded, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    waivers.write_text(f"waivers:\n  - {{scenario: customer_otp_login, step: read my profile, path: $.gender, "
                       f"reason: the insurer renamed the gender values, expires: {tomorrow}}}\n"
                       f"  - {{scenario: '*', path: $.old, reason: gone, expires: 2020-01-01}}\n")
    live_waivers, errors = load_waivers(waivers)
    assert len(live_waivers) == 1 and len(errors) == 1 and "expired on 2020-01-01" in errors[0]
    comparisons = verify(recorded, CHOSEN[:1], app=create_app(Settings(drift_profile="planted")), waivers=live_waivers)
    enum = [f for c in comparisons for s in c.steps for f in s.findings if f.code == "unknown_enum_value"]
    assert enum and all(f.waived_by and "renamed the gender" in f.waived_by for f in enum)
    rep = drift.build(comparisons, mode="verify", expected="r", actual="a", errors=errors)
    assert rep.failed and rep.errors  # an expired waiver fails the run by itself


def test_two_plain_sandboxes_with_different_seeds_differ_in_nothing_that_matters():
    comparisons = diff(None, None, CHOSEN, app_a=create_app(Settings(seed=1)), app_b=create_app(Settings(seed=2)))
    # the seed chooses premiums, which insurer fails, names: values (info), never a shape or a flow
    assert {(k, c) for _, _, k, c in _findings(comparisons)} <= {("value", "value"), ("value", "list_length"),
                                                                 ("flow", "state_mix")}
    assert not comparisons.errors and _findings(comparisons)  # (and the seeds did differ)


def test_diff_catches_the_planted_drift_between_two_live_targets():
    comparisons = diff(None, None, CHOSEN, app_a=create_app(Settings(seed=1)),
                       app_b=create_app(Settings(seed=2, drift_profile="planted")))
    found = _breaking(comparisons)
    assert PLANTED <= found, sorted(PLANTED - found)


def test_the_readme_diff_of_two_identical_sandboxes_agrees_everywhere(tmp_path):
    """The README's path, from a directory that is not a checkout: every shipped scenario on both
    sides with the default budgets, and a true answer."""
    with live.serve() as (a, _, _pa), live.serve() as (b, _, _pb):
        done = cli("contract", "diff", "--target", a, "--target", b, "--report-dir", str(tmp_path / "r"), "--json",
                   cwd=tmp_path)
    summary = json.loads(done.stdout)
    assert done.returncode == 0 and not summary["failed"] and summary["errors"] == [], done.stdout + done.stderr
    assert summary["parity"] == 1.0 and summary["breaking"] == 0
    assert summary["scenarios"] == len(list(scenario_dir().glob("*.yaml")))


def test_each_side_has_its_own_budget_and_a_spent_one_is_an_error(tmp_path):
    two = ["-s", "customer_otp_login", "-s", "car_external_lookup"]  # 8 + 7 requests a side
    with live.serve() as (a, _, _pa), live.serve() as (b, _, _pb):
        fits = cli("contract", "diff", "--target", a, "--target", b, "--max-requests", "16", *two,
                   "--report-dir", str(tmp_path / "fits"), cwd=tmp_path)
        spent = cli("contract", "diff", "--target", a, "--target", b, "--max-requests", "5", *two,
                    "--report-dir", str(tmp_path / "spent"), cwd=tmp_path)
        recorded = cli("contract", "record", "--target", a, "--max-requests", "5", *two, "--out", str(tmp_path / "rec"),
                       cwd=tmp_path)
    assert fits.returncode == 0, fits.stdout + fits.stderr
    for done in (spent, recorded):
        assert done.returncode == 1
        assert "request budget spent: 5 requests (--max-requests); 1 scenarios did not run: car_external_lookup" \
            in done.stderr, done.stderr
    report = json.loads((tmp_path / "spent" / "drift-report.json").read_text())
    assert any("budget spent" in e for e in report["errors"])


def test_the_committed_recordings_verify_against_the_fake(tmp_path):
    done = cli("contract", "verify", "--report-dir", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("drift: 0 breaking")


def test_a_dead_target_is_reported_as_connection_refused(tmp_path):
    done = cli("contract", "record", "--target", f"http://127.0.0.1:{live.free_port()}", "--out", str(tmp_path))
    assert done.returncode == 2 and "connection refused" in done.stderr
    done = cli("scenario", "--target", f"http://127.0.0.1:{live.free_port()}")
    assert done.returncode == 2 and "connection refused" in done.stderr


def test_scan_command_flags_a_leaky_recording(tmp_path):
    (tmp_path / "leak.json").write_text(json.dumps({"steps": [{"body": {"identityNumber": "10000000146"}}]}))
    done = cli("contract", "scan", str(tmp_path))
    assert done.returncode == 1 and "tckn" in done.stdout
    done = cli("contract", "scan", str(RECORDINGS))
    assert done.returncode == 0 and "0 findings" in done.stdout


def test_run_target_of_the_in_process_sandbox_records_every_step(tmp_path):
    [run] = asyncio.run(run_target(CHOSEN[:1]))
    written = write_recordings([run], tmp_path, "in-process", True)
    rec = read_recording(written[0])
    assert len(rec.steps) == 8 and {o.status for o in rec.outcome} == {"passed"}  # 9 steps, one reads the SMS


def test_pytest_collects_each_scenario_step_as_a_test(tmp_path):
    scenario = tmp_path / "two_steps.yaml"
    scenario.write_text("name: two steps\nsafety: read_only\nsandboxOnly: true\nsteps:\n  - name: health\n"
                        "    get: /__sandbox/health\n"
                        "  - name: wrong expectation\n    get: /__sandbox/health\n    expect: {body: {status: broken}}\n"
                        "  - name: after it\n    get: /__sandbox/health\n")
    junit = tmp_path / "junit.xml"
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--insurup-scenarios",
                           str(scenario), f"--junitxml={junit}", "-o", "addopts="], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 1, done.stdout
    assert "1 failed, 1 passed, 1 skipped" in done.stdout and "expected 'broken'" in done.stdout
    cases = [c for suite in JUnitXml.fromfile(str(junit)) for c in suite]
    assert [c.name for c in cases] == ["health", "wrong expectation", "after it"]
    with live.serve() as (base, _, _proc):
        # the README's line, from a directory that holds no scenarios/: the shipped file is taken
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--insurup-target", base,
                               "scenarios/service_account_b2b.yaml", "-o", "addopts="], capture_output=True,
                              text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0 and "8 passed" in done.stdout, done.stdout


def test_noise_between_two_runs_of_one_target_is_proposed_not_applied():
    from mockserver.contract.record import noise

    app = create_app(Settings(seed=3))
    comparisons = diff(None, None, CHOSEN[:1], app_a=app, app_b=create_app(Settings(drift_profile="planted")))
    proposal = noise(comparisons, "http://example.test")
    assert "reason: 'noise: differs between two runs of http://example.test'" in proposal
    assert "code: unknown_enum_value" in proposal and "expires:" in proposal
    # proposed is not applied: the comparison itself still reports them
    assert _findings(comparisons)


def test_schema_findings_name_where_a_recorded_answer_misfits_the_published_model():
    from mockserver.contract.record import conformance

    step = {"step": "me", "method": "GET", "path": "/api/customers/me", "status": 200,
            "body": {"id": 7, "unexpected": True}}
    [found] = [conformance([step])["me"]]
    assert found and all(f.kind == "schema" and f.code == "openapi" for f in found)
    assert any(f.path == "$.id" for f in found)


def test_graphql_answers_are_checked_against_the_published_sdl():
    from mockserver.contract import gqlcheck

    query = "{ casesNew(first: 2) { totalCount nodes { id status createdAt } } }"
    fits = {"data": {"casesNew": {"totalCount": 1, "nodes": [{"id": "a", "status": "OPEN", "createdAt": "x"}]}}}
    assert gqlcheck.check(query, fits) == []
    misfit = {"data": {"casesNew": {"totalCount": "1", "nodes": [{"id": None, "status": "WON", "createdAt": "x"}]}}}
    found = {(f.path, f.code) for f in gqlcheck.check(query, misfit)}
    assert found == {("$.data.casesNew.totalCount", "sdl"), ("$.data.casesNew.nodes[0].id", "sdl"),
                     ("$.data.casesNew.nodes[0].status", "sdl")}
    [unknown] = gqlcheck.check("{ casesNew { nodes { loyaltyTier } } }", {"data": {"casesNew": None}})
    assert unknown.code == "sdl_validation" and "loyaltyTier" in unknown.actual


def test_what_a_run_saw_is_kept_out_of_a_later_message_and_numbered_in_the_order_seen():
    """``Redactor.learn`` walks what it saw only when a pseudonym or a message needs it: a name seen in
    a body never reaches a later failure message, and the numbering is the one walking each value as
    it was seen gives."""
    from mockserver.core.pseudonyms import Redactor

    first = {"fullName": "AYŞE KAYA", "identityNumber": "38745091298"}
    second = {"fullName": "MEHMET DEMİR", "identityNumber": "10000000146"}
    lazy = Redactor()
    lazy.learn(first)
    lazy.learn(second)
    said = lazy.message("expected 200, got 409: MEHMET DEMİR is already AYŞE KAYA's spouse")
    assert "MEHMET" not in said and "AYŞE" not in said, said
    eager = Redactor()
    eager.value(first)
    eager.value(second)
    assert said == eager.message("expected 200, got 409: MEHMET DEMİR is already AYŞE KAYA's spouse")
    assert lazy.value({"identityNumber": "10000000146"}) == eager.value({"identityNumber": "10000000146"})
