"""Durable state (``serve --data-dir``): a restart or a kill -9 loses no acknowledged write, the state
after a restart equals the state before (ids, clocks, the tokens and page keys clients hold), no card
number, CVC or bearer token reaches the disk, and a directory of another format or other settings is
refused with a clear message."""

from __future__ import annotations

import dataclasses
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections import deque
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from mockserver.core.settings import Settings
from mockserver.http.app import create_app
from mockserver.snapshots import _CACHES
from mockserver.store import FORMAT, Store, StoreError, _state_of, stand_in
from mockserver.testing import SandboxClient
from tests import live
from tests.conftest import fresh_phone, fresh_tckn
from tests.test_proposals import kasko_body, new_buyer, settle
from tests.test_purchases import CALLBACK, DOGA, card, finish_page, quoted

ROOT = Path(__file__).resolve().parents[1]


def canonical(value, seen=None):
    """Everything an agent holds as plain data, for ==: dataclasses, slots, deques, random streams."""
    from mockserver.core.entropy import Entropy

    seen = set() if seen is None else seen
    if isinstance(value, (str, int, float, bool, type(None), bytes)):
        return value
    if isinstance(value, dict):
        return {str(k): canonical(v, seen) for k, v in value.items()}
    if isinstance(value, (list, tuple, deque)):
        return [canonical(v, seen) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(canonical(v, seen)) for v in value)
    if isinstance(value, random.Random):
        return repr(value.getstate())
    if isinstance(value, Entropy):
        return list(value.__getstate__())
    if id(value) in seen:
        return f"<ref {type(value).__name__}>"
    seen.add(id(value))
    try:
        if dataclasses.is_dataclass(value):  # (caches derived from the rest are not state)
            fields = {f.name: canonical(getattr(value, f.name), seen) for f in dataclasses.fields(value)
                      if f.name not in _CACHES}
            return {"__type": type(value).__name__, **fields}
        names = getattr(value, "__dict__", None)
        if names is None:
            slots = [s for c in type(value).__mro__ for s in getattr(c, "__slots__", ())]
            names = {s: getattr(value, s) for s in slots if hasattr(value, s)}
        return {"__type": type(value).__name__, **{k: canonical(v, seen) for k, v in names.items() if k != "sandbox"}}
    finally:
        seen.discard(id(value))


def state(app) -> dict:
    snapshot = _state_of(app.state.sandbox, 0)
    for key in ("seq", "code", "version"):
        snapshot.pop(key)
    return canonical(snapshot)


def client(app):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    return TestClient(app, raise_server_exceptions=False)


def crash(app) -> None:
    """As a kill -9 would leave it: what was committed stays, nothing else is written (no shutdown snapshot)."""
    store = app.state.sandbox.store
    store._queue.put(None)
    store._thread.join(10)
    store.closed = True


def across_restart(tmp_path, before, after) -> None:
    """``before(client, sandbox_client)`` on a durable sandbox, a kill -9, then ``after(client,
    sandbox_client, what_before_returned)`` on the restarted one, whose state must equal the state before."""
    app = create_app(Settings(data_dir=str(tmp_path)))
    with client(app) as c:
        carried = before(c, SandboxClient(c))
        was = state(app)
        crash(app)
    again = create_app(Settings(data_dir=str(tmp_path)))
    with client(again) as c:
        assert again.state.restored["mismatches"] == 0 and state(again) == was
        after(c, SandboxClient(c), carried)


