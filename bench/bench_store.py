"""Benchmark: what durable state (``serve --data-dir``) costs, and how long a restart takes.

    python bench/bench_store.py [--seconds 8] [--records 100000]

1. Write throughput: ``insurup-sandbox serve`` in memory and with ``--data-dir``, the same load (16
   concurrent clients creating customers over HTTP for ``--seconds``), requests per second and p50/p99.
2. Restart with ``--records`` customers in the data directory: the seconds from ``serve`` to a healthy
   answer after a clean stop (a snapshot of everything), after a kill -9 (the newest background snapshot
   and the log after it), and from the log alone (snapshots removed).

Writes ``bench/results/store.json``. Bounded in time and count; everything on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live import free_port  # noqa: E402

CREDENTIALS = {"grant_type": "client_credentials", "client_id": "sandbox-service-account",
               "client_secret": "sandbox-client-secret"}


RUNNING: list[subprocess.Popen] = []


def start(*args: str) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    exe = Path(sys.executable).with_name("insurup-sandbox")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "mockserver.cli"]
    began = time.perf_counter()
    proc = subprocess.Popen(cmd + ["serve", "--port", str(port), *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=ROOT)
    RUNNING.append(proc)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/__sandbox/health", timeout=1).status_code == 200:
                return proc, base, time.perf_counter() - began
        except httpx.HTTPError:
            time.sleep(0.02)
    proc.kill()
    raise RuntimeError("the sandbox did not become healthy")


def stop(proc: subprocess.Popen, *, kill: bool = False) -> None:
    if kill:
        os.kill(proc.pid, signal.SIGKILL)
    else:
        proc.send_signal(signal.SIGINT)
    proc.wait(300)


async def load(base: str, seconds: float, clients: int = 16) -> dict:
    from mockserver.validators.turkish import make_tckn

    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        token = (await http.post("/connect/token", data=CREDENTIALS)).json()["access_token"]
        h = {"Authorization": f"Bearer {token}"}
        ends = time.perf_counter() + seconds
        counter = iter(range(10**9))

        async def client() -> None:
            while time.perf_counter() < ends:
                n = next(counter)
                began = time.perf_counter()
                r = await http.post("/api/customers", headers=h, json={
                    "$type": "individual", "identityNumber": make_tckn(f"{300000000 + n:09d}"), "fullName": "Yük Testi"})
                if r.status_code == 200:
                    latencies.append(time.perf_counter() - began)

        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        took = time.perf_counter() - began
    latencies.sort()
    return {"writes": len(latencies), "per_second": round(len(latencies) / took, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 2),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2)}


async def fill(base: str, records: int, clients: int = 32) -> float:
    from mockserver.validators.turkish import make_tckn

    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        token = (await http.post("/connect/token", data=CREDENTIALS)).json()["access_token"]
        h = {"Authorization": f"Bearer {token}"}
        todo = iter(range(records))
        began = time.perf_counter()

        async def client() -> None:
            for n in todo:
                await http.post("/api/customers", headers=h, json={
                    "$type": "individual", "identityNumber": make_tckn(f"{400000000 + n:09d}"), "fullName": "Dolu"})

        await asyncio.gather(*(client() for _ in range(clients)))
        return time.perf_counter() - began


def count(base: str) -> int:
    with httpx.Client(base_url=base, timeout=60) as http:
        token = http.post("/connect/token", data=CREDENTIALS).json()["access_token"]
        r = http.post("/graphql", headers={"Authorization": f"Bearer {token}"},
                      json={"query": "{ customersNew(first: 1) { totalCount } }"})
        body = r.json()
        if not body.get("data"):
            raise RuntimeError(f"the restarted sandbox answered {body}")
        return body["data"]["customersNew"]["totalCount"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    out: dict = {"seconds": args.seconds, "records": args.records}
    work = Path(tempfile.mkdtemp(prefix="insurup-store-bench-"))
    try:
        proc, base, _ = start()
        out["memory"] = asyncio.run(load(base, args.seconds))
        stop(proc)
        proc, base, _ = start("--data-dir", str(work / "load"))
        out["durable"] = asyncio.run(load(base, args.seconds))
        stop(proc)
        out["write_throughput_ratio"] = round(out["durable"]["per_second"] / out["memory"]["per_second"], 3)
        print(f"writes: in memory {out['memory']}, durable {out['durable']}, ratio {out['write_throughput_ratio']}")

        data = work / "restart"
        proc, base, _ = start("--data-dir", str(data))
        out["fill_seconds"] = round(asyncio.run(fill(base, args.records)), 1)
        held = count(base)
        stop(proc)  # a clean stop: a snapshot of everything
        proc, base, took = start("--data-dir", str(data))
        out["restart_after_clean_stop_s"] = round(took, 2)
        assert count(base) == held
        stop(proc, kill=True)
        proc, base, took = start("--data-dir", str(data))
        out["restart_after_kill_s"] = round(took, 2)
        assert count(base) == held
        stop(proc, kill=True)
        for snap in data.glob("snapshot-*"):
            snap.unlink()
        proc, base, took = start("--data-dir", str(data))
        out["restart_from_log_only_s"] = round(took, 2)
        assert count(base) == held
        stop(proc)
        out["customers"] = held
        out["data_dir_mb"] = round(sum(p.stat().st_size for p in data.iterdir()) / 1e6, 1)
        print(f"restart with {held} customers: clean stop {out['restart_after_clean_stop_s']} s, kill -9 "
              f"{out['restart_after_kill_s']} s, log only {out['restart_from_log_only_s']} s "
              f"(data dir {out['data_dir_mb']} MB, filled in {out['fill_seconds']} s)")
    finally:
        for proc in RUNNING:  # nothing outlives the bench, whatever happened
            if proc.poll() is None:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "store.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
