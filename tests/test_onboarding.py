"""Agency onboarding (``agent-setup-requests``): InsurUp's administrator (the control plane) makes a
setup code, the new agency enters it and completes it with its profile and first user, and gets a
tenant of its own: its owner logs in, its insurers are the ones it gave. A code serves once."""

from __future__ import annotations

import pytest

from mockserver.domain import onboarding
from mockserver.validators.turkish import make_vkn

TURKIYE = {"type": "WEB_SERVICE", "insuranceCompanyId": 96,
           "branches": [{"productBranch": "KASKO", "productIds": []}, {"productBranch": "TRAFIK", "productIds": []}],
           "connectionFields": {"username": "u", "password": "ws-gizli-1", "salesSourceCode": "S1",
                                "customerServiceUrl": "https://ws.turkiyesigorta.test/svc", "userIp": "10.1.2.3"}}


def _code(sb, label="Kadıköy açılışı", **extra) -> dict:
    r = sb.http.post("/__sandbox/agent-setup-requests", json={"label": label, **extra}, headers=sb.control_headers())
    assert r.status_code == 201, r.text
    return r.json()


def _body(code, email, **agent):
    return {"code": code,
            "agent": {"name": "Moda Sigorta Aracılık", "plateNo": None, "taxNumber": make_vkn("123456789"),
                      "phoneNumber": {"number": "2163334455", "countryCode": 90}, "robotMode": "NONE",
                      "companies": [TURKIYE], **agent},
            "agentUser": {"firstName": "Selin", "lastName": "Demir", "email": email, "password": "Kurulum-2026"}}


def test_a_new_agency_enters_its_code_completes_it_and_its_owner_logs_in(sb):
    made = _code(sb)
    assert made["status"] == "PENDING" and made["code"].startswith("KURULUM-")
    entered = sb.http.post("/api/agent-setup-requests/enter", json={"code": made["code"]})
    assert entered.status_code == 200 and entered.json() == {"label": "Kadıköy açılışı"}
    email = f"selin.{made['id'][:6]}@moda.test"
    done = sb.http.post("/api/agent-setup-requests/complete", json=_body(made["code"], email))
    assert done.status_code == 204, done.text
    agent_id = done.headers["x-sandbox-agent-id"]
    login = sb.http.post("/api/authentication:agent-user/login", json={"email": email, "password": "Kurulum-2026"})
    assert login.status_code == 200, login.text
    h = sb.bearer(login.json()["accessToken"])
    me = sb.http.get("/api/agents/me", headers=h).json()
    assert me["id"] == agent_id and me["name"] == "Moda Sigorta Aracılık"
    assert me["taxNumber"] == make_vkn("123456789") and me["phoneNumber"] == {"number": "2163334455", "countryCode": 90}
    user = sb.http.get("/api/agent-users/me", headers=h).json()
    assert (user["firstName"], user["lastName"], user["email"]) == ("Selin", "Demir", email)
    (conn,) = sb.http.get("/api/agents/me/insurance-companies", headers=h).json()  # only the company it gave
    assert conn["insuranceCompanyId"] == 96 and conn["branches"] == ["KASKO", "TRAFIK"]
    # the code served once; the control plane shows what it made
    again = sb.http.post("/api/agent-setup-requests/enter", json={"code": made["code"]})
    assert again.status_code == 409 and again.json()["codes"] == ["AGENT_SETUP_REQUEST_COMPLETED"]
    listed = {r["id"]: r for r in sb.http.get("/__sandbox/agent-setup-requests", headers=sb.control_headers()).json()}
    assert listed[made["id"]]["status"] == "COMPLETED" and listed[made["id"]]["agentId"] == agent_id
    # the secrets it was told are not in the journal
    journal = sb.http.get("/__sandbox/journal", headers=sb.control_headers()).text
    assert "Kurulum-2026" not in journal and "ws-gizli-1" not in journal


def test_a_bad_profile_names_every_field_and_makes_no_agency(sb):
    made = _code(sb)
    before = len(sb.http.get("/__sandbox/agents", headers=sb.control_headers()).json())
    bad = _body(made["code"], "not-an-email", taxNumber="1234567891", robotMode="UÇAN")
    bad["agentUser"].update(password="kısa", lastName="")
    r = sb.http.post("/api/agent-setup-requests/complete", json=bad)
    assert r.status_code == 422 and r.json()["codes"] == ["AGENT_SETUP_INVALID"]
    assert {e["propertyName"] for e in r.json()["validationErrors"]} == {
        "agent.taxNumber", "agent.robotMode", "agentUser.email", "agentUser.password", "agentUser.lastName"}
    # an insurer connection that fails rolls the new agency back, naming the company
    wrong = _body(made["code"], "ok@moda.test", companies=[{**TURKIYE, "connectionFields": {"username": "u"}}])
    r = sb.http.post("/api/agent-setup-requests/complete", json=wrong)
    assert r.status_code == 422 and r.json()["codes"] == ["AGENT_SETUP_COMPANIES_INVALID"]
    assert all(e["propertyName"].startswith("agent.companies[0].") for e in r.json()["validationErrors"])
    assert len(sb.http.get("/__sandbox/agents", headers=sb.control_headers()).json()) == before
    assert sb.http.post("/api/agent-setup-requests/enter", json={"code": made["code"]}).status_code == 200  # still open


def test_unknown_disabled_and_expired_codes(sb, monkeypatch):
    unknown = sb.http.post("/api/agent-setup-requests/enter", json={"code": "KURULUM-YOK"})
    assert unknown.status_code == 404 and unknown.json()["codes"] == ["AGENT_SETUP_REQUEST_NOT_FOUND"]
    assert sb.http.post("/api/agent-setup-requests/enter", json={}).status_code == 422
    made = _code(sb, validDays=1)
    assert sb.http.post(f"/__sandbox/agent-setup-requests/{made['id']}/disable",
                        headers=sb.control_headers()).status_code == 204
    off = sb.http.post("/api/agent-setup-requests/enter", json={"code": made["code"]})
    assert off.status_code == 409 and off.json()["codes"] == ["AGENT_SETUP_REQUEST_DISABLED"]
    later = _code(sb, validDays=1)
    real = onboarding.wall
    monkeypatch.setattr(onboarding, "wall", lambda: real() + 2 * 86400)
    late = sb.http.post("/api/agent-setup-requests/enter", json={"code": later["code"].lower()})
    assert late.status_code == 409 and late.json()["codes"] == ["AGENT_SETUP_REQUEST_EXPIRED"]


@pytest.mark.parametrize("body", [{"label": ""}, {"label": "x", "validDays": 0}])
def test_a_setup_request_needs_a_label_and_a_sane_lifetime(sb, body):
    r = sb.http.post("/__sandbox/agent-setup-requests", json=body, headers=sb.control_headers())
    assert r.status_code == 422, r.text


def test_a_code_made_before_a_restart_completes_after_it(tmp_path):
    from tests.test_store import across_restart

    def after(c, sb, made):
        done = c.post("/api/agent-setup-requests/complete", json=_body(made["code"], "kalici@moda.test"))
        assert done.status_code == 204, done.text
        assert c.post("/api/authentication:agent-user/login",
                      json={"email": "kalici@moda.test", "password": "Kurulum-2026"}).status_code == 200

    across_restart(tmp_path, lambda c, sb: _code(sb), after)
