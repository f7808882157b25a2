"""The dashboard at ``/__sandbox/ui``: agents, their clock, SMS codes, proposals with their quotes on
the agent's clock, payments, policies, webhook deliveries, the journal and the events, updated live
(server-sent events tell the page when the agent changed; it swaps its live part). Server-rendered
with Jinja2 and a few lines of inline script; nothing is fetched from the network."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import orjson
from markupsafe import Markup
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from mockserver import __version__, magic
from mockserver.core.clock import iso
from mockserver.domain.tenant import AgentFixture
from mockserver.core import templates
from mockserver.http import answers
from mockserver.http.framework import Ctx, Routes


routes = Routes("/__sandbox/ui", auth="control")

UI = "/__sandbox/ui"
STREAM_SECONDS = 20.0  # one event stream lasts this long; the browser reconnects by itself


def _render(template: str, **values: Any) -> str:
    return templates.render(f"ui/{template}.html", ui=UI, version=__version__, **values)


def _page(title: str, body: str, script: str = "") -> HTMLResponse:
    # body and script are this module's own renders (already escaped where they hold data)
    html = templates.render("ui/base.html", title=title, body=Markup(body), script=Markup(script), ui=UI,
                            version=__version__)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def _money(value: Any) -> str:
    return f"{value:,.2f} TL".replace(",", "X").replace(".", ",").replace("X", ".") if isinstance(value, (int, float)) else ""


def _proposal_view(p) -> dict[str, Any]:
    """Every product on a timeline of the agent's clock (0 = asked), and the cheapest premium of each
    insurer as a sorted chart."""
    from mockserver.domain.catalog import catalog

    now = p.now()
    names = catalog().by_id
    rows = []
    for pp in p.products:
        state = pp.state(now)
        premium = pp.premiums[0]["grossPremium"] if pp.premiums and state in ("ACTIVE", "PURCHASING", "PURCHASED") else None
        at = pp.arrives_at - p.created_at if pp.arrives_at else None
        rows.append({"insurer": names[pp.product.insurer_id].name, "product": pp.product.name, "state": state,
                     "kind": "robot" if pp.product.kind == "ROBOT" else "",
                     "at": at, "arrives": f"+{at:.1f} s" if at is not None else "after the investigation",
                     "premium": _money(premium), "value": premium})
    span = max([r["at"] for r in rows if r["at"] is not None] + [now - p.created_at, 1.0])
    for r in rows:
        r["left"] = round(100 * min(r["at"] if r["at"] is not None else now - p.created_at, span) / span, 1)
    cheapest: dict[str, float] = {}
    for r in rows:
        if r["value"] and (r["insurer"] not in cheapest or r["value"] < cheapest[r["insurer"]]):
            cheapest[r["insurer"]] = r["value"]
    top = max(cheapest.values(), default=0)
    chart = [{"insurer": k, "premium": _money(v), "width": int(180 * v / top) if top else 0}
             for k, v in sorted(cheapest.items(), key=lambda kv: kv[1])]
    return {"id": p.id, "branch": p.branch, "asked": iso(p.created_at), "products": rows, "chart": chart,
            "span": round(span, 1), "now": round(100 * min(now - p.created_at, span) / span, 1),
            "arrived": sum(1 for r in rows if r["at"] is not None and r["at"] <= now - p.created_at)}


_STATUS = {"2xx": (200, 300), "4xx": (400, 500), "5xx": (500, 600), "failed": (400, 600)}


def _journal(agent, filters: dict[str, str]) -> list[dict[str, Any]]:
    """The newest requests, filtered by status class, path and customer id; a refusal shows its
    problem body and the near-miss hints it carries (nearest endpoint, the field meant)."""
    low, high = _STATUS.get(filters.get("status", ""), (0, 1000))
    path = filters.get("path", "").strip()
    customer = filters.get("customer", "").strip()
    out: list[dict[str, Any]] = []
    for e in reversed(list(agent.journal)):
        if not low <= e["status"] < high or (path and path not in e["path"]):
            continue
        view = answers.journal_entry(e)
        if customer and customer not in e["path"] and customer not in orjson.dumps(
                [view.get("requestBody"), view.get("responseBody"), view.get("query")], default=str).decode():
            continue
        body = view.get("responseBody") if e["status"] >= 400 else None
        problem = body.get("detail") if isinstance(body, dict) else None
        hints = [h for h in (body.get("suggestions") or []) if isinstance(h, str)
                 and ("did you mean" in h or h.startswith("Nearest endpoints"))] if isinstance(body, dict) else []
        out.append({"status": e["status"], "method": e["method"], "path": e["path"], "at": iso(e["at"]),
                    "problem": problem, "hints": hints, "request": _pretty(view.get("requestBody")),
                    "response": _pretty(view.get("responseBody"))})
        if len(out) >= 40:
            break
    return out


def _pretty(raw: Any) -> str | None:
    """A JSON body (bytes, text or an object) indented for a <pre>, or None."""
    if raw is None or raw == b"" or raw == "":
        return None
    try:
        value = orjson.loads(raw) if isinstance(raw, (bytes, str)) else raw
        return orjson.dumps(value, option=orjson.OPT_INDENT_2, default=str).decode()
    except (orjson.JSONDecodeError, TypeError):
        return str(raw)[:4000]


def _people(agent) -> list[dict[str, Any]]:
    """The newest customers, with what they hold (the first things a web-sales site creates)."""
    out = []
    for c in list(agent.customers.values())[-8:][::-1]:
        vehicles = agent.indexes.of(agent, "vehicles", "customerId", c.id)
        homes = agent.indexes.of(agent, "properties", "customerId", c.id)
        out.append({"id": c.id, "name": c.display_name or "", "type": c.type, "at": iso(c.created_at),
                    "vehicles": [f"{v.plate_city:02d} {v.plate_code}" if v.plate_city else "unplated" for v in vehicles],
                    "properties": [str(p.number) for p in homes]})
    return out


def _live(agent, base_url: str, filters: dict[str, str] | None = None) -> str:
    from mockserver.domain import documents, payments as payments_mod
    from mockserver.domain.catalog import catalog

    names = catalog().by_id
    session = _certification(agent)
    return _render(
        "live",
        sms=[{"code": s.code, "to": s.to, "at": iso(s.sent_at), "purpose": s.purpose} for s in list(agent.sms)[-8:][::-1]],
        outbox=[{"channel": m["channel"], "to": m["to"], "subject": m["subject"], "url": m["documentUrl"],
                 "kind": m["kind"], "at": iso(m["sentAt"])} for m in list(agent.outbox)[-8:][::-1]],
        payments=[{"id": p.id, "type": p.payment_type, "state": p.state, "amount": _money(p.amount),
                   "card": p.card.masked if p.card else "", "history": p.history,
                   "page": payments_mod.page_url(base_url, agent.id, p)}
                  for p in list(agent.payments.values())[-8:][::-1]],
        proposals=[_proposal_view(p) for p in list(agent.proposals.values())[-5:][::-1]],
        policies=[{"id": x.id, "branch": x.branch, "insurer": names[x.insurance_company_id].name, "number": x.number,
                   "premium": _money(x.premium.get("grossPremium")),
                   "pdf": documents.link(agent, base_url, "policy", x.id, [])}
                  for x in list(agent.policies.values())[-8:][::-1]],
        deliveries=[{"id": d.id, "event": d.event, "state": d.state, "in_flight": d.in_flight,
                     "url": getattr(agent.webhooks.get(d.webhook_id), "url", d.webhook_name),
                     "next": iso(d.next_attempt_at) if d.state == "PENDING" else None, "payload": _pretty(d.body),
                     "attempts": [{"status": t.status_code, "ms": round(t.duration_ms), "error": t.error,
                                   "response": t.response} for t in d.attempts]}
                    for d in list(agent.deliveries.values())[-10:][::-1]],
        journal=_journal(agent, filters or {}), filters={"status": "", "path": "", "customer": "", **(filters or {})},
        events=[{"name": ev.name, "at": iso(ev.occurred_at), "payload": _pretty(ev.payload.raw)}
                for ev in agent.events.since(0)[-30:][::-1]],
        customers=_people(agent), cases=[{"ref": c.ref, "type": c.type, "state": f"{c.main_state} / {c.sub_state}",
                                          "branch": c.product_branch or "", "at": iso(c.created_at)}
                                         for c in list(agent.cases.values())[-8:][::-1]],
        agent_id=agent.id, certification=session, **_agency(agent))


def _agency(agent) -> dict[str, Any]:
    """The agency's people and structure, as the panel's user and role pages list them."""
    from mockserver.domain import branches, roles, users

    users = [{"name": f"{u.first_name} {u.last_name}", "email": u.email, "status": users.status(u),
              "role": getattr(roles.role_of(agent, u), "name", None), "mfa": u.two_factor,
              "branches": [branches.branch_path(agent, b)["hierarchy"] for b in u.branch_ids]}
             for u in list(agent.agent_users.values())[:50]]
    roles = [{"name": r.name, "perms": "everything" if r.is_owner else
              ", ".join(f"{p} {s}" if s != "All" else p for p, s in r.permissions.items()) or "no permission"}
             for r in agent.roles.values()]
    branches = sorted(branches.branch_path(agent, b)["hierarchy"] for b in agent.branches)[:100]
    s = agent.agency
    settings = {"mode": s.assignment_mode or "NONE", "roles": s.assignment_roles,
                "rules": [f"{r.name} (+{r.score:g})" for r in s.rules],
                "plugins": [f"{p.slug} {p.active or 'no active version'}{'' if p.enabled else ', disabled'}"
                            for p in agent.plugins.values()],
                "templates": [f"{key} ({'tr' if lang == 1 else 'en'})" for key, lang in agent.templates]}
    return {"users": users, "roles": roles, "branches": branches, "forms": list(agent.contact_forms)[-5:][::-1],
            "settings": settings}


def _certification(agent) -> dict[str, Any] | None:
    """A certification session's progress: modules seen and each rule's result so far."""
    from mockserver.certify import session
    from mockserver.certify.rules import MODULES, evaluate

    state = session.session_of(agent)
    if state is None:
        return None
    raw = session.collect(agent)  # (nothing here is written down: the verdicts from the timeline itself)
    seen, results = evaluate({"scope": state.get("scope", {}), **session.timeline(raw)})
    return {"id": agent.id, "partner": state.get("partner"), "plan": f"{state.get('plan')}@{state.get('version')}",
            "modules": [{"title": m.title, "seen": m.id in seen} for m in MODULES],
            "rules": [{"rule": r.rule.id, "title": r.rule.title, "result": r.outcome.result} for r in results]}


def _version(agent) -> tuple[Any, ...]:
    """What changes when anything on the live part does (the page refreshes then)."""
    now = agent.now()
    arrived = sum(1 for p in agent.proposals.values() for pp in p.products if pp.arrives_at and pp.arrives_at <= now)
    return (len(agent.sms), len(agent.outbox), len(agent.journal), agent.events.seq, len(agent.proposals), arrived,
            len(agent.customers), len(agent.cases), len(agent.vehicles), len(agent.properties),
            len(agent.agent_users), len(agent.roles), len(agent.branches), len(agent.contact_forms),
            len(agent.plugins), len(agent.templates), len(agent.agency.rules), agent.agency.assignment_mode,
            tuple(p.state for p in agent.payments.values()), sum(len(d.attempts) for d in agent.deliveries.values()),
            int(now))


def _next(raw: Any) -> str:
    """Where a sign-in returns: a dashboard page of this sandbox, never another site."""
    return raw if isinstance(raw, str) and raw.startswith(UI) and "//" not in raw and "\\" not in raw else UI


@routes("GET", f"{UI}/login", summary="Dashboard: sign in with the admin token (a closed control plane)", tag="ui",
        auth="public", api=False, response=str, media="text/html")
async def login_page(ctx: Ctx) -> Response:
    return _page("Sign in", _render("signin", open=ctx.sandbox.control_open, problem=None,
                                    next=_next(ctx.request.query_params.get("next"))))


@routes("POST", f"{UI}/login", summary="Dashboard: sign in (a session cookie; 303 to the page asked for)", tag="ui",
        auth="public", api=False, status=303)
async def login(ctx: Ctx) -> Response:
    from mockserver.control import access

    ctx.request.scope["sandbox.reads"] = True  # a sign-in is no state of the sandbox's: never in its data directory
    form = await ctx.json(required=False)
    token, target = str(form.get("token") or "").strip(), _next(form.get("next"))
    key = access.sign_in(ctx.sandbox, token) if token else None
    if key is None:
        page = _page("Sign in", _render("signin", open=ctx.sandbox.control_open, next=target,
                                        problem="That token is not this sandbox's admin token nor an agent's "
                                                "control token."))
        page.status_code = 401
        return page
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(access.SESSION_COOKIE, key, max_age=int(access.SESSION_SECONDS), path="/__sandbox",
                        httponly=True, samesite="strict", secure=ctx.request.url.scheme == "https")
    return response


@routes("POST", f"{UI}/logout", summary="Dashboard: sign out (the session ends)", tag="ui", auth="public", api=False,
        status=303)
async def logout(ctx: Ctx) -> Response:
    from mockserver.control import access

    ctx.request.scope["sandbox.reads"] = True
    ctx.sandbox.ui_sessions.pop(ctx.request.cookies.get(access.SESSION_COOKIE, ""), None)
    response = RedirectResponse(f"{UI}/login", status_code=303)
    response.delete_cookie(access.SESSION_COOKIE, path="/__sandbox")
    return response


@routes("GET", UI, summary="Dashboard: the agents", tag="ui", auth="admin", api=False, response=str, media="text/html")
async def index(ctx: Ctx) -> Response:
    default = ctx.sandbox.default_agent
    agents = [{"id": a.id, "name": a.name, "market": a.market, "now": iso(a.now()), "customers": len(a.customers),
               "proposals": len(a.proposals), "policies": len(a.policies), "default": a is default}
              for a in ctx.sandbox.agents.values()]
    return _page("Agents", _render("index", agents=agents))


@routes("POST", f"{UI}/agents", summary="Dashboard: create an agent (303 to its page)", tag="ui", auth="create",
       api=False, status=303)
async def create(ctx: Ctx) -> Response:
    agent = ctx.sandbox.create_agent(AgentFixture())
    return RedirectResponse(f"{UI}/agents/{agent.id}", status_code=303)


@routes("GET", f"{UI}/agents/{{agentId}}", summary="Dashboard: one agent, live", tag="ui", auth="control", api=False,
       response=str, media="text/html")
async def agent_page(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    query = ctx.request.query_params
    fragment = query.get("fragment")
    filters = {k: query.get(k, "")[:200] for k in ("status", "path", "customer")}
    if fragment == "live":
        return HTMLResponse(_live(agent, ctx.base_url(), filters), headers={"Cache-Control": "no-store"})
    if fragment == "clock":
        return HTMLResponse(iso(agent.now()), headers={"Cache-Control": "no-store"})
    body = _render("agent", a={"id": agent.id, "name": agent.name, "client_id": agent.client_id,
                             "client_secret": agent.client_secret, "email": agent.agent_user_email,
                             "password": agent.agent_user_password},
                   now=iso(agent.now()), now_local=agent.clock.now().strftime("%Y-%m-%dT%H:%M:%S"),
                   frozen=agent.clock.frozen, default=agent is ctx.sandbox.default_agent,
                   steps=[("1 min", 60), ("10 min", 600), ("1 day", 86400)],
                   live=Markup(_live(agent, ctx.base_url(), filters)))
    return _page(agent.name, body, _render("script"))


@routes("GET", f"{UI}/agents/{{agentId}}/stream", summary="Dashboard: server-sent events when the agent changes",
       tag="ui", auth="control", api=False, response=str, media="text/event-stream")
async def stream(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])

    async def events():
        last, ends = None, time.monotonic() + STREAM_SECONDS
        yield "retry: 500\n\n"
        while time.monotonic() < ends:
            agent.tick()
            version = _version(agent)
            if version != last:
                last = version
                yield f"data: {hash(version) & 0xFFFFFFFF}\n\n"
            await asyncio.sleep(0.25)

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


@routes("POST", f"{UI}/agents/{{agentId}}/clock", summary="Dashboard: move or freeze the clock", tag="ui",
       auth="control", api=False, form=True, parse=False, status=303)
async def clock(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    form = await ctx.request.form()
    try:
        seconds = float(str(form.get("advance") or 0))
    except ValueError:
        seconds = 0.0
    if form.get("freeze"):
        agent.clock.freeze()
    if form.get("unfreeze"):
        agent.clock.unfreeze()
    if 0 < seconds <= 365 * 86400:
        agent.clock.advance(seconds)
    if form.get("set"):
        from datetime import UTC, datetime

        try:
            agent.clock.set(datetime.fromisoformat(str(form.get("set"))).replace(tzinfo=UTC))
        except (ValueError, OverflowError, OSError):
            pass  # a browser's datetime-local always parses; anything else leaves the clock alone
    agent.tick()
    return RedirectResponse(f"{UI}/agents/{agent.id}", status_code=303)


@routes("POST", f"{UI}/agents/{{agentId}}/deliveries/{{deliveryId}}/redeliver", summary="Dashboard: send a webhook "
       "delivery again, or now if it waits for its next attempt", tag="ui", auth="control", api=False, status=303)
async def redeliver(ctx: Ctx) -> Response:
    from mockserver.core.errors import NotFound
    from mockserver.domain import webhooks

    agent = ctx.sandbox.agent(ctx.params["agentId"])
    delivery = agent.deliveries.get(ctx.params["deliveryId"])
    if delivery is None:
        raise NotFound(f"Delivery '{ctx.params['deliveryId']}' was not found.", codes=["WEBHOOK_DELIVERY_NOT_FOUND"])
    webhooks.send_now(agent, delivery)  # a finished one again; a waiting one at once
    return RedirectResponse(f"{UI}/agents/{agent.id}", status_code=303)


@routes("GET", f"{UI}/drift", summary="Dashboard: the latest drift report of the contract suite (drift-report/ in "
       "the working directory)", tag="ui", auth="admin", api=False, response=str, media="text/html")
async def drift_page(ctx: Ctx) -> Response:
    from pathlib import Path

    report = Path("drift-report") / "drift-report.html"
    if not report.is_file():
        return _page("Drift report", "<section><h2>Drift report</h2><p class='mute'>No report yet: run "
                     "<code>insurup-sandbox contract verify</code> in this directory.</p></section>")
    return HTMLResponse(report.read_text("utf-8"), headers={"Cache-Control": "no-store"})


@routes("POST", f"{UI}/agents/{{agentId}}/reset", summary="Dashboard: forget the agent's data", tag="ui",
       auth="control", api=False, status=303)
async def reset(ctx: Ctx) -> Response:
    ctx.sandbox.agent(ctx.params["agentId"]).reset()
    return RedirectResponse(f"{UI}/agents/{ctx.params['agentId']}", status_code=303)


@routes("GET", f"{UI}/magic", summary="Dashboard: the magic values", tag="ui", auth="public", api=False, response=str,
       media="text/html")
async def magic_page(ctx: Ctx) -> Response:
    return _page("Magic values", _render("magic", catalogue=magic.catalogue()))


@routes("POST", f"{UI}/agents/{{agentId}}/delete", summary="Dashboard: delete the agent (303 to the agents)", tag="ui",
       auth="control", api=False, status=303)
async def delete(ctx: Ctx) -> Response:
    ctx.sandbox.delete_agent(ctx.params["agentId"])  # the default agent is refused there
    return RedirectResponse(UI, status_code=303)


@routes("POST", f"{UI}/agents/{{agentId}}/graphiql", summary="Dashboard: open GraphiQL with a fresh service-account "
       "token of the agent (handed over in the browser's session storage, never in a URL)", tag="ui",
       auth="control", api=False, response=str, media="text/html")
async def graphiql(ctx: Ctx) -> Response:
    from mockserver.domain import auth
    from mockserver.security.tokens import SERVICE_ACCOUNT

    agent = ctx.sandbox.agent(ctx.params["agentId"])
    account = agent.service_accounts[agent.client_id]
    pair = auth.issue(agent, SERVICE_ACCOUNT, account.id, ctx.base_url(), refresh=False)
    return HTMLResponse(_render("handover", name=agent.name, token=pair.access_token),
                        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


@routes("GET", f"{UI}/certifications/{{sessionId}}", summary="Dashboard: a certification session's report so far",
       tag="ui", auth="control", api=False, response=str, media="text/html")
async def certification_page(ctx: Ctx) -> Response:
    from mockserver.certify import report, session
    from mockserver.core.errors import NotFound

    agent = ctx.sandbox.agent(ctx.params["sessionId"])
    if session.session_of(agent) is None:
        raise NotFound(f"No certification session '{agent.id}'.", codes=["CERTIFICATION_NOT_FOUND"])
    from starlette.concurrency import run_in_threadpool

    evidence = await run_in_threadpool(session.evidence, session.collect(agent))
    return HTMLResponse(report.html(report.certify(evidence), evidence), headers={"Cache-Control": "no-store"})
