"""The drift engine proved against drift it does not control: a rewriting HTTP proxy in front of a
served sandbox plays an API that has moved on, and the suite runs through the paths CI uses
(``contract record`` + ``contract verify``, and ``contract diff --target A --target B``), in both
directions. Each planted drift is written from what a client would notice (the issue's list: a field
that becomes null, an enum value changed inside a list, a discriminator, a reshaped object, an array
that becomes an object, a number that becomes a string, a field only one side sends, a step that
failed on the recorded side, a dropped WWW-Authenticate, a renamed key in a one-key body, a status,
a content type) and must be reported *breaking* with its own class; the harmless changes (key
order, list order, premiums within tolerance, a charset) must report nothing breaking. Reverting any
one classification in the engine fails one of these tests."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests import drift_proxy as dp
from tests import live

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mockserver.cli", *args], capture_output=True, text=True,
                          timeout=600, cwd=cwd, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"})


def scenario_args() -> list[str]:
    return [a for p in SCENARIOS for a in ("--scenario", str(p))]


# ----------------------------------------------------------------------------- the planted drifts
# A drift that breaks a scenario's own expectation stops that scenario, so each of those sits on the
# last step a scenario sends; the others sit where the scenario asserts nothing about them.
def _ok(x: dp.Exchange) -> bool:
    return x.status == 200 and x.body is not None


def _profile(x: dp.Exchange) -> None:
    if _ok(x):
        x.body["birthDate"] = None  # a top-level field becomes null
        x.body["primaryPhoneNumber"]["countryCode"] = None  # a nested one
        district = x.body.pop("district")  # a small object reshaped: {value, text} -> {code, name}
        x.body["district"] = {"code": district["value"], "name": district["text"]}


def _profile_again(x: dp.Exchange) -> None:
    if _ok(x):
        x.headers["content-type"] = "application/vnd.insurup.v2+json"  # another media type


def _login(x: dp.Exchange) -> None:
    if _ok(x):
        x.body.pop("isNewCustomer")  # a field the drifted API stopped sending


def _expired(x: dp.Exchange) -> None:
    if x.status == 401:
        x.headers.pop("www-authenticate", None)  # the challenge clients read is gone


def _proposal(x: dp.Exchange) -> None:
    if _ok(x):
        for p in x.body["products"]:  # an enum value changed on a field whose values vary across items
            if p["productType"] == "ROBOT":
                p["productType"] = "RPA"
        x.body["initialCoverage"]["$type"] = "traffic"  # a discriminator


def _product(x: dp.Exchange) -> None:
    if _ok(x):
        for premium in x.body["premiums"]:  # a number that becomes a string
            premium["grossPremium"] = f"{premium['grossPremium']:.2f}"


def _new_proposal(x: dp.Exchange) -> None:
    if _ok(x) and set(x.body) == {"proposalId"} and '"traffic"' in x.request:
        x.body = {"proposalIdentifier": x.body["proposalId"]}  # a renamed key in a one-key body


def _vehicles(x: dp.Exchange) -> None:
    if _ok(x):  # an array that becomes an object
        x.body = {"items": x.body, "totalCount": len(x.body)}


def _someone_elses_case(x: dp.Exchange) -> None:
    if x.status == 403:
        x.status = 409  # another status


def _properties(x: dp.Exchange) -> None:
    x.status, x.body = 503, {"title": "Service Unavailable", "status": 503}  # the step fails on this side


PLANTED = [
    dp.on("POST", r"/auth/customer/login-or-register$", _login),
    dp.on("GET", r"^/api/customers/me$", _profile),
    dp.on("GET", r"^/customers/me$", _profile_again),
    dp.on("GET", r"^/api/customers/me$", _expired),
    dp.on("GET", r"^/api/proposals/[0-9a-f]{24}$", _proposal),
    dp.on("GET", r"^/api/proposals/[0-9a-f]{24}/products/[0-9a-f]{24}$", _product),
    dp.on("POST", r"^/api/proposals$", _new_proposal),
    dp.on("GET", r"^/api/customers/me/vehicles$", _vehicles),
    dp.on("POST", r"^/api/cases:new-sale-opportunity$", _someone_elses_case),
    dp.on("GET", r"^/api/customers/me/properties$", _properties),
]
SCENARIOS = [ROOT / "scenarios" / f"{n}.yaml" for n in (
    "customer_otp_login", "customer_token_expiry", "trafik_proposal", "car_external_lookup", "web_sales_case_step",
    "home_address_cascade")]

PROFILE = "read my profile"
POLL = "poll the proposal every 5 s, as the comparison page does, until every product is ACTIVE or FAILED"
OLDER = "the older guides' body (type traffic, customerId, lowercase channel) works too"
# (scenario, step, kind, code when B (the actual side) drifted, code when A (the recording) drifted, path)
EXPECTED = [
    ("customer_otp_login", PROFILE, "shape", "null_change", "null_change", "$.birthDate"),
    ("customer_otp_login", PROFILE, "shape", "null_change", "null_change", "$.primaryPhoneNumber.countryCode"),
    ("customer_otp_login", PROFILE, "shape", "missing_in_fake", "extra_in_fake", "$.district.value"),
    ("customer_otp_login", PROFILE, "shape", "extra_in_fake", "missing_in_fake", "$.district.code"),
    ("customer_otp_login", "register with TCKN, phone and birth date", "shape", "missing_in_fake", "extra_in_fake",
     "$.isNewCustomer"),
    ("customer_otp_login", "the new access token reads the profile", "transport", "content_type", "content_type", "$"),
    ("customer_token_expiry", "the access token has expired", "transport", "header_missing", "header_extra",
     "headers.www-authenticate"),
    ("trafik_proposal", POLL, "shape", "unknown_enum_value", "unknown_enum_value", "$.products[*].productType"),
    ("trafik_proposal", POLL, "shape", "discriminator", "discriminator", "$.initialCoverage.$type"),
    ("trafik_proposal", "a quoted trafik product has an installment plan in Turkish lira", "shape", "type_change",
     "type_change", "$.premiums[*].grossPremium"),
    ("trafik_proposal", OLDER, "shape", "missing_in_fake", "extra_in_fake", "$.proposalId"),
    ("trafik_proposal", OLDER, "shape", "extra_in_fake", "missing_in_fake", "$.proposalIdentifier"),
    ("car_external_lookup", "it is listed", "shape", "type_change", "type_change", "$"),
    ("web_sales_case_step", "a customer cannot open a case for somebody else", "transport", "status", "status", "$"),
    ("home_address_cascade", "it is listed with its address", "transport", "status", "status", "$"),
    ("home_address_cascade", "it is listed with its address", "flow", "failed_actual", "failed_expected", "$"),
]


def _report(directory: Path) -> dict:
    return json.loads((directory / "drift-report.json").read_text())


def _found(report: dict) -> set[tuple[str, str, str, str, str, str]]:
    return {(s["scenario"], st["name"], f["kind"], f["code"], f["path"], f["severity"])
            for s in report["scenarios"] for st in s["steps"] for f in st["findings"]}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Against one served sandbox and a drifting proxy in front of it: record the drifted API and
    verify the fake against it; diff the sandbox (A) against the drifted API (B) and the reverse."""
    out = tmp_path_factory.mktemp("drift")
    with live.serve() as (base, _, _proc), dp.serve(base, PLANTED) as (drifted, _proxy):
        recorded = cli("contract", "record", "--target", drifted, "--out", str(out / "rec"), *scenario_args())
        ab = cli("contract", "diff", "--target", base, "--target", drifted, "--report-dir", str(out / "ab"),
                 "--waivers", str(out / "none.yaml"), *scenario_args())
        ba = cli("contract", "diff", "--target", drifted, "--target", base, "--report-dir", str(out / "ba"),
                 "--waivers", str(out / "none.yaml"), *scenario_args())
    verified = cli("contract", "verify", "--recordings", str(out / "rec"), "--report-dir", str(out / "verify"),
                   "--waivers", str(out / "none.yaml"), *scenario_args())
    return {"record": recorded, "verify": verified, "ab": ab, "ba": ba, "dir": out}


