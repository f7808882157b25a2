"""Running scenarios for the contract suite: capture (redacted at the source), record to disk,
verify the fake against committed recordings, and diff two live targets."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from mockserver import __version__
from mockserver.contract import safety
from mockserver.contract.compare import Finding, StepComparison, apply_waivers, compare_steps
from mockserver.contract.normalise import NORMALISER_VERSION, Normaliser
from mockserver.core import pseudonyms
from mockserver.core.clock import turkish_day, wall
from mockserver.core.pseudonyms import Redactor
from mockserver.contract.spec import ScenarioError, load_scenario
from mockserver.contract.runner import ScenarioResult, run_scenario
from mockserver.contract.targets import Target
from mockserver.contract.values import StepFailed

SCHEMA_VERSION = 1


class RecordedStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    step: str
    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: Any = None
    calls: int = Field(1, description="requests the step sent (polls, pages, repeats); the last answer is kept")
    sortBy: dict[str, Any] | None = None
    compare: str | None = None
    ordered: list[str] | None = Field(None, description="lists of this answer whose order is compared")
    query: str | None = Field(None, description="the GraphQL document of a /graphql step (redacted)")


class Provenance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str
    baseUrl: str = Field(description="the base URL the answers' absolute links start with")
    sandbox: bool
    recordedAt: str
    runDate: dt.date
    sandboxVersion: str
    normaliserVersion: str
    contentHash: str = Field(description="sha256 of the steps as written")


class Outcome(BaseModel):
    step: str
    status: str
    message: str = ""


class Recording(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schemaVersion: int = SCHEMA_VERSION
    scenario: str
    name: str
    safety: str
    provenance: Provenance
    steps: list[RecordedStep]
    outcome: list[Outcome]


@dataclass
class Run:
    """One scenario on one target: its result and the answers of its steps (already redacted)."""

    scenario: str
    path: Path
    name: str
    safety: str
    result: ScenarioResult
    steps: list[dict[str, Any]] = field(default_factory=list)
    base_url: str = ""
    # the day of the run in Turkey, where the API's "today" is (the sandbox's too): a recording made at
    # 22:30 UTC and one made the next morning both see a default policy start of +0 days
    run_date: dt.date = field(default_factory=lambda: turkish_day(wall()))
    sandbox: bool = True
    skipped: str | None = None  # why the whole scenario did not run on this target


class Runs(list):
    """The runs of one target, and what stopped it early: a spent budget is never a silent partial run."""

    def __init__(self, runs: list[Run] | None = None, target: str = ""):
        super().__init__(runs or [])
        self.target = target
        self.stopped: str | None = None
        self.not_run: list[str] = []

    @property
    def error(self) -> str | None:
        if self.stopped is None:
            return None
        rest = f"; {len(self.not_run)} scenarios did not run: {', '.join(self.not_run)}" if self.not_run else ""
        return f"{self.target}: {self.stopped}{rest}"


@dataclass
class Options:
    allow_purchases: bool = False
    budget: safety.Budget = field(default_factory=safety.Budget)
    seed: int = 7


class Refused(StepFailed):
    """The safety rules or the budgets stopped the run."""


async def _capture(path: Path, target: Target, options: Options, real: bool) -> Run:
    try:
        scenario, _raw = load_scenario(path)
    except ScenarioError as exc:
        result = ScenarioResult(str(path), path.stem, target.label)
        from mockserver.contract.runner import StepResult

        result.steps.append(StepResult("load", "failed", str(exc)))
        return Run(path.stem, path, path.stem, "read_only", result)
    redactor = Redactor()
    run = Run(path.stem, path, scenario.name, scenario.safety, ScenarioResult(str(path), scenario.name, target.label),
              base_url=str(target.client.base_url).rstrip("/"), sandbox=not real)
    by_step: dict[str, dict[str, Any]] = {}
    purchases_ok = safety.purchases_allowed(options.allow_purchases)
    if real and scenario.sandboxOnly:
        run.skipped = "sandbox-only (control plane, clock or magic values)"
    elif real and scenario.safety == "purchases" and not purchases_ok:
        run.skipped = f"buys a policy: needs --allow-purchases and {safety.PURCHASE_ENV}=<today>"

    def guard(method: str, url: str, _vars: Any) -> None:
        try:
            safety.check(method, url, scenario.safety, real=real, purchases_ok=purchases_ok)
            options.budget.charge(method, url)
        except safety.Refused as exc:
            raise Refused(f"refused: {exc}") from None

    def observer(exchange: dict[str, Any]) -> None:
        options.budget.answered(exchange["status"]) if real else None
        name = exchange["step"] or "?"
        previous = by_step.get(name)
        entry = {"step": name, "method": exchange["method"], "path": redactor.text(exchange["path"]),
                 "status": exchange["status"], "headers": redactor.headers(exchange["headers"]),
                 "body": redactor.value(exchange["body"]), "calls": (previous or {}).get("calls", 0) + 1,
                 "sortBy": exchange.get("sortBy"), "compare": exchange.get("compare"),
                 "ordered": exchange.get("ordered"),
                 "query": redactor.text(exchange["query"]) if exchange.get("query") else None}
        if previous is None:
            run.steps.append(entry)
        else:
            run.steps[run.steps.index(previous)] = entry
        by_step[name] = entry

    target.guard, target.observer, target.purchases_ok = guard, observer, purchases_ok
    try:
        run.result = await run_scenario(path, target, seed=options.seed, redactor=redactor)
    except safety.Refused as exc:  # a 5xx burst: raised from the observer
        from mockserver.contract.runner import StepResult

        run.result.steps.append(StepResult("budget", "failed", f"refused: {exc}"))
    finally:
        target.guard = target.observer = None
        target.purchases_ok = False
    return run


def _budget_spent(run: Run) -> str | None:
    for s in run.result.steps:
        if s.status == "failed" and s.message.startswith("refused:") and ("budget spent" in s.message
                                                                          or "server errors in a row" in s.message):
            return s.message.removeprefix("refused: ")
    return None


async def run_target(files: list[Path], *, target_url: str | None = None, app: Any = None,
                     options: Options | None = None) -> Runs:
    """Every scenario on one target (a URL, or the in-process sandbox). A spent budget stops the run
    and says so (``Runs.error``), naming the budget and the scenarios that did not run."""
    options = options or Options()
    if target_url:
        client = httpx.AsyncClient(base_url=target_url.rstrip("/"), timeout=30)
        label = target_url
    else:
        if app is None:
            from mockserver.http.app import create_app

            app = create_app()
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox.local", timeout=30)
        label = "in-process"
    runs = Runs(target=label)
    async with client:
        is_sandbox = True
        if target_url:
            try:
                probe = await client.get("/__sandbox/health")
                is_sandbox = probe.status_code == 200 and "defaultAgentId" in probe.text
            except httpx.ConnectError as exc:
                raise ConnectionError(f"{target_url}: connection refused ({exc})") from None
            except httpx.HTTPError:
                is_sandbox = False
        target = Target(client, label, is_sandbox)
        options.budget.resolve(real=not is_sandbox)
        for i, path in enumerate(files):
            runs.append(await _capture(path, target, options, real=not is_sandbox))
            spent = _budget_spent(runs[-1])
            if spent:  # a spent budget stops the whole run, and the run says so
                runs.stopped = spent
                runs.not_run = [p.stem for p in files[i + 1:]]
                break
    return runs


def to_recording(run: Run, target: str, sandbox: bool) -> Recording:
    steps = [RecordedStep(**s) for s in run.steps]
    digest = hashlib.sha256(json.dumps([s.model_dump() for s in steps], sort_keys=True, default=str).encode())
    return Recording(scenario=run.scenario, name=run.name, safety=run.safety, steps=steps,
                     outcome=[Outcome(step=s.name, status=s.status, message=s.message) for s in run.result.steps],
                     provenance=Provenance(target=target, baseUrl=run.base_url, sandbox=sandbox,
                                           recordedAt=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                                           runDate=run.run_date, sandboxVersion=__version__,
                                           normaliserVersion=NORMALISER_VERSION, contentHash=digest.hexdigest()))


def write_recordings(runs: list[Run], directory: Path, target: str, sandbox: bool) -> list[Path]:
    """One recording per scenario that ran (a scenario skipped as a whole on this target has none)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for run in runs:
        if run.skipped:
            continue
        out = directory / f"{run.scenario}.json"
        out.write_text(json.dumps(to_recording(run, target, sandbox).model_dump(mode="json"), indent=1,
                                  ensure_ascii=False) + "\n", "utf-8")
        written.append(out)
    return written


