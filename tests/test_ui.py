"""The dashboard in a real browser (headless Chromium): every page renders, buttons act, and an SMS
code sent while the page is open appears without a reload (server-sent events); no console errors.
Screenshots of the main pages go to bench/results/screenshots/ for review."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from tests.conftest import fresh_phone, fresh_tckn
from tests.live import serve
from tests.test_live import need

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "bench" / "results" / "screenshots"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test command installs it
    sync_playwright = None


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
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    need(chromium is not None and sync_playwright is not None, "Chromium and the playwright package")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve() as (base, _, _proc), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
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
        browser.close()
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
    assert console.status_code == 200 and "<textarea" in console.text
    # a client (not a browser) still gets the GraphQL error for a GET without a query
    assert sb.http.get("/graphql").headers["content-type"].startswith("application/json")


@pytest.mark.slow
def test_the_api_reference_renders_in_a_browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    need(chromium is not None and sync_playwright is not None, "Chromium and the playwright package")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve() as (base, _, _proc), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(base + "/docs")
        page.wait_for_selector(".opblock-tag", timeout=20000)
        page.screenshot(path=str(SHOTS / "docs.png"))
        page.goto(base + "/graphql")
        page.click("#run")
        page.wait_for_function("document.getElementById('result').textContent.includes('errors')", timeout=10000)
        browser.close()
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
