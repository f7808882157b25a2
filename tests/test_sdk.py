"""The sandbox driven the way InsurUp's TypeScript SDK (@insurup/sdk, InsurUp/ts-toolkit) drives the
API: its GraphQL list documents with their declared variable types and every field it selects, its
search normaliser's wire shapes for each operator, its webhook-deliveries query, its scopes, its
token flow over TLS with its own OAuth library, and its SignalR transport's eight events."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess

import httpx
import pytest

from mockserver.security import tls
from tests import live
from tests.conftest import fresh_phone, fresh_tckn
from tests.test_live import JS, need
from tests.test_proposals import created, kasko_body, new_buyer
from tests.test_purchases import DOGA, buy_async, callback, card, finish_page, quoted

# the SDK's ALL_*_FIELDS (packages/contracts/src/graphql/*.ts); "a.b" selects a { b }
ALL_FIELDS = {
    "customersNew": ("QueryCustomerModel", [
        "agentBranchId", "id", "name", "identityNumber", "taxNumber", "type", "primaryEmail", "primaryPhoneNumber",
        "primaryPhoneNumberCountryCode", "cityText", "cityValue", "districtText", "districtValue", "createdAt",
        "birthDate", "gender", "educationStatus", "nationality", "maritalStatus", "job", "passportNumber",
        "searchScore", "agentBranch.id", "agentBranch.name", "agentBranch.parentId", "agentBranch.parentName",
        "consents.consentType", "consents.isActive"]),
    "casesNew": ("QueryCaseModel", [
        "agentBranchId", "id", "ref", "type", "status", "cancelSubType", "saleOpportunitySubType",
        "endorsementSubType", "complaintSubType", "mainState", "subState", "productBranch", "channel", "createdAt",
        "createdByName", "createdById", "createdByEmail", "createdByType", "representedByName", "representedById",
        "representedByEmail", "representedByType", "policyEndDate", "assetType", "assetId", "sourceCaseId",
        "policyCount", "proposalCount", "lastProposalDate", "lastPolicyDate", "lastUpdateDate", "lastUpdatedByName",
        "lastUpdatedById", "lastUpdatedByEmail", "lastUpdatedByType", "priorityScore", "customerId", "customerName",
        "customerType", "customerIdentity", "customerCityText", "customerCityValue", "customerDistrictText",
        "customerDistrictValue", "customerPrimaryPhoneNumber", "customerPrimaryPhoneCountryCode",
        "customerPrimaryEmail", "customerBirthDate", "customerPassportNumber", "customerJob", "vehiclePlateCode",
        "vehiclePlateCity", "vehicleModelBrandText", "vehicleModelBrandValue", "vehicleModelTypeText",
        "vehicleModelTypeValue", "vehicleModelYear", "vehicleUtilizationStyle", "vehicleEngineNumber",
        "vehicleChassisNumber", "vehicleRegistrationDate", "vehicleFuelType", "vehicleSeatNumber",
        "vehicleDocumentSerialCode", "vehicleDocumentSerialNumber", "propertyNumber", "propertySquareMeter",
        "propertyConstructionYear", "propertyDamageStatus", "propertyFloorNumber", "propertyStructure",
        "propertyUtilizationStyle", "propertyOwnershipType", "propertyDaskPolicyNumber", "advertisingSource",
        "advertisingCampaign", "searchScore", "agentBranch.id", "agentBranch.name", "agentBranch.parentId",
        "agentBranch.parentName", "priorityRuleHits.label", "priorityRuleHits.description",
        "priorityRuleHits.ruleName", "priorityRuleHits.score", "requestedProducts.proposalId",
        "requestedProducts.proposalProductId"]),
    "proposalsNew": ("QueryProposalsResult", [
        "agentBranchId", "id", "productBranch", "state", "insurerCustomerId", "insuredCustomerId", "productsCount",
        "succeedProductsCount", "createdAt", "successRate", "insuredCustomerName", "insuredCustomerIdentityNumber",
        "insuredCustomerTaxNumber", "insuredCustomerType", "lowestPremium", "highestPremium", "channel",
        "insuredCustomerCityText", "insuredCustomerCityValue", "insuredCustomerDistrictText",
        "insuredCustomerDistrictValue", "insuredCustomerPhoneNumber", "insuredCustomerPhoneNumberCountryCode",
        "insuredCustomerEmail", "vehiclePlateCode", "vehiclePlateCity", "vehicleDocumentSerialCode",
        "vehicleDocumentSerialNumber", "vehicleModelBrandText", "vehicleModelBrandValue", "vehicleModelTypeText",
        "vehicleModelTypeValue", "vehicleModelYear", "vehicleFuelType", "utilizationStyle", "insuredCustomerBirthDate",
        "vehicleId", "propertyId", "agentBranch.id", "agentBranch.name", "agentBranch.parentId",
        "agentBranch.parentName", "agentUserCreatedBy.id", "agentUserCreatedBy.name", "agentUserCreatedBy.email",
        "agentUserCreatedBy.userType"]),
    "policiesNew": ("QueryPoliciesResult", [
        "agentBranchId", "id", "insurerCustomerId", "insuredCustomerId", "installmentNumber", "productBranch",
        "netPremium", "grossPremium", "commission", "paymentType", "currency", "insuranceCompanyProposalNumber",
        "insuranceCompanyPolicyNumber", "createdAt", "startDate", "endDate", "arrangementDate", "insuredCustomerName",
        "insuredCustomerIdentityNumber", "insuredCustomerTaxNumber", "insuredCustomerType", "insuredCustomerCityText",
        "insuredCustomerCityValue", "insuredCustomerDistrictText", "insuredCustomerDistrictValue",
        "insuredCustomerBirthDate", "insurerCustomerName", "insurerCustomerIdentityNumber", "insurerCustomerTaxNumber",
        "insurerCustomerCityText", "insurerCustomerCityValue", "insurerCustomerDistrictText",
        "insurerCustomerDistrictValue", "insurerCustomerBirthDate", "vehiclePlateCode", "vehiclePlateCity",
        "vehicleDocumentSerialCode", "vehicleDocumentSerialNumber", "vehicleModelBrandText", "vehicleModelBrandValue",
        "vehicleModelTypeText", "vehicleModelTypeValue", "vehicleModelYear", "vehicleFuelType", "productId",
        "productName", "insuranceCompanyId", "insuranceCompanyName", "insuranceCompanyLogo", "state", "propertyNumber",
        "daskOldPolicyNumber", "daskPolicyNumber", "vehicleId", "propertyId", "channel", "campaign", "agentBranch.id",
        "agentBranch.name", "agentBranch.parentId", "agentBranch.parentName", "createdBy.id", "createdBy.name",
        "createdBy.email", "createdBy.userType", "representedBy.id", "representedBy.name", "representedBy.email",
        "representedBy.userType"]),
    "webhookDeliveriesNew": ("QueryWebhookDeliveryResult", [
        "id", "webhookId", "event", "sentAt", "statusCode", "response", "errorMessage", "payload", "durationMs",
        "isSuccess"]),
}


def selection(fields: list[str]) -> str:
    """The SDK's buildFieldSelection: plain fields, then parent { children } groups."""
    plain = [f for f in fields if "." not in f]
    nested: dict[str, list[str]] = {}
    for f in fields:
        if "." in f:
            parent, child = f.split(".", 1)
            nested.setdefault(parent, []).append(child)
    return "\n".join(plain + [f"{p} {{ {' '.join(c)} }}" for p, c in nested.items()])


