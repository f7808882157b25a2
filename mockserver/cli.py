"""``insurup-sandbox``: serve the sandbox, run scenarios, export contracts."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console

from mockserver import __version__

app = typer.Typer(add_completion=False, no_args_is_help=True, help="insurup-sandbox: an offline fake of the InsurUp API.")
console = Console(stderr=True, soft_wrap=True)  # a message is one line, whatever the width (logs, grep)


class LogLevel(str, Enum):
    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"
    debug = "debug"
    trace = "trace"


def _base_url(value):
    """A --target as a base URL: ``127.0.0.1:8080`` means ``http://127.0.0.1:8080``; anything that is
    not an http(s) URL with a host is refused naming the option (never a traceback)."""
    from urllib.parse import urlsplit

    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [_base_url(v) for v in value]
    text = str(value).strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises on a port that is not a number in range)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise typer.BadParameter(f"{value!r} is not an http:// or https:// URL with a host")
    return text.rstrip("/")


def _version(value: bool) -> None:
    if value:
        print(f"insurup-sandbox {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit")] = False) -> None:
    """insurup-sandbox: an offline fake of the InsurUp API."""


@app.command()
def status(
    target: Annotated[str, typer.Option(help="The sandbox", envvar="INSURUP_SANDBOX_URL", callback=_base_url)] = "http://127.0.0.1:8080",
    json_out: Annotated[bool, typer.Option("--json", help="Print the health document as JSON")] = False,
) -> None:
    """Is a sandbox running there? Exit 0 when healthy, 1 otherwise."""
    import httpx

    try:
        health = httpx.get(target.rstrip("/") + "/__sandbox/health", timeout=5).json()
    except (httpx.HTTPError, ValueError) as exc:
        if json_out:
            print(json.dumps({"status": "down", "target": target, "error": str(exc)}))
        else:
            print(f"down  {target}: {'connection refused' if isinstance(exc, httpx.ConnectError) else exc}")
        raise typer.Exit(1) from None
    if json_out:
        print(json.dumps({**health, "target": target}))
    else:
        print(f"{health.get('status')}  {target}  version {health.get('version')}, {health.get('agents')} agents, "
              f"default agent {health.get('defaultAgentId')}")
    raise typer.Exit(0 if health.get("status") == "ok" else 1)


@app.command()
def wait(
    target: Annotated[str, typer.Option(help="The sandbox", envvar="INSURUP_SANDBOX_URL", callback=_base_url)] = "http://127.0.0.1:8080",
    timeout: Annotated[float, typer.Option(help="Give up after this many seconds", min=0)] = 30.0,
) -> None:
    """Wait until a sandbox answers healthy (for scripts and CI). Exit 1 on timeout."""
    import time

    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(target.rstrip("/") + "/__sandbox/health", timeout=2).json().get("status") == "ok":
                print(f"ready  {target}")
                raise typer.Exit(0)
        except (httpx.HTTPError, ValueError):
            pass
        if time.monotonic() >= deadline:
            console.print(f"error: {target} was not healthy within {timeout:g} s", markup=False)
            raise typer.Exit(1)
        time.sleep(0.2)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind (use 0.0.0.0 in a container)",
                                      envvar="INSURUP_SANDBOX_HOST", show_envvar=True)] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port (0: any free port)", min=0, max=65535,
                                      envvar="INSURUP_SANDBOX_PORT", show_envvar=True)] = 8080,
    seed: Annotated[Optional[int], typer.Option(help="Seed of the default agent's random source",
                                                envvar="INSURUP_SANDBOX_SEED", show_envvar=True)] = None,
    agent_id: Annotated[Optional[str], typer.Option("--agent-id", help="Id of the default agent (use the id your app is configured with)")] = None,
    agent_fixture: Annotated[Optional[Path], typer.Option(
        "--agent-fixture", envvar="INSURUP_SANDBOX_DEFAULT_AGENT_FIXTURE", show_envvar=True,
        help="YAML or JSON file for the default agent, in the POST /__sandbox/agents body format (agentId, seed, "
             "coverageGroups with ids, connections, customerMfa, ...); --agent-id wins over its agentId")] = None,
    log_level: Annotated[LogLevel, typer.Option(help="uvicorn log level", case_sensitive=False)] = "warning",  # type: ignore[assignment]
    access_log: Annotated[bool, typer.Option("--access-log", help="Print a line per request (uvicorn's access "
                                             "log); the request journal keeps them anyway")] = False,
    tls: Annotated[bool, typer.Option(
        "--tls", envvar="INSURUP_SANDBOX_TLS", show_envvar=True,
        help="Serve HTTPS with a certificate from a local CA the sandbox creates once (its ca.pem path is "
             "printed: trust it in your client). OAuth clients such as the SDK refuse plain HTTP")] = False,
    tls_dir: Annotated[Optional[Path], typer.Option(
        "--tls-dir", envvar="INSURUP_SANDBOX_TLS_DIR", show_envvar=True,
        help="Where the local CA and the server certificate live (default ~/.local/share/insurup-sandbox/tls)")] = None,
    tls_cert: Annotated[Optional[Path], typer.Option(
        "--tls-cert", help="Serve HTTPS with your own certificate chain (PEM) instead; needs --tls-key")] = None,
    tls_key: Annotated[Optional[Path], typer.Option("--tls-key", help="The private key (PEM) of --tls-cert")] = None,
    admin_token: Annotated[Optional[str], typer.Option(
        "--admin-token", envvar="INSURUP_SANDBOX_ADMIN_TOKEN", show_envvar=True,
        help="Token for sandbox-wide control calls; closes the control plane (default: open on loopback, "
             "a generated token elsewhere)")] = None,
    control_plane: Annotated[str, typer.Option(
        "--control-plane", envvar="INSURUP_SANDBOX_CONTROL_PLANE", show_envvar=True,
        help="auto (open on loopback without an admin token), open, or closed")] = "auto",
    public_agent_creation: Annotated[bool, typer.Option(
        "--public-agent-creation", envvar="INSURUP_SANDBOX_PUBLIC_AGENT_CREATION", show_envvar=True,
        help="On a closed control plane, let anyone create an agent of their own (it answers that agent's "
             "control token only)")] = False,
    data_dir: Annotated[Optional[Path], typer.Option(
        "--data-dir", envvar="INSURUP_SANDBOX_DATA_DIR", show_envvar=True,
        help="Keep the sandbox's state in this directory: every acknowledged write survives a restart or a "
             "kill -9 (default: in memory)")] = None,
    allowed_host: Annotated[Optional[list[str]], typer.Option(
        "--allowed-host", help="A name the sandbox answers for (the Host header; repeat it; * for any). Default: "
                               "the loopback names on a loopback bind, any name otherwise. "
                               "INSURUP_SANDBOX_ALLOWED_HOSTS takes them comma-separated")] = None,
) -> None:
    """Start the sandbox (in memory, or durable with --data-dir)."""
    import uvicorn
    from pydantic import ValidationError
    from rich.markup import escape

    from mockserver.core.errors import SandboxError
    from mockserver.core.settings import Settings
    from mockserver.http.app import create_app
    from mockserver.http.server import serve as run_server

    overrides: dict[str, object] = {"host": host, "port": port, "control_plane": control_plane,
                                    "public_agent_creation": public_agent_creation}
    if seed is not None:
        overrides["seed"] = seed
    if agent_id:
        overrides["default_agent_id"] = agent_id
    if agent_fixture:
        overrides["default_agent_fixture"] = str(agent_fixture)
    if admin_token:
        overrides["admin_token"] = admin_token
    if data_dir is not None:
        overrides["data_dir"] = str(data_dir)
    try:
        settings = Settings(**overrides)
        from mockserver.http.app import serving_hosts

        settings = settings.model_copy(update={"allowed_hosts": serving_hosts(settings, allowed_host)})
    except ValidationError as exc:
        for err in exc.errors():
            console.print(f"[red]error:[/] --{'-'.join(str(p) for p in err['loc']).replace('_', '-')}: {err['msg']}")
        raise typer.Exit(2) from None
    from mockserver.store import StoreError

    try:
        application = create_app(settings)
    except StoreError as exc:
        console.print("[red]error:[/] " + escape(str(exc)))
        raise typer.Exit(2) from None
    except SandboxError as exc:
        if not exc.field_errors:
            console.print("[red]error:[/] " + escape(exc.detail))
        else:
            console.print(f"[red]error:[/] the default agent cannot be made from {escape(str(agent_fixture))}:")
        for fe in exc.field_errors:
            console.print(f"  {escape(fe.property_name)}: {escape(fe.message)}")
        raise typer.Exit(2) from None
    sandbox = application.state.sandbox
    agent = sandbox.default_agent
    ssl: dict[str, str] = {}
    trust = None
    if tls_cert or tls_key:
        if not (tls_cert and tls_key):
            console.print("[red]error:[/] --tls-cert and --tls-key go together")
            raise typer.Exit(2)
        ssl = {"ssl_certfile": str(tls_cert), "ssl_keyfile": str(tls_key)}
    elif tls:
        from mockserver.security import tls as local_tls

        material = local_tls.ensure(tls_dir, host)
        ssl, trust = {"ssl_certfile": str(material.cert), "ssl_keyfile": str(material.key)}, material.ca
    from mockserver.http.server import bind

    try:
        sock = bind(host, port)
    except OSError as exc:
        reason = "is already in use" if exc.errno == 98 else f"cannot be bound ({exc.strerror})"
        console.print(f"error: {host}:{port} {reason}; choose another with --port", markup=False)
        raise typer.Exit(2) from None
    port = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"{'https' if ssl else 'http'}://{shown}:{port}"
    console.print(f"[bold]insurup-sandbox {__version__}[/] on [cyan]{base}[/]  (REST at {base}/api/…, with or without /api)")
    console.print(f"  default agent   [green]{agent.id}[/]  (seed {agent.seed})")
    console.print(f"  service account client_id=[green]{agent.client_id}[/] client_secret=[green]{agent.client_secret}[/]"
                  f"  → POST {base}/connect/token")
    console.print(f"  agent user      {agent.agent_user_email} / {agent.agent_user_password}")
    if trust is not None:
        console.print(f"  TLS             certificates from the sandbox's local CA; trust [green]{escape(str(trust))}[/] "
                      f"(NODE_EXTRA_CA_CERTS=…, SSL_CERT_FILE=…, curl --cacert …); issuer {base}")
    if agent_fixture:
        console.print(f"  agent fixture   {escape(str(agent_fixture))}: {len(agent.coverage_groups)} coverage groups, "
                      f"{len(agent.connections)} insurer connections, customer MFA {agent.fixture.customer_mfa}, "
                      f"payment types {agent.fixture.payment_types}")
    if sandbox.control_open:
        console.print(f"  control plane   [yellow]OPEN[/] (no token asked: {'loopback bind without an admin token' if control_plane == 'auto' else '--control-plane open'})"
                      f"  {base}/__sandbox/health · /__sandbox/agents/{agent.id}/sms · /__sandbox/magic")
    else:
        console.print("  control plane   [green]closed[/]: send X-Sandbox-Token on /__sandbox calls")
        if settings.admin_token:
            console.print("    admin token   the one given (not shown)")
        else:
            console.print(f"    admin token   [green]{sandbox.admin_token}[/] (generated for this run)")
        console.print(f"    default agent control token [green]{agent.control_token}[/]")
        if public_agent_creation:
            console.print("    anyone may create an agent: POST /__sandbox/agents answers its controlToken")
    if sandbox.store is not None:
        store = sandbox.store
        console.print(f"  data dir        {escape(str(store.dir))}: {store.seq} records"
                      + (", restoring them before the first answer" if store.seq else " (new)"))
    else:
        console.print("  state           in memory (--data-dir DIR keeps it across restarts)")
    sys.stderr.flush()
    config = uvicorn.Config(application, host=host, port=port, log_level=str(getattr(log_level, "value", log_level)),
                            access_log=access_log, lifespan="on", **ssl)
    if access_log:  # its lines are at INFO: asked for, they are printed whatever --log-level says of the rest
        import logging

        access = logging.getLogger("uvicorn.access")
        access.setLevel(min(access.level or logging.INFO, logging.INFO))
    run_server(config, settings, sock)


@app.command()
def scenario(
    paths: Annotated[list[Path], typer.Argument(help="Scenario files or directories (default: the shipped scenarios)")] = None,  # type: ignore[assignment]
    target: Annotated[Optional[str], typer.Option(help="Base URL to run against; default: an in-process sandbox", callback=_base_url)] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print results as JSON")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also print every step (to stderr)")] = False,
) -> None:
    """Run scenarios: a line per scenario and a summary on stdout, progress on stderr."""
    import asyncio

    import httpx

    from mockserver.scenario import report, run_all

    files = _scenario_files(paths)
    if target:
        try:
            httpx.get(target.rstrip("/") + "/", timeout=5)
        except httpx.ConnectError:
            console.print(f"error: {target}: connection refused (is the target running?)", markup=False)
            raise typer.Exit(2) from None
        except httpx.HTTPError:
            pass
    console.print(f"running {len(files)} scenarios against {target or 'an in-process sandbox'}", markup=False)
    results = asyncio.run(run_all(files, target))
    if json_out:
        print(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        for r in results:
            steps = [x for x in r.steps if x.status != "skipped"]
            if r.passed:
                print(f"PASS  {Path(r.file).stem}  ({len(steps)} steps)")
            else:
                bad = next(x for x in r.steps if x.status == "failed")
                print(f"FAIL  {Path(r.file).stem}  at '{bad.name}': {bad.message}")
        if verbose:
            report(results, console)
    passed = sum(r.passed for r in results)
    steps = [x for r in results for x in r.steps]
    summary = (f"{passed} of {len(results)} scenarios passed; steps {sum(x.status == 'passed' for x in steps)} passed, "
               f"{sum(x.status == 'failed' for x in steps)} failed, {sum(x.status == 'skipped' for x in steps)} skipped")
    (console.print(summary, markup=False) if json_out else print(summary))
    raise typer.Exit(0 if passed == len(results) else 1)


@app.command("export-contracts")
def export_contracts(
    out: Annotated[Path, typer.Option(help="Directory to write openapi.json and magic-values.json")] = Path("contracts"),
) -> None:
    """Regenerate contracts/openapi.json, contracts/magic-values.json and contracts/schema.graphql."""
    from mockserver.apidocs import write_contracts
    from mockserver.http.routes import ROUTES

    for path in write_contracts(out, ROUTES):
        console.print(f"wrote {path}")


@app.command()
def version() -> None:
    print(__version__)


contract_app = typer.Typer(add_completion=False, no_args_is_help=True,
                           help="The contract suite: record a target, verify the fake, diff two targets.")
app.add_typer(contract_app, name="contract")

ScenarioPaths = Annotated[Optional[list[Path]], typer.Option(
    "--scenario", "-s", help="Scenario files or directories, or the name of a scenario shipped with the package "
                             "(e.g. customer_otp_login; `contract where` lists them). Default: every shipped scenario")]


def _scenario_files(paths: Optional[list[Path]]) -> list[Path]:
    from mockserver.contract import resolve_scenarios

    try:
        files = resolve_scenarios(paths or [])
    except FileNotFoundError as exc:
        console.print(f"error: --scenario: {exc}", markup=False)
        raise typer.Exit(2) from None
    if not files:
        console.print("[red]error:[/] no scenario files found")
        raise typer.Exit(2)
    return files


def _options(allow_purchases: bool, max_requests: int | None, max_proposals: int | None, max_seconds: float | None):
    from mockserver.contract.record import Options
    from mockserver.contract.safety import Budget

    return Options(allow_purchases=allow_purchases,
                   budget=Budget(max_requests=max_requests, max_proposals=max_proposals, max_seconds=max_seconds))


_BUDGET = "(default: {real} against a real API, {sandbox} against a sandbox)"
MaxRequests = Annotated[Optional[int], typer.Option(min=1, help="Stop after this many requests " + _BUDGET.format(
    real=500, sandbox=5000))]
MaxProposals = Annotated[Optional[int], typer.Option(min=1, help="Stop after this many proposals " + _BUDGET.format(
    real=20, sandbox=200))]
MaxSeconds = Annotated[Optional[float], typer.Option(min=1, help="Stop after this many seconds " + _BUDGET.format(
    real=900, sandbox=1800))]


def _finish(comparisons, *, mode: str, expected: str, actual: str, errors: list[str], report_dir: Path,
            json_out: bool = False) -> None:
    from mockserver.contract import report as drift

    rep = drift.build(comparisons, mode=mode, expected=expected, actual=actual, errors=errors)
    paths = drift.write(rep, report_dir)
    for e in rep.errors:
        console.print(f"error: {e}", markup=False)
    s = rep.summary
    if json_out:
        print(json.dumps({"mode": mode, "expected": expected, "actual": actual, "failed": rep.failed,
                          "breaking": s.breaking, "waived": s.waived, "parity": s.parity, "steps": s.steps,
                          "scenarios": s.scenarios, "findings": dict(s.findings), "errors": rep.errors,
                          "reports": [str(x) for x in paths]}))
        raise typer.Exit(1 if rep.failed else 0)
    print(f"drift: {s.breaking} breaking, {s.waived} waived, parity {s.parity:.1%} over {s.steps} steps in "
          f"{s.scenarios} scenarios; {', '.join(f'{k} {v}' for k, v in sorted(s.findings.items())) or 'no differences'}"
          f"; report {paths[1]}")
    raise typer.Exit(1 if rep.failed else 0)


@contract_app.command("record")
def contract_record(
    target: Annotated[str, typer.Option(help="Base URL to record (the real API, or a served sandbox)", callback=_base_url)],
    scenario: ScenarioPaths = None,
    out: Annotated[Path, typer.Option(help="Directory of the recordings")] = Path("contracts/recordings"),
    allow_purchases: Annotated[bool, typer.Option("--allow-purchases", help="Let purchase scenarios buy against a "
                                                  "real target (also needs INSURUP_CONTRACT_ALLOW_PURCHASES=<today>)")] = False,
    max_requests: MaxRequests = None,
    max_proposals: MaxProposals = None,
    max_seconds: MaxSeconds = None,
) -> None:
    """Run the scenarios against TARGET and write one redacted recording per scenario."""
    import asyncio

    from mockserver.contract.record import run_target, write_recordings

    files = _scenario_files(scenario)
    try:
        runs = asyncio.run(run_target(files, target_url=target,
                                      options=_options(allow_purchases, max_requests, max_proposals, max_seconds)))
    except ConnectionError as exc:
        console.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    written = write_recordings(runs, out, target, sandbox=bool(runs) and runs[0].sandbox)
    failed = [f"{r.scenario} / {s.name}: {s.message}" for r in runs for s in r.result.steps if s.status == "failed"]
    for line in failed:
        console.print(f"failed: {line}", markup=False)
    skipped = [f"{r.scenario} ({r.skipped})" for r in runs if r.skipped]
    if skipped:
        console.print(f"skipped {len(skipped)} scenarios: {', '.join(skipped)}", markup=False)
    if runs.error:
        console.print(f"error: {runs.error}", markup=False)
    print(f"recorded {len(written)} scenarios from {target} into {out} ({len(failed)} failed steps)")
    raise typer.Exit(1 if failed or runs.error else 0)


@contract_app.command("verify")
def contract_verify(
    recordings: Annotated[Path, typer.Option(help="Directory of the recordings")] = Path("contracts/recordings"),
    scenario: ScenarioPaths = None,
    waivers: Annotated[Path, typer.Option(help="Waiver file")] = Path("contracts/drift-waivers.yaml"),
    report_dir: Annotated[Path, typer.Option(help="Where the JSON, HTML and JUnit reports go")] = Path("drift-report"),
    drift_profile: Annotated[Optional[str], typer.Option(help="Verify a sandbox started with this drift profile "
                                                         "(to see the suite catch planted drift)")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON")] = False,
) -> None:
    """Replay the recorded scenarios against the fake (offline) and compare: what CI runs."""
    from mockserver.contract.compare import load_waivers
    from mockserver.contract.record import verify

    if not recordings.is_dir() or not any(recordings.glob("*.json")):
        console.print(f"error: no recordings in {recordings}; make them with `contract record --target URL`",
                      markup=False)
        raise typer.Exit(2)
    live_waivers, errors = load_waivers(waivers)
    app_ = None
    if drift_profile:
        from mockserver.core.settings import Settings
        from mockserver.http.app import create_app

        app_ = create_app(Settings(drift_profile=drift_profile))
    comparisons = verify(recordings, _scenario_files(scenario), app=app_, waivers=live_waivers)
    _finish(comparisons, mode="verify", expected=str(recordings), actual="sandbox (in-process)", errors=errors,
            report_dir=report_dir, json_out=json_out)


@contract_app.command("diff")
def contract_diff(
    target: Annotated[list[str], typer.Option(help="Two base URLs: the expected side first", callback=_base_url)],
    scenario: ScenarioPaths = None,
    waivers: Annotated[Path, typer.Option(help="Waiver file")] = Path("contracts/drift-waivers.yaml"),
    report_dir: Annotated[Path, typer.Option(help="Where the JSON, HTML and JUnit reports go")] = Path("drift-report"),
    allow_purchases: Annotated[bool, typer.Option("--allow-purchases")] = False,
    max_requests: MaxRequests = None,
    max_proposals: MaxProposals = None,
    max_seconds: MaxSeconds = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON")] = False,
) -> None:
    """Run the scenarios against two live targets side by side and compare them (each side has its own
    budget)."""
    from mockserver.contract.compare import load_waivers
    from mockserver.contract.record import diff

    if len(target) != 2:
        console.print("error: give exactly two --target URLs (expected first)", markup=False)
        raise typer.Exit(2)
    live_waivers, errors = load_waivers(waivers)
    try:
        comparisons = diff(target[0], target[1], _scenario_files(scenario), waivers=live_waivers,
                           options=_options(allow_purchases, max_requests, max_proposals, max_seconds))
    except ConnectionError as exc:
        console.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    _finish(comparisons, mode="diff", expected=target[0], actual=target[1], errors=errors, report_dir=report_dir,
            json_out=json_out)


@contract_app.command("noise")
def contract_noise(
    target: Annotated[str, typer.Option(help="The target to run twice", callback=_base_url)],
    scenario: ScenarioPaths = None,
    out: Annotated[Optional[Path], typer.Option(help="Write the proposed waivers here (default: print them)")] = None,
    max_requests: MaxRequests = None,
    max_proposals: MaxProposals = None,
    max_seconds: MaxSeconds = None,
) -> None:
    """Run the scenarios twice against one target and propose waivers for what differs between the
    two runs (noise to review, never applied silently)."""
    from mockserver.contract.record import diff, noise

    try:
        comparisons = diff(target, target, _scenario_files(scenario),
                           options=_options(False, max_requests, max_proposals, max_seconds))
    except ConnectionError as exc:
        console.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    text = noise(comparisons, target)
    count = text.count("reason:")
    if out:
        out.write_text(text, "utf-8")
        print(f"{count} differences between two runs of {target}: proposed waivers in {out} (review them)")
    else:
        print(text, end="")
        console.print(f"{count} differences between two runs of {target}", markup=False)


@contract_app.command("where")
def contract_where() -> None:
    """Print the directory of the scenarios shipped with the package."""
    from mockserver.contract import scenario_dir

    print(scenario_dir())


@contract_app.command("scan")
def contract_scan(paths: Annotated[list[Path], typer.Argument(help="Recording files or directories")]) -> None:
    """Check recordings for anything redaction should have removed (tokens, cards, identities...)."""
    from mockserver.core.pseudonyms import scan

    files = [f for p in paths for f in (sorted(p.glob("*.json")) if p.is_dir() else [p])]
    hits = [(f, where, kind) for f in files for where, kind in scan(json.loads(f.read_text("utf-8")))]
    for f, where, kind in hits:
        print(f"{f}: {where}: {kind}")
    print(f"scanned {len(files)} recordings: {len(hits)} findings")
    raise typer.Exit(1 if hits else 0)


@app.command()
def tail(
    agent: Annotated[str, typer.Argument(help="The agent id (GET /__sandbox/health names the default one)")],
    target: Annotated[str, typer.Option(help="The sandbox", envvar="INSURUP_SANDBOX_URL", callback=_base_url)] = "http://127.0.0.1:8080",
    forward_to: Annotated[Optional[str], typer.Option(
        "--forward-to", help="Also POST every webhook event to this URL (your local app), like `stripe listen`")] = None,
    seconds: Annotated[Optional[float], typer.Option(help="Stop after this many seconds (default: until Ctrl-C)")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
) -> None:
    """Follow an agent live: SMS codes, domain events and webhook attempts as they happen."""
    import time

    import httpx

    base = target.rstrip("/") + f"/__sandbox/agents/{agent}"
    token = os.environ.get("INSURUP_SANDBOX_TOKEN") or os.environ.get("INSURUP_SANDBOX_ADMIN_TOKEN")
    client = httpx.Client(timeout=10, headers={"X-Sandbox-Token": token} if token else {})
    seen_sms: set[str] = set()
    attempts: dict[str, int] = {}
    since = 0

    def emit(kind: str, text: str, data: dict) -> None:
        print(json.dumps({"kind": kind, **data}, ensure_ascii=False) if json_out else f"{kind:<6} {text}", flush=True)

    try:
        first = client.get(f"{base}/events", params={"since": 0})
        first.raise_for_status()
        since = max((e["sequence"] for e in first.json()), default=0)  # from now on
        seen_sms = {s["id"] for s in client.get(f"{base}/sms").json()}
        attempts = {d["id"]: len(d["attempts"]) for d in client.get(f"{base}/webhook-deliveries").json()}
    except httpx.ConnectError:
        console.print(f"error: {target}: connection refused", markup=False)
        raise typer.Exit(2) from None
    except httpx.HTTPStatusError as exc:
        console.print(f"error: {exc.response.status_code} {exc.response.text[:200]}", markup=False)
        raise typer.Exit(2) from None
    console.print(f"following agent {agent} on {target}" + (f", forwarding webhooks to {forward_to}" if forward_to
                                                           else "") + " (Ctrl-C stops)", markup=False)
    ends = time.monotonic() + seconds if seconds is not None else None
    try:
        while ends is None or time.monotonic() < ends:
            for s in client.get(f"{base}/sms").json():
                if s["id"] not in seen_sms:
                    seen_sms.add(s["id"])
                    emit("sms", f"{s['to']}  {s.get('code') or s['text']}", {"to": s["to"], "code": s.get("code")})
            for e in client.get(f"{base}/events", params={"since": since}).json():
                since = max(since, e["sequence"])
                emit("event", f"{e['event']}  {e['occurredAt']}", {"event": e["event"], "payload": e["payload"]})
                if forward_to:
                    try:
                        r = httpx.post(forward_to, json=e["payload"], timeout=10,
                                       headers={"x-webhook-event": e["event"], "User-Agent": "insurup-sandbox tail"})
                        emit("fwd", f"{e['event']} -> {forward_to}: {r.status_code}", {"status": r.status_code})
                    except httpx.HTTPError as exc:
                        emit("fwd", f"{e['event']} -> {forward_to}: {type(exc).__name__}", {"error": str(exc)})
            for d in client.get(f"{base}/webhook-deliveries").json():
                for t in d["attempts"][attempts.get(d["id"], 0):]:
                    emit("hook", f"{d['event']}  attempt {t['attempt']}: {t['responseStatusCode'] or t['error']} "
                                 f"({t['durationMs']:.0f} ms)", {"event": d["event"], "attempt": t})
                attempts[d["id"]] = len(d["attempts"])
            time.sleep(0.3)
    except KeyboardInterrupt:
        pass
    except httpx.HTTPError as exc:
        console.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None


certify_app = typer.Typer(add_completion=False, no_args_is_help=True,
                          help="Partner certification: open a session, drive its modules, get the report.")
app.add_typer(certify_app, name="certify")
Target = Annotated[str, typer.Option(help="The running sandbox", envvar="INSURUP_SANDBOX_URL", callback=_base_url)]


def _control(target: str, method: str, path: str, **kw):
    import httpx

    headers = {}
    token = os.environ.get("INSURUP_SANDBOX_TOKEN") or os.environ.get("INSURUP_SANDBOX_ADMIN_TOKEN")
    if token:
        headers["X-Sandbox-Token"] = token
    try:
        r = httpx.request(method, target.rstrip("/") + path, headers=headers, timeout=30, **kw)
    except httpx.ConnectError:
        console.print(f"error: {target}: connection refused (start it with `insurup-sandbox serve`)", markup=False)
        raise typer.Exit(2) from None
    if r.status_code >= 400:
        console.print(f"error: {method} {path}: {r.status_code} {_problem_text(r)}", markup=False)
        raise typer.Exit(2)
    return r.json() if r.content else None


def _problem_text(r) -> str:
    """A problem body as one line: its detail and each field it names."""
    try:
        body = r.json()
    except ValueError:
        return r.text[:300]
    if not isinstance(body, dict):
        return r.text[:300]
    fields = "; ".join(f"{e.get('propertyName')}: {e.get('errorMessage')}" for e in body.get("validationErrors") or [])
    return " ".join(x for x in (body.get("detail") or body.get("title") or "", fields) if x)[:600]


def _read_file(option: str, path: Path, kind: str = "json") -> Any:
    """A file an option names, parsed; a clear error naming the option otherwise (never a traceback)."""
    import yaml

    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        console.print(f"error: {option} {path}: no such file", markup=False)
        raise typer.Exit(2) from None
    except (OSError, UnicodeDecodeError) as exc:
        console.print(f"error: {option} {path}: cannot be read ({getattr(exc, 'strerror', None) or exc})",
                      markup=False)
        raise typer.Exit(2) from None
    try:
        return json.loads(text) if kind == "json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        console.print(f"error: {option} {path}: not valid {kind.upper()} ({str(exc).splitlines()[0]})", markup=False)
        raise typer.Exit(2) from None


JsonOut = Annotated[bool, typer.Option("--json", help="Print the answer as JSON")]


def _print_status(status: dict, json_out: bool = False) -> None:
    if json_out:
        print(json.dumps(status, ensure_ascii=False))
        return
    for m in status["modules"]:
        print(f"{'seen   ' if m['seen'] else 'pending'}  {m['id']}: {m['title']}" + ("" if m["seen"] else f" ({m['how']})"))


@certify_app.command("start")
def certify_start(
    partner: Annotated[str, typer.Option(help="The partner's name, as the certificate will say it")],
    plan: Annotated[str, typer.Option(help="The plan")] = "web-sales",
    scope: Annotated[Optional[Path], typer.Option(help="YAML: {branches, channels, paymentTypes, coverageGroups}; "
                                                  "`certify example-scope` prints a documented example")] = None,
    target: Target = "http://127.0.0.1:8080",
    json_out: JsonOut = False,
) -> None:
    """Open a certification session on a running sandbox: a dedicated agent for the partner's site."""
    declared = _read_file("--scope", scope, "yaml") if scope else {}
    if declared is not None and not isinstance(declared, dict):
        console.print(f"error: --scope {scope}: a scope is a mapping of branches, channels, paymentTypes and "
                      "coverageGroups (see `insurup-sandbox certify example-scope`)", markup=False)
        raise typer.Exit(2)
    declared = dict(declared or {})
    groups = declared.pop("coverageGroups", None)
    created = _control(target, "POST", "/__sandbox/certifications",
                       json={"partner": partner, "plan": plan, "scope": declared or None, "coverageGroups": groups})
    if json_out:
        _print_status(created, True)
        return
    print(f"session {created['sessionId']} for {partner} ({created['plan']}@{created['version']})")
    print(f"  point your site at {created['baseUrl']} with agentId {created['agentId']}")
    print(f"  service account {created['serviceAccount']['clientId']} / {created['serviceAccount']['clientSecret']}")
    print(f"  control token   {created['controlToken']} (X-Sandbox-Token for this session's control calls)")
    _print_status(created)
    print(f"then: insurup-sandbox certify report {created['sessionId']}")


