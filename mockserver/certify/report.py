"""The certification report: a JSON certificate (pydantic), a single-file HTML page and JUnit XML
(a suite per module, a case per rule). Made from the evidence only, so it can be re-made offline."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from mockserver.core import templates
from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite
from pydantic import BaseModel, Field

from mockserver import __version__
from mockserver.wire.render import From, renderer
from mockserver.certify.rules import MODULES, evaluate
from mockserver.wire.models import CertificationEvidence, CertificationScopeOut

VALID_DAYS = 90


class RuleOut(BaseModel):
    rule: str
    title: str
    ref: str
    guide: str
    severity: str
    module: str | None
    result: str
    message: str
    evidence: list[str]


class ModuleOut(BaseModel):
    id: str
    title: str
    seen: bool
    evidence: list[str]


class Certificate(BaseModel):
    id: str
    plan: str
    version: str
    partner: str | None
    scope: CertificationScopeOut
    sessionId: str
    sandboxVersion: str = __version__
    issued: dt.date | None = Field(description="the day the evidence was collected; none when not certifiable")
    expires: dt.date | None = Field(description="90 days after it; none when not certifiable")
    certifiable: bool = Field(description="no rule FAILED or NOT_EXERCISED (warnings and reviews are listed)")
    counts: dict[str, int]
    modules: list[ModuleOut]
    results: list[RuleOut]
    evidenceHash: str = Field(description="sha256 of the evidence's canonical JSON (RFC 8785, its signature left "
                                          "out): the evidence the results were made from")
    signature: str | None = Field(None, description="the sandbox's JWS over this certificate (certify.signing); "
                                                    "none when it was re-made offline from signed evidence")


class CertificationReport(BaseModel):
    """The evidence and the certificate made from it, each signed by the sandbox."""

    certificate: Certificate
    evidence: CertificationEvidence


render_report = renderer(  # the certificate (its own model's dump); ctx: the evidence document it was made from
    CertificationReport, Certificate, certificate=From(".", convert=lambda c: c.model_dump(mode="json")),
    evidence=lambda c, evidence: evidence)


def certify(evidence: dict[str, Any]) -> Certificate:
    """The certificate the evidence earns (the same, wherever and whenever it is made)."""
    from mockserver.certify.signing import digest as evidence_digest

    seen, results = evaluate(evidence)
    digest = evidence_digest(evidence)
    try:
        collected = dt.date.fromisoformat(str(evidence.get("collectedAt", ""))[:10])
    except ValueError:
        collected = dt.date.today()
    rules = [RuleOut(rule=r.rule.id, title=r.rule.title, ref=r.rule.ref, guide=r.rule.guide, severity=r.rule.severity,
                     module=r.rule.module, result=r.outcome.result, message=r.outcome.message,
                     evidence=r.outcome.evidence) for r in results]
    counts: dict[str, int] = {}
    for r in rules:
        counts[r.result] = counts.get(r.result, 0) + 1
    certifiable = not any(r.result in ("FAILED", "NOT_EXERCISED") for r in rules)
    return Certificate(id=str(uuid.UUID(digest[:32])), plan=evidence.get("plan", ""), version=evidence.get("version", ""),
                       partner=evidence.get("partner"), scope=evidence.get("scope") or {},
                       sessionId=evidence.get("sessionId", ""), issued=collected if certifiable else None,
                       expires=collected + dt.timedelta(days=VALID_DAYS) if certifiable else None,
                       certifiable=certifiable, counts=counts,
                       modules=[ModuleOut(id=m.id, title=m.title, seen=m.id in seen, evidence=seen.get(m.id, []))
                                for m in MODULES], results=rules, evidenceHash=digest)


def _index(evidence: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Evidence ids to what the timeline shows: requests (trace ids), events (sequence), payments."""
    out: dict[str, dict[str, Any]] = {}
    for r in evidence.get("requests", []):
        out[str(r["id"])] = {"when": _when(r["at"]), "what": f"{r['method']} {r['path']}",
                             "status": r["status"], "body": r.get("body"), "response": r.get("response")}
    for e in evidence.get("events", []):
        out[str(e["sequence"])] = {"when": _when(e["at"]), "what": e["event"], "status": "", "body": e["payload"],
                                   "response": None}
    for p in evidence.get("payments", []):
        out[str(p["id"])] = {"when": _when(p.get("completedAt")), "what": f"payment {p['type']} {p['state']}",
                             "status": "", "body": p, "response": None}
    return out


def _when(at: float | None) -> str:
    """Seconds from the session's start (the evidence's own times): ``+754.2 s``."""
    return f"+{at:.1f} s" if isinstance(at, (int, float)) and at >= 0 else ""


def html(cert: Certificate, evidence: dict[str, Any] | None = None) -> str:
    return templates.render("certificate.html", c=cert, index=_index(evidence or {}))


def junit(cert: Certificate) -> JUnitXml:
    xml = JUnitXml(name=f"certification {cert.partner} {cert.plan}@{cert.version}")
    suites: dict[str, TestSuite] = {}
    for r in cert.results:
        suite = suites.setdefault(r.module or "general", TestSuite(r.module or "general"))
        case = TestCase(r.rule, classname=f"{cert.plan}.{r.module or 'general'}")
        if r.result in ("FAILED", "NOT_EXERCISED"):
            failure = Failure(f"{r.result}: {r.title}")
            failure.text = f"{r.message}\nevidence: {', '.join(r.evidence)}"
            case.result = [failure]
        elif r.result == "SKIPPED":
            case.result = [Skipped(r.message)]
        suite.add_testcase(case)
    for suite in suites.values():
        suite.add_property("sessionId", cert.sessionId)
        suite.add_property("evidenceHash", cert.evidenceHash)
        xml.add_testsuite(suite)
    return xml


def write(cert: Certificate, evidence: dict[str, Any], directory: Path, keys: dict[str, Any] | None = None) -> list[Path]:
    """certificate.json, certification.html, certification-junit.xml, evidence.json (and, when given,
    sandbox-keys.json: the key set it was checked with, for the record; trust the sandbox's own)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / "certificate.json", directory / "certification.html", directory / "certification-junit.xml",
             directory / "evidence.json"]
    paths[0].write_text(json.dumps(cert.model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n", "utf-8")
    paths[1].write_text(html(cert, evidence), "utf-8")
    junit(cert).write(str(paths[2]), pretty=True)
    paths[3].write_text(json.dumps(evidence, indent=1, ensure_ascii=False, default=str) + "\n", "utf-8")
    if keys is not None:
        paths.append(directory / "sandbox-keys.json")
        paths[4].write_text(json.dumps(keys, indent=1) + "\n", "utf-8")
    return paths


def signed(cert: Certificate, secret: str) -> Certificate:
    """The certificate with the sandbox's signature over everything it says."""
    from mockserver.certify import signing

    document = cert.model_dump(mode="json")
    return cert.model_copy(update={"signature": signing.sign(secret, document, signing.CERTIFICATE_TYPE)})