def sdk_document(root: str, declared: tuple[str, list[str]] | None = None) -> str:
    """The document the SDK's getX() sends (e.g. clients/webhook.ts getWebhookDeliveries)."""
    model, fields = declared or ALL_FIELDS[root]
    return f"""
      query Get(
        $first: Int
        $after: String
        $last: Int
        $before: String
        $search: searching_{model}FilterInput
        $filter: filtering_{model}FilterInput
        $order: [sorting_{model}SortInput!]
      ) {{
        {root}(first: $first after: $after last: $last before: $before search: $search filter: $filter order: $order) {{
          pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
          totalCount
          edges {{ cursor node {{ {selection(fields)} }} }}
        }}
      }}"""


def sdk_query(sb, token: str, root: str, **variables):
    """The SDK drops undefined keys and normalises search shorthand; here the variables are given
    already in the wire shape (``{value}`` / ``{values}``)."""
    body = sb.graphql(token, sdk_document(root), {k: v for k, v in variables.items() if v is not None})
    assert "errors" not in body, body
    return body["data"][root]


# the other roots the SDK lists (clients/agentUser.ts, policyTransfer.ts, filePolicyTransfer.ts), by the
# fields of their ALL_*_FIELDS arrays
MORE_FIELDS = {
    "agentUsersNew": ("QueryAgentUserResult", ["id", "name", "email", "state", "phoneNumberCountryCode"]),
    "policyTransfersNew": ("QueryPolicyTransfersResult", ["id", "createdAt"]),
    "filePolicyTransfersNew": ("QueryFilePolicyTransfersResult", [
        "id", "sourceType", "insuranceCompanyId", "insuranceCompanyName", "insuranceCompanyLogo", "fileName",
        "createdAt", "createdByName", "totalPolicyCount", "succeededPolicyCount", "failedPolicyCount",
        "skippedPolicyCount"]),
}


