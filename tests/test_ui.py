"""The dashboard in a real browser (headless Chromium): every page renders, buttons act, and an SMS
code sent while the page is open appears without a reload (server-sent events); no console errors.
Screenshots of the main pages go to bench/results/screenshots/ for review."""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

import httpx
import pytest

from tests.conftest import fresh_phone, fresh_tckn
from tests.test_purchases import CALLBACK, DOGA, callback, card, finish_page, payment_id, quoted
from tests.test_proposals import new_buyer
from mockserver.testing import SandboxClient
from tests.live import serve
from tests.test_live import need

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "bench" / "results" / "screenshots"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test command installs it
    sync_playwright = None


@contextlib.contextmanager
def browsing(*, console_errors: bool = True, width: int = 1300, height: int = 900):
    """A served sandbox and a headless Chromium page on it: (base URL, page, problems seen by the page)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    need(chromium is not None and sync_playwright is not None, "Chromium and the playwright package")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve() as (base, _, _proc), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": width, "height": height})
        problems: list[str] = []
        if console_errors:
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        try:
            yield base, page, problems
        finally:
            browser.close()


def test_pages_render_as_html_with_their_data(sb, agent):
    index = sb.http.get("/__sandbox/ui")
    assert index.status_code == 200 and "text/html" in index.headers["content-type"] and agent.id in index.text
    page = sb.http.get(f"/__sandbox/ui/agents/{agent.id}")
    assert page.status_code == 200 and agent.client_id in page.text and "SMS codes" in page.text
    assert "<script>" in page.text and "http" not in page.text.split("<script>")[1].split("</script>")[0]
    assert sb.http.get("/__sandbox/ui/magic").status_code == 200
    moved = sb.http.post(f"/__sandbox/ui/agents/{agent.id}/clock", data={"advance": "3600"}, follow_redirects=False)
    assert moved.status_code == 303
    assert sb.http.get(f"/__sandbox/agents/{agent.id}/clock").json()["offsetSeconds"] >= 3599
    assert sb.http.get("/__sandbox/ui/agents/nope").status_code == 404


@pytest.mark.slow
def test_the_dashboard_in_a_browser_updates_live_and_acts():
    with browsing() as (base, page, problems):
        page.goto(base + "/__sandbox/ui")
        page.screenshot(path=str(SHOTS / "agents.png"), full_page=True)
        page.click("#new-agent")
        page.wait_for_url("**/__sandbox/ui/agents/*")
        agent = page.url.rstrip("/").rsplit("/", 1)[-1]
        page.wait_for_timeout(500)  # the event stream is open
        phone = fresh_phone()
        httpx.post(base + "/api/auth/customer/login-or-register", json={
            "$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
            "phoneNumber": {"number": phone, "countryCode": 90}, "agentId": agent})
        code = httpx.get(f"{base}/__sandbox/agents/{agent}/sms").json()[-1]["code"]
        page.wait_for_selector(f'[data-sms="{code}"]', timeout=15000)  # arrived without a reload
        before = page.inner_text("#clock")
        page.click('button[data-advance="600"]')
        page.wait_for_function(f"document.getElementById('clock').textContent !== {before!r}", timeout=10000)
        page.screenshot(path=str(SHOTS / "agent.png"), full_page=True)
        page.goto(base + "/__sandbox/ui/magic")
        page.screenshot(path=str(SHOTS / "magic.png"), full_page=True)
    assert problems == [], problems


def test_api_reference_and_graphql_console_are_served_offline(sb):
    docs = sb.http.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text and "https://" not in docs.text
    js = sb.http.get("/docs/assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("application/javascript") and len(js.content) > 100_000
    assert sb.http.get("/docs/assets/../../etc/passwd").status_code == 404
    assert sb.http.get("/docs/assets/index.html").status_code == 404
    root = sb.http.get("/")
    assert root.status_code == 200 and "/__sandbox/ui" in root.text and "/docs" in root.text
    console = sb.http.get("/graphql", headers={"Accept": "text/html"})
    assert console.status_code == 200 and "GraphiQL.createFetcher" in console.text and "https://" not in console.text
    for name in ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "graphiql.min.css"):
        assert f"/graphql/assets/{name}" in console.text
    packed = sb.http.get("/graphql/assets/graphiql.min.js", headers={"Accept-Encoding": "gzip"})
    plain = sb.http.get("/graphql/assets/graphiql.min.js", headers={"Accept-Encoding": "identity"})
    assert packed.headers.get("content-encoding") == "gzip" and "content-encoding" not in plain.headers
    assert packed.content == plain.content and len(plain.content) > 1_000_000  # httpx decoded the gzip one
    assert sb.http.get("/graphql/assets/graphiql.min.js.gz").status_code == 404
    # a client (not a browser) still gets the GraphQL error for a GET without a query
    assert sb.http.get("/graphql").headers["content-type"].startswith("application/json")


@pytest.mark.slow
def test_the_api_reference_renders_in_a_browser():
    with browsing(console_errors=False) as (base, page, problems):  # (GraphiQL without a token: its 401s)
        page.goto(base + "/docs")
        page.wait_for_selector(".opblock-tag", timeout=20000)
        page.screenshot(path=str(SHOTS / "docs.png"))
        page.goto(base + "/graphql")  # GraphiQL without a token: it renders, and a run says why it is refused
        page.wait_for_selector(".graphiql-execute-button", timeout=30000)
        page.click(".graphiql-execute-button")
        page.wait_for_function("(document.querySelector('.result-window') || {}).textContent?.includes('INVALID_TOKEN')",
                               timeout=30000)
    assert problems == [], problems


def test_redeliver_button_certification_progress_and_drift_page(sb, agent, tmp_path, monkeypatch):
    from mockserver.receiver import Receiver

    token = sb.service_token(agent)
    receiver = Receiver()
    try:
        sb.http.post("/api/webhooks", headers=sb.bearer(token), json={"url": receiver.url, "events": ["customer.created"]})
        sb.customer_login(agent.id, fresh_tckn(), fresh_phone())
        sb.http.post(f"/__sandbox/agents/{agent.id}/webhook-deliveries/flush")
        [delivery] = sb.http.get(f"/__sandbox/agents/{agent.id}/webhook-deliveries").json()
        page = sb.http.get(f"/__sandbox/ui/agents/{agent.id}").text
        assert f'data-redeliver="{delivery["id"]}"' in page
        r = sb.http.post(f"/__sandbox/ui/agents/{agent.id}/deliveries/{delivery['id']}/redeliver", follow_redirects=False)
        assert r.status_code == 303
        sb.http.post(f"/__sandbox/agents/{agent.id}/webhook-deliveries/flush")
        assert len(receiver.wait_for(2)) == 2
    finally:
        receiver.close()
    session = sb.http.post("/__sandbox/certifications", json={"partner": "Panel Acente"}).json()
    page = sb.http.get(f"/__sandbox/ui/agents/{session['agentId']}").text
    assert "Certification: Panel Acente" in page and "INS-AUTH-001" in page and "NOT_EXERCISED" in page
    sb.delete_agent(session["agentId"])
    monkeypatch.chdir(tmp_path)
    assert "contract verify" in sb.http.get("/__sandbox/ui/drift").text
    (tmp_path / "drift-report").mkdir()
    (tmp_path / "drift-report" / "drift-report.html").write_text("<html><body>the latest drift</body></html>")
    assert "the latest drift" in sb.http.get("/__sandbox/ui/drift").text


def test_the_agent_page_shows_a_whole_purchase_with_its_pages_and_documents(sb, agent):
    b = new_buyer(sb, agent.id)
    pid, pp = quoted(sb, agent.id, b, DOGA)
    r = sb.http.post(f"/api/proposals/{pid}/products/{pp['id']}/purchase/async", headers=b.h, json={
        "$type": "3d-secure", "installmentNumber": 1, "callbackUrl": CALLBACK, "card": card()})
    url = r.json()["redirectUrl"]
    policy = {"id": callback(finish_page(sb, url))["policyId"]}
    sent = sb.http.post(f"/api/policies/{policy['id']}/document/send", headers=b.h, json={"email": "ali@example.com"})
    assert sent.status_code == 204, sent.text
    page = sb.http.get(f"/__sandbox/ui/agents/{agent.id}").text
    # every product on the agent's clock, and the premiums per insurer, cheapest first
    assert page.count('class="track"') == len(sb.http.get(f"/api/proposals/{pid}", headers=b.h).json()["products"])
    chart = page.split('<svg class="chart"')[1].split("</svg>")[0]
    assert "Doğa Sigorta" in chart and chart.count("<rect") >= 2 and 'class="cheapest"' in chart
    premiums = [float(x.replace(".", "").replace(",", ".")) for x in re.findall(r">([\d.]+,\d\d) TL<", chart)]
    assert premiums == sorted(premiums)
    # the payment's page and history, the policy's PDF, the e-mail with its PDF link
    assert f'data-payment-page="{payment_id(url)}"' in page and "history (" in page
    pdf = re.search(r'href="([^"]+)" data-policy-pdf="' + policy["id"], page).group(1)
    assert sb.http.get(pdf.replace("&amp;", "&")).headers["content-type"] == "application/pdf"
    mail = re.search(r'href="([^"]+)" data-document="policy"', page).group(1)
    assert "ali@example.com" in page and sb.http.get(mail).content.startswith(b"%PDF")
    assert card()["number"] not in page and card()["cvc"] + "<" not in page


def test_the_agent_page_shows_the_agencys_users_roles_branches_and_contact_forms(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    root = sb.http.post("/api/agent-branches", headers=h, json={"name": "İzmir"}).json()
    sb.http.post("/api/agent-branches", headers=h, json={"name": "Bornova", "parentId": root})
    sb.http.post("/api/agent-roles", headers=h, json={"name": "Satış", "permissions": [
        {"permission": "customers:read", "scope": "Own"}, "proposals:create"]})
    role = next(r["id"] for r in sb.http.get("/api/agent-roles", headers=h).json() if r["name"] == "Satış")
    sb.http.post("/api/agent-users/invite", headers=h, json={"email": f"ui.{agent.id[:6]}@acente.test", "firstName": "Deniz",
                                                            "lastName": "Ak", "roleId": role, "agentBranchIds": [root]})
    sb.http.post("/api/contact-form", json={"agentId": agent.id, "firstName": "Ali", "phoneNumber": "5321112233",
                                            "subject": "Kasko", "message": "İstenilen ürün: Kasko <b>bold</b>"})
    page = sb.http.get(f"/__sandbox/ui/agents/{agent.id}").text
    users = page.split('id="agent-users"')[1].split("</table>")[0]
    assert "Deniz Ak" in users and "Pending" in users and "Satış" in users and "İzmir" in users
    assert "customers:read Own, proposals:create" in page and "İzmir &gt; Bornova" in page
    assert "İstenilen ürün: Kasko &lt;b&gt;bold&lt;/b&gt;" in page  # what a visitor typed is escaped
    # the agency's settings: how new cases are assigned, its priority rules, plugins and own templates
    sb.http.put("/api/agents/me", headers=h, json={"caseRepresentativeAssignmentMode": "ROUND_ROBIN",
                                                   "casePriorityRuleDefinitions": [{"name": "Kasko <i>", "score": 5}]})
    sb.http.put("/api/templates/otp-sms", headers=h, json={"languageId": 1, "content": "Kod: {{ code }}"})
    from tests.test_plugins import bundle, upload

    upload(sb, h, bundle())
    settings = sb.http.get(f"/__sandbox/ui/agents/{agent.id}").text.split('id="agency-settings"')[1].split("</p>")[0]
    assert "ROUND_ROBIN" in settings and "Kasko &lt;i&gt; (+5)" in settings
    assert "com.acme.demo no active version" in settings and "otp-sms (tr)" in settings


def test_the_journal_filters_and_shows_near_misses(sb, agent):
    b = new_buyer(sb, agent.id)
    other = new_buyer(sb, agent.id)
    sb.http.get("/api/customer/me", headers=b.h)  # a typo: 404
    sb.http.post(f"/api/customers/{b.id}/vehicles", headers=b.h, json={"plate_number": "34AB123", "model_year": 2020})
    ui = f"/__sandbox/ui/agents/{agent.id}"

    def shown(**filters) -> str:
        page = sb.http.get(ui, params={**filters, "fragment": "live"}).text
        return page.split('id="journal"')[1].split("<h2>Events")[0]

    journal = shown(status="failed")
    assert "<td class=\"ok\">" not in journal and "404" in journal and "422" in journal
    assert "Nearest endpoints: GET /customers/me" in journal and "problem body" in journal
    assert "the body has &#39;model_year&#39; next to it: did you mean &#39;modelYear&#39;?" in journal
    assert "the body has &#39;plate_number&#39; next to it: did you mean &#39;plate&#39;?" in journal
    mine, theirs = shown(customer=b.id), shown(customer=other.id)
    assert f"/customers/{b.id}/vehicles" in mine and f"/customers/{b.id}/vehicles" not in theirs
    only = shown(path="/vehicles")
    assert "/vehicles" in only and "/customer/me" not in only


def test_clock_set_delete_and_the_default_agent_kept(sb, agent):
    ui = f"/__sandbox/ui/agents/{agent.id}"
    assert sb.http.post(f"{ui}/clock", data={"set": "2027-03-01T09:30:00"}, follow_redirects=False).status_code == 303
    assert sb.http.get(f"/__sandbox/agents/{agent.id}/clock").json()["now"].startswith("2027-03-01T09:30")
    extra = sb.new_agent()
    assert sb.http.post(f"/__sandbox/ui/agents/{extra.id}/delete", follow_redirects=False).status_code == 303
    assert sb.http.get(f"/__sandbox/agents/{extra.id}").status_code == 404
    default = next(a for a in sb.http.get("/__sandbox/agents").json() if a["isDefault"])
    kept = sb.http.post(f"/__sandbox/ui/agents/{default['agentId']}/delete", follow_redirects=False)
    assert kept.status_code == 422 and kept.json()["codes"] == ["DEFAULT_AGENT_PROTECTED"]
    assert 'id="delete-agent"' not in sb.http.get(f"/__sandbox/ui/agents/{default['agentId']}").text


def test_graphiql_handover_puts_a_working_token_in_session_storage_only(sb, agent):
    r = sb.http.post(f"/__sandbox/ui/agents/{agent.id}/graphiql")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    token = re.search(r'sessionStorage.setItem\("insurup-sandbox-token", "([^"]+)"\)', r.text).group(1)
    assert sb.graphql(token, "{ casesNew(first: 1) { totalCount } }")["data"]["casesNew"]["totalCount"] == 0


class _Remote(SandboxClient):
    """The test helpers over real HTTP to a served sandbox (the control plane is open on loopback)."""

    def __init__(self, http: httpx.Client):  # noqa: D107 - no TestClient, no in-process app
        self.http, self.admin_token, self._tokens = http, None, {}


@pytest.mark.slow
def test_every_page_in_a_browser_a_purchase_graphiql_and_a_certification():
    with browsing(width=1400, height=1000) as (base, page, problems), httpx.Client(base_url=base, timeout=30) as http:
        sb = _Remote(http)
        agent = sb.new_agent()
        b = new_buyer(sb, agent.id)
        pid, pp = quoted(sb, agent.id, b, DOGA)
        url = http.post(f"/api/proposals/{pid}/products/{pp['id']}/purchase/async", headers=b.h, json={
            "$type": "3d-secure", "installmentNumber": 1, "callbackUrl": CALLBACK, "card": card()}).json()["redirectUrl"]
        second, pp2 = quoted(sb, agent.id, b, DOGA)
        pending = http.post(f"/api/proposals/{second}/products/{pp2['id']}/purchase/async", headers=b.h, json={
            "$type": "3d-secure", "installmentNumber": 1, "callbackUrl": CALLBACK, "card": card()}).json()["redirectUrl"]
        policy = callback(finish_page(sb, url))["policyId"]
        http.post(f"/api/policies/{policy}/document/send", headers=b.h, json={"email": "ali@example.com"})
        http.get("/api/customer/me", headers=b.h)
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        ui = f"{base}/__sandbox/ui/agents/{agent.id}"
        page.goto(ui)
        assert page.locator(".track").count() >= 2  # two proposals, every product of each
        assert page.locator("svg.chart rect.cheapest").count() == 2
        page.screenshot(path=str(SHOTS / "agent-purchase.png"), full_page=True)
        page.click(f'[data-payment-page="{payment_id(pending)}"]')
        page.wait_for_load_state()
        assert "Doğa Sigorta" in page.content()
        page.screenshot(path=str(SHOTS / "payment-page.png"), full_page=True)
        page.goto(ui + "?status=failed")
        page.wait_for_selector("text=Nearest endpoints: GET /customers/me")
        page.screenshot(path=str(SHOTS / "journal-failed.png"), full_page=True)
        page.goto(ui)
        page.click("#graphiql")
        page.wait_for_url(f"{base}/graphql")
        page.wait_for_selector(".graphiql-execute-button", timeout=30000)
        page.click(".graphiql-execute-button")
        page.wait_for_function("(document.querySelector('.result-window') || {}).textContent?.includes('totalCount')",
                               timeout=30000)
        assert "UNAUTHORIZED" not in page.inner_text(".result-window")
        page.screenshot(path=str(SHOTS / "graphiql.png"))
        session = http.post("/__sandbox/certifications", json={"partner": "Panel Acente"}).json()
        page.goto(f"{base}/__sandbox/ui/agents/{session['agentId']}")
        page.screenshot(path=str(SHOTS / "certification.png"), full_page=True)
        page.click("#certification-report")
        page.wait_for_load_state()
        assert "INS-AUTH-001" in page.content()
        page.screenshot(path=str(SHOTS / "certification-report.png"), full_page=True)
        page.goto(f"{base}/__sandbox/ui/drift")
        page.screenshot(path=str(SHOTS / "drift.png"))
    assert problems == [], problems


def test_a_closed_dashboard_signs_in_with_the_admin_token_and_its_forms_carry_a_csrf_token():
    from starlette.testclient import TestClient

    from mockserver.core.settings import Settings
    from mockserver.http.app import create_app

    admin = "dashboard-admin-token-2026"
    client = TestClient(create_app(Settings(admin_token=admin, control_plane="closed")), follow_redirects=False)
    asked = client.get("/__sandbox/ui", headers={"Accept": "text/html"})
    assert asked.status_code == 303 and asked.headers["location"] == "/__sandbox/ui/login?next=%2F__sandbox%2Fui"
    assert client.get("/__sandbox/agents").status_code == 401  # a script without a token still gets the problem
    page = client.get("/__sandbox/ui/login?next=/__sandbox/ui")
    assert page.status_code == 200 and 'name="token"' in page.text
    wrong = client.post("/__sandbox/ui/login", data={"token": "guess", "next": "/__sandbox/ui"})
    assert wrong.status_code == 401 and "admin token nor an agent" in wrong.text
    elsewhere = client.post("/__sandbox/ui/login", data={"token": admin, "next": "https://evil.test/"})
    assert elsewhere.status_code == 303 and elsewhere.headers["location"] == "/__sandbox/ui"  # no open redirect
    cookie = elsewhere.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/__sandbox" in cookie and admin not in cookie
    index = client.get("/__sandbox/ui")
    assert index.status_code == 200 and "Sign out" in index.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', index.text).group(1)
    forged = client.post("/__sandbox/ui/agents")  # the cookie alone: a form another page could post
    assert forged.status_code == 403 and forged.json()["codes"] == ["CONTROL_CSRF_INVALID"]
    made = client.post("/__sandbox/ui/agents", data={"csrf": csrf})
    assert made.status_code == 303 and made.headers["location"].startswith("/__sandbox/ui/agents/")
    agent_page = client.get(made.headers["location"])
    assert agent_page.status_code == 200 and f'name="csrf" value="{csrf}"' in agent_page.text
    journal = client.get("/__sandbox/journal").text
    assert csrf not in journal and admin not in journal
    assert client.post("/__sandbox/ui/logout").status_code == 303
    assert client.get("/__sandbox/ui", headers={"Accept": "text/html"}).status_code == 303  # signed out


def test_the_container_dashboard_in_a_browser_signs_in_and_acts():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    need(chromium is not None and sync_playwright is not None, "Chromium and the playwright package")
    with serve("--admin-token", "browser-admin-token-2026") as (base, _, _proc), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(base + "/__sandbox/ui")
            page.wait_for_url("**/__sandbox/ui/login*")
            page.fill('input[name="token"]', "browser-admin-token-2026")
            page.click("#sign-in")
            page.wait_for_url(base + "/__sandbox/ui")
            page.click("#new-agent")
            page.wait_for_url("**/__sandbox/ui/agents/*")
            before = page.inner_text("#clock")
            page.click('button[data-advance="600"]')
            page.wait_for_function(f"document.getElementById('clock').textContent !== {before!r}", timeout=10000)
            page.click("#sign-out")
            page.wait_for_url("**/__sandbox/ui/login")
        finally:
            browser.close()


def test_the_agent_page_shows_what_happened_not_only_that_it_did(sb, agent):
    """Customers with their assets, cases, each journal entry's request and answer, each event's payload,
    a delivery's payload, its next attempt and a send-now button while it waits, and a confirmation
    before the agent's data is reset."""
    from tests.test_webhooks import hook

    token = sb.service_token(agent)
    h = sb.bearer(token)
    made = sb.http.post("/api/customers", headers=h, json={"$type": "individual", "identityNumber": fresh_tckn(),
                                                           "fullName": "Deniz Panel", "birthDate": "1990-05-01"})
    cid = made.json()["id"]
    sb.http.post(f"/api/customers/{cid}/vehicles", headers=h, json={
        "plate": "34PNL12", "brandReference": "RENAULT", "modelTypeReference": "CLIO", "modelYear": 2019})
    sb.http.post("/api/cases:new-sale-opportunity", headers=h, json={"customerId": cid, "productBranch": "KASKO"})
    hook(sb, token, "http://127.0.0.1:9/nobody-listens", ["customer.updated"], secret=None)
    sb.http.put(f"/api/customers/{cid}", headers=h, json={"fullName": "Deniz Panel Two"})
    page = sb.http.get(f"/__sandbox/ui/agents/{agent.id}").text
    assert "Deniz Panel Two" in page and "34 PNL12" in page  # the customer and its car
    assert re.search(r'<table id="cases">.*?SALE_OPPORTUNITY', page, re.S)
    assert "request and answer" in page and "&#34;fullName&#34;: &#34;Deniz Panel Two&#34;" in page  # a 200's bodies
    assert 'data-payload="' in page and "customer.updated" in page
    assert "send now" in page and "next attempt" in page  # it waits for its next attempt: it may go now
    waiting = re.search(r'data-redeliver="([^"]+)">send now', page).group(1)
    sent = sb.http.post(f"/__sandbox/ui/agents/{agent.id}/deliveries/{waiting}/redeliver", follow_redirects=False)
    assert sent.status_code == 303
    assert "confirm('Forget everything" in page


def test_graphiql_without_a_token_has_its_schema_and_no_refusals(sb):
    introspected = sb.http.get("/graphql/introspection")
    assert introspected.status_code == 200 and "casesNew" in introspected.text  # anonymous, as the SDL is
    with browsing() as (base, page, problems):
        refused: list[str] = []
        page.on("response", lambda r: refused.append(r.url) if r.status == 401 else None)
        page.goto(base + "/graphql")
        page.wait_for_selector(".graphiql-container", timeout=15000)
        page.wait_for_timeout(1500)  # its schema fetch has answered
        assert refused == [], refused
    assert problems == [], problems
