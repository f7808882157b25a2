"""The performance budget (DESIGN.md), measured in one command:

    python bench/budget.py [--rounds 6] [--slice 2] [--concurrency 16 64] [--starts 5] [--sales 50]

* **Capacity**: server CPU per request of the sandbox against a bare Starlette app that answers the
  very same bytes (``bench/baseline.py``), for ``GET customers/me`` (a customer's RS256 token), one
  GraphQL list page (50 cases, 20 fields, an agent holding 300) and ``GET proposals/{id}`` of a settled
  kasko proposal (every product of the agency). Both servers run under uvicorn with the same settings,
  pinned to CPU 0, the load generator (wrk, else a built-in one) to CPU 1; each round loads the two in
  turn for ``--slice`` seconds and reads each server's CPU time from ``/proc/PID/stat`` before and
  after (steadier than requests per second on a shared machine). The capacity ratio of a round is
  baseline CPU per request / sandbox CPU per request; the report gives its median and spread.
  Target: >= 0.85.
* **Start-up**: ``insurup-sandbox serve`` to a healthy answer (the port open, health answering while
  the app loads: ``starting``), the median of ``--starts`` cold starts, beside ``python -c "import
  starlette"`` timed the same way. Target: < 0.5 s. Also until health says ``ok`` (every route served).
* **Sales**: the full kasko web sale (``scenarios/kasko_3d_secure_purchase.yaml``: log in with the SMS
  code, the car, the case, the proposal, 3-D Secure, the callback, the policy) in-process through the
  scenario runner (target: 25 ms; the time inside the app is reported beside it, the rest being the
  runner's and the HTTP client's), and ``--sales`` of them at once over HTTP against one served sandbox.

Prints the figures with the machine's load and writes ``bench/results/budget.json``. Bounded: fixed
rounds, slices and counts; it stops its servers on exit. The test suite never asserts these figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_graphql import QUERY as CASES_QUERY  # noqa: E402  (the same page as bench_graphql.py)

BUDGET = {"capacity_ratio": 0.85, "start_to_healthy_s": 0.5, "sale_in_process_ms": 25}
SALE = ROOT / "scenarios" / "kasko_3d_secure_purchase.yaml"


# ----------------------------------------------------------------------------- servers
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sandbox_command() -> list[str]:
    exe = Path(sys.executable).with_name("insurup-sandbox")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "mockserver.cli"]


def _pinned(cpu: int) -> list[str]:
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []


def health_times(url: str, started: float, proc: subprocess.Popen, timeout: float = 30) -> tuple[float, float]:
    """Seconds from ``started`` until ``url`` first answers 200 (``starting`` or ``ok``: the port is
    open and the app loading, mockserver.http.boot), and until it answers ``ok`` (every route is
    served). Polled every 2 ms; every 5 ms once it answers, so the polling does not slow the load much."""
    deadline = time.monotonic() + timeout
    answering = None
    with httpx.Client(timeout=2) as client:
        while time.monotonic() < deadline:
            try:
                r = client.get(url)
            except httpx.HTTPError:
                if proc.poll() is not None:
                    raise RuntimeError(f"the server behind {url} exited with {proc.returncode}") from None
                time.sleep(0.002)
                continue
            if r.status_code == 200:
                now = time.perf_counter() - started
                answering = answering if answering is not None else now
                if r.json().get("status") == "ok":
                    return answering, now
            time.sleep(0.005)
    raise RuntimeError(f"{url} never became healthy")


@contextlib.contextmanager
def served(kind: str, *, cpu: int | None = None, bodies: Path | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """The sandbox (``insurup-sandbox serve``) or the baseline, on a free loopback port."""
    port = free_port()
    env = {**os.environ}
    if kind == "sandbox":
        cmd, health = sandbox_command() + ["serve", "--port", str(port)], "/__sandbox/health"
    else:
        # the same uvicorn settings the sandbox's `serve` uses: one worker, log level warning, no access log
        cmd = [sys.executable, "-m", "uvicorn", "bench.baseline:app", "--host", "127.0.0.1", "--port", str(port),
               "--log-level", "warning", "--no-access-log"]
        health = None
        if bodies is not None:
            env["BENCH_BODIES"] = str(bodies)
    prefix = _pinned(cpu) if cpu is not None else []
    proc = subprocess.Popen(prefix + cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        if health is not None:
            health_times(base + health, time.perf_counter(), proc)
        else:
            _wait_listening(port, proc)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_listening(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        if proc.poll() is not None:
            raise RuntimeError(f"the baseline exited with {proc.returncode}")
        time.sleep(0.01)
    raise RuntimeError("the baseline never listened")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ----------------------------------------------------------------------------- what is loaded
@dataclass
class Target:
    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None
    note: str = ""
    answer: object = None  # the sandbox's parsed answer, which the baseline renders
    same_bytes: bool = False


def _check(r: httpx.Response, what: str) -> httpx.Response:
    if r.status_code >= 300:
        raise RuntimeError(f"{what}: {r.status_code} {r.text[:300]}")
    return r


def prepare(base: str, cases: int = 300) -> list[Target]:
    """An agent with a customer, a car, a settled kasko proposal and ``cases`` cases, and the three requests."""
    with httpx.Client(base_url=base, timeout=60) as c:
        agent = _check(c.post("/__sandbox/agents", json={}), "create an agent").json()
        aid = agent["agentId"]
        phone = "5320001122"
        from mockserver.validators.turkish import make_tckn

        tckn = make_tckn("987654321")

        def customer_token() -> tuple[str, str]:
            r = _check(c.post("/api/auth/customer/login-or-register", json={
                "$type": "individual", "identityNumber": tckn, "birthDate": "1990-01-01",
                "phoneNumber": {"number": phone, "countryCode": 90}, "agentId": aid}), "log in")
            code = _check(c.get(f"/__sandbox/agents/{aid}/sms", params={"to": phone}), "read the SMS").json()[-1]["code"]
            v = _check(c.post("/api/auth/customer/verify-mfa", json={"token": r.json()["token"], "code": code}),
                       "verify the code")
            return v.json()["accessToken"], r.json()["customerId"]

        token, cid = customer_token()
        me = {"Authorization": f"Bearer {token}"}
        vehicle = _check(c.post(f"/api/customers/{cid}/vehicles", headers=me, json={
            "plate": "34BN123", "documentSerialCode": "A", "documentSerialNumber": "1234567", "brandCode": "RENAULT",
            "modelCode": "CLIO", "year": 2019}), "register the car").json()["id"]
        pid = _check(c.post("/api/proposals", headers=me, json={
            "$type": "kasko", "vehicleId": vehicle, "productBranch": "KASKO", "insurerCustomerId": cid,
            "insuredCustomerId": cid, "coverageGroupIds": None, "channel": "WEBSITE"}), "ask for quotes").json()["proposalId"]
        for _ in range(200):  # the agent's clock moves instead of the bench sleeping
            p = _check(c.get(f"/api/proposals/{pid}", headers=me), "read the proposal").json()
            if p["waitingProductsCount"] == 0:
                break
            _check(c.post(f"/__sandbox/agents/{aid}/clock", json={"advance": 30}), "move the clock")
        token, _ = customer_token()  # a fresh token: the clock moved
        me = {"Authorization": f"Bearer {token}"}
        staff = _check(c.post("/connect/token", data={
            "grant_type": "client_credentials", "client_id": agent["serviceAccount"]["clientId"],
            "client_secret": agent["serviceAccount"]["clientSecret"], "scope": "core-api"}), "service token").json()
        staff_h = {"Authorization": f"Bearer {staff['access_token']}"}
        for i in range(cases):
            _check(c.post("/api/cases:new-sale-opportunity", headers=staff_h, json={
                "customerId": cid, "productBranch": ("KASKO", "TRAFIK", "DASK", "KONUT", "TSS")[i % 5],
                "channel": "WEBSITE"}), "open a case")
        graphql = json.dumps({"query": CASES_QUERY, "variables": {"first": 50}}).encode()
        targets = [
            Target("customers/me", "GET", "/api/customers/me", me),
            Target("graphql cases page", "POST", "/graphql", {**staff_h, "Content-Type": "application/json"}, graphql,
                   note=f"50 of {cases} cases, 20 fields"),
            Target("proposals/{id}", "GET", f"/api/proposals/{pid}", me,
                   note=f"settled kasko, {p['totalProductsCount']} products"),
        ]
        for t in targets:
            r = _check(c.request(t.method, t.path, headers=t.headers, content=t.body), t.name)
            t.answer = r.json()
        return targets


def baseline_bodies(targets: list[Target], directory: Path) -> Path:
    path = directory / "bodies.json"
    path.write_text(json.dumps({f"{t.method} {t.path}": t.answer for t in targets}, ensure_ascii=False))
    return path


# ----------------------------------------------------------------------------- load
def _wrk_script(t: Target, directory: Path) -> Path:
    lines = [f'wrk.method = "{t.method}"']
    for k, v in t.headers.items():
        lines.append(f'wrk.headers["{k}"] = "{v}"')
    if t.body is not None:
        lines.append(f"wrk.body = {json.dumps(t.body.decode())}")
    script = directory / f"{re.sub(r'[^a-z]+', '_', t.name)}.lua"
    script.write_text("\n".join(lines) + "\n")
    return script


def load_wrk(base: str, t: Target, seconds: int, connections: int, directory: Path) -> tuple[int, int]:
    """(requests answered, non-2xx answers)."""
    out = subprocess.run(_pinned(1) + ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s",
                                        str(_wrk_script(t, directory)), base + t.path],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    done = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if done is None:
        raise RuntimeError(f"wrk said: {out[-500:]}")
    return int(done.group(1)), int(bad.group(1)) if bad else 0


async def _load_python(base: str, t: Target, seconds: float, connections: int) -> tuple[int, int]:
    host, port = re.match(r"http://([^:/]+):(\d+)", base).groups()
    head = f"{t.method} {t.path} HTTP/1.1\r\nHost: {host}:{port}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in t.headers.items())
    if t.body is not None:
        head += f"Content-Length: {len(t.body)}\r\n"
    request = (head + "\r\n").encode() + (t.body or b"")
    done = bad = 0
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done, bad
        reader, writer = await asyncio.open_connection(host, int(port))
        while time.perf_counter() < stop:
            writer.write(request)
            answer = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: (\d+)", answer, re.I).group(1))
            await reader.readexactly(length)
            done += 1
            bad += not answer.startswith(b"HTTP/1.1 2")
        writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return done, bad


def load_python(base: str, t: Target, seconds: int, connections: int, directory: Path) -> tuple[int, int]:
    return asyncio.run(_load_python(base, t, seconds, connections))


@dataclass
class Capacity:
    target: str
    note: str
    connections: int
    sandbox_us: list[float] = field(default_factory=list)
    baseline_us: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    errors: int = 0
    same_bytes: bool = False

    def summary(self) -> dict:
        return {"target": self.target, "note": self.note, "connections": self.connections,
                "sandbox_cpu_us_per_request": round(statistics.median(self.sandbox_us), 1),
                "baseline_cpu_us_per_request": round(statistics.median(self.baseline_us), 1),
                "capacity_ratio": {"median": round(statistics.median(self.ratios), 3),
                                   "min": round(min(self.ratios), 3), "max": round(max(self.ratios), 3)},
                "rounds": len(self.ratios), "errors": self.errors, "same_bytes": self.same_bytes}


def capacity(rounds: int, seconds: int, concurrency: list[int], tool: str, cases: int = 300) -> list[Capacity]:
    load = load_wrk if tool == "wrk" else load_python
    out: list[Capacity] = []
    with tempfile.TemporaryDirectory() as tmp, served("sandbox", cpu=0) as (sbase, sproc):
        directory = Path(tmp)
        targets = prepare(sbase, cases)
        with served("baseline", cpu=0, bodies=baseline_bodies(targets, directory)) as (bbase, bproc):
            for t in targets:
                sent = httpx.request(t.method, sbase + t.path, headers=t.headers, content=t.body).content
                again = httpx.request(t.method, bbase + t.path, headers=t.headers, content=t.body).content
                t.same_bytes = sent == again
                for conns in concurrency:
                    result = Capacity(t.name, t.note, conns, same_bytes=t.same_bytes)
                    for base in (sbase, bbase):  # warm both: first requests pay for caches
                        load(base, t, 1, conns, directory)
                    for r in range(rounds):
                        pair = [(sbase, sproc, result.sandbox_us), (bbase, bproc, result.baseline_us)]
                        for base, proc, into in (pair if r % 2 == 0 else pair[::-1]):
                            before = cpu_seconds(proc.pid)
                            done, bad = load(base, t, seconds, conns, directory)
                            into.append((cpu_seconds(proc.pid) - before) / max(done, 1) * 1e6)
                            if base == sbase:
                                result.errors += bad
                        result.ratios.append(result.baseline_us[-1] / result.sandbox_us[-1])
                    out.append(result)
    return out


# ----------------------------------------------------------------------------- start-up
def startup(starts: int) -> dict:
    imports, answering, ready = [], [], []
    for _ in range(starts):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import starlette"], check=True)
        imports.append(time.perf_counter() - t0)
        port = free_port()
        t0 = time.perf_counter()
        proc = subprocess.Popen(sandbox_command() + ["serve", "--port", str(port)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            first, ok = health_times(f"http://127.0.0.1:{port}/__sandbox/health", t0, proc)
            answering.append(first)
            ready.append(ok)
        finally:
            proc.terminate()
            proc.wait(10)

    def spread(values: list[float]) -> dict:
        return {"median": round(statistics.median(values), 3), "min": round(min(values), 3), "max": round(max(values), 3)}

    return {"starts": starts, "serve_to_healthy_s": spread(answering), "serve_to_ready_s": spread(ready),
            "python_import_starlette_s": {"median": round(statistics.median(imports), 3)}}


# ----------------------------------------------------------------------------- sales
async def _sale(client: httpx.AsyncClient) -> tuple[float, bool]:
    from mockserver.contract.runner import run_scenario
    from mockserver.contract.targets import Target as ScenarioTarget

    t0 = time.perf_counter()
    result = await run_scenario(SALE, ScenarioTarget(client, "bench", True))
    return time.perf_counter() - t0, result.passed


async def _in_process(n: int) -> list[tuple[float, bool, float]]:
    """``n`` sales, each as (seconds, passed, seconds spent inside the app): the rest of a sale's time
    is the scenario runner's and the HTTP client's."""
    from mockserver.http.app import create_app

    app = create_app()
    inside = [0.0]

    async def timed(scope, receive, send):  # the sandbox's own time: from the request in to its answer out
        t0 = time.perf_counter()
        try:
            await app(scope, receive, send)
        finally:
            inside[0] += time.perf_counter() - t0

    out = []
    for _ in range(n):
        inside[0] = 0.0
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=timed), base_url="http://sandbox.local",
                                     timeout=60) as client:
            seconds, passed = await _sale(client)
            out.append((seconds, passed, inside[0]))
    return out


async def _concurrent(base: str, n: int) -> tuple[float, list[tuple[float, bool]]]:
    clients = [httpx.AsyncClient(base_url=base, timeout=120) for _ in range(n)]
    t0 = time.perf_counter()
    try:
        results = await asyncio.gather(*(_sale(c) for c in clients))
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    return time.perf_counter() - t0, results


def sales(n: int, alone_runs: int = 6) -> dict:
    import warnings

    warnings.filterwarnings("ignore")
    alone = asyncio.run(_in_process(alone_runs))[1:]  # the first pays for caches
    steps = len(re.findall(r"^  - name:", SALE.read_text(), re.M))
    with served("sandbox") as (base, _proc):
        wall, together = asyncio.run(_concurrent(base, n))
    times = sorted(t for t, _ in together)
    return {"scenario": SALE.name, "steps": steps,
            "in_process_sale_ms": round(statistics.median(t for t, _, _ in alone) * 1000, 1),
            "in_process_sandbox_ms": round(statistics.median(a for _, _, a in alone) * 1000, 1),
            "in_process_passed": all(ok for _, ok, _ in alone),
            "concurrent": {"sales": n, "wall_s": round(wall, 2), "sales_per_s": round(n / wall, 1),
                           "p50_s": round(times[len(times) // 2], 2), "p95_s": round(times[int(len(times) * 0.95) - 1], 2),
                           "passed": sum(ok for _, ok in together)}}


# ----------------------------------------------------------------------------- report
def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def run(rounds: int = 6, seconds: int = 2, concurrency: tuple[int, ...] = (16, 64), starts: int = 5, sale_count: int = 50,
        tool: str = "auto", parts: tuple[str, ...] = ("capacity", "startup", "sales"), cases: int = 300) -> dict:
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"
    result: dict = {"budget": BUDGET, "machine_before": machine(), "load_tool": tool}
    if "startup" in parts:
        result["startup"] = startup(starts)
    if "capacity" in parts:
        result["capacity"] = [c.summary() for c in capacity(rounds, seconds, list(concurrency), tool, cases)]
    if "sales" in parts:
        result["sales"] = sales(sale_count)
    result["machine_after"] = machine()
    return result


def show(result: dict) -> None:
    m, after = result["machine_before"], result["machine_after"]
    print(f"machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}; load average {m['load_average']} "
          f"before, {after['load_average']} after; load tool {result['load_tool']}")
    if "capacity" in result:
        print(f"\ncapacity (baseline CPU per request / sandbox CPU per request; target >= {BUDGET['capacity_ratio']})")
        for c in result["capacity"]:
            r = c["capacity_ratio"]
            verdict = "ok" if r["median"] >= BUDGET["capacity_ratio"] else "MISSES THE BUDGET"
            print(f"  {c['target']:<20} {c['connections']:>3} conns  sandbox {c['sandbox_cpu_us_per_request']:7.1f} us  "
                  f"baseline {c['baseline_cpu_us_per_request']:7.1f} us  ratio {r['median']:.2f} [{r['min']:.2f}-"
                  f"{r['max']:.2f}] over {c['rounds']} rounds  {verdict}"
                  + (f"  ({c['note']})" if c["note"] else "") + ("" if c["same_bytes"] else "  BYTES DIFFER")
                  + (f"  {c['errors']} ERRORS" if c["errors"] else ""))
    if "startup" in result:
        s = result["startup"]
        ok = "ok" if s["serve_to_healthy_s"]["median"] < BUDGET["start_to_healthy_s"] else "MISSES THE BUDGET"
        print(f"\nstart-up: serve -> healthy {s['serve_to_healthy_s']['median']:.3f} s median of {s['starts']} "
              f"[{s['serve_to_healthy_s']['min']:.3f}-{s['serve_to_healthy_s']['max']:.3f}] (target < "
              f"{BUDGET['start_to_healthy_s']} s) {ok}; python -c 'import starlette' "
              f"{s['python_import_starlette_s']['median']:.3f} s")
        print(f"          serve -> ready (health says ok: every route served) {s['serve_to_ready_s']['median']:.3f} s "
              f"[{s['serve_to_ready_s']['min']:.3f}-{s['serve_to_ready_s']['max']:.3f}]")
    if "sales" in result:
        s = result["sales"]
        c = s["concurrent"]
        ok = "ok" if s["in_process_sale_ms"] < BUDGET["sale_in_process_ms"] else "MISSES THE BUDGET"
        print(f"\nkasko web sale ({s['scenario']}, {s['steps']} steps): {s['in_process_sale_ms']:.0f} ms in-process "
              f"(target < {BUDGET['sale_in_process_ms']} ms) {ok}, of which {s['in_process_sandbox_ms']:.0f} ms inside "
              f"the sandbox (the rest: the scenario runner and the HTTP client); "
              f"{c['sales']} at once over HTTP: {c['wall_s']:.2f} s ({c['sales_per_s']:.1f} sales/s, p50 {c['p50_s']:.2f} s, "
              f"p95 {c['p95_s']:.2f} s, {c['passed']}/{c['sales']} passed)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--slice", type=int, default=2, help="seconds of load per server per round")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--sales", type=int, default=50)
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--only", nargs="+", choices=["capacity", "startup", "sales"],
                        default=["capacity", "startup", "sales"])
    args = parser.parse_args()
    result = run(args.rounds, args.slice, tuple(args.concurrency), args.starts, args.sales, args.tool, tuple(args.only))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "budget.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    show(result)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
