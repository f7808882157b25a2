"""Parsing requests with the wire models that document them.

A route declares its body model (and its query model); the framework parses every request with
them before the handler runs, so the OpenAPI document, generated from the same models, can never
promise a shape the server refuses or accept one it calls invalid. Pydantic's errors become
InsurUp's problem body: one ``validationErrors`` entry per field, ``propertyName`` the camelCase
path as sent (``phoneNumber.number``, ``coverageGroupIds[1]``), the model's own error codes, and
``attemptedValue`` only when it is safe to echo (never a card number, a CVC or a secret).

What JSON Schema cannot say (check digits, references to existing records, states) stays with the
domain, which answers its own 4xx with its own codes.
"""


import re
from functools import cache
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError
from starlette.datastructures import QueryParams

from mockserver.core.errors import BadRequest, FieldError, InputValidation
from mockserver.core.redact import DROP_KEYS, SECRET_KEYS, mask_text

REJECTED_BY = "X-Sandbox-Rejected-By"  # "schema" (this module) or "rule" (the domain) on a 400/422

_MESSAGES = {
    "missing": "is required",
    "string_type": "must be a string",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "list_type": "must be a list",
    "none_required": "must be null",
    "extra_forbidden": "is not a field of this body",
    "literal_error": None,  # pydantic's message names the allowed values
}
_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def model_types(tp: Any) -> list[type[BaseModel]]:
    """The models a type names: ``Model``, ``Model | str``, ``list[Model]``, ``dict[str, Model]``."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    return [m for arg in get_args(tp) for m in model_types(arg)]


@cache
def field_names(model: type[BaseModel]) -> frozenset[str]:
    """Every field name and alias in ``model`` and the models it nests (to tell them apart from
    the union-member tags pydantic puts in an error's location)."""
    names: set[str] = set()
    seen: set[type[BaseModel]] = set()
    todo = [model]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        for name, info in m.model_fields.items():
            names.add(name)
            if info.alias:
                names.add(info.alias)
            todo += model_types(info.annotation)
    return frozenset(names)


_TAGS = frozenset({"str", "int", "float", "bool", "none", "dict", "list"})


def _path(loc: tuple[Any, ...], known: frozenset[str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and (part in known or (_IDENT.match(part) and not out and part not in _TAGS)):
            out += f".{part}" if out else part
    return out or "body"


def _safe_value(path: str, value: Any) -> Any:
    leaf = re.split(r"[.\[]", path)[-1].lower()
    if leaf in DROP_KEYS or leaf in SECRET_KEYS or "card" in path.lower() or leaf in ("number", "code"):
        return None
    if isinstance(value, str):
        return mask_text(value[:200])
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    text = _MESSAGES.get(kind)
    if text:
        return text
    if kind == RULE:
        return str(err["msg"])
    if kind == "string_too_short" and err.get("ctx", {}).get("min_length") == 1:
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        pattern = str(err.get("ctx", {}).get("pattern", ""))
        return "must not be blank" if pattern == r"\S" else f"does not have the expected form ({pattern})"
    if kind == "value_error" and isinstance(err.get("ctx", {}).get("error"), ValueError):
        return str(err["ctx"]["error"])  # a validator's own words, without pydantic's "Value error, "
    msg = str(err.get("msg", "is invalid"))
    return msg[0].lower() + msg[1:] if msg else "is invalid"


def field_errors(exc: ValidationError, model: type[BaseModel]) -> list[FieldError]:
    """One FieldError per field; a union's alternatives are joined (``must be a string or an object``)."""
    known = field_names(model)
    grouped: dict[str, tuple[list[str], Any]] = {}
    for err in exc.errors(include_url=False):
        path = _path(tuple(err.get("loc", ())), known)
        messages, value = grouped.setdefault(path, ([], err.get("input")))
        text = _message(err)
        if text not in messages:
            messages.append(text)
    out = []
    for path, (messages, value) in grouped.items():
        if "is required" in messages:
            messages = ["is required"]
        text = " or ".join(m.removeprefix("must be ") if i else m for i, m in enumerate(messages))
        out.append(FieldError(path, text, _safe_value(path, value)))
    return out


def _codes(model: type[BaseModel], errors: list[FieldError]) -> list[str]:
    extra = model.model_config.get("json_schema_extra")
    base = extra.get("x-error-code") if extra is not None and hasattr(extra, "get") else None
    codes = []
    for fe in errors:
        info = model.model_fields.get(fe.property_name.split(".")[0].split("[")[0])
        if info is None:
            info = next((f for f in model.model_fields.values() if f.alias == fe.property_name.split(".")[0]), None)
        field_extra = info.json_schema_extra if info is not None else None
        code = field_extra.get("x-error-code") if isinstance(field_extra, dict) else None
        if code or base:
            codes.append(code or base)
    return list(dict.fromkeys(codes))


RULE = "rule"  # the error type of a check JSON Schema cannot state (a check digit): rule(...) raises it


def rule(message: str) -> PydanticCustomError:
    """A model's check that JSON Schema cannot state (a check digit, a checksum): the answer says the
    request broke a rule, not its schema (``X-Sandbox-Rejected-By: rule``) when nothing else is wrong."""
    return PydanticCustomError(RULE, message)


def invalid(model: type[BaseModel], exc: ValidationError, what: str = "request body") -> InputValidation:
    errors = field_errors(exc, model)
    by_rule = all(e["type"] == RULE for e in exc.errors(include_url=False))
    return InputValidation(f"The {what} does not match its schema." if not by_rule else f"The {what} breaks a rule.",
                           codes=_codes(model, errors), field_errors=errors,
                           headers={REJECTED_BY: "rule" if by_rule else "schema"})


_INDEX = re.compile(r"\[\d+\]")


def near_misses(errors: list[FieldError], raw: dict[str, Any]) -> list[str]:
    """For a required field that is missing while the same object holds a key that looks like it
    (``plate_number``, ``PlateNumber``, ``plateNumbr`` for ``plateNumber``): say which was meant.
    At most a few objects and keys are compared, so a huge body costs nothing here."""
    import difflib

    out: list[str] = []
    for fe in errors[:20]:
        if not fe.message.startswith("is required"):
            continue
        *parents, name = fe.property_name.split(".")
        node: Any = raw
        for part in parents:
            key, _, rest = part.partition("[")
            node = node.get(key) if isinstance(node, dict) else None
            for index in _INDEX.findall("[" + rest) if rest else ():
                i = int(index[1:-1])
                node = node[i] if isinstance(node, list) and i < len(node) else None
        if not isinstance(node, dict) or name in node:
            continue
        sent = [k for k in list(node)[:200] if isinstance(k, str) and len(k) <= 100]
        folded = {k.replace("_", "").replace("-", "").lower(): k for k in sent}
        match = folded.get(name.lower())
        if match is None:
            close = difflib.get_close_matches(name.lower(), list(folded), n=1, cutoff=0.8)
            match = folded[close[0]] if close else None
        if match is None and len(name) >= 4:  # plate_number for plate
            match = next((k for f, k in folded.items() if f.startswith(name.lower())), None)
        if match is not None:
            out.append(f"'{fe.property_name}' is required and the body has '{match}' next to it: "
                       f"did you mean '{name}'?")
    return out


def groups_of(model: type[BaseModel]) -> list[tuple[str, ...]]:
    extra = model.model_config.get("json_schema_extra")
    return list(getattr(extra, "groups", ()))


def _missing(instance: BaseModel, prefix: str, out: list[FieldError]) -> None:
    """Groups of ``one_of_required`` with no member given (and not null), in ``instance`` and the
    models it holds."""
    cls = type(instance)
    by_alias = {(info.alias or name): name for name, info in cls.model_fields.items()}
    for group in groups_of(cls):
        if all(getattr(instance, by_alias.get(key, key), None) is None for key in group):
            alternatives = f" (or {', '.join(group[1:])})" if len(group) > 1 else ""
            out.append(FieldError(prefix + group[0], f"is required{alternatives}", None))
    for name in cls.model_fields:
        value = getattr(instance, name, None)
        key = cls.model_fields[name].alias or name
        if isinstance(value, BaseModel):
            _missing(value, f"{prefix}{key}.", out)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _missing(item, f"{prefix}{key}[{i}].", out)


INT64 = (-(2**63), 2**63 - 1)


def json_numbers(raw: dict[str, Any], model: type[BaseModel]) -> None:
    """JSON Schema's reading of numbers, applied in place to the fields ``model`` declares (extras
    have no schema, and are not walked: a 1 MiB undeclared list costs nothing here): an integral
    float (``5.0``) is the integer 5."""
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in raw:
            continue
        nested = model_types(info.annotation)
        value = raw[key]
        values = value if isinstance(value, list) else [value]
        for i, item in enumerate(values):
            if isinstance(item, float) and item.is_integer() and INT64[0] < item < INT64[1]:
                # (exclusive bounds: a float at the edge may be a rounded integer beyond 64 bits)
                if isinstance(value, list):
                    value[i] = int(item)
                else:
                    raw[key] = int(item)
            elif isinstance(item, dict):
                for sub in nested:
                    json_numbers(item, sub)


def wide_integers(instance: BaseModel, prefix: str = "") -> list[FieldError]:
    """Declared integer fields must fit in 64 bits, as the document says (undeclared extras are
    the client's own business)."""
    problems: list[FieldError] = []
    cls = type(instance)
    for name, info in cls.model_fields.items():
        value = getattr(instance, name, None)
        where = prefix + (info.alias or name)
        values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, item in values:
            at = where if i is None else f"{where}[{i}]"
            if isinstance(item, int) and not isinstance(item, bool) and not INT64[0] <= item <= INT64[1]:
                problems.append(FieldError(at, "must be a whole number within 64 bits", None))
            elif isinstance(item, BaseModel):
                problems += wide_integers(item, at + ".")
    return problems


def body(model: type[BaseModel], raw: Any) -> BaseModel:
    if not isinstance(raw, dict):
        raise BadRequest("The request body must be a JSON object.", codes=["MALFORMED_JSON"],
                         field_errors=[FieldError("body", "must be a JSON object", None)],
                         headers={REJECTED_BY: "schema"})
    json_numbers(raw, model)
    try:
        instance = model.model_validate(raw)
    except ValidationError as exc:
        raise invalid(model, exc) from None
    problems = wide_integers(instance)
    if problems:
        raise InputValidation("The request body does not match its schema.", field_errors=problems,
                              codes=_codes(model, problems), headers={REJECTED_BY: "schema"})
    # a body's one_of_required groups are enforced by the domain, which reports a missing field
    # together with every other problem of the body (and with its own codes)
    return instance


def query(model: type[BaseModel], params: QueryParams) -> BaseModel:
    """Query parameters into ``model``: list fields take every repetition (``?a=1&a=2``), a list
    field also splits one comma-separated value. An empty value is a value (``take=`` is not a
    number); handlers read an empty text as not given."""
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        values = params.getlist(key)
        if not values:
            continue
        if get_origin(info.annotation) is list or any(get_origin(a) is list for a in get_args(info.annotation)):
            parts = [part for v in values for part in v.split(",") if part]
            if parts:
                data[key] = parts
        else:
            data[key] = values[-1]
    try:
        instance = model.model_validate(data)
    except ValidationError as exc:
        raise invalid(model, exc, "query string") from None
    missing = wide_integers(instance)
    _missing(instance, "", missing)
    if missing:
        raise InputValidation("The query string does not match its schema.", field_errors=missing,
                              headers={REJECTED_BY: "schema"})
    return instance


def kept(shape: type[BaseModel], raw: Any) -> dict[str, Any] | None:
    """What is kept of a sub-object the route's model has parsed: the ``Shape``'s declared fields
    only (a field it does not declare is dropped), ready to be answered back; None for None."""
    if raw is None:
        return None
    return shape.model_validate(raw).model_dump(by_alias=True)
