"""The attack runs, repeated and measured against ``insurup-sandbox serve`` on 127.0.0.1:

* the 1.2 KB fragment bomb (2^30 fields once expanded): its answer time, and the longest wait of a
  health probe sent while it and other heavy requests run (the event loop's stall);
* heavy requests (a comparison PDF of every product, a GraphQL page near the cost limit, a 1 MiB
  body, JSON nested 500 deep): each one's time and the probe's longest wait meanwhile;
* 300 sockets sending headers a byte at a time plus 50 half-sent bodies: how many are cut off, and
  the normal client's answers meanwhile;
* a burst of 1,000 events to a receiver with an accept queue of 4: how long until all are
  delivered, and how many attempts it took;
* 50 concurrent full web sales (OTP login, car, kasko proposal, 3-D Secure page, policy), each on
  its own agent: how many end with a policy, how many answers were 5xx;
* search and filter abuse over 1,000 customers: a backtracking wildcard (``*a``×8 + ``b``), 20,000
  ``or`` conditions, a 199,000-character ``contains``: each answer's time and the probe's worst wait;
* 520 sockets pipelining requests for a large answer and never reading: the probe's answers while
  they hold their slots, and how long until the write deadline cut them;
* a web page's tries at the loopback control plane (cross-origin writes, a preflight, a rebinding
  Host): their statuses.

    python bench/bench_attacks.py [--events 1000] [--slow 300]

Writes ``bench/results/attacks.json``. Bounded in time; stops its server on exit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.budget import sandbox_command, free_port, health_times  # noqa: E402


def start(port: int, **env: str) -> subprocess.Popen:
    proc = subprocess.Popen(sandbox_command() + ["serve", "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, **env})
    health_times(f"http://127.0.0.1:{port}/__sandbox/health", time.perf_counter(), proc)
    return proc


class Probe:
    """Health requests every 10 ms on their own connection; the longest answer is the loop's stall."""

    def __init__(self, base: str):
        self.base, self.worst, self.count, self._stop = base, 0.0, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self._stop.is_set():
                started = time.perf_counter()
                client.get("/__sandbox/health")
                self.worst = max(self.worst, time.perf_counter() - started)
                self.count += 1
                time.sleep(0.01)

    def __enter__(self) -> "Probe":
        self._thread.start()
        time.sleep(0.1)
        self.worst = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


def setup(base: str) -> dict:
    with httpx.Client(base_url=base, timeout=30) as c:
        agent = c.post("/__sandbox/agents", json={"webhookDelivery": "manual"}).json()
        sa = agent["serviceAccount"]
        token = c.post("/connect/token", data={"grant_type": "client_credentials", "scope": "core-api",
                                               "client_id": sa["clientId"], "client_secret": sa["clientSecret"]}
                       ).json()["access_token"]
        h = {"Authorization": f"Bearer {token}"}
        from tests.conftest import fresh_tckn

        cid = c.post("/api/customers", headers=h, json={"$type": "individual", "identityNumber": fresh_tckn(),
                                                       "fullName": "Ayşe Yılmaz", "fillMissingFields": True}).json()["id"]
        vid = c.post(f"/api/customers/{cid}/vehicles", headers=h, json={
            "plate": "34KL123", "brandReference": "RENAULT", "modelTypeReference": "CLIO", "modelYear": 2019}).json()["id"]
        pid = c.post("/api/proposals", headers=h, json={"$type": "kasko", "insurerCustomerId": cid,
                                                       "vehicleId": vid}).json()["proposalId"]
        c.post(f"/__sandbox/agents/{agent['agentId']}/proposals/{pid}/settle")
        for _ in range(100):
            c.post("/api/cases:new-sale-opportunity", headers=h, json={"customerId": cid, "productBranch": "KASKO"})
        return {"agent": agent, "h": h, "pid": pid}


