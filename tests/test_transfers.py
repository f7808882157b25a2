"""Manual policies and policy transfers: a policy sold elsewhere is entered, fires policy.created and
lists like any other; only manual ones change through policies/manual; a transfer's trigger finds the
window's policies of its insurers and nothing else; GraphQL lists both kinds of transfer."""

from __future__ import annotations

from tests.test_purchases import DOGA, _policy, buyer  # noqa: F401  (the fixture)


def test_a_manual_policy_is_a_policy_like_any_other(sb, agent, buyer):  # noqa: F811
    h = sb.bearer(sb.service_token(agent))
    body = {"insurerCustomerId": buyer.id, "insuranceCompanyId": DOGA, "productBranch": "TRAFIK",
            "policyNumber": "T-2026-000123", "startDate": "2026-11-20", "grossPremium": 4200.5}
    made = sb.http.post("/api/policies/manual", headers=h, json=body)
    assert made.status_code == 200, made.text
    policy_id = made.json()["policyId"]
    got = sb.http.get(f"/api/policies/{policy_id}", headers=h).json()
    assert got["insuranceCompanyPolicyNumber"] == "T-2026-000123" and got["channel"] == "MANUAL"
    assert got["grossPremium"] == 4200.5 and got["endDate"] == "2027-11-20" and got["proposalId"] is None
    assert sb.http.post("/api/policies/manual", headers=h, json=body).json()["codes"] == ["POLICY_DUPLICATE"]
    events = sb.http.get(f"/__sandbox/agents/{agent.id}/events", headers=sb.control_headers(agent.id)).json()
    assert any(e["event"] == "policy.created" and e["payload"]["policyId"] == policy_id for e in events)
    listed = sb.graphql(sb.service_token(agent), "{ policiesNew(first: 10) { nodes { id channel } } }")
    assert {"id": policy_id, "channel": "MANUAL"} in listed["data"]["policiesNew"]["nodes"]
    bad = sb.http.post("/api/policies/manual", headers=h, json={**body, "productBranch": "UZAY", "grossPremium": -1})
    assert bad.status_code == 422
    assert {e["propertyName"] for e in bad.json()["validationErrors"]} == {"productBranch", "grossPremium"}
    assert sb.http.put(f"/api/policies/manual/{policy_id}", headers=h, json={"grossPremium": 4300}).status_code == 204
    assert sb.http.get(f"/api/policies/{policy_id}", headers=h).json()["grossPremium"] == 4300
    # a policy bought through the sandbox is not changed by hand
    _, bought, _ = _policy(sb, agent, buyer)
    refused = sb.http.put(f"/api/policies/manual/{bought}", headers=h, json={"grossPremium": 1})
    assert refused.status_code == 409 and refused.json()["codes"] == ["POLICY_NOT_MANUAL"]


def test_a_transfer_finds_the_windows_policies_of_its_insurers(sb, agent, buyer):  # noqa: F811
    h = sb.bearer(sb.service_token(agent))
    _, bought, _ = _policy(sb, agent, buyer)
    start = sb.http.get(f"/api/policies/{bought}", headers=h).json()["startDate"]
    made = sb.http.post("/api/policy-transfers", headers=h, json={"startDate": start, "endDate": start,
                                                                  "insuranceCompanyIds": [DOGA]})
    assert made.status_code == 200 and isinstance(made.json(), str)
    tid = made.json()
    other = sb.http.post("/api/policy-transfers", headers=h, json={"startDate": "2020-01-01", "endDate": "2020-12-31"}).json()
    for t in (tid, other):
        assert sb.http.post(f"/api/policy-transfers/{t}/trigger", headers=h).status_code == 204
    found = sb.http.get(f"/api/policy-transfers/{tid}", headers=h).json()
    assert found["policyTransferTriggerCount"] == 1 and found["policyCount"] == 1
    assert found["triggers"][0]["policyIds"] == [bought] and found["triggers"][0]["newPolicyCount"] == 0
    assert sb.http.get(f"/api/policy-transfers/{other}", headers=h).json()["policyCount"] == 0
    # the SDK's names: the policy was in the CRM already, so the run skipped it and made nothing new
    assert (found["succeededPolicyCount"], found["skippedPolicyCount"], found["failedPolicyCount"]) == (0, 1, 0)
    assert found["triggers"][0]["status"] == "SUCCEEDED" and found["triggers"][0]["occurredAt"]
    run = found["triggers"][0]["id"]
    detail = sb.http.get(f"/api/policy-transfers/{tid}/triggers/{run}", headers=h).json()
    assert detail["policyIds"] == [bought] and detail["policyTransferId"] == tid
    assert detail["companies"] == [{"insuranceCompanyId": DOGA, "succeededPolicyCount": 0, "failedPolicyCount": 0,
                                    "skippedPolicyCount": 1, "success": True, "failureReason": None}]
    assert sb.http.get(f"/api/policy-transfers/{tid}/triggers/nope", headers=h).status_code == 404
    backwards = sb.http.post("/api/policy-transfers", headers=h, json={"startDate": "2026-05-01", "endDate": "2026-04-01"})
    assert backwards.status_code == 422 and backwards.json()["validationErrors"][0]["propertyName"] == "endDate"
    gql = sb.graphql(sb.service_token(agent), """{ policyTransfersNew(first: 10) { totalCount
        edges { node { id policyCount policyTransferTriggerCount } } }
        filePolicyTransfersNew(first: 10) { totalCount edges { node { id } } } }""")["data"]
    assert gql["policyTransfersNew"]["totalCount"] == 2 and gql["filePolicyTransfersNew"]["totalCount"] == 0
    assert {"id": tid, "policyCount": 1, "policyTransferTriggerCount": 1} in [
        e["node"] for e in gql["policyTransfersNew"]["edges"]]
    assert sb.http.get("/api/file-policy-transfers", headers=h).json() == []  # none uploaded yet


def test_the_real_sites_document_paths_give_real_pdfs(sb, agent, buyer):  # noqa: F811
    pid, policy_id, pp = _policy(sb, agent, buyer)
    base = f"/api/proposals/{pid}/products/{pp['id']}"
    for path in (f"{base}/documents/clarificationtext", f"{base}/documents/policy", f"/api/proposals/{pid}/customer-document-pdf"):
        r = sb.http.get(path, headers=buyer.h)
        assert r.status_code == 200, (path, r.text)
        pdf = sb.http.get(r.json()["url"])
        assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF"), path
    policy_pdf = sb.http.get(sb.http.get(f"{base}/documents/policy", headers=buyer.h).json()["url"]).content
    mine = sb.http.get(sb.http.get(f"/api/policies/{policy_id}/document", headers=buyer.h).json()["url"]).content
    assert policy_pdf == mine
    other = next(x for x in sb.http.get(f"/api/proposals/{pid}", headers=buyer.h).json()["products"]
                 if x["id"] != pp["id"])
    unsold = sb.http.get(f"/api/proposals/{pid}/products/{other['id']}/documents/policy", headers=buyer.h)
    assert unsold.status_code == 409 and unsold.json()["codes"] == ["PROPOSAL_PRODUCT_NOT_PURCHASED"]
