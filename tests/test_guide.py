"""What the web-sales guide (seed 001), InsurUp's own site and seeds 000/003 ask of the sandbox: the
guide's case body and GraphQL case check, a failed purchase readable on the product, an agency with
its own SMS provider, setters that set nothing, the default agent from a fixture file, vehicle
models on proposal rows, every seed connection row, and 404/405 on wrong paths."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from mockserver.domain.catalog import catalog, sample_credentials
from tests import live
from tests.conftest import fresh_phone, fresh_tckn
from tests.test_proposals import created, kasko_body, new_buyer
from tests.test_purchases import ANADOLU, DOGA, buy_async, callback, card, finish_page, product, quoted

GUIDE_CHECK = ("query GetCustomerCases($customerId: UUID!, $type: CaseType!) { cases(customerId: $customerId, "
               "type: $type, status: [OPEN, IN_PROGRESS]) { id status type createdAt } }")


def guide_case(sb, h, customer_id, **extra):
    return sb.http.post("/api/cases:new-sale-opportunity", headers=h,
                        json={"customerId": customer_id, "type": "kasko", "channel": "website",
                              "source": "web_sales_platform", **extra})


def check(sb, token, customer_id, type_="NEW_SALE_OPPORTUNITY", query=GUIDE_CHECK):
    return sb.graphql(token, query, {"customerId": customer_id, "type": type_})


# ----------------------------------------------------------------------------- the case body
def test_the_guides_case_body_opens_a_kasko_opportunity(sb, agent):
    buyer = new_buyer(sb, agent.id)
    r = guide_case(sb, buyer.h, buyer.id)
    assert r.status_code == 200 and set(r.json()) == {"id"}, r.text
    case = sb.http.get(f"/api/cases/{r.json()['id']}", headers=buyer.h).json()
    assert (case["type"], case["productBranch"], case["channel"]) == ("SALE_OPPORTUNITY", "KASKO", "WEBSITE")
    created_activity = sb.http.get(f"/api/cases/{case['id']}/activities", headers=buyer.h).json()[0]
    assert created_activity["type"] == "CREATED" and created_activity["data"]["source"] == "web_sales_platform"
    for branch, expected in (("trafik", "TRAFIK"), ("tss", "TSS"), ("Konut", "KONUT")):
        r = guide_case(sb, buyer.h, buyer.id, type=branch)
        assert sb.http.get(f"/api/cases/{r.json()['id']}", headers=buyer.h).json()["productBranch"] == expected


def test_case_branch_errors_name_the_field_the_client_sent(sb, agent):
    buyer = new_buyer(sb, agent.id)
    both = guide_case(sb, buyer.h, buyer.id, productBranch="TRAFIK")
    assert both.status_code == 422
    assert both.json()["validationErrors"][0]["propertyName"] == "type"
    assert "KASKO" in both.json()["validationErrors"][0]["errorMessage"]
    agree = guide_case(sb, buyer.h, buyer.id, productBranch="KASKO")
    assert agree.status_code == 200
    wrong = guide_case(sb, buyer.h, buyer.id, type="NEW_SALE_OPPORTUNITY")
    assert wrong.status_code == 422 and wrong.json()["validationErrors"][0]["propertyName"] == "type"
    none = sb.http.post("/api/cases:new-sale-opportunity", headers=buyer.h, json={"customerId": buyer.id})
    errors = none.json()["validationErrors"]
    assert none.status_code == 422 and errors[0]["propertyName"] == "productBranch" and "type" in errors[0]["errorMessage"]


# ----------------------------------------------------------------------------- the GraphQL check
def test_the_guides_case_check_answers_a_list_in_its_words_with_a_warning(sb, agent):
    buyer = new_buyer(sb, agent.id)
    empty = check(sb, buyer.token, buyer.id)
    assert empty["data"] == {"cases": []} and "errors" not in empty
    warning = empty["extensions"]["warnings"][0]
    assert warning["code"] == "GRAPHQL_LEGACY_CASES_FORM" and "cases(where:" in warning["message"]
    case_id = guide_case(sb, buyer.h, buyer.id).json()["id"]
    [row] = check(sb, buyer.token, buyer.id)["data"]["cases"]
    assert row["id"] == case_id and row["status"] == "OPEN" and row["type"] == "NEW_SALE_OPPORTUNITY"
    assert row["createdAt"].endswith("Z")
    assert check(sb, buyer.token, buyer.id, "CROSS_SALE_OPPORTUNITY")["data"]["cases"] == []
    assert [c["id"] for c in check(sb, buyer.token, buyer.id, "SALE_OPPORTUNITY")["data"]["cases"]] == [case_id]
    # a proposal moves it to IN_PROGRESS; only-OPEN no longer finds it
    created(sb, buyer, kasko_body(buyer))
    [row] = check(sb, buyer.token, buyer.id)["data"]["cases"]
    assert row["status"] == "IN_PROGRESS"
    only_open = GUIDE_CHECK.replace("[OPEN, IN_PROGRESS]", "[OPEN]")
    assert check(sb, buyer.token, buyer.id, query=only_open)["data"]["cases"] == []


def test_the_current_case_forms_still_answer_segments_and_connections_without_a_warning(sb, agent):
    buyer = new_buyer(sb, agent.id)
    case_id = guide_case(sb, buyer.h, buyer.id).json()["id"]
    # the form the warning names, as written there
    current = sb.graphql(buyer.token, "query($customerId: UUID) { cases(where: {customerId: {eq: $customerId}, "
                                      "type: {eq: SALE_OPPORTUNITY}, status: {in: [OPEN, IN_PROGRESS]}}) "
                                      "{ items { id status type createdAt } totalCount } }", {"customerId": buyer.id})
    assert "extensions" not in current and "errors" not in current, current
    assert current["data"]["cases"]["totalCount"] == 1
    assert current["data"]["cases"]["items"][0] == {**current["data"]["cases"]["items"][0], "id": case_id,
                                                    "type": "SALE_OPPORTUNITY", "status": "OPEN"}
    new = sb.graphql(buyer.token, "{ casesNew(first: 5) { nodes { id type } } }")
    assert new["data"]["casesNew"]["nodes"] == [{"id": case_id, "type": "SALE_OPPORTUNITY"}]
    # the old form's row fields under items is a validation error of the current form, not the old one
    mixed = sb.graphql(buyer.token, "{ cases(customerId: \"" + buyer.id + "\") { items { id } } }")
    assert mixed["errors"][0]["extensions"]["codes"] == ["GRAPHQL_VALIDATION_FAILED"]


def test_the_guides_case_check_is_scoped_and_filtered(sb, agent):
    first, second = new_buyer(sb, agent.id), new_buyer(sb, agent.id, plate="34KL124")
    mine = guide_case(sb, first.h, first.id).json()["id"]
    theirs = guide_case(sb, second.h, second.id).json()["id"]
    # a customer never sees another customer's cases, whatever customerId says
    assert check(sb, first.token, second.id)["data"]["cases"] == []
    # an agent sees the agency's, filtered by customerId
    staff = sb.service_token(agent)
    assert [c["id"] for c in check(sb, staff, first.id)["data"]["cases"]] == [mine]
    both = sb.graphql(staff, "{ cases(type: NEW_SALE_OPPORTUNITY) { id } }")
    assert {c["id"] for c in both["data"]["cases"]} == {mine, theirs}
    # either vocabulary filters; take pages
    assert len(sb.graphql(staff, "{ cases(status: [OPEN], take: 1) { id } }")["data"]["cases"]) == 1
    assert sb.graphql(staff, "{ cases(status: [CLOSED_WON, SUCCESS]) { id } }")["data"]["cases"] == []
    bad = sb.graphql(staff, "{ cases(type: NEW_SALE_OPPORTUNITY, take: 101) { id } }")
    assert bad["errors"][0]["extensions"]["codes"] == ["GRAPHQL_INVALID_PAGING"]


def test_the_old_form_counts_its_rows_in_the_cost(sb, agent):
    token = sb.service_token(agent)
    fields = " ".join(f"a{i}: id" for i in range(45)) + " ref status type createdAt customerName productBranch " \
        + " ".join(f"vehicleModelBrandText{i}: vehicleModelBrandText" for i in range(4))
    # 100 rows (the old form's default page) of ~56 fields is under the cost limit; 500 such lists are not
    ok = sb.graphql(token, "{ cases(type: NEW_SALE_OPPORTUNITY) { " + fields + " } }")
    assert "errors" not in ok, ok
    heavy = "{ " + " ".join(f"c{i}: cases(take: 100) {{ id ref status type createdAt }}" for i in range(49)) + " }"
    refused = sb.graphql(token, heavy)
    assert refused["errors"][0]["extensions"]["codes"] == ["GRAPHQL_MAX_COST_EXCEEDED"]


# ----------------------------------------------------------------------------- a failed purchase
def test_a_failed_purchase_is_readable_on_the_product_and_the_proposal(sb, agent):
    buyer = new_buyer(sb, agent.id)
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    before = product(sb, buyer, pid, pp["id"])
    assert (before["state"], before["status"], before["errorMessage"]) == ("ACTIVE", "ACTIVE", None)
    r = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card("4000000000000119")})
    assert product(sb, buyer, pid, pp["id"])["status"] == "PURCHASING"
    assert callback(finish_page(sb, r.json()["redirectUrl"]))["success"] == "false"
    failed = product(sb, buyer, pid, pp["id"])
    assert failed["state"] == "ACTIVE" and failed["status"] == "PURCHASE_FAILED" and failed["policyId"] is None
    reason = sb.http.get(f"/__sandbox/agents/{agent.id}/payments").json()[-1]["failureReason"]
    assert failed["errorMessage"] == reason and "Doğa Sigorta" in reason
    proposal = sb.http.get(f"/api/proposals/{pid}", headers=buyer.h).json()
    assert proposal["state"] == "ACTIVE" and proposal["status"] == "PURCHASE_FAILED"
    # the next attempt clears it, and success reads PURCHASED everywhere
    r = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()})
    retrying = product(sb, buyer, pid, pp["id"])
    assert (retrying["status"], retrying["errorMessage"]) == ("PURCHASING", None)
    assert callback(finish_page(sb, r.json()["redirectUrl"]))["success"] == "true"
    bought = product(sb, buyer, pid, pp["id"])
    assert (bought["state"], bought["status"], bought["errorMessage"]) == ("PURCHASED", "PURCHASED", None)
    assert sb.http.get(f"/api/proposals/{pid}", headers=buyer.h).json()["status"] == "PURCHASED"


# ----------------------------------------------------------------------------- own SMS provider
def test_an_agency_with_its_own_sms_provider_gets_tokens_from_login(sb):
    agent = sb.new_agent(customerMfa="own-provider")
    try:
        assert sb.http.get(f"/__sandbox/agents/{agent.id}").json()["customerMfa"] == "own-provider"
        phone = fresh_phone()
        body = {"$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
                "phoneNumber": {"number": phone, "countryCode": 90}, "agentId": agent.id}
        r = sb.http.post("/api/auth/customer/login-or-register", json=body)
        answer = r.json()
        assert r.status_code == 200 and answer["requiresTwoFactor"] is False and answer["token"] is None
        assert answer["isNewCustomer"] is True and answer["expiresIn"] == 600 and answer["tokenType"] == "Bearer"
        me = sb.http.get("/api/customers/me", headers=sb.bearer(answer["accessToken"]))
        assert me.status_code == 200 and me.json()["id"] == answer["customerId"]
        assert sb.http.get(f"/__sandbox/agents/{agent.id}/sms", params={"to": phone}).json() == []
        again = sb.http.post("/api/auth/customer/login-or-register", json=body).json()
        assert again["isNewCustomer"] is False and again["customerId"] == answer["customerId"]
        refreshed = sb.http.post("/api/auth/customer/refresh", json={"refreshToken": answer["refreshToken"]})
        assert refreshed.status_code == 200
    finally:
        sb.delete_agent(agent.id)
    # the default stays InsurUp's SMS
    other = sb.new_agent()
    try:
        r = sb.http.post("/api/auth/customer/login-or-register", json={**body, "agentId": other.id})
        assert r.json()["requiresTwoFactor"] is True and "accessToken" not in r.json()
    finally:
        sb.delete_agent(other.id)


# ----------------------------------------------------------------------------- setters
def test_case_setters_refuse_a_body_that_sets_nothing_and_null_clears(sb, agent):
    token = sb.service_token(agent)
    h = sb.bearer(token)
    buyer = new_buyer(sb, agent.id)
    case_id = guide_case(sb, buyer.h, buyer.id).json()["id"]
    for name, field in (("channel", "channel"), ("asset", "assetId"), ("branch", "agentBranchId"),
                        ("representative", "representativeId")):
        r = sb.http.put(f"/api/cases/{case_id}/{name}", headers=h, json={})
        assert r.status_code == 422, (name, r.text)
        assert r.json()["validationErrors"][0]["propertyName"] == field
    assert sb.http.put(f"/api/cases/{case_id}/asset", headers=h, json={"assetId": buyer.vehicle}).status_code == 204
    assert sb.http.get(f"/api/cases/{case_id}", headers=h).json()["assetId"] == buyer.vehicle
    assert sb.http.put(f"/api/cases/{case_id}/asset", headers=h, json={"assetId": None}).status_code == 204
    assert sb.http.get(f"/api/cases/{case_id}", headers=h).json().get("assetId") is None
    assert sb.http.put(f"/api/cases/{case_id}/branch", headers=h, json={"branchId": "b-1"}).status_code == 204
    assert sb.http.get(f"/api/cases/{case_id}", headers=h).json()["agentBranchId"] == "b-1"
    assert sb.http.put(f"/api/cases/{case_id}/branch", headers=h, json={"agentBranchId": None}).status_code == 204
    assert sb.http.put(f"/api/cases/{case_id}/representative", headers=h,
                       json={"representativeId": None}).status_code == 204


# ----------------------------------------------------------------------------- vehicle models
def test_proposal_rows_carry_the_vehicle_model_like_policy_rows(sb, agent):
    buyer = new_buyer(sb, agent.id)
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    r = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()})
    callback(finish_page(sb, r.json()["redirectUrl"]))
    selection = "vehicleModel { brand { text value } type { text value } year } vehicleModelBrandText"
    proposals = sb.graphql(buyer.token, f"{{ proposalsNew(first: 5) {{ nodes {{ {selection} }} }} }}")
    policies = sb.graphql(buyer.token, f"{{ policiesNew(first: 5) {{ nodes {{ {selection} }} }} }}")
    [prow] = proposals["data"]["proposalsNew"]["nodes"]
    [policy_row] = policies["data"]["policiesNew"]["nodes"]
    assert prow["vehicleModel"] is not None and prow == policy_row
    assert prow["vehicleModel"]["brand"]["text"] == prow["vehicleModelBrandText"]


# ----------------------------------------------------------------------------- seeds 000 and 003
SEED_000 = {  # insurer id -> the fields the seed's table lists for it ("request from the company": none)
    1: 1, 3: 5, 47: 7, 51: 0, 95: 4, 9: 3, 64: 5, 43: 3, 7: 8, 54: 5, 36: 3, 72: 2, 96: 5, 17: 6, 4: 4, 61: 5, 63: 2,
    97: 3, 57: 1, 21: 0, 30: 6, 39: 5, 26: 0, 38: 5}
SEED_003 = {1001: 2, 1002: 1, 1003: 3, 1004: 2, 1005: 2, 1006: 1, 1007: 1, 1008: 2, 1009: 1, 1010: 2, 1011: 1,
            1012: 3, 1013: 3, 1014: 2, 1015: 1, 1016: 1, 1017: 2, 1018: 1, 1019: 1, 1020: 2}


@pytest.mark.parametrize("market, rows", [("TR", SEED_000), ("PL", SEED_003)])
def test_every_seed_connection_row_connects_with_its_fields_and_names_a_missing_one(sb, market, rows):
    a = sb.new_agent(market=market, connectAllInsurers=False)
    h = sb.bearer(sb.service_token(a))
    try:
        for insurer_id, count in rows.items():
            insurer = catalog().by_id[insurer_id]
            fields = sb.http.get(f"/insurance-companies/{insurer_id}/connection-fields:agent-based", headers=h).json()
            assert len(fields) == count, (insurer.name, fields)
            assert insurer.credentials_from_insurer == (count == 0), insurer.name
            values = sample_credentials(insurer)
            branches = insurer.connection_branches()
            assert branches, f"{insurer.name} cannot be connected"
            if fields:
                first = fields[0]["key"]
                partial = {k: v for k, v in values.items() if k != first}
                r = sb.http.post("/agents/me/insurance-companies", headers=h,
                                 json={"insuranceCompanyId": insurer_id, "branches": branches, "connection": partial})
                assert r.status_code == 422 and r.json()["validationErrors"][0]["propertyName"] == f"connection.{first}"
            r = sb.http.post("/agents/me/insurance-companies", headers=h,
                             json={"insuranceCompanyId": insurer_id, "branches": branches, "connection": values})
            assert r.status_code == 200, (insurer.name, r.text)
        listed = sb.http.get("/agents/me/insurance-companies", headers=h).json()
        assert {c["insuranceCompanyId"] for c in listed} == set(rows)
        kinds = {c["insuranceCompanyId"]: c["integrationType"] for c in listed}
        if market == "TR":
            assert kinds[1] == kinds[21] == "ROBOT" and kinds[43] == "WEB_SERVICE"
    finally:
        sb.delete_agent(a.id)


def test_seed_000_and_003_formats(sb):
    tr = sb.new_agent(connectAllInsurers=False)
    h = sb.bearer(sb.service_token(tr))
    labels = [f["label"] for f in sb.http.get("/insurance-companies/38/connection-fields:agent-based", headers=h).json()]
    assert labels == ["Kullanıcı Adı", "Şifre", "Acente Numarası", "İstemci ID", "İstemci Gizli Anahtarı"]
    sb.delete_agent(tr.id)
    pl = sb.new_agent(market="PL")
    h = sb.bearer(sb.service_token(pl))
    try:
        # the default Polish agent's PZU connection is valid: a partial update keeps it so
        conns = {c["insuranceCompanyId"]: c["id"] for c in sb.http.get("/agents/me/insurance-companies", headers=h).json()}
        r = sb.http.put(f"/agents/me/insurance-companies/{conns[1012]}/connection", headers=h,
                        json={"connection": {"agentName": "Jan Kowalski"}})
        assert r.status_code == 200, r.text

        def put(insurer_id: int, values: dict) -> httpx.Response:
            return sb.http.put(f"/agents/me/insurance-companies/{conns[insurer_id]}/connection", headers=h,
                               json={"connection": values})

        # "usually" is not "always": Allianz logins are usually six digits, InterRisk's usually 00/0000/000
        assert put(1002, {"portalLogin": "1234567"}).status_code == 200
        assert put(1008, {"portalLogin": "jkowal"}).status_code == 200
        # Warta's OFWCA number is A0000XXXXXX: A and ten digits or letters
        assert put(1017, {"ofwcaNumber": "A0000ABC123"}).status_code == 200
        bad = put(1017, {"ofwcaNumber": "B0000ABC123"})
        assert bad.status_code == 422 and bad.json()["validationErrors"][0]["propertyName"] == "connection.ofwcaNumber"
        labels = {f["label"] for f in sb.http.get("/insurance-companies/1003/connection-fields:agent-based",
                                                  headers=h).json()}
        assert labels == {"Numer RAU", "Nazwa użytkownika", "Hasło"}
    finally:
        sb.delete_agent(pl.id)


# ----------------------------------------------------------------------------- wrong paths
def test_unknown_paths_are_404_and_known_paths_with_another_method_405(sb, agent):
    buyer = new_buyer(sb, agent.id)
    pid = created(sb, buyer, kasko_body(buyer))
    for path in (f"/api/proposals/{pid}/send-preinfo-form", f"/api/proposals/{pid}/documents/policy"):
        r = sb.http.post(path, headers=buyer.h, json={})
        assert r.status_code == 404 and r.json()["codes"] == ["ENDPOINT_NOT_FOUND"], (path, r.text)
    # the real site's dead purchase calls are named operations: 501, saying which (FIDELITY, "Not simulated")
    for path in (f"/api/proposals/{pid}/payment", f"/api/proposals/{pid}/products/x/purchase"):
        r = sb.http.post(path, headers=buyer.h, json={})
        assert r.status_code == 501 and r.json()["codes"] == ["SANDBOX_NOT_IMPLEMENTED"], (path, r.text)
    r = sb.http.get(f"/api/customers/{buyer.id}/vehicles/external-lookup", headers=buyer.h)
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    # the parameter template still serves real vehicle ids
    assert sb.http.get(f"/api/customers/{buyer.id}/vehicles/{buyer.vehicle}", headers=buyer.h).status_code == 200


# ----------------------------------------------------------------------------- the agent fixture file
def test_serve_takes_the_default_agent_from_a_fixture_file(tmp_path):
    group = "6650f0c2a1b2c3d4e5f6aaaa"
    fixture = {"agentId": "site-agent-42", "seed": 11, "customerMfa": "own-provider", "connectAllInsurers": False,
               "coverageGroups": [{"id": group, "productBranch": "KASKO", "name": "Site kasko"}],
               "connections": [{"insuranceCompanyId": DOGA, "branches": ["KASKO"],
                                "connection": {"username": "u", "password": "p", "agencyNumber": "12345"}},
                               {"insuranceCompanyId": ANADOLU}]}
    path = tmp_path / "agent.json"
    path.write_text(json.dumps(fixture))
    with live.serve("--agent-fixture", str(path)) as (base, _, _proc):
        health = httpx.get(base + "/__sandbox/health").json()
        assert health["defaultAgentId"] == "site-agent-42"
        summary = httpx.get(base + "/__sandbox/agents/site-agent-42").json()
        assert summary["seed"] == 11 and summary["customerMfa"] == "own-provider" and summary["counts"]["connections"] == 2
        login = httpx.post(base + "/api/auth/customer/login-or-register", json={
            "$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
            "phoneNumber": {"number": fresh_phone(), "countryCode": 90}, "agentId": "site-agent-42"}).json()
        h = {"Authorization": f"Bearer {login['accessToken']}"}
        vehicle = httpx.post(base + f"/api/customers/{login['customerId']}/vehicles", headers=h, json={
            "plate": "34ABC123", "brandCode": "RENAULT", "modelCode": "CLIO", "year": 2021}).json()
        proposal = httpx.post(base + "/api/proposals", headers=h, json={
            "$type": "kasko", "insurerCustomerId": login["customerId"], "vehicleId": vehicle["id"],
            "coverageGroupIds": [group], "channel": "WEBSITE"})
        assert proposal.status_code == 200, proposal.text
        products = httpx.get(base + f"/api/proposals/{proposal.json()['proposalId']}", headers=h).json()["products"]
        assert {p["insuranceCompanyId"] for p in products} == {DOGA, ANADOLU}
        assert {p["coverageGroupId"] for p in products} == {group}
    # --agent-id wins over the file's agentId
    with live.serve("--agent-fixture", str(path), "--agent-id", "from-the-flag") as (base, _, _proc):
        assert httpx.get(base + "/__sandbox/health").json()["defaultAgentId"] == "from-the-flag"


def test_a_bad_fixture_file_stops_serve_naming_the_field(tmp_path):
    path = tmp_path / "agent.yaml"
    path.write_text("connections:\n  - insuranceCompanyId: 38\n    connection: {username: u}\n")
    exe = [sys.executable, "-m", "mockserver.cli", "serve", "--port", str(live.free_port()), "--agent-fixture", str(path)]
    done = subprocess.run(exe, capture_output=True, text=True, timeout=60, cwd=live.ROOT,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2
    assert "connections[0].connection.clientSecret: is required" in done.stderr
    path.write_text("coverageGroups: {}\n")
    done = subprocess.run(exe, capture_output=True, text=True, timeout=60, cwd=live.ROOT,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2 and "coverageGroups" in done.stderr
