"""A CRM backend managing a customer's contact details: e-mails and phones with one primary each,
addresses, branch and representative, contact flows and phone calls (the SDK's); and
the registry lookups it runs before creating customers and vehicles."""

from __future__ import annotations

from tests.conftest import fresh_phone, fresh_tckn


def _new_customer(sb, h) -> str:
    r = sb.http.post("/api/customers", headers=h, json={
        "$type": "individual", "identityNumber": fresh_tckn(), "fullName": "Ece Kaya", "email": "ece@ornek.test",
        "primaryPhoneNumber": {"number": fresh_phone(), "countryCode": 90}})
    assert r.status_code == 200, r.text
    return r.json()["id"]


def test_a_crm_manages_a_customers_emails_phones_and_addresses(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    cid = _new_customer(sb, h)
    base = f"/api/customers/{cid}"
    # e-mails: a second one, then it becomes the primary, and the customer record follows
    assert sb.http.post(f"{base}/emails", headers=h, json={"email": "Ece.Is@Firma.test"}).status_code == 204
    dup = sb.http.post(f"{base}/emails", headers=h, json={"email": "ece.is@firma.test"})
    assert dup.status_code == 409 and dup.json()["codes"] == ["CUSTOMER_EMAIL_DUPLICATE"]
    bad = sb.http.post(f"{base}/emails", headers=h, json={"email": "ece@"})
    assert bad.status_code == 422 and bad.json()["validationErrors"][0]["propertyName"] == "email"
    assert sb.http.get(f"{base}/emails", headers=h).json() == [
        {"email": "ece@ornek.test", "isPrimary": True, "primary": True},
        {"email": "ece.is@firma.test", "isPrimary": False, "primary": False}]
    blocked = sb.http.delete(f"{base}/emails/ece@ornek.test", headers=h)
    assert blocked.status_code == 409 and blocked.json()["codes"] == ["CUSTOMER_EMAIL_PRIMARY"]
    assert sb.http.put(f"{base}/emails/ece.is@firma.test/primary", headers=h).status_code == 204
    assert sb.http.get(f"{base}/emails/primary", headers=h).json() == {"email": "ece.is@firma.test", "isPrimary": True,
                                                                      "primary": True}
    assert sb.http.get(base, headers=h).json()["primaryEmail"] == "ece.is@firma.test"
    assert sb.http.get(base, headers=h).json()["emailCount"] == 2  # the SDK's count: every e-mail, not the primary
    assert sb.http.delete(f"{base}/emails/ece@ornek.test", headers=h).status_code == 204
    assert sb.http.delete(f"{base}/emails/nobody@x.test", headers=h).status_code == 404
    # phones: {countryCode}-{number} names one in the path
    second = fresh_phone()
    assert sb.http.post(f"{base}/phone-numbers", headers=h, json={"phoneNumber": {"number": second, "countryCode": 90},
                                                                 "isPrimary": True}).status_code == 204
    phones = sb.http.get(f"{base}/phone-numbers", headers=h).json()
    assert phones[0]["number"] == second and phones[0]["isPrimary"] and len(phones) == 2
    assert sb.http.get(f"{base}/phone-numbers/primary", headers=h).json()["number"] == second
    assert sb.http.delete(f"{base}/phone-numbers/90-{phones[1]['number']}", headers=h).status_code == 204
    assert sb.http.delete(f"{base}/phone-numbers/5321234567", headers=h).status_code == 422
    # addresses with the address-parameters codes; the first is the primary
    made = sb.http.post(f"{base}/addresses", headers=h, json={"type": "WORK", "cityReference": "34",
                                                             "addressText": "Bağdat Cad. No:5 D:3", "postalCode": "34710"})
    assert made.status_code == 200, made.text
    aid = made.json()["id"]
    one = sb.http.get(f"{base}/addresses/{aid}", headers=h).json()
    assert one["city"]["value"] == "34" and one["isPrimary"] is True and one["type"] == "WORK"
    wrong = sb.http.post(f"{base}/addresses", headers=h, json={"cityReference": "99", "addressText": "x"})
    assert wrong.status_code == 422 and wrong.json()["validationErrors"][0]["propertyName"] == "cityReference"
    assert sb.http.put(f"{base}/addresses/{aid}", headers=h, json={"addressText": "Moda Cad. 1"}).status_code == 204
    assert sb.http.get(f"{base}/addresses", headers=h).json()[0]["addressText"] == "Moda Cad. 1"
    # the SDK's names beside the sandbox's: primary, and the phone as {number, countryCode}
    assert sb.http.get(f"{base}/emails", headers=h).json()[0]["primary"] is True
    listed = sb.http.get(f"{base}/phone-numbers", headers=h).json()
    assert listed[0]["primary"] is True and listed[0]["phoneNumber"] == {"number": second, "countryCode": 90}
    # and the customer.updated webhooks it fired
    events = sb.http.get(f"/__sandbox/agents/{agent.id}/events", headers=sb.control_headers(agent.id)).json()
    updates = [e for e in events if e["event"] == "customer.updated" and e["payload"]["customerId"] == cid]
    assert len(updates) >= 6 and updates[-1]["payload"]["email"] == "ece.is@firma.test"
    assert sb.http.delete(f"{base}/addresses/{aid}", headers=h).status_code == 204
    assert sb.http.get(f"{base}/addresses/{aid}", headers=h).status_code == 404


def test_branch_representative_assets_and_contact_flows(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    cid = _new_customer(sb, h)
    base = f"/api/customers/{cid}"
    branch = sb.http.post("/api/agent-branches", headers=h, json={"name": "Ankara"}).json()
    assert sb.http.put(f"{base}/branch", headers=h, json={"agentBranchId": "nope"}).status_code == 422
    assert sb.http.put(f"{base}/branch", headers=h, json={"agentBranchId": branch}).status_code == 204
    me = sb.http.get("/api/agent-users/me", headers=h).json()
    user_id = next(iter(sb.sandbox.agents[agent.id].agent_users))
    assert sb.http.put(f"{base}/representative", headers=h, json={"agentUserId": user_id}).status_code == 204
    got = sb.http.get(base, headers=h).json()
    assert got["agentBranchId"] == branch and got["representedBy"]["id"] == user_id
    node = sb.graphql(sb.service_token(agent), '{ customersNew(first: 50) { nodes { id agentBranch { name } } } }')
    assert {"id": cid, "agentBranch": {"name": "Ankara"}} in node["data"]["customersNew"]["nodes"]
    assert me["isServiceAccount"] is True
    assets = sb.http.get(f"{base}/assets", headers=h).json()
    assert assets == {"customerId": cid, "vehicles": [], "properties": []}



def test_contact_flows_and_phone_calls_in_the_sdks_shape(sb, agent):
    """customers/{id}/contact-flows and /contacts (the SDK's): a named flow, calls in it and alone,
    planned and made, the flow's end, and the case filter."""
    h = sb.bearer(sb.service_token(agent))
    cid = _new_customer(sb, h)
    base = f"/api/customers/{cid}"
    case = sb.http.post("/api/cases:new-sale-opportunity", headers=h, json={"customerId": cid, "productBranch": "KASKO"})
    ref = sb.http.get(f"/api/cases/{case.json()['id']}", headers=h).json()["ref"]
    made = sb.http.post(f"{base}/contact-flows", headers=h, json={"name": "Yenileme araması", "caseRef": ref})
    assert made.status_code == 200, made.text
    fid = made.json()["id"]
    assert sb.http.post(f"{base}/contact-flows", headers=h, json={"name": "Genel"}).status_code == 200
    bad_case = sb.http.post(f"{base}/contact-flows", headers=h, json={"name": "x", "caseRef": "SF-1999-000001"})
    assert bad_case.status_code == 422 and bad_case.json()["validationErrors"][0]["propertyName"] == "caseRef"
    call = sb.http.post(f"{base}/contacts", headers=h, json={"flowId": fid})
    assert call.status_code == 200, call.text
    later = sb.http.post(f"{base}/contacts", headers=h, json={"flowId": fid, "plannedTime": "2099-01-01T09:00:00Z"})
    alone = sb.http.post(f"{base}/contacts", headers=h)  # no body: a call made now, in no flow
    assert later.status_code == alone.status_code == 200
    calls = {c["id"]: c for c in sb.http.get(f"{base}/contacts", headers=h).json()}
    assert calls[call.json()["id"]]["state"] == "OCCURRED" and calls[call.json()["id"]]["type"] == "PHONE_CALL"
    assert calls[later.json()["id"]]["state"] == "PLANNED" and calls[later.json()["id"]]["startTime"] is None
    assert calls[alone.json()["id"]]["flowId"] is None
    of_case = sb.http.get(f"{base}/contacts", headers=h, params={"caseRef": ref}).json()
    assert {c["id"] for c in of_case} == {call.json()["id"], later.json()["id"]}
    flows = sb.http.get(f"{base}/contact-flows", headers=h, params={"caseRef": ref}).json()
    assert [(f["name"], f["contactsCount"], f["state"], f["caseRef"]) for f in flows] == [
        ("Yenileme araması", 2, "ACTIVE", ref)]
    assert len(sb.http.get(f"{base}/contact-flows", headers=h).json()) == 2
    assert sb.http.post(f"{base}/contact-flows/{fid}/end", headers=h).status_code == 204
    ended = sb.http.get(f"{base}/contact-flows", headers=h, params={"caseRef": ref}).json()[0]
    assert ended["state"] == "SUCCEEDED" and ended["endedDate"]
    again = sb.http.post(f"{base}/contact-flows/{fid}/end", headers=h)
    assert again.status_code == 409 and again.json()["codes"] == ["CONTACT_FLOW_ENDED"]
    closed = sb.http.post(f"{base}/contacts", headers=h, json={"flowId": fid})
    assert closed.status_code == 422 and closed.json()["validationErrors"][0]["propertyName"] == "flowId"


def test_registry_lookups_before_creating(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    tckn = fresh_tckn()
    who = sb.http.post("/api/customers/external-lookup", headers=h, json={"identityNumber": tckn})
    assert who.status_code == 200 and who.json()["type"] == "individual" and who.json()["fullName"]
    assert who.json()["existingCustomerId"] is None
    again = sb.http.post("/api/insurance-services/query-individual-customer", headers=h, json={"identityNumber": tckn})
    assert again.json()["fullName"] == who.json()["fullName"]  # the same registry, the same person
    bad = sb.http.post("/api/customers/external-lookup", headers=h, json={"identityNumber": "12345678900"})
    assert bad.status_code == 422 and bad.json()["validationErrors"][0]["propertyName"] == "identityNumber"
    company = sb.http.post("/api/customers/external-lookup", headers=h, json={"taxNumber": "1234567891"})
    assert company.status_code == 422 and company.json()["codes"] == ["TAX_NUMBER_INVALID"]
    firm = sb.http.post("/api/customers/external-lookup", headers=h, json={"taxNumber": "1234567890"}).json()
    assert firm["type"] == "company" and firm["title"] and firm["fullName"] is None
    car = sb.http.post("/api/vehicles/tramer-query", headers=h, json={"plate": "34ABC123", "documentSerialCode": "AB",
                                                                      "documentSerialNumber": "123456"})
    assert car.status_code == 200 and car.json()["model"]["brand"]
    models = sb.http.post("/api/insurance-services/query-vehicle-by-brand-code", headers=h,
                          json={"brandCode": "153", "year": 2020}).json()
    assert models and all(m["brandName"] == "RENAULT" and m["firstYear"] <= 2020 <= m["lastYear"] for m in models)
    unknown = sb.http.post("/api/insurance-services/query-vehicle-by-brand-code", headers=h, json={"brandCode": "998"})
    assert unknown.status_code == 422 and unknown.json()["codes"] == ["VEHICLE_BRAND_NOT_FOUND"]


def test_an_address_given_by_its_uavt_code_in_the_sdks_form(sb, agent):
    """CreateCustomerAddressRequest {propertyNumber, type}: the address is read from the UAVT code."""
    h = sb.bearer(sb.service_token(agent))
    cid = _new_customer(sb, h)
    base = f"/api/customers/{cid}"
    city = sb.http.get("/api/address-parameters/cities", headers=h).json()[0]["value"]
    level = {"districts": "cityReference", "towns": "districtReference", "neighbourhoods": "townReference",
             "streets": "neighbourhoodReference", "buildings": "streetReference", "apartments": "buildingReference"}
    ref = city
    for name, param in level.items():
        ref = sb.http.get(f"/api/address-parameters/{name}", headers=h, params={param: ref}).json()[0]["value"]
    made = sb.http.post(f"{base}/addresses", headers=h, json={"propertyNumber": int(ref), "type": "TEMPORARY"})
    assert made.status_code == 200, made.text
    assert made.json()["addressId"] == made.json()["id"]
    got = sb.http.get(f"{base}/addresses/{made.json()['id']}", headers=h).json()
    assert got["propertyNumber"] == int(ref) and got["type"] == "TEMPORARY" and got["city"]["value"] == city
    assert got["address"]["apartment"]["value"] == ref and got["addressText"]
    assert sb.http.put(f"{base}/addresses/{got['id']}", headers=h, json={"type": "HOME"}).status_code == 204
    again = sb.http.get(f"{base}/addresses/{got['id']}", headers=h).json()
    assert again["type"] == "HOME" and again["propertyNumber"] == int(ref)
    bad = sb.http.post(f"{base}/addresses", headers=h, json={"propertyNumber": 12, "type": "HOME"})
    assert bad.status_code == 422 and bad.json()["validationErrors"][0]["propertyName"] == "propertyNumber"