@certify_app.command("status")
def certify_status(session: Annotated[str, typer.Argument(help="The session id")], target: Target = "http://127.0.0.1:8080",
                   json_out: JsonOut = False) -> None:
    """Which modules the session's traffic shows so far."""
    _print_status(_control(target, "GET", f"/__sandbox/certifications/{session}"), json_out)


@certify_app.command("steer")
def certify_steer(
    session: Annotated[str, typer.Argument(help="The session id")],
    lying_callback: Annotated[int, typer.Option("--lying-callback", help="The next N callbacks say success=true "
                                                "whatever the payment did")] = 0,
    advance: Annotated[float, typer.Option(help="Move the session's clock forward (seconds): tokens expire")] = 0.0,
    failing_insurer: Annotated[Optional[list[int]], typer.Option(
        "--failing-insurer", help="Insurer id whose quotes fail on the first attempt in the next proposals")] = None,
    target: Target = "http://127.0.0.1:8080",
    json_out: JsonOut = False,
) -> None:
    """Steer an adversarial moment of the session."""
    body = {k: v for k, v in (("lyingCallbacks", lying_callback or None), ("advanceSeconds", advance or None),
                              ("failingInsurers", failing_insurer or None)) if v}
    if not body:
        console.print("error: say --lying-callback N or --advance SECONDS", markup=False)
        raise typer.Exit(2)
    _print_status(_control(target, "POST", f"/__sandbox/certifications/{session}/steer", json=body), json_out)


