"""Comparing two runs of a scenario, step by step, after normalisation, and classifying every
difference by what a client would notice.

Breaking (fails the run unless waived):

* ``transport/status``, ``transport/content_type``: another status code or media type (a charset
  parameter is not a difference);
* ``transport/header_missing``, ``header_extra``, ``header_value``: a header clients read
  (``location``, ``www-authenticate``, ``allow``, ``retry-after``) is gone, new, or says something
  else (the location's path and query names, the challenge's scheme and ``error``, the set of methods);
* ``shape/missing_in_fake``, ``shape/extra_in_fake``: a field only the expected (recorded, ``A``) or
  only the actual (fake, ``B``) side sends; a renamed field is both;
* ``shape/type_change``: number ↔ string, array ↔ object, object ↔ scalar…;
* ``shape/null_change``: a value on one side is ``null`` on the other;
* ``shape/discriminator``: another ``$type`` or ``__typename``;
* ``shape/unknown_enum_value``: an enum-like value (``UPPER_SNAKE``) outside the other side's
  observed set at that path (see below);
* ``value/order``: a list the scenario declares ordered (``ordered:``) comes in another order;
* ``flow/state``: a lifecycle field (``state``, ``status``, ``mainState``, ``subState``) progressed to
  another value;
* ``flow/step_missing``, ``flow/step_extra``: a request only one side made;
* ``flow/failed_expected``, ``flow/failed_actual``: a step failed on that side (a recording whose own
  steps failed proves nothing).

Warning: ``value/list_length`` of a declared-ordered list. Info (reported, never failing):
``value/value`` (another value of the same kind), ``value/list_length`` of an unordered list,
``flow/skipped_expected``, and ``flow/state_mix`` (see below).

**Lists carry no order unless declared.** A list is folded into one profile per path
(``$.products[*].productType``): the kinds its items take, the enum values they show, the members
their objects have. Reversing a list, or the seed choosing which insurer quoted what, changes no
profile. An enum's observed sets are compared as sets: a value the other side never shows at that
path is breaking when each side shows a value the other lacks (a renamed value) or when they share
none; when one side only shows fewer of the same values (a seed-chosen mix of outcomes) it is
``state_mix`` (info) for lifecycle fields and breaking for any other field.

Waivers (a YAML file) accept a difference for a reason until a date; an expired waiver is an error.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field

from mockserver.contract.normalise import COMPARED_HEADERS, json_kind

STATE_KEYS = frozenset({"state", "status", "mainState", "subState"})
DISCRIMINATORS = frozenset({"$type", "__typename"})
_ENUM = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")
SEVERITY = {"breaking": 2, "warning": 1, "info": 0}


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: str = Field("*", description="scenario file stem (glob)")
    step: str = Field("*", description="step name (glob)")
    path: str = Field("*", description="JSON path of the difference (glob), e.g. $.products[*].errorMessage")
    code: str = Field("*", description="difference code (glob), e.g. extra_in_fake")
    reason: str = Field(min_length=3)
    expires: dt.date


class WaiverFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    waivers: list[Waiver] = []


def load_waivers(path: Path | None, today: dt.date | None = None) -> tuple[list[Waiver], list[str]]:
    """The waivers still in force, and an error per expired one (an expired waiver fails the run)."""
    if path is None or not path.exists():
        return [], []
    data = WaiverFile.model_validate(yaml.safe_load(path.read_text("utf-8")) or {})
    today = today or dt.date.today()
    live = [w for w in data.waivers if w.expires >= today]
    expired = [f"{path}: the waiver for {w.scenario} / {w.step} / {w.path} ({w.reason}) expired on {w.expires}"
               for w in data.waivers if w.expires < today]
    return live, expired


@dataclass
class Finding:
    kind: str  # transport | shape | value | flow | schema
    code: str
    severity: str  # breaking | warning | info
    path: str
    expected: Any = None
    actual: Any = None
    waived_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "code": self.code, "severity": self.severity, "path": self.path,
                "expected": self.expected, "actual": self.actual, "waivedBy": self.waived_by}


@dataclass
class StepComparison:
    name: str
    operation: str | None
    expected: dict[str, Any] | None
    actual: dict[str, Any] | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def breaking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "breaking" and not f.waived_by]


def _short(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        value = sorted(map(str, value))
    text = repr(value)
    return value if len(text) <= 200 else text[:200] + "…"


# ----------------------------------------------------------------------------- folding
@dataclass
class Folded:
    """Every value seen at one path of one side: a single value, or all the items of its lists."""

    kinds: set[str] = field(default_factory=set)
    enums: set[str] = field(default_factory=set)  # enum-like strings (every string, under a discriminator)
    scalars: set[str] = field(default_factory=set)  # the other scalars, as text
    objects: int = 0
    fields: dict[str, "Folded"] = field(default_factory=dict)
    items: "Folded | None" = None
    arrays: list[list[Any]] = field(default_factory=list)  # the raw arrays (for declared-ordered lists)

    def add(self, value: Any, key: str | None) -> None:
        kind = json_kind(value)
        self.kinds.add(kind)
        if kind == "object":
            self.objects += 1
            for k, v in value.items():
                self.fields.setdefault(k, Folded()).add(v, k)
        elif kind == "array":
            self.arrays.append(value)
            if value:
                self.items = self.items or Folded()
                for v in value:
                    self.items.add(v, key)
        elif kind == "string" and (key in DISCRIMINATORS or _ENUM.match(value)):
            self.enums.add(str(value))
        elif kind != "null":
            self.scalars.add(str(value))


def fold(value: Any, key: str | None = None) -> Folded:
    out = Folded()
    out.add(value, key)
    return out


# ----------------------------------------------------------------------------- comparison
def _compare(e: Folded, a: Folded, path: str, key: str | None, out: list[Finding], ordered: frozenset[str]) -> None:
    en, an = e.kinds - {"null"}, a.kinds - {"null"}
    if en and an and en != an:
        out.append(Finding("shape", "type_change", "breaking", path, "|".join(sorted(e.kinds)),
                           "|".join(sorted(a.kinds))))
        return
    if (not en) != (not an) and (("null" in e.kinds) != ("null" in a.kinds)):
        # one side is always null here, the other never is
        out.append(Finding("shape", "null_change", "breaking", path, "|".join(sorted(e.kinds)),
                           "|".join(sorted(a.kinds))))
        return
    if e.objects and a.objects:
        for k in sorted(e.fields.keys() - a.fields.keys()):
            out.append(Finding("shape", "missing_in_fake", "breaking", f"{path}.{k}", _short(_sample(e.fields[k])), None))
        for k in sorted(a.fields.keys() - e.fields.keys()):
            out.append(Finding("shape", "extra_in_fake", "breaking", f"{path}.{k}", None, _short(_sample(a.fields[k]))))
        for k in sorted(e.fields.keys() & a.fields.keys()):
            _compare(e.fields[k], a.fields[k], f"{path}.{k}", k, out, ordered)
    if e.items is not None and a.items is not None:
        _compare(e.items, a.items, f"{path}[*]", key, out, ordered)
    if path in ordered:
        _sequence(e, a, path, out)
    elif e.arrays and a.arrays and e.items is not None and a.items is not None:
        if sorted(map(len, e.arrays)) != sorted(map(len, a.arrays)):
            out.append(Finding("value", "list_length", "info", path, [len(x) for x in e.arrays][:10],
                               [len(x) for x in a.arrays][:10]))
    elif bool(e.items) != bool(a.items) and e.arrays and a.arrays:  # empty on one side only
        out.append(Finding("value", "list_length", "info", path, [len(x) for x in e.arrays][:10],
                           [len(x) for x in a.arrays][:10]))
    _enums(e, a, path, key, out)
    if e.scalars and a.scalars and e.scalars != a.scalars:
        out.append(Finding("value", "value", "info", path, _short(_one(e.scalars)), _short(_one(a.scalars))))


def _one(values: set[str]) -> Any:
    return next(iter(values)) if len(values) == 1 else values


def _sample(f: Folded) -> Any:
    if f.enums or f.scalars:
        return _one(f.enums | f.scalars)
    return "|".join(sorted(f.kinds))


def _enums(e: Folded, a: Folded, path: str, key: str | None, out: list[Finding]) -> None:
    if not e.enums or not a.enums or e.enums == a.enums:
        return
    only_e, only_a = e.enums - a.enums, a.enums - e.enums
    expected, actual = _short(_one(e.enums)), _short(_one(a.enums))
    if key in DISCRIMINATORS:
        if only_e and only_a:
            out.append(Finding("shape", "discriminator", "breaking", path, expected, actual))
        return
    renamed = (only_e and only_a) or not (e.enums & a.enums)
    if key in STATE_KEYS:
        out.append(Finding("flow", "state", "breaking", path, expected, actual) if renamed
                   else Finding("flow", "state_mix", "info", path, expected, actual))
    else:
        out.append(Finding("shape", "unknown_enum_value", "breaking", path, expected, actual))


def _identity(item: Any) -> str:
    if isinstance(item, dict):
        for k in ("id", "proposalId", "customerId", "policyId", "ref"):
            if k in item:
                return str(item[k])
        return repr(sorted((str(k), repr(v)) for k, v in item.items()))
    return repr(item)


def _sequence(e: Folded, a: Folded, path: str, out: list[Finding]) -> None:
    """A declared-ordered list: the same items in the same order (by id where items have one)."""
    if len(e.arrays) != 1 or len(a.arrays) != 1:
        return
    left, right = [_identity(i) for i in e.arrays[0]], [_identity(i) for i in a.arrays[0]]
    if len(left) != len(right):
        out.append(Finding("value", "list_length", "warning", path, len(left), len(right)))
    elif left != right and sorted(left) == sorted(right):
        out.append(Finding("value", "order", "breaking", path, left[:10], right[:10]))


def compare_bodies(expected: Any, actual: Any, ordered: list[str] | frozenset[str] = frozenset()) -> list[Finding]:
    findings: list[Finding] = []
    _compare(fold(expected), fold(actual), "$", None, findings, frozenset(ordered))
    return findings


def _challenge(value: str) -> tuple[str, str | None]:
    scheme, _, params = value.strip().partition(" ")
    error = re.search(r'error="?([^",\s]+)', params)
    return scheme.lower(), error.group(1) if error else None


def compare_headers(expected: dict[str, str], actual: dict[str, str]) -> list[Finding]:
    """The headers clients read, compared by what they mean."""
    out: list[Finding] = []
    for name in COMPARED_HEADERS:
        e, a = expected.get(name), actual.get(name)
        where = f"headers.{name}"
        if e is None and a is None:
            continue
        if a is None:
            out.append(Finding("transport", "header_missing", "breaking", where, e, None))
        elif e is None:
            out.append(Finding("transport", "header_extra", "breaking", where, None, a))
        elif name == "location":
            eu, au = urlsplit(e), urlsplit(a)
            same = (eu.netloc, eu.path) == (au.netloc, au.path) and \
                {k for k, _ in parse_qsl(eu.query, True)} == {k for k, _ in parse_qsl(au.query, True)}
            if not same:
                out.append(Finding("transport", "header_value", "breaking", where, e, a))
        elif name == "www-authenticate" and _challenge(e) != _challenge(a):
            out.append(Finding("transport", "header_value", "breaking", where, e, a))
        elif name == "allow" and {m.strip().upper() for m in e.split(",")} != {m.strip().upper() for m in a.split(",")}:
            out.append(Finding("transport", "header_value", "breaking", where, e, a))
    return out


def compare_steps(expected: list[dict[str, Any]], actual: list[dict[str, Any]],
                  operations: dict[str, str | None] | None = None,
                  expected_outcome: list[Any] | None = None,
                  actual_outcome: list[Any] | None = None) -> list[StepComparison]:
    """Steps matched by name, in the expected side's order (a step can repeat its name: nth with nth).
    The outcomes (each step's passed / failed / skipped) add the flow: a step that failed on either
    side, or ran on one side only."""
    def keyed(items: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
        seen: dict[str, int] = {}
        out = {}
        for item in items:
            n = seen.get(item["step"], 0)
            seen[item["step"]] = n + 1
            out[(item["step"], n)] = item
        return out

    exp_status = {o.step: o for o in expected_outcome or []}
    act_status = {o.step: o for o in actual_outcome or []}
    left, right = keyed(expected), keyed(actual)
    result: list[StepComparison] = []
    for key, exp in left.items():
        act = right.get(key)
        comp = StepComparison(key[0], (operations or {}).get(key[0]), exp, act)
        if act is None:
            skipped = act_status.get(key[0])
            if skipped is not None and skipped.status == "skipped":
                comp.findings.append(Finding("flow", "skipped_actual", "info", "$", exp.get("status"), skipped.message))
            else:
                comp.findings.append(Finding("flow", "step_missing", "breaking", "$", exp.get("status"), None))
        else:
            if exp["status"] != act["status"]:
                comp.findings.append(Finding("transport", "status", "breaking", "$", exp["status"], act["status"]))
            if exp.get("contentType") != act.get("contentType") and (exp.get("contentType") or act.get("contentType")):
                comp.findings.append(Finding("transport", "content_type", "breaking", "$", exp.get("contentType"),
                                             act.get("contentType")))
            comp.findings += compare_headers(exp.get("headers") or {}, act.get("headers") or {})
            if exp["status"] == act["status"]:
                found = compare_bodies(exp.get("body"), act.get("body"),
                                       frozenset(exp.get("ordered") or []) | frozenset(act.get("ordered") or []))
                if "shape" in (exp.get("compare"), act.get("compare")):  # the step's subject is seed-chosen
                    found = [f for f in found if f.code not in ("value", "list_length", "unknown_enum_value", "state")]
                comp.findings += found
        result.append(comp)
    for key, act in right.items():
        if key not in left:
            comp = StepComparison(key[0], (operations or {}).get(key[0]), None, act)
            skipped = exp_status.get(key[0])
            if skipped is not None and skipped.status == "skipped":
                comp.findings.append(Finding("flow", "skipped_expected", "info", "$", skipped.message,
                                             act.get("status")))
            else:
                comp.findings.append(Finding("flow", "step_extra", "breaking", "$", None, act.get("status")))
            result.append(comp)
    by_name = {c.name: c for c in reversed(result)}
    for outcomes, code, other in ((expected_outcome or [], "failed_expected", act_status),
                                  (actual_outcome or [], "failed_actual", exp_status)):
        for o in outcomes:
            if o.status != "failed" or (code == "failed_actual" and getattr(other.get(o.step), "status", "") == "failed"):
                continue
            comp = by_name.get(o.step)
            if comp is None:
                comp = by_name[o.step] = StepComparison(o.step, (operations or {}).get(o.step), None, None)
                result.append(comp)
            side = "expected" if code == "failed_expected" else "actual"
            comp.findings.append(Finding("flow", code, "breaking", "$", o.message if side == "expected" else None,
                                         o.message if side == "actual" else None))
    return result


def apply_waivers(scenario: str, steps: list[StepComparison], waivers: list[Waiver]) -> None:
    for step in steps:
        for f in step.findings:
            for w in waivers:
                if (fnmatch.fnmatchcase(scenario, w.scenario) and fnmatch.fnmatchcase(step.name, w.step)
                        and fnmatch.fnmatchcase(f.path, w.path) and fnmatch.fnmatchcase(f.code, w.code)):
                    f.waived_by = f"{w.reason} (until {w.expires})"
                    break
