"""Cases over REST: creation verbs, validation, state model, notes and setters, customer scope,
duplicates, events, and the automatic lifecycle on the agent's clock."""

from __future__ import annotations

import functools

import pytest

from mockserver.domain import cases
from tests.conftest import fresh_phone, fresh_tckn

DAY = 86400


@pytest.fixture
def staff(sb, agent):
    """An agent's service token and one customer."""
    token = sb.service_token(agent)
    r = sb.http.post("/api/customers", headers=sb.bearer(token),
                     json={"$type": "individual", "identityNumber": fresh_tckn(), "fullName": "Deniz Aydın",
                           "cityReference": "34"})
    assert r.status_code == 200, r.text
    return token, r.json()["id"]


def open_case(sb, token, customer_id, verb="new-sale-opportunity", **body):
    r = sb.http.post(f"/api/cases:{verb}", headers=sb.bearer(token), json={"customerId": customer_id, **body})
    assert r.status_code == 200, r.text
    return r.json()["id"]


def fresh_headers(sb, agent):
    """Service tokens live an hour on the agent's clock: take a fresh one after each jump."""
    return sb.bearer(sb.service_token(agent))


def events(sb, agent, name):
    r = sb.http.get(f"/__sandbox/agents/{agent.id}/events", params={"event": name})
    return [e["payload"] for e in r.json()]


def test_every_creation_verb_answers_an_id_and_a_typed_ref(sb, agent, staff):
    token, cid = staff
    expected = {"new-sale-opportunity": ("SALE_OPPORTUNITY", "SF", "saleOpportunitySubType", "NEW_SALE"),
                "cross-sale-opportunity": ("SALE_OPPORTUNITY", "SF", "saleOpportunitySubType", "CROSS_SALE"),
                "cancel": ("CANCEL", "IP", "cancelSubType", "MEB_CANCELLATION"),
                "endorsement": ("ENDORSEMENT", "ZY", "endorsementSubType", "LICENSE_PLATE_CHANGE"),
                "complaint": ("COMPLAINT", "SK", "complaintSubType", "FRAUD")}
    for verb, (ctype, prefix, sub_field, sub) in expected.items():
        extra = {"productBranch": "KASKO", "channel": "CALL_CENTER"}
        if ctype != "SALE_OPPORTUNITY":
            extra["subType"] = sub
        case_id = open_case(sb, token, cid, verb, **extra)
        assert len(case_id) == 24 and int(case_id, 16) >= 0  # ObjectId
        body = sb.http.get(f"/cases/{case_id}", headers=sb.bearer(token)).json()
        assert body["type"] == ctype and body["ref"].startswith(f"{prefix}-") and body[sub_field] == sub
        assert (body["status"], body["mainState"], body["subState"]) == ("OPEN", "OPEN", "OPEN_INITIAL")
        by_ref = sb.http.get(f"/api/cases/{body['ref']}", headers=sb.bearer(token))
        assert by_ref.status_code == 200 and by_ref.json()["id"] == case_id
    created = events(sb, agent, "case.created")
    assert len(created) == 5
    assert set(created[0]) == {"$event", "caseId", "caseRef", "caseType", "customerId", "productBranch"}
    assert created[0]["customerId"] == cid and created[0]["productBranch"] == "KASKO"


def test_the_real_site_body_and_channel_spellings(sb, staff):
    token, cid = staff
    case_id = open_case(sb, token, cid, productBranch="KASKO", channel="WEBSITE", assetType=None, assetId=None)
    assert sb.http.get(f"/cases/{case_id}", headers=sb.bearer(token)).json()["channel"] == "WEBSITE"
    mobile = open_case(sb, token, cid, productBranch="traffic", channel="MOBILE")
    body = sb.http.get(f"/cases/{mobile}", headers=sb.bearer(token)).json()
    assert (body["productBranch"], body["channel"]) == ("TRAFIK", "MOBILE_APP")
    lead = open_case(sb, token, cid, productBranch="OZEL_SAGLIK", channel="OFFLINE_PROPOSAL_FORM",
                     customerAssetReference=None)
    assert sb.http.get(f"/cases/{lead}", headers=sb.bearer(token)).json()["productBranch"] == "OZEL_SAGLIK"