def a_purchase(sb: SandboxClient) -> dict:
    agent = sb.new_agent()
    b = new_buyer(sb, agent.id)
    pid, pp = quoted(sb, agent.id, b, DOGA)
    url = sb.http.post(f"/api/proposals/{pid}/products/{pp['id']}/purchase/async", headers=b.h, json={
        "$type": "3d-secure", "installmentNumber": 1, "callbackUrl": CALLBACK, "card": card()}).json()["redirectUrl"]
    second, pp2 = quoted(sb, agent.id, b, DOGA)
    pending = sb.http.post(f"/api/proposals/{second}/products/{pp2['id']}/purchase/async", headers=b.h, json={
        "$type": "3d-secure", "installmentNumber": 1, "callbackUrl": CALLBACK, "card": card()}).json()["redirectUrl"]
    finish_page(sb, url)
    created = sb.http.post("/api/proposals", headers=b.h, json=kasko_body(b)).json()["proposalId"]
    login = sb.http.post("/api/auth/customer/login-or-register", json={
        "$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
        "phoneNumber": {"number": fresh_phone(), "countryCode": 90}, "agentId": agent.id}).json()
    return {"agent": agent, "buyer": b, "pending_page": pending, "waiting_proposal": created, "login": login}


# ----------------------------------------------------------------------------- restart, in-process
def test_a_restart_restores_everything_and_what_clients_hold_still_works(tmp_path):
    app = create_app(Settings(data_dir=str(tmp_path)))
    with client(app) as c:
        sb = SandboxClient(c)
        held = a_purchase(sb)
        sb.advance(held["agent"].id, 2)  # quotes of the waiting proposal arrive on the agent's clock
        before = state(app)
        crash(app)
    again = create_app(Settings(data_dir=str(tmp_path)))
    with client(again) as c:
        assert again.state.restored["mismatches"] == 0 and again.state.restored["requests"] > 10
        assert state(again) == before
        sb = SandboxClient(c)
        b = held["buyer"]
        # the customer's token (signed before the restart), the payment page URL, the login token
        me = c.get("/api/customers/me", headers=b.h)
        assert me.status_code == 200 and me.json()["id"] == b.id
        page = c.post(held["pending_page"], data={})
        assert page.status_code == 200 and "Doğa Sigorta" in page.text
        code = sb.last_code(held["agent"].id)
        verified = c.post("/api/auth/customer/verify-mfa", json={"token": held["login"]["token"], "code": code})
        assert verified.status_code == 200, verified.text
        # and the sandbox goes on from there: new writes, new ids, the waiting proposal settles
        settle(sb, held["agent"].id, held["waiting_proposal"])
        assert c.get(f"/api/proposals/{held['waiting_proposal']}", headers=b.h).status_code == 200


def test_snapshots_are_taken_in_the_background_and_the_log_after_them_replays(tmp_path):
    app = create_app(Settings(data_dir=str(tmp_path), snapshot_every=10))
    with client(app) as c:
        sb = SandboxClient(c)
        held = a_purchase(sb)
        store = app.state.sandbox.store
        deadline = time.monotonic() + 20
        while store._child is not None and time.monotonic() < deadline:
            time.sleep(0.05)
            store.maybe_snapshot(app.state.sandbox)
        assert store.snapshots() and store.snapshot_seq > 0, "a forked child wrote a snapshot"
        store.snapshot_every = 10**9  # no more snapshots: what follows is only in the log
        token = sb.service_token(held["agent"])
        for _ in range(3):
            sb.http.post("/api/customers", headers=sb.bearer(token),
                         json={"$type": "individual", "identityNumber": fresh_tckn(), "fullName": "Ece Kaya"})
        before = state(app)
        crash(app)
    again = create_app(Settings(data_dir=str(tmp_path), snapshot_every=10))
    with client(again):
        counts = again.state.restored
        logged = sum(1 for r in again.state.sandbox.store.records() if r[2] == "request")
        assert counts["mismatches"] == 0 and 4 <= counts["requests"] < logged / 2  # the tail only, not the whole log
        assert state(again) == before
    # a clean stop writes a snapshot of everything: the next start replays nothing
    third = create_app(Settings(data_dir=str(tmp_path), snapshot_every=10))
    with client(third):
        assert third.state.restored["requests"] == 0 and state(third) == before


