"""A checker of JSON answers against InsurUp's SDK contracts as transcribed in
``contracts/sdk/ts-toolkit.json``: a required field missing, null where the SDK does not allow it, a
value of another type, an enum value the SDK does not have, a field a closed type does not declare.
It is independent of the sandbox's own models (it reads only the transcription)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

CONTRACTS = Path(__file__).resolve().parents[1] / "contracts" / "sdk" / "ts-toolkit.json"


@cache
def contracts() -> dict[str, Any]:
    return json.loads(CONTRACTS.read_text("utf-8"))


def _fields(name: str, value: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    spec = contracts()["types"][name]
    fields = dict(spec.get("fields", {}))
    by = spec.get("by")
    if by is not None:
        fields.update(by["members"].get(value.get(by["on"]), {}))
    return fields, bool(spec.get("closed"))


def check(value: Any, type_: str, path: str = "$") -> list[str]:
    """Every way ``value`` departs from the SDK type ``type_`` (``ref:X``, ``enum:X``, ``array:…``…)."""
    if type_ == "any":
        return []
    if type_.startswith("array:"):
        if not isinstance(value, list):
            return [f"{path}: an array expected, got {type(value).__name__}"]
        return [p for i, item in enumerate(value) for p in check(item, type_[6:], f"{path}[{i}]")]
    if type_.startswith("enum:"):
        allowed = contracts()["enums"][type_[5:]]["values"]
        return [] if value in allowed else [f"{path}: {value!r} is not a {type_[5:]} value"]
    if type_ in ("string", "number", "boolean", "object"):
        ok = {"string": isinstance(value, str), "boolean": isinstance(value, bool),
              "number": isinstance(value, (int, float)) and not isinstance(value, bool),
              "object": isinstance(value, dict)}[type_]
        return [] if ok else [f"{path}: a {type_} expected, got {type(value).__name__} {value!r}"[:200]]
    assert type_.startswith("ref:"), type_
    name = type_[4:]
    spec = contracts()["types"][name]
    if not isinstance(value, dict):
        return [f"{path}: a {name} object expected, got {type(value).__name__}"]
    union = spec.get("union")
    if union is not None:
        member = union["members"].get(value.get(union["on"]))
        if member is None:
            return [f"{path}.{union['on']}: {value.get(union['on'])!r} selects no {name} member"]
        return check(value, f"ref:{member}", path)
    fields, closed = _fields(name, value)
    problems = []
    for key, field in fields.items():
        if key not in value:
            if field["required"]:
                problems.append(f"{path}.{key}: required by {name}, missing")
            continue
        if value[key] is None:
            if not field["nullable"]:
                problems.append(f"{path}.{key}: null where {name} does not allow it")
            continue
        problems += check(value[key], field["type"], f"{path}.{key}")
    if closed:
        problems += [f"{path}.{key}: not a field of {name}" for key in value if key not in fields]
    return problems