@pytest.mark.parametrize("body, field, status", [
    ({"productBranch": "KASKO"}, "customerId", 422),
    ({"customerId": 12, "productBranch": "KASKO"}, "customerId", 422),
    ({"customerId": "$CID"}, "productBranch", 422),
    ({"customerId": "$CID", "productBranch": "UÇAK"}, "productBranch", 422),
    ({"customerId": "$CID", "productBranch": "KASKO", "channel": "PIGEON"}, "channel", 422),
    ({"customerId": "$CID", "productBranch": "KASKO", "assetId": "nope"}, "assetId", 422),
    ({"customerId": "$CID", "productBranch": "KASKO", "assetType": "VEHICLE"}, "assetId", 422),
    ({"customerId": "$CID", "productBranch": "KASKO", "sourceCaseId": "SF-1999-000001"}, "sourceCaseId", 422),
])
def test_creation_errors_name_the_field(sb, staff, body, field, status):
    token, cid = staff
    body = {k: (cid if v == "$CID" else v) for k, v in body.items()}
    r = sb.http.post("/api/cases:new-sale-opportunity", headers=sb.bearer(token), json=body)
    assert r.status_code == status, r.text
    assert field in [e["propertyName"] for e in r.json()["validationErrors"]]


def test_unknown_customer_is_404_and_bad_subtype_is_422(sb, staff):
    token, _ = staff
    r = sb.http.post("/api/cases:new-sale-opportunity", headers=sb.bearer(token),
                     json={"customerId": "00000000-0000-4000-8000-000000000000", "productBranch": "KASKO"})
    assert r.status_code == 404 and r.json()["codes"] == ["CUSTOMER_NOT_FOUND"]
    r = sb.http.post("/api/cases:cancel", headers=sb.bearer(token), json={"customerId": staff[1], "subType": "WHIM"})
    assert r.status_code == 422 and r.json()["validationErrors"][0]["propertyName"] == "subType"


def test_asset_must_belong_to_the_customer_and_its_type_is_inferred(sb, staff):
    token, cid = staff
    v = sb.http.post(f"/api/customers/{cid}/vehicles", headers=sb.bearer(token),
                     json={"plate": "34KL123", "documentSerialCode": "A", "documentSerialNumber": "1234567",
                           "brandCode": "RENAULT", "modelCode": "CLIO", "year": 2019})
    assert v.status_code == 200, v.text
    vid = v.json()["id"]
    case_id = open_case(sb, token, cid, productBranch="KASKO", assetId=vid)
    assert sb.http.get(f"/cases/{case_id}", headers=sb.bearer(token)).json()["assetType"] == "VEHICLE"
    r = sb.http.post("/api/cases:new-sale-opportunity", headers=sb.bearer(token),
                     json={"customerId": cid, "productBranch": "KASKO", "assetId": vid, "assetType": "PROPERTY"})
    assert r.status_code == 422 and r.json()["validationErrors"][0]["propertyName"] == "assetType"


def test_state_changes_are_validated_against_main_state_and_case_type(sb, agent, staff):
    token, cid = staff
    ref = sb.http.get(f"/cases/{open_case(sb, token, cid, productBranch='KASKO')}", headers=sb.bearer(token)).json()["ref"]
    put = lambda body: sb.http.put(f"/api/cases/{ref}/state", headers=sb.bearer(token), json=body)  # noqa: E731
    wrong_group = put({"mainState": "OPEN", "subState": "SUCCESS_COMPLETED"})
    assert wrong_group.status_code == 422 and "not a sub-state of OPEN" in wrong_group.json()["detail"]
    wrong_type = put({"mainState": "FAIL", "subState": "FAIL_REFERRED_TO_LEGAL"})  # complaints only
    assert wrong_type.status_code == 422 and "SALE_OPPORTUNITY" in wrong_type.json()["detail"]
    missing = put({"subState": "OPEN_WAITING"})
    assert missing.status_code == 422 and missing.json()["validationErrors"][0]["propertyName"] == "mainState"
    assert put({"mainState": "FAIL", "subState": "FAIL_PRICE_TOO_HIGH", "note": "Fiyat yüksek"}).status_code == 204
    body = sb.http.get(f"/cases/{ref}", headers=sb.bearer(token)).json()
    assert (body["status"], body["mainState"], body["subState"]) == ("FAIL", "FAIL", "FAIL_PRICE_TOO_HIGH")
    assert body["notes"][-1]["content"] == "Fiyat yüksek"
    assert put({"mainState": "FAIL", "subState": "FAIL_PRICE_TOO_HIGH"}).status_code == 204  # unchanged: no event
    changed = events(sb, agent, "case.state_changed")
    assert changed == [{"$event": "case.state_changed", "caseId": body["id"], "caseRef": ref, "customerId": cid,
                        "newMainState": "FAIL", "newSubState": "FAIL_PRICE_TOO_HIGH"}]
    kinds = [a["type"] for a in sb.http.get(f"/cases/{ref}/activities", headers=sb.bearer(token)).json()]
    assert kinds == ["CREATED", "NOTE_ADDED", "STATE_CHANGED"]