def test_no_card_number_cvc_or_bearer_token_reaches_the_disk(tmp_path):
    app = create_app(Settings(data_dir=str(tmp_path)))
    pan = "4111111111111111"
    with client(app) as c:
        sb = SandboxClient(c)
        held = a_purchase(sb)
        token = held["buyer"].token
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert pan.encode() not in blob and b'"cvc":"739"' not in blob
    assert token.encode() not in blob and token.split(".")[2].encode() not in blob
    digits = stand_in(pan)
    assert digits[:6] == pan[:6] and digits[-4:] == pan[-4:] and digits != pan


def _multipart(boundary: str, name: str, data: bytes, ctype: str) -> bytes:
    return (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: {ctype}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()


def test_an_upload_whose_multipart_boundary_looks_like_a_card_number_survives_a_restart(tmp_path):
    """A client library's random hex boundary can hold 13+ digits that pass Luhn (about one upload in a
    hundred and fifty with httpx's): that framing is not card data, so the upload is kept and replayed."""
    from tests.test_plugins import bundle

    boundary = "4111111111111111" + "ab12cd34ef56ab78"
    body = _multipart(boundary, "demo.zip", bundle("1.0.0"), "application/zip")

    def before(c, sb):
        agent = sb.new_agent()
        h = {**sb.bearer(sb.service_token(agent)), "Content-Type": f"multipart/form-data; boundary={boundary}"}
        r = c.post("/api/plugins", headers=h, content=body)
        assert r.status_code == 200, r.text
        return agent, r.json()

    def after(c, sb, carried):
        agent, made = carried
        got = c.get(f"/api/plugins/{made['id']}", headers=sb.bearer(sb.service_token(agent)))
        assert got.status_code == 200 and got.json() == made

    across_restart(tmp_path, before, after)
    # a card number in the upload itself still never reaches the disk
    from mockserver.store import scrub_body

    kind = f"multipart/form-data; boundary={boundary}"
    assert scrub_body(body, kind) == body
    holding = _multipart(boundary, "cards.csv", b"policyNumber;card\n1;4111111111111111\n", "text/csv")
    assert scrub_body(holding, kind) == b""


def test_a_directory_of_another_format_or_other_settings_is_refused(tmp_path):
    Store(tmp_path / "a", fingerprint_of={"seed": 1}).close()
    with pytest.raises(StoreError, match="was made with seed = 1, not 2"):
        Store(tmp_path / "a", fingerprint_of={"seed": 2})
    import sqlite3

    db = sqlite3.connect(tmp_path / "a" / "sandbox.db")
    db.execute("UPDATE meta SET value = ? WHERE key = 'format'", (str(FORMAT + 1),))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match=f"format '{FORMAT + 1}'"):
        Store(tmp_path / "a", fingerprint_of={"seed": 1})
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "sandbox.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="not a sandbox data file"):
        Store(tmp_path / "b")
    done = subprocess.run([sys.executable, "-m", "mockserver.cli", "serve", "--port", "0", "--data-dir",
                           str(tmp_path / "a")], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2 and "format" in done.stderr and "Traceback" not in done.stderr


# ----------------------------------------------------------------------------- the property
OPS = st.lists(st.sampled_from(["login", "customer", "vehicle", "proposal", "advance", "case", "webhook", "retry",
                                "wrong-code", "reset-clock", "agent"]), min_size=3, max_size=14)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=OPS, seed=st.integers(0, 10_000))
