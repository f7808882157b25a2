"""Serving the sandbox and watching it: serve, status, wait, tail, journal, scenario, export-contracts, version."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from mockserver import __version__
from mockserver.cli.contract import scenario_files
from mockserver.cli.common import JsonOut, LogLevel, Target, base_url, console, control, table


app = typer.Typer(add_completion=False)  # (its commands join the main app at the top level)


@app.command()
def status(
    target: Annotated[str, typer.Option(help="The sandbox", envvar="INSURUP_SANDBOX_URL", callback=base_url)] = "http://127.0.0.1:8080",
    json_out: Annotated[bool, typer.Option("--json", help="Print the health document as JSON")] = False,
) -> None:
    """Is a sandbox running there? Exit 0 when ready, 1 otherwise (down, or still starting)."""
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
    elif health.get("status") == "starting":
        print(f"starting  {target}  version {health.get('version')}: the port is open and the app still loading "
              "(requests sent now wait for it)")
    else:
        print(f"{health.get('status')}  {target}  version {health.get('version')}, {health.get('agents')} agents, "
              f"default agent {health.get('defaultAgentId')}")
    raise typer.Exit(0 if health.get("status") == "ok" else 1)


@app.command()
def wait(
    target: Annotated[str, typer.Option(help="The sandbox", envvar="INSURUP_SANDBOX_URL", callback=base_url)] = "http://127.0.0.1:8080",
    timeout: Annotated[float, typer.Option(help="Give up after this many seconds", min=0)] = 30.0,
) -> None:
    """Wait until a sandbox is ready: its health says ok (for scripts and CI). Exit 1 on timeout."""
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
            console.print(f"error: {target} was not ready within {timeout:g} s", markup=False)
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

    from mockserver.core.settings import Settings
    from mockserver.http.boot import Boot, allowed_hosts, serving_hosts
    from mockserver.http.server import bind, server

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
        settings = settings.model_copy(update={"allowed_hosts": serving_hosts(settings.host, settings.allowed_hosts,
                                                                              allowed_host)})
    except ValidationError as exc:
        for err in exc.errors():
            console.print(f"[red]error:[/] --{'-'.join(str(p) for p in err['loc']).replace('_', '-')}: {err['msg']}")
        raise typer.Exit(2) from None
    ssl: dict[str, str] = {}
    trust = None
    if tls_cert or tls_key:
        if not (tls_cert and tls_key):
            console.print("[red]error:[/] --tls-cert and --tls-key go together")
            raise typer.Exit(2)
        ssl = {"ssl_certfile": str(tls_cert), "ssl_keyfile": str(tls_key)}
        _check_tls(tls_cert, tls_key)
    elif tls:
        from mockserver.security import tls as local_tls

        material = local_tls.ensure(tls_dir, host)
        ssl, trust = {"ssl_certfile": str(material.cert), "ssl_keyfile": str(material.key)}, material.ca
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
    sys.stderr.flush()

    def load():  # in a thread, while the port already answers health (mockserver.http.boot)
        from mockserver.http.app import create_app

        return create_app(settings)

    def failed(exc: BaseException) -> None:
        _cannot_start(exc, agent_fixture)
        running.should_exit = True

    boot = Boot(load, version=__version__, allowed=allowed_hosts(settings.allowed_hosts), failed=failed,
                ready=lambda application: _banner(application.state.sandbox, settings, base, trust=trust,
                                                  agent_fixture=agent_fixture, control_plane=control_plane,
                                                  public_agent_creation=public_agent_creation))
    config = uvicorn.Config(boot, host=host, port=port, log_level=str(getattr(log_level, "value", log_level)),
                            access_log=access_log, lifespan="on", interface="asgi3", **ssl)
    if access_log:  # its lines are at INFO: asked for, they are printed whatever --log-level says of the rest
        import logging

        access = logging.getLogger("uvicorn.access")
        access.setLevel(min(access.level or logging.INFO, logging.INFO))
    running = server(config, settings)
    running.run(sockets=[sock])
    if boot.failure is not None:
        raise typer.Exit(2)


def _cannot_start(exc: BaseException, agent_fixture: Optional[Path]) -> None:
    """Why the app could not be made (a data directory it cannot use, a default agent's fixture)."""
    from rich.markup import escape

    from mockserver.core.errors import SandboxError
    from mockserver.store import StoreError

    if isinstance(exc, StoreError):
        console.print("[red]error:[/] " + escape(str(exc)))
    elif isinstance(exc, SandboxError):
        if not exc.field_errors:
            console.print("[red]error:[/] " + escape(exc.detail))
        else:
            console.print(f"[red]error:[/] the default agent cannot be made from {escape(str(agent_fixture))}:")
        for fe in exc.field_errors:
            console.print(f"  {escape(fe.property_name)}: {escape(fe.message)}")
    else:
        import traceback

        console.print("[red]error:[/] the sandbox could not start: " + escape(f"{type(exc).__name__}: {exc}"))
        traceback.print_exception(exc, file=sys.stderr)
    sys.stderr.flush()


def _banner(sandbox, settings, base: str, *, trust: Optional[Path], agent_fixture: Optional[Path], control_plane: str,
            public_agent_creation: bool) -> None:
    """The rest of the banner, once the app is ready: the default agent, its credentials, the control plane."""
    from rich.markup import escape

    agent = sandbox.default_agent
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
                      + (", restored before the first answer" if store.seq else " (new)"))
    else:
        console.print("  state           in memory (--data-dir DIR keeps it across restarts)")
    sys.stderr.flush()