@certify_app.command("report")
def certify_report(
    session: Annotated[Optional[str], typer.Argument(help="The session id (or give --evidence)")] = None,
    evidence: Annotated[Optional[Path], typer.Option(help="Re-make the report offline from a saved, signed "
                                                     "evidence.json")] = None,
    keys: Annotated[Optional[Path], typer.Option(help="The sandbox's key set (its "
                                                 "/.well-known/sandbox-certification-keys.json), to check --evidence "
                                                 "offline; default: fetched from --target")] = None,
    out: Annotated[Path, typer.Option(help="Where the certificate, HTML, JUnit and evidence go")] = Path("certification"),
    target: Target = "http://127.0.0.1:8080",
    json_out: JsonOut = False,
) -> None:
    """Evaluate the session's traffic and write the report (exit 1 unless certifiable). From a session,
    the sandbox signs the evidence and the certificate; from --evidence, the evidence's signature is
    checked first and a report of unsigned or edited evidence is refused (exit 2)."""
    from mockserver.certify.report import Certificate, certify, write
    from mockserver.certify.signing import EVIDENCE_TYPE, SignatureInvalid, verify

    key_set = _key_set(keys, target)
    if evidence is not None:
        data = _read_file("--evidence", evidence)
        try:
            verify(data if isinstance(data, dict) else {}, key_set, EVIDENCE_TYPE)
        except SignatureInvalid as exc:
            console.print(f"error: --evidence {evidence}: refused: {exc}", markup=False)
            raise typer.Exit(2) from None
        cert = certify(data)
    elif session:
        made = _control(target, "POST", f"/__sandbox/certifications/{session}/report")
        data, cert = made["evidence"], Certificate.model_validate(made["certificate"])
    else:
        console.print("error: give a session id or --evidence FILE", markup=False)
        raise typer.Exit(2)
    paths = write(cert, data, out, key_set)
    if json_out:
        print(json.dumps({"partner": cert.partner, "certifiable": cert.certifiable, "counts": cert.counts,
                          "signed": cert.signature is not None,
                          "results": [{"rule": r.rule, "result": r.result, "title": r.title, "message": r.message}
                                      for r in cert.results], "reports": [str(x) for x in paths]}, ensure_ascii=False))
        raise typer.Exit(0 if cert.certifiable else 1)
    for r in cert.results:
        print(f"{r.result:<13} {r.rule}  {r.title}: {r.message}")
    counts = ", ".join(f"{k} {v}" for k, v in sorted(cert.counts.items()))
    print(f"{cert.partner}: {'certifiable' if cert.certifiable else 'not certifiable'} ({counts}); report {paths[1]}")
    raise typer.Exit(0 if cert.certifiable else 1)


