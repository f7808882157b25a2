"""The drift report: a versioned JSON document (pydantic), a single-file HTML page and JUnit XML
(a suite per scenario, a case per step)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape
from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite
from pydantic import BaseModel, Field

from mockserver import __version__
from mockserver.contract.record import ScenarioComparison

REPORT_SCHEMA_VERSION = 1


class FindingOut(BaseModel):
    kind: str
    code: str
    severity: str
    path: str
    expected: Any = None
    actual: Any = None
    waivedBy: str | None = None


class StepOut(BaseModel):
    name: str
    operation: str | None
    expectedStatus: int | None
    actualStatus: int | None
    findings: list[FindingOut]
    expectedBody: Any = None
    actualBody: Any = None


class ScenarioOut(BaseModel):
    scenario: str
    name: str
    skipped: str | None = Field(None, description="why the scenario was not compared (it did not run on one side)")
    steps: list[StepOut]
    breaking: int
    expectedFailures: list[str] = Field(description="steps that failed on the expected side")
    actualFailures: list[str] = Field(description="steps that failed on the actual side")


class OperationParity(BaseModel):
    operation: str
    steps: int
    drifted: int


class Summary(BaseModel):
    scenarios: int
    steps: int
    findings: dict[str, int] = Field(description="by kind")
    breaking: int
    waived: int
    parity: float = Field(description="share of compared steps without unwaived breaking drift")


class DriftReport(BaseModel):
    schemaVersion: int = REPORT_SCHEMA_VERSION
    created: str
    sandboxVersion: str = __version__
    mode: str = Field(description="verify (recordings against the fake) or diff (two live targets)")
    expected: str
    actual: str
    summary: Summary
    operations: list[OperationParity]
    uncovered: list[str] = Field(description="operations of the sandbox's OpenAPI no scenario exercises")
    errors: list[str] = Field(default_factory=list, description="expired waivers and other problems of the run")
    scenarios: list[ScenarioOut]

    @property
    def failed(self) -> bool:
        return self.summary.breaking > 0 or bool(self.errors)


def build(comparisons: list[ScenarioComparison], *, mode: str, expected: str, actual: str,
          errors: list[str] | None = None) -> DriftReport:
    """The report of a run. Errors of the run itself (``Comparisons.errors``: a spent budget) join
    ``errors`` and fail it like a breaking difference."""
    from mockserver.contract.safety import registry

    errors = list(errors or []) + list(getattr(comparisons, "errors", []))
    scenarios, kinds, ops = [], Counter(), {}
    breaking = waived = steps_total = clean = 0
    for c in comparisons:
        out_steps = []
        for s in c.steps:
            steps_total += 1
            findings = [FindingOut(**f.to_dict()) for f in s.findings]
            kinds.update(f.kind for f in findings)
            waived += sum(1 for f in findings if f.waivedBy)
            hard = len(s.breaking)
            breaking += hard
            clean += hard == 0
            op = ops.setdefault(s.operation or "?", [0, 0])
            op[0] += 1
            op[1] += hard > 0
            out_steps.append(StepOut(name=s.name, operation=s.operation,
                                     expectedStatus=s.expected["status"] if s.expected else None,
                                     actualStatus=s.actual["status"] if s.actual else None, findings=findings,
                                     expectedBody=s.expected.get("body") if s.expected and findings else None,
                                     actualBody=s.actual.get("body") if s.actual and findings else None))
        scenarios.append(ScenarioOut(scenario=c.scenario, name=c.name, steps=out_steps, skipped=c.skipped,
                                     breaking=sum(len(s.breaking) for s in c.steps),
                                     expectedFailures=[o.step for o in c.expected_outcome if o.status == "failed"],
                                     actualFailures=[o.step for o in c.actual_outcome if o.status == "failed"]))
    exercised = {o for o in ops}
    uncovered = sorted({f"{m} {t}" for m, _, _, t in registry()} - exercised)
    return DriftReport(created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), mode=mode, expected=expected,
                       actual=actual, errors=errors, scenarios=scenarios, uncovered=uncovered,
                       summary=Summary(scenarios=len(comparisons), steps=steps_total, findings=dict(kinds),
                                       breaking=breaking, waived=waived,
                                       parity=round(clean / steps_total, 4) if steps_total else 1.0),
                       operations=[OperationParity(operation=k, steps=v[0], drifted=v[1])
                                   for k, v in sorted(ops.items())])


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Drift report: {{ r.expected }} vs {{ r.actual }}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}h1{font-size:1.4rem}
.tiles{display:flex;gap:1rem;margin:1rem 0}.tile{border:1px solid #d0d7de;border-radius:8px;padding:.6rem 1rem}
.tile b{display:block;font-size:1.5rem}.bad{color:#b42318}.ok{color:#1a7f37}.warn{color:#9a6700}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border-bottom:1px solid #eaeef2;padding:.3rem .5rem;
text-align:left;vertical-align:top}code,pre{font:12px ui-monospace,monospace}pre{background:#f6f8fa;padding:.5rem;
max-height:20rem;overflow:auto;white-space:pre-wrap}details{margin:.3rem 0}.sev-breaking{color:#b42318;font-weight:600}
.sev-warning{color:#9a6700}.sev-info{color:#57606a}.waived{text-decoration:line-through;color:#57606a}
.side{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}
</style></head><body>
<h1>Drift report <small>({{ r.mode }})</small></h1>
<p>expected: <code>{{ r.expected }}</code> · actual: <code>{{ r.actual }}</code> · {{ r.created }} · sandbox {{ r.sandboxVersion }}</p>
<div class="tiles">
<div class="tile"><b class="{{ 'bad' if r.summary.breaking else 'ok' }}">{{ r.summary.breaking }}</b>breaking</div>
<div class="tile"><b>{{ '%.1f' % (r.summary.parity * 100) }}%</b>steps in parity</div>
<div class="tile"><b>{{ r.summary.scenarios }}</b>scenarios</div><div class="tile"><b>{{ r.summary.steps }}</b>steps</div>
<div class="tile"><b>{{ r.summary.waived }}</b>waived</div>
{% for kind, n in r.summary.findings.items() %}<div class="tile"><b>{{ n }}</b>{{ kind }}</div>{% endfor %}
</div>
{% if r.errors %}<h2 class="bad">Errors</h2><ul>{% for e in r.errors %}<li>{{ e }}</li>{% endfor %}</ul>{% endif %}
<h2>Parity per operation</h2>
<table><tr><th>operation</th><th>steps</th><th>drifted</th></tr>
{% for o in r.operations %}<tr><td><code>{{ o.operation }}</code></td><td>{{ o.steps }}</td>
<td class="{{ 'bad' if o.drifted else 'ok' }}">{{ o.drifted }}</td></tr>{% endfor %}</table>
<details><summary>{{ r.uncovered|length }} operations no scenario exercises</summary>
<ul>{% for o in r.uncovered %}<li><code>{{ o }}</code></li>{% endfor %}</ul></details>
{% for s in r.scenarios %}
<h2 id="{{ s.scenario }}">{{ s.name }} <small class="{{ 'bad' if s.breaking else 'ok' }}">{{ s.breaking }} breaking</small></h2>
{% if s.skipped %}<p class="warn">not compared: {{ s.skipped }}</p>{% endif %}
{% if s.expectedFailures or s.actualFailures %}<p class="warn">failed steps: expected side {{ s.expectedFailures or 'none' }},
actual side {{ s.actualFailures or 'none' }}</p>{% endif %}
<table><tr><th>step</th><th>operation</th><th>status</th><th>differences</th></tr>
{% for st in s.steps %}<tr><td>{{ st.name }}</td><td><code>{{ st.operation or '' }}</code></td>
<td>{{ st.expectedStatus }} → {{ st.actualStatus }}</td><td>
{% for f in st.findings %}<div class="{{ 'waived' if f.waivedBy else '' }}"><span class="sev-{{ f.severity }}">{{ f.kind }}/{{ f.code }}</span>
<code>{{ f.path }}</code>{% if f.expected is not none or f.actual is not none %}: <code>{{ f.expected }}</code> → <code>{{ f.actual }}</code>{% endif %}
{% if f.waivedBy %} (waived: {{ f.waivedBy }}){% endif %}</div>{% endfor %}
{% if st.findings %}<details><summary>bodies</summary><div class="side"><pre>{{ st.expectedBody|tojson(indent=1) }}</pre>
<pre>{{ st.actualBody|tojson(indent=1) }}</pre></div></details>{% endif %}
</td></tr>{% endfor %}</table>{% endfor %}
</body></html>
"""


