"""Purchases: every payment type, every rule with its code, card checks on the agent's clock, the
payment pages (full page and form posts), magic cards, the control-plane completion, policies over
REST and GraphQL, the case closing as won, and card hygiene across everything the sandbox writes."""

from __future__ import annotations

import io
import json
import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from mockserver import magic
from tests.test_proposals import Buyer, created, kasko_body, new_buyer, settle

DOGA, TURKIYE, ANADOLU, AK, MAGDEBURGER = 43, 96, 7, 3, 38
CALLBACK = "http://localhost:3000/purchase/Callback?type=kasko"
PAN, CVC = "4111111111111111", "739"


def card(number: str = PAN, **extra) -> dict:
    return {"number": number, "cvc": CVC, "expiryMonth": "12", "expiryYear": "2030", "holderName": "AHMET YILMAZ",
            **extra}


def quoted(sb, agent_id: str, b: Buyer, insurer: int, *, robot: bool = False, pid: str | None = None):
    """A proposal and an ACTIVE product of ``insurer`` (retried when the seed made it fail)."""
    pid = pid or created(sb, b, kasko_body(b))
    settle(sb, agent_id, pid)
    kind = "ROBOT" if robot else "WEB_SERVICE"
    for _ in range(5):
        p = sb.http.get(f"/api/proposals/{pid}", headers=b.h).json()
        pp = next(x for x in p["products"] if x["insuranceCompanyId"] == insurer and x["productType"] == kind)
        if pp["state"] == "ACTIVE":
            return pid, pp
        sb.http.post(f"/api/proposals/{pid}/products/{pp['id']}/retry", headers=b.h)
        settle(sb, agent_id, pid)
    raise AssertionError(f"insurer {insurer} never quoted")


def buy_async(sb, b: Buyer, pid: str, pp: dict, body: dict, headers=None):
    return sb.http.post(f"/api/proposals/{pid}/products/{pp['id']}/purchase/async", headers=headers or b.h,
                        json={"proposalId": pid, "proposalProductId": pp["id"], "installmentNumber": 1,
                              "callbackUrl": CALLBACK, **body})


def buy_sync(sb, token: str, pid: str, pp: dict, body: dict):
    return sb.http.post(f"/api/proposals/{pid}/products/{pp['id']}/purchase/sync", headers=sb.bearer(token),
                        json={"installmentNumber": 1, **body})


def product(sb, b: Buyer, pid: str, ppid: str) -> dict:
    r = sb.http.get(f"/api/proposals/{pid}/products/{ppid}", headers=b.h)
    assert r.status_code == 200, r.text
    return r.json()


def payment_id(redirect_url: str) -> str:
    return urlsplit(redirect_url).path.rstrip("/").rsplit("/", 1)[-1]


def finish_page(sb, url: str, code: str = magic.PAYMENT_OTP_CODE, **fields):
    return sb.http.post(url, data={"action": "confirm", "code": code, **fields}, follow_redirects=False)


def callback(r) -> dict[str, str]:
    assert r.status_code == 303, r.text
    loc = r.headers["location"]
    assert loc.startswith("http://localhost:3000/purchase/Callback?type=kasko&"), loc
    return {k: v[0] for k, v in parse_qs(urlsplit(loc).query).items()}


def events(sb, agent_id: str, name: str) -> list[dict]:
    return [e["payload"] for e in sb.http.get(f"/__sandbox/agents/{agent_id}/events").json() if e["event"] == name]


@pytest.fixture
def buyer(sb, agent) -> Buyer:
    return new_buyer(sb, agent.id)