def test_state_after_a_restart_equals_state_before(tmp_path_factory, ops, seed):
    data = tmp_path_factory.mktemp("data")
    app = create_app(Settings(data_dir=str(data), seed=seed))
    rnd = random.Random(seed)
    with client(app) as c:
        sb = SandboxClient(c)
        agent = sb.new_agent()
        token = sb.service_token(agent)
        buyers = [new_buyer(sb, agent.id)]
        for op in ops:
            b = rnd.choice(buyers)
            if op == "login":
                buyers.append(new_buyer(sb, agent.id))
            elif op == "customer":
                c.post("/api/customers", headers=sb.bearer(token), json={
                    "$type": "individual", "identityNumber": fresh_tckn(), "fullName": "Deniz Aydın"})
            elif op == "vehicle":
                c.post(f"/api/customers/{b.id}/vehicles", headers=b.h, json={"plate": "34AB" + str(rnd.randint(100, 999))})
            elif op == "proposal":
                c.post("/api/proposals", headers=b.h, json=kasko_body(b))
            elif op == "advance":
                sb.advance(agent.id, rnd.choice([1, 30, 3600, 4 * 86400]))
            elif op == "case":
                c.post("/api/cases:new-sale-opportunity", headers=sb.bearer(token),
                       json={"customerId": b.id, "productBranch": "KASKO", "channel": "WEBSITE"})
            elif op == "webhook":
                c.post("/api/webhooks", headers=sb.bearer(token),
                       json={"url": "http://127.0.0.1:9/hook", "events": ["customer.created", "proposal.created"]})
            elif op == "retry":
                for p in list(app.state.sandbox.agents[agent.id].proposals)[-1:]:
                    prods = c.get(f"/api/proposals/{p}", headers=b.h).json().get("products", [])
                    failed = [x for x in prods if x.get("state") == "FAILED"]
                    if failed:
                        c.post(f"/api/proposals/{p}/products/{failed[0]['id']}/retry", headers=b.h)
            elif op == "wrong-code":
                login = c.post("/api/auth/customer/login-or-register", json={
                    "$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
                    "phoneNumber": {"number": fresh_phone(), "countryCode": 90}, "agentId": agent.id}).json()
                c.post("/api/auth/customer/verify-mfa", json={"token": login.get("token"), "code": "000001"})
            elif op == "reset-clock":
                c.post(f"/__sandbox/agents/{agent.id}/clock", json={"set": "2027-01-01T09:00:00Z"})
            elif op == "agent":
                sb.new_agent(seed=rnd.randint(0, 99))
            c.get("/api/customers/me", headers=b.h)  # reads in between: they change nothing
        before = state(app)
        crash(app)
    again = create_app(Settings(data_dir=str(data), seed=seed))
    with client(again):
        assert again.state.restored["mismatches"] == 0
        after = state(again)
    if after != before:
        from deepdiff import DeepDiff

        pytest.fail(str(DeepDiff(before, after))[:2000])


# ----------------------------------------------------------------------------- kill -9, served
def _missing(base: str, acknowledged: list[str]) -> list[str]:
    """The acknowledged customers a served sandbox does not have (through the default service account)."""
    with httpx.Client(base_url=base, timeout=10) as http:
        token = http.post("/connect/token", data={"grant_type": "client_credentials",
                                                  "client_id": "sandbox-service-account",
                                                  "client_secret": "sandbox-client-secret"}).json()["access_token"]
        h = {"Authorization": f"Bearer {token}"}
        return [cid for cid in acknowledged if http.get(f"/api/customers/{cid}", headers=h).status_code != 200]


def test_kill_9_mid_load_loses_no_acknowledged_write(tmp_path):
    """Writers create customers as fast as they can; the server is killed at a random moment, many
    times; after each restart every customer whose creation was answered 200 is there."""
    data = tmp_path / "data"
    acknowledged: list[str] = []
    rnd = random.Random(7)
    for round_ in range(6):
        with live.serve("--data-dir", str(data)) as (base, _, proc):
            missing = _missing(base, acknowledged)
            assert missing == [], f"round {round_}: {len(missing)} of {len(acknowledged)} acknowledged writes lost"
            with httpx.Client(base_url=base, timeout=10) as http:
                token = http.post("/connect/token", data={"grant_type": "client_credentials",
                                                          "client_id": "sandbox-service-account",
                                                          "client_secret": "sandbox-client-secret"}).json()["access_token"]
            h = {"Authorization": f"Bearer {token}"}
            stop = threading.Event()

            def writer() -> None:
                with httpx.Client(base_url=base, timeout=5) as w:
                    while not stop.is_set():
                        try:
                            r = w.post("/api/customers", headers=h, json={
                                "$type": "individual", "identityNumber": fresh_tckn(), "fullName": "Yük Testi"})
                        except httpx.HTTPError:
                            return  # the server is gone: this answer never came, so nothing was promised
                        if r.status_code == 200:
                            acknowledged.append(r.json()["id"])

            threads = [threading.Thread(target=writer) for _ in range(4)]
            for t in threads:
                t.start()
            time.sleep(0.3 + rnd.random() * 0.7)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            stop.set()
            for t in threads:
                t.join(10)
    with live.serve("--data-dir", str(data)) as (base, _, _proc):
        missing = _missing(base, acknowledged)
    assert len(acknowledged) > 50 and missing == [], f"{len(missing)} of {len(acknowledged)} acknowledged writes lost"


