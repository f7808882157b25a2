"""Live parts against real clients: the SignalR-compatible hub (raw JSON protocol in-process, and the
official @microsoft/signalr client from npm against a served sandbox), and a headless Chromium
(Playwright) that completes a 3-D Secure page inside an iframe, as the real site embeds it.

Node.js packages and Chromium are installed by ``tests/install-tools.sh`` (part of the test
command). When they are missing these tests skip, unless INSURUP_SANDBOX_REQUIRE_TOOLS=1 (as in CI),
where a missing tool is a failure."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import orjson
import pytest

from tests.live import serve
from tests.test_proposals import created, kasko_body, new_buyer, settle
from tests.test_purchases import DOGA, buy_async, callback, card, finish_page, quoted

JS = Path(__file__).parent / "js"
RS = "\x1e"


def need(condition: bool, what: str) -> None:
    if not condition:
        if os.environ.get("INSURUP_SANDBOX_REQUIRE_TOOLS") == "1":
            pytest.fail(f"{what} is missing; run tests/install-tools.sh")
        pytest.skip(f"{what} is missing; run tests/install-tools.sh")


def frames(text: str) -> list[dict]:
    return [orjson.loads(x) for x in text.split(RS) if x]


# ----------------------------------------------------------------------------- hub, raw protocol
def test_hub_speaks_the_json_protocol_and_pushes_only_registered_visible_proposals(sb, agent):
    b = new_buyer(sb, agent.id)
    pid = created(sb, b, kasko_body(b))
    with pytest.raises(Exception):
        with sb.http.websocket_connect("/hubs/proposal-detail?access_token=nope") as ws:
            ws.receive_text()
    with sb.http.websocket_connect(f"/hubs/proposal-detail?access_token={b.token}") as ws:
        ws.send_text(json.dumps({"protocol": "json", "version": 1}) + RS)
        assert frames(ws.receive_text()) == [{}]
        ws.send_text(json.dumps({"type": 1, "invocationId": "1", "target": "Register",
                                 "arguments": [{"proposalId": "6b0000000000000000000000"}]}) + RS)
        assert "not found" in frames(ws.receive_text())[0]["error"]
        ws.send_text(json.dumps({"type": 1, "invocationId": "2", "target": "Register",
                                 "arguments": [{"proposalId": pid}]}) + RS)
        assert frames(ws.receive_text()) == [{"type": 3, "invocationId": "2", "result": None}]
        total = settle(sb, agent.id, pid)["settledProducts"]
        got: list[dict] = []
        priced = ("ReceiveProposalProductSuccess", "ReceiveProposalProductFailed")
        while sum(m.get("target") in priced for m in got) < total:
            got += frames(ws.receive_text())
        assert {m["target"] for m in got} <= {*priced, "ReceiveProposalProductCoverage"}
        assert all(m["type"] == 1 and m["arguments"][0]["proposalId"] == pid for m in got)
        ok = [m["arguments"][0] for m in got if m["target"] == "ReceiveProposalProductSuccess"]
        assert ok and all(x["premiums"] for x in ok)
        # a purchase is pushed too
        _, pp = quoted(sb, agent.id, b, DOGA, pid=pid)
        url = buy_async(sb, b, pid, pp, {"$type": "3d-secure", "card": card()}).json()["redirectUrl"]
        callback(finish_page(sb, url))
        targets = []
        while "ReceiveProposalProductPurchased" not in targets:
            targets += [m["target"] for m in frames(ws.receive_text()) if m.get("type") == 1]
        assert "ReceiveProposalProductPurchasing" in targets
    # another customer may not register this proposal
    other = new_buyer(sb, agent.id, plate="34KM129")
    with sb.http.websocket_connect(f"/hubs/proposal-detail?access_token={other.token}") as ws:
        ws.send_text(json.dumps({"protocol": "json", "version": 1}) + RS)
        ws.receive_text()
        ws.send_text(json.dumps({"type": 1, "invocationId": "1", "target": "Register",
                                 "arguments": [{"proposalId": pid}]}) + RS)
        assert "not found" in frames(ws.receive_text())[0]["error"]


# ----------------------------------------------------------------------------- real clients
@pytest.fixture(scope="module")
def live():
    with serve() as (base, _, _proc):
        yield base


def _customer_on_live(base: str) -> tuple[httpx.Client, str, dict, str]:
    """Log a customer in on the served sandbox and open a kasko proposal; returns the client, the
    agent id, the buyer's headers and the proposal id."""
    c = httpx.Client(base_url=base, timeout=10)
    agent = c.post("/__sandbox/agents", json={}).json()["agentId"]
    # the agent's clock stands still: no quote arrives before the client has registered (a busy machine
    # may take seconds to start it); settling the proposal delivers them all, while it listens
    assert c.post(f"/__sandbox/agents/{agent}/clock", json={"freeze": True}).status_code == 200
    body = {"$type": "individual", "identityNumber": "10000000146", "birthDate": "1985-04-12",
            "phoneNumber": {"number": "5321112233", "countryCode": 90}, "agentId": agent}
    token = c.post("/api/auth/customer/login-or-register", json=body).json()["token"]
    code = c.get(f"/__sandbox/agents/{agent}/sms").json()[-1]["code"]
    access = c.post("/api/auth/customer/verify-mfa", json={"token": token, "code": code}).json()["accessToken"]
    h = {"Authorization": f"Bearer {access}"}
    cid = c.get("/api/customers/me", headers=h).json()["id"]
    vid = c.post(f"/api/customers/{cid}/vehicles", headers=h, json={
        "plate": "34KL123", "documentSerialCode": "A", "documentSerialNumber": "1234567", "brandCode": "RENAULT",
        "modelCode": "CLIO", "year": 2019}).json()["id"]
    pid = c.post("/api/proposals", headers=h, json={"$type": "kasko", "vehicleId": vid, "productBranch": "KASKO",
                                                    "insurerCustomerId": cid, "insuredCustomerId": cid,
                                                    "channel": "WEBSITE"}).json()["proposalId"]
    return c, agent, h, pid


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["skip-negotiation", "negotiate"])
def test_official_signalr_client_hears_quotes_and_the_purchase(live, mode):
    need(shutil.which("node") is not None and (JS / "node_modules" / "@microsoft" / "signalr").exists(),
         "Node.js with @microsoft/signalr (tests/js)")
    c, agent, h, pid = _customer_on_live(live)
    products = c.get(f"/api/proposals/{pid}", headers=h).json()["products"]
    token = h["Authorization"].split()[1]
    proc = subprocess.Popen(["node", "watch.mjs", live, token, pid, str(len(products)), mode], cwd=JS,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = json.loads(proc.stdout.readline())
        assert first == {"registered": pid}, first
        refused = json.loads(proc.stdout.readline())
        assert "not found" in refused["refused"]
        c.post(f"/__sandbox/agents/{agent}/proposals/{pid}/settle")
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    lines = [json.loads(x) for x in out.splitlines()]
    assert lines[-1] == {"done": True}, (lines, err)
    received = [x for x in lines if "event" in x]
    assert len(received) == len(products)
    assert {x["payload"]["proposalProductId"] for x in received} == {p["id"] for p in products}
    assert {x["event"] for x in received} <= {"ReceiveProposalProductSuccess", "ReceiveProposalProductFailed"}


class _Site:
    """The integrator's site on another loopback port: a purchase page that embeds the payment page
    in an iframe (as real-b2c-site §11.2 does) and a callback page that reads the query string."""

    redirect_url = "about:blank"  # set once purchase/async has answered

    def __init__(self) -> None:
        site = self
        page = """<!doctype html><html><body><h1>Ödeme</h1>
<iframe name="insurup-3ds-frame" id="frame" width="480" height="640"
 sandbox="allow-forms allow-scripts allow-same-origin allow-top-navigation-by-user-activation allow-popups"></iframe>
<form id="go" action="{url}" method="POST" target="insurup-3ds-frame"></form>
<script>document.getElementById('go').submit();</script></body></html>"""
        callback = """<!doctype html><html><body><pre id="result"></pre><script>
const q = new URLSearchParams(location.search);
document.getElementById('result').textContent = JSON.stringify(Object.fromEntries(q.entries()));
</script></body></html>"""

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                body = (callback if self.path.startswith("/purchase/Callback")
                        else page.replace("{url}", site.redirect_url)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.slow
def test_browser_completes_3d_secure_in_an_iframe_and_lands_on_the_callback(live):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    need(chromium is not None and sync_playwright is not None, "Chromium and the playwright package")
    c, agent, h, pid = _customer_on_live(live)
    c.post(f"/__sandbox/agents/{agent}/proposals/{pid}/settle")
    products = c.get(f"/api/proposals/{pid}", headers=h).json()["products"]
    pp = next(p for p in products if p["insuranceCompanyId"] in (DOGA, 96) and p["state"] == "ACTIVE"
              and p["productType"] == "WEB_SERVICE")
    site = _Site()
    try:
        r = c.post(f"/api/proposals/{pid}/products/{pp['id']}/purchase/async", headers=h, json={
            "$type": "3d-secure", "paymentType": "ASYNC_3D_SECURE", "proposalId": pid, "proposalProductId": pp["id"],
            "installmentNumber": 1, "callbackUrl": f"{site.base}/purchase/Callback?type=kasko&proposalId={pid}",
            "card": card(expiryYear="30")})
        assert r.status_code == 200, r.text
        site.redirect_url = r.json()["redirectUrl"]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(site.base + "/purchase")
            frame = page.frame_locator("#frame")
            frame.locator("text=411111******1111").wait_for(timeout=10000)
            frame.locator("#code").fill("123456")
            frame.locator("#confirm").click()
            inner = page.frame(name="insurup-3ds-frame")
            inner.wait_for_url(f"{site.base}/purchase/Callback**", timeout=10000)
            result = json.loads(inner.locator("#result").text_content())
            browser.close()
    finally:
        site.close()
    assert result["success"] == "true" and result["type"] == "kasko" and result["proposalProductId"] == pp["id"]
    policy = c.get(f"/api/policies/{result['policyId']}", headers=h)
    assert policy.status_code == 200 and policy.json()["proposalProductId"] == pp["id"]