# ----------------------------------------------------------------------------- 3-D Secure
def test_3d_secure_page_to_callback_issues_a_policy_and_closes_the_case(sb, agent, buyer):
    sb.http.post("/api/cases:new-sale-opportunity", headers=buyer.h,
                 json={"customerId": buyer.id, "productBranch": "KASKO", "channel": "WEBSITE"})
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    # the real site's body: $type and paymentType, a two-digit year, the holder's identity number
    r = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "paymentType": "ASYNC_3D_SECURE",
                                       "card": card(expiryYear="30"), "identityNumber": magic.DOCS_TEST_TCKN})
    assert r.status_code == 200 and set(r.json()) == {"redirectUrl"}, r.text
    url = r.json()["redirectUrl"]
    assert product(sb, buyer, pid, pp["id"])["state"] == "PURCHASING"
    # the real site auto-submits an empty form to the URL inside an iframe
    page = sb.http.post(url, data={})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "x-frame-options" not in page.headers
    assert "411111******1111" in page.text and PAN not in page.text and "Doğa Sigorta" in page.text
    amount = pp["premiums"][0]["grossPremium"]
    assert f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in page.text
    wrong = finish_page(sb, url, code="000000")
    assert wrong.status_code == 422 and "Kalan deneme: 2" in wrong.text
    result = callback(finish_page(sb, url))
    assert result["success"] == "true" and result["proposalId"] == pid and result["proposalProductId"] == pp["id"]
    policy_id = result["policyId"]
    after = product(sb, buyer, pid, pp["id"])
    assert after["state"] == "PURCHASED" and after["policyId"] == policy_id
    assert sb.http.get(f"/api/proposals/{pid}", headers=buyer.h).json()["state"] == "PURCHASED"
    # a revisit of the page (back button) lands on the same result
    assert callback(sb.http.get(url, follow_redirects=False))["policyId"] == policy_id
    policy = sb.http.get(f"/api/policies/{policy_id}", headers=buyer.h).json()
    assert policy["insuranceCompanyName"] == "Doğa Sigorta" and policy["paymentType"] == "ASYNC_3D_SECURE"
    assert policy["grossPremium"] == amount and policy["installmentNumber"] == 1 and policy["state"] == "ACTIVE"
    assert policy["insuredCustomerId"] == buyer.id and policy["vehicleId"] == buyer.vehicle
    assert policy["endDate"][:4] == str(int(policy["startDate"][:4]) + 1)
    purchased = events(sb, agent.id, "proposal_premium.purchased")[-1]
    assert purchased == {"$event": "proposal_premium.purchased", "proposalId": pid, "policyId": policy_id,
                         "productId": pp["productId"], "installmentNumber": 1, "paymentType": "ASYNC_3D_SECURE",
                         "policyStartDate": policy["startDate"], "policyEndDate": policy["endDate"]}
    created_ev = events(sb, agent.id, "policy.created")[-1]
    assert created_ev["insuranceCompanyPolicyNo"] == policy["insuranceCompanyPolicyNumber"]
    assert created_ev["insuranceCompany"]["id"] == DOGA and created_ev["channel"] == "WEBSITE"
    case = sb.http.get("/api/customers/me", headers=buyer.h)  # the customer's case closed as won
    assert case.status_code == 200
    cases = sb.graphql(buyer.token, "{ casesNew(first: 5) { nodes { mainState subState policyCount } } }")
    assert cases["data"]["casesNew"]["nodes"][0] == {"mainState": "SUCCESS", "subState": "SUCCESS_COMPLETED",
                                                      "policyCount": 1}


def test_insurer_redirect_page_takes_the_card_and_a_declined_card_can_be_retried(sb, agent, buyer):
    pid, pp = quoted(sb, agent.id, buyer, ANADOLU)
    r = buy_async(sb, buyer, pid, pp, {"$type": "insurance-company-redirect"})
    assert r.status_code == 200, r.text
    url = r.json()["redirectUrl"]
    page = sb.http.get(url)
    assert 'name=number' in page.text and "Anadolu Sigorta" in page.text
    bad = finish_page(sb, url, number="4111111111111112", cvc="12", expiryMonth="13", expiryYear="2030",
                      holderName="A")
    assert bad.status_code == 422 and "Luhn" in bad.text and "4111111111111112" not in bad.text
    declined = callback(finish_page(sb, url, number="4000000000000002", cvc="123", expiryMonth="01",
                                    expiryYear="2031", holderName="AHMET YILMAZ"))
    assert declined["success"] == "false" and "reddedildi" in declined["error"] and "policyId" not in declined
    assert product(sb, buyer, pid, pp["id"])["state"] == "ACTIVE"
    failed = events(sb, agent.id, "proposal_premium.purchase_failed")[-1]
    assert failed["paymentType"] == "ASYNC_INSURANCE_COMPANY_REDIRECT" and "reddedildi" in failed["failureReason"]
    again = buy_async(sb, buyer, pid, pp, {"$type": "insurance-company-redirect"}).json()["redirectUrl"]
    ok = callback(finish_page(sb, again, number=PAN, cvc="123", expiryMonth="01", expiryYear="2031",
                              holderName="AHMET YILMAZ"))
    assert ok["success"] == "true" and product(sb, buyer, pid, pp["id"])["state"] == "PURCHASED"


