"""The agency's settings (``GET|PUT agents/me``, the SDK's shapes) and what they do to cases: priority
rules score the cases they match (GraphQL ``priorityScore`` and ``priorityRuleHits``, and ordering by
it), ``cases/priority-templates`` offers rule sets to copy, and the representative assignment mode
gives new cases a representative."""

from __future__ import annotations

import pytest

from tests.conftest import fresh_phone, fresh_tckn
from tests.test_admin import invite_and_accept

GQL = """query($first: Int, $order: [QueryCaseModelSortInput!]) {
  casesNew(first: $first, order: $order) {
    nodes { ref priorityScore priorityRuleHits { ruleName score label description } representedById }
  }
}"""


@pytest.fixture
def owner(sb, agent):
    return sb.bearer(sb.service_token(agent))


def _customer(sb, h) -> str:
    r = sb.http.post("/api/customers", headers=h, json={
        "$type": "individual", "identityNumber": fresh_tckn(), "fullName": "Öncelik Müşterisi",
        "primaryPhoneNumber": {"number": fresh_phone(), "countryCode": 90}})
    assert r.status_code == 200, r.text
    return r.json()["id"]


def _case(sb, h, cid, verb="new-sale-opportunity", **body) -> str:
    r = sb.http.post(f"/api/cases:{verb}", headers=h, json={"customerId": cid, **body})
    assert r.status_code == 200, r.text
    return sb.http.get(f"/api/cases/{r.json()['id']}", headers=h).json()["ref"]


def test_the_agency_settings_round_trip_in_the_sdks_shape(sb, agent, owner):
    me = sb.http.get("/api/agents/me", headers=owner).json()
    assert me["robotMode"] == "NONE" and me["casePriorityRuleDefinitions"] == [] and me["smsOptions"] is None
    assert me["taxNumber"].isdigit() and len(me["taxNumber"]) == 10
    body = {"name": "Kadıköy Sigorta", "phoneNumber": {"number": "2165550000", "countryCode": 90},
            "email": "Merkez@Acente.test", "robotMode": "SERVER",
            "smsOptions": {"implementation": "Verimor", "username": "acente", "password": "gizli-sms", "sourceAddr": "ACENTE"},
            "callCenterOptions": {"implementation": "None", "tenant": "acente"},
            "caseRepresentativeAssignmentMode": "ROUND_ROBIN", "caseRepresentativeAssignmentAllowedRoles": [],
            "casePriorityRuleDefinitions": [{"name": "Kasko", "score": 10, "branches": ["kasko"]}]}
    assert sb.http.put("/api/agents/me", headers=owner, json=body).status_code == 204
    me = sb.http.get("/api/agents/me", headers=owner).json()
    assert me["name"] == "Kadıköy Sigorta" and me["email"] == "merkez@acente.test" and me["robotMode"] == "SERVER"
    assert me["phoneNumber"] == {"number": "2165550000", "countryCode": 90}
    assert me["smsOptions"]["implementation"] == "Verimor" and me["caseRepresentativeAssignmentMode"] == "ROUND_ROBIN"
    (rule,) = me["casePriorityRuleDefinitions"]
    assert rule["branches"] == ["KASKO"] and rule["score"] == 10 and rule["channels"] == [] and rule["arguments"] == {}
    # a partial update changes what it sends, and nothing else
    assert sb.http.put("/api/agents/me", headers=owner, json={"robotMode": "DESKTOP"}).status_code == 204
    again = sb.http.get("/api/agents/me", headers=owner).json()
    assert again["robotMode"] == "DESKTOP" and again["casePriorityRuleDefinitions"] == me["casePriorityRuleDefinitions"]
    # the SMS password is not written to the journal
    journal = sb.http.get(f"/__sandbox/agents/{agent.id}/journal").text
    assert "gizli-sms" not in journal


def test_a_bad_setting_is_named_field_by_field(sb, agent, owner):
    r = sb.http.put("/api/agents/me", headers=owner, json={
        "robotMode": "ROBOTLU", "smsOptions": {"implementation": "Verimor"},
        "caseRepresentativeAssignmentAllowedRoles": ["Yok böyle rol"],
        "casePriorityRuleDefinitions": [{"name": "x", "score": 1, "caseTypes": ["DAVA"],
                                         "arguments": {"müşteriYaşı": 3, "openForMoreThanDays": 2}}]})
    assert r.status_code == 422 and r.json()["codes"] == ["AGENT_INVALID"]
    fields = {e["propertyName"] for e in r.json()["validationErrors"]}
    assert fields == {"robotMode", "smsOptions.username", "smsOptions.password", "smsOptions.sourceAddr",
                      "caseRepresentativeAssignmentAllowedRoles[0]", "casePriorityRuleDefinitions[0].caseTypes[0]",
                      "casePriorityRuleDefinitions[0].arguments.müşteriYaşı"}
    assert sb.http.get("/api/agents/me", headers=owner).json()["robotMode"] == "NONE"  # nothing was applied
    typed = sb.http.put("/api/agents/me", headers=owner, json={"casePriorityRuleDefinitions": [
        {"name": "x", "score": 1, "arguments": {"withAsset": "evet"}}]})  # the schema says what type it is
    assert typed.status_code == 422 and typed.headers["x-sandbox-rejected-by"] == "schema"
    assert typed.json()["validationErrors"][0]["propertyName"] == "casePriorityRuleDefinitions[0].arguments.withAsset"