# ----------------------------------------------------------------------------- agent snapshots
def test_an_agent_exported_and_imported_is_the_same_agent_under_a_new_id(sb, agent):
    b = new_buyer(sb, agent.id)
    pid, pp = quoted(sb, agent.id, b, DOGA)
    url = sb.http.post(f"/api/proposals/{pid}/products/{pp['id']}/purchase/async", headers=b.h, json={
        "$type": "3d-secure", "installmentNumber": 1, "callbackUrl": CALLBACK, "card": card()}).json()["redirectUrl"]
    finish_page(sb, url)
    doc = sb.http.get(f"/__sandbox/agents/{agent.id}/snapshot").json()
    assert doc["format"] == "insurup-sandbox/agent-snapshot" and doc["version"] == 1 and doc["counts"]["policies"] == 1
    made = sb.http.post("/__sandbox/agents", json={"snapshot": doc})
    assert made.status_code == 201, made.text
    twin = made.json()
    assert twin["agentId"] != agent.id and twin["serviceAccount"]["clientId"] != agent.client_id
    old, new = sb.sandbox.agents[agent.id], sb.sandbox.agents[twin["agentId"]]
    carried = ("customers", "vehicles", "properties", "cases", "proposals", "payments", "policies", "events", "sms",
               "outbox", "rng", "_due")
    import orjson

    def plain(a, k):  # (the clocks are the two agents' own: compared below)
        text = orjson.dumps(canonical(getattr(a, k)), default=str).replace(agent.id.encode(), twin["agentId"].encode())
        return orjson.loads(re.sub(rb'"_offset":[-0-9.e]+', b'"_offset":0', text))

    for k in carried:
        if plain(old, k) != plain(new, k):
            from deepdiff import DeepDiff

            pytest.fail(f"{k}: {str(DeepDiff(plain(old, k), plain(new, k)))[:1500]}")
    assert abs(new.now() - old.now()) < 5
    # the twin answers with its own credentials, and goes on: a new proposal, new ids from the same stream
    token = sb.http.post("/connect/token", data={"grant_type": "client_credentials",
                                                 "client_id": twin["serviceAccount"]["clientId"],
                                                 "client_secret": twin["serviceAccount"]["clientSecret"]}).json()
    h = sb.bearer(token["access_token"])
    assert sb.http.get(f"/api/proposals/{pid}", headers=h).json()["state"] == "PURCHASED"
    mine = sb.http.get(f"/api/proposals/{pid}", headers=b.h).json()  # the original stays the original's
    assert mine["state"] == "PURCHASED" and sb.sandbox.agents[agent.id].proposals[pid] is not new.proposals[pid]
    sb.delete_agent(twin["agentId"])