def test_third_party_3d_secure_and_cancel_on_the_page(sb, agent, buyer):
    pid, pp = quoted(sb, agent.id, buyer, AK)
    url = buy_async(sb, buyer, pid, pp, {"$type": "third-party-3d-secure", "card": card()}).json()["redirectUrl"]
    page = sb.http.get(url)
    assert "Sandbox Ödeme Hizmetleri" in page.text and "AK Sigorta" in page.text
    cancelled = callback(sb.http.post(url, data={"action": "cancel"}, follow_redirects=False))
    assert cancelled["success"] == "false" and "iptal" in cancelled["error"]
    url = buy_async(sb, buyer, pid, pp, {"$type": "third-party-3d-secure", "card": card()}).json()["redirectUrl"]
    assert callback(finish_page(sb, url))["success"] == "true"
    policy_id = product(sb, buyer, pid, pp["id"])["policyId"]
    assert sb.http.get(f"/api/policies/{policy_id}", headers=buyer.h).json()["paymentType"] == \
        "ASYNC_THIRD_PARTY_3D_SECURE"


def test_three_wrong_codes_fail_the_payment(sb, agent, buyer):
    pid, pp = quoted(sb, agent.id, buyer, TURKIYE)
    url = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()}).json()["redirectUrl"]
    assert finish_page(sb, url, code="1").status_code == 422
    assert finish_page(sb, url, code="2").status_code == 422
    result = callback(finish_page(sb, url, code="3"))
    assert result["success"] == "false" and "3-D Secure doğrulaması başarısız" in result["error"]
    assert product(sb, buyer, pid, pp["id"])["state"] == "ACTIVE"


# ----------------------------------------------------------------------------- magic cards
@pytest.mark.parametrize("number, reason", [
    ("4000000000000002", "reddedildi"), ("4000000000009995", "limiti yetersiz"),
    ("4000000000003220", "3-D Secure"), ("4000000000000119", "tanzim edemedi"),
])
def test_magic_cards_fail_with_a_reason(sb, agent, buyer, number, reason):
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    url = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card(number)}).json()["redirectUrl"]
    result = callback(finish_page(sb, url))
    assert result["success"] == "false" and reason in result["error"]
    failed = events(sb, agent.id, "proposal_premium.purchase_failed")[-1]
    assert reason in failed["failureReason"] and failed["productId"] == pp["productId"]
    assert set(failed) == {"$event", "proposalId", "productId", "installmentNumber", "paymentType", "failureReason"}
    if number == "4000000000000119":
        assert "Doğa Sigorta" in failed["failureReason"]
    assert product(sb, buyer, pid, pp["id"])["state"] == "ACTIVE" and not sb.sandbox.agents[agent.id].policies


def test_stuck_card_stays_purchasing_until_the_insurer_times_out(sb, agent, buyer):
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    url = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card("4000000000000259")}).json()["redirectUrl"]
    result = callback(finish_page(sb, url))
    assert result["success"] == "false" and result["status"] == "PURCHASING"
    sb.advance(agent.id, 9 * 60)
    service = sb.service_token(agent)
    assert product(sb, Buyer(service, buyer.id, "", ""), pid, pp["id"])["state"] == "PURCHASING"
    sb.advance(agent.id, 61)
    assert product(sb, Buyer(service, buyer.id, "", ""), pid, pp["id"])["state"] == "ACTIVE"
    assert "zaman aşımı" in events(sb, agent.id, "proposal_premium.purchase_failed")[-1]["failureReason"]


def test_an_abandoned_page_expires_on_the_agent_clock(sb, agent, buyer):
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    url = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()}).json()["redirectUrl"]
    sb.advance(agent.id, 15 * 60 + 1)
    pay = sb.http.get(f"/__sandbox/agents/{agent.id}/payments/{payment_id(url)}").json()
    assert pay["state"] == "EXPIRED" and pay["failureReason"]
    result = callback(sb.http.get(url, follow_redirects=False))
    assert result["success"] == "false"


@pytest.mark.parametrize("outcome, state", [("success", "PURCHASED"), ("declined", "ACTIVE"),
                                            ("insufficient_funds", "ACTIVE"), ("authentication_failed", "ACTIVE"),
                                            ("issuance_failed", "ACTIVE"), ("stuck", "PURCHASING")])
def test_complete_without_a_browser(sb, agent, buyer, outcome, state):
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    url = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()}).json()["redirectUrl"]
    r = sb.http.post(f"/__sandbox/agents/{agent.id}/payments/{payment_id(url)}/complete", json={"outcome": outcome})
    assert r.status_code == 200, r.text
    assert product(sb, buyer, pid, pp["id"])["state"] == state
    location = r.json()["callbackLocation"]
    assert location.startswith(CALLBACK + "&success=" + ("true" if outcome == "success" else "false"))
    again = sb.http.post(f"/__sandbox/agents/{agent.id}/payments/{payment_id(url)}/complete", json={})
    assert again.status_code == 409 and again.json()["codes"] == ["PAYMENT_ALREADY_COMPLETED"]