@pytest.mark.parametrize("root", [*ALL_FIELDS, *MORE_FIELDS])
def test_the_served_schema_itself_validates_every_sdk_document(sb, root):
    """Code generators and IDEs validate the SDK's documents against the served SDL as it is, with no
    renaming on the way: the SDK's scoped input names must be declared there."""
    from graphql import build_schema, parse, validate

    served = build_schema(sb.http.get("/graphql/schema").text)
    model, fields = {**ALL_FIELDS, **MORE_FIELDS}[root]
    document = sdk_document(root, (model, fields))
    assert [e.message for e in validate(served, parse(document))] == []


def test_unscoped_input_names_are_still_understood(sb, agent):
    token = sb.service_token(agent)
    body = sb.graphql(token, """query($f: QueryCaseModelFilterInput, $s: QueryCaseModelSearchInput,
                                      $o: [QueryCaseModelSortInput!], $p: ProposalFilterInput) {
        casesNew(first: 1, filter: $f, search: $s, order: $o) { totalCount }
        proposalsNew(first: 1, filter: $p) { totalCount } }""",
                      {"f": {"status": {"neq": "FAIL"}}, "s": {"customerName": {"contains": {"value": "x"}}},
                       "o": [{"createdAt": "DESC"}], "p": {"productBranch": {"eq": "KASKO"}}})
    assert "errors" not in body, body
    assert body["data"]["casesNew"]["totalCount"] == 0


@pytest.fixture
def sold(sb, agent):
    """A customer with a case, a kasko proposal and a policy bought by 3-D Secure, and a webhook that
    received the purchase."""
    buyer = new_buyer(sb, agent.id)
    sb.http.post("/api/cases:new-sale-opportunity", headers=buyer.h,
                 json={"customerId": buyer.id, "productBranch": "KASKO", "channel": "WEBSITE"})
    token = sb.service_token(agent)
    sb.http.post("/api/webhooks", headers=sb.bearer(token),
                 json={"url": "http://127.0.0.1:9/hook", "events": ["proposal_premium.purchased"]})
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    callback(finish_page(sb, buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()}).json()["redirectUrl"]))
    sb.http.post(f"/__sandbox/agents/{agent.id}/webhook-deliveries/flush")
    return token, buyer, pid, pp


# ----------------------------------------------------------------------------- GraphQL lists
@pytest.mark.parametrize("root", list(ALL_FIELDS))
def test_every_sdk_list_document_validates_and_answers_every_field(sb, sold, root):
    token, *_ = sold
    page = sdk_query(sb, token, root, first=20, search=None, filter=None, order=None)
    assert page["totalCount"] >= 1 and page["edges"], page
    node = page["edges"][0]["node"]
    plain = {f for f in ALL_FIELDS[root][1] if "." not in f}
    assert plain <= set(node), plain - set(node)


def test_the_sdk_webhook_delivery_fields_describe_the_last_attempt(sb, sold):
    token, _, pid, _ = sold
    [node] = [e["node"] for e in sdk_query(sb, token, "webhookDeliveriesNew", first=10)["edges"]]
    assert node["event"] == "PROPOSAL_PREMIUM_PURCHASED" and json.loads(node["payload"])["proposalId"] == pid
    assert node["isSuccess"] is False and node["statusCode"] is None and "ConnectError" in node["errorMessage"]
    assert isinstance(node["durationMs"], int) and node["sentAt"].endswith("Z")
    found = sdk_query(sb, token, "webhookDeliveriesNew", first=10,
                      search={"errorMessage": {"textSearch": {"value": "ConnectError"}}})
    assert found["totalCount"] == 1
    none = sdk_query(sb, token, "webhookDeliveriesNew", first=10, search={"errorMessage": {"eq": {"value": "x"}}})
    assert none["totalCount"] == 0