def read_recording(path: Path) -> Recording:
    return Recording.model_validate_json(path.read_text("utf-8"))


# ----------------------------------------------------------------------------- schema conformance
@lru_cache(maxsize=1)
def _response_models() -> dict[str, Any]:
    from mockserver.http.routes import ROUTES
    return {f"{s.method} {s.path}": s.response_model for s in ROUTES if s.response_model is not None}


def conformance(steps: list[dict[str, Any]], fake: bool = False) -> dict[str, list[Finding]]:
    """Per step: where a 2xx answer does not fit the sandbox's published response model (REST) or
    SDL (GraphQL). Codes: ``openapi``, ``sdl``, ``sdl_validation``; ``…_fake`` for the fake's own."""
    from mockserver.contract import gqlcheck

    suffix = "_fake" if fake else ""
    out: dict[str, list[Finding]] = {}
    for s in steps:
        if s.get("query"):
            found_gql = gqlcheck.check(s["query"], s.get("body"))
            for f in found_gql:
                f.code += suffix
            if found_gql:
                out[s["step"]] = found_gql
            continue
        found = safety.operation(s["method"], s["path"])
        model = _response_models().get(found[0]) if found else None
        if model is None or not 200 <= s["status"] < 300 or s.get("body") is None:
            continue
        try:
            TypeAdapter(model).validate_python(pseudonyms.typed(s["body"]))
        except ValidationError as exc:
            out[s["step"]] = [Finding("schema", "openapi" + suffix, "warning",
                                      "$." + ".".join(str(p) for p in e["loc"]), e["type"], e["msg"])
                              for e in exc.errors()[:10]]
    return out