def heavy(base: str, ctx: dict) -> dict:
    frags = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(30))
    bomb = f"query {{ ...F0 }} {frags} fragment F30 on Query {{ __typename }}"
    from graphql import GraphQLObjectType, get_named_type

    from mockserver.graphql.schema import schema

    fields = [n for n, f in schema().get_type("QueryCaseModel").fields.items()
              if not isinstance(get_named_type(f.type), GraphQLObjectType)][:240]
    page = "{ casesNew(first: 100) { nodes { " + " ".join(fields) + " } } }"
    out = {}
    with httpx.Client(base_url=base, timeout=60) as c:
        url = c.get(f"/api/proposals/{ctx['pid']}/products/compare-pdf", headers=ctx["h"]).json()["url"]
        cases = {
            "fragment_bomb_1.2KB": lambda: c.post("/graphql", json={"query": bomb}, headers=ctx["h"]),
            "graphql_page_near_max_cost": lambda: c.post("/graphql", json={"query": page}, headers=ctx["h"]),
            "compare_pdf_all_products": lambda: c.get(url),
            "json_body_1MiB": lambda: c.post("/api/customers", headers={**ctx["h"], "Content-Type": "application/json"},
                                             content=b'{"x": [' + b"1," * 500_000 + b"1]}"),
            "json_nested_500": lambda: c.post("/api/customers", headers={**ctx["h"], "Content-Type": "application/json"},
                                              content=b'{"a": ' * 500 + b"1" + b"}" * 500),
        }
        for name, call in cases.items():
            with Probe(base) as probe:
                started = time.perf_counter()
                r = call()
                took = time.perf_counter() - started
                time.sleep(0.05)
            out[name] = {"status": r.status_code, "ms": round(took * 1000, 1),
                         "probe_worst_wait_ms": round(probe.worst * 1000, 1), "probes": probe.count,
                         "size_bytes": len(r.content)}
            if name == "fragment_bomb_1.2KB":
                out[name]["document_bytes"] = len(bomb)
                out[name]["answer"] = r.json()["errors"][0]["extensions"]["codes"]
    return out


def abuse(base: str) -> dict:
    """Search and filter inputs that were evaluated per record without bound, over 1,000 customers."""
    from tests.conftest import fresh_phone, fresh_tckn

    out = {}
    with httpx.Client(base_url=base, timeout=120) as c:
        agent = c.post("/__sandbox/agents", json={}).json()
        sa = agent["serviceAccount"]
        token = c.post("/connect/token", data={"grant_type": "client_credentials", "scope": "core-api",
                                               "client_id": sa["clientId"], "client_secret": sa["clientSecret"]}
                       ).json()["access_token"]
        h = {"Authorization": f"Bearer {token}"}
        for _ in range(1000):
            c.post("/api/customers", headers=h, json={"$type": "individual", "identityNumber": fresh_tckn(),
                                                      "firstName": "a" * 30, "lastName": "aaaa",
                                                      "phoneNumber": {"number": fresh_phone(), "countryCode": 90}})
        search = "query($p: String!) { customersNew(first: 20, search: {name: {wildcard: {value: $p}}}) { totalCount } }"
        cases = {
            "wildcard_backtracking_8": ({"query": search, "variables": {"p": "*a" * 8 + "b"}}),
            "wildcard_backtracking_14": ({"query": search, "variables": {"p": "*a" * 14 + "b"}}),
            "or_conditions_20000": ({"query": "query($w: CustomerModelFilterInput) { customers(where: $w) "
                                              "{ totalCount } }",
                                     "variables": {"w": {"or": [{"name": {"eq": "x"}} for _ in range(20_000)]}}}),
            "contains_199000_chars": ({"query": "query($t: String) { customers(where: {name: {contains: $t}}) "
                                                "{ totalCount } }", "variables": {"t": "a" * 199_000}}),
        }
        for name, body in cases.items():
            with Probe(base) as probe:
                started = time.perf_counter()
                r = c.post("/graphql", json=body, headers=h)
                took = time.perf_counter() - started
                time.sleep(0.05)
            answer = r.json()
            out[name] = {"status": r.status_code, "ms": round(took * 1000, 1),
                         "probe_worst_wait_ms": round(probe.worst * 1000, 1),
                         "answer": answer.get("data") or [e["extensions"].get("codes") for e in answer.get("errors", [])]}
    return out


def non_readers(base: str, n: int = 520, window: float = 15.0) -> dict:
    """Sockets that pipeline requests for a big answer and never read. Every 0.2 s a probe on a fresh
    connection: its status and time, for ``window`` seconds (the bench's write deadline is 5 s)."""
    import socket

    port = int(base.rsplit(":", 1)[1])
    socks = []
    started = time.perf_counter()
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 20)
        socks.append(s)
    probes = []
    while time.perf_counter() - started < window:
        t = time.perf_counter()
        try:
            code = httpx.get(base + "/__sandbox/health", timeout=10).status_code
        except httpx.HTTPError:
            code = 0
        probes.append((round(t - started, 2), code, round((time.perf_counter() - t) * 1000, 1)))
        time.sleep(0.2)
    for s in socks:
        s.close()
    refused = [p for p in probes if p[1] != 200]
    after = [p for p in probes if p[1] == 200 and (not refused or p[0] > refused[-1][0])]
    return {"sockets": n, "probes": len(probes), "refused_probes": len(refused),
            "statuses": sorted({p[1] for p in probes}), "worst_probe_ms": max(p[2] for p in probes),
            "last_refused_at_s": refused[-1][0] if refused else None,
            "answered_again_from_s": after[0][0] if after else None}


