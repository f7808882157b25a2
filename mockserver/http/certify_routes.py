"""Partner certification over the control plane: open a session (a dedicated agent), watch which
modules its traffic shows, steer the adversarial moments, and take the evidence for the report."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mockserver.certify import session as cert
from mockserver.certify import signing
from mockserver.certify.report import CertificationReport
from mockserver.core.errors import NotFound
from mockserver.http.framework import Ctx, ok, Routes
from mockserver.wire import models as w


routes = Routes("/__sandbox/certifications", signing.WELL_KNOWN, auth="control")

C = "/__sandbox"


def _session_agent(ctx: Ctx):
    agent = ctx.sandbox.agent(ctx.params["sessionId"])
    if cert.session_of(agent) is None:
        raise NotFound(f"Agent '{agent.id}' is not a certification session.", codes=["CERTIFICATION_NOT_FOUND"],
                       suggestions=["Open one with POST /__sandbox/certifications (insurup-sandbox certify start)."])
    return agent


@routes("POST", f"{C}/certifications", summary="Open a certification session: a dedicated agent and the plan's modules",
       tag="control", auth="create", api=False, request=w.CertificationRequest, response=w.CertificationCreated,
       status=201)
async def start(ctx: Ctx) -> Response:
    request = await ctx.model()
    agent = cert.start(ctx.sandbox, request.partner, request.scope.model_dump(exclude_none=True) if request.scope else {},
                       request.coverageGroups)
    return ok(cert.render_created(cert.SessionView(agent), ctx.base_url()), status=201)


@routes("GET", f"{C}/certifications/{{sessionId}}", summary="The session: which modules its traffic shows so far",
       tag="control", auth="control", api=False, response=w.CertificationStatus)
async def status(ctx: Ctx) -> Response:
    return ok(cert.status(_session_agent(ctx)))


@routes("GET", f"{C}/certifications/{{sessionId}}/evidence", summary="The session's redacted traffic and events "
       "(what certify report evaluates)", tag="control", auth="control", api=False, response=w.CertificationEvidence)
async def evidence(ctx: Ctx) -> Response:
    # copied on the loop, pseudonymised and signed in the thread pool: a long session does not stall others
    return ok(await run_in_threadpool(cert.evidence, cert.collect(_session_agent(ctx))))


@routes("POST", f"{C}/certifications/{{sessionId}}/report", summary="The session's evidence and the certificate it "
       "earns, each signed by the sandbox", tag="control", auth="control", api=False, response=CertificationReport)
async def report(ctx: Ctx) -> Response:
    from mockserver.certify.report import certify, render_report, signed

    agent = _session_agent(ctx)
    document = await run_in_threadpool(cert.evidence, cert.collect(agent))
    certificate = signed(await run_in_threadpool(certify, document), ctx.sandbox.secret)
    return ok(render_report(certificate, document))


@routes("GET", signing.WELL_KNOWN, summary="The key set that verifies this sandbox's certification evidence and "
       "certificates", tag="control", auth="none", api=False, response=w.CertificationKeys)
async def keys(ctx: Ctx) -> Response:
    return ok(signing.jwks(ctx.sandbox.secret))


@routes("POST", f"{C}/certifications/{{sessionId}}/steer", summary="Adversarial moments: lying callbacks, a clock "
       "jump", tag="control", auth="control", api=False, request=w.CertificationSteerRequest,
       response=w.CertificationStatus)
async def steer(ctx: Ctx) -> Response:
    agent = _session_agent(ctx)
    req = await ctx.model()
    if req.lyingCallbacks is not None:
        agent.lying_callbacks = req.lyingCallbacks
    if req.failingInsurers is not None:
        agent.failing_insurers = set(req.failingInsurers)
    if req.advanceSeconds:
        before = agent.now()
        agent.clock.advance(req.advanceSeconds)
        cert.clock_moved(agent, before)
        agent.tick()
    return ok(cert.status(agent))