def html(report: DriftReport) -> str:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    return env.from_string(_HTML).render(r=report)


def junit(report: DriftReport) -> JUnitXml:
    xml = JUnitXml(name=f"drift {report.expected} vs {report.actual}")
    for s in report.scenarios:
        suite = TestSuite(s.scenario)
        suite.add_property("expected", report.expected)
        suite.add_property("actual", report.actual)
        suite.add_property("sandboxVersion", report.sandboxVersion)
        for st in s.steps:
            case = TestCase(st.name, classname=s.scenario)
            hard = [f for f in st.findings if f.severity == "breaking" and not f.waivedBy]
            if hard:
                text = "\n".join(f"{f.kind}/{f.code} {f.path}: {f.expected!r} -> {f.actual!r}" for f in hard)
                failure = Failure(f"{len(hard)} breaking difference(s)")
                failure.text = text
                case.result = [failure]
            elif st.expectedStatus is None:
                case.result = [Skipped("only on the actual side")]
            suite.add_testcase(case)
        xml.add_testsuite(suite)
    return xml


def write(report: DriftReport, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / "drift-report.json", directory / "drift-report.html", directory / "drift-junit.xml"]
    paths[0].write_text(json.dumps(report.model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n", "utf-8")
    paths[1].write_text(html(report), "utf-8")
    junit(report).write(str(paths[2]), pretty=True)
    return paths