def test_a_redacted_snapshot_masks_people_and_a_hostile_one_is_refused(sb, agent):
    b = new_buyer(sb, agent.id)
    person = sb.sandbox.agents[agent.id].customers[b.id]
    plain = sb.http.get(f"/__sandbox/agents/{agent.id}/snapshot").text
    redacted = sb.http.get(f"/__sandbox/agents/{agent.id}/snapshot", params={"redact": "true"})
    assert person.identity_number in plain and person.identity_number not in redacted.text
    assert "attachment" in redacted.headers["content-disposition"] and redacted.json()["redacted"] is True
    doc = redacted.json()
    hostile = {**doc, "state": {**doc["state"], "customers": {"x": {"$type": "os:system", "$id": 999999}}}}
    r = sb.http.post("/__sandbox/agents", json={"snapshot": hostile})
    assert r.status_code == 422 and "not a type of the sandbox" in r.json()["detail"]
    assert r.json()["validationErrors"][0]["propertyName"].startswith("snapshot.state.customers")
    for bad, words in (({**doc, "format": "pickle"}, "format"), ({**doc, "version": 9}, "version"), ("nope", "nope")):
        r = sb.http.post("/__sandbox/agents", json={"snapshot": bad})
        assert r.status_code == 422 and words in r.text
    before = len(sb.sandbox.agents)
    sb.http.post("/__sandbox/agents", json={"snapshot": {**doc, "state": {**doc["state"], "rng": {"$random": 5, "$id": 1}}}})
    assert len(sb.sandbox.agents) == before  # no half-made agent stays behind


def test_a_ci_job_starts_from_a_shipped_snapshot_in_one_call(sb):
    listed = {s["name"]: s for s in sb.http.get("/__sandbox/snapshots").json()}
    assert {"kasko-quoted", "kasko-policy", "home-quoted"} <= set(listed)
    made = sb.http.post("/__sandbox/agents", json={"snapshot": "kasko-quoted"}).json()
    # the customer the description names logs in with the fixed code, and finds the car and the quotes
    tokens = sb.customer_login(made["agentId"], "10000000146", phone="5550001234", birth_date="1985-04-12")
    h = sb.bearer(tokens["accessToken"])
    me = sb.http.get("/api/customers/me", headers=h).json()
    [vehicle] = sb.http.get("/api/customers/me/vehicles", headers=h).json()
    assert "KL123" in str(vehicle) and vehicle["id"]
    proposals = sb.http.get("/api/proposals", headers=h).json()
    items = proposals.get("items", proposals) if isinstance(proposals, dict) else proposals
    [p] = [x for x in items if x.get("productBranch") == "KASKO"]
    detail = sb.http.get(f"/api/proposals/{p['id'] if 'id' in p else p['proposalId']}", headers=h).json()
    assert detail["products"] and all(x["state"] in ("ACTIVE", "FAILED") for x in detail["products"])
    assert me["identityNumber"] == "10000000146"
    policy = sb.http.post("/__sandbox/agents", json={"snapshot": "kasko-policy"}).json()
    assert sb.sandbox.agents[policy["agentId"]].policies
    for a in (made, policy):
        sb.delete_agent(a["agentId"])