def test_requested_products_are_those_a_purchase_was_started_for(sb, sold):
    token, _, pid, pp = sold
    [case] = [e["node"] for e in sdk_query(sb, token, "casesNew", first=5)["edges"]]
    assert case["requestedProducts"] == [{"proposalId": pid, "proposalProductId": pp["id"]}]


# ----------------------------------------------------------------------------- search operators
def _count(sb, token, root, search):
    return sdk_query(sb, token, root, first=50, search=search)["totalCount"]


def test_every_search_operator_in_the_sdk_wire_shape(sb, agent):
    token = sb.service_token(agent)
    h = sb.bearer(token)
    for name, email in (("Ahmet Yılmaz", "ahmet.yilmaz@example.com"), ("Zeynep Öztürk", "zeynep@ornek.com.tr"),
                        ("Işıl Çelik", None)):
        body = {"$type": "individual", "identityNumber": fresh_tckn(), "fullName": name}
        if email:
            body["primaryEmail"] = email
        assert sb.http.post("/api/customers", headers=h, json=body).status_code == 200
    cases = [
        # exact, folded: case, accents and the Turkish dotless i do not matter
        (("name", "eq", {"value": "ahmet yilmaz"}), 1),
        (("name", "neq", {"value": "Ahmet Yılmaz"}), 2),
        (("name", "in", {"values": ["ZEYNEP ÖZTÜRK", "nobody"]}), 1),
        (("name", "nin", {"values": ["zeynep ozturk"]}), 2),
        # words
        (("name", "textSearch", {"value": "yilmaz celik"}), 2),
        (("name", "autocomplete", {"value": "zey ozt"}), 1),
        (("name", "wildcard", {"value": "*lma?"}), 1),
        (("name", "wildcard", {"value": "isil*"}), 1),
        (("name", "contains", {"value": "TÜR"}), 1),
        (("name", "notContains", {"value": "Y"}), 1),
        (("name", "startsWith", {"value": "işıl"}), 1),
        (("name", "notStartsWith", {"value": "a"}), 2),
        (("name", "endsWith", {"value": "celik"}), 1),
        (("name", "notEndsWith", {"value": "k"}), 1),
        # a missing value matches a negation only
        (("primaryEmail", "notContains", {"value": "example"}), 2),
        (("primaryEmail", "contains", {"value": "."}), 2),
    ]
    for (field, op, operand), expected in cases:
        assert _count(sb, token, "customersNew", {field: {op: operand}}) == expected, (field, op, operand)
    # combinators, inside a field and across fields
    assert _count(sb, token, "customersNew", {"name": {"or": [{"startsWith": {"value": "ahmet"}},
                                                                {"startsWith": {"value": "zeynep"}}]}}) == 2
    assert _count(sb, token, "customersNew", {"and": [{"name": {"contains": {"value": "e"}}},
                                                      {"primaryEmail": {"endsWith": {"value": ".tr"}}}]}) == 1
    # scores: a boost raises one field's weight, a constant replaces it, and nodes sort by searchScore
    page = sdk_query(sb, token, "customersNew", first=5, order=[{"searchScore": "DESC"}], search={"or": [
        {"name": {"autocomplete": {"value": "ahmet", "score": {"boost": 5}}}},
        {"name": {"autocomplete": {"value": "zeynep", "score": {"constant": 0.5}}}}]})
    names = [e["node"]["name"] for e in page["edges"]]
    scores = [e["node"]["searchScore"] for e in page["edges"]]
    assert names == ["Ahmet Yılmaz", "Zeynep Öztürk"] and scores[1] == 0.5 and scores[0] > 5
    # the SDK never sends a bare string: that is a variable error naming the operand type
    bad = sb.graphql(token, sdk_document("customersNew"), {"search": {"name": {"eq": "Ahmet"}}})
    assert bad["errors"][0]["extensions"]["codes"] == ["GRAPHQL_INVALID_VARIABLES"]
    assert "SearchTextInput" in bad["errors"][0]["message"]


