"""The command line as a script or a CI job uses it: version, clear refusals of bad values and busy
ports, status and wait."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from tests import live

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mockserver.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", **(env or {})})


def test_version_and_bad_values_are_clear_not_tracebacks():
    from mockserver import __version__

    assert cli("--version").stdout.strip() == f"insurup-sandbox {__version__}"
    for args, words in ((("serve", "--port", "70000"), "--port"), (("serve", "--log-level", "loud"), "--log-level")):
        done = cli(*args)
        assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr
    done = cli("serve", env={"INSURUP_SANDBOX_PORT": "-1"})
    assert done.returncode == 2 and "INSURUP_SANDBOX_PORT" in done.stderr


def test_a_busy_port_is_named_and_status_and_wait_see_a_running_sandbox():
    with live.serve() as (base, _, _proc):
        port = base.rsplit(":", 1)[1]
        busy = cli("serve", "--port", port)
        assert busy.returncode == 2 and f"127.0.0.1:{port} is already in use" in busy.stderr
        assert "insurup-sandbox 0" not in busy.stderr  # no banner for a server that never started
        ready = cli("wait", "--target", base, "--timeout", "5")
        assert ready.returncode == 0 and ready.stdout.startswith("ready")
        up = cli("status", "--target", base, "--json")
        assert up.returncode == 0 and '"status": "ok"' in up.stdout
    dead = f"http://127.0.0.1:{live.free_port()}"
    assert cli("status", "--target", dead).returncode == 1
    late = cli("wait", "--target", dead, "--timeout", "0.5")
    assert late.returncode == 1 and "not ready within 0.5 s" in late.stderr


def test_serve_takes_its_port_from_the_environment_and_any_free_port():
    port = live.free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mockserver.cli", "serve"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200",
                                                                    "INSURUP_SANDBOX_PORT": str(port)})
    try:
        assert cli("wait", "--target", f"http://127.0.0.1:{port}", "--timeout", "20").returncode == 0
    finally:
        proc.terminate()
        proc.wait(10)
    proc = subprocess.Popen([sys.executable, "-m", "mockserver.cli", "serve", "--port", "0"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={"PATH": "/usr/bin:/bin", "COLUMNS": "300"})
    try:
        first = proc.stderr.readline()
        assert "on http://127.0.0.1:" in first and ":0 " not in first
        chosen = first.split("http://127.0.0.1:")[1].split()[0]
        assert cli("wait", "--target", f"http://127.0.0.1:{chosen}", "--timeout", "20").returncode == 0
    finally:
        proc.terminate()
        proc.wait(10)


def test_the_plugin_loads_without_the_sandbox_and_serves_a_real_port(insurup_server):
    import httpx

    done = subprocess.run([sys.executable, "-c", "import sys, mockserver.testing; "
                           "sys.exit(int('mockserver.http.app' in sys.modules))"], capture_output=True, timeout=60)
    assert done.returncode == 0, "loading the plugin imported the sandbox"
    assert insurup_server.startswith("http://127.0.0.1:")
    assert httpx.get(insurup_server + "/__sandbox/health").json()["status"] == "ok"


def test_tail_follows_an_agent_and_forwards_webhook_events(insurup_server):
    import httpx

    from mockserver.receiver import Receiver
    from tests.conftest import fresh_phone, fresh_tckn

    agent = httpx.post(insurup_server + "/__sandbox/agents", json={}).json()["agentId"]
    receiver = Receiver()
    proc = subprocess.Popen([sys.executable, "-m", "mockserver.cli", "tail", agent, "--target", insurup_server,
                             "--forward-to", receiver.url, "--secret", "app-webhook-secret-2026", "--seconds", "6",
                             "--json"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={"PATH": "/usr/bin:/bin"})
    try:
        assert "following agent" in proc.stderr.readline()
        assert "signed with app-webhook-secret-2026" in proc.stderr.readline()
        phone = fresh_phone()
        httpx.post(insurup_server + "/api/auth/customer/login-or-register", json={
            "$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
            "phoneNumber": {"number": phone, "countryCode": 90}, "agentId": agent})
        out, _ = proc.communicate(timeout=30)
    finally:
        proc.kill()
        receiver.close()
    import json as _json

    lines = [_json.loads(x) for x in out.splitlines() if x.strip()]
    sms = [x for x in lines if x["kind"] == "sms"]
    code = httpx.get(f"{insurup_server}/__sandbox/agents/{agent}/sms").json()[-1]["code"]
    assert sms and sms[0]["code"] == code
    assert any(x["kind"] == "event" and x["event"] == "customer.created" for x in lines)
    assert any(x["kind"] == "fwd" and x["status"] == 200 for x in lines)
    assert receiver.requests and receiver.requests[0].headers.get("x-webhook-event") == "customer.created"
    # as the sandbox signs a delivery (HMAC-SHA256 of the body with the app's secret), with a delivery id
    import hashlib
    import hmac

    first = receiver.requests[0]
    assert first.headers["x-webhook-signature"] == hmac.new(b"app-webhook-secret-2026", first.body,
                                                            hashlib.sha256).hexdigest()
    assert first.headers["x-webhook-delivery"].startswith("tail-")
    assert len({r.headers["x-webhook-delivery"] for r in receiver.requests}) == len(receiver.requests)


def test_tail_refuses_a_bad_forward_url_or_event_before_it_starts():
    for args, named in ((("--forward-to", "ftp://app.test/hooks"), "--forward-to"),
                        (("--forward-to", "http://127.0.0.1:1/hooks", "--events", "policy.exploded"), "--events")):
        done = cli("tail", "some-agent", "--target", "http://127.0.0.1:1", *args)
        assert done.returncode == 2 and named in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_agents_and_journal_commands_print_tables_or_json(insurup_server):
    import json as _json

    import httpx

    made = cli("agents", "create", "--name", "CLI Acente", "--seed", "7", "--target", insurup_server, "--json")
    assert made.returncode == 0, made.stderr
    agent = _json.loads(made.stdout)
    assert agent["name"] == "CLI Acente" and agent["seed"] == 7
    listed = cli("agents", "list", "--target", insurup_server, "--json")
    assert agent["agentId"] in [a["agentId"] for a in _json.loads(listed.stdout)]
    table = cli("agents", "list", "--target", insurup_server)
    assert table.returncode == 0 and "CLI Acente" in table.stdout and "agents at" in table.stdout
    token = httpx.post(insurup_server + "/connect/token", data={
        "grant_type": "client_credentials", "client_id": agent["serviceAccount"]["clientId"],
        "client_secret": agent["serviceAccount"]["clientSecret"]}).json()["access_token"]
    httpx.get(insurup_server + "/api/customer/me", headers={"Authorization": f"Bearer {token}"})
    for width in ("120", "80"):  # an id a reader copies is never cut, however narrow the terminal
        narrow = cli("agents", "list", "--target", insurup_server, env={"COLUMNS": width})
        assert agent["agentId"] in narrow.stdout and agent["serviceAccount"]["clientId"] in narrow.stdout, narrow.stdout
    everyone = cli("journal", "--target", insurup_server, "--path", "/api/customer/me", env={"COLUMNS": "120"})
    assert agent["agentId"] in everyone.stdout and "at (UTC)" in everyone.stdout, everyone.stdout
    failed = cli("journal", "--agent", agent["agentId"], "--status", "failed", "--target", insurup_server, "--json")
    entries = _json.loads(failed.stdout)
    assert [e["path"] for e in entries] == ["/api/customer/me"] and entries[0]["status"] == 404
    shown = cli("journal", "--agent", agent["agentId"], "--target", insurup_server)
    assert "/connect/token" in shown.stdout and "Nearest endpoints" in shown.stdout and token not in shown.stdout
    assert cli("agents", "reset", agent["agentId"], "--target", insurup_server).stdout.startswith("reset ")
    assert cli("agents", "delete", agent["agentId"], "--target", insurup_server).returncode == 0
    gone = cli("agents", "delete", agent["agentId"], "--target", insurup_server)
    assert gone.returncode == 2 and "404" in gone.stderr and "Traceback" not in gone.stderr


def test_every_file_option_names_itself_when_the_file_is_wrong(insurup_server, tmp_path):
    """A missing file, one that does not parse, or a directory behind any option that reads or writes a
    file: exit 2 with the option named, never a traceback."""
    broken = tmp_path / "broken.json"
    broken.write_text("{", "utf-8")
    missing = tmp_path / "missing.yaml"
    target = ("--target", insurup_server)
    cases = [
        (("certify", "start", "--partner", "X", "--scope", str(missing), *target), "--scope"),
        (("certify", "start", "--partner", "X", "--scope", str(broken), *target), "--scope"),
        (("agents", "create", "--fixture", str(missing), *target), "--fixture"),
        (("agents", "create", "--fixture", str(broken), *target), "--fixture"),
        (("agents", "create", "--fixture", str(tmp_path), *target), "--fixture"),
        (("agents", "export", "some-agent", "--out", str(tmp_path / "no" / "such.json"), *target), "--out"),
        (("agents", "export", "some-agent", "--out", str(tmp_path), *target), "--out"),
        (("contract", "scan", str(missing)), str(missing)),
        (("contract", "scan", str(broken)), str(broken)),
        (("serve", "--port", "0", "--tls-cert", str(missing), "--tls-key", str(missing)), "--tls-cert"),
        (("serve", "--port", "0", "--tls-cert", str(broken), "--tls-key", str(broken)), "--tls-cert"),
        (("export-contracts", "--out", str(broken)), "--out"),
    ]
    for args, named in cases:
        done = cli(*args)
        said = done.stderr + done.stdout
        assert done.returncode == 2 and named in said and "Traceback" not in said, (args, said[-500:])


def test_a_closed_control_plane_names_the_variable_to_set():
    with live.serve("--admin-token", "cli-admin-token-2026") as (base, _, _proc):
        refused = cli("agents", "list", "--target", base)
        assert refused.returncode == 2 and "INSURUP_SANDBOX_TOKEN" in refused.stderr, refused.stderr
        allowed = cli("agents", "list", "--target", base, env={"INSURUP_SANDBOX_TOKEN": "cli-admin-token-2026"})
        assert allowed.returncode == 0 and "agents at" in allowed.stdout, allowed.stderr


def test_tail_does_not_forward_what_a_webhook_of_the_agent_delivers_there_already(insurup_server):
    import json as _json

    import httpx

    from mockserver.receiver import Receiver
    from tests.conftest import fresh_phone, fresh_tckn

    made = httpx.post(insurup_server + "/__sandbox/agents", json={}).json()
    sa = made["serviceAccount"]
    token = httpx.post(insurup_server + "/connect/token", data={
        "grant_type": "client_credentials", "client_id": sa["clientId"], "client_secret": sa["clientSecret"],
        "scope": "core-api"}).json()["access_token"]
    receiver = Receiver()
    hook = httpx.post(insurup_server + "/api/webhooks", headers={"Authorization": f"Bearer {token}"},
                      json={"url": receiver.url, "events": ["customer.created"], "secret": "app-secret-0001"})
    assert hook.status_code == 200, hook.text
    proc = subprocess.Popen([sys.executable, "-m", "mockserver.cli", "tail", made["agentId"], "--target",
                             insurup_server, "--forward-to", receiver.url, "--events", "customer.created",
                             "--seconds", "5", "--json"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={"PATH": "/usr/bin:/bin"})
    try:
        assert "following agent" in proc.stderr.readline()
        httpx.post(insurup_server + "/api/auth/customer/login-or-register", json={
            "$type": "individual", "identityNumber": fresh_tckn(), "birthDate": "1990-01-01",
            "phoneNumber": {"number": fresh_phone(), "countryCode": 90}, "agentId": made["agentId"]})
        out, _ = proc.communicate(timeout=30)
    finally:
        proc.kill()
        receiver.close()
    lines = [_json.loads(x) for x in out.splitlines() if x.strip()]
    assert any(x["kind"] == "event" and x["event"] == "customer.created" for x in lines)
    assert not any(x["kind"] == "fwd" for x in lines)  # the agent's own webhook delivered it there
    created = [r for r in receiver.requests if r.headers.get("x-webhook-event") == "customer.created"]
    assert len(created) == 1 and not created[0].headers["x-webhook-delivery"].startswith("tail-")


def test_a_test_written_from_the_readme_alone_passes_in_a_fresh_directory(tmp_path):
    """The README's pytest examples, as they are printed there, in a directory of their own: the
    plugin loads from the installed package, and the live server serves the agent the in-process
    helpers made (one sandbox behind every fixture)."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## In CI", 1)[1].split("\n## ", 1)[0]
    blocks = [textwrap.dedent(b) for b in re.findall(r"```python\n(.*?)```", section, re.S)]
    assert len(blocks) >= 2 and any("insurup_server" in b for b in blocks)
    imports = [line for b in blocks for line in b.splitlines() if line.startswith(("import ", "from "))]
    bodies = ["\n".join(line for line in b.splitlines() if not line.startswith(("import ", "from "))) for b in blocks]
    (tmp_path / "test_from_readme.py").write_text("\n".join(dict.fromkeys(imports)) + "\n\n\n" + "\n\n".join(bodies))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_from_readme.py"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         env={k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")})
    said = re.sub(r"eyJ[\w-]+\.[\w-]+\.[\w-]+", "<a token>", run.stdout[-3000:] + run.stderr[-2000:])
    assert run.returncode == 0, said
    assert f"{len(blocks)} passed" in run.stdout
