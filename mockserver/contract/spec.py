"""Scenario files, validated: an unknown key, a YAML error or a bad matcher is an error naming the
file, the line and the key (never a traceback, never a silent pass)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Safety = Literal["read_only", "creates_records", "purchases"]
SAFETY_ORDER = {"read_only": 0, "creates_records": 1, "purchases": 2}
MATCHERS = {"$any", "$string", "$int", "$number", "$bool", "$null", "$uuid", "$objectid", "$jwt", "$nonempty",
            "$absent"}
_PARAM_MATCHERS = re.compile(r"^\$(len:\d+|contains:.*)$", re.S)


class ScenarioError(ValueError):
    """A scenario file that cannot run, with where it went wrong."""

    def __init__(self, path: Path, message: str, line: int | None = None, key: str | None = None):
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {f'{key}: ' if key else ''}{message}")
        self.path, self.line, self.key, self.detail = path, line, key, message


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Otp(Strict):
    phone: str
    save: str = "code"


class Poll(Strict):
    every: float = 5
    max: int = 60
    until: dict[str, Any]


class Paginate(Strict):
    cursor: str | None = None
    offset: int | None = None
    more: str
    variable: str | None = None
    max: int = 100


class Receiver(Strict):
    start: str | None = None
    failFirst: int | None = None
    saveUrl: str | None = None
    check: str | None = None
    count: int | None = None
    statuses: list[int] | None = None
    secret: str | None = None
    event: str | None = None
    sameDelivery: bool | None = None
    timeout: float | None = None


class Expect(Strict):
    status: int | list[int] = 200
    body: Any = None
    headers: dict[str, Any] | None = None


class Step(Strict):
    name: str | None = None
    get: str | None = None
    post: str | None = None
    put: str | None = None
    delete: str | None = None
    patch: str | None = None
    auth: str | None = None
    headers: dict[str, Any] | None = None
    json_: Any = Field(None, alias="json")
    form: dict[str, Any] | None = None
    params: dict[str, Any] | None = None
    expect: Expect | None = None
    save: dict[str, str] | None = None
    collect: dict[str, str] | None = None
    poll: Poll | None = None
    paginate: Paginate | None = None
    repeat: int | None = None
    when: dict[str, str] | None = None
    otp: Otp | None = None
    clock: dict[str, Any] | None = None
    receiver: Receiver | None = None
    assert_: dict[str, Any] | None = Field(None, alias="assert")
    sandboxOnly: bool = False
    compare: Literal["full", "shape"] = Field(
        "full", description="shape: the contract suite compares only the shape of this step's answer (its subject "
                            "is chosen by the run, e.g. the first quoted product)")
    sortBy: dict[str, str | list[str]] | None = Field(
        None, description="how the report shows a list: JSON path of the list -> key field(s) of its items")
    ordered: list[str] | None = Field(
        None, description="JSON paths (e.g. $.data.customersNew.nodes) of lists whose order means something (a "
                          "sort the request asked for): the contract suite compares their order; every other list "
                          "is compared as a set")

    @field_validator("when")
    @classmethod
    def _when(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is not None and set(value) - {"empty", "nonempty"}:
            raise ValueError("a condition is {empty: var} or {nonempty: var}")
        return value


class Scenario(Strict):
    name: str
    safety: Safety = Field(description="read_only, creates_records or purchases: what running it against a real "
                                       "API does")
    fixture: dict[str, Any] | None = None
    certification: dict[str, Any] | None = Field(
        None, description="the agent is a certification session (the POST /__sandbox/certifications body: partner, "
                          "scope, coverageGroups) instead of a plain one: its steps can steer it and ask for its "
                          "report. Not with fixture; makes the scenario sandbox-only")
    vars: dict[str, Any] | None = None
    sandboxOnly: bool = Field(False, description="the scenario needs the sandbox (its control plane, its clock, its "
                                                 "magic values): skipped against a real API. Without it, the "
                                                 "scenario must run against any real API: no control-plane step")
    steps: list[Step] = Field(min_length=1)


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> tuple[int | None, str | None]:
    """The line of the key at ``loc`` in the composed YAML tree (1-based), and the key itself."""
    line, key = (node.start_mark.line + 1 if node is not None else None), None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
            if found is None:
                break
            node, line, key = found[1], found[0].start_mark.line + 1, str(part)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line, key


def _matchers(value: Any, where: list[Any], out: list[tuple[list[Any], str]]) -> None:
    if isinstance(value, str) and value.startswith("$") and not value.startswith("${"):
        if value not in MATCHERS and not _PARAM_MATCHERS.match(value):
            out.append((where, f"{value!r} is not a matcher; use one of {', '.join(sorted(MATCHERS))}, $len:N, "
                               "$contains:text"))
    elif isinstance(value, dict):
        for k, v in value.items():
            _matchers(v, where + [k], out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _matchers(v, where + [i], out)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it
# (the node tree that maps an error to its line is composed only when there is an error)


def load_scenario(path: Path) -> tuple[Scenario, dict[str, Any]]:
    """The validated scenario and its raw mapping (what the runner reads)."""
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise ScenarioError(path, f"cannot be read: {exc.strerror}") from None
    try:
        raw = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioError(path, f"is not valid YAML: {getattr(exc, 'problem', exc)}",
                            mark.line + 1 if mark else None) from None
    if not isinstance(raw, dict):
        raise ScenarioError(path, "a scenario is a mapping with name, safety and steps", 1)
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        line, key = _line_of(yaml.compose(text, Loader=_LOADER), loc)
        where = ".".join(str(p) for p in loc)
        message = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise ScenarioError(path, f"{where}: {message}", line, key) from None
    problems: list[tuple[list[Any], str]] = []
    for i, step in enumerate(raw["steps"]):
        for section in ("expect", "poll"):
            if isinstance(step.get(section), dict):
                target = step[section].get("body") if section == "expect" else step[section].get("until")
                _matchers(target, ["steps", i, section, "body" if section == "expect" else "until"], problems)
    if not scenario.sandboxOnly:
        problems += _portable_problems(raw["steps"])
    if scenario.certification is not None:
        if scenario.fixture is not None:
            problems.append((["certification"], "a certification session makes its own agent: leave fixture out"))
        if not scenario.sandboxOnly:
            problems.append((["certification"], "a certification session is the sandbox's" + _SANDBOX_ONLY))
    if problems:
        where, message = problems[0]
        line, key = _line_of(yaml.compose(text, Loader=_LOADER), tuple(where))
        raise ScenarioError(path, f"{'.'.join(map(str, where))}: {message}", line, key)
    return scenario, raw


_SANDBOX_ONLY = "; mark the scenario sandboxOnly: true (it is then skipped against a real API)"


def _magic(value: Any) -> str | None:
    """The magic value (an outcome only the sandbox forces) a request body holds, if any."""
    from mockserver import magic

    if isinstance(value, dict):
        return next((m for v in value.values() if (m := _magic(v))), None)
    if isinstance(value, list):
        return next((m for v in value if (m := _magic(v))), None)
    if not isinstance(value, str):
        return None
    text = value.strip()
    forced = {*magic.CARD_OUTCOMES, *magic.CARD_SUCCESS, magic.SMS_FAILURE_PHONE, *magic.MERNIS_DOWN_TCKNS,
              *magic.MERNIS_UNKNOWN_TCKNS, magic.MAGIC_SLOW, magic.MAGIC_INVESTIGATION, magic.MAGIC_ALL_FAIL,
              str(magic.UAVT_DOWN), magic.DASK_FIXED_POLICY}
    if text in forced or text.replace(" ", "") in forced or (text.startswith(magic.MAGIC_FAIL_PREFIX) and len(text) == 24):
        return text
    return None


def _portable_problems(steps: list[Any]) -> list[tuple[list[Any], str]]:
    """What keeps a scenario from running against a real API: control-plane steps and magic values."""
    out: list[tuple[list[Any], str]] = []
    for i, step in enumerate(steps):
        if not isinstance(step, dict):
            continue
        for key, why in (("clock", "moves the sandbox's clock"), ("receiver", "needs a receiver a real API cannot "
                         "reach"), ("sandboxOnly", "is a sandbox-only step")):
            if step.get(key):
                out.append((["steps", i, key], f"{why}{_SANDBOX_ONLY}"))
        for method in ("get", "post", "put", "delete", "patch"):
            if isinstance(step.get(method), str) and step[method].lstrip("/").startswith("__sandbox"):
                out.append((["steps", i, method], f"calls the sandbox's control plane{_SANDBOX_ONLY}"))
        found = _magic(step.get("json")) or _magic(step.get("form"))
        if found:
            out.append((["steps", i, "json" if step.get("json") is not None else "form"],
                        f"uses the magic value {found!r}, whose outcome only the sandbox forces{_SANDBOX_ONLY}"))
    return out