@app.command()
def scenario(
    paths: Annotated[list[Path], typer.Argument(help="Scenario files or directories (default: the shipped scenarios)")] = None,  # type: ignore[assignment]
    target: Annotated[Optional[str], typer.Option(help="Base URL to run against; default: an in-process sandbox", callback=base_url)] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print results as JSON")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also print every step (to stderr)")] = False,
) -> None:
    """Run scenarios: a line per scenario and a summary on stdout, progress on stderr."""
    import asyncio

    import httpx

    from mockserver.contract.runner import report, run_all

    files = scenario_files(paths)
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

    if out.exists() and not out.is_dir():
        console.print(f"error: --out {out}: is a file; name a directory", markup=False)
        raise typer.Exit(2)
    try:
        written = write_contracts(out, ROUTES)
    except OSError as exc:
        console.print(f"error: --out {out}: cannot be written ({exc.strerror or exc})", markup=False)
        raise typer.Exit(2) from None
    for path in written:
        console.print(f"wrote {path}")


def _check_tls(cert: Path, key: Path) -> None:
    """--tls-cert and --tls-key load as a certificate and its key, or a clear error names them."""
    import ssl

    for option, path in (("--tls-cert", cert), ("--tls-key", key)):
        if not path.is_file():
            console.print(f"error: {option} {path}: no such file", markup=False)
            raise typer.Exit(2)
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(str(cert), str(key))
    except (ssl.SSLError, OSError) as exc:
        console.print(f"error: --tls-cert {cert} with --tls-key {key}: not a PEM certificate and its key "
                      f"({getattr(exc, 'reason', None) or exc})", markup=False)
        raise typer.Exit(2) from None


@app.command()
def version() -> None:
    print(__version__)


