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
from mockserver.wire.render import renderer
from mockserver.wire.setup import B2CConfigOut

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent
    from mockserver.wire.setup import B2CConfig, B2CConfigField

TYPES = {1: "Object", 2: "Array", 3: "Text", 4: "Number", 5: "Boolean", 6: "File", 7: "Color", 8: "ProductBranch",
         9: "Icon", 10: "InsuranceCompany", 11: "MultiLineText", 12: "InsuranceProduct"}
MAX_DEPTH, MAX_FIELDS = 8, 500


def _field(f: "B2CConfigField", at: str, depth: int, errors: list[FieldError], count: list[int]) -> dict[str, Any] | None:
    """One field of the form, as its model parsed it: what the type asks for beside it (a File's
    extensions, an Array's item field, an Object's children), how deep and how many."""
    count[0] += 1
    if count[0] > MAX_FIELDS:
        if count[0] == MAX_FIELDS + 1:
            errors.append(FieldError(at, f"is one field too many: a configuration holds at most {MAX_FIELDS}", None))
        return None
    out: dict[str, Any] = {}
    if f.name is None or not f.name.strip():
        errors.append(FieldError(f"{at}.name", "is required, 1 to 100 characters", None))
    else:
        out["name"] = f.name.strip()
    if f.type not in TYPES:
        errors.append(FieldError(f"{at}.type", "must be a B2CConfigFieldType: " + ", ".join(
            f"{k} {v}" for k, v in TYPES.items()), f.type))
        return None
    out["type"] = f.type
    out["labelResourceKey"], out["descriptionResourceKey"] = f.labelResourceKey, f.descriptionResourceKey
    if TYPES[f.type] == "File":
        if not f.allowedExtensions or not all(f.allowedExtensions):
            errors.append(FieldError(f"{at}.allowedExtensions", "is required for a File field: a list of extensions "
                                     "such as [\".png\", \".svg\"]", None))
        else:
            out["allowedExtensions"] = list(dict.fromkeys(f.allowedExtensions))
    if TYPES[f.type] in ("Object", "Array") and depth >= MAX_DEPTH:
        errors.append(FieldError(at, f"nests fields more than {MAX_DEPTH} deep", None))
        return None
    if TYPES[f.type] == "Object":
        out["children"] = tree(f.children or [], f"{at}.children", depth + 1, errors, count)
    if TYPES[f.type] == "Array":
        if f.itemType is None:
            errors.append(FieldError(f"{at}.itemType", "is required for an Array field: the field of each item", None))
        else:
            out["itemType"] = _field(f.itemType, f"{at}.itemType", depth + 1, errors, count)
    return out


def tree(fields: list["B2CConfigField"], at: str, depth: int, errors: list[FieldError], count: list[int]) -> list[dict[str, Any]]:
    out, names = [], set()
    for i, item in enumerate(fields):
        made = _field(item, f"{at}[{i}]", depth, errors, count)
        if made is None:
            continue
        if made.get("name") in names:
            errors.append(FieldError(f"{at}[{i}].name", "is already the name of a field beside it", made["name"]))
        names.add(made.get("name"))
        out.append(made)
    return out


def update(agent: "Agent", req: "B2CConfig") -> None:
    """``PUT`` the site's settings form, from the parsed request."""
    errors: list[FieldError] = []
    if req.fields is None:
        errors.append(FieldError("fields", "must be a list of fields", None))
    fields = tree(req.fields or [], "fields", 0, errors, [0])
    refuse_fields("B2C configuration", errors, "B2C_CONFIG_INVALID")
    agent.b2c_fields = fields


wire = renderer(B2CConfigOut, None, fields="b2c_fields")
"""``B2CConfigOut``: the agent's B2C settings tree (its fields are kept as the form's own tree)."""
