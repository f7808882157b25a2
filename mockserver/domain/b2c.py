"""The agency's B2C site configuration fields (``GET|PUT b2c/config/fields``, the SDK's
``B2CConfigField`` union): the settings form an agency's site is configured with, as a tree of typed
fields. ``PUT`` replaces the whole tree; each field has a ``name`` (unique among its siblings), a
``type`` (the contract's ``B2CConfigFieldType``, 1-12), optional label and description resource
keys, ``allowedExtensions`` for a File, ``children`` for an Object and ``itemType`` for an Array.

Only the definitions are in the contracts, no values and no client of them: the sandbox keeps the tree
and checks its shape (FIDELITY.md, "Agency settings")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockserver.core.errors import FieldError, refuse_fields

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent

TYPES = {1: "Object", 2: "Array", 3: "Text", 4: "Number", 5: "Boolean", 6: "File", 7: "Color", 8: "ProductBranch",
         9: "Icon", 10: "InsuranceCompany", 11: "MultiLineText", 12: "InsuranceProduct"}
MAX_DEPTH, MAX_FIELDS = 8, 500


def _field(raw: Any, at: str, depth: int, errors: list[FieldError], count: list[int]) -> dict[str, Any] | None:
    count[0] += 1
    if count[0] > MAX_FIELDS:
        if count[0] == MAX_FIELDS + 1:
            errors.append(FieldError(at, f"is one field too many: a configuration holds at most {MAX_FIELDS}", None))
        return None
    if not isinstance(raw, dict):
        errors.append(FieldError(at, "must be a field {name, type, …}", None))
        return None
    out: dict[str, Any] = {}
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        errors.append(FieldError(f"{at}.name", "is required, 1 to 100 characters", None))
    else:
        out["name"] = name.strip()
    kind = raw.get("type")
    if isinstance(kind, bool) or kind not in TYPES:
        errors.append(FieldError(f"{at}.type", "must be a B2CConfigFieldType: " + ", ".join(
            f"{k} {v}" for k, v in TYPES.items()), kind if isinstance(kind, (int, str)) else None))
        return None
    out["type"] = kind
    for key in ("labelResourceKey", "descriptionResourceKey"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > 200):
            errors.append(FieldError(f"{at}.{key}", "must be text of at most 200 characters, or null", None))
        out[key] = value if isinstance(value, str) else None
    if TYPES[kind] == "File":
        ext = raw.get("allowedExtensions")
        if not isinstance(ext, list) or not ext or len(ext) > 30 or not all(
                isinstance(e, str) and 0 < len(e) <= 20 for e in ext):
            errors.append(FieldError(f"{at}.allowedExtensions", "is required for a File field: a list of extensions "
                                     "such as [\".png\", \".svg\"]", None))
        else:
            out["allowedExtensions"] = list(dict.fromkeys(ext))
    if TYPES[kind] in ("Object", "Array") and depth >= MAX_DEPTH:
        errors.append(FieldError(at, f"nests fields more than {MAX_DEPTH} deep", None))
        return None
    if TYPES[kind] == "Object":
        out["children"] = tree(raw.get("children"), f"{at}.children", depth + 1, errors, count)
    if TYPES[kind] == "Array":
        item = raw.get("itemType")
        if item is None:
            errors.append(FieldError(f"{at}.itemType", "is required for an Array field: the field of each item", None))
        else:
            out["itemType"] = _field(item, f"{at}.itemType", depth + 1, errors, count)
    return out


def tree(raw: Any, at: str, depth: int, errors: list[FieldError], count: list[int]) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        errors.append(FieldError(at, "must be a list of fields", None))
        return []
    out, names = [], set()
    for i, item in enumerate(raw):
        made = _field(item, f"{at}[{i}]", depth, errors, count)
        if made is None:
            continue
        if made.get("name") in names:
            errors.append(FieldError(f"{at}[{i}].name", "is already the name of a field beside it", made["name"]))
        names.add(made.get("name"))
        out.append(made)
    return out


def update(agent: "Agent", body: dict[str, Any]) -> None:
    errors: list[FieldError] = []
    fields = tree(body.get("fields"), "fields", 0, errors, [0])
    refuse_fields("B2C configuration", errors, "B2C_CONFIG_INVALID")
    agent.b2c_fields = fields


def wire(agent: "Agent") -> dict[str, Any]:
    return {"fields": agent.b2c_fields}
