import pytest

from mockserver import magic
from mockserver.wire import models as w
from tests.conftest import fresh_phone, fresh_tckn


def login(sb, agent):
    tokens = sb.customer_login(agent.id, fresh_tckn(), fresh_phone())
    h = sb.bearer(tokens["accessToken"])
    return h, sb.http.get("/customers/me", headers=h).json()["id"]


def test_brands_and_models(sb, agent):
    h, _ = login(sb, agent)
    brands = sb.http.get("/api/vehicle-parameters/brands", headers=h).json()
    assert {"value": "600", "text": "MOTOSİKLET"} in brands and len(brands) > 20
    renault = next(b for b in brands if b["text"] == "RENAULT")
    models = sb.http.get("/vehicle-parameters/models", params={"brandReference": renault["value"], "year": 2021},
                         headers=h).json()
    assert "CLIO" in {m["text"] for m in models} and "FLUENCE" not in {m["text"] for m in models}  # ended 2016
    bad = sb.http.get("/vehicle-parameters/models", params={"brandReference": "nope", "year": "x"}, headers=h)
    assert bad.status_code == 422 and bad.json()["validationErrors"][0]["propertyName"] == "year"


def test_tramer_lookup_is_deterministic_and_magic(sb, agent):
    h, cid = login(sb, agent)
    url = f"/api/customers/{cid}/vehicles/external-lookup"
    fixed = sb.http.post(url, headers=h, json={"plate": {"city": "34", "code": "ABC123"},
                                               "documentSerial": {"code": "AB", "number": "123456"}}).json()
    w.VehicleLookupOut.model_validate(fixed)
    assert (fixed["model"]["brand"]["text"], fixed["model"]["type"]["text"], fixed["model"]["year"]) == ("RENAULT", "CLIO", 2021)
    one = sb.http.post(url, headers=h, json={"plate": "06 DEF 456"}).json()
    two = sb.http.post(url, headers=h, json={"plate": {"city": 6, "code": "def456"}}).json()
    assert one == two and len(one["chassis"]) == 17
    assert sb.http.post(url, headers=h, json={"plate": "06ZZ1234"}).json()["codes"] == ["TRAMER_RECORD_NOT_FOUND"]
    assert sb.http.post(url, headers=h, json={"plate": "06ZX1234"}).status_code == 502
    bad = sb.http.post(url, headers=h, json={"plate": {"city": "99", "code": "A"}})
    assert bad.status_code == 422 and bad.json()["validationErrors"][0]["propertyName"] == "plate.city"


def test_vehicle_create_in_both_shapes_update_and_events(sb, agent):
    h, cid = login(sb, agent)
    docs_shape = {"plate": "34ABC123", "documentSerialCode": "A", "documentSerialNumber": "1234567",
                  "brandCode": "RENAULT", "modelCode": "CLIO", "year": 2021}
    r = sb.http.post(f"/api/customers/{cid}/vehicles", headers=h, json=docs_shape)
    assert r.status_code == 200, r.text
    v = w.VehicleOut.model_validate(r.json())
    assert v.plate.city == 34 and v.model.type.text == "CLIO" and v.documentSerial.code == "A" and v.hasPlate
    dup = sb.http.post(f"/api/customers/{cid}/vehicles", headers=h, json=docs_shape)
    assert dup.status_code == 409
    brand = next(b["value"] for b in sb.http.get("/vehicle-parameters/brands", headers=h).json() if b["text"] == "TOYOTA")
    model = next(m["value"] for m in sb.http.get(f"/vehicle-parameters/models?brandReference={brand}&year=2024",
                                                  headers=h).json() if m["text"] == "COROLLA")
    site_shape = {"customerId": cid, "plate": {"city": 6, "code": ""}, "modelYear": 2024, "brandReference": brand,
                  "modelTypeReference": model, "utilizationStyle": 1, "fuel": {"type": 2, "customLpg": False,
                                                                                 "customLpgPrice": None},
                  "engine": "1NZ123", "chassis": "JTDKN3DU5A0123456", "documentSerial": None,
                  "registrationDate": "2024-06-15", "seatNumber": 5,
                  "accessories": [{"$type": "audio", "price": 5000}], "kaskoOldPolicy": None,
                  "trafikOldPolicy": None, "lossPayeeClause": None}
    r = sb.http.post(f"/api/customers/{cid}/vehicles", headers=h, json=site_shape)
    assert r.status_code == 200, r.text
    vid = r.json()["id"]
    assert r.json()["fuel"]["type"] == "DIESEL" and r.json()["accessories"] == [{"$type": "audio", "price": 5000}]
    assert r.json()["hasPlate"] is False  # registered in Ankara, no plate yet
    put = sb.http.put(f"/api/customers/{cid}/vehicles/{vid}", headers=h, json={**site_shape, "vehicleId": vid,
                                                                               "utilizationStyle": "TAXI"})
    assert put.status_code == 200 and put.json()["utilizationStyle"] == "TAXI"
    for spelling in ("SMALL_BUS_15_35_PASSENGERS", "SMALL_BUS_1535_PASSENGERS", 40):  # the SDK's, the older, its ordinal
        put = sb.http.put(f"/api/customers/{cid}/vehicles/{vid}", headers=h,
                          json={**site_shape, "vehicleId": vid, "utilizationStyle": spelling})
        assert put.status_code == 200 and put.json()["utilizationStyle"] == "SMALL_BUS_15_35_PASSENGERS", put.text
    put = sb.http.put(f"/api/customers/{cid}/vehicles/{vid}", headers=h, json={**site_shape, "vehicleId": vid,
                                                                               "utilizationStyle": "TAXI"})
    listed = sb.http.get("/customers/me/vehicles", headers=h).json()
    assert {x["id"] for x in listed} == {v.id, vid}
    evs = [e["payload"] for e in sb.http.get(f"/__sandbox/agents/{agent.id}/events").json()]
    created = [e for e in evs if e["$event"] == "vehicle.created" and e["vehicleId"] == vid][0]
    assert created["brandName"] == "TOYOTA" and created["modelYear"] == 2024 and created["plate"] is None
    updated = [e for e in evs if e["$event"] == "vehicle.updated"][-1]
    assert updated["utilizationStyle"] == "TAXI" and updated["updatedBy"]["id"]