def _key_set(keys: Optional[Path], target: str) -> dict:
    """The key set signatures are checked against: a file the user trusts, or the target's own."""
    from mockserver.certify.signing import WELL_KNOWN

    if keys is not None:
        found = _read_file("--keys", keys)
    else:
        found = _control(target, "GET", WELL_KNOWN)
    if not isinstance(found, dict) or not isinstance(found.get("keys"), list):
        console.print(f"error: --keys {keys or target}: not a JSON Web Key Set ({{\"keys\": [...]}})", markup=False)
        raise typer.Exit(2)
    return found


@certify_app.command("verify")
def certify_verify(
    certificate: Annotated[Path, typer.Argument(help="A certificate.json")],
    evidence: Annotated[Optional[Path], typer.Option(help="Its evidence.json (needed for a certificate re-made "
                                                     "offline; checked against the certificate when given)")] = None,
    keys: Annotated[Optional[Path], typer.Option(help="The sandbox's key set; default: fetched from --target")] = None,
    target: Target = "http://127.0.0.1:8080",
) -> None:
    """Check a certificate: signed by the sandbox and unchanged (or re-made from signed evidence that
    earns exactly it). Exit 0: valid and certifiable; 1: valid but not certifiable or expired; 2: not
    valid (unsigned, edited, or signed by another key)."""
    import datetime as dt

    from mockserver.certify.report import Certificate, certify
    from mockserver.certify.signing import CERTIFICATE_TYPE, EVIDENCE_TYPE, SignatureInvalid, digest, verify

    key_set = _key_set(keys, target)
    document = _read_file("certificate", certificate)
    try:
        cert = Certificate.model_validate(document)
    except ValueError as exc:
        console.print(f"error: {certificate}: not a certificate ({str(exc).splitlines()[0]})", markup=False)
        raise typer.Exit(2) from None
    try:
        if cert.signature:
            verify(document, key_set, CERTIFICATE_TYPE)
        elif evidence is None:
            raise SignatureInvalid("it is not signed by the sandbox: a certificate re-made offline is checked with "
                                   "its evidence (--evidence)")
        if evidence is not None:
            data = _read_file("--evidence", evidence)
            verify(data if isinstance(data, dict) else {}, key_set, EVIDENCE_TYPE)
            if digest(data) != cert.evidenceHash:
                raise SignatureInvalid("it was not made from this evidence (the evidence hash differs)")
            again = certify(data)
            if again.model_dump(exclude={"signature", "sandboxVersion"}) != cert.model_dump(
                    exclude={"signature", "sandboxVersion"}):
                raise SignatureInvalid("its results are not the ones its evidence earns")
    except SignatureInvalid as exc:
        console.print(f"error: {certificate}: not valid: {exc}", markup=False)
        raise typer.Exit(2) from None
    expired = cert.expires is not None and cert.expires < dt.date.today()
    how = "signed by the sandbox" if cert.signature else "re-made from signed evidence"
    if cert.certifiable and not expired:
        print(f"valid ({how}): {cert.partner} is certifiable for {cert.plan}@{cert.version}, issued {cert.issued}, "
              f"expires {cert.expires}")
        raise typer.Exit(0)
    print(f"valid ({how}): {cert.partner} is {'certifiable, but the certificate expired on ' + str(cert.expires) if expired else 'not certifiable'}")
    raise typer.Exit(1)