def test_complete_refuses_an_unknown_outcome(sb, agent, buyer):
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    url = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()}).json()["redirectUrl"]
    r = sb.http.post(f"/__sandbox/agents/{agent.id}/payments/{payment_id(url)}/complete", json={"outcome": "maybe"})
    assert r.status_code == 422 and r.json()["validationErrors"][0]["propertyName"] == "outcome"
    assert sb.http.post(f"/__sandbox/agents/{agent.id}/payments/nope/complete", json={}).status_code == 404


# ----------------------------------------------------------------------------- B2B sync
def test_sync_credit_card_and_open_account_for_agents_only(sb, agent, buyer):
    token = sb.service_token(agent)
    pid, pp = quoted(sb, agent.id, buyer, MAGDEBURGER)
    refused = buy_sync(sb, buyer.token, pid, pp, {"$type": "credit-card", "card": card()})
    assert refused.status_code == 403 and refused.json()["codes"] == ["PURCHASE_SYNC_NOT_ALLOWED"]
    declined = buy_sync(sb, token, pid, pp, {"$type": "credit-card", "card": card("4000000000009995")})
    assert declined.status_code == 422 and declined.json()["codes"] == ["PAYMENT_INSUFFICIENT_FUNDS"]
    r = buy_sync(sb, token, pid, pp, {"$type": "credit-card", "card": card(), "metadata": {"campaign": "x"}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"policyId", "policyNumber", "status"} and body["status"] == "PURCHASED"
    assert sb.http.get(f"/api/policies/{body['policyId']}", headers=sb.bearer(token)).json()[
        "insuranceCompanyPolicyNumber"] == body["policyNumber"]
    other = new_buyer(sb, agent.id, plate="34KM124")
    pid2, pp2 = quoted(sb, agent.id, other, ANADOLU)
    oa = buy_sync(sb, token, pid2, pp2, {"$type": "open-account"})
    assert oa.status_code == 200 and sb.http.get(f"/api/policies/{oa.json()['policyId']}", headers=sb.bearer(token)
                                                 ).json()["paymentType"] == "SYNC_OPEN_ACCOUNT"
    # the B2B guide's method names are accepted too
    third = new_buyer(sb, agent.id, plate="34KM125")
    pid3, pp3 = quoted(sb, agent.id, third, AK)
    assert buy_sync(sb, token, pid3, pp3, {"paymentType": "CreditCard", "card": card()}).status_code == 200


def test_sync_stuck_answers_504_and_the_product_stays_purchasing(sb, agent, buyer):
    token = sb.service_token(agent)
    pid, pp = quoted(sb, agent.id, buyer, MAGDEBURGER)
    r = buy_sync(sb, token, pid, pp, {"$type": "credit-card", "card": card("4000000000000259")})
    assert r.status_code == 504 and r.json()["codes"] == ["PURCHASE_PENDING"]
    assert product(sb, Buyer(token, "", "", ""), pid, pp["id"])["state"] == "PURCHASING"


# ----------------------------------------------------------------------------- rules
def test_payment_type_the_table_lacks_is_accepted_as_the_real_site_sends_it(sb, agent, buyer):
    """InsurUp's own site sends 3d-secure (plus paymentType, plus Paratika's paymentMethod) to every
    insurer; the table lists no native 3-D Secure at Anadolu. Accepted, with the table's verdict in
    a header; $type wins over a paymentType that disagrees."""
    pid, pp = quoted(sb, agent.id, buyer, ANADOLU)
    r = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "paymentType": "ASYNC_THIRD_PARTY_3D_SECURE",
                                       "paymentMethod": "PARATIKA_3D_SECURE", "card": card()})
    assert r.status_code == 200, r.text
    warning = r.headers["x-sandbox-warning"]
    assert "paymentType says ASYNC_THIRD_PARTY_3D_SECURE but $type says ASYNC_3D_SECURE; $type wins" in warning
    assert "documented payment table lists" in warning and "Anadolu Sigorta" in warning and "ASYNC_3D_SECURE" in warning
    payment = sb.http.get(f"/__sandbox/agents/{agent.id}/payments").json()[-1]
    assert payment["paymentType"] == "ASYNC_3D_SECURE" and payment["$type"] == "3d-secure"
    result = callback(finish_page(sb, r.json()["redirectUrl"]))
    assert result["success"] == "true"
    # the real site sends Türkiye Sigorta's customers to the insurer's page, which its table lacks; the
    # name (Turkish letters) reaches the header ASCII-folded
    second = new_buyer(sb, agent.id, plate="34KM126")
    pid2, tur = quoted(sb, agent.id, second, TURKIYE)
    r = buy_async(sb, second, pid2, tur, {"$type": "insurance-company-redirect"})
    assert r.status_code == 200 and "Turkiye Sigorta, not ASYNC_INSURANCE_COMPANY_REDIRECT" in \
        r.headers["x-sandbox-warning"]
    # a type the insurer's table lists carries no warning
    third = new_buyer(sb, agent.id, plate="34KM127")
    pid3, doga = quoted(sb, agent.id, third, DOGA)
    plain = buy_async(sb, third, pid3, doga, {"$type": "3d-secure", "paymentType": "ASYNC_3D_SECURE", "card": card()})
    assert plain.status_code == 200 and "x-sandbox-warning" not in plain.headers


