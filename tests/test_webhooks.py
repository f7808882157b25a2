"""Webhooks: definitions, signed deliveries to a real receiver on 127.0.0.1, retries on the agent's
clock, the durable outbox, redelivery, the background deliverer, timeouts, and every §6.5 event."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from starlette.testclient import TestClient

from mockserver.core.settings import Settings
from mockserver.domain import webhooks
from mockserver.http.app import create_app
from mockserver.testing import SandboxClient
from mockserver.receiver import Receiver
from tests.test_proposals import new_buyer
from tests.conftest import fresh_phone, fresh_tckn
from tests.test_purchases import DOGA, buy_async, callback, card, finish_page, quoted

SECRET = "whsec-sandbox-ç-test"


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def hook(sb, token: str, url: str, events: list[str], secret: str | None = SECRET) -> str:
    r = sb.http.post("/api/webhooks", headers=sb.bearer(token), json={"url": url, "events": events, "secret": secret})
    assert r.status_code == 200 and set(r.json()) == {"id"}, r.text
    return r.json()["id"]


def flush(sb, agent_id: str) -> dict:
    r = sb.http.post(f"/__sandbox/agents/{agent_id}/webhook-deliveries/flush")
    assert r.status_code == 200, r.text
    return r.json()


def freeze(sb, agent_id: str) -> None:
    assert sb.http.post(f"/__sandbox/agents/{agent_id}/clock", json={"freeze": True}).status_code == 200


@pytest.fixture
def manual(sb):
    """An agent whose deliveries go out only on flush, on a frozen clock: every attempt is the test's."""
    agent = sb.new_agent(webhookDelivery="manual")
    freeze(sb, agent.id)
    yield agent
    sb.http.delete(f"/__sandbox/agents/{agent.id}")


def test_webhook_crud_and_validation(sb, agent, receiver):
    token = sb.service_token(agent)
    h = sb.bearer(token)
    bad = sb.http.post("/api/webhooks", headers=h, json={"url": "ftp://x", "events": ["policy.created", "nope"]})
    assert bad.status_code == 422 and bad.json()["codes"] == ["WEBHOOK_INVALID"]
    assert {e["propertyName"] for e in bad.json()["validationErrors"]} == {"url", "events[1]"}
    empty = sb.http.post("/api/webhooks", headers=h, json={"url": receiver.url, "events": []})
    assert empty.status_code == 422 and empty.json()["validationErrors"][0]["propertyName"] == "events"
    r = sb.http.post("/api/webhooks", headers=h, json={"url": receiver.url, "secret": None,
                                                       "events": ["policy.created", "proposal_premium.purchasing"]})
    assert r.status_code == 200 and "never delivered" in r.headers["x-sandbox-warning"]
    wid = r.json()["id"]
    got = sb.http.get(f"/api/webhooks/{wid}", headers=h).json()
    assert got["url"] == receiver.url and got["events"] == ["policy.created", "proposal_premium.purchasing"]
    assert got["secret"] is None and got["agentBranchIds"] == []
    assert sb.http.put(f"/api/webhooks/{wid}", headers=h, json={"id": wid, "url": receiver.url,
                                                                 "events": ["customer.created"],
                                                                 "secret": "s"}).status_code == 204
    listed = sb.http.get("/api/webhooks", headers=h).json()
    assert [(x["id"], x["events"], x["secret"], x["deliveryCount"]) for x in listed] == [(wid, ["customer.created"], "s", 0)]
    mismatch = sb.http.put(f"/api/webhooks/{wid}", headers=h, json={"id": "other", "url": receiver.url,
                                                                     "events": ["customer.created"]})
    assert mismatch.status_code == 422 and mismatch.json()["codes"] == ["WEBHOOK_ID_MISMATCH"]
    customer = sb.customer_login(agent.id, "10000000146")["accessToken"]
    assert sb.http.get("/api/webhooks", headers=sb.bearer(customer)).status_code == 403
    assert sb.http.delete(f"/api/webhooks/{wid}", headers=h).status_code == 204
    assert sb.http.get(f"/api/webhooks/{wid}", headers=h).status_code == 404


