"""The base classes of every wire model: ``Wire`` (request bodies), ``Strict`` (answers), ``Shape``
(a sub-object that travels both ways), and the schema helpers for fields given under several names."""


from typing import Any

from pydantic import BaseModel, ConfigDict


class Wire(BaseModel):
    """Request bodies: strict JSON types (``"1"`` is not a number), unknown fields ignored as the
    real API ignores them; every name a real client sends for a field is declared."""

    model_config = ConfigDict(populate_by_name=True, extra="allow", strict=True, defer_build=True)


class SchemaExtra:
    """A model's ``json_schema_extra``: "at least one field of each group is given, and not null"
    (how the API takes one field under several names) and the model's error code. The domain
    enforces the groups, reporting a missing field with the body's other problems. With
    ``null_ok`` a member sent as null counts (setters where null clears the value)."""

    def __init__(self, groups: tuple[tuple[str, ...], ...], extra: dict[str, Any], null_ok: bool = False):
        self.groups, self.extra, self.null_ok = groups, extra, null_ok

    def __call__(self, schema: dict[str, Any], _cls: Any = None) -> None:
        props = schema.get("properties", {})
        schema.update(self.extra)
        if self.groups:
            schema["allOf"] = [{"anyOf": [{"required": [k]} if self.null_ok else
                                          {"required": [k], "properties": {k: non_null(props.get(k, {}))}}
                                          for k in group]} for group in self.groups]
            schema["x-one-of-required"] = [list(g) for g in self.groups]

    def get(self, key: str, default: Any = None) -> Any:
        return self.extra.get(key, default)


def non_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A property's schema without JSON's null alternative (and without its title, description and
    default): what a field given under one of its names must be."""
    options = [o for o in schema.get("anyOf", ()) if o != {"type": "null"}]
    if "anyOf" not in schema:
        return {k: v for k, v in schema.items() if k not in ("default", "title", "description")}
    return dict(options[0]) if len(options) == 1 else {"anyOf": options}


def one_of_required(*groups: tuple[str, ...], **extra: Any) -> SchemaExtra:
    return SchemaExtra(groups, {k.replace("_", "-"): v for k, v in extra.items()})


def one_of_present(*groups: tuple[str, ...]) -> SchemaExtra:
    """Like ``one_of_required``, but a member sent as null counts: null clears the value."""
    return SchemaExtra(groups, {}, null_ok=True)



class Strict(BaseModel):
    """Response bodies: every field the sandbox emits is declared."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid", defer_build=True)


class Shape(BaseModel):
    """A shape that travels both ways (a client sends it, the sandbox keeps it and answers it back):
    strict JSON types, and a field it does not declare is dropped when parsed, so what is kept and
    answered is exactly what is declared (the domain keeps ``model_dump()``)."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", strict=True, defer_build=True)