def test_notes_and_setters(sb, agent, staff):
    token, cid = staff
    case_id = open_case(sb, token, cid, productBranch="KONUT")
    h = sb.bearer(token)
    assert sb.http.put(f"/cases/{case_id}/notes", headers=h, json={"note": "**Aranacak**"}).status_code == 204
    assert sb.http.post(f"/cases/{case_id}/notes", headers=h, json={"content": "ikinci not"}).status_code == 204
    empty = sb.http.put(f"/cases/{case_id}/notes", headers=h, json={"note": "  "})
    assert empty.status_code == 422 and empty.json()["validationErrors"][0]["propertyName"] == "note"
    assert empty.json()["validationErrors"][0]["errorMessage"] == "must not be blank"
    notes = sb.http.get(f"/cases/{case_id}/notes", headers=h).json()
    assert [n["content"] for n in notes] == ["**Aranacak**", "ikinci not"]
    assert sb.http.put(f"/cases/{case_id}/channel", headers=h, json={"channel": "CALL_CENTER"}).status_code == 204
    assert sb.http.put(f"/cases/{case_id}/branch", headers=h, json={"agentBranchId": "branch-partner"}).status_code == 204
    bad_rep = sb.http.put(f"/cases/{case_id}/representative", headers=h, json={"representativeId": "ghost"})
    assert bad_rep.status_code == 422 and bad_rep.json()["codes"] == ["AGENT_USER_NOT_FOUND"]
    user_id = next(iter(sb.sandbox.agents[agent.id].agent_users))
    assert sb.http.put(f"/cases/{case_id}/representative", headers=h, json={"representativeId": user_id}).status_code == 204
    body = sb.http.get(f"/cases/{case_id}", headers=h).json()
    assert body["channel"] == "CALL_CENTER" and body["agentBranchId"] == "branch-partner"
    assert body["representedBy"]["id"] == user_id and body["representedBy"]["userType"] == 2


def test_customer_tokens_create_and_read_only_their_own_cases(sb, agent, staff):
    token, other_customer = staff
    other_case = open_case(sb, token, other_customer, productBranch="KASKO")
    phone = fresh_phone()
    me = sb.customer_login(agent.id, fresh_tckn(), phone)
    mine = sb.http.post("/api/cases:new-sale-opportunity", headers=sb.bearer(me["accessToken"]),
                        json={"productBranch": "DASK", "channel": "WEBSITE"})  # customerId may be omitted
    assert mine.status_code == 200
    own = sb.http.get(f"/cases/{mine.json()['id']}", headers=sb.bearer(me["accessToken"])).json()
    assert own["customerId"] == me["customerId"] and own["createdBy"]["userType"] == 3
    forged = sb.http.post("/api/cases:new-sale-opportunity", headers=sb.bearer(me["accessToken"]),
                          json={"customerId": other_customer, "productBranch": "KASKO"})
    assert forged.status_code == 403 and forged.json()["codes"] == ["CASE_CUSTOMER_MISMATCH"]
    assert sb.http.get(f"/cases/{other_case}", headers=sb.bearer(me["accessToken"])).status_code == 404
    state = sb.http.put(f"/cases/{own['id']}/state", headers=sb.bearer(me["accessToken"]),
                        json={"mainState": "SUCCESS", "subState": "SUCCESS_COMPLETED"})
    assert state.status_code == 403


