"""A selection of leaves compiled into one function: what the short path does for an object whose
selected fields are all scalars or enums read from a record's columns (a page's node), written out once
per selection and node table instead of interpreted field by field.

For each selected field the function calls the column's getter, and coerces the value as graphql-core
does: a ``String`` or ``ID`` that is already a ``str``, an ``Int`` that is an ``int`` within 32 bits and a
``Boolean`` that is a ``bool`` are what graphql-core's serializers would return (the same object), and
every other value goes through the type's own ``coerce_output_value``. A null where none may be, or a
value the serializer will not take, raises :class:`Slow` (the caller then executes the object the
standard way, which reports it). ``tests/test_graphql_short_path.py`` compares the two executors."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable

from graphql.pyutils import Undefined
from graphql.type import GraphQLBoolean, GraphQLID, GraphQLInt, GraphQLString

Reader = Callable[[Any, Any], dict[str, Any]]


class Slow(Exception):
    """A value the compiled reader leaves to graphql-core (a null where none may be, an odd value)."""


_INLINE = {  # (the serializer's own answer for these values is the value itself)
    id(GraphQLString): "v.__class__ is str", id(GraphQLID): "v.__class__ is str",
    id(GraphQLBoolean): "v.__class__ is bool",
    id(GraphQLInt): "v.__class__ is int and -2147483648 <= v <= 2147483647",
}
_CACHE: OrderedDict[tuple[Any, ...], Reader | None] = OrderedDict()
_KEEP = 512  # compiled selections kept (documents are cached by text; so are these, by shape)
_LOCK = threading.Lock()


def reader(parent_name: str, leaves: list[tuple[str, str, Any, bool]], getters: dict[str, Any]) -> Reader | None:
    """The compiled reader of ``leaves`` — (response key, field name, leaf type or None for
    ``__typename``, non-null) — over records whose columns ``getters`` reads; None when a field has no
    getter of its own to call (the caller keeps its general path)."""
    key = (parent_name, id(getters), tuple((k, n, id(t), nn) for k, n, t, nn in leaves))
    found = _CACHE.get(key, Undefined)
    if found is not Undefined:
        return found  # type: ignore[return-value]
    made = _compile(parent_name, leaves, getters)
    with _LOCK:
        _CACHE[key] = made
        while len(_CACHE) > _KEEP:
            _CACHE.popitem(last=False)
    return made


def _compile(parent_name: str, leaves: list[tuple[str, str, Any, bool]], getters: dict[str, Any]) -> Reader | None:
    names: dict[str, Any] = {"Slow": Slow, "U": Undefined, "getters": getters}
    lines, items = [], []
    for i, (response_key, name, kind, non_null) in enumerate(leaves):
        items.append(f"{response_key!r}: r{i}")
        if kind is None:  # __typename
            names[f"t{i}"] = parent_name
            lines.append(f"    r{i} = t{i}")
            continue
        getter = getters.get(name)
        if getter is None or name == "searchScore":  # (a search's score is the node's, not a column)
            return None
        names[f"g{i}"], names[f"c{i}"] = getter, kind.coerce_output_value
        lines.append(f"    v = g{i}(item, q)")
        lines.append("    if v is None:")
        lines.append("        raise Slow" if non_null else f"        r{i} = None")
        lines.append("    else:")
        inline = _INLINE.get(id(kind))
        coerce = f"(v if {inline} else c{i}(v))" if inline else f"c{i}(v)"
        lines.append(f"        r{i} = {coerce}")
        lines.append(f"        if r{i} is None or r{i} is U:")
        lines.append("            raise Slow")
    code = "def read(item, q):\n" + "\n".join(lines) + f"\n    return {{{', '.join(items)}}}\n"
    exec(compile(code, f"<leaves of {parent_name}>", "exec"), names)
    return names["read"]