@pytest.mark.parametrize("root, field, value", [("casesNew", "customerName", "Deniz"),
                                                ("proposalsNew", "insuredCustomerName", "Deniz"),
                                                ("policiesNew", "insuredCustomerName", "Deniz")])
def test_text_search_on_cases_proposals_and_policies(sb, agent, root, field, value):
    token = sb.service_token(agent)
    buyer = new_buyer(sb, agent.id)
    sb.http.put("/api/customers/me", headers=buyer.h, json={"fullName": "Deniz Aydın"})
    sb.http.post("/api/cases:new-sale-opportunity", headers=buyer.h, json={"productBranch": "KASKO"})
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    callback(finish_page(sb, buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()}).json()["redirectUrl"]))
    other = new_buyer(sb, agent.id, plate="34KL125")
    sb.http.post("/api/cases:new-sale-opportunity", headers=other.h, json={"productBranch": "KASKO"})
    created(sb, other, kasko_body(other))
    assert _count(sb, token, root, {field: {"textSearch": {"value": value.lower()}}}) == 1
    assert _count(sb, token, root, {field: {"wildcard": {"value": "den*"}}}) == 1


# ----------------------------------------------------------------------------- scopes
def _token(sb, agent, scope: str) -> dict[str, str]:
    r = sb.http.post("/connect/token", data={"grant_type": "client_credentials", "client_id": agent.client_id,
                                             "client_secret": agent.client_secret, "scope": scope})
    assert r.status_code == 200, r.text
    assert r.json()["scope"] == scope
    return sb.bearer(r.json()["access_token"])


def test_granular_scopes_guard_the_calls_they_name(sb, agent):
    read = _token(sb, agent, "customer:read")
    write = _token(sb, agent, "customer:write case:read")
    full = sb.bearer(sb.service_token(agent))
    body = {"$type": "individual", "identityNumber": fresh_tckn(), "fullName": "Kaan Demir"}
    refused = sb.http.post("/api/customers", headers=read, json=body)
    assert refused.status_code == 403 and refused.json()["codes"] == ["INSUFFICIENT_SCOPE"]
    assert 'error="insufficient_scope"' in refused.headers["www-authenticate"]
    assert 'scope="customer:write"' in refused.headers["www-authenticate"]
    customer = sb.http.post("/api/customers", headers=write, json=body)
    assert customer.status_code == 200
    cid = customer.json()["id"]
    assert sb.http.get(f"/api/customers/{cid}", headers=read).status_code == 200
    assert sb.http.get(f"/api/customers/{cid}", headers=write).status_code == 200  # write grants read
    assert sb.http.get(f"/api/customers/{cid}/vehicles", headers=read).status_code == 200
    # another resource's calls stay closed; reference data is open to any API scope
    assert sb.http.get("/api/cases/SF-2026-000001", headers=read).json()["codes"] == ["INSUFFICIENT_SCOPE"]
    assert sb.http.get("/api/cases/SF-2026-000001", headers=write).json()["codes"] == ["CASE_NOT_FOUND"]
    assert sb.http.get("/api/insurance-companies", headers=read).status_code == 200
    assert sb.http.get("/api/vehicle-parameters/brands", headers=read).status_code == 200
    # GraphQL lists follow the same scopes
    listed = sb.http.post("/graphql", headers=read, json={"query": "{ customersNew { totalCount } casesNew { totalCount } }"})
    errors = listed.json()["errors"]
    assert listed.json()["data"]["customersNew"]["totalCount"] >= 1
    assert [e["path"] for e in errors] == [["casesNew"]] and errors[0]["extensions"]["codes"] == ["INSUFFICIENT_SCOPE"]
    # core-api opens everything; a token with no API scope opens nothing
    assert sb.http.get("/api/cases/SF-2026-000001", headers=full).json()["codes"] == ["CASE_NOT_FOUND"]
    oidc_only = _token(sb, agent, "openid profile")
    assert sb.http.get("/api/insurance-companies", headers=oidc_only).json()["codes"] == ["INSUFFICIENT_SCOPE"]
    unknown = sb.http.post("/connect/token", data={"grant_type": "client_credentials", "client_id": agent.client_id,
                                                   "client_secret": agent.client_secret, "scope": "customer:delete"})
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_scope"