def test_duplicate_open_cases_are_allowed_but_visible(sb, agent, staff):
    token, cid = staff
    first = sb.http.post("/api/cases:new-sale-opportunity", headers=sb.bearer(token),
                         json={"customerId": cid, "productBranch": "KASKO"})
    second = sb.http.post("/api/cases:new-sale-opportunity", headers=sb.bearer(token),
                          json={"customerId": cid, "productBranch": "KASKO"})
    assert first.status_code == second.status_code == 200
    assert "x-sandbox-warning" not in first.headers
    assert "SF-" in second.headers["x-sandbox-warning"]
    dupes = sb.http.get(f"/__sandbox/agents/{agent.id}/cases/duplicates").json()
    assert len(dupes) == 1 and dupes[0]["productBranch"] == "KASKO" and len(dupes[0]["cases"]) == 2


def test_idle_sale_opportunity_is_delayed_then_closed_lost_on_the_clock(sb, agent, staff):
    token, cid = staff
    h = functools.partial(fresh_headers, sb, agent)
    case_id = open_case(sb, token, cid, productBranch="KASKO")
    other = open_case(sb, token, cid, productBranch="TSS")
    sb.advance(agent.id, 3 * DAY - 60)
    assert sb.http.get(f"/cases/{case_id}", headers=h()).json()["status"] == "OPEN"
    sb.advance(agent.id, 120)
    body = sb.http.get(f"/cases/{case_id}", headers=h()).json()
    assert (body["status"], body["subState"]) == ("DELAYED", "OPEN_DELAYED")
    sb.advance(agent.id, 10 * DAY)
    # activity resets the idle timer: a note on the TSS case keeps it open past day 30
    assert sb.http.put(f"/cases/{other}/notes", headers=h(), json={"note": "arandı"}).status_code == 204
    sb.advance(agent.id, 17 * DAY + 120)
    body = sb.http.get(f"/cases/{case_id}", headers=h()).json()
    assert (body["status"], body["mainState"], body["subState"]) == ("FAIL", "FAIL", "FAIL_NO_RESPONSE")
    assert sb.http.get(f"/cases/{other}", headers=h()).json()["mainState"] == "OPEN"
    sb.advance(agent.id, 14 * DAY)
    assert sb.http.get(f"/cases/{other}", headers=h()).json()["subState"] == "FAIL_NO_RESPONSE"
    changed = [e for e in sb.http.get(f"/__sandbox/agents/{agent.id}/events",
                                      params={"event": "case.state_changed"}).json() if e["payload"]["caseId"] == case_id]
    assert [e["payload"]["newSubState"] for e in changed] == ["OPEN_DELAYED", "FAIL_NO_RESPONSE"]
    created_at = body["createdAt"]
    # the events carry the instant the transition fell due, not the instant someone looked
    assert changed[0]["occurredAt"] > created_at and changed[0]["occurredAt"] < changed[1]["occurredAt"]


def test_a_proposal_moves_the_open_case_in_progress_and_a_policy_closes_it_won(sb, agent, staff):
    token, cid = staff
    h = functools.partial(fresh_headers, sb, agent)
    kasko = open_case(sb, token, cid, productBranch="KASKO")
    trafik = open_case(sb, token, cid, productBranch="TRAFIK")
    a = sb.sandbox.agents[agent.id]
    linked = cases.on_proposal_created(a, cid, "KASKO", "p-1")
    assert linked is not None and linked.id == kasko
    assert cases.on_proposal_created(a, cid, "DASK", "p-2") is None  # no DASK case: nothing linked
    body = sb.http.get(f"/cases/{kasko}", headers=h()).json()
    assert (body["status"], body["mainState"], body["subState"]) == ("OPEN", "IN_PROGRESS", "IN_PROGRESS_UNDER_ANALYSIS")
    assert sb.http.get(f"/cases/{kasko}/proposals", headers=h()).json()[0]["proposalId"] == "p-1"
    sb.advance(agent.id, 40 * DAY)  # in progress: the idle rule does not close it
    assert sb.http.get(f"/cases/{kasko}", headers=h()).json()["mainState"] == "IN_PROGRESS"
    assert sb.http.get(f"/cases/{trafik}", headers=h()).json()["subState"] == "FAIL_NO_RESPONSE"
    cases.on_policy_issued(a, "p-1", "pol-1", policy_end_date="2027-11-22")
    body = sb.http.get(f"/cases/{kasko}", headers=h()).json()
    assert (body["status"], body["subState"], body["policyIds"], body["policyEndDate"]) == (
        "SUCCESS", "SUCCESS_COMPLETED", ["pol-1"], "2027-11-22")
    subs = [p["newSubState"] for p in events(sb, agent, "case.state_changed") if p["caseId"] == kasko]
    assert subs == ["IN_PROGRESS_UNDER_ANALYSIS", "SUCCESS_COMPLETED"]


