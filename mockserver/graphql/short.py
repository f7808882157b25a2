"""graphql-core's executor with a short path (:class:`ShortExecutor`): fields on the default resolver
without arguments are read and coerced directly, a node of a table with a selection of leaves by its
compiled reader (``graphql/leaves.py``), and a list of objects item by item by one function; whatever
graphql-core would report takes its own path. ``tests/test_graphql_short_path.py`` compares the two."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo
from graphql.execution.executor_throwing_on_incremental import ExecutorThrowingOnIncremental
from graphql.pyutils import Path, Undefined
from graphql.type import is_leaf_type, is_list_type, is_non_null_type, is_object_type

from mockserver.graphql import leaves
from mockserver.graphql.rows import QueryContext


class Node:
    __slots__ = ("item", "read", "q", "score")

    def __init__(self, item: Any, read: Any, q: QueryContext, score: float | None):
        self.item, self.read, self.q, self.score = item, read, q, score


def resolve_field(source: Any, info: GraphQLResolveInfo, **_args: Any) -> Any:
    return field_value(source, info.field_name)


def field_value(source: Any, name: str) -> Any:
    """What the default resolver answers for ``name`` on ``source``: a record's column (a ``Node``),
    a key of a dict the list resolvers built, or an attribute."""
    if type(source) is Node:
        if name == "searchScore":
            return source.score
        return source.read(source.item, name, source.q)
    if isinstance(source, dict):
        return source.get(name)
    return getattr(source, name, None)


class _Slow(Exception):
    """A selection the short path leaves to graphql-core (a null where none may be, an error)."""


# what the short path does with a field: a leaf it reads and coerces, an object or a list of objects it
# reads and descends into, or anything else it leaves to graphql-core
_LEAF, _OBJECT, _LIST, _STANDARD = range(4)


def _plan(parent_type: Any, grouped: Any) -> list[tuple[str, str, int, Any, bool, Any]]:
    """For each response key: (key, field name, what the short path does, the leaf's coercion or the
    object type or the list's item type, non-null, field details)."""
    plan = []
    for response_key, details in grouped.items():
        node = details[0].node
        name = node.name.value
        how, what, non_null = _STANDARD, None, False
        if name == "__typename":
            how, what = _LEAF, None
        else:
            field = parent_type.fields.get(name)
            if field is not None and field.resolve is None and not field.args and not node.arguments:
                kind = field.type
                non_null = is_non_null_type(kind)
                kind = kind.of_type if non_null else kind
                if is_leaf_type(kind):
                    how, what = _LEAF, kind.coerce_output_value
                elif _plain_object(kind):
                    how, what = _OBJECT, kind
                elif is_list_type(kind):
                    item = kind.of_type
                    if _plain_object(item.of_type if is_non_null_type(item) else item):
                        how, what = _LIST, item
        plan.append((response_key, name, how, what, non_null, details))
    return plan


def _compiled(parent_type: Any, plan: list[tuple[str, str, int, Any, bool, Any]], getters: dict[str, Any]) -> Any:
    """The compiled reader of a selection of leaves only (None when it holds anything else)."""
    if any(how != _LEAF for _key, _name, how, _what, _nn, _details in plan):
        return None
    selected = []
    for key, name, _how, what, non_null, _details in plan:
        kind = None
        if what is not None:  # (None: __typename)
            kind = parent_type.fields[name].type
            kind = kind.of_type if is_non_null_type(kind) else kind
        selected.append((key, name, kind, non_null))
    return leaves.reader(parent_type.name, selected, getters)


def _row_of(executor: "ShortExecutor", parent_type: Any, grouped: Any) -> Callable[[Any], dict[str, Any]] | None:
    """One object's answer for a selection of leaves and plain objects (recursively), as graphql-core
    completes it when nothing goes wrong; None for a selection holding anything else (a list, a
    resolver, arguments). Raises on whatever graphql-core would report (a null where none may be, a
    value that does not coerce, a reading that fails): the caller then completes the list the
    standard way. A node of a table with a leaves-only selection is read by its compiled reader."""
    hit = executor._planned(parent_type, grouped)
    steps: list[tuple[str, str, Any, bool, Any]] = []
    for key, name, how, what, non_null, details in hit[1]:
        if how == _LEAF:
            steps.append((key, name, what, non_null, None))
        elif how == _OBJECT:
            sub = executor._row(what, details)
            if sub is None:
                return None
            steps.append((key, name, None, non_null, sub))
        else:
            return None
    leaves_only = all(sub is None for *_rest, sub in steps)
    type_name = parent_type.name

    def row(source: Any) -> dict[str, Any]:
        if leaves_only and type(source) is Node:
            getters = getattr(source.read, "getters", None)
            if getters is not None:
                reader = executor._reader(parent_type, hit, getters)
                if reader is not None:
                    return reader(source.item, source.q)
        out: dict[str, Any] = {}
        for key, name, coerce, non_null, sub in steps:
            if coerce is None and sub is None:  # __typename
                out[key] = type_name
                continue
            value = field_value(source, name)
            if value is None:
                if non_null:
                    raise _Slow
                out[key] = None
            elif sub is None:
                coerced = coerce(value)
                if coerced is None or coerced is Undefined:
                    raise _Slow
                out[key] = coerced
            else:
                out[key] = sub(value)
        return out

    return row


def _plain_object(kind: Any) -> bool:
    return is_object_type(kind) and kind.is_type_of is None


class ShortExecutor(ExecutorThrowingOnIncremental):
    """graphql-core's executor with a short path: a page of 50 cases with 20 columns is a thousand
    scalar fields, each of which graphql-core resolves with its own resolve info, awaitable checks
    and completion. Where a field takes the default resolver (``resolve_field``) and no arguments,
    a scalar or enum is read (``field_value``) and coerced as graphql-core coerces it, and an object
    or a list of objects is read and descended into; every other field takes the standard path. An
    object whose leaves hold a null where none may be, or raise, is executed again the standard way
    (reading a column changes nothing), and an error below an object or a list item is handled by
    graphql-core's ``handle_field_error``: errors, their paths and null propagation are its own
    (``tests/test_graphql_short_path.py`` compares the two executors)."""

    def execute_fields(self, parent_type: Any, source_value: Any, path: Any, grouped_field_set: Any,
                       position_context: Any) -> Any:
        if self.field_resolver is not resolve_field or self.middleware_manager is not None:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        hit = self._planned(parent_type, grouped_field_set)
        plan = hit[1]
        leaves: dict[str, Any] = {}
        # a record's column: its getter straight from the node's table (what Node.read would call)
        getters = getattr(source_value.read, "getters", None) if type(source_value) is Node else None
        if getters is not None:  # a node of leaves only: its selection compiled once (graphql/leaves.py)
            read = self._reader(parent_type, hit, getters)
            if read is not None:
                try:
                    return read(source_value.item, source_value.q)
                except Exception:  # noqa: BLE001 - graphql-core says what went wrong, where
                    return super().execute_fields(parent_type, source_value, path, grouped_field_set,
                                                  position_context)
        try:
            for response_key, name, how, what, non_null, _details in plan:
                if how != _LEAF:
                    continue
                if what is None:
                    leaves[response_key] = parent_type.name
                    continue
                if getters is not None and name != "searchScore":
                    getter = getters.get(name)
                    value = getter(source_value.item, source_value.q) if getter is not None else None
                else:
                    value = field_value(source_value, name)
                if value is None:
                    if non_null:
                        raise _Slow
                    leaves[response_key] = None
                    continue
                coerced = what(value)
                if coerced is None or coerced is Undefined:
                    raise _Slow
                leaves[response_key] = coerced
        except Exception:  # noqa: BLE001 - graphql-core says what went wrong, where
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        if len(leaves) == len(plan):
            return leaves
        results: dict[str, Any] = {}
        for response_key, name, how, what, non_null, details in plan:
            if how == _LEAF:
                results[response_key] = leaves[response_key]
                continue
            field_path = Path(path, response_key, parent_type.name)
            result = _STANDARD_WAY if how == _STANDARD else self._descend(
                parent_type, source_value, name, how, what, non_null, details, field_path, position_context)
            if result is _STANDARD_WAY:
                result = self.execute_field(parent_type, source_value, details, field_path, position_context)
                if result is Undefined:
                    continue
                if self.is_awaitable(result):  # no resolver of the sandbox awaits; graphql-core's way if one did
                    return super().execute_fields(parent_type, source_value, path, grouped_field_set,
                                                  position_context)
            results[response_key] = result
        return results

    def _planned(self, parent_type: Any, grouped: Any) -> list[Any]:
        """``[grouped, its plan, its compiled reader or Undefined]``, made once per request: graphql-core
        collects a list's sub-selection once (the same object for each element), and it is kept here
        so that its id stays its own."""
        plans = self.__dict__.setdefault("_plans", {})
        hit = plans.get((parent_type, id(grouped)))
        if hit is None:
            hit = plans[(parent_type, id(grouped))] = [grouped, _plan(parent_type, grouped), Undefined]
        return hit

    @staticmethod
    def _reader(parent_type: Any, hit: list[Any], getters: dict[str, Any]) -> Any:
        """The compiled reader of a planned selection over a node table's columns (None: not leaves only)."""
        read = hit[2]
        if read is Undefined:
            read = hit[2] = _compiled(parent_type, hit[1], getters)
        return read

    def _row(self, parent_type: Any, details: Any) -> Callable[[Any], dict[str, Any]] | None:
        """``_row_of`` for an object type and a field's selection, made once per request (graphql-core
        collects a list's sub-selection once: the same ``details`` for every item)."""
        rows = self.__dict__.setdefault("_rows", {})
        hit = rows.get((parent_type, id(details)))
        if hit is None:
            grouped, deferred, _forbidden = self.collect_subfields(parent_type, details)
            hit = rows[(parent_type, id(details))] = (details, None if deferred else _row_of(self, parent_type, grouped))
        return hit[1]

    def _descend(self, parent_type: Any, source: Any, name: str, how: int, what: Any, non_null: bool, details: Any,
                 field_path: Any, position_context: Any) -> Any:
        """An object or a list of objects completed the short way, or ``_STANDARD_WAY``."""
        try:
            value = field_value(source, name)
        except Exception:  # noqa: BLE001 - graphql-core reads it again and says why
            return _STANDARD_WAY
        if value is None:
            return _STANDARD_WAY if non_null else None
        return_type = parent_type.fields[name].type
        try:
            if how == _OBJECT:
                return self.collect_and_execute_subfields(what, details, field_path, value, position_context)
            item_non_null = is_non_null_type(what)
            if not isinstance(value, (list, tuple)) or (item_non_null and any(v is None for v in value)):
                return _STANDARD_WAY
            item_type = what.of_type if item_non_null else what
            row = self._row(item_type, details)
            if row is not None:  # a page's items: each answered by one function, no per-object machinery
                try:
                    return [None if item is None else row(item) for item in value]
                except Exception:  # noqa: BLE001 - completed the standard way below, which says what and where
                    pass
            out = []
            for index, item in enumerate(value):
                if item is None:
                    out.append(None)
                    continue
                item_path = Path(field_path, index, None)
                try:
                    out.append(self.collect_and_execute_subfields(item_type, details, item_path, item, position_context))
                except Exception as raw_error:  # noqa: BLE001 - as graphql-core completes a list item
                    self.handle_field_error(raw_error, what, details, item_path)
                    out.append(None)
            return out
        except Exception as raw_error:  # noqa: BLE001 - as graphql-core's execute_field
            self.handle_field_error(raw_error, return_type, details, field_path)
            return None


_STANDARD_WAY = object()