def test_customers_me_is_for_customer_tokens(sb, agent):
    r = sb.http.get("/api/customers/me", headers=sb.bearer(sb.service_token(agent)))
    assert r.status_code == 403 and r.json()["codes"] == ["CUSTOMER_TOKEN_REQUIRED"]
    r = sb.http.get("/api/customers/me/vehicles", headers=sb.bearer(sb.service_token(agent)))
    assert r.status_code == 403 and r.json()["codes"] == ["CUSTOMER_TOKEN_REQUIRED"]


# ----------------------------------------------------------------------------- TLS and the SDK's OAuth library
def test_local_ca_certificates_are_made_once_and_renewed_for_a_new_host(tmp_path):
    first = tls.ensure(tmp_path, "127.0.0.1")
    ca, cert = first.ca.read_bytes(), first.cert.read_bytes()
    again = tls.ensure(tmp_path, "127.0.0.1")
    assert again.ca.read_bytes() == ca and again.cert.read_bytes() == cert
    other = tls.ensure(tmp_path, "sandbox.internal")
    assert other.ca.read_bytes() == ca and other.cert.read_bytes() != cert
    assert oct(first.key.stat().st_mode & 0o777) == "0o600"


@pytest.mark.slow
def test_the_sdk_token_flow_over_tls(tmp_path):
    need(shutil.which("node") is not None and (JS / "node_modules" / "oauth4webapi").exists(),
         "Node.js with oauth4webapi (tests/js)")
    ca = tmp_path / "ca.pem"
    with live.serve("--tls", "--tls-dir", str(tmp_path), ca=ca) as (base, _, proc):
        assert base.startswith("https://")
        trust = ssl.create_default_context(cafile=str(ca))
        discovery = httpx.get(base + "/.well-known/openid-configuration", verify=trust).json()
        assert discovery["issuer"] == base and discovery["token_endpoint"] == base + "/connect/token"
        run = subprocess.run(["node", "sdk_token.mjs", base, "sandbox-service-account", "sandbox-client-secret",
                              "customer:read", "proposal:write"], cwd=JS, capture_output=True, text=True, timeout=60,
                             env={"PATH": "/usr/bin:/bin:/usr/local/bin", "NODE_EXTRA_CA_CERTS": str(ca)})
        result = json.loads(run.stdout.strip().splitlines()[-1])
        assert "error" not in result, (result, run.stderr)
        assert result["issuer"] == base and result["scope"] == "customer:read proposal:write"
        assert result["tokenType"] == "bearer" and result["expiresIn"] == 3600
        h = {"Authorization": f"Bearer {result['accessToken']}"}
        assert httpx.get(base + "/api/insurance-companies", headers=h, verify=trust).status_code == 200
        # what the SDK refuses without TLS: plain HTTP
        plain = subprocess.run(["node", "sdk_token.mjs", base.replace("https", "http"), "a", "b"], cwd=JS,
                               capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin:/usr/local/bin"})
        assert "OAUTH_HTTP_REQUEST_FORBIDDEN" in plain.stdout


# ----------------------------------------------------------------------------- the SDK's SignalR transport
@pytest.mark.slow
def test_the_sdk_signalr_transport_hears_all_eight_events():
    need(shutil.which("node") is not None and (JS / "node_modules" / "@microsoft" / "signalr").exists(),
         "Node.js with @microsoft/signalr (tests/js)")
    with live.serve() as (base, _, _proc):
        c = httpx.Client(base_url=base, timeout=10)
        agent = c.post("/__sandbox/agents", json={}).json()["agentId"]
        phone = fresh_phone()
        login = c.post("/api/auth/customer/login-or-register", json={
            "$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1985-04-12",
            "phoneNumber": {"number": phone, "countryCode": 90}, "agentId": agent}).json()
        code = c.get(f"/__sandbox/agents/{agent}/sms", params={"to": phone}).json()[-1]["code"]
        token = c.post("/api/auth/customer/verify-mfa", json={"token": login["token"], "code": code}).json()["accessToken"]
        h = {"Authorization": f"Bearer {token}"}
        cid = login["customerId"]
        vid = c.post(f"/api/customers/{cid}/vehicles", headers=h, json={
            "plate": "34KL123", "brandCode": "RENAULT", "modelCode": "CLIO", "year": 2019}).json()["id"]
        # Doğa fails on the first attempt (magic group), so it can be retried
        pid = c.post("/api/proposals", headers=h, json={"$type": "kasko", "vehicleId": vid, "insurerCustomerId": cid,
                                                        "coverageGroupIds": ["fa1100000000000000000043"],
                                                        "channel": "WEBSITE"}).json()["proposalId"]
        proc = subprocess.Popen(["node", "sdk_events.mjs", base, token, pid, "ReceiveProposalProductPurchased"],
                                cwd=JS, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert json.loads(proc.stdout.readline()) == {"registered": pid}
            c.post(f"/__sandbox/agents/{agent}/proposals/{pid}/settle")
            products = c.get(f"/api/proposals/{pid}", headers=h).json()["products"]
            doga = next(p for p in products if p["insuranceCompanyId"] == DOGA and p["productType"] == "WEB_SERVICE")
            assert doga["state"] == "FAILED"
            assert c.post(f"/api/proposals/{pid}/products/{doga['id']}/retry", headers=h).status_code == 204
            other = next(p for p in products if p["state"] == "ACTIVE" and p["productType"] == "WEB_SERVICE")
            revised = c.post(f"/api/proposals/{pid}/products/{other['id']}/revise", headers=h,
                             json={"coverage": {"$type": "kasko"}})
            assert revised.status_code == 200, revised.text
            c.post(f"/__sandbox/agents/{agent}/proposals/{pid}/settle")
            buy = lambda number: c.post(f"/api/proposals/{pid}/products/{doga['id']}/purchase/async", headers=h,  # noqa: E731
                                        json={"$type": "3d-secure", "installmentNumber": 1,
                                              "callbackUrl": "https://site.example/cb", "card": card(number)})
            first = buy("4000000000000002").json()["redirectUrl"]
            c.post(first, data={"action": "confirm", "code": "123456"})
            second = buy("4111111111111111").json()["redirectUrl"]
            c.post(second, data={"action": "confirm", "code": "123456"})
            out, err = proc.communicate(timeout=40)
        finally:
            proc.kill()
    lines = [json.loads(x) for x in out.splitlines()]
    assert lines[-1] == {"done": True}, (lines[-3:], err)
    events = [x for x in lines if "event" in x]
    seen = {x["event"] for x in events}
    assert seen == {"ReceiveProposalProductSuccess", "ReceiveProposalProductFailed", "ReceiveProposalProductInProgress",
                    "ReceiveProposalProductRevised", "ReceiveProposalProductPurchasing",
                    "ReceiveProposalProductPurchased", "ReceiveProposalProductPurchaseFailed",
                    "ReceiveProposalProductCoverage"}, seen
    base_fields = {"proposalId", "proposalProductId", "productId", "productName", "productType", "insuranceCompanyId",
                   "insuranceCompanyName", "insuranceCompanyLogo", "supportedPaymentOptions"}
    for x in events:
        payload = x["payload"]
        assert payload["proposalId"] == pid
        if x["event"] != "ReceiveProposalProductCoverage":
            assert base_fields <= set(payload), (x["event"], base_fields - set(payload))
    by = lambda name: [x["payload"] for x in events if x["event"] == name]  # noqa: E731
    assert [p["proposalProductId"] for p in by("ReceiveProposalProductInProgress")][0] == doga["id"]
    [rev] = by("ReceiveProposalProductRevised")
    assert rev["proposalProductId"] not in {p["id"] for p in products}  # the new row
    success = by("ReceiveProposalProductSuccess")[0]
    assert {"premiums", "needsInvestigationByCompany", "hasUndamagedDiscount", "insuranceServiceProviderCoverage"} <= set(success)
    assert all(p["insurancePremiumReference"] for p in success["premiums"])
    assert by("ReceiveProposalProductCoverage")[0]["pdfCoverage"] is not None
    assert by("ReceiveProposalProductPurchaseFailed")[0]["errorMessage"]
    assert by("ReceiveProposalProductPurchased")[0]["policyId"]