@certify_app.command("example-scope")
def certify_example_scope() -> None:
    """Print the documented example scope file (for certify start --scope)."""
    from mockserver.certify.scope import EXAMPLE

    print(EXAMPLE.read_text("utf-8"), end="")


# ----------------------------------------------------------------------------- agents and the journal
agents_app = typer.Typer(add_completion=False, no_args_is_help=True,
                         help="The agents of a running sandbox: list, create, reset, delete, export, import.")
app.add_typer(agents_app, name="agents")


def _table(columns: list[str], rows: list[list[str]], title: str | None = None) -> None:
    from rich.table import Table

    table = Table(*columns, title=title, header_style="bold", show_lines=False)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


@agents_app.command("list")
def agents_list(target: Target = "http://127.0.0.1:8080", json_out: JsonOut = False) -> None:
    """Every agent: id, name, market, its clock and what it holds."""
    agents = _control(target, "GET", "/__sandbox/agents")
    if json_out:
        print(json.dumps(agents, ensure_ascii=False))
        return
    _table(["agent", "name", "market", "clock", "customers", "vehicles", "properties", "client id"],
           [[a["agentId"] + (" (default)" if a.get("isDefault") else ""), a["name"], a["market"], a["clock"]["now"],
             str(a["counts"]["customers"]), str(a["counts"]["vehicles"]), str(a["counts"]["properties"]),
             a["serviceAccount"]["clientId"]] for a in agents], title=f"{len(agents)} agents at {target}")