def test_receiver_failing_twice_gets_three_signed_attempts_on_the_agent_clock(sb, manual):
    agent = manual
    receiver = Receiver(fail_first=2)
    try:
        token = sb.service_token(agent)
        wid = hook(sb, token, receiver.url, ["customer.created"])
        sb.customer_login(agent.id, "10000000146")
        first = flush(sb, agent.id)
        assert [d["responseStatusCode"] for d in first["sent"]] == [500] and first["pending"] == 1
        assert flush(sb, agent.id)["sent"] == []  # the retry is not due yet on the frozen clock
        sb.advance(agent.id, 59)
        assert flush(sb, agent.id)["sent"] == []
        sb.advance(agent.id, 1)
        assert [d["responseStatusCode"] for d in flush(sb, agent.id)["sent"]] == [500]
        sb.advance(agent.id, 119)
        assert flush(sb, agent.id)["sent"] == []  # backoff doubled: 120 s
        sb.advance(agent.id, 1)
        done = flush(sb, agent.id)["sent"][0]
        assert done["state"] == "SUCCESS" and done["retryCount"] == 2
        requests = receiver.requests
        assert [r.status for r in requests] == [500, 500, 200]
        assert len({r.headers["x-webhook-delivery"] for r in requests}) == 1
        for r in requests:
            assert r.signature_ok(SECRET) and r.headers["x-webhook-event"] == "customer.created"
            assert r.headers["x-webhook-id"] == wid and r.headers["content-type"].startswith("application/json")
            assert r.json["$event"] == "customer.created" and r.json["customerType"] == "INDIVIDUAL"
        assert requests[0].body == requests[2].body
        detail = sb.http.get(f"/api/webhooks/{wid}/deliveries/{done['id']}", headers=sb.bearer(token)).json()
        assert [(a["attempt"], a["responseStatusCode"]) for a in detail["attempts"]] == [(1, 500), (2, 500), (3, 200)]
        assert all(a["durationMs"] >= 0 for a in detail["attempts"]) and detail["payload"]["$event"] == "customer.created"
        at = [a["at"] for a in detail["attempts"]]
        assert at[0] < at[1] < at[2]
    finally:
        receiver.close()


def test_three_failures_fail_the_delivery_and_redeliver_sends_it_once_more(sb, manual):
    agent = manual
    receiver = Receiver(fail_first=3)
    try:
        token = sb.service_token(agent)
        wid = hook(sb, token, receiver.url, ["customer.created"], secret=None)
        sb.customer_login(agent.id, "10000000146")
        for step in (0, 60, 120):
            sb.advance(agent.id, step)
            flush(sb, agent.id)
        deliveries = sb.http.get(f"/api/webhooks/{wid}/deliveries", headers=sb.bearer(token)).json()
        assert len(deliveries) == 1 and deliveries[0]["state"] == "FAILED" and deliveries[0]["retryCount"] == 2
        sb.advance(agent.id, 3600)
        assert flush(sb, agent.id)["sent"] == []  # nothing after the third attempt
        assert "x-webhook-signature" not in receiver.requests[0].headers
        token = sb.service_token(agent)  # the first one expired while the clock moved
        did = deliveries[0]["id"]
        again = sb.http.post(f"/api/webhooks/{wid}/deliveries/{did}/redeliver", headers=sb.bearer(token))
        assert again.status_code == 200 and again.json()["state"] == "PENDING"
        busy = sb.http.post(f"/api/webhooks/{wid}/deliveries/{did}/redeliver", headers=sb.bearer(token))
        assert busy.status_code == 409 and busy.json()["codes"] == ["WEBHOOK_DELIVERY_PENDING"]
        sent = flush(sb, agent.id)["sent"]
        assert sent[0]["state"] == "SUCCESS" and sent[0]["attempts"][-1]["manual"] is True
        gql = sb.graphql(token, "{ webhookDeliveriesNew(first: 5) { totalCount edges { node { id webhookId event state "
                                "responseStatusCode retryCount completedAt } } pageInfo { hasNextPage } } }")
        node = gql["data"]["webhookDeliveriesNew"]["edges"][0]["node"]
        assert node["id"] == did and node["state"] == "SUCCESS" and node["retryCount"] == 3
        assert node["responseStatusCode"] == 200 and node["event"] == "CUSTOMER_CREATED"
    finally:
        receiver.close()