def test_payment_type_rules_with_the_documented_table(sb):
    agent = sb.new_agent(paymentTypes="documented")
    try:
        buyer = new_buyer(sb, agent.id)
        pid, pp = quoted(sb, agent.id, buyer, ANADOLU)
        r = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()})
        assert r.status_code == 422 and r.json()["codes"] == ["PAYMENT_TYPE_NOT_SUPPORTED"]
        assert "insurance-company-redirect" in r.json()["suggestions"][0]
        _, doga = quoted(sb, agent.id, buyer, DOGA, pid=pid)
        r = buy_async(sb, buyer, pid, doga, {"$type": "insurance-company-redirect"})
        assert r.status_code == 422 and r.json()["codes"] == ["PAYMENT_TYPE_NOT_SUPPORTED"]
        _, magd = quoted(sb, agent.id, buyer, MAGDEBURGER, pid=pid)
        r = buy_async(sb, buyer, pid, magd, {"$type": "third-party-3d-secure", "card": card()})
        assert r.status_code == 422 and "cannot be sold through purchase/async" in r.json()["suggestions"][0]
        wrong_path = buy_async(sb, buyer, pid, doga, {"$type": "credit-card", "card": card()})
        assert wrong_path.status_code == 422 and wrong_path.json()["codes"] == ["PAYMENT_TYPE_NEEDS_SYNC"]
        unknown = buy_async(sb, buyer, pid, doga, {"$type": "bitcoin"})
        assert unknown.status_code == 422 and unknown.json()["validationErrors"][0]["propertyName"] == "$type"
    finally:
        sb.delete_agent(agent.id)


def test_robot_products_cannot_be_bought(sb, agent, buyer):
    pid = created(sb, buyer, kasko_body(buyer))
    settle(sb, agent.id, pid)
    robot = next(x for x in sb.http.get(f"/api/proposals/{pid}", headers=buyer.h).json()["products"]
                 if x["productType"] == "ROBOT" and x["state"] == "ACTIVE")
    r = buy_async(sb, buyer, pid, robot, {"$type": "3d-secure", "card": card()})
    assert r.status_code == 422 and r.json()["codes"] == ["PURCHASE_ROBOT_PRODUCT"]


def test_product_must_be_active_installment_offered_and_ids_match(sb, agent, buyer):
    pid = created(sb, buyer, kasko_body(buyer))
    waiting = next(x for x in sb.http.get(f"/api/proposals/{pid}", headers=buyer.h).json()["products"]
                   if x["insuranceCompanyId"] == DOGA and x["productType"] == "WEB_SERVICE")
    r = buy_async(sb, buyer, pid, waiting, {"$type": "3d-secure", "card": card()})
    assert r.status_code == 422 and r.json()["codes"] == ["PROPOSAL_PRODUCT_NOT_ACTIVE"]
    _, pp = quoted(sb, agent.id, buyer, DOGA, pid=pid)
    r = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card(), "installmentNumber": 12})
    assert r.status_code == 422 and r.json()["codes"] == ["PURCHASE_INSTALLMENT_NOT_OFFERED"]
    assert r.json()["validationErrors"][0]["propertyName"] == "installmentNumber"
    r = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card(), "proposalId": "6b0000000000000000000000"})
    assert r.status_code == 422 and r.json()["codes"] == ["PURCHASE_ID_MISMATCH"]
    r = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card(), "callbackUrl": "javascript:alert(1)"})
    assert r.status_code == 422 and r.json()["codes"] == ["CALLBACK_URL_INVALID"]
    r = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure"})
    assert r.status_code == 422 and r.json()["codes"] == ["CARD_REQUIRED"]


