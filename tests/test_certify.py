"""Partner certification: a reference integration (a scripted web-sales site, written from the
guide) passes every rule; each flawed integration fails exactly its rule and each correct variant
passes. The evidence and the certificate are signed by the sandbox: edited evidence is refused and an
edited certificate does not verify. Nothing personal reaches the evidence or the reports (checked with
detectors independent of the sandbox's redactor, ``tests/pii.py``)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from mockserver.certify.report import certify, write
from mockserver.certify.rules import RULES
from tests import pii
from tests.conftest import fresh_phone, fresh_tckn

ROOT = Path(__file__).resolve().parents[1]
PAN, DECLINED, CVC = "4111111111111111", "4000000000000002", "739"
HOLDER, BIRTH = "AYŞE KAYA", "1986-02-11"
CALLBACK = "https://partner.example/odeme-sonuc"
GROUP = "6650f0c2a1b2c3d4e5f6c001"
DOGA, ANADOLU = 43, 7


class Site:
    """A partner's web-sales site as a script: what the guide asks, unless a flaw says otherwise.
    ``variants`` are other correct ways of doing it. The certifier (the test) steers the session's
    adversarial moments and speeds the insurers up; the site only sees their effects."""

    def __init__(self, sb, flaws: frozenset[str] = frozenset(), variants: frozenset[str] = frozenset()):
        self.sb, self.http, self.flaws, self.variants = sb, sb.http, flaws, variants
        r = self.http.post("/__sandbox/certifications", json={
            "partner": "Örnek Acente", "scope": {"branches": ["kasko", "traffic"], "channels": ["website"]},
            "coverageGroups": [{"id": GROUP, "productBranch": "KASKO", "name": "Site kasko"},
                               {"id": GROUP[:-1] + "2", "productBranch": "TRAFIK", "name": "Site trafik"}]})
        assert r.status_code == 201, r.text
        self.session = r.json()
        self.agent = self.session["agentId"]
        self.personal: list[str] = [HOLDER, BIRTH, PAN, DECLINED]  # what no output may show

    # -- the certifier's hands -----------------------------------------------------------------------
    def control(self, method: str, path: str, **kw):
        r = self.http.request(method, f"/__sandbox/agents/{self.agent}{path}", **kw)
        assert r.status_code < 300, r.text
        return r.json() if r.content else None

    def steer(self, **body) -> None:
        r = self.http.post(f"/__sandbox/certifications/{self.agent}/steer", json=body)
        assert r.status_code == 200, r.text

    # -- the site's API client ----------------------------------------------------------------------
    @property
    def h(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}

    def api(self, method: str, path: str, **kw):
        """A call as a site's API client makes it: with the customer's token; an answer that says the
        token expired is met with a refresh and the call again."""
        r = self.http.request(method, path, headers=self.h, **kw)
        if r.status_code == 401 and "TOKEN_EXPIRED" in r.json().get("codes", []):
            if "keeps_the_expired_token" in self.flaws:  # tries again with the token it has
                self.http.request(method, path, headers=self.h, **kw)
            self.refresh()
            r = self.http.request(method, path, headers=self.h, **kw)
        return r

    def login(self) -> None:
        if not hasattr(self, "phone"):
            self.phone, self.tckn = fresh_phone(), fresh_tckn()
            self.personal += [self.phone, self.tckn]
        body = {"$type": "individual", "identityNumber": self.tckn, "birthDate": BIRTH,
                "phoneNumber": {"number": self.phone, "countryCode": 90}, "agentId": self.agent}
        if "never_sends_agent_id" in self.flaws:  # the first attempt forgets it
            assert self.http.post("/api/auth/customer/login-or-register",
                                  json={k: v for k, v in body.items() if k != "agentId"}).status_code == 401
        login = self.http.post("/api/auth/customer/login-or-register", json=body).json()
        code = self.control("GET", "/sms", params={"to": self.phone})[-1]["code"]
        tokens = self.http.post("/api/auth/customer/verify-mfa", json={"token": login["token"], "code": code}).json()
        self.access, self.refresh_token, self.customer = tokens["accessToken"], tokens["refreshToken"], login["customerId"]
        me = self.api("GET", "/api/customers/me").json()
        self.personal += [me["fullName"], me["firstName"], me["lastName"]]

    def refresh(self) -> None:
        old = self.refresh_token
        r = self.http.post("/api/auth/customer/refresh", json={"refreshToken": old})
        assert r.status_code == 200, r.text
        self.access, self.refresh_token = r.json()["accessToken"], r.json()["refreshToken"]
        if "reuses_the_refresh_token" in self.flaws:
            assert self.http.post("/api/auth/customer/refresh", json={"refreshToken": old}).status_code == 401

    def open_case(self, branch: str) -> None:
        query = ("query($c: UUID) { cases(where: {customerId: {eq: $c}, status: {in: [OPEN, IN_PROGRESS]}, "
                 f"type: {{eq: SALE_OPPORTUNITY}}, productBranch: {{eq: {branch}}}}}) {{ totalCount }} }}")
        found = 0
        if "skips_the_case_check" not in self.flaws:
            found = self.sb.graphql(self.access, query, {"c": self.customer})["data"]["cases"]["totalCount"]
        if not found:
            body = {"customerId": self.customer, "productBranch": branch, "channel": "WEBSITE"}
            assert self.api("POST", "/api/cases:new-sale-opportunity", json=body).status_code == 200
            if "creates_the_case_twice" in self.flaws:
                self.api("POST", "/api/cases:new-sale-opportunity", json=body)

    def car(self, plate: str) -> str:
        r = self.api("POST", f"/api/customers/{self.customer}/vehicles", json={
            "plate": plate, "documentSerialCode": "AB", "documentSerialNumber": "123456", "brandCode": "RENAULT",
            "modelCode": "CLIO", "year": 2020})
        assert r.status_code == 200, r.text
        return r.json()["id"]

    def quote(self, branch: str, vehicle: str, groups: list[str]) -> list[dict]:
        body = {"$type": branch.lower(), "insurerCustomerId": self.customer, "vehicleId": vehicle,
                "coverageGroupIds": groups, "channel": "WEBSITE"}
        if "sends_no_channel" in self.flaws:
            body.pop("channel")
        if "four_groups_then_one" in self.flaws and not getattr(self, "_tried_four", False):
            self._tried_four = True  # every group the agency has, then the one the 422 allows
            four = {**body, "coverageGroupIds": [GROUP, GROUP[:-1] + "3", GROUP[:-1] + "4", GROUP[:-1] + "5"]}
            assert self.api("POST", "/api/proposals", json=four).status_code == 422
        r = self.api("POST", "/api/proposals", json=body)
        assert r.status_code == 200, r.text
        pid = r.json()["proposalId"]
        self.control("POST", f"/proposals/{pid}/settle")  # the certifier: the insurers answer at once
        reads = 8 if "polls_every_100ms" in self.flaws else 1
        for _ in range(reads):
            proposal = self.api("GET", f"/api/proposals/{pid}").json()
        self.pid = pid
        return proposal["products"]

    def pay(self, product: dict, number: str | None, kind: str = "3d-secure") -> dict[str, str]:
        if "buys_sync_from_the_browser" in self.flaws and not getattr(self, "_tried_sync", False):
            self._tried_sync = True
            self.api("POST", f"/api/proposals/{self.pid}/products/{product['id']}/purchase/sync",
                     json={"$type": "credit-card", "installmentNumber": 1})
        body = {"$type": kind, "installmentNumber": 1, "callbackUrl": CALLBACK}
        if number:
            body["card"] = {"number": number, "cvc": CVC, "expiryMonth": "12", "expiryYear": "2030",
                            "holderName": HOLDER}
        r = self.api("POST", f"/api/proposals/{self.pid}/products/{product['id']}/purchase/async", json=body)
        assert r.status_code == 200, r.text
        form = {"action": "confirm", "code": "123456"}
        if kind == "insurance-company-redirect":
            form |= {"number": PAN, "cvc": CVC, "expiryMonth": "12", "expiryYear": "2030", "holderName": HOLDER}
        page = self.http.post(r.json()["redirectUrl"], data=form, follow_redirects=False)
        assert page.status_code == 303, page.text
        result = {k: v[0] for k, v in parse_qs(urlsplit(page.headers["location"]).query).items()}
        if "trusts_the_callback" not in self.flaws:
            state = self.api("GET", f"/api/proposals/{self.pid}/products/{product['id']}").json()["state"]
            result["verified"] = state
        return result

    def show_result(self, result: dict[str, str]) -> None:
        """Show the sale as done when the API says so (a flawed site: when the callback says so)."""
        believed = result.get("success") == "true" and ("believes_the_lie" in self.flaws or "verified" not in result)
        if result.get("verified") == "PURCHASED" or believed:
            policy_id = result.get("policyId") or "unknown"
            self.api("GET", f"/api/policies/{policy_id}")
            self.api("GET", f"/api/policies/{policy_id}/document")
        elif "policies_page_after_lying_callback" in self.variants:
            self.api("GET", "/api/policies")  # "Poliçelerim": the customer's own list, as the API has it

    # -- the flows ---------------------------------------------------------------------------------
    def run(self) -> None:
        self.login()
        # kasko by 3-D Secure, a declined card first
        self.open_case("KASKO")
        products = self.quote("KASKO", self.car("34KL4821"), [GROUP])
        doga = next(p for p in products if p["insuranceCompanyId"] == DOGA and p["productType"] == "WEB_SERVICE")
        self.show_result(self.pay(doga, DECLINED))
        self.show_result(self.pay(doga, PAN))
        # trafik on the insurer's page
        if "late_case_in_second_flow" in self.flaws:
            vehicle = self.car("06KL4822")  # the car step first, the case after it
            self.open_case("TRAFIK")
        else:
            self.open_case("TRAFIK")
            vehicle = self.car("06KL4822")
        products = self.quote("TRAFIK", vehicle, [GROUP[:-1] + "2"])
        anadolu = next(p for p in products if p["insuranceCompanyId"] == ANADOLU and p["productType"] == "WEB_SERVICE"
                       and p["state"] == "ACTIVE")
        self.show_result(self.pay(anadolu, None, "insurance-company-redirect"))
        if "returns_in_a_new_session" in self.variants:
            self.login()  # the customer comes back another day
        # another kasko: the first one's case was won, so this flow opens its own (failing once, retried)
        self.open_case("KASKO")
        products = self.quote("KASKO", self.car("35KL4823"), ["fa1100000000000000000000"])
        failed = next(p for p in products if p["state"] == "FAILED" and p["productType"] == "WEB_SERVICE"
                      and p["insuranceCompanyId"] == DOGA)
        assert self.api("POST", f"/api/proposals/{self.pid}/products/{failed['id']}/retry").status_code == 204
        self.control("POST", f"/proposals/{self.pid}/settle")
        # the lying callback: it will say success for a declined card
        self.steer(lyingCallbacks=1)
        lie = self.pay(failed, DECLINED)
        assert lie["success"] == "true" and lie["policyId"]
        self.show_result(lie)
        # a long session: the certifier skips fifteen minutes; the site carries on as it would
        self.steer(advanceSeconds=900)
        assert self.api("GET", "/api/customers/me").status_code == 200
        assert self.api("GET", "/api/policies").status_code == 200


def results(sb, flaws=frozenset(), variants=frozenset()) -> tuple[dict[str, str], object, dict, Site]:
    site = Site(sb, frozenset(flaws), frozenset(variants))
    site.run()
    evidence = sb.http.get(f"/__sandbox/certifications/{site.agent}/evidence").json()
    cert = certify(evidence)
    sb.delete_agent(site.agent)
    return {r.rule: r.result for r in cert.results}, cert, evidence, site


def test_the_reference_integration_passes_every_rule(sb, tmp_path):
    got, cert, evidence, site = results(sb)
    assert all(v == "PASSED" for v in got.values()), {k: v for k, v in got.items() if v != "PASSED"}
    assert cert.certifiable and {m.id for m in cert.modules if m.seen} == {m.id for m in cert.modules}
    assert len(got) == len(RULES) >= 19 and cert.issued and cert.expires
    # the clock jump's first refused call was the site's to meet, and it met it with a refresh
    tok = next(r for r in cert.results if r.rule == "INS-TOK-001")
    assert "after a clock jump" in tok.message and tok.evidence
    # the outputs carry nothing personal: cards, CVCs, tokens, identities, names, phones, birth dates
    paths = write(cert, evidence, tmp_path)
    assert pii.scan_files(paths, known=site.personal) == {}
    assert not any(re.search(r"\bcvc\W+739", p.read_text()) for p in paths)
    # ...and the rules still see one person throughout (pseudonyms, not blanks)
    assert "<name:1>" in paths[3].read_text()


FLAWS = {
    "never_sends_agent_id": "INS-AUTH-001",
    "creates_the_case_twice": "INS-CASE-002",
    "skips_the_case_check": "INS-CASE-001",
    "late_case_in_second_flow": "INS-CASE-003",
    "four_groups_then_one": "INS-PROP-002",
    "trusts_the_callback": "INS-PAY-003",
    "believes_the_lie": "INS-PAY-003",
    "reuses_the_refresh_token": "INS-TOK-003",
    "keeps_the_expired_token": "INS-TOK-001",
    "polls_every_100ms": "INS-PROP-003",
    "buys_sync_from_the_browser": "INS-PAY-001",
    "sends_no_channel": "INS-PROP-001",
}


@pytest.mark.parametrize("flaw", list(FLAWS))
def test_a_flawed_integration_fails_exactly_its_rule(sb, flaw):
    got, cert, _, _ = results(sb, {flaw})
    broken = {k: v for k, v in got.items() if v != "PASSED"}
    assert set(broken) == {FLAWS[flaw]}, broken
    severity = next(r.severity for r in RULES if r.id == FLAWS[flaw])
    assert broken[FLAWS[flaw]] == ("WARNING" if severity == "warning" else "FAILED")
    assert cert.certifiable == (severity == "warning")
    assert (cert.issued is None) == (not cert.certifiable)  # a not-certifiable report has no dates


@pytest.mark.parametrize("variant", ["policies_page_after_lying_callback", "returns_in_a_new_session"])
def test_a_correct_variant_passes_every_rule(sb, variant):
    got, cert, _, _ = results(sb, variants={variant})
    assert all(v == "PASSED" for v in got.values()), {k: v for k, v in got.items() if v != "PASSED"}
    assert cert.certifiable


def test_modules_never_driven_are_not_exercised_and_out_of_scope_ones_skipped(sb):
    r = sb.http.post("/__sandbox/certifications", json={"partner": "Kasko only", "scope": {"branches": ["KASKO"]}})
    agent = r.json()["agentId"]
    assert [m["seen"] for m in r.json()["modules"]] == [False] * 6
    cert = certify(sb.http.get(f"/__sandbox/certifications/{agent}/evidence").json())
    by = {x.rule: x.result for x in cert.results}
    assert not cert.certifiable and "PASSED" not in {by["INS-AUTH-001"], by["INS-CASE-001"], by["INS-PAY-003"]}
    assert by["INS-AUTH-001"] == "NOT_EXERCISED" and by["INS-PAY-003"] == "NOT_EXERCISED"
    assert by["INS-FLOW-002"] == "SKIPPED" and cert.issued is None and cert.expires is None
    sb.delete_agent(agent)
    assert sb.http.get(f"/__sandbox/certifications/{sb.new_agent().id}").json()["codes"] == ["CERTIFICATION_NOT_FOUND"]


@pytest.mark.parametrize("words, expected", [
    ({"branches": ["traffic", "Kasko"], "paymentTypes": ["3d-secure"], "channels": ["website"]},
     {"branches": ["TRAFIK", "KASKO"], "paymentTypes": ["ASYNC_3D_SECURE"], "channels": ["WEBSITE"]}),
    ({"branches": ["TRAFIK"], "paymentTypes": ["ASYNC_INSURANCE_COMPANY_REDIRECT", "insurance-company-redirect"]},
     {"branches": ["TRAFIK"], "paymentTypes": ["ASYNC_INSURANCE_COMPANY_REDIRECT"]}),
])
def test_a_scope_takes_the_guides_words_and_the_apis(sb, words, expected):
    r = sb.http.post("/__sandbox/certifications", json={"partner": "X", "scope": words})
    assert r.status_code == 201 and r.json()["scope"] == expected, r.text
    sb.delete_agent(r.json()["agentId"])


@pytest.mark.parametrize("field, good, word", [("branches", "kasko", "auto"), ("paymentTypes", "3d-secure", "cash"),
                                               ("channels", "website", "fax")])
def test_an_unknown_scope_word_is_refused_naming_its_field(sb, field, good, word):
    r = sb.http.post("/__sandbox/certifications", json={"partner": "X", "scope": {field: [good, word]}})
    assert r.status_code == 422, r.text
    [error] = r.json()["validationErrors"]
    assert error["propertyName"] == f"scope.{field}" and word in error["errorMessage"] and "[1]" in error["errorMessage"]


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mockserver.cli", "certify", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


def test_the_certify_commands_against_a_served_sandbox(tmp_path):
    """A session through the CLI: the shipped example scope, a report signed by the sandbox, the
    certificate verified, tampered evidence and an edited certificate refused, an offline re-make."""
    import httpx

    from tests import live

    scope = tmp_path / "partner.yaml"
    example = cli("example-scope")
    assert example.returncode == 0 and "paymentTypes:" in example.stdout
    scope.write_text(example.stdout)
    with live.serve() as (base, _, _proc):
        started = cli("start", "--partner", "Örnek Acente", "--scope", str(scope), "--target", base)
        assert started.returncode == 0, started.stderr
        session = re.search(r"^session (\S+)", started.stdout, re.M).group(1)
        assert "pending  kasko-3d-secure" in started.stdout and f"agentId {session}" in started.stdout
        steered = cli("steer", session, "--lying-callback", "1", "--target", base)
        assert steered.returncode == 0 and "pending  lying-callback" in steered.stdout
        report = cli("report", session, "--out", str(tmp_path / "out"), "--target", base)
        keys = httpx.get(base + "/.well-known/sandbox-certification-keys.json").json()
        verified = cli("verify", str(tmp_path / "out" / "certificate.json"), "--target", base)
    assert report.returncode == 1 and "not certifiable" in report.stdout  # nothing was driven
    cert = json.loads((tmp_path / "out" / "certificate.json").read_text())
    assert cert["partner"] == "Örnek Acente" and cert["scope"]["branches"] == ["KASKO", "TRAFIK"]
    assert cert["signature"] and cert["issued"] is None and cert["expires"] is None
    assert verified.returncode == 1 and "valid (signed by the sandbox)" in verified.stdout
    (tmp_path / "keys.json").write_text(json.dumps(keys))
    offline = ["--keys", str(tmp_path / "keys.json")]
    # the saved evidence re-makes the same report offline...
    again = cli("report", "--evidence", str(tmp_path / "out" / "evidence.json"), "--out", str(tmp_path / "again"),
                *offline)
    assert again.returncode == 1, again.stderr
    remade = json.loads((tmp_path / "again" / "certificate.json").read_text())
    assert remade["results"] == cert["results"] and remade["signature"] is None
    assert cli("verify", str(tmp_path / "again" / "certificate.json"), "--evidence",
               str(tmp_path / "out" / "evidence.json"), *offline).returncode == 1  # valid, not certifiable
    # ...but a request taken out of it is refused, and so is evidence without its signature
    evidence = json.loads((tmp_path / "out" / "evidence.json").read_text())
    forged_request = {"id": "x", "at": 1.0, "method": "POST", "path": "/api/proposals", "status": 200, "auth": None,
                      "body": {"channel": "WEBSITE", "coverageGroupIds": [GROUP]}, "response": {}}
    for name, doc in (("edited", {**evidence, "scope": {}}),  # out of scope is SKIPPED: a way to pass
                      ("added", {**evidence, "requests": evidence["requests"] + [forged_request]}),
                      ("unsigned", {k: v for k, v in evidence.items() if k != "signature"})):
        (tmp_path / f"{name}.json").write_text(json.dumps(doc))
        refused = cli("report", "--evidence", str(tmp_path / f"{name}.json"), "--out", str(tmp_path / name), *offline)
        assert refused.returncode == 2 and "refused" in refused.stderr and not (tmp_path / name).exists(), refused.stderr
    # an edited certificate does not verify; neither does one checked against another sandbox's keys
    (tmp_path / "forged.json").write_text(json.dumps({**cert, "certifiable": True}))
    forged = cli("verify", str(tmp_path / "forged.json"), *offline)
    assert forged.returncode == 2 and "changed after it was signed" in forged.stderr
    with live.serve() as (other, _, _proc):
        stranger = cli("verify", str(tmp_path / "out" / "certificate.json"), "--target", other)
    assert stranger.returncode == 2 and "does not hold" in stranger.stderr
    dead = cli("status", "nope", "--target", f"http://127.0.0.1:{live.free_port()}")
    assert dead.returncode == 2 and "connection refused" in dead.stderr


def test_bad_scope_and_evidence_files_are_clear_errors(tmp_path):
    from tests import live

    (tmp_path / "bad.yaml").write_text("branches: [kasko, auto]\n")
    (tmp_path / "list.yaml").write_text("- kasko\n")
    (tmp_path / "broken.json").write_text("{not json")
    with live.serve() as (base, _, _proc):
        missing = cli("start", "--partner", "X", "--scope", str(tmp_path / "nope.yaml"), "--target", base)
        unknown = cli("start", "--partner", "X", "--scope", str(tmp_path / "bad.yaml"), "--target", base)
        shape = cli("start", "--partner", "X", "--scope", str(tmp_path / "list.yaml"), "--target", base)
        broken = cli("report", "--evidence", str(tmp_path / "broken.json"), "--target", base)
        absent = cli("report", "--evidence", str(tmp_path / "nope.json"), "--target", base)
    assert missing.returncode == 2 and "--scope" in missing.stderr and "no such file" in missing.stderr
    assert unknown.returncode == 2 and "scope.branches" in unknown.stderr and "'auto'" in unknown.stderr
    assert shape.returncode == 2 and "a scope is a mapping" in shape.stderr
    assert broken.returncode == 2 and "--evidence" in broken.stderr and "not valid JSON" in broken.stderr
    assert absent.returncode == 2 and "no such file" in absent.stderr
    for done in (missing, unknown, shape, broken, absent):
        assert "Traceback" not in done.stderr


def test_steering_a_failing_insurer_and_the_evidence_timeline(sb, tmp_path):
    site = Site(sb)
    site.steer(failingInsurers=[DOGA])
    site.login()
    products = site.quote("KASKO", site.car("34KL4830"), [GROUP])
    doga = [p for p in products if p["insuranceCompanyId"] == DOGA]
    assert doga and all(p["state"] == "FAILED" for p in doga)
    evidence = sb.http.get(f"/__sandbox/certifications/{site.agent}/evidence").json()
    assert all(r["at"] < 600 for r in evidence["requests"] if r["at"] >= 0)  # seconds from the start, not epochs
    cert = certify(evidence)
    page = write(cert, evidence, tmp_path)[1].read_text()
    assert "POST /api/proposals" in page and "evidence (" in page and "+0." in page
    sb.delete_agent(site.agent)


def test_a_session_is_guarded_by_its_own_control_token_on_a_closed_plane():
    import warnings

    from mockserver.core.settings import Settings
    from mockserver.http.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    app = create_app(Settings(control_plane="closed", admin_token="admin-token-for-the-test-0000"))
    with TestClient(app) as c:
        assert c.post("/__sandbox/certifications", json={"partner": "X"}).status_code == 401
        created = c.post("/__sandbox/certifications", json={"partner": "X"},
                         headers={"X-Sandbox-Token": "admin-token-for-the-test-0000"}).json()
        sid, own = created["sessionId"], created["controlToken"]
        assert c.get(f"/__sandbox/certifications/{sid}").status_code == 401
        assert c.get(f"/__sandbox/certifications/{sid}/evidence", headers={"X-Sandbox-Token": own}).status_code == 200
        assert c.post(f"/__sandbox/certifications/{sid}/report", headers={"X-Sandbox-Token": own}).status_code == 200
        assert c.get("/.well-known/sandbox-certification-keys.json").status_code == 200  # public keys, no token
        other = c.post("/__sandbox/certifications", json={"partner": "Y"},
                       headers={"X-Sandbox-Token": "admin-token-for-the-test-0000"}).json()
        assert c.get(f"/__sandbox/certifications/{sid}", headers={"X-Sandbox-Token": other["controlToken"]}).status_code == 403
