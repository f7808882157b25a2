"""GraphQL answers checked against the sandbox's SDL: the document must validate, and the
``data`` it returned must fit the types its selection asks for (nullability, lists, objects,
scalars and enum values). A recorded real answer that does not fit says where the published SDL
is wrong."""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    parse,
    validate,
)
from graphql.error import GraphQLError
from graphql.language import ast as gast

from mockserver.contract.compare import Finding

_SCALARS = {"String": str, "ID": (str, int), "Int": int, "Long": int, "Float": (int, float), "Decimal": (int, float),
            "Boolean": bool, "UUID": str, "DateTime": str, "Date": str}


def _fields(selection_set: gast.SelectionSetNode | None, fragments: dict[str, Any]) -> list[gast.FieldNode]:
    out: list[gast.FieldNode] = []
    for sel in selection_set.selections if selection_set else ():
        if isinstance(sel, gast.FieldNode):
            out.append(sel)
        elif isinstance(sel, gast.InlineFragmentNode):
            out += _fields(sel.selection_set, fragments)
        elif isinstance(sel, gast.FragmentSpreadNode) and sel.name.value in fragments:
            out += _fields(fragments[sel.name.value].selection_set, fragments)
    return out


def _check(value: Any, type_: Any, node: gast.FieldNode, fragments: dict[str, Any], path: str,
           out: list[Finding]) -> None:
    if isinstance(type_, GraphQLNonNull):
        if value is None:
            out.append(Finding("schema", "sdl", "warning", path, str(type_), None))
            return
        type_ = type_.of_type
    if value is None:
        return
    if isinstance(type_, GraphQLList):
        if not isinstance(value, list):
            out.append(Finding("schema", "sdl", "warning", path, str(type_), type(value).__name__))
            return
        for i, item in enumerate(value):
            _check(item, type_.of_type, node, fragments, f"{path}[{i}]", out)
        return
    if isinstance(type_, GraphQLObjectType):
        if not isinstance(value, dict):
            out.append(Finding("schema", "sdl", "warning", path, type_.name, type(value).__name__))
            return
        for field in _fields(node.selection_set, fragments):
            name = field.name.value
            key = field.alias.value if field.alias else name
            if name == "__typename":
                continue
            definition = type_.fields.get(name)
            if definition is None:
                continue  # validation already said so
            if key not in value:
                out.append(Finding("schema", "sdl", "warning", f"{path}.{key}", "present", "absent"))
                continue
            _check(value[key], definition.type, field, fragments, f"{path}.{key}", out)
        return
    if isinstance(type_, GraphQLEnumType):
        if value not in type_.values:
            out.append(Finding("schema", "sdl", "warning", path, f"{type_.name} value", value))
        return
    if isinstance(type_, GraphQLScalarType):
        expected = _SCALARS.get(type_.name)
        if expected and (not isinstance(value, expected) or isinstance(value, bool) and type_.name != "Boolean"):
            out.append(Finding("schema", "sdl", "warning", path, type_.name, type(value).__name__))


def check(query: str | None, body: Any) -> list[Finding]:
    """Findings for one GraphQL answer (an empty list when it fits, or when there is nothing to check)."""
    from mockserver.graphql.executor import rewrite_variable_types, uses_legacy_cases
    from mockserver.graphql.schema import legacy_cases_schema, schema

    if not query or not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        return []
    try:
        document = rewrite_variable_types(parse(query))
    except GraphQLError:
        return []
    sdl = legacy_cases_schema() if uses_legacy_cases(document) else schema()
    errors = validate(sdl, document)
    if errors:
        return [Finding("schema", "sdl_validation", "warning", "$", "valid against the published SDL",
                        e.message[:200]) for e in errors[:5]]
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, gast.FragmentDefinitionNode)}
    op = next(d for d in document.definitions if isinstance(d, gast.OperationDefinitionNode))
    root = sdl.mutation_type if op.operation == gast.OperationType.MUTATION else sdl.query_type
    out: list[Finding] = []
    data = body["data"]
    for field in _fields(op.selection_set, fragments):
        key = field.alias.value if field.alias else field.name.value
        definition = root.fields.get(field.name.value)
        if definition is not None and key in data:
            _check(data[key], definition.type, field, fragments, f"$.data.{key}", out)
    return out[:20]