def test_another_customer_cannot_buy_and_double_buys_are_409(sb, agent, buyer):
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    stranger = new_buyer(sb, agent.id, plate="34KM126")
    r = buy_async(sb, stranger, pid, pp, {"$type": "3d-secure", "card": card()})
    assert r.status_code == 404 and r.json()["codes"] == ["PROPOSAL_NOT_FOUND"]
    url = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()}).json()["redirectUrl"]
    busy = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()})
    assert busy.status_code == 409 and busy.json()["codes"] == ["PROPOSAL_PRODUCT_PURCHASE_IN_PROGRESS"]
    _, other = quoted(sb, agent.id, buyer, TURKIYE, pid=pid)
    second = buy_async(sb, buyer, pid, other, {"$type": "3d-secure", "card": card()})
    assert second.status_code == 409 and second.json()["codes"] == ["PROPOSAL_ALREADY_PURCHASED"]
    callback(finish_page(sb, url))
    done = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()})
    assert done.status_code == 409 and done.json()["codes"] == ["PROPOSAL_PRODUCT_ALREADY_PURCHASED"]


@pytest.mark.parametrize("change, field, code", [
    ({"number": "4111111111111112"}, "card.number", "CARD_NUMBER_INVALID"),
    ({"number": "4111-1111"}, "card.number", "CARD_NUMBER_INVALID"),
    ({"cvc": "12"}, "card.cvc", "CARD_CVC_INVALID"),
    ({"cvc": "12a"}, "card.cvc", "CARD_CVC_INVALID"),
    ({"expiryMonth": "13"}, "card.expiryMonth", "CARD_INVALID"),
    ({"expiryYear": "3"}, "card.expiryYear", "CARD_INVALID"),
    ({"holderName": ""}, "card.holderName", "CARD_INVALID"),
    ({"identityNumber": "12345678901"}, "card.identityNumber", "CARD_INVALID"),
])
def test_card_checks_name_the_field_and_never_echo_the_number(sb, agent, buyer, change, field, code):
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    r = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card(**change)})
    assert r.status_code == 422, r.text
    assert field in {e["propertyName"] for e in r.json()["validationErrors"]} and code in r.json()["codes"]
    assert PAN not in r.text and "4111111111111112" not in r.text and f'"{CVC}"' not in r.text
    assert product(sb, buyer, pid, pp["id"])["state"] == "ACTIVE"


def test_expiry_is_judged_on_the_agent_clock(sb, agent, buyer):
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    sb.http.post(f"/__sandbox/agents/{agent.id}/clock", json={"set": "2031-01-05T10:00:00Z"})
    token = sb.service_token(agent)
    r = sb.http.post(f"/api/proposals/{pid}/products/{pp['id']}/purchase/async", headers=sb.bearer(token),
                     json={"$type": "3d-secure", "installmentNumber": 1, "callbackUrl": CALLBACK,
                           "card": card(expiryMonth="12", expiryYear="2030")})
    assert r.status_code == 422 and r.json()["codes"] == ["CARD_EXPIRED"]
    assert "12/2030" in r.json()["validationErrors"][0]["errorMessage"]
    ok = sb.http.post(f"/api/proposals/{pid}/products/{pp['id']}/purchase/async", headers=sb.bearer(token),
                      json={"$type": "3d-secure", "installmentNumber": 1, "callbackUrl": CALLBACK,
                            "card": card(expiryMonth="01", expiryYear="31")})
    assert ok.status_code == 200, ok.text


# ----------------------------------------------------------------------------- policies
def _policy(sb, agent, buyer, insurer=DOGA, installment=1) -> tuple[str, str, dict]:
    pid, pp = quoted(sb, agent.id, buyer, insurer)
    url = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card(),
                                         "installmentNumber": installment}).json()["redirectUrl"]
    return pid, callback(finish_page(sb, url))["policyId"], pp