def web_page(base: str) -> dict:
    """What a page on another origin (or a rebinding name) gets from the loopback control plane."""
    evil = {"Origin": "https://evil.example"}
    with httpx.Client(base_url=base, timeout=30) as c:
        return {
            "text_plain_post_creates_agent": c.post("/__sandbox/agents", content=b"{}",
                                                    headers={**evil, "Content-Type": "text/plain"}).status_code,
            "form_post_cross_site": c.post("/__sandbox/agents", data={"x": "1"},
                                           headers={"Sec-Fetch-Site": "cross-site"}).status_code,
            "preflight": c.options("/__sandbox/agents", headers={**evil, "Access-Control-Request-Method": "DELETE"}
                                   ).status_code,
            "read_has_cors_header": "access-control-allow-origin" in c.get("/__sandbox/agents", headers=evil).headers,
            "rebinding_host": c.get("/__sandbox/health", headers={"Host": "rebind.evil.example"}).status_code,
        }


async def slow_sockets(base: str, n: int) -> dict:
    host, port = base.removeprefix("http://").split(":")
    slow, half = [], []
    for _ in range(n):
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"POST /api/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        slow.append((reader, writer))
    for _ in range(50):
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"POST /api/auth/customer/login-or-register HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\": ")
        half.append((reader, writer))

    async def trickle() -> None:
        for _ in range(40):  # a byte every 0.5 s on every slow socket
            await asyncio.sleep(0.5)
            for _, w in slow:
                if not w.is_closing():
                    try:
                        w.write(b"a")
                    except (ConnectionError, RuntimeError):
                        pass

    trickler = asyncio.create_task(trickle())
    normal = []
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for _ in range(20):
            started = time.perf_counter()
            r = await client.get("/__sandbox/health")
            normal.append((r.status_code, time.perf_counter() - started))
            await asyncio.sleep(0.1)

    async def answer(reader: asyncio.StreamReader) -> bytes:
        try:
            return await asyncio.wait_for(reader.read(64), 30)
        except (asyncio.TimeoutError, ConnectionError):
            return b""

    started = time.perf_counter()
    answers = await asyncio.gather(*(answer(r) for r, _ in slow + half))
    cut_after = time.perf_counter() - started
    trickler.cancel()
    for _, w in slow + half:
        w.close()
    return {"slow_header_sockets": n, "half_sent_bodies": 50,
            "headers_cut_with_408": sum(a.startswith(b"HTTP/1.1 408") for a in answers[:n]),
            "bodies_cut_with_408": sum(a.startswith(b"HTTP/1.1 408") for a in answers[n:]),
            "seconds_until_all_cut": round(cut_after, 2),
            "normal_client_ok": sum(1 for s, _ in normal if s == 200), "normal_client_requests": len(normal),
            "normal_client_worst_ms": round(max(t for _, t in normal) * 1000, 1)}


def burst(base: str, events: int) -> dict:
    from mockserver.receiver import Receiver
    from tests.conftest import fresh_tckn

    small = Receiver(small=True)
    try:
        with httpx.Client(base_url=base, timeout=30) as c:
            agent = c.post("/__sandbox/agents", json={"connectAllInsurers": False}).json()
            sa = agent["serviceAccount"]
            token = c.post("/connect/token", data={"grant_type": "client_credentials", "scope": "core-api",
                                                   "client_id": sa["clientId"], "client_secret": sa["clientSecret"]}
                           ).json()["access_token"]
            h = {"Authorization": f"Bearer {token}"}
            c.post("/api/webhooks", headers=h, json={"url": small.url, "events": ["customer.created"]})
            started = time.perf_counter()
            for _ in range(events):
                c.post("/api/customers", headers=h, json={"$type": "individual", "identityNumber": fresh_tckn(),
                                                         "fullName": "A B", "fillMissingFields": True})
            queued = time.perf_counter() - started
            deadline = time.monotonic() + 300
            while len(small.requests) < events and time.monotonic() < deadline:
                time.sleep(0.05)
            delivered = time.perf_counter() - started
            outbox = c.get(f"/__sandbox/agents/{agent['agentId']}/webhook-deliveries").json()
    finally:
        small.close()
    return {"events": events, "delivered": len(small.requests), "seconds_to_queue": round(queued, 2),
            "seconds_until_all_delivered": round(delivered, 2),
            "attempts": sum(len(d["attempts"]) for d in outbox),
            "failed_attempts": sum(1 for d in outbox for a in d["attempts"] if a["error"]),
            "receiver_most_at_once": small.most_at_once}


