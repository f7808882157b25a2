"""The dashboard at ``/__sandbox/ui``: agents, their clock, SMS codes, proposals with their quotes on
the agent's clock, payments, policies, webhook deliveries, the journal and the events, updated live
(server-sent events tell the page when the agent changed; it swaps its live part). Server-rendered
with Jinja2 and a few lines of inline script; nothing is fetched from the network."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from jinja2 import Environment, select_autoescape
from markupsafe import Markup
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from mockserver import __version__, magic
from mockserver.core.clock import iso
from mockserver.domain.tenant import AgentFixture
from mockserver.http.edge import journal_view
from mockserver.http.framework import Ctx, route

UI = "/__sandbox/ui"
STREAM_SECONDS = 20.0  # one event stream lasts this long; the browser reconnects by itself

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))

_BASE = """<!doctype html><html lang="tr"><head><meta charset="utf-8"><title>{{ title }} · insurup-sandbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<style>
:root{--ink:#1b1f24;--mute:#57606a;--line:#d8dee4;--ok:#1a7f37;--bad:#b42318;--warn:#9a6700;--brand:#0b5fff}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,sans-serif;margin:0;color:var(--ink);background:#f6f8fa}
header{background:#0d1b2a;color:#fff;padding:.7rem 1.5rem;display:flex;gap:1.5rem;align-items:center}
header a{color:#cfe0ff;text-decoration:none}header b{font-size:1.05rem}main{padding:1.2rem 1.5rem;max-width:1400px}
section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:.8rem 1rem;margin:0 0 1rem}
h2{font-size:1rem;margin:.2rem 0 .6rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #eef1f4;padding:.3rem .45rem;text-align:left;vertical-align:top}th{color:var(--mute);font-weight:600}
code{font:12px ui-monospace,monospace}.code{font:700 2rem ui-monospace,monospace;letter-spacing:.2rem}
.ACTIVE,.SUCCEEDED,.SUCCESS,.PURCHASED,.ok{color:var(--ok)}.FAILED,.EXPIRED,.bad{color:var(--bad)}
.WAITING,.PURCHASING,.PENDING,.AWAITING_AUTHENTICATION{color:var(--warn)}.grid{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
button,.button{background:var(--brand);color:#fff;border:0;border-radius:6px;padding:.35rem .7rem;cursor:pointer;font:inherit}
button.quiet{background:#eaeef2;color:var(--ink)}form{display:inline}.mute{color:var(--mute)}
.bar{height:10px;background:var(--brand);border-radius:3px;display:inline-block;vertical-align:middle}
</style></head><body><header><b>insurup-sandbox</b><a href="{{ ui }}">Agents</a><a href="{{ ui }}/magic">Magic values</a>
<a href="{{ ui }}/drift">Drift report</a><a href="/docs">API reference</a><a href="/graphql">GraphQL</a>
<span class="mute">v{{ version }}</span></header><main>{{ body }}</main>
{{ script }}</body></html>"""

_INDEX = """<section><h2>Agents</h2><form method="post" action="{{ ui }}/agents"><button id="new-agent">Create an agent</button></form>
<table><tr><th>agent</th><th>name</th><th>market</th><th>clock</th><th>customers</th><th>proposals</th><th>policies</th></tr>
{% for a in agents %}<tr><td><a href="{{ ui }}/agents/{{ a.id }}"><code>{{ a.id }}</code></a>{% if a.default %} <span class="mute">(default)</span>{% endif %}</td>
<td>{{ a.name }}</td><td>{{ a.market }}</td><td>{{ a.now }}</td><td>{{ a.customers }}</td><td>{{ a.proposals }}</td>
<td>{{ a.policies }}</td></tr>{% endfor %}</table></section>"""

_AGENT = """<section><h2>{{ a.name }} <code>{{ a.id }}</code></h2>
<p>service account <code id="client-id">{{ a.client_id }}</code> / <code>{{ a.client_secret }}</code>
<button class="quiet" data-copy="{{ a.client_secret }}">copy secret</button> · agent user <code>{{ a.email }}</code></p>
<p>clock <b id="clock">{{ now }}</b>{% if frozen %} (frozen){% endif %}
{% for label, seconds in steps %}<form method="post" action="{{ ui }}/agents/{{ a.id }}/clock"><input type="hidden" name="advance" value="{{ seconds }}">
<button class="quiet" data-advance="{{ seconds }}">+{{ label }}</button></form>{% endfor %}
<form method="post" action="{{ ui }}/agents/{{ a.id }}/clock"><input type="hidden" name="{{ 'unfreeze' if frozen else 'freeze' }}" value="1">
<button class="quiet">{{ 'unfreeze' if frozen else 'freeze' }}</button></form>
<form method="post" action="{{ ui }}/agents/{{ a.id }}/reset"><button class="quiet">reset</button></form></p></section>
<div id="live">{{ live }}</div>"""

_LIVE = """<div class="grid"><section><h2>SMS codes</h2>{% if not sms %}<p class="mute">none yet</p>{% endif %}
<table>{% for s in sms %}<tr><td class="code" data-sms="{{ s.code }}">{{ s.code }}</td><td>{{ s.to }}<br><span class="mute">{{ s.at }}</span></td></tr>{% endfor %}</table></section>
<section><h2>Payments</h2><table><tr><th>payment</th><th>type</th><th>state</th><th>amount</th><th>card</th></tr>
{% for p in payments %}<tr><td><code>{{ p.id }}</code></td><td>{{ p.type }}</td><td class="{{ p.state }}">{{ p.state }}</td>
<td>{{ p.amount }}</td><td>{{ p.card }}</td></tr>{% endfor %}</table></section></div>
{% for p in proposals %}<section><h2>{{ p.branch }} proposal <code>{{ p.id }}</code> <span class="mute">asked {{ p.asked }}</span></h2>
<table><tr><th>insurer</th><th>product</th><th>state</th><th>arrives</th><th>premium</th><th></th></tr>
{% for x in p.products %}<tr><td>{{ x.insurer }}</td><td>{{ x.product }}</td><td class="{{ x.state }}">{{ x.state }}</td>
<td>{{ x.arrives }}</td><td>{{ x.premium or '' }}</td><td>{% if x.width %}<span class="bar" style="width:{{ x.width }}px"></span>{% endif %}</td></tr>{% endfor %}
</table></section>{% endfor %}
<div class="grid"><section><h2>Policies</h2><table>{% for p in policies %}<tr><td><code>{{ p.id }}</code></td><td>{{ p.branch }}</td>
<td>{{ p.insurer }}</td><td>{{ p.number }}</td></tr>{% endfor %}</table></section>
<section><h2>Webhook deliveries</h2><table><tr><th>event</th><th>state</th><th>attempts</th><th></th></tr>{% for d in deliveries %}
<tr><td>{{ d.event }}</td><td class="{{ d.state }}">{{ d.state }}</td><td>{% for t in d.attempts %}{{ t.status or '—' }} ({{ t.ms }} ms{% if t.error %}, {{ t.error }}{% endif %}) {% endfor %}</td>
<td>{% if d.state != 'PENDING' %}<form method="post" action="{{ ui }}/agents/{{ agent_id }}/deliveries/{{ d.id }}/redeliver">
<button class="quiet" data-redeliver="{{ d.id }}">redeliver</button></form>{% endif %}</td></tr>{% endfor %}</table></section></div>
{% if certification %}<section><h2>Certification: {{ certification.partner }} ({{ certification.plan }})</h2>
<p>{% for m in certification.modules %}<span class="{{ 'ok' if m.seen else 'mute' }}">{{ '✔' if m.seen else '○' }} {{ m.title }}</span><br>{% endfor %}</p>
<table>{% for r in certification.rules %}<tr><td><code>{{ r.rule }}</code></td><td>{{ r.title }}</td><td class="{{ r.result }}">{{ r.result }}</td></tr>{% endfor %}</table></section>{% endif %}
<div class="grid"><section><h2>Journal</h2><table id="journal">{% for j in journal %}<tr><td class="{{ 'bad' if j.status >= 400 else 'ok' }}">{{ j.status }}</td>
<td><code>{{ j.method }} {{ j.path }}</code>{% if j.problem %}<br><span class="mute">{{ j.problem }}</span>{% endif %}</td><td class="mute">{{ j.at }}</td></tr>{% endfor %}</table></section>
<section><h2>Events</h2><table>{% for e in events %}<tr><td><code>{{ e.name }}</code></td><td class="mute">{{ e.at }}</td></tr>{% endfor %}</table></section></div>"""

_MAGIC = """<section><h2>Magic values</h2>{% for group, items in catalogue.items() %}<h3>{{ group }}</h3><table>
{% for m in items %}<tr><td><code>{{ m.value }}</code></td><td class="mute">{{ m.field }}</td><td>{{ m.outcome }}</td></tr>{% endfor %}
</table>{% endfor %}</section>"""

_SCRIPT = """<script>
document.addEventListener("click", (e) => {
  const b = e.target.closest("[data-copy]");
  if (b) { navigator.clipboard && navigator.clipboard.writeText(b.dataset.copy).catch(() => {}); e.preventDefault(); }
});
const live = document.getElementById("live");
if (live && window.EventSource) {
  const source = new EventSource(location.pathname + "/stream");
  let busy = false;
  source.onmessage = async () => {
    if (busy) return; busy = true;
    try {
      const r = await fetch(location.pathname + "?fragment=live", {cache: "no-store"});
      if (r.ok) { live.innerHTML = await r.text(); }
      const c = await fetch(location.pathname + "?fragment=clock", {cache: "no-store"});
      if (c.ok) { document.getElementById("clock").textContent = await c.text(); }
    } finally { busy = false; }
  };
}
</script>"""


def _render(template: str, **values: Any) -> str:
    return _env.from_string(template).render(ui=UI, version=__version__, **values)


def _page(title: str, body: str, script: str = "") -> HTMLResponse:
    # body and script are this module's own renders (already escaped where they hold data)
    html = _env.from_string(_BASE).render(title=title, body=Markup(body), script=Markup(script), ui=UI,
                                          version=__version__)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def _money(value: Any) -> str:
    return f"{value:,.2f} TL".replace(",", "X").replace(".", ",").replace("X", ".") if isinstance(value, (int, float)) else ""


def _live(agent) -> str:
    from mockserver.domain.catalog import catalog

    proposals = []
    for p in list(agent.proposals.values())[-5:][::-1]:
        now = p.now()
        rows = []
        for pp in p.products:
            state = pp.state(now)
            premium = pp.premiums[0]["grossPremium"] if pp.premiums and state in ("ACTIVE", "PURCHASING", "PURCHASED") else None
            rows.append({"insurer": catalog().by_id[pp.product.insurer_id].name, "product": pp.product.name,
                         "state": state, "arrives": iso(pp.arrives_at) if pp.arrives_at else "after the investigation",
                         "premium": _money(premium), "value": premium})
        top = max((r["value"] for r in rows if r["value"]), default=0)
        for r in rows:
            r["width"] = int(160 * r["value"] / top) if r["value"] and top else 0
        proposals.append({"id": p.id, "branch": p.branch, "asked": iso(p.created_at), "products": rows})
    journal = []
    for e in list(agent.journal)[-40:][::-1]:
        view = journal_view(e)
        body = view.get("responseBody")
        problem = body.get("detail") if isinstance(body, dict) and e["status"] >= 400 else None
        journal.append({"status": e["status"], "method": e["method"], "path": e["path"], "at": view["at"],
                        "problem": problem})
    return _render(_LIVE, sms=[{"code": s.code, "to": s.to, "at": iso(s.sent_at)} for s in list(agent.sms)[-8:][::-1]],
                   payments=[{"id": p.id, "type": p.payment_type, "state": p.state, "amount": _money(p.amount),
                              "card": p.card.masked if p.card else ""}
                             for p in list(agent.payments.values())[-8:][::-1]],
                   proposals=proposals,
                   policies=[{"id": x.id, "branch": x.branch, "insurer": catalog().by_id[x.insurance_company_id].name,
                              "number": x.number} for x in list(agent.policies.values())[-8:][::-1]],
                   deliveries=[{"id": d.id, "event": d.event, "state": d.state,
                                "attempts": [{"status": t.status_code, "ms": round(t.duration_ms), "error": t.error}
                                             for t in d.attempts]} for d in list(agent.deliveries.values())[-10:][::-1]],
                   journal=journal, events=[{"name": ev.name, "at": iso(ev.occurred_at)}
                                            for ev in agent.events.since(0)[-30:][::-1]],
                   agent_id=agent.id, certification=_certification(agent))


def _certification(agent) -> dict[str, Any] | None:
    """A certification session's progress: modules seen and each rule's result so far."""
    from mockserver.certify import session
    from mockserver.certify.report import certify

    if session.session_of(agent) is None:
        return None
    cert = certify(session.evidence(agent))
    return {"partner": cert.partner, "plan": f"{cert.plan}@{cert.version}",
            "modules": [{"title": m.title, "seen": m.seen} for m in cert.modules],
            "rules": [{"rule": r.rule, "title": r.title, "result": r.result} for r in cert.results]}


def _version(agent) -> tuple[Any, ...]:
    """What changes when anything on the live part does (the page refreshes then)."""
    now = agent.now()
    arrived = sum(1 for p in agent.proposals.values() for pp in p.products if pp.arrives_at and pp.arrives_at <= now)
    return (len(agent.sms), len(agent.journal), agent.events.seq, len(agent.proposals), arrived,
            tuple(p.state for p in agent.payments.values()), sum(len(d.attempts) for d in agent.deliveries.values()),
            int(now))


@route("GET", UI, summary="Dashboard: the agents", tag="ui", auth="admin", api=False, response=str, media="text/html")
async def index(ctx: Ctx) -> Response:
    default = ctx.sandbox.default_agent
    agents = [{"id": a.id, "name": a.name, "market": a.market, "now": iso(a.now()), "customers": len(a.customers),
               "proposals": len(a.proposals), "policies": len(a.policies), "default": a is default}
              for a in ctx.sandbox.agents.values()]
    return _page("Agents", _render(_INDEX, agents=agents))


@route("POST", f"{UI}/agents", summary="Dashboard: create an agent (303 to its page)", tag="ui", auth="create",
       api=False, status=303)
async def create(ctx: Ctx) -> Response:
    agent = ctx.sandbox.create_agent(AgentFixture())
    return RedirectResponse(f"{UI}/agents/{agent.id}", status_code=303)


@route("GET", f"{UI}/agents/{{agentId}}", summary="Dashboard: one agent, live", tag="ui", auth="control", api=False,
       response=str, media="text/html")
async def agent_page(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    fragment = ctx.request.query_params.get("fragment")
    if fragment == "live":
        return HTMLResponse(_live(agent), headers={"Cache-Control": "no-store"})
    if fragment == "clock":
        return HTMLResponse(iso(agent.now()), headers={"Cache-Control": "no-store"})
    body = _render(_AGENT, a={"id": agent.id, "name": agent.name, "client_id": agent.client_id,
                             "client_secret": agent.client_secret, "email": agent.agent_user_email},
                   now=iso(agent.now()), frozen=agent.clock.frozen,
                   steps=[("1 min", 60), ("10 min", 600), ("1 day", 86400)], live=Markup(_live(agent)))
    return _page(agent.name, body, _SCRIPT)


@route("GET", f"{UI}/agents/{{agentId}}/stream", summary="Dashboard: server-sent events when the agent changes",
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


@route("POST", f"{UI}/agents/{{agentId}}/clock", summary="Dashboard: move or freeze the clock", tag="ui",
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
    agent.tick()
    return RedirectResponse(f"{UI}/agents/{agent.id}", status_code=303)


@route("POST", f"{UI}/agents/{{agentId}}/deliveries/{{deliveryId}}/redeliver", summary="Dashboard: send a webhook "
       "delivery again", tag="ui", auth="control", api=False, status=303)
async def redeliver(ctx: Ctx) -> Response:
    from mockserver.core.errors import NotFound
    from mockserver.domain import webhooks

    agent = ctx.sandbox.agent(ctx.params["agentId"])
    delivery = agent.deliveries.get(ctx.params["deliveryId"])
    if delivery is None:
        raise NotFound(f"Delivery '{ctx.params['deliveryId']}' was not found.", codes=["WEBHOOK_DELIVERY_NOT_FOUND"])
    webhooks.redeliver(agent, delivery)
    ctx.sandbox.wake_deliverer()
    return RedirectResponse(f"{UI}/agents/{agent.id}", status_code=303)


@route("GET", f"{UI}/drift", summary="Dashboard: the latest drift report of the contract suite (drift-report/ in "
       "the working directory)", tag="ui", auth="admin", api=False, response=str, media="text/html")
async def drift_page(ctx: Ctx) -> Response:
    from pathlib import Path

    report = Path("drift-report") / "drift-report.html"
    if not report.is_file():
        return _page("Drift report", "<section><h2>Drift report</h2><p class='mute'>No report yet: run "
                     "<code>insurup-sandbox contract verify</code> in this directory.</p></section>")
    return HTMLResponse(report.read_text("utf-8"), headers={"Cache-Control": "no-store"})


@route("POST", f"{UI}/agents/{{agentId}}/reset", summary="Dashboard: forget the agent's data", tag="ui",
       auth="control", api=False, status=303)
async def reset(ctx: Ctx) -> Response:
    ctx.sandbox.agent(ctx.params["agentId"]).reset()
    return RedirectResponse(f"{UI}/agents/{ctx.params['agentId']}", status_code=303)


@route("GET", f"{UI}/magic", summary="Dashboard: the magic values", tag="ui", auth="public", api=False, response=str,
       media="text/html")
async def magic_page(ctx: Ctx) -> Response:
    return _page("Magic values", _render(_MAGIC, catalogue=magic.catalogue()))