def test_unknown_cases_and_subpaths(sb, staff):
    token, _ = staff
    assert sb.http.get("/cases/SF-2020-999999", headers=sb.bearer(token)).json()["codes"] == ["CASE_NOT_FOUND"]
    assert sb.http.get("/cases/communication-automations", headers=sb.bearer(token)).status_code == 501
    assert sb.http.post("/cases:new-sale-opportunity", json={}).status_code == 401


def test_the_detail_is_the_sdks_get_case_by_ref_result(sb, agent, staff):
    """From the SDK's GetCaseByRefResult (contracts/src/cases.ts): customerType, caseSubType of the
    case's type, notes whose text is `note`, and optional fields (representedBy, assetType, assetId,
    sourceCaseId, sourceCaseRef, policyEndDate, priority…) left out rather than null."""
    token, cid = staff
    h = sb.bearer(token)
    first = open_case(sb, token, cid, productBranch="KASKO")
    assert sb.http.put(f"/cases/{first}/notes", headers=h, json={"note": "ilk arama"}).status_code == 204
    body = sb.http.get(f"/cases/{first}", headers=h).json()
    assert body["customerType"] == "INDIVIDUAL" and body["caseSubType"] == "NEW_SALE"
    assert body["baseProductBranch"] == "KASKO" and body["channel"] and body["createdAt"]
    assert [n["note"] for n in body["notes"]] == ["ilk arama"]
    optional = {"representedBy", "assetType", "assetId", "sourceCaseId", "sourceCaseRef", "policyEndDate", "priority",
                "policyId"}
    assert [k for k in optional if k in body and body[k] is None] == []
    assert not {"assetType", "assetId", "sourceCaseRef", "policyId"} & set(body)
    complaint = open_case(sb, token, cid, "complaint", subType="FRAUD")
    detail = sb.http.get(f"/cases/{complaint}", headers=h).json()
    assert detail["type"] == "COMPLAINT" and detail["caseSubType"] == "FRAUD" and detail["complaintSubType"] == "FRAUD"


def test_a_reference_is_a_number_over_rest_and_a_name_in_events_and_graphql(sb, agent, staff):
    """The SDK's UserReference: userType a number ("verified live: 2 for service accounts") with
    isServiceAccount; the guide's webhook examples and the SDL name it."""
    token, cid = staff
    case_id = open_case(sb, token, cid, productBranch="KASKO")
    by = sb.http.get(f"/cases/{case_id}", headers=sb.bearer(token)).json()["createdBy"]
    assert by["userType"] == 2 and by["isServiceAccount"] is True
    listed = sb.graphql(token, "{ casesNew(first: 5) { nodes { id createdByType } } "
                               "proposalsNew(first: 1) { nodes { agentUserCreatedBy { userType } } } }")
    assert "errors" not in listed, listed
    assert {n["createdByType"] for n in listed["data"]["casesNew"]["nodes"] if n["id"] == case_id} == {"AGENT"}
    r = sb.http.put(f"/api/customers/{cid}", headers=sb.bearer(token), json={"$type": "individual", "email": "d@ornek.com"})
    assert r.status_code == 200, r.text
    updated = events(sb, agent, "customer.updated")
    assert updated and updated[-1]["updatedBy"]["userType"] == "AGENT" and "isServiceAccount" not in updated[-1]["updatedBy"]