@agents_app.command("create")
def agents_create(
    fixture: Annotated[Optional[Path], typer.Option(help="An agent fixture (YAML or JSON), as serve --agent-fixture "
                                                  "takes")] = None,
    name: Annotated[Optional[str], typer.Option(help="The agent's name")] = None,
    seed: Annotated[Optional[int], typer.Option(help="The agent's seed")] = None,
    target: Target = "http://127.0.0.1:8080",
    json_out: JsonOut = False,
) -> None:
    """Create an isolated agent and print its credentials."""
    import yaml

    body = yaml.safe_load(fixture.read_text("utf-8")) if fixture else {}
    if not isinstance(body, dict):
        console.print(f"error: {fixture}: an agent fixture is a mapping", markup=False)
        raise typer.Exit(2)
    body.update({k: v for k, v in (("name", name), ("seed", seed)) if v is not None})
    _print_agent(_control(target, "POST", "/__sandbox/agents", json=body), "", json_out)


def _print_agent(created: dict, origin: str, json_out: bool) -> None:
    """A created agent and its credentials, for a person or (``--json``) a script."""
    if json_out:
        print(json.dumps(created, ensure_ascii=False))
        return
    print(f"agent {created['agentId']} ({created['name']}) {origin}".rstrip())
    print(f"  service account {created['serviceAccount']['clientId']} / {created['serviceAccount']['clientSecret']}")
    print(f"  agent user      {created['agentUser']['email']} / {created['agentUser']['password']}")
    print(f"  control token   {created['controlToken']}  clock {created['clock']['now']}")