# ----------------------------------------------------------------------------- comparison
@dataclass
class ScenarioComparison:
    scenario: str
    name: str
    steps: list[StepComparison]
    expected_outcome: list[Outcome]
    actual_outcome: list[Outcome]
    skipped: str | None = None  # not compared, and why (a sandbox-only scenario against a real API)


def _outcomes(result: ScenarioResult | None) -> list[Outcome]:
    return [Outcome(step=s.name, status=s.status, message=s.message) for s in (result.steps if result else [])]


def compare_runs(expected: list[dict[str, Any]], expected_date: dt.date, expected_base: str,
                 actual: list[dict[str, Any]], actual_date: dt.date, actual_base: str,
                 expected_outcome: list[Outcome] | None = None,
                 actual_outcome: list[Outcome] | None = None) -> list[StepComparison]:
    left = Normaliser(run_date=expected_date, base_url=expected_base)
    right = Normaliser(run_date=actual_date, base_url=actual_base)
    exp = [left.exchange(s) for s in expected]
    act = [right.exchange(s) for s in actual]
    operations = {}
    for s in expected + actual:
        found = safety.operation(s["method"], s["path"])
        operations.setdefault(s["step"], found[0] if found else f"{s['method']} {s['path'].split('?')[0]}")
    steps = compare_steps(exp, act, operations, expected_outcome, actual_outcome)
    # every answer of either side against the sandbox's published models: the expected side's misfits
    # say where the published contract is wrong, the actual side's where the fake breaks its own
    schema, own = conformance(expected), conformance(actual, fake=True)
    for step in steps:
        step.findings += schema.get(step.name, []) + own.get(step.name, [])
    return steps


