"""Partner certification: a reference integration (a scripted web-sales site) passes every rule; a
flawed integration breaking one rule fails that rule and no other. Reports carry no card number,
CVC, token or identity number; evaluation re-made offline from the evidence says the same."""

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
from tests.conftest import fresh_phone, fresh_tckn

ROOT = Path(__file__).resolve().parents[1]
PAN, DECLINED, CVC = "4111111111111111", "4000000000000002", "739"
CALLBACK = "https://partner.example/odeme-sonuc"
GROUP = "6650f0c2a1b2c3d4e5f6c001"
DOGA, ANADOLU = 43, 7
USED_IDENTITIES: list[list[str]] = []  # what each scripted site logged in with: no report may show it


class Site:
    """A partner's web-sales site as a script: what the guide asks, unless a flaw says otherwise."""

    def __init__(self, sb, flaws: frozenset[str] = frozenset()):
        self.sb, self.http, self.flaws = sb, sb.http, flaws
        r = self.http.post("/__sandbox/certifications", json={
            "partner": "Örnek Acente", "scope": {"branches": ["KASKO", "TRAFIK"], "channels": ["WEBSITE"]},
            "coverageGroups": [{"id": GROUP, "productBranch": "KASKO", "name": "Site kasko"},
                               {"id": GROUP[:-1] + "2", "productBranch": "TRAFIK", "name": "Site trafik"}]})
        assert r.status_code == 201, r.text
        self.session = r.json()
        self.agent = self.session["agentId"]

    # -- plumbing ----------------------------------------------------------------------------------
    @property
    def h(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}

    def control(self, method: str, path: str, **kw):
        r = self.http.request(method, f"/__sandbox/agents/{self.agent}{path}", **kw)
        assert r.status_code < 300, r.text
        return r.json() if r.content else None

    def steer(self, **body) -> None:
        r = self.http.post(f"/__sandbox/certifications/{self.agent}/steer", json=body)
        assert r.status_code == 200, r.text

    def advance(self, seconds: float) -> None:
        self.steer(advanceSeconds=seconds)

    # -- the flows ---------------------------------------------------------------------------------
    def login(self) -> None:
        phone, tckn = fresh_phone(), fresh_tckn()
        USED_IDENTITIES.append([tckn])
        body = {"$type": "individual", "identityNumber": tckn, "birthDate": "1986-02-11",
                "phoneNumber": {"number": phone, "countryCode": 90}, "agentId": self.agent}
        if "never_sends_agent_id" in self.flaws:  # the first attempt forgets it
            assert self.http.post("/api/auth/customer/login-or-register",
                                  json={k: v for k, v in body.items() if k != "agentId"}).status_code == 401
        login = self.http.post("/api/auth/customer/login-or-register", json=body).json()
        code = self.control("GET", "/sms", params={"to": phone})[-1]["code"]
        tokens = self.http.post("/api/auth/customer/verify-mfa", json={"token": login["token"], "code": code}).json()
        self.access, self.refresh_token, self.customer = tokens["accessToken"], tokens["refreshToken"], login["customerId"]

    def refresh(self) -> None:
        old = self.refresh_token
        r = self.http.post("/api/auth/customer/refresh", json={"refreshToken": old})
        assert r.status_code == 200, r.text
        self.access, self.refresh_token = r.json()["accessToken"], r.json()["refreshToken"]
        if "reuses_the_refresh_token" in self.flaws:
            assert self.http.post("/api/auth/customer/refresh", json={"refreshToken": old}).status_code == 401

    def open_case(self, branch: str) -> None:
        query = ("query($c: UUID) { cases(where: {customerId: {eq: $c}, status: {eq: OPEN}, type: {eq: SALE_OPPORTUNITY},"
                 f" productBranch: {{eq: {branch}}}}}) {{ totalCount }} }}")
        found = 0
        if "skips_the_case_check" not in self.flaws:
            found = self.sb.graphql(self.access, query, {"c": self.customer})["data"]["cases"]["totalCount"]
        if not found:
            body = {"customerId": self.customer, "productBranch": branch, "channel": "WEBSITE"}
            assert self.http.post("/api/cases:new-sale-opportunity", headers=self.h, json=body).status_code == 200
            if "creates_the_case_twice" in self.flaws:
                self.http.post("/api/cases:new-sale-opportunity", headers=self.h, json=body)

    def car(self, plate: str) -> str:
        r = self.http.post(f"/api/customers/{self.customer}/vehicles", headers=self.h, json={
            "plate": plate, "documentSerialCode": "AB", "documentSerialNumber": "123456", "brandCode": "RENAULT",
            "modelCode": "CLIO", "year": 2020})
        assert r.status_code == 200, r.text
        return r.json()["id"]

    def quote(self, branch: str, vehicle: str, groups: list[str]) -> list[dict]:
        body = {"$type": branch.lower(), "insurerCustomerId": self.customer, "vehicleId": vehicle,
                "coverageGroupIds": groups, "channel": "WEBSITE"}
        if "sends_no_channel" in self.flaws:
            body.pop("channel")
        pid = self.http.post("/api/proposals", headers=self.h, json=body).json()["proposalId"]
        self.control("POST", f"/proposals/{pid}/settle")
        reads = 8 if "polls_every_100ms" in self.flaws else 1
        for _ in range(reads):
            proposal = self.http.get(f"/api/proposals/{pid}", headers=self.h).json()
        self.pid = pid
        return proposal["products"]

    def pay(self, product: dict, number: str | None, kind: str = "3d-secure") -> dict[str, str]:
        if "buys_sync_from_the_browser" in self.flaws and not getattr(self, "_tried_sync", False):
            self._tried_sync = True
            self.http.post(f"/api/proposals/{self.pid}/products/{product['id']}/purchase/sync", headers=self.h,
                           json={"$type": "credit-card", "installmentNumber": 1})
        body = {"$type": kind, "installmentNumber": 1, "callbackUrl": CALLBACK}
        if number:
            body["card"] = {"number": number, "cvc": CVC, "expiryMonth": "12", "expiryYear": "2030",
                            "holderName": "AYŞE KAYA"}
        r = self.http.post(f"/api/proposals/{self.pid}/products/{product['id']}/purchase/async", headers=self.h, json=body)
        assert r.status_code == 200, r.text
        form = {"action": "confirm", "code": "123456"}
        if kind == "insurance-company-redirect":
            form |= {"number": PAN, "cvc": CVC, "expiryMonth": "12", "expiryYear": "2030", "holderName": "AYŞE KAYA"}
        page = self.http.post(r.json()["redirectUrl"], data=form, follow_redirects=False)
        assert page.status_code == 303, page.text
        result = {k: v[0] for k, v in parse_qs(urlsplit(page.headers["location"]).query).items()}
        if "trusts_the_callback" not in self.flaws:
            state = self.http.get(f"/api/proposals/{self.pid}/products/{product['id']}", headers=self.h).json()["state"]
            result["verified"] = state
        return result

    def show_policy(self, result: dict[str, str]) -> None:
        """Show the sale as done when the API says so (a flawed site: when the callback says so)."""
        believed = result.get("success") == "true" and ("believes_the_lie" in self.flaws or "verified" not in result)
        if result.get("verified") == "PURCHASED" or believed:
            policy_id = result.get("policyId") or "unknown"
            self.http.get(f"/api/policies/{policy_id}", headers=self.h)
            self.http.get(f"/api/policies/{policy_id}/document", headers=self.h)

    def run(self) -> None:
        self.login()
        # kasko by 3-D Secure, a declined card first
        self.open_case("KASKO")
        products = self.quote("KASKO", self.car("34KL4821"), [GROUP])
        doga = next(p for p in products if p["insuranceCompanyId"] == DOGA and p["productType"] == "WEB_SERVICE")
        self.show_policy(self.pay(doga, DECLINED))
        self.show_policy(self.pay(doga, PAN))
        # trafik on the insurer's page
        self.open_case("TRAFIK")
        products = self.quote("TRAFIK", self.car("06KL4822"), [GROUP[:-1] + "2"])
        anadolu = next(p for p in products if p["insuranceCompanyId"] == ANADOLU and p["productType"] == "WEB_SERVICE"
                       and p["state"] == "ACTIVE")
        self.show_policy(self.pay(anadolu, None, "insurance-company-redirect"))
        # a quote that fails (every product, once) and is retried
        products = self.quote("KASKO", self.car("35KL4823"), ["fa1100000000000000000000"])
        failed = next(p for p in products if p["state"] == "FAILED" and p["productType"] == "WEB_SERVICE"
                      and p["insuranceCompanyId"] == DOGA)
        assert self.http.post(f"/api/proposals/{self.pid}/products/{failed['id']}/retry", headers=self.h).status_code == 204
        self.control("POST", f"/proposals/{self.pid}/settle")
        # the lying callback: it will say success for a declined card
        self.steer(lyingCallbacks=1)
        lie = self.pay(failed, DECLINED)
        assert lie["success"] == "true"
        self.show_policy(lie)
        # a long session: refreshed before each expiry (or not)
        self.advance(300 if "calls_with_an_expired_token" not in self.flaws else 700)
        if "calls_with_an_expired_token" in self.flaws:
            assert self.http.get("/api/customers/me", headers=self.h).status_code == 401
        self.refresh()
        self.advance(500)
        self.refresh()
        self.advance(400)
        self.refresh()
        assert self.http.get("/api/customers/me", headers=self.h).status_code == 200


