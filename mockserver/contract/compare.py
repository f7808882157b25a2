"""Comparing two runs of a scenario, step by step, after normalisation, and classifying every
difference:

* ``transport``: the status code or the content type differs (breaking);
* ``shape``: a field is missing in the fake (breaking), extra in the fake (warning), changes type
  (breaking; to or from null: a warning), or an enum-like value is one the other side never uses
  (breaking);
* ``value``: a value differs (info), a list has another length (warning);
* ``flow``: a step the expected side has is missing or failed on the actual side, or a state
  field (``state``, ``status``, ``mainState``, ``subState``) progressed differently (breaking).

Waivers (a YAML file) accept a difference for a reason until a date; an expired waiver is an error.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from deepdiff import DeepDiff
from pydantic import BaseModel, ConfigDict, Field

STATE_KEYS = frozenset({"state", "status", "mainState", "subState"})
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
    kind: str  # transport | shape | value | flow
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


def _json_path(deep_path: str) -> str:
    """DeepDiff's ``root['data'][0]['x']`` as ``$.data[0].x``."""
    out = deep_path.replace("root", "$", 1)
    out = re.sub(r"\['([^']*)'\]", r".\1", out)
    return out.replace(".[*]", "[*]")


def _last_key(path: str) -> str:
    m = re.search(r"\.([A-Za-z_$][\w$]*)(\[\d+\])*$", path)
    return m.group(1) if m else ""


def _short(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= 200 else text[:200] + "…"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "list", dict: "object"}.get(type(value), type(value).__name__)