def test_priority_rules_score_the_cases_they_match_and_order_the_list(sb, agent, owner):
    cid = _customer(sb, owner)
    complaint = _case(sb, owner, cid, "complaint", productBranch="KASKO", subType="FRAUD", channel="CALL_CENTER")
    web_sale = _case(sb, owner, cid, productBranch="TRAFIK", channel="WEBSITE")
    plain = _case(sb, owner, cid, "endorsement", productBranch="DASK", subType="OTHER")
    templates = sb.http.get("/api/cases/priority-templates", headers=owner).json()["templates"]
    chosen = next(t for t in templates if t["id"] == "complaints-first")
    rules = chosen["rules"] + [{"name": "Web", "score": 7.5, "channels": ["WEBSITE"],
                                "arguments": {"withoutProposal": True}},
                               {"name": "Eski fırsat", "score": 3, "arguments": {"openForMoreThanDays": 2}}]
    assert sb.http.put("/api/agents/me", headers=owner, json={"casePriorityRuleDefinitions": rules}).status_code == 204
    token = sb.service_token(agent)
    nodes = sb.graphql(token, GQL, {"first": 10, "order": [{"priorityScore": "DESC"}]})["data"]["casesNew"]["nodes"]
    by_ref = {n["ref"]: n for n in nodes}
    assert [n["ref"] for n in nodes] == [complaint, web_sale, plain]
    assert by_ref[complaint]["priorityScore"] == 100.0  # Şikayet 40 + Dolandırıcılık veya hasar 60
    assert {h["ruleName"] for h in by_ref[complaint]["priorityRuleHits"]} == {"Şikayet", "Dolandırıcılık veya hasar"}
    assert by_ref[web_sale]["priorityRuleHits"] == [{"ruleName": "Web", "score": 7.5, "label": "Web",
                                                     "description": "WEBSITE; no proposal yet"}]
    assert by_ref[plain]["priorityScore"] == 0.0 and by_ref[plain]["priorityRuleHits"] == []
    # the age rule binds once the agent's clock has moved on: every open case gets its 3 points
    sb.advance(agent.id, 3 * 86400)
    nodes = sb.graphql(sb.service_token(agent), GQL, {"first": 10})["data"]["casesNew"]["nodes"]
    assert {n["ref"]: n["priorityScore"] for n in nodes}[plain] == 3.0


def test_new_cases_go_to_representatives_in_turn_by_the_agencys_mode(sb, agent, owner):
    role = sb.http.post("/api/agent-roles", headers=owner, json={"name": "Satış", "permissions": ["cases:read"]})
    role_id = role.headers["location"].rsplit("/", 1)[1]
    emails = [f"satis{i}.{agent.id[:6]}@acente.test" for i in range(2)]
    for email in emails:
        invite_and_accept(sb, agent, owner, email, role_id=role_id)
    invite = sb.http.post("/api/agent-users/invite", headers=owner, json={  # pending: never gets a case
        "email": f"bekleyen.{agent.id[:6]}@acente.test", "firstName": "Bekleyen", "lastName": "Kişi", "roleId": role_id})
    assert invite.status_code == 204
    cid = _customer(sb, owner)
    before = _case(sb, owner, cid, productBranch="KASKO")
    assert sb.http.put("/api/agents/me", headers=owner, json={
        "caseRepresentativeAssignmentMode": "ROUND_ROBIN",
        "caseRepresentativeAssignmentAllowedRoles": ["Satış"]}).status_code == 204
    refs = [_case(sb, owner, cid, productBranch="KASKO") for _ in range(4)]
    reps = [sb.http.get(f"/api/cases/{r}", headers=owner).json()["representedBy"] for r in refs]
    assert [r["email"] for r in reps] == [emails[0], emails[1], emails[0], emails[1]]
    assert sb.http.get(f"/api/cases/{before}", headers=owner).json().get("representedBy") is None  # (left out: the SDK's optional field)
    activities = sb.http.get(f"/api/cases/{refs[0]}/activities", headers=owner).json()
    assigned = [a for a in activities if a["type"] == "REPRESENTATIVE_CHANGED"]
    assert assigned[0]["data"]["assignmentMode"] == "ROUND_ROBIN" and assigned[0]["data"]["representedBy"] == reps[0]
    # BRANCH_IMPORTANCE_BALANCE: the next case goes to the one whose open cases weigh least
    closed = sb.http.put(f"/api/cases/{refs[1]}/state", headers=owner,
                         json={"mainState": "FAIL", "subState": "FAIL_NO_RESPONSE"})
    assert closed.status_code == 204, closed.text
    sb.http.put("/api/agents/me", headers=owner, json={"caseRepresentativeAssignmentMode": "BRANCH_IMPORTANCE_BALANCE"})
    balanced = _case(sb, owner, cid, productBranch="KASKO")  # the second user holds one open case, the first two
    assert sb.http.get(f"/api/cases/{balanced}", headers=owner).json()["representedBy"]["email"] == emails[1]
    # a role with no active user leaves new cases unassigned
    sb.http.post("/api/agent-roles", headers=owner, json={"name": "Boş", "permissions": ["cases:read"]})
    sb.http.put("/api/agents/me", headers=owner, json={"caseRepresentativeAssignmentMode": "RANDOM",
                                                       "caseRepresentativeAssignmentAllowedRoles": ["Boş"]})
    assert sb.http.get(f"/api/cases/{_case(sb, owner, cid, productBranch='KASKO')}",
                       headers=owner).json().get("representedBy") is None
