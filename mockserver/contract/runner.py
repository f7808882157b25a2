"""Target-agnostic scenarios: YAML files of HTTP steps that run against the in-process sandbox, a
sandbox over HTTP, or a real base URL, and report pass, fail or skip per step.

A step is one of::

    - name: login                      # a request
      post: /api/auth/customer/login-or-register      # get | post | put | delete
      auth: ${accessToken}             # optional bearer token
      json: {...}                      # or form: {...}
      expect: {status: 200, body: {token: $string}}
      save: {loginToken: body.token}
    - name: read the SMS code
      otp: {phone: ${phone}, save: code}
    - name: skip ten minutes           # control-plane steps: skipped against a real API
      clock: {advance: 601}

Loops and lists (for listings and idempotency checks)::

    - name: create 250 customers
      repeat: 250                      # runs the step 250 times with ${i} = 0..249
      post: /api/customers
      json: {identityNumber: "${tckn:crm-${i}}", ...}
      collect: {restIds: body.id}      # appends to a list variable
    - name: page through them
      post: /graphql
      json: {query: "...", variables: {first: 100}}
      paginate: {cursor: body.data.customersNew.pageInfo.endCursor,    # or offset: 100 (adds to skip)
                 more: body.data.customersNew.pageInfo.hasNextPage, variable: after, max: 20}
      collect: {gqlIds: "body.data.customersNew.edges[*].node.id"}   # [*] maps over a list
    - name: same set
      assert: {sameSet: [restIds, gqlIds], count: {gqlIds: 250}}   # or {equal: {state: cli-1}}
    - name: create only if missing
      when: {empty: openCases}         # or {nonempty: name}; otherwise the step is skipped
      post: /api/cases:new-sale-opportunity
    - name: poll as a site does until every quote is in
      get: /api/proposals/${proposalId}
      poll: {every: 5, max: 60,        # the sandbox's clock moves 5 s between polls; a real API is waited
             until: {each: body.products[*].state, in: [ACTIVE, FAILED]}}   # for (INSURUP_POLL_SECONDS)

Paths: ``body.items[0].id``, ``body.products[*].state`` (a list), ``body.products[state=ACTIVE].id``
(the first element with that value; ``[a=1&b=2]`` for several) and ``headers.location``; a URL's query
parameter with ``headers.location?code``, and a form field of an HTML page with ``body#login`` (the
``value`` of its ``<input name="login">``). A scenario with ``sandboxOnly: true`` is skipped against a
real API (it drives the sandbox's own pages).

A webhook receiver on 127.0.0.1 (sandbox targets; a real API cannot reach it)::

    - name: a receiver that fails twice
      receiver: {start: hook, failFirst: 2, saveUrl: hookUrl}
    - name: it got three signed attempts of one delivery
      receiver: {check: hook, count: 3, statuses: [500, 500, 200], secret: "${secret}", event: customer.created}
Matchers inside ``expect.body``: ``$any $string $int $number $bool $null $uuid $objectid $jwt
$nonempty $absent``, ``$len:N`` and ``$contains:text``; objects match as subsets, lists element by element;
``expect.headers`` matches response headers (lower-case names) the same way.
Variables: ``${name}`` from ``save`` and the setup (``agentId``, ``clientId``, ``clientSecret``,
``agentUserEmail``, ``agentUserPassword``), ``${tckn:label}``, ``${vkn:label}``, ``${phone:label}``,
``${unique:label}`` (eight letters and digits, for names a persistent agency must not hold yet) (fresh valid values, stable within a scenario, new for every scenario and, against a real API, for
every run). Generated phones are ``500…`` numbers, a prefix Turkey's numbering plan assigns to no
operator, so no SMS can reach a stranger; a scenario that logs a customer in against a real API
uses the tester's own phone.

The tester's own identity, for runs against a real API (``INSURUP_TESTER_TCKN``, ``…_PHONE``,
``…_BIRTH_DATE``, ``…_PLATE``): ``${tester.tckn}``, ``${tester.phone}``, ``${tester.birthDate}``,
``${tester.plate}`` (and its parts ``${tester.plateCity}``, ``${tester.plateCode}``). An unset one
is generated like the others (fresh per scenario), except the phone against a real API: the SMS code
goes there, so it must be the tester's (an error names the variable). Any of a scenario's ``vars``
can be set from the environment as ``INSURUP_VAR_<name>`` (e.g. the agency's own coverage group id).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from mockserver.contract.targets import Target
from mockserver.contract.values import StepFailed, Vars, dig, match, scenario_vars


METHODS = ("get", "post", "put", "delete", "patch")


@dataclass
class StepResult:
    name: str
    status: str  # passed | failed | skipped
    message: str = ""
    ms: float = 0.0


@dataclass
class ScenarioResult:
    file: str
    name: str
    target: str
    steps: list[StepResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(s.status != "failed" for s in self.steps) and bool(self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "name": self.name, "target": self.target, "passed": self.passed,
                "steps": [s.__dict__ for s in self.steps]}


def discover(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(list(p.glob("*.yaml")) + list(p.glob("*.yml")))
        elif p.exists():
            out.append(p)
    return out


def load(path: Path) -> dict[str, Any]:
    """The scenario's mapping, validated (``contract.spec``): raises ScenarioError naming the file,
    the line and the key."""
    from mockserver.contract.spec import load_scenario

    return load_scenario(path)[1]


async def run_scenario(path: Path, target: Target, seed: int = 7, redactor: Any = None) -> ScenarioResult:
    """Run one scenario. Every step's message is redacted (``core.pseudonyms``): no identity, name,
    phone, birth date, card or token reaches a console, a report or a recording through it."""
    from mockserver.core.pseudonyms import Redactor
    from mockserver.contract.spec import ScenarioError

    redactor = redactor if redactor is not None else Redactor()
    try:
        spec = load(path)
    except ScenarioError as exc:
        result = ScenarioResult(str(path), path.stem, target.label)
        result.steps.append(StepResult("load", "failed", str(exc)))
        return result
    result = ScenarioResult(str(path), spec.get("name", path.stem), target.label)
    vars = scenario_vars(spec, path, seed, real=not target.sandbox)
    vars["_redactor"], vars["_file"] = redactor, str(path)
    try:
        try:
            await target.setup(vars, spec)
        except StepFailed as exc:
            result.steps.append(StepResult("setup", "failed", redactor.message(str(exc))))
            return result
        await _steps(spec, target, vars, result, redactor)
    finally:
        for step in result.steps:
            step.message = redactor.message(step.message)
    return result


async def _steps(spec: dict[str, Any], target: Target, vars: Vars, result: ScenarioResult, redactor: Any) -> None:
    failed = False
    try:
        for i, step in enumerate(spec["steps"]):
            name = step.get("name", f"step {i + 1}")
            if failed:
                result.steps.append(StepResult(name, "skipped", "an earlier step failed"))
                continue
            if not target.sandbox and (spec.get("sandboxOnly") or step.get("sandboxOnly") or "clock" in step):
                result.steps.append(StepResult(name, "skipped", "needs the sandbox control plane"))
                continue
            if not target.sandbox and spec.get("safety") == "purchases" and not target.purchases_ok:
                result.steps.append(StepResult(name, "skipped", "buys a policy: against a real API only with "
                                               "--allow-purchases and INSURUP_CONTRACT_ALLOW_PURCHASES=<today>"))
                continue
            when = step.get("when")
            if when and not _condition(when, vars):
                # the condition is part of the scenario's logic (e.g. "create only if missing"):
                # not sending the request is the expected outcome
                result.steps.append(StepResult(name, "passed", f"not sent: condition {when} is false"))
                continue
            started = time.perf_counter()
            vars["_step"] = name
            try:
                if "repeat" in step:
                    for i in range(int(step["repeat"])):
                        vars["i"] = i
                        await _run_step(_with_index(step, i), target, vars)
                else:
                    await _run_step(step, target, vars)
                result.steps.append(StepResult(name, "passed", ms=(time.perf_counter() - started) * 1000))
            except StepFailed as exc:
                failed = True
                result.steps.append(StepResult(name, "failed", str(exc), (time.perf_counter() - started) * 1000))
            except httpx.HTTPError as exc:
                failed = True
                result.steps.append(StepResult(name, "failed", f"transport error: {exc!r}"))
    finally:
        for receiver in vars.get("_receivers", {}).values():
            receiver.close()
        await target.teardown(vars)


def _with_index(value: Any, i: int) -> Any:
    if isinstance(value, str):
        return value.replace("${i}", str(i))
    if isinstance(value, dict):
        return {k: _with_index(v, i) for k, v in value.items() if k != "repeat"}
    if isinstance(value, list):
        return [_with_index(v, i) for v in value]
    return value


def _condition(when: dict[str, Any], vars: Vars) -> bool:
    if "empty" in when:
        return not vars.get(when["empty"])
    if "nonempty" in when:
        return bool(vars.get(when["nonempty"]))
    raise StepFailed(f"unknown condition {when}: use {{empty: var}} or {{nonempty: var}}")


def _assert(spec: dict[str, Any], vars: Vars) -> None:
    if "sameSet" in spec:
        a, b = (vars._lookup(n) for n in spec["sameSet"])
        sa, sb = set(map(str, a)), set(map(str, b))
        if sa != sb or len(a) != len(sa) or len(b) != len(sb):
            raise StepFailed(f"{spec['sameSet'][0]} ({len(a)} items, {len(sa)} distinct) and {spec['sameSet'][1]} "
                             f"({len(b)} items, {len(sb)} distinct) differ: only in the first "
                             f"{sorted(sa - sb)[:3]}, only in the second {sorted(sb - sa)[:3]}")
    for name, expected in (spec.get("equal") or {}).items():
        actual = vars._lookup(name)
        if str(actual) != str(vars.render(expected)):
            raise StepFailed(f"{name}: expected {expected!r}, got {actual!r}"[:300])
    for name, expected in (spec.get("count") or {}).items():
        actual = vars._lookup(name)
        if len(actual) != expected:
            raise StepFailed(f"{name}: expected {expected} items, got {len(actual)}")


def _satisfied(until: dict[str, Any], scope: dict[str, Any], vars: Vars) -> bool:
    try:
        if "body" in until:
            match(vars.render(until["body"]), scope["body"])
        if "each" in until:
            values = dig(scope, until["each"])
            allowed = vars.render(until["in"])
            if not isinstance(values, list) or not values or any(v not in allowed for v in values):
                return False
    except StepFailed:
        return False
    return True


async def _poll(step: dict[str, Any], target: Target, vars: Vars) -> None:
    """Repeat a request until ``until`` holds. Between polls the sandbox agent's clock advances by
    ``every`` seconds (nothing sleeps); against a real API the runner waits that long."""
    import asyncio

    spec = step["poll"]
    base = {k: v for k, v in step.items() if k not in ("poll", "expect", "save", "collect")}
    every = float(spec.get("every", 5))
    # against a real API the runner waits; INSURUP_POLL_SECONDS sets that wait for every poll
    wait = every if target.sandbox else float(os.environ.get("INSURUP_POLL_SECONDS") or every)
    for attempt in range(int(spec.get("max", 60))):
        await _run_step({**base, "expect": {"status": (step.get("expect") or {}).get("status", 200)}}, target, vars)
        if _satisfied(spec["until"], vars["_last"], vars):
            vars["polls"] = attempt + 1
            scope = vars["_last"]
            if "body" in (step.get("expect") or {}):
                match(vars.render(step["expect"]["body"]), scope["body"])
            for var, where in (step.get("save") or {}).items():
                vars[var] = dig(scope, where)
            return
        if target.sandbox:
            r = await target.client.post(f"/__sandbox/agents/{vars['agentId']}/clock", json={"advance": every})
            if r.status_code != 200:
                raise StepFailed(f"clock command failed: {r.status_code} {r.text[:300]}")
        else:
            await asyncio.sleep(wait)
    raise StepFailed(f"{spec['until']} still false after {spec.get('max', 60)} polls, {every:g} s apart; last body: "
                     f"{str(vars['_last']['body'])[:300]}")


def _receiver(spec: dict[str, Any], vars: Vars) -> None:
    """Start a loopback webhook receiver, or check what one received (signatures on the raw bytes)."""
    from mockserver.receiver import Receiver

    receivers = vars.setdefault("_receivers", {})
    if "start" in spec:
        r = Receiver(fail_first=int(spec.get("failFirst", 0)))
        receivers[spec["start"]] = r
        vars[spec.get("saveUrl", f"{spec['start']}Url")] = r.url
        return
    r = receivers.get(spec.get("check"))
    if r is None:
        raise StepFailed(f"no receiver named {spec.get('check')!r}; start it first")
    got = r.wait_for(int(spec.get("count", 1)), timeout=float(spec.get("timeout", 10)))
    if "count" in spec and len(got) != int(spec["count"]):
        raise StepFailed(f"receiver {spec['check']} got {len(got)} requests, expected {spec['count']}")
    if "statuses" in spec and [x.status for x in got] != list(spec["statuses"]):
        raise StepFailed(f"receiver answered {[x.status for x in got]}, expected {spec['statuses']}")
    for i, x in enumerate(got):
        if "event" in spec and x.headers.get("x-webhook-event") != spec["event"]:
            raise StepFailed(f"request {i + 1}: x-webhook-event is {x.headers.get('x-webhook-event')!r}")
        if spec.get("secret") and not x.signature_ok(str(spec["secret"])):
            raise StepFailed(f"request {i + 1}: x-webhook-signature does not match HMAC-SHA256 of the body")
    if spec.get("sameDelivery") and len({x.headers.get("x-webhook-delivery") for x in got}) != 1:
        raise StepFailed("the attempts carry different x-webhook-delivery ids")


async def _run_step(step: dict[str, Any], target: Target, vars: Vars) -> None:
    if "poll" in step:
        await _poll(step, target, vars)
        return
    if "assert" in step:
        _assert(step["assert"], vars)
        return
    if "paginate" in step:
        await _paginate(step, target, vars)
        return
    if "receiver" in step:
        _receiver(vars.render(step["receiver"]), vars)
        return
    if "otp" in step:
        spec = vars.render(step["otp"])
        vars[spec.get("save", "code")] = await target.otp(vars, str(spec["phone"]))
        return
    if "clock" in step:
        r = await target.client.post(f"/__sandbox/agents/{vars['agentId']}/clock", json=vars.render(step["clock"]))
        if r.status_code != 200:
            raise StepFailed(f"clock command failed: {r.status_code} {r.text[:300]}")
        return
    method = next((m for m in METHODS if m in step), None)
    if method is None:
        raise StepFailed("a step needs one of get/post/put/delete, otp, clock, paginate or assert")
    path = vars.render(step[method])
    headers = {k: str(v) for k, v in vars.render(step.get("headers") or {}).items()}
    if step.get("auth"):
        headers["Authorization"] = f"Bearer {vars.render(step['auth'])}"
    kwargs: dict[str, Any] = {"headers": headers}
    if "json" in step:
        kwargs["json"] = vars.render(step["json"])
    if "form" in step:
        kwargs["data"] = vars.render(step["form"])
    if "params" in step:
        kwargs["params"] = vars.render(step["params"])
    if target.guard is not None:
        target.guard(method.upper(), path, vars)
    redactor = vars.get("_redactor")
    if redactor is not None:  # what was sent may come back in a failure's message
        redactor.learn(kwargs.get("json") if "json" in kwargs else kwargs.get("data"))
    response = await target.client.request(method.upper(), path, **kwargs)
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = response.text
    if redactor is not None and target.observer is None:  # (the contract suite's observer redacts it anyway)
        redactor.learn(body)
    if target.observer is not None:
        target.observer({"step": vars.get("_step"), "method": method.upper(), "path": path,
                         "status": response.status_code, "headers": dict(response.headers), "body": body,
                         "sortBy": step.get("sortBy"), "compare": step.get("compare"), "ordered": step.get("ordered"),
                         "query": (kwargs.get("json") or {}).get("query") if isinstance(kwargs.get("json"), dict)
                         and path.rstrip("/").endswith("/graphql") else None})
    expect = step.get("expect") or {}
    status = expect.get("status", 200)
    allowed = status if isinstance(status, list) else [status]
    if response.status_code not in allowed:
        raise StepFailed(f"{method.upper()} {path}: expected status {status}, got {response.status_code}: "
                         f"{str(body)[:300]}")
    if "body" in expect:
        try:
            match(vars.render(expect["body"]), body)
        except StepFailed as exc:
            errors = body.get("errors") if isinstance(body, dict) else None
            if errors:  # a GraphQL answer: say why the data is missing
                raise StepFailed(f"{exc} (errors: {str(errors)[:300]})") from None
            raise
    if "headers" in expect:
        match(vars.render(expect["headers"]), {k.lower(): v for k, v in response.headers.items()}, "headers")
    scope = {"body": body, "headers": dict(response.headers)}
    for var, where in (step.get("save") or {}).items():
        vars[var] = dig(scope, where)
    for var, where in (step.get("collect") or {}).items():
        found = dig(scope, where)
        vars.setdefault(var, [])
        vars[var].extend(found if isinstance(found, list) else [found])
    vars["_last"] = scope


async def _paginate(step: dict[str, Any], target: Target, vars: Vars) -> None:
    """Repeat a request, moving a cursor (or an offset) until ``more`` is false."""
    spec = step["paginate"]
    base = {k: v for k, v in step.items() if k != "paginate"}
    variable = spec.get("variable", "after" if "cursor" in spec else "skip")
    page_vars = dict((base.get("json") or {}).get("variables") or {})
    for _ in range(int(spec.get("max", 100))):
        request = {**base, "json": {**(base.get("json") or {}), "variables": page_vars}}
        await _run_step(request, target, vars)
        scope = vars["_last"]
        if not dig(scope, spec["more"]):
            return
        if "cursor" in spec:
            page_vars = {**page_vars, variable: dig(scope, spec["cursor"])}
        else:
            page_vars = {**page_vars, variable: int(page_vars.get(variable) or 0) + int(spec["offset"])}
    raise StepFailed(f"still more pages after {spec.get('max', 100)} requests")


async def run_all(files: list[Path], target_url: str | None = None, app: Any = None) -> list[ScenarioResult]:
    if target_url:
        client = httpx.AsyncClient(base_url=target_url.rstrip("/"), timeout=30)
        is_sandbox, label = None, target_url
    else:
        if app is None:
            from mockserver.http.app import create_app

            app = create_app()
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox.local", timeout=30)
        is_sandbox, label = True, "in-process"
    async with client:
        if is_sandbox is None:
            try:
                probe = await client.get("/__sandbox/health")
                is_sandbox = probe.status_code == 200 and "defaultAgentId" in probe.text
            except httpx.HTTPError:
                is_sandbox = False
        target = Target(client, label, is_sandbox)
        if not is_sandbox:  # the safety registry guards a real API here too (no budgets: that is the suite's)
            from mockserver.contract import safety
            from mockserver.contract.spec import load_scenario

            def guard(method: str, url: str, vars: Vars) -> None:
                declared = load_scenario(Path(vars["_file"]))[0].safety
                try:
                    safety.check(method, url, declared, real=True, purchases_ok=False)
                except safety.Refused as exc:
                    raise StepFailed(f"refused: {exc}") from None

            target.guard = guard
        return [await run_scenario(f, target) for f in files]


def report(results: list[ScenarioResult], console: Any) -> None:
    from rich.table import Table

    for r in results:
        table = Table(title=f"{r.name}  [{r.target}]  {'PASS' if r.passed else 'FAIL'}", title_justify="left")
        table.add_column("step")
        table.add_column("result")
        table.add_column("ms", justify="right")
        table.add_column("detail", overflow="fold")
        colours = {"passed": "green", "failed": "red", "skipped": "yellow"}
        for s in r.steps:
            table.add_row(s.name, f"[{colours[s.status]}]{s.status}[/]", f"{s.ms:.1f}", s.message)
        console.print(table)