def test_vehicle_errors_name_every_field(sb, agent):
    h, cid = login(sb, agent)
    r = sb.http.post(f"/customers/{cid}/vehicles", headers=h,
                     json={"plate": "XX", "brandReference": "nope", "modelYear": 1800, "fuel": {"type": 42}})
    assert r.status_code == 422
    assert {e["propertyName"] for e in r.json()["validationErrors"]} >= {"plate", "brandReference", "modelYear", "fuel.type"}
    wrong_year = sb.http.post(f"/customers/{cid}/vehicles", headers=h,
                              json={"plate": "34AB1234", "brandCode": "RENAULT", "modelCode": "FLUENCE", "year": 2022})
    assert wrong_year.status_code == 422 and "2010-2016" in wrong_year.json()["detail"]


def test_address_cascade_to_uavt_and_back(sb, agent):
    h, _ = login(sb, agent)
    get = lambda p, **q: sb.http.get(p, params=q, headers=h)  # noqa: E731
    cities = get("/address-parameters/cities").json()
    assert len(cities) == 81 and {"value": "34", "text": "İSTANBUL"} in cities
    districts = get("/address-parameters/districts", cityReference="34").json()
    assert {"value": "1823", "text": "KÜÇÜKÇEKMECE"} in districts and len(districts) == 39
    total = sum(len(get("/address-parameters/districts", cityReference=c["value"]).json()) for c in cities)
    assert total == 973
    town = get("/address-parameters/towns", districtReference="1823").json()[0]["value"]
    hood = get("/address-parameters/neighbourhoods", townReference=town).json()[3]
    assert get("/address-parameters/neighborhoods", townReference=town).json()[3] == hood
    street = get("/address-parameters/streets", neighbourhoodReference=hood["value"]).json()[-1]
    building = get("/address-parameters/buildings", streetReference=street["value"]).json()[-1]
    apartments = get("/address-parameters/apartments", buildingReference=building["value"]).json()
    uavt = apartments[-1]["value"]
    assert uavt.isdigit() and len(uavt) == 10
    by_get = get("/properties/query-address-by-property-number", propertyNumber=uavt).json()
    by_post = sb.http.post("/properties/query-address-by-property-number", headers=h,
                           json={"propertyNumber": int(uavt)}).json()
    assert by_get == by_post
    assert by_get["neighborhood"] == hood and by_get["street"] == street and by_get["building"] == building
    assert get("/address-parameters/streets", neighbourhoodReference="1").status_code == 404
    missing = get("/address-parameters/districts")
    assert missing.status_code == 422 and missing.json()["validationErrors"][0]["propertyName"] == "cityReference"
    bad = sb.http.post("/properties/query-address-by-property-number", headers=h, json={"propertyNumber": 9999999998})
    assert bad.status_code == 404 and "Failed to get address by uavt code" in bad.json()["errors"][0]


