"""Benchmark: ``GET /api/customers/me`` with a valid token on the sandbox against a bare Starlette
JSON endpoint, same uvicorn settings, same load tool, one run. Also: time from ``serve`` to healthy.

    python bench/bench_me.py [--duration 5] [--connections 32] [--tool auto|wrk|python]

Prints throughput ratio (target >= 0.5), p50/p99 latencies, start time (target < 1.5 s), and writes
``bench/results/latest.json``. Bounded in time; stops its servers on exit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, started: float, timeout: float = 20) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=0.5).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.01)
    raise RuntimeError(f"{url} never became healthy")


def start_sandbox(port: int) -> tuple[subprocess.Popen, float]:
    exe = Path(sys.executable).with_name("insurup-sandbox")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "mockserver.cli"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd + ["serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, wait_healthy(f"http://127.0.0.1:{port}/__sandbox/health", started)


def start_baseline(port: int) -> subprocess.Popen:
    # the same uvicorn defaults the sandbox's `serve` uses: one worker, log level warning, no access log
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "bench.baseline:app", "--host", "127.0.0.1", "--port",
                             str(port), "--log-level", "warning", "--no-access-log"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_healthy(f"http://127.0.0.1:{port}/api/customers/me", time.perf_counter())
    return proc


def customer_token(base: str) -> str:
    agent = httpx.get(base + "/__sandbox/health").json()["defaultAgentId"]
    r = httpx.post(base + "/api/auth/customer/login-or-register", json={
        "$type": "individual", "identityNumber": "11111111110", "birthDate": "1990-01-01",
        "phoneNumber": {"number": "5550001234", "countryCode": 90}, "agentId": agent})
    v = httpx.post(base + "/api/auth/customer/verify-mfa", json={"token": r.json()["token"], "code": "123456"})
    return v.json()["accessToken"]


# ----------------------------------------------------------------------------- load tools
def _ms(text: str) -> float:
    value, unit = float(re.match(r"[\d.]+", text).group()), re.sub(r"[\d.]", "", text)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, token: str, duration: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-H",
                          f"Authorization: Bearer {token}", url], capture_output=True, text=True, timeout=duration + 30)
    text = out.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", text).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": int(non2xx.group(1)) if non2xx else 0}


async def _python_load(host: str, port: int, path: str, token: str, duration: float, connections: int) -> dict:
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n\r\n").encode()
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + duration

    async def worker() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - t0) * 1000)
            if not head.startswith(b"HTTP/1.1 200"):
                errors += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    return {"rps": len(latencies) / elapsed, "p50_ms": q[49], "p99_ms": q[98], "errors": errors}


def run_python(url: str, token: str, duration: int, connections: int) -> dict:
    m = re.match(r"http://([^:/]+):(\d+)(/.*)", url)
    return asyncio.run(_python_load(m.group(1), int(m.group(2)), m.group(3), token, duration, connections))


def bench(duration: int = 5, connections: int = 32, tool: str = "auto") -> dict:
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"
    load = run_wrk if tool == "wrk" else run_python
    sp, bp = free_port(), free_port()
    sandbox, start_s = start_sandbox(sp)
    baseline = start_baseline(bp)
    try:
        token = customer_token(f"http://127.0.0.1:{sp}")
        # warm both (first requests pay for imports and caches)
        load(f"http://127.0.0.1:{sp}/api/customers/me", token, 1, 4)
        load(f"http://127.0.0.1:{bp}/api/customers/me", token, 1, 4)
        base = load(f"http://127.0.0.1:{bp}/api/customers/me", token, duration, connections)
        sand = load(f"http://127.0.0.1:{sp}/api/customers/me", token, duration, connections)
    finally:
        for p in (sandbox, baseline):
            p.terminate()
            p.wait(10)
    return {"tool": tool, "duration_s": duration, "connections": connections, "start_to_healthy_s": round(start_s, 3),
            "baseline": base, "sandbox": sand, "ratio": round(sand["rps"] / base["rps"], 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args()
    result = bench(args.duration, args.connections, args.tool)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(result, indent=2))
    b, s = result["baseline"], result["sandbox"]
    print(f"load tool: {result['tool']}, {args.connections} connections, {args.duration}s each")
    print(f"bare starlette   {b['rps']:10.0f} req/s   p50 {b['p50_ms']:.2f} ms   p99 {b['p99_ms']:.2f} ms")
    print(f"sandbox /me      {s['rps']:10.0f} req/s   p50 {s['p50_ms']:.2f} ms   p99 {s['p99_ms']:.2f} ms   errors {s['errors']}")
    print(f"throughput ratio {result['ratio']:.3f}  (target >= 0.5)")
    print(f"serve -> healthy {result['start_to_healthy_s']:.3f} s  (target < 1.5 s)")
    sys.exit(0 if result["ratio"] >= 0.5 and s["errors"] == 0 else 1)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