@agents_app.command("reset")
def agents_reset(agent: Annotated[str, typer.Argument(help="The agent id")], target: Target = "http://127.0.0.1:8080",
                 json_out: JsonOut = False) -> None:
    """Forget everything the agent was told (id and credentials kept; its tokens stop working)."""
    answer = _control(target, "POST", f"/__sandbox/agents/{agent}/reset")
    print(json.dumps(answer, ensure_ascii=False) if json_out else f"reset {agent}")


@agents_app.command("delete")
def agents_delete(agent: Annotated[str, typer.Argument(help="The agent id")], target: Target = "http://127.0.0.1:8080",
                  json_out: JsonOut = False) -> None:
    """Delete an agent and all it holds."""
    _control(target, "DELETE", f"/__sandbox/agents/{agent}")
    print(json.dumps({"deleted": agent}) if json_out else f"deleted {agent}")


@agents_app.command("export")
def agents_export(
    agent: Annotated[str, typer.Argument(help="The agent id")],
    out: Annotated[Optional[Path], typer.Option(help="Write the snapshot here (default: standard output)")] = None,
    redact: Annotated[bool, typer.Option("--redact", help="Mask identity numbers, phones, e-mails, birth dates "
                                         "and names (a file to share)")] = False,
    target: Target = "http://127.0.0.1:8080",
) -> None:
    """The agent as a versioned snapshot file (everything it holds, its clock and random stream)."""
    doc = _control(target, "GET", f"/__sandbox/agents/{agent}/snapshot", params={"redact": str(redact).lower()})
    text = json.dumps(doc, ensure_ascii=False)
    if out is None:
        print(text)
        return
    out.write_text(text, "utf-8")
    counts = ", ".join(f"{v} {k}" for k, v in doc.get("counts", {}).items() if v)
    console.print(f"wrote {out}: agent {agent} ({counts or 'empty'}){' redacted' if redact else ''}", markup=False)