async def _sale(base: str, i: int) -> tuple[bool, list[int]]:
    from tests.conftest import fresh_tckn

    statuses: list[int] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        async def call(method: str, path: str, **kw) -> httpx.Response:
            r = await c.request(method, path, **kw)
            statuses.append(r.status_code)
            return r

        agent = (await call("POST", "/__sandbox/agents", json={"webhookDelivery": "manual"})).json()["agentId"]
        phone = f"555000{i:04d}"  # magic phones: the SMS code is 123456
        login = (await call("POST", "/api/auth/customer/login-or-register", json={
            "$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
            "phoneNumber": {"number": phone, "countryCode": 90}, "agentId": agent})).json()
        token = (await call("POST", "/api/auth/customer/verify-mfa",
                            json={"token": login["token"], "code": "123456"})).json()["accessToken"]
        h = {"Authorization": f"Bearer {token}"}
        me = (await call("GET", "/api/customers/me", headers=h)).json()["id"]
        vid = (await call("POST", "/api/customers/me/vehicles", headers=h, json={
            "plate": f"34KL{100 + i}", "brandReference": "RENAULT", "modelTypeReference": "CLIO",
            "modelYear": 2019})).json()["id"]
        pid = (await call("POST", "/api/proposals", headers=h, json={
            "$type": "kasko", "insurerCustomerId": me, "vehicleId": vid, "channel": "WEBSITE"})).json()["proposalId"]
        await call("POST", f"/__sandbox/agents/{agent}/proposals/{pid}/settle")
        doga: list[dict] = []
        for _ in range(3):  # Doğa's web-service product (native 3-D Secure); retried if the seed failed it
            products = (await call("GET", f"/api/proposals/{pid}", headers=h)).json()["products"]
            mine = next(p for p in products if p["insuranceCompanyId"] == 43 and p["productType"] == "WEB_SERVICE")
            if mine["state"] == "ACTIVE":
                doga = [mine]
                break
            await call("POST", f"/api/proposals/{pid}/products/{mine['id']}/retry", headers=h)
            await call("POST", f"/__sandbox/agents/{agent}/proposals/{pid}/settle")
        if not doga:
            return False, statuses
        bought = await call("POST", f"/api/proposals/{pid}/products/{doga[0]['id']}/purchase/async", headers=h, json={
            "$type": "3d-secure", "installmentNumber": 1, "callbackUrl": "http://localhost:3000/cb",
            "card": {"number": "4111111111111111", "cvc": "123", "expiryMonth": "12", "expiryYear": "2030",
                     "holderName": "AYŞE YILMAZ"}})
        if bought.status_code != 200:
            print(f"flow {i}: purchase answered {bought.status_code} {bought.text[:300]}", file=sys.stderr)
            return False, statuses
        url = bought.json()["redirectUrl"]
        page = url.removeprefix(base)
        await call("GET", page)
        done = await call("POST", page, data={"action": "confirm", "code": "123456"})
        policy = "policyId=" in done.headers.get("location", "")
        await call("DELETE", f"/__sandbox/agents/{agent}")
        return policy, statuses


async def concurrent_sales(base: str, n: int) -> dict:
    started = time.perf_counter()
    results = await asyncio.gather(*(_sale(base, i) for i in range(n)), return_exceptions=True)
    took = time.perf_counter() - started
    statuses = [s for r in results if not isinstance(r, BaseException) for s in r[1]]
    return {"flows": n, "with_policy": sum(1 for r in results if not isinstance(r, BaseException) and r[0]),
            "exceptions": sum(1 for r in results if isinstance(r, BaseException)), "requests": len(statuses),
            "5xx": sum(1 for s in statuses if s >= 500), "seconds": round(took, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--slow", type=int, default=300)
    args = parser.parse_args()
    port = free_port()
    proc = start(port, INSURUP_SANDBOX_HEADER_READ_TIMEOUT="10", INSURUP_SANDBOX_BODY_READ_TIMEOUT="15",
                 INSURUP_SANDBOX_WRITE_TIMEOUT="5")
    base = f"http://127.0.0.1:{port}"
    try:
        result = {"concurrent_sales": asyncio.run(concurrent_sales(base, 50)),
                  "heavy_requests": heavy(base, setup(base)),
                  "search_and_filter_abuse": abuse(base),
                  "non_reading_clients": non_readers(base),
                  "web_page_on_another_origin": web_page(base),
                  "slow_clients": asyncio.run(slow_sockets(base, args.slow)),
                  "webhook_burst": burst(base, args.events)}
    finally:
        proc.terminate()
        proc.wait(10)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "attacks.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
