"""``insurup-sandbox contract``: record, verify and diff the packaged scenarios against two targets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from mockserver.cli.common import base_url, console, read_file


contract_app = typer.Typer(add_completion=False, no_args_is_help=True,
                           help="The contract suite: record a target, verify the fake, diff two targets.")


ScenarioPaths = Annotated[Optional[list[Path]], typer.Option(
    "--scenario", "-s", help="Scenario files or directories, or the name of a scenario shipped with the package "
                             "(e.g. customer_otp_login; `contract where` lists them). Default: every shipped scenario")]


def scenario_files(paths: Optional[list[Path]]) -> list[Path]:
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
    target: Annotated[str, typer.Option(help="Base URL to record (the real API, or a served sandbox)", callback=base_url)],
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

    files = scenario_files(scenario)
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
    comparisons = verify(recordings, scenario_files(scenario), app=app_, waivers=live_waivers)
    _finish(comparisons, mode="verify", expected=str(recordings), actual="sandbox (in-process)", errors=errors,
            report_dir=report_dir, json_out=json_out)


@contract_app.command("diff")
def contract_diff(
    target: Annotated[list[str], typer.Option(help="Two base URLs: the expected side first", callback=base_url)],
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
        comparisons = diff(target[0], target[1], scenario_files(scenario), waivers=live_waivers,
                           options=_options(allow_purchases, max_requests, max_proposals, max_seconds))
    except ConnectionError as exc:
        console.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    _finish(comparisons, mode="diff", expected=target[0], actual=target[1], errors=errors, report_dir=report_dir,
            json_out=json_out)


@contract_app.command("noise")
def contract_noise(
    target: Annotated[str, typer.Option(help="The target to run twice", callback=base_url)],
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
        comparisons = diff(target, target, scenario_files(scenario),
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
    hits = [(f, where, kind) for f in files for where, kind in scan(read_file("recording", f))]
    for f, where, kind in hits:
        print(f"{f}: {where}: {kind}")
    print(f"scanned {len(files)} recordings: {len(hits)} findings")
    raise typer.Exit(1 if hits else 0)