@agents_app.command("import")
def agents_import(
    snapshot: Annotated[str, typer.Argument(help="A snapshot file, or the name of a shipped snapshot "
                                            "(kasko-quoted, kasko-policy, home-quoted)")],
    agent_id: Annotated[Optional[str], typer.Option("--agent-id", help="The new agent's id (default: a new one)")] = None,
    target: Target = "http://127.0.0.1:8080",
    json_out: JsonOut = False,
) -> None:
    """Make a new agent from a snapshot: its own id and credentials, the snapshot's state and clock."""
    path = Path(snapshot)
    if path.is_file():
        try:
            given: object = json.loads(path.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            console.print(f"error: {path}: not a snapshot file ({exc})", markup=False)
            raise typer.Exit(2) from None
    elif "/" in snapshot or snapshot.endswith(".json"):
        console.print(f"error: {snapshot}: no such file", markup=False)
        raise typer.Exit(2)
    else:
        given = snapshot
    body: dict[str, object] = {"snapshot": given}
    if agent_id:
        body["agentId"] = agent_id
    _print_agent(_control(target, "POST", "/__sandbox/agents", json=body), f"from {snapshot}", json_out)


_STATUS_CLASSES = {"2xx": (200, 300), "3xx": (300, 400), "4xx": (400, 500), "5xx": (500, 600), "failed": (400, 600)}


@app.command()
def journal(
    agent: Annotated[Optional[str], typer.Option(help="One agent's journal (default: the whole sandbox's)")] = None,
    status: Annotated[Optional[str], typer.Option(help="2xx, 3xx, 4xx, 5xx, failed, or an exact status")] = None,
    path: Annotated[Optional[str], typer.Option(help="Only paths containing this")] = None,
    limit: Annotated[int, typer.Option(help="The newest N entries", min=1, max=10_000)] = 30,
    target: Target = "http://127.0.0.1:8080",
    json_out: JsonOut = False,
) -> None:
    """The request journal: every request, refused ones and token calls included, newest last; a refusal
    with its problem detail and the near-miss hints it carries."""
    if status is not None and status not in _STATUS_CLASSES and not (status.isdigit() and len(status) == 3):
        console.print(f"error: --status {status!r}: say 2xx, 3xx, 4xx, 5xx, failed or a status such as 404",
                      markup=False)
        raise typer.Exit(2)
    entries = _control(target, "GET", f"/__sandbox/agents/{agent}/journal" if agent else "/__sandbox/journal")
    if status in _STATUS_CLASSES:
        low, high = _STATUS_CLASSES[status]
    else:
        low, high = (int(status), int(status) + 1) if status else (0, 1000)
    picked = [e for e in entries if low <= e["status"] < high and (not path or path in e["path"])][-limit:]
    if json_out:
        print(json.dumps(picked, ensure_ascii=False))
        return
    rows = []
    for e in picked:
        body = e.get("responseBody") if e["status"] >= 400 else None
        why = ""
        if isinstance(body, dict):
            hints = [h for h in body.get("suggestions") or [] if "did you mean" in h or h.startswith("Nearest")]
            why = " ".join([str(body.get("detail") or ""), *hints]).strip()
        rows.append([e["at"], str(e["status"]), f"{e['method']} {e['path']}", f"{e['durationMs']:.1f}", why])
    _table(["at (agent clock)", "status", "request", "ms", "why"], rows,
           title=f"{len(picked)} of {len(entries)} requests" + (f" of agent {agent}" if agent else ""))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