def test_a_run_against_drift_fails_and_says_breaking(runs):
    for name in ("verify", "ab", "ba"):
        done = runs[name]
        assert done.returncode == 1, (name, done.stdout, done.stderr)
        assert re.match(r"drift: [1-9]\d* breaking", done.stdout), done.stdout
    # recording a drifted API whose steps fail is itself a failed run (exit 1, each failure named)
    assert runs["record"].returncode == 1 and "failed: home_address_cascade" in runs["record"].stderr


@pytest.mark.parametrize("planted", EXPECTED, ids=lambda e: f"{e[3]}@{e[5]}")
def test_each_planted_drift_is_breaking_with_its_class_in_both_directions(runs, planted):
    scenario, step, kind, when_b, when_a, path = planted
    b_drifted = _found(_report(runs["dir"] / "ab"))
    a_drifted = _found(_report(runs["dir"] / "ba"))
    verified = _found(_report(runs["dir"] / "verify"))
    assert (scenario, step, kind, when_b, path, "breaking") in b_drifted, sorted(
        f for f in b_drifted if f[0] == scenario and f[1] == step)
    for found in (a_drifted, verified):  # the recording is the drifted side
        assert (scenario, step, kind, when_a, path, "breaking") in found, sorted(
            f for f in found if f[0] == scenario and f[1] == step)