def noise(comparisons: list[ScenarioComparison], target: str, days: int = 90) -> str:
    """Waivers proposed for what differed between two runs of the same target (YAML)."""
    import yaml

    expires = (dt.date.today() + dt.timedelta(days=days)).isoformat()
    seen = {(c.scenario, s.name, f.path, f.code) for c in comparisons for s in c.steps for f in s.findings}
    waivers = [{"scenario": sc, "step": st, "path": p, "code": code,
                "reason": f"noise: differs between two runs of {target}", "expires": expires}
               for sc, st, p, code in sorted(seen)]
    return yaml.safe_dump({"waivers": waivers}, allow_unicode=True, sort_keys=False)


class Comparisons(list):
    """The comparisons of a run, and the errors that make it untrustworthy whatever they show (a
    spent budget, a recording whose scenario is gone)."""

    def __init__(self, items: list[ScenarioComparison] | None = None, errors: list[str] | None = None):
        super().__init__(items or [])
        self.errors: list[str] = errors or []


def verify(recordings: Path, scenarios: list[Path], *, app: Any = None, waivers: list[Any] | None = None,
           options: Options | None = None) -> Comparisons:
    """Replay every recorded scenario against the fake (in process) and compare. A recording's own
    failed steps are breaking differences: a recording proves nothing where it failed."""
    by_stem = {p.stem: p for p in scenarios}
    pairs = [(read_recording(r), by_stem.get(r.stem)) for r in sorted(recordings.glob("*.json"))]
    files = [p for _, p in pairs if p is not None]
    ran = asyncio.run(run_target(files, app=app, options=options))
    runs = {r.scenario: r for r in ran}
    out = Comparisons(errors=[e for e in [ran.error] if e])
    for rec, path in pairs:
        if path is None:
            out.errors.append(f"recording {rec.scenario}: no scenario of that name among those given")
            continue
        run = runs.get(rec.scenario)
        if run is None:
            continue  # named in the spent budget's error
        steps = compare_runs([s.model_dump() for s in rec.steps], rec.provenance.runDate, rec.provenance.baseUrl,
                             run.steps, run.run_date, run.base_url, rec.outcome, _outcomes(run.result))
        apply_waivers(rec.scenario, steps, waivers or [])
        out.append(ScenarioComparison(rec.scenario, rec.name, steps, rec.outcome, _outcomes(run.result)))
    return out


def _side(options: Options | None) -> Options:
    options = options or Options()
    return Options(allow_purchases=options.allow_purchases, budget=options.budget.fresh(), seed=options.seed)


def diff(target_a: str | None, target_b: str | None, scenarios: list[Path], *, app_a: Any = None, app_b: Any = None,
         waivers: list[Any] | None = None, options: Options | None = None) -> Comparisons:
    """Run the scenarios on two targets and compare them (A is the expected side). Each side has its
    own budget; a scenario skipped on either side as a whole (sandbox-only against a real API) is not
    compared, and the report says so."""
    left = asyncio.run(run_target(scenarios, target_url=target_a, app=app_a, options=_side(options)))
    right_runs = asyncio.run(run_target(scenarios, target_url=target_b, app=app_b, options=_side(options)))
    right = {r.scenario: r for r in right_runs}
    out = Comparisons(errors=[e for e in (left.error, right_runs.error) if e])
    for a in left:
        b = right.get(a.scenario)
        if b is None:
            continue  # named in B's spent budget
        skipped = a.skipped or b.skipped
        if skipped:
            out.append(ScenarioComparison(a.scenario, a.name, [], _outcomes(a.result), _outcomes(b.result),
                                          skipped=f"{'A' if a.skipped else 'B'}: {skipped}"))
            continue
        steps = compare_runs(a.steps, a.run_date, a.base_url, b.steps, b.run_date, b.base_url,
                             _outcomes(a.result), _outcomes(b.result))
        apply_waivers(a.scenario, steps, waivers or [])
        out.append(ScenarioComparison(a.scenario, a.name, steps, _outcomes(a.result), _outcomes(b.result)))
    return out