def test_nothing_is_lost_while_the_receiver_is_down(sb, manual, receiver):
    agent = manual
    token = sb.service_token(agent)
    port_url = receiver.url
    receiver.close()  # the receiver is down: connections are refused
    hook(sb, token, port_url, ["customer.created", "customer.updated"])
    tokens = [sb.customer_login(agent.id, tckn, phone=f"53000000{i:02d}") for i, tckn in
              enumerate(("10000000146", "11111111110"))]
    assert len(tokens) == 2
    flush(sb, agent.id)
    outbox = sb.http.get(f"/__sandbox/agents/{agent.id}/webhook-deliveries").json()
    assert len(outbox) == 2 and all(d["state"] == "PENDING" and "ConnectError" in d["attempts"][0]["error"]
                                    for d in outbox)


def test_background_deliverer_sends_without_a_flush(sb, agent, receiver):
    token = sb.service_token(agent)
    hook(sb, token, receiver.url, ["customer.created"])
    sb.customer_login(agent.id, "10000000146")
    got = receiver.wait_for(1, timeout=10)
    assert len(got) == 1 and got[0].signature_ok(SECRET)


def test_a_slow_receiver_times_out_and_is_retried():
    app = create_app(Settings(webhook_timeout=0.3))
    receiver = Receiver(delay=1.0)
    try:
        with TestClient(app) as client:
            sb = SandboxClient(client)
            agent = sb.new_agent(webhookDelivery="manual")
            freeze(sb, agent.id)
            hook(sb, sb.service_token(agent), receiver.url, ["customer.created"])
            sb.customer_login(agent.id, "10000000146")
            sent = flush(sb, agent.id)["sent"][0]
            assert sent["state"] == "PENDING" and sent["attempts"][0]["responseStatusCode"] is None
            assert "no answer within 0.3 s" in sent["attempts"][0]["error"]
    finally:
        receiver.close()


def test_deleting_a_webhook_fails_its_pending_deliveries(sb, manual, receiver):
    agent = manual
    token = sb.service_token(agent)
    wid = hook(sb, token, receiver.url, ["customer.created"])
    sb.customer_login(agent.id, "10000000146")
    assert sb.http.delete(f"/api/webhooks/{wid}", headers=sb.bearer(token)).status_code == 204
    assert flush(sb, agent.id)["sent"] == []
    assert sb.http.get(f"/__sandbox/agents/{agent.id}/webhook-deliveries").json()[0]["state"] == "FAILED"
    assert receiver.requests == []


REQUIRED = {  # the required fields of reference §6.6, per event
    "proposal_premium.received": {"proposalId", "productId", "proposalProductId", "productBranch", "premiums",
                                  "insuredCustomer"},
    "proposal_premium.purchased": {"proposalId", "policyId", "productId", "installmentNumber", "paymentType",
                                   "policyStartDate", "policyEndDate"},
    "proposal_premium.purchase_failed": {"proposalId", "productId", "installmentNumber", "paymentType",
                                         "failureReason"},
    "policy.created": {"policyId", "installmentNumber", "paymentType", "insuranceCompany", "startDate", "endDate",
                       "renewalNumber", "insurerCustomerId", "insuredCustomerId", "fromPolicyTransfer", "channel",
                       "insuranceCompanyPolicyNo", "netPremium", "grossPremium"},
    "policy.updated": {"policyId", "paymentType", "endorsementNumber", "isCancel", "netPremium", "grossPremium",
                       "insuranceCompanyPolicyNo"},
    "customer.created": {"customerId", "customerType", "createdAt", "creationChannel"},
    "customer.updated": {"customerId", "customerType", "branch", "updatedAt", "updatedBy"},
    "customer.kvkk_consent_given": {"customerId", "customerType", "channel", "givenAt"},
    "customer.kvkk_consent_revoked": {"customerId", "customerType", "channel", "revokedAt"},
    "customer.etk_consent_given": {"customerId", "customerType", "channel", "givenAt"},
    "customer.etk_consent_revoked": {"customerId", "customerType", "channel", "revokedAt"},
    "vehicle.created": {"customerId", "vehicleId", "plate", "createdAt"},
    "vehicle.updated": {"customerId", "vehicleId", "updatedAt", "updatedBy"},
    "property.created": {"customerId", "propertyId", "propertyNumber", "createdAt"},
    "property.updated": {"customerId", "propertyId", "updatedAt", "updatedBy"},
    "case.created": {"caseId", "caseRef", "caseType", "customerId"},
    "case.state_changed": {"caseId", "caseRef", "customerId", "newMainState", "newSubState"},
}


