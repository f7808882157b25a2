"""``insurup-sandbox certify``: certification sessions, reports and their signatures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from mockserver.cli.common import JsonOut, Target, console, control, read_file


certify_app = typer.Typer(add_completion=False, no_args_is_help=True,
                          help="Partner certification: open a session, drive its modules, get the report.")


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
    declared = read_file("--scope", scope, "yaml") if scope else {}
    if declared is not None and not isinstance(declared, dict):
        console.print(f"error: --scope {scope}: a scope is a mapping of branches, channels, paymentTypes and "
                      "coverageGroups (see `insurup-sandbox certify example-scope`)", markup=False)
        raise typer.Exit(2)
    declared = dict(declared or {})
    groups = declared.pop("coverageGroups", None)
    created = control(target, "POST", "/__sandbox/certifications",
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
    _print_status(control(target, "GET", f"/__sandbox/certifications/{session}"), json_out)


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
    _print_status(control(target, "POST", f"/__sandbox/certifications/{session}/steer", json=body), json_out)


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
        data = read_file("--evidence", evidence)
        try:
            verify(data if isinstance(data, dict) else {}, key_set, EVIDENCE_TYPE)
        except SignatureInvalid as exc:
            console.print(f"error: --evidence {evidence}: refused: {exc}", markup=False)
            raise typer.Exit(2) from None
        cert = certify(data)
    elif session:
        made = control(target, "POST", f"/__sandbox/certifications/{session}/report")
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
        found = read_file("--keys", keys)
    else:
        found = control(target, "GET", WELL_KNOWN)
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
    document = read_file("certificate", certificate)
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
            data = read_file("--evidence", evidence)
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