def results(sb, flaws=frozenset()) -> dict[str, str]:
    site = Site(sb, frozenset(flaws))
    site.run()
    evidence = sb.http.get(f"/__sandbox/certifications/{site.agent}/evidence").json()
    cert = certify(evidence)
    sb.delete_agent(site.agent)
    return {r.rule: r.result for r in cert.results}, cert, evidence


def test_the_reference_integration_passes_every_rule(sb, tmp_path):
    got, cert, evidence = results(sb)
    evidence_identities = USED_IDENTITIES[-1]
    assert all(v == "PASSED" for v in got.values()), {k: v for k, v in got.items() if v != "PASSED"}
    assert cert.certifiable and {m.id for m in cert.modules if m.seen} == {m.id for m in cert.modules}
    assert len(got) == len(RULES) >= 19
    # the outputs carry no card number, CVC, token or identity number
    paths = write(cert, evidence, tmp_path)
    for path in paths:
        text = path.read_text()
        assert PAN not in text and DECLINED not in text and not re.search(r"\bcvc\W+739", text)
        assert "eyJ" not in text and not any(n in text for n in evidence_identities)
    # re-made offline from the saved evidence: the same verdict (the CLI does it too)
    done = subprocess.run([sys.executable, "-m", "mockserver.cli", "certify", "report", "--evidence", str(paths[3]),
                           "--out", str(tmp_path / "again")], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    again = json.loads((tmp_path / "again" / "certificate.json").read_text())
    assert again["results"] == json.loads(paths[0].read_text())["results"] and again["certifiable"]


FLAWS = {
    "never_sends_agent_id": "INS-AUTH-001",
    "creates_the_case_twice": "INS-CASE-002",
    "skips_the_case_check": "INS-CASE-001",
    "trusts_the_callback": "INS-PAY-003",
    "believes_the_lie": "INS-PAY-003",
    "reuses_the_refresh_token": "INS-TOK-003",
    "calls_with_an_expired_token": "INS-TOK-001",
    "polls_every_100ms": "INS-PROP-003",
    "buys_sync_from_the_browser": "INS-PAY-001",
    "sends_no_channel": "INS-PROP-001",
}


@pytest.mark.parametrize("flaw", list(FLAWS))
def test_a_flawed_integration_fails_exactly_its_rule(sb, flaw):
    got, cert, _ = results(sb, {flaw})
    broken = {k: v for k, v in got.items() if v != "PASSED"}
    assert set(broken) == {FLAWS[flaw]}, broken
    assert broken[FLAWS[flaw]] in ("FAILED", "WARNING")
    severity = next(r.severity for r in RULES if r.id == FLAWS[flaw])
    assert cert.certifiable == (severity == "warning")


def test_modules_never_driven_are_not_exercised_and_out_of_scope_ones_skipped(sb):
    r = sb.http.post("/__sandbox/certifications", json={"partner": "Kasko only", "scope": {"branches": ["KASKO"]}})
    agent = r.json()["agentId"]
    assert [m["seen"] for m in r.json()["modules"]] == [False] * 6
    cert = certify(sb.http.get(f"/__sandbox/certifications/{agent}/evidence").json())
    by = {x.rule: x.result for x in cert.results}
    assert not cert.certifiable and "PASSED" not in {by["INS-AUTH-001"], by["INS-CASE-001"], by["INS-PAY-003"]}
    assert by["INS-AUTH-001"] == "NOT_EXERCISED" and by["INS-PAY-003"] == "NOT_EXERCISED"
    sb.delete_agent(agent)
    assert sb.http.get(f"/__sandbox/certifications/{sb.new_agent().id}").json()["codes"] == ["CERTIFICATION_NOT_FOUND"]


def test_the_certify_commands_against_a_served_sandbox(tmp_path):
    from tests import live

    scope = tmp_path / "partner.yaml"
    scope.write_text("branches: [KASKO]\npaymentTypes: [ASYNC_3D_SECURE]\n"
                     "coverageGroups: [{id: 6650f0c2a1b2c3d4e5f6d001, productBranch: KASKO}]\n")

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "mockserver.cli", "certify", *args], capture_output=True,
                              text=True, timeout=120, cwd=ROOT)

    with live.serve() as (base, _, _proc):
        started = cli("start", "--partner", "Örnek Acente", "--scope", str(scope), "--target", base)
        assert started.returncode == 0, started.stderr
        session = re.search(r"^session (\S+)", started.stdout, re.M).group(1)
        assert "pending  kasko-3d-secure" in started.stdout and f"agentId {session}" in started.stdout
        steered = cli("steer", session, "--lying-callback", "1", "--target", base)
        assert steered.returncode == 0 and "pending  lying-callback" in steered.stdout
        report = cli("report", session, "--out", str(tmp_path / "out"), "--target", base)
    assert report.returncode == 1 and "not certifiable" in report.stdout  # nothing was driven
    assert "SKIPPED       INS-" not in report.stdout or "outside the declared scope" in report.stdout
    cert = json.loads((tmp_path / "out" / "certificate.json").read_text())
    assert cert["partner"] == "Örnek Acente" and cert["scope"]["branches"] == ["KASKO"]
    skipped = {r["rule"]: r["message"] for r in cert["results"] if r["result"] == "SKIPPED"}
    assert list(skipped) == ["INS-FLOW-002"] and "outside the declared scope" in skipped["INS-FLOW-002"]
    assert (tmp_path / "out" / "certification.html").read_text().count("NOT_EXERCISED") >= 3
    dead = cli("status", "nope", "--target", f"http://127.0.0.1:{live.free_port()}")
    assert dead.returncode == 2 and "connection refused" in dead.stderr


def test_steering_a_failing_insurer_and_the_evidence_timeline(sb, tmp_path):
    site = Site(sb)
    site.steer(failingInsurers=[DOGA])
    site.login()
    products = site.quote("KASKO", site.car("34KL4830"), [GROUP])
    doga = [p for p in products if p["insuranceCompanyId"] == DOGA]
    assert doga and all(p["state"] == "FAILED" for p in doga)
    evidence = sb.http.get(f"/__sandbox/certifications/{site.agent}/evidence").json()
    cert = certify(evidence)
    page = write(cert, evidence, tmp_path)[1].read_text()
    assert "POST /api/proposals" in page and "evidence (" in page
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
        other = c.post("/__sandbox/certifications", json={"partner": "Y"},
                       headers={"X-Sandbox-Token": "admin-token-for-the-test-0000"}).json()
        assert c.get(f"/__sandbox/certifications/{sid}", headers={"X-Sandbox-Token": other["controlToken"]}).status_code == 403