def test_every_external_event_fires_with_its_documented_payload(sb, manual, receiver):
    agent = manual
    token = sb.service_token(agent)
    hook(sb, token, receiver.url, list(webhooks.EVENTS))
    assert set(REQUIRED) == set(webhooks.EVENTS) - webhooks.INTERNAL
    b = new_buyer(sb, agent.id)  # customer.created, vehicle.created, property.created
    assert sb.http.put(f"/api/customers/{b.id}", headers=b.h, json={"email": "a@example.com"}).status_code == 200
    for ctype in ("KVKK", "ETK"):
        assert sb.http.post(f"/api/customers/{b.id}/consents", headers=b.h, json={"consentType": ctype}).status_code == 200
        assert sb.http.delete(f"/api/customers/{b.id}/consents/{ctype}", headers=b.h).status_code == 200
    assert sb.http.put(f"/api/customers/{b.id}/vehicles/{b.vehicle}", headers=b.h,
                       json={"utilizationStyle": "PRIVATE_CAR"}).status_code == 200
    assert sb.http.put(f"/api/customers/{b.id}/properties/{b.property}", headers=b.h,
                       json={"squareMeter": 130}).status_code == 200
    sb.http.post("/api/cases:new-sale-opportunity", headers=b.h,
                 json={"customerId": b.id, "productBranch": "KASKO", "channel": "WEBSITE"})
    pid, pp = quoted(sb, agent.id, b, DOGA)  # case.state_changed, proposal_premium.received
    url = buy_async(sb, b, pid, pp, {"$type": "3d-secure", "card": card("4000000000000002")}).json()["redirectUrl"]
    callback(finish_page(sb, url))  # purchase_failed
    url = buy_async(sb, b, pid, pp, {"$type": "3d-secure", "card": card()}).json()["redirectUrl"]
    policy_id = callback(finish_page(sb, url))["policyId"]  # purchased, policy.created
    sb.http.post(f"/__sandbox/agents/{agent.id}/policies/{policy_id}/cancel", json={})  # policy.updated
    flush(sb, agent.id)
    got = {}
    for r in receiver.requests:
        got.setdefault(r.headers["x-webhook-event"], r)
    assert set(got) == set(REQUIRED), set(REQUIRED) ^ set(got)
    for name, r in got.items():
        body = r.json
        assert body["$event"] == name and REQUIRED[name] <= set(body), (name, REQUIRED[name] - set(body))
        assert r.signature_ok(SECRET)
    assert not any(r.headers["x-webhook-event"] == "proposal_premium.purchasing" for r in receiver.requests)
    assert "proposalProductId" not in got["proposal_premium.purchased"].json
    assert got["policy.created"].json["insuranceCompany"]["supportedPaymentOptions"]
    assert got["policy.updated"].json["isCancel"] is True
    # what each receiver got is exactly what the served OpenAPI document's webhooks say is sent
    doc = sb.http.get("/openapi.json").json()
    assert set(doc["webhooks"]) == set(REQUIRED)
    for name, r in got.items():
        schema = doc["webhooks"][name]["post"]["requestBody"]["content"]["application/json"]["schema"]
        declared = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        assert set(declared["required"]) >= REQUIRED[name] and declared["additionalProperties"] is False, name
        errors = list(Draft202012Validator({**schema, "components": doc["components"]}).iter_errors(r.json))
        assert errors == [], (name, [e.message for e in errors])
        assert {h["name"] for h in doc["webhooks"][name]["post"]["parameters"]} <= {k.lower() for k in r.headers}