@app.command()
def tail(
    agent: Annotated[str, typer.Argument(help="The agent id (GET /__sandbox/health names the default one)")],
    target: Annotated[str, typer.Option(help="The sandbox", envvar="INSURUP_SANDBOX_URL", callback=base_url)] = "http://127.0.0.1:8080",
    forward_to: Annotated[Optional[str], typer.Option(
        "--forward-to", callback=base_url, help="Also POST the agent's webhook events to this URL (your local app), "
        "signed as the sandbox signs deliveries, like `stripe listen`")] = None,
    secret: Annotated[Optional[str], typer.Option(
        help="The secret forwarded events are signed with (your app's webhook secret; default: a new one, printed)")]
    = None,
    events: Annotated[Optional[str], typer.Option(
        help="Comma-separated events to forward (policy.created or POLICY_CREATED, …; default: every event a webhook "
             "may subscribe to)")] = None,
    seconds: Annotated[Optional[float], typer.Option(help="Stop after this many seconds (default: until Ctrl-C)")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
) -> None:
    """Follow an agent live: SMS codes, domain events and webhook attempts as they happen."""
    import time

    import httpx

    from mockserver.domain import webhooks

    wanted = _forwarded_events(events)
    if forward_to and not secret:
        import secrets as _secrets

        secret = "whsec_" + _secrets.token_urlsafe(24)
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
    if forward_to:
        console.print(f"forwarded events are signed with {secret} (x-webhook-signature: lowercase hex HMAC-SHA256 of "
                      "the body); an event a webhook of the agent already delivers to that URL is not sent twice",
                      markup=False)
    ends = time.monotonic() + seconds if seconds is not None else None
    try:
        while ends is None or time.monotonic() < ends:
            for s in client.get(f"{base}/sms").json():
                if s["id"] not in seen_sms:
                    seen_sms.add(s["id"])
                    emit("sms", f"{s['to']}  {s.get('code') or s['text']}", {"to": s["to"], "code": s.get("code")})
            fresh = client.get(f"{base}/events", params={"since": since}).json()
            # read after the events: a delivery is queued as its event is recorded, so every event just
            # read finds its deliveries here (read before, an event arriving in between would be sent twice)
            deliveries = client.get(f"{base}/webhook-deliveries").json()
            for e in fresh:
                since = max(since, e["sequence"])
                emit("event", f"{e['event']}  {e['occurredAt']}", {"event": e["event"], "payload": e["payload"]})
                if forward_to and e["event"] in wanted and not _delivered_there(deliveries, e, forward_to):
                    body = json.dumps(e["payload"], ensure_ascii=False, separators=(",", ":")).encode()
                    delivery = f"tail-{agent[:8]}-{e['sequence']}"
                    try:
                        r = httpx.post(forward_to, content=body, timeout=10, headers={
                            "Content-Type": "application/json; charset=utf-8",
                            "User-Agent": "InsurUp-Webhooks (sandbox tail)", "x-webhook-event": e["event"],
                            "x-webhook-id": "tail", "x-webhook-delivery": delivery,
                            "x-webhook-signature": webhooks.sign(secret, body)})
                        emit("fwd", f"{e['event']} -> {forward_to}: {r.status_code}",
                             {"event": e["event"], "delivery": delivery, "status": r.status_code})
                    except httpx.HTTPError as exc:
                        emit("fwd", f"{e['event']} -> {forward_to}: {type(exc).__name__}",
                             {"event": e["event"], "delivery": delivery, "error": str(exc)})
            for d in deliveries:
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


def _forwarded_events(given: str | None) -> frozenset[str]:
    """--events as the sandbox names them (policy.created), or every event a webhook may subscribe to."""
    from mockserver.domain import webhooks

    deliverable = [e for e in webhooks.EVENTS if e not in webhooks.INTERNAL]
    if not given:
        return frozenset(deliverable)
    names = [n.strip() for n in given.split(",") if n.strip()]
    unknown = [n for n in names if n not in deliverable and webhooks.SDK_NAMES.get(n.upper()) not in deliverable]
    if unknown or not names:
        console.print(f"error: --events {given!r}: {', '.join(unknown) or 'no event'} is not an event a webhook may "
                      f"subscribe to ({', '.join(deliverable)})", markup=False)
        raise typer.Exit(2)
    return frozenset(n if n in deliverable else webhooks.SDK_NAMES[n.upper()] for n in names)


def _delivered_there(deliveries: list[dict], event: dict, url: str) -> bool:
    """Whether a webhook of the agent delivers this event to ``url`` already (the app would get it twice)."""
    from mockserver.domain.webhooks import sdk_name

    return any(d.get("webhookUrl", "").rstrip("/") == url.rstrip("/") and d["event"] == sdk_name(event["event"])
               and d["createdAt"] == event["occurredAt"] for d in deliveries)


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
    entries = control(target, "GET", f"/__sandbox/agents/{agent}/journal" if agent else "/__sandbox/journal")
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
        when = e["at"] if agent else _wall(e.get("wall"))
        rows.append([when, *([] if agent else [e.get("agentId") or "-"]), str(e["status"]),
                     f"{e['method']} {e['path']}", f"{e['durationMs']:.1f}", why])
    columns = ["at (agent clock)"] if agent else ["at (UTC)", "agent"]  # agents' clocks differ: the sandbox's runs by wall time
    table([*columns, "status", "request", "ms", "why"], rows, whole=("agent",),
          title=f"{len(picked)} of {len(entries)} requests" + (f" of agent {agent}" if agent else ", oldest first"))


def _wall(seconds: float | None) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] if seconds else "-"
