"""Message templates (``/templates``): the texts of the messages the sandbox sends. An agency's
version is used from the next message on, checked before it is saved (its variables, the required
ones, no loops or calls), served per language, and deleted back to the default."""

from __future__ import annotations

import pytest

from tests.conftest import fresh_phone, fresh_tckn
from tests.test_admin import _user_token, invite_and_accept


@pytest.fixture
def owner(sb, agent):
    return sb.bearer(sb.service_token(agent))


def _sms(sb, agent, phone):
    return sb.http.get(f"/__sandbox/agents/{agent.id}/sms", params={"to": phone},
                       headers=sb.control_headers(agent.id)).json()[-1]


def test_the_agencys_sms_template_is_what_the_next_login_code_says(sb, agent, owner):
    listed = sb.http.get("/api/templates", headers=owner).json()
    assert {(t["key"], t["languageId"]) for t in listed} >= {("otp-sms", 1), ("otp-sms", 2), ("policy-document", 1)}
    otp = sb.http.get("/api/templates/otp-sms?languageId=1", headers=owner).json()
    assert "{{ code }}" in otp["content"] and otp["jsonSchema"]["required"] == ["code"]
    assert sb.http.get("/api/templates/otp-sms?languageId=2", headers=owner).json()["content"].startswith("Your")
    defs = {d["key"]: d for d in sb.http.get("/api/templates/definitions", headers=owner).json()}
    assert set(defs["otp-sms"]["jsonSchema"]["properties"]) == {"code", "agentName"}
    assert defs["otp-sms"]["metadata"]["channel"] == "sms"
    phone, tckn = fresh_phone(), fresh_tckn()
    sb.customer_login(agent.id, tckn, phone)
    assert _sms(sb, agent, phone)["text"].startswith("InsurUp doğrulama kodunuz: ")  # the default
    mine = {"key": "otp-sms", "languageId": 1, "name": "Kısa kod",
            "content": "{{ agentName | upper }} kodunuz: {{ code }}{% if agentName %}.{% endif %}"}
    assert sb.http.put("/api/templates/otp-sms", headers=owner, json=mine).status_code == 204
    got = sb.http.get("/api/templates/otp-sms", headers=owner).json()  # languageId 1 by default
    assert got["name"] == "Kısa kod" and got["content"] == mine["content"]
    sb.customer_login(agent.id, tckn, phone)
    sms = _sms(sb, agent, phone)
    name = sb.http.get("/api/agents/me", headers=owner).json()["name"]
    assert sms["text"] == f"{name.upper()} kodunuz: {sms['code']}."
    # deleting the agency's version brings the default back; deleting it twice says there is none
    assert sb.http.delete("/api/templates/otp-sms?languageId=1", headers=owner).status_code == 204
    assert sb.http.get("/api/templates/otp-sms", headers=owner).json()["content"] == otp["content"]
    twice = sb.http.delete("/api/templates/otp-sms?languageId=1", headers=owner)
    assert twice.status_code == 404 and twice.json()["codes"] == ["TEMPLATE_NOT_CUSTOMIZED"]


def test_the_invitation_subject_follows_the_agencys_template(sb, agent, owner):
    assert sb.http.put("/api/templates/agent-user-invite", headers=owner, json={
        "languageId": 1, "content": "Hoş geldin {{ firstName }} ({{ agentName }})"}).status_code == 204
    email = f"davet.{agent.id[:6]}@acente.test"
    assert sb.http.post("/api/agent-users/invite", headers=owner, json={
        "email": email, "firstName": "Ayşe", "lastName": "Yıldız"}).status_code == 204
    box = sb.http.get(f"/__sandbox/agents/{agent.id}/outbox", headers=sb.control_headers(agent.id)).json()
    name = sb.http.get("/api/agents/me", headers=owner).json()["name"]
    assert [m for m in box if m["to"] == email][-1]["subject"] == f"Hoş geldin Ayşe ({name})"


@pytest.mark.parametrize("body, says", [
    ({"languageId": 1, "content": "Kodunuz hazır."}, "must use code"),
    ({"languageId": 1, "content": "{{ code }} {{ password }}"}, "uses password"),
    ({"languageId": 1, "content": "{% for i in range(9999999) %}{{ code }}{% endfor %}"}, "uses For"),
    ({"languageId": 1, "content": "{{ code.__class__ }}"}, "uses Getattr"),
    ({"languageId": 1, "content": "{{ code | attr('x') }}"}, "filter attr"),
    ({"languageId": 1, "content": "{{ code "}, "not a valid template"),
    ({"languageId": 1, "content": "   "}, "must not be blank"),
    ({"languageId": 3, "content": "{{ code }}"}, "language id"),
    ({"content": "{{ code }}"}, "languageId"),
    ({"key": "policy-document", "languageId": 1, "content": "{{ code }}"}, "the path names"),
])
def test_a_template_that_could_not_be_sent_is_refused_and_says_why(sb, agent, owner, body, says):
    r = sb.http.put("/api/templates/otp-sms", headers=owner, json=body)
    assert r.status_code == 422, r.text
    assert says in r.text
    assert sb.http.get("/api/templates/otp-sms", headers=owner).json()["content"].startswith("InsurUp")


def test_unknown_keys_and_who_may_change_templates(sb, agent, owner):
    missing = sb.http.get("/api/templates/hoşgeldin-sms", headers=owner)
    assert missing.status_code == 404 and missing.json()["codes"] == ["TEMPLATE_NOT_FOUND"]
    assert "otp-sms" in missing.json()["suggestions"][0]
    role = sb.http.post("/api/agent-roles", headers=owner, json={"name": "Okur", "permissions": ["customers:read"]})
    email = f"sablon.{agent.id[:6]}@acente.test"
    invite_and_accept(sb, agent, owner, email, role_id=role.headers["location"].rsplit("/", 1)[1])
    h = sb.bearer(_user_token(sb, agent.id, email, "Parola-2026!"))
    assert sb.http.get("/api/templates", headers=h).status_code == 200
    denied = sb.http.put("/api/templates/otp-sms", headers=h, json={"languageId": 1, "content": "{{ code }}"})
    assert denied.status_code == 403 and "agency:manage" in denied.json()["detail"]
