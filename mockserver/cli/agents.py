"""``insurup-sandbox agents``: list, create, reset, delete, export and import a running sandbox's agents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from mockserver.cli.common import JsonOut, Target, console, control, table, read_file


# ----------------------------------------------------------------------------- agents and the journal
agents_app = typer.Typer(add_completion=False, no_args_is_help=True,
                         help="The agents of a running sandbox: list, create, reset, delete, export, import.")


@agents_app.command("list")
def agents_list(target: Target = "http://127.0.0.1:8080", json_out: JsonOut = False) -> None:
    """Every agent: id, name, market, its clock and what it holds."""
    agents = control(target, "GET", "/__sandbox/agents")
    if json_out:
        print(json.dumps(agents, ensure_ascii=False))
        return
    table(["agent", "name", "market", "clock", "customers", "vehicles", "properties", "client id"],
           [[a["agentId"] + (" (default)" if a.get("isDefault") else ""), a["name"], a["market"], a["clock"]["now"],
             str(a["counts"]["customers"]), str(a["counts"]["vehicles"]), str(a["counts"]["properties"]),
             a["serviceAccount"]["clientId"]] for a in agents], title=f"{len(agents)} agents at {target}",
          whole=("agent", "client id"))


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
    body = read_file("--fixture", fixture, "yaml") if fixture else {}
    if not isinstance(body, dict):
        console.print(f"error: {fixture}: an agent fixture is a mapping", markup=False)
        raise typer.Exit(2)
    body.update({k: v for k, v in (("name", name), ("seed", seed)) if v is not None})
    _print_agent(control(target, "POST", "/__sandbox/agents", json=body), "", json_out)


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
    answer = control(target, "POST", f"/__sandbox/agents/{agent}/reset")
    print(json.dumps(answer, ensure_ascii=False) if json_out else f"reset {agent}")


@agents_app.command("delete")
def agents_delete(agent: Annotated[str, typer.Argument(help="The agent id")], target: Target = "http://127.0.0.1:8080",
                  json_out: JsonOut = False) -> None:
    """Delete an agent and all it holds."""
    control(target, "DELETE", f"/__sandbox/agents/{agent}")
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
    if out is not None and (out.is_dir() or not out.parent.is_dir()):
        console.print(f"error: --out {out}: " + ("is a directory; name a file" if out.is_dir() else
                                                 f"no directory {out.parent}"), markup=False)
        raise typer.Exit(2)
    doc = control(target, "GET", f"/__sandbox/agents/{agent}/snapshot", params={"redact": str(redact).lower()})
    text = json.dumps(doc, ensure_ascii=False)
    if out is None:
        print(text)
        return
    try:
        out.write_text(text, "utf-8")
    except OSError as exc:
        console.print(f"error: --out {out}: cannot be written ({exc.strerror or exc})", markup=False)
        raise typer.Exit(2) from None
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
    _print_agent(control(target, "POST", "/__sandbox/agents", json=body), f"from {snapshot}", json_out)