def test_dask_old_policy_and_property_lifecycle(sb, agent):
    h, cid = login(sb, agent)
    old = sb.http.post("/properties/query-property-by-dask-old-policy", headers=h,
                       json={"daskOldPolicyNumber": int(magic.DASK_FIXED_POLICY)}).json()
    w.DaskPolicyOut.model_validate(old)
    assert old["propertyNumber"] == magic.UAVT_FIXED and old["squareMeter"] == 120
    assert sb.http.post("/properties/query-property-by-dask-old-policy", headers=h,
                        json={"daskPolicyNumber": 91234567}).status_code == 404
    body = {"customerId": cid, "number": old["propertyNumber"], "daskOldPolicyNumber": magic.DASK_FIXED_POLICY,
            "squareMeter": 120, "constructionYear": 2005, "lossPayeeClause": None, "damageStatus": "NONE",
            "floor": old["floor"], "structure": "STEEL_REINFORCED_CONCRETE", "utilizationStyle": "HOUSE",
            "ownershipType": "PROPRIETOR"}
    r = sb.http.post(f"/api/customers/{cid}/properties", headers=h, json=body)
    assert r.status_code == 200 and set(r.json()) == {"newPropertyId"}
    pid = r.json()["newPropertyId"]
    dup = sb.http.post(f"/api/customers/{cid}/properties", headers=h, json=body)
    assert dup.status_code == 409 and "UAVT" in dup.json()["errors"][0]
    one = w.PropertyOut.model_validate(sb.http.get(f"/customers/{cid}/properties/{pid}", headers=h).json())
    assert one.address.district.text == "KÜÇÜKÇEKMECE" and one.floor.totalFloors.max == 7
    put = sb.http.put(f"/customers/{cid}/properties/{pid}", headers=h, json={"propertyId": pid, "squareMeter": 95,
                                                                             "ownershipType": "TENANT"})
    assert put.status_code == 200 and put.json()["squareMeter"] == 95 and put.json()["ownershipType"] == "TENANT"
    assert [p["id"] for p in sb.http.get("/customers/me/properties", headers=h).json()] == [pid]
    evs = [e["payload"] for e in sb.http.get(f"/__sandbox/agents/{agent.id}/events").json()]
    assert any(e["$event"] == "property.created" and e["propertyNumber"] == magic.UAVT_FIXED and "KÜÇÜKÇEKMECE" in e["address"]
               for e in evs)
    assert any(e["$event"] == "property.updated" and e["squareMeter"] == 95 for e in evs)
    bad = sb.http.post(f"/customers/{cid}/properties", headers=h,
                       json={"number": "12", "squareMeter": -1, "floor": {"totalFloors": {"min": 5, "max": 2}}})
    assert {e["propertyName"] for e in bad.json()["validationErrors"]} >= {"number", "squareMeter", "floor.totalFloors"}


@pytest.mark.parametrize("total, current, ok", [
    ({"$type": "exact", "value": 5}, 5, True),  # the SDK's ExactQuantity
    ({"$type": "exceeding", "value": 20}, 31, True),  # ExceedingQuantity: more than 20 floors
    ({"$type": "range", "min": 4, "max": 7}, 3, True),
    ({"$type": "exact", "value": 5}, 6, False),  # above an exact top floor
    ({"$type": "exact"}, None, False),  # an exact quantity without its value
])
def test_a_floor_count_is_any_of_the_sdk_numeric_quantities(sb, agent, total, current, ok):
    h, cid = login(sb, agent)
    r = sb.http.post(f"/api/customers/{cid}/properties", headers=h,
                     json={"number": magic.UAVT_FIXED, "squareMeter": 120, "constructionYear": 2005,
                           "floor": {"totalFloors": total, "currentFloor": current}})
    if not ok:
        assert r.status_code == 422, r.text
        assert [e["propertyName"] for e in r.json()["validationErrors"]][0].startswith("floor.")
        return
    assert r.status_code == 200, r.text
    one = sb.http.get(f"/customers/{cid}/properties/{r.json()['newPropertyId']}", headers=h).json()
    assert one["floor"] == {"totalFloors": total, "currentFloor": current}
    w.PropertyOut.model_validate(one)


def test_tramer_engine_numbers_are_what_the_real_sites_form_takes():
    """InsurUp's B2C site accepts an engine number of letters and digits only; a hyphen (an engine
    code's, 1NZ-FXE) stops its flow. Every model Tramer answers keeps to that."""
    from datetime import date

    from mockserver.domain import registries

    models, engines = set(), []
    for n in range(3000):
        found = registries.tramer(34, f"AB{n:04d}", date(2026, 12, 7))
        models.add(found["model"]["type"]["value"])
        engines.append(found["engine"])
    assert len(models) > 60  # the lookups reach most of the catalogue, hyphenated engine codes included
    assert [e for e in engines if not (e.isascii() and e.isalnum())] == []