def test_policy_document_is_a_real_pdf_and_can_be_sent(sb, agent, buyer):
    sb.http.put(f"/api/customers/{buyer.id}", headers=buyer.h, json={"email": "ahmet@example.com"})
    _, policy_id, pp = _policy(sb, agent, buyer, installment=2)
    policy = sb.http.get(f"/api/policies/{policy_id}", headers=buyer.h).json()
    assert policy["installmentNumber"] == 2 and policy["grossPremium"] == pp["premiums"][1]["grossPremium"]
    url = sb.http.get(f"/api/policies/{policy_id}/document", headers=buyer.h).json()["url"]
    pdf = sb.http.get(url)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Sigorta Poliçesi" in text and policy["insuranceCompanyPolicyNumber"] in text and "Doğa Sigorta" in text
    assert "2 taksit" in text and "Yürürlükte" in text
    sent = sb.http.post(f"/api/policies/{policy_id}/document/send", headers=buyer.h, json={"email": "x@example.com"})
    assert sent.status_code == 204
    out = sb.http.get(f"/__sandbox/agents/{agent.id}/outbox").json()[-1]
    assert out["to"] == "x@example.com" and out["kind"] == "policy" and out["policyId"] == policy_id
    assert sb.http.get(out["documentUrl"]).status_code == 200
    bad = sb.http.post(f"/api/policies/{policy_id}/document/send", headers=buyer.h, json={"email": "nope"})
    assert bad.status_code == 422 and bad.json()["validationErrors"][0]["propertyName"] == "email"


def test_policies_are_private_and_listed_over_rest_and_graphql(sb, agent, buyer):
    pid, policy_id, pp = _policy(sb, agent, buyer)
    stranger = new_buyer(sb, agent.id, plate="34KM127")
    assert sb.http.get(f"/api/policies/{policy_id}", headers=stranger.h).status_code == 404
    assert sb.http.get("/api/policies", headers=stranger.h).json()["totalCount"] == 0
    mine = sb.http.get("/api/policies", headers=buyer.h).json()
    assert mine["totalCount"] == 1 and mine["items"][0]["policyId"] == policy_id
    # the real site's dashboard query (Apollo adds __typename)
    legacy = sb.graphql(buyer.token, """query GetPolicies { policies(skip: 0, take: 10, order: [{ createdAt: DESC }]) {
      totalCount items { __typename id state productBranch startDate endDate insuranceCompanyLogo
      insuranceCompanyPolicyNumber insuranceCompanyName productName grossPremium netPremium insuredCustomerName
      insuredCustomerIdentity insuredCustomerType arrangementDate createdAt createdBy { name }
      vehicleModel { brand { text value } year } channel insuredCustomerId vehicleId propertyId } } }""")
    assert "errors" not in legacy, legacy
    item = legacy["data"]["policies"]["items"][0]
    assert item["id"] == policy_id and item["state"] == "ACTIVE" and item["vehicleModel"]["brand"]["text"]
    assert item["insuranceCompanyName"] == "Doğa Sigorta" and item["insuredCustomerIdentity"]
    service = sb.service_token(agent)
    new = sb.graphql(service, """{ policiesNew(first: 10, filter: {insuranceCompanyId: {eq: 43}}) {
      totalCount edges { node { id paymentType installmentNumber productId insuranceCompanyProposalNumber } } } }""")
    assert new["data"]["policiesNew"]["edges"][0]["node"] == {
        "id": policy_id, "paymentType": "ASYNC_3D_SECURE", "installmentNumber": 1, "productId": pp["productId"],
        "insuranceCompanyProposalNumber": pp["premiums"][0]["insuranceCompanyProposalNumber"]}
    b2b = sb.graphql(service, "{ getPoliciesNew(first: 5) { totalCount edges { node { id vehiclePlate } } } }")
    assert b2b["data"]["getPoliciesNew"]["totalCount"] == 1
    doc = sb.graphql(buyer.token, 'mutation { getPolicyDocument(policyId: "%s") { url } }' % policy_id)
    assert sb.http.get(doc["data"]["getPolicyDocument"]["url"]).headers["content-type"] == "application/pdf"
    count = sb.graphql(service, "{ customersNew(first: 50) { nodes { id policyCount proposalCount } } }")
    me = next(n for n in count["data"]["customersNew"]["nodes"] if n["id"] == buyer.id)
    assert me["policyCount"] == 1