def test_agents_export_and_import_on_the_command_line(insurup_server, tmp_path):
    made = httpx.post(insurup_server + "/__sandbox/agents", json={"snapshot": "home-quoted"}).json()
    out = tmp_path / "home.json"
    done = subprocess.run([sys.executable, "-m", "mockserver.cli", "agents", "export", made["agentId"], "--out", str(out),
                           "--target", insurup_server], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0 and "properties" in done.stderr, done.stderr
    again = subprocess.run([sys.executable, "-m", "mockserver.cli", "agents", "import", str(out), "--target",
                            insurup_server, "--json"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert again.returncode == 0, again.stderr
    twin = __import__("json").loads(again.stdout)
    assert twin["counts"]["properties"] == 1 and twin["agentId"] != made["agentId"]
    missing = subprocess.run([sys.executable, "-m", "mockserver.cli", "agents", "import", "no-such-snapshot",
                              "--target", insurup_server], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert missing.returncode == 2 and "kasko-quoted" in missing.stderr


def test_a_snapshot_of_other_code_is_not_loaded_the_log_rebuilds_the_state(tmp_path, monkeypatch):
    import mockserver.store as store_module

    app = create_app(Settings(data_dir=str(tmp_path)))
    with client(app) as c:
        a_purchase(SandboxClient(c))
        before = state(app)
    assert list(tmp_path.glob("snapshot-*.pickle")), "a clean stop wrote a snapshot"
    monkeypatch.setattr(store_module, "code_mark", lambda: "other-code")
    again = create_app(Settings(data_dir=str(tmp_path)))
    with client(again):
        logged = sum(1 for r in again.state.sandbox.store.records() if r[2] == "request")
        assert again.state.restored["requests"] == logged and again.state.restored["mismatches"] == 0
        assert state(again) == before


def test_a_restart_keeps_the_sign_in_state_a_partner_app_holds(tmp_path):
    """Login with InsurUp across a kill -9: a code handed out before it, an OAuth client registered
    through the control plane, and a refresh token all still work after it."""
    import hashlib
    import base64 as b64
    from tests.test_oidc import APP, CALLBACK as BACK, _hidden

    verifier = "v" * 64
    challenge = b64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    app = create_app(Settings(data_dir=str(tmp_path)))
    with client(app) as c:
        sb = SandboxClient(c)
        sb.new_agent(agentUser={"email": "kalici@acente.test", "password": "Parola-2026!"})
        made = c.post("/__sandbox/oauth-clients", json={"clientId": "crm-kalici", "displayName": "CRM",
                                                         "redirectUris": [BACK]})
        assert made.status_code == 201, made.text

        def code() -> str:
            start = c.get("/connect/authorize", follow_redirects=False, params={
                "response_type": "code", "client_id": APP, "redirect_uri": BACK, "scope": "openid offline_access",
                "code_challenge": challenge, "code_challenge_method": "S256"})
            page = c.get(start.headers["location"])
            r = c.post("/login", data={**_hidden(page.text), "email": "kalici@acente.test", "password": "Parola-2026!"},
                       follow_redirects=False)
            if 'name="decision"' in r.text:
                r = c.post("/login/consent", data={**_hidden(r.text), "decision": "allow"}, follow_redirects=False)
            assert r.status_code == 303, r.text
            return r.headers["location"].split("code=")[1].split("&")[0]

        exchange = {"grant_type": "authorization_code", "client_id": APP, "redirect_uri": BACK, "code_verifier": verifier}
        refresh = c.post("/connect/token", data={**exchange, "code": code()}).json()["refresh_token"]
        waiting = code()
        before = state(app)
        crash(app)
    again = create_app(Settings(data_dir=str(tmp_path)))
    with client(again) as c:
        assert again.state.restored["mismatches"] == 0 and state(again) == before
        got = c.post("/connect/token", data={**exchange, "code": waiting})
        assert got.status_code == 200 and got.json()["id_token"], got.text
        renewed = c.post("/connect/token", data={"grant_type": "refresh_token", "client_id": APP, "refresh_token": refresh})
        assert renewed.status_code == 200, renewed.text
        assert [x["clientId"] for x in c.get("/__sandbox/oauth-clients").json()].count("crm-kalici") == 1


def test_a_restart_keeps_the_agencys_users_roles_branches_and_contacts(tmp_path):
    """Agency administration across a kill -9: an invitation sent before it is accepted after it; the
    role, branch tree, OAuth client and a customer's extra e-mail are all there, and the role still binds."""
    app = create_app(Settings(data_dir=str(tmp_path)))
    with client(app) as c:
        sb = SandboxClient(c)
        agent = sb.new_agent()
        h = sb.bearer(sb.service_token(agent))
        root = c.post("/api/agent-branches", headers=h, json={"name": "Ankara"}).json()
        c.post("/api/agent-branches", headers=h, json={"name": "Çankaya", "parentId": root})
        c.post("/api/agent-roles", headers=h, json={"name": "Okur", "permissions": ["customers:read"]})
        role_id = next(r["id"] for r in c.get("/api/agent-roles", headers=h).json() if r["name"] == "Okur")
        assert c.post("/api/agent-users/invite", headers=h, json={
            "email": "kalici.kullanici@acente.test", "firstName": "Can", "lastName": "Er", "roleId": role_id,
            "agentBranchIds": [root]}).status_code == 204
        code = [m for m in c.get(f"/__sandbox/agents/{agent.id}/outbox").json()
                if m["kind"] == "agent-user-invite"][-1]["inviteCode"]
        made = c.post("/api/oauth-clients", headers=h, json={"name": "crm"}).json()
        cid = c.post("/api/customers", headers=h, json={"$type": "individual", "identityNumber": fresh_tckn(),
                                                        "fullName": "Ece Kaya"}).json()["id"]
        assert c.post(f"/api/customers/{cid}/emails", headers=h, json={"email": "ece@ornek.test"}).status_code == 204
        before = state(app)
        crash(app)
    again = create_app(Settings(data_dir=str(tmp_path)))
    with client(again) as c:
        assert again.state.restored["mismatches"] == 0 and state(again) == before
        assert c.post("/api/agent-users/accept-invite", json={"code": code, "password": "Parola-2026!"}).status_code == 204
        login = c.post("/api/authentication:agent-user/login",
                       json={"email": "kalici.kullanici@acente.test", "password": "Parola-2026!"}).json()
        staff = {"Authorization": f"Bearer {login['accessToken']}"}
        me = c.get("/api/agent-users/me", headers=staff).json()
        assert me["role"]["name"] == "Okur" and me["branches"][0]["name"] == "Ankara"
        assert c.get("/api/proposals", headers=staff).status_code == 403  # the role still binds
        token = c.post("/connect/token", data={"grant_type": "client_credentials", "client_id": made["clientId"],
                                               "client_secret": made["clientSecret"]})
        assert token.status_code == 200, token.text
        h = {"Authorization": f"Bearer {token.json()['access_token']}"}
        assert [e["email"] for e in c.get(f"/api/customers/{cid}/emails", headers=h).json()] == ["ece@ornek.test"]
        tree = {b["name"]: b for b in c.get("/api/agent-branches", headers=h).json()}
        assert tree["Çankaya"]["parentName"] == "Ankara"


def test_a_big_agents_snapshot_goes_back_in(sb, agent):
    """An agent of a few thousand customers exports megabytes; POST /__sandbox/agents takes it back
    (the 1 MiB limit of API bodies does not apply to it), and a body over its own limit is refused."""
    from mockserver.domain import customers
    from mockserver.validators.turkish import make_tckn

    a = sb.sandbox.agents[agent.id]
    for i in range(2000):
        c = customers.new_customer(a, ctype="individual", number=make_tckn(f"{300000000 + i:09d}"), channel="API",
                                   created_by=None, fill_from_registry=False)
        c.full_name = f"Müşteri {i}"
        a.customers.changed(c)
    exported = sb.http.get(f"/__sandbox/agents/{agent.id}/snapshot")
    assert exported.status_code == 200 and len(exported.content) > 1024 * 1024
    made = sb.http.post("/__sandbox/agents", content=b'{"snapshot": ' + exported.content + b"}",
                        headers={"Content-Type": "application/json"})
    assert made.status_code == 201, made.text[:300]
    assert len(sb.sandbox.agents[made.json()["agentId"]].customers) == len(a.customers)
    sb.delete_agent(made.json()["agentId"])
    small = SandboxClient(__import__("starlette.testclient", fromlist=["TestClient"]).TestClient(
        create_app(Settings(max_snapshot_bytes=64 * 1024))))
    refused = small.http.post("/__sandbox/agents", content=b'{"snapshot": ' + exported.content + b"}",
                              headers={"Content-Type": "application/json"})
    assert refused.status_code == 413 and refused.json()["codes"] == ["PAYLOAD_TOO_LARGE"]
    api = small.http.post("/api/customers", content=b"[" + b"1," * 600_000 + b"1]",
                          headers={"Content-Type": "application/json"})
    assert api.status_code == 413  # the API's own bodies keep their 1 MiB
