"""The drift report: a versioned JSON document (pydantic), a single-file HTML page and JUnit XML
(a suite per scenario, a case per step)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from mockserver.core import templates
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


def html(report: DriftReport) -> str:
    return templates.render("drift-report.html", r=report)


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