def test_a_graphql_policy_page_reads_only_the_selected_columns_and_says_what_rest_says(sb, agent, buyer,
                                                                                         monkeypatch):
    """policiesNew answers each selected column from the policy (one getter per column, declared once in
    policies.COLUMNS), never by building the whole row per field, and says what GET policies/{id} says."""
    from mockserver.domain import policies
    from mockserver.graphql.rows import POLICY_NODE

    _, policy_id, _ = _policy(sb, agent, buyer)
    rest = sb.http.get(f"/api/policies/{policy_id}", headers=buyer.h).json()
    objects = {"UserReference", "AgentBranchModel", "VehicleModelReference"}
    scalars = [c.name for c in POLICY_NODE if c.name in rest and c.type not in objects]
    assert len(scalars) > 50
    monkeypatch.setattr(policies.Policy, "graphql_row", lambda self: pytest.fail("a whole row was built"))
    page = sb.graphql(sb.service_token(agent), "{ policiesNew(first: 5, order: [{createdAt: DESC}], "
                      "filter: {productBranch: {eq: KASKO}}) { nodes { %s } } }" % " ".join(scalars))
    assert "errors" not in page, page
    node = page["data"]["policiesNew"]["nodes"][0]
    assert {k: node[k] for k in scalars} == {k: rest[k] for k in scalars}


def test_a_policy_past_its_end_date_is_end_of_life_as_the_sdk_says(sb, agent, buyer):
    _, policy_id, _ = _policy(sb, agent, buyer)
    policy = sb.http.get(f"/api/policies/{policy_id}", headers=buyer.h).json()
    assert policy["state"] == "ACTIVE"
    sb.http.post(f"/__sandbox/agents/{agent.id}/clock", json={"set": f"{int(policy['endDate'][:4]) + 1}-06-01T09:00:00Z"})
    service = sb.service_token(agent)  # the customer's token has long expired on the agent's clock
    assert sb.http.get(f"/api/policies/{policy_id}", headers=sb.bearer(service)).json()["state"] == "END_OF_LIFE"
    rows = sb.graphql(service, "{ policiesNew(first: 5, filter: {state: {eq: END_OF_LIFE}}) "
                                               "{ nodes { id state } } }")
    assert rows["data"]["policiesNew"]["nodes"] == [{"id": policy_id, "state": "END_OF_LIFE"}], rows


def test_cancelling_a_policy_fires_policy_updated_and_expands_versions(sb, agent, buyer):
    _, policy_id, pp = _policy(sb, agent, buyer)
    r = sb.http.post(f"/__sandbox/agents/{agent.id}/policies/{policy_id}/cancel", json={"reason": "Araç satıldı"})
    assert r.status_code == 200 and r.json()["state"] == "CANCELLED"
    updated = events(sb, agent.id, "policy.updated")[-1]
    gross = pp["premiums"][0]["grossPremium"]
    assert updated["isCancel"] is True and updated["endorsementNumber"] == 1 and -gross <= updated["grossPremium"] < 0
    service = sb.service_token(agent)
    rows = sb.graphql(service, "{ policiesExpanded(first: 10) { nodes { id endorsementNumber grossPremiumChange } } }")
    versions = sorted(rows["data"]["policiesExpanded"]["nodes"], key=lambda n: n["endorsementNumber"])
    assert [v["endorsementNumber"] for v in versions] == [0, 1] and versions[0]["grossPremiumChange"] == gross
    again = sb.http.post(f"/__sandbox/agents/{agent.id}/policies/{policy_id}/cancel", json={})
    assert again.status_code == 409


# ----------------------------------------------------------------------------- card hygiene
def test_no_card_number_or_cvc_anywhere_after_purchases(sb, agent, buyer, caplog):
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    pid, pp = quoted(sb, agent.id, buyer, DOGA)
    r = buy_async(sb, buyer, pid, pp, {"$type": "3d-secure", "card": card()})
    seen.append(r.text)
    url = r.json()["redirectUrl"]
    for resp in (sb.http.get(url), finish_page(sb, url)):
        seen.append(resp.text + json.dumps(dict(resp.headers)))
    pid2, pp2 = quoted(sb, agent.id, new_buyer(sb, agent.id, plate="34KM128"), ANADOLU)
    token = sb.service_token(agent)
    sync = buy_sync(sb, token, pid2, pp2, {"$type": "credit-card", "card": card()})
    seen.append(sync.text)
    icr = buy_async(sb, Buyer(token, "", "", ""), pid2, pp2, {"$type": "insurance-company-redirect"})
    seen.append(icr.text)
    base = f"/__sandbox/agents/{agent.id}"
    for path in ("/journal", "/events", "/payments", "/outbox", "/webhook-deliveries"):
        seen.append(sb.http.get(base + path).text)
    seen.append(caplog.text)
    everything = "\n".join(seen)
    assert PAN not in everything and "4111 1111" not in everything
    assert not re.search(rf'"cvc"\s*:\s*"?{CVC}', everything) and f"cvc={CVC}" not in everything
    assert "411111******1111" in everything  # the masked form is what remains