def _merge(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The items of a list as one: a field equal in every item keeps its value, a varying one
    becomes the set of its types (``<number|null>``), state fields always do."""
    out: dict[str, Any] = {}
    for key in dict.fromkeys(k for item in items for k in item):
        values = [item[key] for item in items if key in item]
        if all(isinstance(v, dict) for v in values):
            out[key] = _merge(values)
        elif key not in STATE_KEYS and all(v == values[0] for v in values):
            out[key] = values[0]
        else:
            out[key] = "<kinds:" + "|".join(sorted({_kind(v) for v in values})) + ">"
    return out


def summarise(value: Any) -> Any:
    """A body with each list of objects folded into one merged item under ``[*]``: the comparison
    judges a list's shape and constants, not which insurer quoted what (seeds decide that)."""
    if isinstance(value, dict):
        return {k: summarise(v) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(i, dict) for i in value):
            return {"[*]": _merge([summarise(i) for i in value])}
        return [summarise(i) for i in value]
    return value


_MARKER = re.compile(r"^<kinds:[a-z|]+>$")


def _kinds(value: Any) -> set[str]:
    """The kinds a summarised value stands for (a marker's list, or the value's own kind)."""
    if isinstance(value, str) and _MARKER.match(value):
        return set(value[7:-1].split("|"))
    return {_kind(value)}


def _kind_change(jp: str, old: Any, new: Any) -> Finding | None:
    """A difference between values where at least one side is a marker: a shape finding when the
    kinds (null aside) share nothing, a nullability warning when only null differs."""
    olds, news = _kinds(old), _kinds(new)
    if olds - {"null"} and news - {"null"} and not (olds - {"null"}) & (news - {"null"}):
        return Finding("shape", "type_change", "breaking", jp, old, new)
    if ("null" in olds) != ("null" in news) and (olds == {"null"} or news == {"null"}):
        return Finding("value", "nullability", "warning", jp, old, new)
    return None


def compare_bodies(expected: Any, actual: Any) -> list[Finding]:
    findings: list[Finding] = []
    diff = DeepDiff(summarise(expected), summarise(actual), verbose_level=2)
    for path, value in (diff.get("dictionary_item_removed") or {}).items():
        findings.append(Finding("shape", "missing_in_fake", "breaking", _json_path(path), _short(value), None))
    for path, value in (diff.get("dictionary_item_added") or {}).items():
        findings.append(Finding("shape", "extra_in_fake", "warning", _json_path(path), None, _short(value)))
    for path, change in (diff.get("type_changes") or {}).items():
        old, new = change.get("old_value"), change.get("new_value")
        if any(isinstance(v, str) and _MARKER.match(v) for v in (old, new)):
            found = _kind_change(_json_path(path), old, new)
            findings += [found] if found else []
            continue
        nullable = old is None or new is None
        findings.append(Finding("shape" if not nullable else "value", "type_change" if not nullable else "nullability",
                                "warning" if nullable else "breaking", _json_path(path), _short(old), _short(new)))
    for path, change in (diff.get("values_changed") or {}).items():
        jp, old, new = _json_path(path), change.get("old_value"), change.get("new_value")
        key = _last_key(jp)
        if any(isinstance(v, str) and _MARKER.match(v) for v in (old, new)):
            # a field that varies across a list's items on at least one side: kinds, not values
            found = _kind_change(jp, old, new)
            findings += [found] if found else []
        elif key in STATE_KEYS:
            findings.append(Finding("flow", "state", "breaking", jp, old, new))
        elif isinstance(old, str) and isinstance(new, str) and _ENUM.match(old) and _ENUM.match(new):
            findings.append(Finding("shape", "unknown_enum_value", "breaking", jp, old, new))
        else:
            findings.append(Finding("value", "value", "info", jp, _short(old), _short(new)))
    lengths: dict[str, tuple[int, int]] = {}
    for kind in ("iterable_item_removed", "iterable_item_added"):
        for path in (diff.get(kind) or {}):
            parent = re.sub(r"\[\d+\]$", "", _json_path(path))
            lengths.setdefault(parent, (0, 0))
    for parent in lengths:
        findings.append(Finding("value", "list_length", "warning", parent, None, None))
    return findings


def compare_steps(expected: list[dict[str, Any]], actual: list[dict[str, Any]],
                  operations: dict[str, str | None] | None = None) -> list[StepComparison]:
    """Steps matched by name, in the expected side's order (a step can repeat its name: nth with nth)."""
    def keyed(items: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
        seen: dict[str, int] = {}
        out = {}
        for item in items:
            n = seen.get(item["step"], 0)
            seen[item["step"]] = n + 1
            out[(item["step"], n)] = item
        return out

    left, right = keyed(expected), keyed(actual)
    result: list[StepComparison] = []
    for key, exp in left.items():
        act = right.get(key)
        comp = StepComparison(key[0], (operations or {}).get(key[0]), exp, act)
        if act is None:
            comp.findings.append(Finding("flow", "step_missing", "breaking", "$", exp.get("status"), None))
        else:
            if exp["status"] != act["status"]:
                comp.findings.append(Finding("transport", "status", "breaking", "$", exp["status"], act["status"]))
            if exp.get("contentType") != act.get("contentType") and (exp.get("contentType") or act.get("contentType")):
                comp.findings.append(Finding("transport", "content_type", "breaking", "$", exp.get("contentType"),
                                             act.get("contentType")))
            if exp["status"] == act["status"]:
                found = compare_bodies(exp.get("body"), act.get("body"))
                if "shape" in (exp.get("compare"), act.get("compare")):  # the step's subject is seed-chosen
                    found = [f for f in found if f.kind not in ("value",) and f.code != "unknown_enum_value"]
                comp.findings += found
        result.append(comp)
    for key, act in right.items():
        if key not in left:
            comp = StepComparison(key[0], (operations or {}).get(key[0]), None, act)
            comp.findings.append(Finding("flow", "step_extra", "warning", "$", None, act.get("status")))
            result.append(comp)
    return result


def apply_waivers(scenario: str, steps: list[StepComparison], waivers: list[Waiver]) -> None:
    for step in steps:
        for f in step.findings:
            for w in waivers:
                if (fnmatch.fnmatchcase(scenario, w.scenario) and fnmatch.fnmatchcase(step.name, w.step)
                        and fnmatch.fnmatchcase(f.path, w.path) and fnmatch.fnmatchcase(f.code, w.code)):
                    f.waived_by = f"{w.reason} (until {w.expires})"
                    break