def test_steps_that_failed_on_the_recorded_side_fail_verify(runs):
    report = _report(runs["dir"] / "verify")
    home = next(s for s in report["scenarios"] if s["scenario"] == "home_address_cascade")
    assert home["expectedFailures"] == ["it is listed with its address"] and home["breaking"] > 0


# ----------------------------------------------------------------------------- harmless changes
ORDERED = ("premiums", "items")  # the lists the scenarios declare ordered (``ordered:``) keep their order


def _reorder_and_reverse(x: dp.Exchange) -> None:
    def change(v):
        if isinstance(v, dict):
            return {k: (w[::-1] if isinstance(w, list) and k not in ORDERED else w) for k, w in reversed(v.items())}
        return v

    if x.body is not None:
        x.body = dp.walk(x.body, change)
        if isinstance(x.body, list):
            x.body = x.body[::-1]


def _premiums_within_tolerance(x: dp.Exchange) -> None:
    def nudge(v):
        if isinstance(v, dict):
            for k in ("grossPremium", "netPremium", "lowestPremium", "highestPremium"):
                if isinstance(v.get(k), (int, float)) and v[k] > 0:
                    v[k] = round(v[k] * 1.04, 2)
        return v

    if x.body is not None:
        x.body = dp.walk(x.body, nudge)


def _charset(x: dp.Exchange) -> None:
    if x.headers.get("content-type") == "application/json":
        x.headers["content-type"] = "application/json; charset=utf-8"


HARMLESS = [dp.everywhere(_reorder_and_reverse), dp.everywhere(_premiums_within_tolerance), dp.everywhere(_charset)]


def test_harmless_changes_report_nothing_breaking(tmp_path):
    with live.serve() as (base, _, _proc), dp.serve(base, HARMLESS) as (changed, proxy):
        done = cli("contract", "diff", "--target", base, "--target", changed, "--report-dir", str(tmp_path),
                   "--waivers", str(tmp_path / "none.yaml"), *scenario_args())
    report = _report(tmp_path)
    breaking = [f for f in _found(report) if f[-1] == "breaking"]
    assert done.returncode == 0 and breaking == [], (done.stdout, breaking)
    assert any(path.startswith("/api/proposals") for _, path, _ in proxy.seen)  # it did rewrite the sale
    # the list reversal did reach lists the comparison sees (products, models, vehicles)
    assert report["summary"]["scenarios"] == len(SCENARIOS) and report["summary"]["parity"] == 1.0


def test_the_suites_own_outputs_hold_nothing_personal(runs):
    """Recordings, the three drift reports (JSON, HTML, JUnit) and every console line of the runs,
    scanned with detectors that share no code with the redactor; the scenarios' login birth date is
    the tester default, known here."""
    from tests import pii

    files = pii.tree(runs["dir"])
    assert len(files) >= 6 + 3 * 3
    assert pii.scan_files(files, known=["1990-05-17"]) == {}
    for name in ("record", "verify", "ab", "ba"):
        assert pii.findings(runs[name].stdout + runs[name].stderr, known=["1990-05-17"]) == [], name


def test_a_server_that_writes_its_keys_in_another_order_differs_in_nothing(tmp_path):
    """Token names follow where an id first appears in sorted key order: not a single info line."""
    def keys_reversed(x: dp.Exchange) -> None:
        if x.body is not None:
            x.body = dp.walk(x.body, lambda v: dict(reversed(list(v.items()))) if isinstance(v, dict) else v)

    with live.serve() as (base, _, _proc), dp.serve(base, [dp.everywhere(keys_reversed)]) as (changed, _):
        done = cli("contract", "diff", "--target", base, "--target", changed, "--report-dir", str(tmp_path),
                   "--waivers", str(tmp_path / "none.yaml"), *scenario_args())
    assert done.returncode == 0 and _found(_report(tmp_path)) == set(), done.stdout
