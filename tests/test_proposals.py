"""Proposals over REST: both body generations per branch, the fan-out on the agent's clock, every
validation code, magic values, retry and revise, documents, coverage groups and the lists."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from mockserver import magic
from mockserver.wire import models as w
from tests.conftest import fresh_phone, fresh_tckn


@dataclass
class Buyer:
    token: str
    id: str
    vehicle: str
    property: str

    @property
    def h(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def new_vehicle(sb, b_token: str, cid: str, plate: str = "34KL123") -> str:
    r = sb.http.post(f"/api/customers/{cid}/vehicles", headers=sb.bearer(b_token),
                     json={"plate": plate, "documentSerialCode": "A", "documentSerialNumber": "1234567",
                           "brandCode": "RENAULT", "modelCode": "CLIO", "year": 2019})
    assert r.status_code == 200, r.text
    return r.json()["id"]


def new_buyer(sb, agent_id: str, birth_date: str = "1985-04-12", plate: str = "34KL123") -> Buyer:
    token = sb.customer_login(agent_id, fresh_tckn(), phone=fresh_phone(), birth_date=birth_date)["accessToken"]
    cid = sb.http.get("/api/customers/me", headers=sb.bearer(token)).json()["id"]
    vid = new_vehicle(sb, token, cid, plate)
    body = {"number": magic.UAVT_FIXED, "squareMeter": 120, "constructionYear": 2005, "damageStatus": "NONE",
            "structure": "STEEL_REINFORCED_CONCRETE", "utilizationStyle": "HOUSE", "ownershipType": "PROPRIETOR",
            "floor": {"totalFloors": {"min": 4, "max": 7}, "currentFloor": 3}}
    r = sb.http.post(f"/api/customers/{cid}/properties", headers=sb.bearer(token), json=body)
    assert r.status_code == 200, r.text
    return Buyer(token, cid, vid, r.json()["newPropertyId"])


def health(sb, b: Buyer, cid: str | None = None, height: int | None = 178, weight: int | None = 80) -> None:
    r = sb.http.put(f"/api/customers/{cid or b.id}/health-info", headers=b.h, json={"height": height, "weight": weight})
    assert r.status_code == 200, r.text


@pytest.fixture
def buyer(sb, agent) -> Buyer:
    return new_buyer(sb, agent.id)


def kasko_body(b: Buyer, **extra) -> dict:
    return {"$type": "kasko", "vehicleId": b.vehicle, "productBranch": "KASKO", "insurerCustomerId": b.id,
            "insuredCustomerId": b.id, "channel": "WEBSITE", **extra}


def create(sb, b: Buyer, body: dict, headers=None):
    return sb.http.post("/api/proposals", headers=headers or b.h, json=body)


def created(sb, b: Buyer, body: dict, headers=None) -> str:
    r = create(sb, b, body, headers)
    assert r.status_code == 200 and set(r.json()) == {"proposalId"}, r.text
    return r.json()["proposalId"]


def read(sb, b: Buyer, pid: str, headers=None) -> dict:
    r = sb.http.get(f"/api/proposals/{pid}", headers=headers or b.h)
    assert r.status_code == 200, r.text
    return w.ProposalOut.model_validate(r.json()).model_dump(by_alias=True)


def settle(sb, agent_id: str, pid: str) -> dict:
    r = sb.http.post(f"/__sandbox/agents/{agent_id}/proposals/{pid}/settle", headers=sb.control_headers(agent_id))
    assert r.status_code == 200, r.text
    return r.json()


def error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    return r.json()


def fields(r) -> set[str]:
    return {e["propertyName"] for e in r.json()["validationErrors"]}


# ----------------------------------------------------------------------------- creating
def test_kasko_fans_out_waits_on_the_clock_and_settles(sb, agent, buyer):
    sb.http.post("/api/cases:new-sale-opportunity", headers=buyer.h,
                 json={"customerId": buyer.id, "productBranch": "KASKO", "channel": "WEBSITE"})
    pid = created(sb, buyer, kasko_body(buyer, coverageGroupIds=None))
    p = read(sb, buyer, pid)
    assert p["state"] == "WAITING" and p["succeedProductsCount"] == 0 and p["lowestPremium"] is None
    names = {x["insuranceCompanyName"] for x in p["products"]}
    assert {"Doğa Sigorta", "Anadolu Sigorta", "AXA Sigorta"} <= names
    assert any(x["productType"] == "ROBOT" and x["supportedPaymentOptions"] == [] for x in p["products"])
    assert all(x["state"] == "WAITING" and x["premiums"] == [] for x in p["products"])
    # the kasko comparison page crashes on an omitted coverage key: all three are present
    assert all({"initialCoverage", "insuranceServiceProviderCoverage", "pdfCoverage"} <= set(x) for x in p["products"])
    sb.advance(agent.id, 20)
    mid = read(sb, buyer, pid)
    sb.advance(agent.id, 280)  # every arrival is within 240 s (customer tokens live 600 s)
    done = read(sb, buyer, pid)
    assert done["state"] in ("ACTIVE", "FAILED") and done["waitingProductsCount"] == 0
    arrived = lambda q: sum(x["state"] != "WAITING" for x in q["products"])  # noqa: E731
    assert 0 < arrived(mid) <= arrived(done) == done["totalProductsCount"]
    # web-service quotes come back within seconds, robots slower
    assert all(x["state"] != "WAITING" for x in mid["products"] if x["productType"] == "WEB_SERVICE") or \
        arrived(mid) > sum(x["productType"] == "WEB_SERVICE" for x in mid["products"]) // 2
    active = [x for x in done["products"] if x["state"] == "ACTIVE"]
    assert done["succeedProductsCount"] == len(active) > 0
    assert done["lowestPremium"] == min(x["premiums"][0]["grossPremium"] for x in active)
    assert done["highestPremium"] == max(x["premiums"][0]["grossPremium"] for x in active)
    for x in active:
        assert x["premiums"][0]["installmentNumber"] == 1 and all(isinstance(q["grossPremium"], float) for q in x["premiums"])
        assert all(q["currency"] == "TURKISH_LIRA" and q["insuranceCompanyProposalNumber"] for q in x["premiums"])
    for x in done["products"]:
        assert (x["state"] == "FAILED") == bool(x["errorMessage"])
    # the open case moved to IN_PROGRESS and links the proposal
    cases = sb.graphql(buyer.token, '{ cases(where: {customerId: {eq: "%s"}}) { items { id status } } }' % buyer.id)
    case_id = cases["data"]["cases"]["items"][0]["id"]
    case = sb.http.get(f"/api/cases/{case_id}", headers=buyer.h).json()
    assert case["mainState"] == "IN_PROGRESS" and case["subState"] == "IN_PROGRESS_UNDER_ANALYSIS"
    assert [x["proposalId"] for x in sb.http.get(f"/api/cases/{case_id}/proposals", headers=buyer.h).json()] == [pid]


def test_older_body_generation_and_fixture_coverage_groups_with_integer_ids(sb):
    agent = sb.new_agent(coverageGroups=[{"id": 123, "productBranch": "KASKO", "name": "Sitenin kasko grubu"},
                                         {"id": "124", "productBranch": "kasko",
                                          "coverage": {"onarimServisTuru": "YETKILI_SERVIS"}}])
    b = new_buyer(sb, agent.id)
    pid = created(sb, b, {"type": "kasko", "customerId": b.id, "vehicleId": b.vehicle, "insuredCustomerId": b.id,
                          "channel": "website", "coverageGroupIds": [123, 124]})
    p = read(sb, b, pid)
    assert p["channel"] == "WEBSITE" and {g["id"] for g in p["coverageGroups"]} == {"123", "124"}
    per_product = {}
    for x in p["products"]:
        per_product.setdefault(x["productId"], set()).add(x["coverageGroupId"])
    assert all(groups == {"123", "124"} for groups in per_product.values())  # one product per product and group
    assert next(g for g in p["coverageGroups"] if g["id"] == "124")["coverageTable"][0]["coverage"]["onarimServisTuru"] == "YETKILI_SERVIS"
    bad = sb.http.post("/__sandbox/agents", json={"coverageGroups": [{"id": "x", "productBranch": "BOAT"}]})
    assert error(bad, 422)["validationErrors"][0]["propertyName"] == "coverageGroups[0].productBranch"


# the SDK's Channel (packages/contracts/src/common.base.ts), as written there
SDK_CHANNELS = ["UNKNOWN", "MANUAL", "WEBSITE", "GOOGLE_ADS", "CALL_CENTER", "SOCIAL_MEDIA", "MOBILE_APP",
                "OFFLINE_PROPOSAL_FORM", "FIELD", "PRINT_MEDIA", "FAIR_EVENT", "BUSINESS_PARTNER", "CHATBOT"]


def test_every_channel_the_sdk_sends_is_taken_and_read_back(sb, agent, buyer):
    for channel in SDK_CHANNELS + ["mobile", "social-media"]:
        pid = created(sb, buyer, kasko_body(buyer, channel=channel))
        expected = {"mobile": "MOBILE_APP", "social-media": "SOCIAL_MEDIA"}.get(channel, channel)
        assert read(sb, buyer, pid)["channel"] == expected
    assert fields(create(sb, buyer, kasko_body(buyer, channel="PIGEON"))) == {"channel"}
    schema = sb.http.get("/openapi.json").json()["components"]["schemas"]["ProposalCreateRequest"]
    assert set(SDK_CHANNELS) <= set(schema["properties"]["channel"]["anyOf"][0]["enum"])


@pytest.mark.parametrize("body_type", ["trafik", "traffic"])
def test_trafik_in_both_spellings(sb, agent, buyer, body_type):
    pid = created(sb, buyer, {"$type" if body_type == "trafik" else "type": body_type, "insurerCustomerId": buyer.id,
                              "insuredCustomerId": buyer.id, "vehicleId": buyer.vehicle, "channel": "WEBSITE",
                              "productBranch": "TRAFIK", "coverageGroupIds": None})
    settle(sb, agent.id, pid)
    p = read(sb, buyer, pid)
    assert p["productBranch"] == "TRAFIK" and p["waitingProductsCount"] == 0
    assert all(x["productBranch"] == "TRAFIK" for x in p["products"])
    assert any(x["insuranceCompanyName"] == "AK Sigorta" and x["productType"] == "ROBOT" for x in p["products"])


def test_property_branches_dask_same_tariff_and_konut_options(sb, agent, buyer):
    dask = created(sb, buyer, {"$type": "dask", "propertyId": buyer.property, "insurerCustomerId": buyer.id,
                               "insuredCustomerId": buyer.id, "channel": "WEBSITE", "coverageGroupIds": None})
    settle(sb, agent.id, dask)
    prices = {x["premiums"][0]["grossPremium"] for x in read(sb, buyer, dask)["products"] if x["state"] == "ACTIVE"}
    assert len(prices) == 1  # DASK is a state pool: one tariff for every insurer
    body = {"$type": "konut", "propertyId": buyer.property, "insurerCustomerId": buyer.id, "insuredCustomerId": buyer.id,
            "coverageGroupIds": None, "furniturePrice": 50000, "electronicDevicePrice": 10000, "insulationPrice": 1000,
            "windowPrice": 5000, "constructionCostPerSquareMeter": 25000, "inflation": 60, "channel": "WEBSITE"}
    cheap = created(sb, buyer, body)
    dear = created(sb, buyer, {**body, "furniturePrice": 400000, "electronicDevicePrice": 200000})
    settle(sb, agent.id, cheap)
    settle(sb, agent.id, dear)
    a = {x["productId"]: x for x in read(sb, buyer, cheap)["products"] if x["state"] == "ACTIVE"}
    b = {x["productId"]: x for x in read(sb, buyer, dear)["products"] if x["state"] == "ACTIVE"}
    both = set(a) & set(b)
    assert both and all(b[k]["premiums"][0]["netPremium"] > a[k]["premiums"][0]["netPremium"] for k in both)
    assert read(sb, buyer, cheap)["snapshot"]["konutOptions"]["inflation"] == 60
    bad = create(sb, buyer, {**body, "inflation": 7, "windowPrice": -1, "earthquakeCoverageOption": 2})
    assert fields(bad) == {"inflation", "windowPrice", "earthquakeCoverageOption"}


def test_tss_single_needs_height_and_weight_and_older_people_pay_more(sb, agent):
    young = new_buyer(sb, agent.id, birth_date="1998-01-01")
    old = new_buyer(sb, agent.id, birth_date="1962-01-01")
    body = lambda b: {"$type": "tss", "insurerCustomerId": b.id, "insuredCustomerId": b.id, "channel": "WEBSITE"}  # noqa: E731
    assert error(create(sb, young, body(young)), 400)["codes"] == ["PROPOSAL_HEIGHT_REQUIRED"]
    health(sb, young)
    sb.sandbox.agents[agent.id].customers[young.id].health.weight = None  # the API always sets both
    assert error(create(sb, young, body(young)), 400)["codes"] == ["PROPOSAL_WEIGHT_REQUIRED"]
    health(sb, young)
    health(sb, old)
    prices = []
    for b in (young, old):
        pid = created(sb, b, body(b))
        settle(sb, agent.id, pid)
        prices.append({x["productId"]: x["premiums"][0]["netPremium"] for x in read(sb, b, pid)["products"]
                       if x["state"] == "ACTIVE"})
    common = set(prices[0]) & set(prices[1])
    assert common and all(prices[1][k] > prices[0][k] for k in common)


def test_tss_family_rules_run_in_the_documented_order(sb, agent):
    main = new_buyer(sb, agent.id, birth_date="1980-01-01")
    agent_token = sb.service_token(agent)
    h = sb.bearer(agent_token)

    def person(birth: str, relation: str | None = None, healthy: bool = True) -> str:
        r = sb.http.post("/api/customers", headers=h, json={"$type": "individual", "identityNumber": fresh_tckn(),
                                                          "birthDate": birth, "fullName": "AİLE ÜYESİ"})
        assert r.status_code == 200, r.text
        cid = r.json()["id"]
        if relation:
            rr = sb.http.post(f"/api/customers/{main.id}/relationships", headers=h,
                              json={"relatedCustomerId": cid, "relationType": relation})
            assert rr.status_code == 200, rr.text
        if healthy:
            assert sb.http.put(f"/api/customers/{cid}/health-info", headers=h, json={"height": 150, "weight": 50}).status_code == 200
        return cid

    def family(insurer: str, insured: str, extra: list[str]):
        return sb.http.post("/api/proposals", headers=h, json={
            "$type": "tss", "insurerCustomerId": insurer, "insuredCustomerId": insured,
            "additionalInsuredCustomers": extra, "channel": "WEBSITE"})

    spouse, kid = person("1982-05-05", "SPOUSE"), person("2015-03-03", "CHILD")
    teen_payer = person("2012-01-01")
    stranger, grown_child = person("1990-01-01"), person("2000-01-01", "CHILD")
    unhealthy_kid = person("2016-01-01", "CHILD", healthy=False)
    kids = [person(f"201{i}-01-01", "CHILD") for i in range(4)]
    assert error(family(teen_payer, main.id, [spouse]), 400)["codes"] == ["PROPOSAL_INSURER_MUST_BE_ADULT"]
    assert error(family(main.id, main.id, [spouse]), 400)["codes"] == ["PROPOSAL_HEIGHT_REQUIRED"]  # main insured
    health(sb, main)
    assert error(family(main.id, main.id, [spouse, *kids]), 400)["codes"] == ["PROPOSAL_MAX_FAMILY_MEMBERS_EXCEEDED"]
    dup = family(main.id, main.id, [kid, kid])
    assert error(dup, 400)["codes"] == ["PROPOSAL_ADDITIONAL_INSURED_DUPLICATE"]
    assert fields(dup) == {"additionalInsuredCustomers[1]"}
    assert error(family(main.id, main.id, [main.id]), 400)["codes"] == ["PROPOSAL_ADDITIONAL_INSURED_DUPLICATE"]
    assert error(family(main.id, main.id, [stranger]), 400)["codes"] == ["PROPOSAL_ADDITIONAL_INSURED_NOT_RELATIVE"]
    assert error(family(main.id, main.id, [grown_child]), 400)["codes"] == ["PROPOSAL_ADDITIONAL_INSURED_CHILD_TOO_OLD"]
    assert error(family(main.id, main.id, [unhealthy_kid]), 400)["codes"] == ["PROPOSAL_HEIGHT_REQUIRED"]
    # a child as main insured with a sibling: nobody insured is 20+, and the paying parent does not count
    kid_links = {l["relatedCustomerId"]: l["relationType"]
                 for l in sb.http.get(f"/api/customers/{kid}/relationships", headers=h).json()}
    assert kid_links.get(kids[0]) == "SIBLING"  # children of one parent are siblings automatically
    sibling = kids[0]
    assert error(family(main.id, kid, [sibling]), 400)["codes"] == ["PROPOSAL_FAMILY_REQUIRES_ADULT"]
    missing = family(main.id, main.id, ["00000000-0000-4000-8000-000000000000"])
    assert error(missing, 404)["codes"] == ["CUSTOMER_NOT_FOUND"] and fields(missing) == {"additionalInsuredCustomers[0]"}
    ok = family(main.id, main.id, [spouse, kid])
    assert ok.status_code == 200, ok.text
    p = read(sb, main, ok.json()["proposalId"], headers=h)
    assert p["additionalInsuredCustomerIds"] == [spouse, kid] and len(p["snapshot"]["additionalInsuredCustomers"]) == 2
    # one consolidated family premium per insurer product
    assert len({x["productId"] for x in p["products"]}) == len(p["products"])


def test_every_validation_code_names_its_field(sb, agent, buyer):
    other = new_buyer(sb, agent.id)
    staff = sb.bearer(sb.service_token(agent))
    cases = [
        ({"$type": "boat"}, 422, "PROPOSAL_TYPE_INVALID", "$type"),
        (kasko_body(buyer, productBranch="DASK"), 422, "PROPOSAL_BRANCH_MISMATCH", "productBranch"),
        (kasko_body(buyer, insurerCustomerId="00000000-0000-4000-8000-000000000000"), 404, "CUSTOMER_NOT_FOUND",
         "insurerCustomerId"),
        (kasko_body(buyer, vehicleId=None), 422, "PROPOSAL_VEHICLE_REQUIRED", "vehicleId"),
        (kasko_body(buyer, vehicleId="00000000-0000-4000-8000-000000000000"), 422, "VEHICLE_NOT_FOUND", "vehicleId"),
        (kasko_body(buyer, vehicleId=buyer.property), 422, "PROPOSAL_ASSET_BRANCH_MISMATCH", "vehicleId"),
        (kasko_body(buyer, propertyId=buyer.property), 422, "PROPOSAL_ASSET_BRANCH_MISMATCH", "propertyId"),
        (kasko_body(buyer, insurerCustomerId=other.id, insuredCustomerId=other.id), 422, "PROPOSAL_ASSET_NOT_OWNED",
         "vehicleId"),
        ({"$type": "dask", "insurerCustomerId": buyer.id}, 422, "PROPOSAL_PROPERTY_REQUIRED", "propertyId"),
        ({"$type": "konut", "insurerCustomerId": buyer.id, "propertyId": buyer.vehicle}, 422,
         "PROPOSAL_ASSET_BRANCH_MISMATCH", "propertyId"),
        ({"$type": "dask", "insurerCustomerId": buyer.id, "propertyId": "00000000-0000-4000-8000-000000000000"}, 422,
         "PROPERTY_NOT_FOUND", "propertyId"),
        ({"$type": "tss", "insurerCustomerId": buyer.id, "vehicleId": buyer.vehicle}, 422,
         "PROPOSAL_ASSET_BRANCH_MISMATCH", "vehicleId"),
        (kasko_body(buyer, additionalInsuredCustomers=[other.id]), 422, "PROPOSAL_ADDITIONAL_INSURED_NOT_ALLOWED",
         "additionalInsuredCustomers"),
        (kasko_body(buyer, coverageGroupIds=["ffffffffffffffffffffffff"]), 422, "COVERAGE_GROUP_NOT_FOUND",
         "coverageGroupIds[0]"),
        (kasko_body(buyer, coverageGroupIds=[1.5]), 422, "COVERAGE_GROUP_INVALID", "coverageGroupIds[0]"),
        (kasko_body(buyer, coverage={"immLimitiAyrimsiz": {"$type": "DECIMAL", "value": -1}}), 422, "COVERAGE_INVALID",
         "coverage.immLimitiAyrimsiz"),
        (kasko_body(buyer, coverage={"uçanHalı": {"$type": "INCLUDED"}}), 422, "COVERAGE_INVALID", "coverage.uçanHalı"),
        (kasko_body(buyer, policyStartDate="2001-01-01"), 422, "PROPOSAL_START_DATE_INVALID", "policyStartDate"),
        (kasko_body(buyer, policyStartDate="soon"), 422, "PROPOSAL_START_DATE_INVALID", "policyStartDate"),
    ]
    for body, status, code, field in cases:
        r = create(sb, buyer, body, headers=staff)
        assert r.status_code == status and code in r.json()["codes"] and field in fields(r), (body, r.text)
    groups = sb.http.get("/api/coverage-groups", headers=staff).json()
    tss_group = next(g["id"] for g in groups if g["productBranch"] == "TSS")
    kasko_groups = [g["id"] for g in groups if g["productBranch"] == "KASKO"]
    r = create(sb, buyer, kasko_body(buyer, coverageGroupIds=[tss_group]), headers=staff)
    assert error(r, 422)["codes"] == ["COVERAGE_GROUP_BRANCH_MISMATCH"] and fields(r) == {"coverageGroupIds[0]"}
    extra = [sb.http.post("/api/coverage-groups", headers=staff, json={"name": f"G{i}", "productBranch": "KASKO"}).json()["id"]
             for i in range(2)]
    r = create(sb, buyer, kasko_body(buyer, coverageGroupIds=kasko_groups + extra), headers=staff)
    assert error(r, 422)["codes"] == ["COVERAGE_GROUP_LIMIT_EXCEEDED"]
    bad_channel = create(sb, buyer, kasko_body(buyer, channel="PIGEON"))
    assert fields(bad_channel) == {"channel"}
    assert error(sb.http.post("/api/proposals", headers={**buyer.h, "Content-Type": "application/json"},
                              content=b"[1]"), 400)["codes"] == ["MALFORMED_JSON"]
    # a customer token quotes only as itself
    r = create(sb, buyer, kasko_body(other, vehicleId=other.vehicle))
    assert error(r, 403)["codes"] == ["PROPOSAL_CUSTOMER_MISMATCH"] and fields(r) == {"insurerCustomerId"}
    assert sb.http.post("/api/proposals", json=kasko_body(buyer)).status_code == 401


# ----------------------------------------------------------------------------- magic, retry, revise
def test_magic_group_fails_one_insurer_then_retry_succeeds(sb, agent, buyer):
    doga = magic.magic_fail_id(43)
    pid = created(sb, buyer, kasko_body(buyer, coverageGroupIds=[doga]))
    settle(sb, agent.id, pid)
    p = read(sb, buyer, pid)
    failed = [x for x in p["products"] if x["insuranceCompanyId"] == 43]
    assert failed and all(x["state"] == "FAILED" and "Doğa Sigorta" in x["errorMessage"] for x in failed)
    others = [x for x in p["products"] if x["insuranceCompanyId"] != 43]
    assert any(x["state"] == "ACTIVE" for x in others)
    target = failed[0]
    active = next(x for x in others if x["state"] == "ACTIVE")
    not_failed = sb.http.post(f"/api/proposals/{pid}/products/{active['id']}/retry", headers=buyer.h)
    assert error(not_failed, 409)["codes"] == ["PROPOSAL_PRODUCT_NOT_FAILED"]
    r = sb.http.post(f"/api/proposals/{pid}/products/{target['id']}/retry", headers=buyer.h)
    assert r.status_code == 204
    again = sb.http.get(f"/api/proposals/{pid}/products/{target['id']}", headers=buyer.h).json()
    assert again["state"] == "WAITING" and again["attempt"] == 2 and again["errorMessage"] is None
    sb.advance(agent.id, 300)
    again = sb.http.get(f"/api/proposals/{pid}/products/{target['id']}", headers=buyer.h).json()
    assert again["state"] in ("ACTIVE", "FAILED") and ("sihirli" not in (again["errorMessage"] or ""))
    # the kasko guide retries with GET
    if again["state"] == "FAILED":
        assert sb.http.get(f"/api/proposals/{pid}/products/{target['id']}/retry", headers=buyer.h).status_code == 204


def test_magic_slow_investigation_and_plates(sb, agent):
    b = new_buyer(sb, agent.id)
    staff = lambda: sb.bearer(sb.service_token(agent))  # noqa: E731  (tokens expire as the clock jumps)
    slow = created(sb, b, kasko_body(b, coverageGroupIds=[magic.MAGIC_SLOW]))
    sb.advance(agent.id, 60)
    assert read(sb, b, slow)["succeedProductsCount"] == 0 and read(sb, b, slow)["state"] == "WAITING"
    sb.advance(agent.id, 2600)
    assert read(sb, b, slow, staff())["state"] in ("ACTIVE", "FAILED")
    inv = created(sb, b, kasko_body(b, coverageGroupIds=[magic.MAGIC_INVESTIGATION]), staff())
    sb.advance(agent.id, 3000)
    p = read(sb, b, inv, staff())
    waiting = [x for x in p["products"] if x["state"] == "WAITING"]
    assert p["state"] == "WAITING" and len(waiting) == 1 and waiting[0]["needsInvestigationByCompany"] is True
    assert waiting[0]["errorMessage"]
    assert settle(sb, agent.id, inv)["settledProducts"] == 1
    assert read(sb, b, inv, staff())["state"] in ("ACTIVE", "FAILED")
    plated = new_buyer(sb, agent.id, plate="34HT043")
    pid = created(sb, plated, kasko_body(plated))
    settle(sb, agent.id, pid)
    assert all(x["state"] == "FAILED" for x in read(sb, plated, pid)["products"] if x["insuranceCompanyId"] == 43)
    catalogue = sb.http.get("/__sandbox/magic").json()
    assert any(magic.MAGIC_SLOW in m["value"] for m in catalogue["proposal"])


def test_revise_proposal_and_product(sb, agent, buyer):
    pid = created(sb, buyer, kasko_body(buyer))
    settle(sb, agent.id, pid)
    groups = [g["id"] for g in sb.http.get("/api/coverage-groups", headers=sb.bearer(sb.service_token(agent))).json()
              if g["productBranch"] == "KASKO"]
    r = sb.http.post(f"/api/proposals/{pid}/revise", headers=buyer.h, json={"coverageGroupIds": groups[1:]})
    assert r.status_code == 200 and set(r.json()) == {"proposalId"} and r.json()["proposalId"] != pid
    revised = read(sb, buyer, r.json()["proposalId"])
    assert revised["revisedFromProposalId"] == pid and {x["coverageGroupId"] for x in revised["products"]} == {groups[1]}
    product = read(sb, buyer, pid)["products"][0]
    r = sb.http.post(f"/api/proposals/{pid}/products/{product['id']}/revise", headers=buyer.h,
                     json={"guaranteeGroupId": groups[1]})
    assert r.status_code == 200 and r.json()["proposalId"] == pid
    new = sb.http.get(f"/api/proposals/{pid}/products/{r.json()['proposalProductId']}", headers=buyer.h).json()
    assert new["revised"] is True and new["productId"] == product["productId"] and new["coverageGroupId"] == groups[1]
    # the SDK's "null to keep existing": the same product asked again with its own group and coverage
    again = sb.http.post(f"/api/proposals/{pid}/products/{product['id']}/revise", headers=buyer.h,
                         json={"guaranteeGroupId": None, "coverage": None})
    assert again.status_code == 200, again.text
    kept = sb.http.get(f"/api/proposals/{pid}/products/{again.json()['proposalProductId']}", headers=buyer.h).json()
    assert kept["revised"] is True and kept["coverageGroupId"] == product["coverageGroupId"]
    settle(sb, agent.id, pid)
    coverage_of = lambda pp_id: sb.http.get(f"/api/proposals/{pid}/products/{pp_id}/coverage", headers=buyer.h).json()
    assert coverage_of(kept["id"]) == coverage_of(product["id"])


# ----------------------------------------------------------------------------- premiums, documents
def test_premium_detail_on_both_paths_and_its_errors(sb, agent, buyer):
    pid = created(sb, buyer, kasko_body(buyer))
    first = read(sb, buyer, pid)["products"][0]
    waiting = sb.http.get(f"/api/proposals/{pid}/products/{first['id']}/premiums/1", headers=buyer.h)
    assert error(waiting, 409)["codes"] == ["PROPOSAL_PRODUCT_NOT_ACTIVE"]
    settle(sb, agent.id, pid)
    x = next(x for x in read(sb, buyer, pid)["products"] if x["state"] == "ACTIVE")
    n = x["premiums"][-1]["installmentNumber"]
    docs = sb.http.get(f"/api/proposals/{pid}/products/{x['id']}/premiums/{n}", headers=buyer.h).json()
    sdk = sb.http.get(f"/proposals/{pid}/products/{x['id']}/premium-detail/{n}", headers=buyer.h).json()
    assert docs == sdk and w.PremiumDetail.model_validate(docs).grossPremium == x["premiums"][-1]["grossPremium"]
    assert docs["installmentAmount"] == round(docs["grossPremium"] / n, 2)
    if n < 12:
        missing = sb.http.get(f"/api/proposals/{pid}/products/{x['id']}/premiums/{n + 1}", headers=buyer.h)
        assert error(missing, 404)["codes"] == ["PROPOSAL_PREMIUM_NOT_FOUND"]
    assert fields(sb.http.get(f"/api/proposals/{pid}/products/{x['id']}/premiums/0", headers=buyer.h)) == {"installmentNumber"}
    cov = sb.http.get(f"/api/proposals/{pid}/products/{x['id']}/coverage", headers=buyer.h).json()
    assert cov["coverage"]["$type"] == "kasko" and cov["coverage"]["immLimitiAyrimsiz"]["$type"] == "DECIMAL"
    assert sb.http.get(f"/api/proposals/{pid}/products/nope", headers=buyer.h).json()["codes"] == ["PROPOSAL_PRODUCT_NOT_FOUND"]


def pdf_text(sb, url: str) -> str:
    assert url.startswith("http://testserver/__sandbox/documents/")
    r = sb.http.get(url.removeprefix("http://testserver"), headers={"Origin": "https://site.example"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["access-control-allow-origin"] == "*"  # the site fetch()es the URL from the browser
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)


def test_documents_are_real_pdfs_with_turkish_text(sb, agent, buyer):
    pid = created(sb, buyer, kasko_body(buyer))
    settle(sb, agent.id, pid)
    products = [x for x in read(sb, buyer, pid)["products"] if x["state"] == "ACTIVE"]
    x = products[0]
    base = f"/api/proposals/{pid}/products/{x['id']}"
    text = pdf_text(sb, sb.http.get(base + "/document", headers=buyer.h).json()["url"])
    assert "Sigorta Teklif Formu" in text and x["insuranceCompanyName"] in text and "Sigortalı" in text
    assert x["premiums"][0]["insuranceCompanyProposalNumber"] in text and "İMM Limiti" in text
    forms = {sb.http.get(base + path, headers=buyer.h).json()["url"]
             for path in ("/information-form-document", "/information-form", "/documents/preinfoform")}
    assert len(forms) == 1 and "Ön Bilgilendirme Formu" in pdf_text(sb, forms.pop())
    chosen = [p["id"] for p in products[:3]]
    url = sb.http.post(f"/api/proposals/{pid}/products/compare-pdf", headers=buyer.h,
                       json={"proposalProductIds": chosen, "excludedCoverageFields": ["hirsizlik"]}).json()["url"]
    text = pdf_text(sb, url)
    assert "Teklif Karşılaştırma Tablosu" in text and "Hırsızlık" not in text and "Anahtar Kaybı" in text
    assert "Teklif Karşılaştırma" in pdf_text(sb, sb.http.get(f"/proposals/{pid}/products/compare-pdf",
                                                                headers=buyer.h).json()["url"])
    tampered = url.replace(".pdf", "0.pdf").removeprefix("http://testserver")
    assert error(sb.http.get(tampered), 404)["codes"] == ["DOCUMENT_NOT_FOUND"]
    waiting = created(sb, buyer, kasko_body(buyer))
    wp = read(sb, buyer, waiting)["products"][0]["id"]
    assert error(sb.http.get(f"/api/proposals/{waiting}/products/{wp}/document", headers=buyer.h), 409)["codes"] == \
        ["PROPOSAL_PRODUCT_NOT_ACTIVE"]
    # sending: to the agent's outbox, by email or SMS
    for comm in ({"type": "email", "email": "musteri@ornek.com.tr"}, {"type": "sms", "phoneNumber": "+905321234567"}):
        r = sb.http.post(base + "/document/send", headers=buyer.h,
                         json={"proposalId": pid, "proposalProductId": x["id"], "customerId": buyer.id,
                               "communication": comm})
        assert r.status_code == 204, r.text
    assert sb.http.post(base + "/information-form/send", headers=buyer.h,
                        json={"communication": {"type": "email", "email": "a@b.co"}}).status_code == 204
    assert sb.http.post(f"/api/proposals/{pid}/products/compare-pdf/send", headers=buyer.h,
                        json={"communication": {"type": "email", "email": "a@b.co"}}).status_code == 204
    sent = sb.http.get(f"/__sandbox/agents/{agent.id}/outbox").json()
    assert [(m["channel"], m["to"], m["kind"]) for m in sent] == [
        ("email", "musteri@ornek.com.tr", "proposal"), ("sms", "5321234567", "proposal"),
        ("email", "a@b.co", "information-form"), ("email", "a@b.co", "compare")]
    assert "Teklif Formu" in pdf_text(sb, sent[0]["documentUrl"])
    bad = sb.http.post(base + "/document/send", headers=buyer.h, json={"communication": {"type": "fax"}})
    assert fields(bad) == {"communication.type"}
    # a reset agent's links stop working
    sb.http.post(f"/__sandbox/agents/{agent.id}/reset")
    assert sb.http.get(url.removeprefix("http://testserver")).status_code == 404


# ----------------------------------------------------------------------------- coverage, lists, events
def test_coverage_choices_and_groups_crud(sb, agent, buyer):
    staff = sb.bearer(sb.service_token(agent))
    for branch in ("kasko", "konut", "imm", "tss"):
        r = sb.http.get(f"/api/coverage-choices:{branch}", headers=buyer.h, params={"insuranceCompanyId": 43})
        assert r.status_code == 200 and r.json()["$type"] == branch and r.json()["items"], r.text
    kasko = sb.http.get("/coverage-choices:kasko", headers=staff, params={"vehicleUtilizationStyle": "1"}).json()
    assert "onarimServisTuru" in {i["key"] for i in kasko["items"]}
    r = sb.http.post("/api/coverage-groups", headers=staff, json={
        "name": "Yetkili servis", "productBranch": "KASKO", "coverage": {"onarimServisTuru": "YETKILI_SERVIS"}})
    assert r.status_code == 201
    gid = r.json()["id"]
    g = w.CoverageGroupOut.model_validate(sb.http.get(f"/api/coverage-groups/{gid}", headers=staff).json())
    got = g.coverage.model_dump(by_alias=True, exclude_none=True)
    assert got["onarimServisTuru"] == "YETKILI_SERVIS" and got["hirsizlik"] == {"$type": "INCLUDED"}
    put = sb.http.put(f"/api/coverage-groups/{gid}", headers=staff, json={"name": "Yeni ad"})
    assert put.status_code == 200 and put.json()["name"] == "Yeni ad" and put.json()["lastUpdatedBy"]["userType"] == 2
    assert fields(sb.http.put(f"/api/coverage-groups/{gid}", headers=staff, json={"productBranch": "TSS"})) == {"productBranch"}
    bad = sb.http.post("/api/coverage-groups", headers=staff, json={"name": "", "productBranch": "KASKO",
                                                                   "coverage": {"onarimServisTuru": "KOMŞU"}})
    assert error(bad, 422)["validationErrors"][0]["propertyName"] in ("name", "coverage.onarimServisTuru")
    assert sb.http.get("/api/coverage-groups", headers=buyer.h).status_code == 403
    assert [x["id"] for x in sb.http.get("/api/coverage-groups", headers=staff,
                                         params={"productBranch": "TSS"}).json()] != []
    assert sb.http.delete(f"/api/coverage-groups/{gid}", headers=staff).status_code == 204
    assert error(sb.http.get(f"/api/coverage-groups/{gid}", headers=staff), 404)["codes"] == ["COVERAGE_GROUP_NOT_FOUND"]


def test_lists_are_role_filtered_and_graphql_sees_the_same_state(sb, agent, buyer):
    other = new_buyer(sb, agent.id)
    mine = {created(sb, buyer, kasko_body(buyer)) for _ in range(2)}
    theirs = created(sb, other, kasko_body(other))
    staff_token = sb.service_token(agent)
    staff = sb.bearer(staff_token)
    listed = w.ProposalList.model_validate(sb.http.get("/api/proposals", headers=buyer.h).json())
    assert {i.proposalId for i in listed.items} == mine and listed.totalCount == 2
    everything = sb.http.get("/proposals", headers=staff, params={"take": 100}).json()
    assert {i["proposalId"] for i in everything["items"]} == mine | {theirs}
    assert sb.http.get(f"/api/proposals/{theirs}", headers=buyer.h).json()["codes"] == ["PROPOSAL_NOT_FOUND"]
    assert sb.http.get("/proposals", headers=staff, params={"take": 0}).status_code == 422
    new = sb.graphql(staff_token, "{ proposalsNew(first: 50) { totalCount nodes { id state productsCount insuredCustomerName } } }")
    assert {n["id"] for n in new["data"]["proposalsNew"]["nodes"]} == mine | {theirs}
    legacy = sb.graphql(buyer.token, "{ proposals(skip: 0, take: 10) { totalCount items { id status productBranch } } }")
    assert {n["id"] for n in legacy["data"]["proposals"]["items"]} == mine
    b2b = sb.graphql(staff_token, "{ getProposalsNew(first: 10, filter: {state: {eq: WAITING}}) { totalCount edges { node { id vehiclePlate lowestPremium } } } }")
    assert {e["node"]["id"] for e in b2b["data"]["getProposalsNew"]["edges"]} == mine | {theirs}
    settle(sb, agent.id, theirs)
    detail = read(sb, other, theirs)
    node = sb.graphql(staff_token, '{ proposalsNew(first: 1, filter: {id: {eq: "%s"}}) { nodes { state succeedProductsCount lowestPremium highestPremium } } }' % theirs)
    assert node["data"]["proposalsNew"]["nodes"][0] == {"state": detail["state"], "succeedProductsCount": detail["succeedProductsCount"],
                                                       "lowestPremium": detail["lowestPremium"], "highestPremium": detail["highestPremium"]}
    me = sb.http.get("/api/customers/me", headers=buyer.h).json()
    assert me["proposalCount"] == 2


def test_premium_received_events_once_per_quote(sb, agent, buyer):
    pid = created(sb, buyer, kasko_body(buyer))
    sb.advance(agent.id, 5)
    settle(sb, agent.id, pid)
    sb.advance(agent.id, 300)
    p = read(sb, buyer, pid)
    events = [e["payload"] for e in sb.http.get(f"/__sandbox/agents/{agent.id}/events",
                                                params={"event": "proposal_premium.received"}).json()]
    active = {x["id"]: x for x in p["products"] if x["state"] == "ACTIVE"}
    assert sorted(e["proposalProductId"] for e in events) == sorted(active)
    for e in events:
        assert set(e) == {"$event", "proposalId", "productId", "proposalProductId", "productBranch", "premiums",
                          "insuredCustomer", "tempProposalDocumentUrl", "tempPreInfoDocumentUrl"}
        assert e["premiums"] == active[e["proposalProductId"]]["premiums"]
        assert e["productId"] == active[e["proposalProductId"]]["productId"]
        assert e["insuredCustomer"]["$type"] == "individual" and e["insuredCustomer"]["identityNumber"]


def _nulls(value, path="$") -> list[str]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nulls(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nulls(v, f"{path}[{i}]")]
    return [path] if value is None else []


@pytest.mark.parametrize("branch", ["KASKO", "TRAFIK", "KONUT", "DASK", "TSS"])
def test_the_snapshot_is_the_sdks_proposal_snapshot(sb, agent, buyer, branch):
    """Written from the SDK's ProposalSnapshot (contracts/src/proposals.ts, common.vehicle.ts,
    common.property.ts): a union on productBranch; the customer's kind as the CustomerType enum with
    a name; identity, birth date, registration date, seats, UAVT number, area and year as {value}
    objects; engine and chassis as {number}; TSS adds height, weight, surgeries and diseases."""
    base = {"insurerCustomerId": buyer.id, "insuredCustomerId": buyer.id, "channel": "WEBSITE"}
    if branch in ("KASKO", "TRAFIK"):
        body = {**base, "$type": branch.lower(), "vehicleId": buyer.vehicle}
    elif branch in ("KONUT", "DASK"):
        body = {**base, "$type": branch.lower(), "propertyId": buyer.property}
    else:
        health(sb, buyer)
        body = {**base, "$type": "tss"}
    pid = created(sb, buyer, body)
    read(sb, buyer, pid)  # (the detail answers and fits its model)
    raw = sb.http.get(f"/api/proposals/{pid}/snapshot", headers=buyer.h).json()
    assert raw == sb.http.get(f"/api/proposals/{pid}", headers=buyer.h).json()["snapshot"]
    # optional fields are left out, not null (deeper, the SDK's own types allow null: fuel.customLpgPrice…)
    assert [p for p in _nulls(raw) if p.count(".") <= 2] == []
    assert raw["productBranch"] == branch and raw["isInsuredCustomerSameAsInsurerCustomer"] is True
    person = raw["insurerCustomer"]
    assert person["type"] == "INDIVIDUAL" and "$type" not in person and person["name"] == person["fullName"] != ""
    assert isinstance(person["identityNumber"]["value"], int) and person["birthDate"] == {"value": "1985-04-12"}
    assert raw["insuredCustomer"]["id"] == buyer.id
    if branch in ("KASKO", "TRAFIK"):
        v = raw["vehicle"]
        assert v["id"] == buyer.vehicle and v["plate"]["city"] == 34 and v["hasPlate"] is True
        assert not {"engineNumber", "chassisNumber", "customerId", "createdAt"} & set(v)
        for key in ("engine", "chassis"):
            assert set(v.get(key, {"number": "x"})) == {"number"}
        assert all(set(v[k]) == {"value"} for k in ("registrationDate", "seatNumber") if k in v)
        assert "property" not in raw and "surgeries" not in raw
    elif branch in ("KONUT", "DASK"):
        p = raw["property"]
        assert p["number"] == {"value": int(magic.UAVT_FIXED)}
        assert p["squareMeter"] == {"value": 120} and p["constructionYear"] == {"value": 2005}
        assert p["floor"]["totalFloors"] == {"$type": "range", "min": 4, "max": 7} and "vehicle" not in raw
    else:
        assert raw["height"] == {"value": 178} and raw["weight"] == {"value": 80}
        assert raw["surgeries"] == [] and raw["diseases"] == []


# the SDK's coverage vocabulary (contracts/src/common.coverage.ts): CoverageValue and KiralikArac
# members, and the keys of each branch's coverage
SDK_VALUE = {"UNDEFINED", "INCLUDED", "NOT_INCLUDED", "MARKET_VALUE", "DECIMAL", "NUMBER", "PERCENT", "LIMITLESS",
             "HIGHEST_LIMIT"}
SDK_RENTAL = {"NONE", "UNDEFINED", "DEFINED"}
SDK_KEYS = {
    "TRAFIK": {"maddiHasarAracBasina", "maddiHasarKazaBasina", "sakatlanmaVeOlumKisiBasina",
               "sakatlanmaVeOlumKazaBasina", "tedaviSaglikGiderleriKisiBasina", "tedaviSaglikGiderleriKazaBasina",
               "hukuksalKorumaAracaBagli", "hukuksalKorumaSurucuyeBagli", "immKombine", "ferdiKaza", "acilSaglik",
               "cekiciHizmeti", "aracBakimPlani"},
    "KONUT": {"enflasyon", "sigortaKapsami", "binaYanginYildirimInfilak", "yanginMaliMesuliyet", "firtina",
              "karAgirligi", "duman", "yerKaymasi", "dolu", "dahiliSu", "karaVeHavaTasitlariCarpmasi",
              "enkazKaldirmaMasraflari", "ferdiKaza", "hukuksalKoruma", "selSuBaskini", "camKirilmasi", "hirsizlik",
              "kiraKaybi", "ikametgahDegisikligiMasraflari", "elektronikCihaz", "izolasyon",
              "tesisatVeElektrikArizalari", "cilingirHizmetleri", "kombiVeKlimaBakimi"},
    "TSS": {"hastaneAgi", "saglikPaketi", "disPaketi", "diyetisyenHizmeti", "yogunBakim", "checkUpHizmeti",
            "psikolojikDanismanlik", "fizikTedavi", "suniUzuv", "ambulans", "yatarakTedavi", "ayaktaTedavi",
            "doktorMuayene", "ameliyat", "ameliyatMalzeme", "kemoterapi", "radyoterapi", "diyaliz", "evdeBakim",
            "yediGun24SaatTibbiDanismanlik", "dogum", "kucukMudahale", "gozPaketi"},
}
SDK_OPTIONS = {"hastaneAgi": {"BILINMIYOR", "DAR_KAPSAM", "STANDART_KAPSAM", "GENIS_KAPSAM"}}


def _sdk_coverage_problems(cov: dict, branch: str) -> list[str]:
    out = [] if cov.get("productBranch") == branch else [f"productBranch {cov.get('productBranch')!r}"]
    for key, value in cov.items():
        if key in ("$type", "productBranch"):
            continue
        if branch in SDK_KEYS and key not in SDK_KEYS[branch]:
            out.append(f"{key}: not a {branch} coverage key of the SDK")
        elif isinstance(value, dict):
            members = SDK_RENTAL if key == "kiralikArac" else SDK_VALUE
            if value.get("$type") not in members:
                out.append(f"{key}: {value.get('$type')} is not a member")
        elif key in SDK_OPTIONS and value not in SDK_OPTIONS[key]:
            out.append(f"{key}: {value} is not a member")
    return out


@pytest.mark.parametrize("branch", ["KASKO", "TRAFIK", "KONUT", "TSS"])
def test_every_coverage_is_in_the_sdks_vocabulary(sb, agent, buyer, branch):
    body = {"insurerCustomerId": buyer.id, "insuredCustomerId": buyer.id, "channel": "WEBSITE",
            "$type": branch.lower()}
    if branch in ("KASKO", "TRAFIK"):
        body["vehicleId"] = buyer.vehicle
    elif branch == "KONUT":
        body["propertyId"] = buyer.property
    else:
        health(sb, buyer)
    pid = created(sb, buyer, body)
    settle(sb, agent.id, pid)
    p = sb.http.get(f"/api/proposals/{pid}", headers=buyer.h).json()
    seen = [c for x in p["products"] for c in (x["initialCoverage"], x.get("pdfCoverage"),
                                                 x.get("insuranceServiceProviderCoverage")) if c]
    seen += [row["coverage"] for g in p["coverageGroups"] for row in g["coverageTable"]]
    if p["initialCoverage"]:
        seen.append(p["initialCoverage"])
    quoted = next(x for x in p["products"] if x["state"] == "ACTIVE")
    seen.append(sb.http.get(f"/api/proposals/{pid}/products/{quoted['id']}/coverage", headers=buyer.h).json()["coverage"])
    assert seen and [msg for c in seen for msg in _sdk_coverage_problems(c, branch)] == []
    rates = {x["hasUndamagedDiscountRate"] for x in p["products"] if x["state"] == "ACTIVE"}
    if branch in ("KASKO", "TRAFIK"):  # the SDK's fraction (0.6 for 60 %), in REST as in the hub's events
        assert rates and all(isinstance(r, float) and 0 <= r < 1 for r in rates), rates
    for g in p["coverageGroups"]:  # the SDK's CoverageTable: rows
        assert all(set(row) == {"coverage", "insuranceCompanyId", "type", "productId"} for row in g["coverageTable"])


def test_coverage_in_earlier_spellings_is_taken_and_answered_in_the_sdks(sb, agent):
    staff = sb.bearer(sb.service_token(agent))
    r = sb.http.post("/api/coverage-groups", headers=staff, json={
        "name": "Eski", "productBranch": "TSS",
        "coverageTable": [{"coverage": {"$type": "tss", "hastaneAgi": "GENIS", "dogumPaketi": {"$type": "INCLUDED"}},
                           "insuranceCompanyId": None, "type": None}]})
    assert r.status_code == 201, r.text
    cov = sb.http.get(f"/api/coverage-groups/{r.json()['id']}", headers=staff).json()["coverage"]
    assert cov["hastaneAgi"] == "GENIS_KAPSAM" and cov["dogum"] == {"$type": "INCLUDED"} and "dogumPaketi" not in cov
    r = sb.http.post("/api/coverage-groups", headers=staff, json={
        "name": "Trafik", "productBranch": "TRAFIK", "coverage": {"aracBasinaMaddiHasar": {"$type": "DECIMAL",
                                                                                          "value": 300000}}})
    assert r.status_code == 201, r.text
    cov = sb.http.get(f"/api/coverage-groups/{r.json()['id']}", headers=staff).json()["coverage"]
    assert "aracBasinaMaddiHasar" not in cov and cov["maddiHasarAracBasina"] == {"$type": "DECIMAL", "value": 300000}
    assert _sdk_coverage_problems(cov, "TRAFIK") == []
    bad = sb.http.post("/api/coverage-groups", headers=staff, json={
        "name": "X", "productBranch": "KASKO", "coverage": {"camKirilmaMuafeyeti": {"$type": "NONE"}}})
    assert bad.status_code == 422 and bad.json()["validationErrors"][0]["propertyName"] == "coverage.camKirilmaMuafeyeti"


def test_a_proposal_asked_for_in_the_turkish_night_starts_on_the_turkish_day(sb):
    """At 22:30 UTC it is 01:30 the next day in Turkey: a proposal with no start date starts on the Turkish
    day, and the UTC date (yesterday there) is in the past."""
    agent = sb.new_agent()
    assert sb.http.post(f"/__sandbox/agents/{agent.id}/clock", json={"set": "2026-06-30T22:30:00Z"}).status_code == 200
    buyer = new_buyer(sb, agent.id)
    pid = created(sb, buyer, kasko_body(buyer))
    assert read(sb, buyer, pid)["policyStartDate"] == "2026-07-01"
    past = create(sb, buyer, kasko_body(buyer, policyStartDate="2026-06-30"))
    assert past.status_code == 422 and past.json()["codes"] == ["PROPOSAL_START_DATE_INVALID"], past.text
    assert "today (2026-07-01)" in past.json()["validationErrors"][0]["errorMessage"], past.text

