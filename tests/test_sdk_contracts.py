"""Every answer of a whole sale per branch checked against InsurUp's SDK contracts, as transcribed
in ``contracts/sdk/ts-toolkit.json`` (repository, path and commit of each file there): the next change
that drifts from the SDK fails here. The checker itself is proved first, on answers written from the
SDK's words, one per kind of departure."""

from __future__ import annotations

import pytest

from tests.conftest import fresh_phone, fresh_tckn
from tests.sdk_contracts import check, contracts
from tests.test_proposals import health, settle
from tests.test_purchases import CALLBACK, callback, card, finish_page


# ----------------------------------------------------------------------------- the checker
GOOD_PERSON = {"type": "INDIVIDUAL", "id": "c1", "name": "Ayşe Kaya", "fullName": "Ayşe Kaya",
               "identityNumber": {"value": 10000000146}, "birthDate": {"value": "1985-04-12"}}
GOOD_TRAFIK = {"$type": "trafik", "productBranch": "TRAFIK", "maddiHasarAracBasina": {"$type": "DECIMAL", "value": 1}}


@pytest.mark.parametrize("value, type_, expected", [
    (GOOD_PERSON, "ref:ProposalSnapshotCustomer", None),
    (GOOD_TRAFIK, "ref:Coverage", None),
    # the guide's CustomerModel where the SDK has ProposalSnapshotCustomer: no member for $type
    ({**GOOD_PERSON, "type": None, "$type": "individual"}, "ref:ProposalSnapshotCustomer", "selects no"),
    ({k: v for k, v in GOOD_PERSON.items() if k != "name"}, "ref:ProposalSnapshotCustomer", "name: required"),
    ({**GOOD_PERSON, "identityNumber": "10000000146"}, "ref:ProposalSnapshotCustomer", "a ValueNumber object"),
    ({**GOOD_PERSON, "identityNumber": {"value": "10000000146"}}, "ref:ProposalSnapshotCustomer", "a number expected"),
    ({**GOOD_PERSON, "email": None}, "ref:ProposalSnapshotCustomer", "null where"),
    ({**GOOD_TRAFIK, "aracBasinaMaddiHasar": {"$type": "DECIMAL", "value": 1}}, "ref:Coverage", "not a field"),
    ({**GOOD_TRAFIK, "maddiHasarAracBasina": {"$type": "NONE"}}, "ref:Coverage", "not a CoverageValueType"),
    ({"$type": "tss", "productBranch": "TSS", "hastaneAgi": "STANDART"}, "ref:Coverage", "not a HastaneAgi"),
    ({"id": "u", "name": "n", "userType": "AGENT"}, "ref:UserReference", "a number expected"),
    ({"coverage": GOOD_TRAFIK, "insuranceCompanyId": None}, "array:ref:CoverageTableRow", "an array expected"),
])
def test_the_checker_finds_each_kind_of_departure(value, type_, expected):
    found = check(value, type_)
    if expected is None:
        assert found == []
    else:
        assert found and any(expected in f for f in found), found


def test_the_transcription_names_its_sources():
    doc = contracts()
    assert doc["repository"] == "InsurUp/ts-toolkit"
    assert all(len(f["commit"]) == 40 and f["path"].startswith("packages/contracts/src/") for f in doc["files"].values())
    assert {t["from"] for t in doc["types"].values()} | {e["from"] for e in doc["enums"].values()} <= set(doc["files"])


# ----------------------------------------------------------------------------- a sale per branch
def _customer(sb, agent_id: str) -> tuple[dict[str, str], str]:
    token = sb.customer_login(agent_id, fresh_tckn(), phone=fresh_phone(), birth_date="1985-04-12")["accessToken"]
    h = sb.bearer(token)
    return h, sb.http.get("/api/customers/me", headers=h).json()["id"]


def _vehicle(sb, h, cid: str) -> str:
    """The SDK's CreateCustomerVehicleRequest, filled from the Tramer lookup as a site does."""
    plate = {"city": 34, "code": "KS4821"}
    found = sb.http.post(f"/api/customers/{cid}/vehicles/external-lookup", headers=h, json={"plate": plate}).json()
    body = {"customerId": cid, "plate": plate, "modelYear": found["model"]["year"],
            "brandReference": found["model"]["brand"]["value"], "modelTypeReference": found["model"]["type"]["value"],
            "utilizationStyle": "PRIVATE_CAR", "fuel": {"type": found["fuelType"]}, "engine": found["engine"],
            "chassis": found["chassis"], "registrationDate": found["registrationDate"],
            "seatNumber": found["seatNumber"], "documentSerial": {"code": "AB", "number": "123456"}, "accessories": []}
    r = sb.http.post(f"/api/customers/{cid}/vehicles", headers=h, json=body)
    assert r.status_code == 200, r.text
    return r.json()["id"]


def _property(sb, h, cid: str) -> str:
    from mockserver import magic

    r = sb.http.post(f"/api/customers/{cid}/properties", headers=h, json={
        "customerId": cid, "number": magic.UAVT_FIXED, "squareMeter": 110, "constructionYear": 2004,
        "damageStatus": "NONE", "structure": "STEEL_REINFORCED_CONCRETE", "utilizationStyle": "HOUSE",
        "ownershipType": "PROPRIETOR", "floor": {"totalFloors": {"$type": "exact", "value": 6}, "currentFloor": 2}})
    assert r.status_code == 200, r.text
    return r.json()["newPropertyId"]