def test_deliveries_never_carry_card_data(sb, manual, receiver):
    agent = manual
    hook(sb, sb.service_token(agent), receiver.url, list(webhooks.EVENTS))
    b = new_buyer(sb, agent.id)
    pid, pp = quoted(sb, agent.id, b, DOGA)
    url = buy_async(sb, b, pid, pp, {"$type": "3d-secure", "card": card()}).json()["redirectUrl"]
    callback(finish_page(sb, url))
    flush(sb, agent.id)
    raw = b"".join(r.body for r in receiver.requests)
    assert b"4111111111111111" not in raw and b"411111" not in raw


def _deliveries(sb, agent_id: str, **params) -> list[dict]:
    r = sb.http.get(f"/__sandbox/agents/{agent_id}/webhook-deliveries", params=params,
                    headers=sb.control_headers(agent_id))
    assert r.status_code == 200, r.text
    return r.json()


def _new_customer(sb, token: str) -> None:
    r = sb.http.post("/api/customers", headers=sb.bearer(token), json={
        "$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01", "fillMissingFields": True,
        "phoneNumber": {"number": fresh_phone(), "countryCode": 90}})
    assert r.status_code == 200, r.text


def _wait(predicate, timeout: float = 60.0) -> bool:
    """A hang guard, not a budget: the condition is what the test checks."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_a_hanging_receiver_delays_only_its_own_deliveries(sb):
    hanging, healthy = Receiver(delay=6.0), Receiver()
    a, b = sb.new_agent(), sb.new_agent()
    try:
        ta, tb = sb.service_token(a), sb.service_token(b)
        hook(sb, ta, hanging.url, ["customer.created"])
        hook(sb, tb, healthy.url, ["customer.created"])
        for _ in range(3):
            _new_customer(sb, ta)  # three deliveries wait on the hanging receiver
        assert _wait(lambda: len(hanging.requests) + hanging.most_at_once > 0, 10)
        _new_customer(sb, tb)
        # the healthy tenant's delivery is answered while the other's are still hanging
        assert _wait(lambda: len(healthy.requests) == 1, 10)
        assert all(not d["attempts"] for d in _deliveries(sb, a.id))
        # and its flush does not wait for anyone else's receiver
        _new_customer(sb, tb)
        sent = flush(sb, b.id)
        assert all(not d["attempts"] for d in _deliveries(sb, a.id))
        assert sum(1 for d in _deliveries(sb, b.id) if d["state"] == "SUCCESS") == 2, sent
    finally:
        sb.delete_agent(a.id)
        sb.delete_agent(b.id)
        hanging.close()
        healthy.close()


def test_a_burst_of_a_thousand_events_is_paced_for_a_small_receiver(sb):
    small = Receiver(small=True)
    agent = sb.new_agent(connectAllInsurers=False)
    try:
        token = sb.service_token(agent)
        hook(sb, token, small.url, ["customer.created"])
        for _ in range(1000):
            _new_customer(sb, token)
        assert _wait(lambda: len(small.requests) >= 1000, 120), len(small.requests)
        deliveries = _deliveries(sb, agent.id)
        assert len(deliveries) == 1000 and all(d["state"] == "SUCCESS" for d in deliveries)
        assert all(len(d["attempts"]) == 1 for d in deliveries)  # no connection refused, nothing retried
        assert len({r.headers["x-webhook-delivery"] for r in small.requests}) == 1000
        limit = sb.sandbox.settings.webhook_concurrency
        assert small.most_at_once <= limit
    finally:
        sb.delete_agent(agent.id)
        small.close()


def test_a_branchs_webhook_hears_its_branch_and_the_branches_under_it(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    ist = sb.http.post("/api/agent-branches", headers=h, json={"name": "İstanbul"}).json()
    kad = sb.http.post("/api/agent-branches", headers=h, json={"name": "Kadıköy", "parentId": ist}).json()
    ank = sb.http.post("/api/agent-branches", headers=h, json={"name": "Ankara"}).json()
    hook = sb.http.post("/api/webhooks", headers=h, json={"url": "http://127.0.0.1:9/hook", "events": ["customer.created"],
                                                          "agentBranchIds": [ist]}).json()["id"]
    everything = sb.http.post("/api/webhooks", headers=h, json={"url": "http://127.0.0.1:9/all",
                                                                "events": ["customer.created"]}).json()["id"]
    made = {}
    for name, branch in (("kadikoy", kad), ("istanbul", ist), ("ankara", ank), ("none", None)):
        body = {"$type": "individual", "identityNumber": fresh_tckn(), "fullName": "Ece Kaya"}
        if branch:
            body["agentBranchId"] = branch
        made[name] = sb.http.post("/api/customers", headers=h, json=body).json()["id"]

    def heard(webhook_id):
        out = set()
        for d in sb.http.get(f"/api/webhooks/{webhook_id}/deliveries", headers=h).json():
            full = sb.http.get(f"/api/webhooks/{webhook_id}/deliveries/{d['id']}", headers=h).json()
            payload = full["payload"] if isinstance(full["payload"], dict) else json.loads(full["payload"])
            out.add(payload["customerId"])
        return out

    assert heard(hook) == {made["kadikoy"], made["istanbul"]}
    assert heard(everything) == set(made.values())


def test_the_sdks_event_names_are_taken_and_answered_back_as_given(sb, agent):
    """The SDK's WebhookEvent values (POLICY_CREATED) work as well as the reference's (policy.created)."""
    h = sb.bearer(sb.service_token(agent))
    made = sb.http.post("/api/webhooks", headers=h, json={
        "url": "http://127.0.0.1:9/hook", "events": ["POLICY_CREATED", "CUSTOMER_KVKK_CONSENT_GIVEN"], "secret": None})
    assert made.status_code == 200, made.text
    got = sb.http.get(f"/api/webhooks/{made.json()['id']}", headers=h).json()
    assert got["events"] == ["POLICY_CREATED", "CUSTOMER_KVKK_CONSENT_GIVEN"]
    assert sb.http.put(f"/api/webhooks/{made.json()['id']}", headers=h, json={"url": "http://127.0.0.1:9/h2"}).status_code == 204
    assert sb.http.get(f"/api/webhooks/{made.json()['id']}", headers=h).json()["events"][0] == "POLICY_CREATED"
    # a webhook subscribed with the SDK's name hears the event (delivered under its wire name)
    hears = sb.http.post("/api/webhooks", headers=h, json={"url": "http://127.0.0.1:9/c", "events": ["CUSTOMER_CREATED"]})
    sb.http.post("/api/customers", headers=h, json={"$type": "individual", "identityNumber": fresh_tckn(),
                                                      "fullName": "Olay Adı"})
    outbox = sb.http.get(f"/__sandbox/agents/{agent.id}/webhook-deliveries", params={"event": "customer.created"},
                         headers=sb.control_headers(agent.id)).json()
    assert any(d.get("webhookId") == hears.json()["id"] for d in outbox), outbox[:1]
    dotted = sb.http.post("/api/webhooks", headers=h, json={"url": "http://127.0.0.1:9/x", "events": ["customer.created"]})
    assert sb.http.get(f"/api/webhooks/{dotted.json()['id']}", headers=h).json()["events"] == ["customer.created"]
    mixed = sb.http.post("/api/webhooks", headers=h, json={"url": "http://127.0.0.1:9/y", "events": ["POLICY_CREATED", "nope"]})
    assert mixed.status_code == 422 and "POLICY_CREATED" in mixed.text


@pytest.mark.parametrize("body, field", [
    ({"url": "http://[", "events": ["policy.created"]}, "url"),  # a host urlsplit cannot read
    ({"url": "https://ok.example/h", "events": []}, "events"),
    ({"url": "https://ok.example/h", "events": ["policy.created", "POLICY_UPDATED"]}, "events"),  # two spellings
    ({"url": "https://ok.example/h", "events": ["policy.created"], "secret": "s" * 257}, "secret"),
    ({"events": ["policy.created"]}, "url"),
])
def test_a_webhook_body_is_refused_naming_its_field(sb, agent, body, field):
    r = sb.http.post("/api/webhooks", headers=sb.bearer(sb.service_token(agent)), json=body)
    assert r.status_code == 422 and r.json()["codes"] == ["WEBHOOK_INVALID"], r.text
    assert [e["propertyName"] for e in r.json()["validationErrors"]] == [field]
