"""The served sandbox (``insurup-sandbox serve``) against slow, greedy and hostile clients, over real
sockets on 127.0.0.1: header and body deadlines, the connection bound, a normal client served
while hundreds of slow sockets hang on, keep-alive surviving a refused body, and a prompt stop."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess

import httpx
import pytest

from tests.live import serve

pytestmark = pytest.mark.slow

FAST = {"INSURUP_SANDBOX_HEADER_READ_TIMEOUT": "1.5", "INSURUP_SANDBOX_BODY_READ_TIMEOUT": "1.5"}


@pytest.fixture(scope="module")
def served():
    with serve(env=FAST) as (base, _, proc):
        yield base, proc


def _addr(base: str) -> tuple[str, int]:
    host, port = base.removeprefix("http://").split(":")
    return host, int(port)


async def _read_all(reader: asyncio.StreamReader, timeout: float) -> bytes:
    try:
        return await asyncio.wait_for(reader.read(-1), timeout)
    except asyncio.TimeoutError:
        return b"(still open)"


def test_a_connection_that_sends_nothing_is_closed_with_408(served):
    base, _ = served

    async def go():
        reader, writer = await asyncio.open_connection(*_addr(base))
        data = await _read_all(reader, 6)
        writer.close()
        return data

    data = asyncio.run(go())
    assert data.startswith(b"HTTP/1.1 408"), data
    assert b"REQUEST_HEADER_TIMEOUT" in data


def test_headers_trickling_in_are_cut_off_at_the_deadline_however_slow(served):
    base, _ = served

    async def go():
        reader, writer = await asyncio.open_connection(*_addr(base))
        sent = 0
        line = b"GET /__sandbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
        for byte in line:  # one byte every 50 ms: each byte would reset an idle timer
            if writer.is_closing() or reader.at_eof():
                break
            try:
                writer.write(bytes([byte]))
                await writer.drain()
            except ConnectionError:
                break
            sent += 1
            await asyncio.sleep(0.05)
        try:
            data = await _read_all(reader, 6)
        except ConnectionError:
            data = b"(reset)"
        writer.close()
        return data, sent, len(line)

    data, sent, total = asyncio.run(go())
    assert data.startswith(b"HTTP/1.1 408") or data == b"(reset)", data[:200]
    assert sent < total  # cut off before the headers were all sent


def test_three_hundred_slow_sockets_do_not_stop_a_normal_client(served):
    base, _ = served

    async def go():
        slow = []
        for _ in range(300):
            reader, writer = await asyncio.open_connection(*_addr(base))
            writer.write(b"POST /api/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append((reader, writer))
        half = []
        for _ in range(50):  # and fifty bodies promised but never finished
            reader, writer = await asyncio.open_connection(*_addr(base))
            writer.write(b"POST /api/auth/customer/login-or-register HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\": ")
            half.append((reader, writer))
        await asyncio.sleep(0.3)
        served_ok = []
        async with httpx.AsyncClient(base_url=base, timeout=5) as client:
            for _ in range(10):
                r = await client.get("/__sandbox/health")
                served_ok.append(r.status_code)
        answers = await asyncio.gather(*(_read_all(r, 8) for r, _ in slow + half))
        for _, w in slow + half:
            w.close()
        return served_ok, answers

    served_ok, answers = asyncio.run(go())
    assert served_ok == [200] * 10
    heads = [a.split(b"\r\n", 1)[0] for a in answers]
    assert heads[:300].count(b"HTTP/1.1 408 Request Timeout") == 300, set(heads[:300])
    assert all(h.startswith(b"HTTP/1.1 408") for h in heads[300:]), set(heads[300:])
    assert all(b"REQUEST_BODY_TIMEOUT" in a for a in answers[300:])


def test_a_refused_deep_body_leaves_the_keep_alive_connection_usable(served):
    base, _ = served
    deep = b'{"a": ' * 400 + b"1" + b"}" * 400
    with httpx.Client(base_url=base, timeout=5) as client:
        r = client.post("/api/auth/customer/login-or-register", content=deep,
                        headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json()["codes"] == ["JSON_TOO_DEEP"]
        again = client.get("/__sandbox/health")
        assert again.status_code == 200


def test_a_fragment_bomb_is_answered_at_once_and_the_server_stays_responsive(served):
    base, _ = served
    frags = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(30))
    bomb = f"query {{ ...F0 }} {frags} fragment F30 on Query {{ __typename }}"
    with httpx.Client(base_url=base, timeout=10) as client:
        health = client.get("/__sandbox/health").json()
        agent = client.get(f"/__sandbox/agents/{health['defaultAgentId']}").json()
        token = client.post("/connect/token", data={
            "grant_type": "client_credentials", "client_id": agent["serviceAccount"]["clientId"],
            "client_secret": agent["serviceAccount"]["clientSecret"], "scope": "core-api"}).json()["access_token"]
        r = client.post("/graphql", json={"query": bomb}, headers={"Authorization": f"Bearer {token}"})
        assert r.json()["errors"][0]["extensions"]["codes"] == ["GRAPHQL_MAX_NODES_EXCEEDED"]
        assert client.get("/__sandbox/health").status_code == 200


def test_the_connection_bound_refuses_extra_sockets_with_503():
    with serve(env={"INSURUP_SANDBOX_MAX_CONNECTIONS": "20", **FAST}) as (base, _, _proc):
        socks = []
        for _ in range(30):
            s = socket.create_connection(_addr(base))
            s.settimeout(3)
            socks.append(s)
        refused = 0
        for s in socks:
            try:
                data = s.recv(200)
            except socket.timeout:
                continue
            refused += data.startswith(b"HTTP/1.1 503")
        for s in socks:
            s.close()
        assert refused >= 5  # 30 sockets, 20 allowed (the health probe's may still be closing)
        assert httpx.get(base + "/__sandbox/health", timeout=5).status_code == 200


def test_sigterm_stops_the_server():
    with serve() as (base, _, proc):
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            pytest.fail("the server did not stop on SIGTERM")
        assert proc.returncode is not None