def _active(sb, agent_id: str, h, pid: str) -> dict:
    for _ in range(5):
        settle(sb, agent_id, pid)
        products = sb.http.get(f"/api/proposals/{pid}", headers=h).json()["products"]
        bought = [x for x in products if x["state"] == "ACTIVE" and x["productType"] == "WEB_SERVICE"
                  and x["supportedPaymentOptions"]]
        if bought:
            return bought[0]
        for x in products:
            sb.http.post(f"/api/proposals/{pid}/products/{x['id']}/retry", headers=h)
    raise AssertionError("no product was quoted")


def _checked(answer, type_: str, where: str) -> list[str]:
    return [f"{where} {p}" for p in check(answer, type_)]


PAY = {"KASKO": "3d-secure", "TRAFIK": "insurance-company-redirect", "KONUT": "credit-card", "DASK": "open-account",
       "TSS": "3d-secure"}


@pytest.mark.parametrize("branch", list(PAY))
def test_a_whole_sale_answers_what_the_sdk_declares(sb, agent, branch):
    h, cid = _customer(sb, agent.id)
    staff = sb.bearer(sb.service_token(agent))
    r = sb.http.post("/api/cases:new-sale-opportunity", headers=h,
                     json={"customerId": cid, "productBranch": branch, "channel": "WEBSITE"})
    assert r.status_code == 200, r.text
    case_id = r.json()["id"]
    body = {"$type": branch.lower(), "productBranch": branch, "insurerCustomerId": cid, "insuredCustomerId": cid,
            "channel": "MOBILE_APP", "coverageGroupIds": None}
    if branch in ("KASKO", "TRAFIK"):
        body["vehicleId"] = _vehicle(sb, h, cid)
    elif branch in ("KONUT", "DASK"):
        body["propertyId"] = _property(sb, h, cid)
    else:
        health(sb, type("B", (), {"id": cid, "h": h})())
    if branch == "KONUT":
        body.update(furniturePrice=60000, electronicDevicePrice=15000, insulationPrice=2000, windowPrice=4000,
                    earthquakeCoverageOption=1, vacancyDurationOption=0)
    r = sb.http.post("/api/proposals", headers=h, json=body)
    assert r.status_code == 200, r.text
    pid = r.json()["proposalId"]
    pp = _active(sb, agent.id, h, pid)
    kind = PAY[branch]
    if kind in ("credit-card", "open-account"):
        extra = {"card": card()} if kind == "credit-card" else {}
        r = sb.http.post(f"/api/proposals/{pid}/products/{pp['id']}/purchase/sync", headers=staff,
                         json={"$type": kind, "installmentNumber": 1, **extra})
        assert r.status_code == 200, r.text
    else:
        extra = {"card": card()} if kind == "3d-secure" else {}
        r = sb.http.post(f"/api/proposals/{pid}/products/{pp['id']}/purchase/async", headers=h,
                         json={"$type": kind, "installmentNumber": 1, "callbackUrl": CALLBACK, **extra})
        assert r.status_code == 200, r.text
        page = r.json()["redirectUrl"]
        on_page = {} if kind == "3d-secure" else {k: v for k, v in card().items() if k != "identityNumber"}
        done = callback(finish_page(sb, page, **on_page))
        assert done.get("success") == "true", done

    problems: list[str] = []
    proposal = sb.http.get(f"/api/proposals/{pid}", headers=h).json()
    problems += _checked(proposal["snapshot"], "ref:ProposalSnapshot", "proposal.snapshot")
    problems += _checked(proposal["state"], "enum:ProposalState", "proposal.state")
    problems += _checked(proposal["productBranch"], "enum:ProductBranch", "proposal.productBranch")
    problems += _checked(proposal["channel"], "enum:Channel", "proposal.channel")
    for i, x in enumerate(proposal["products"]):
        problems += _checked(x["state"], "enum:ProposalProductState", f"products[{i}].state")
        for key in ("initialCoverage", "insuranceServiceProviderCoverage", "pdfCoverage", "optimalCoverage"):
            if x.get(key) is not None:
                problems += _checked(x[key], "ref:Coverage", f"products[{i}].{key}")
        for option in x["supportedPaymentOptions"]:
            problems += _checked(option, "enum:PaymentOption", f"products[{i}].supportedPaymentOptions")
    for g in proposal["coverageGroups"]:
        problems += _checked(g["coverageTable"], "array:ref:CoverageTableRow", f"coverageGroups[{g['id']}]")
    coverage = sb.http.get(f"/api/proposals/{pid}/products/{pp['id']}/coverage", headers=h).json()["coverage"]
    problems += _checked(coverage, "ref:Coverage", "product coverage")
    case = sb.http.get(f"/api/cases/{case_id}", headers=staff).json()
    problems += _checked(case, "ref:GetCaseByRefResult", "case")
    policy_id = sb.http.get(f"/api/proposals/{pid}/products/{pp['id']}", headers=h).json()["policyId"]
    policy = sb.http.get(f"/api/policies/{policy_id}", headers=h).json()
    problems += _checked(policy["snapshot"], "ref:ProposalSnapshot", "policy.snapshot")
    problems += _checked(policy["state"], "enum:PolicyState", "policy.state")
    node = sb.graphql(sb.service_token(agent), """query($f: filtering_QueryProposalsResultFilterInput) {
        proposalsNew(first: 1, filter: $f) { nodes { id productBranch state insurerCustomerId insuredCustomerId
          productsCount succeedProductsCount createdAt successRate insuredCustomerName insuredCustomerType
          channel lowestPremium highestPremium vehicleId propertyId } } }""", {"f": {"id": {"eq": pid}}})
    assert "errors" not in node, node
    problems += _checked(node["data"]["proposalsNew"]["nodes"][0], "ref:QueryProposalsResult", "proposalsNew")
    assert proposal["state"] == "PURCHASED" and policy["state"] == "ACTIVE"
    assert problems == []
