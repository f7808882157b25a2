from mockserver.wire import models as w
from tests.conftest import fresh_phone, fresh_tckn


def events(sb, agent_id, name=None):
    return [e["payload"] for e in sb.http.get(f"/__sandbox/agents/{agent_id}/events",
                                              params={"event": name} if name else None).json()]


def test_me_has_the_shape_real_clients_read(sb, agent):
    tokens = sb.customer_login(agent.id, fresh_tckn(), fresh_phone())
    me = sb.http.get("/api/customers/me", headers=sb.bearer(tokens["accessToken"])).json()
    w.CustomerOut.model_validate(me)
    assert me["city"]["value"] and me["district"]["value"] and me["district"]["text"]
    assert me["primaryPhoneNumber"]["countryCode"] == 90 and me["fullName"]


def test_put_accepts_real_site_payloads_and_emits_customer_updated(sb, agent):
    tokens = sb.customer_login(agent.id, fresh_tckn(), fresh_phone())
    h = sb.bearer(tokens["accessToken"])
    me = sb.http.get("/customers/me", headers=h).json()
    # /dashboard/profile sends ints for gender and job
    body = {"$type": "individual", "id": me["id"], "fullName": "Zeynep Kaya", "birthDate": me["birthDate"],
            "cityReference": "06", "districtReference": sb.http.get("/address-parameters/districts?cityReference=06",
                                                                    headers=h).json()[0]["value"],
            "gender": 2, "job": 7, "primaryEmail": "zeynep@example.com",
            "primaryPhoneNumber": {"number": me["primaryPhoneNumber"]["number"], "countryCode": 90}}
    r = sb.http.put(f"/api/customers/{me['id']}", json=body, headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["fullName"] == "Zeynep Kaya" and out["gender"] == "FEMALE" and out["job"] == "TEACHER"
    assert out["city"] == {"value": "06", "text": "ANKARA"} and out["primaryEmail"] == "zeynep@example.com"
    # /giris-yap echoes the whole /me object back, strings and objects included
    echo = {**out, "gender": "FEMALE", "job": "TEACHER"}
    assert sb.http.put(f"/api/customers/{me['id']}", json=echo, headers=h).status_code == 200
    upd = events(sb, agent.id, "customer.updated")[-1]
    assert upd["firstName"] == "Zeynep" and upd["province"] == "ANKARA" and upd["updatedBy"]["userType"] == "CUSTOMER"  # the guide's webhook example names it


def test_put_errors_name_fields_and_change_nothing(sb, agent):
    tokens = sb.customer_login(agent.id, fresh_tckn(), fresh_phone())
    h = sb.bearer(tokens["accessToken"])
    me = sb.http.get("/customers/me", headers=h).json()
    r = sb.http.put(f"/customers/{me['id']}", headers=h, json={"fullName": "New Name", "gender": 9,
                                                               "districtReference": "999999"})
    assert r.status_code == 422
    assert {e["propertyName"] for e in r.json()["validationErrors"]} == {"gender", "districtReference"}
    assert sb.http.get("/customers/me", headers=h).json()["fullName"] == me["fullName"]
    wrong_city = sb.http.put(f"/customers/{me['id']}", headers=h, json={"cityReference": "06", "districtReference": "1823"})
    assert wrong_city.status_code == 422 and "not in city" in wrong_city.json()["detail"]
    assert sb.http.put(f"/customers/{me['id']}", headers=h, json={"identityNumber": fresh_tckn()}).status_code == 422


def test_b2b_create_get_by_identity_and_delete(sb, agent):
    token = sb.service_token(agent)
    h = sb.bearer(token)
    tckn = fresh_tckn()
    r = sb.http.post("/api/customers", headers=h, json={"$type": "individual", "identityNumber": tckn,
                                                        "fillMissingFields": True})
    assert r.status_code == 200, r.text
    cid = r.json()["id"]
    by_tckn = sb.http.get(f"/customers/{tckn}", headers=h).json()
    assert by_tckn["id"] == cid and by_tckn["fullName"]  # filled from the simulated MERNIS
    created = events(sb, agent.id, "customer.created")[-1]
    assert created["customerId"] == cid and created["creationChannel"] == "API" and created["createdAt"].endswith("Z")
    missing = sb.http.post("/api/customers", headers=h, json={"$type": "individual", "identityNumber": fresh_tckn()})
    assert missing.status_code == 422 and missing.json()["validationErrors"][0]["propertyName"] == "fullName"
    assert sb.http.delete(f"/customers/{cid}", headers=h).status_code == 204
    assert sb.http.get(f"/customers/{cid}", headers=h).status_code == 404


def test_health_info(sb, agent):
    tokens = sb.customer_login(agent.id, fresh_tckn(), fresh_phone())
    h = sb.bearer(tokens["accessToken"])
    cid = sb.http.get("/customers/me", headers=h).json()["id"]
    assert sb.http.get(f"/customers/{cid}/health-info", headers=h).json()["height"] is None
    # the real site sends only height and weight (plus $type and customerId)
    r = sb.http.put(f"/customers/{cid}/health-info", headers=h,
                    json={"$type": "individual", "customerId": cid, "height": 178, "weight": 80})
    assert r.status_code == 200 and r.json()["height"] == 178 and r.json()["surgeries"] == []
    bad = sb.http.put(f"/customers/{cid}/health-info", headers=h, json={"height": 178.5, "weight": "a lot"})
    assert {e["propertyName"] for e in bad.json()["validationErrors"]} == {"height", "weight"}


def test_consent_events(sb, agent):
    tokens = sb.customer_login(agent.id, fresh_tckn(), fresh_phone(), approvedConsentTypes=["KVKK"])
    h = sb.bearer(tokens["accessToken"])
    cid = sb.http.get("/customers/me", headers=h).json()["id"]
    given = events(sb, agent.id, "customer.kvkk_consent_given")[-1]
    assert given["customerId"] == cid and given["givenAt"].endswith("+03:00") and given["channel"] == "WEB"
    r = sb.http.post(f"/customers/{cid}/consents", headers=h, json={"consentType": "ETK"})
    assert {c["consentType"] for c in r.json()} == {"KVKK", "ETK"}
    sb.http.delete(f"/customers/{cid}/consents/KVKK", headers=h)
    revoked = events(sb, agent.id, "customer.kvkk_consent_revoked")[-1]
    assert revoked["customerId"] == cid and "revokedAt" in revoked


def test_a_customer_body_names_each_field_it_refuses_and_takes_every_spelling_clients_send(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    base = {"identityNumber": fresh_tckn(), "fullName": "Deniz Ak", "birthDate": "1990-05-01"}
    refused = [({"$type": "robot"}, "$type"), ({"phoneNumber": "2125550000"}, "phoneNumber"),
               ({"primaryPhoneNumber": {"number": "532", "countryCode": 90}}, "primaryPhoneNumber.number"),
               ({"email": "deniz-at-example"}, "email"), ({"fullName": "   "}, "fullName"),
               ({"birthDate": "2990-01-01"}, "birthDate")]
    for patch, field in refused:
        r = sb.http.post("/api/customers", headers=h, json={**base, **patch})
        assert r.status_code == 422, (patch, r.text)
        assert [e["propertyName"] for e in r.json()["validationErrors"]] == [field], (patch, r.text)
    # the type in any case and by its other names, a number with +90, an e-mail echoed as {value}
    made = sb.http.post("/api/customers", headers=h, json={
        **base, "type": "PERSON", "phoneNumber": "+90 532 000 11 22", "email": {"value": " Deniz@Example.COM "},
        "cityReference": {"value": "06", "text": "ANKARA"}})
    assert made.status_code == 200, made.text
    got = sb.http.get(f"/api/customers/{made.json()['id']}", headers=h).json()
    assert got["primaryEmail"] == "deniz@example.com" and got["primaryPhoneNumber"]["number"] == "5320001122"
    assert got["$type"] == "individual" and got["city"]["value"] == "06"
    assert sb.http.put(f"/api/customers/{got['id']}", headers=h, json={"$type": "Company"}).status_code == 422
