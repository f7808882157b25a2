"""The GraphQL executor's short path (``graphql.short.ShortExecutor``) answers exactly what
graphql-core's own executor answers: the same data, the same errors at the same paths, the same
nulls propagated, for any selection (aliases, fragments, ``__typename``, ``@skip``/``@include``)
over values that hold nulls where none may be, values that do not coerce and getters that raise;
lists of objects (answered item by item by one function, ``_row_of``) included."""

from __future__ import annotations

import json

from graphql import build_schema, execute, parse, validate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.graphql.short import Node, ShortExecutor, resolve_field

SDL = """
enum Color { RED GREEN }
scalar Odd
type Item {
  id: ID!
  name: String
  count: Int
  ratio: Float
  color: Color
  strictName: String!
  strictCount: Int!
  flag: Boolean
  odd: Odd
  child: Item
  strictChild: Item!
  tags: [String]
  children: [Item!]
  greet(who: String): String
}
type Query { items: [Item], strictItems: [Item!]!, one: Item }
"""
SCHEMA = build_schema(SDL)
# a scalar whose serializer answers no value for "?" (graphql-core reports it as an error)
SCHEMA.type_map["Odd"].coerce_output_value = lambda value: None if value == "?" else str(value)
LEAVES = ["id", "name", "count", "ratio", "color", "strictName", "strictCount", "flag", "odd", "tags", "__typename"]


class Raises:
    """A value whose reading fails (a getter that raises)."""

    def __getattr__(self, name: str):
        if name.startswith("__"):  # (graphql-core asks any value whether it is awaitable)
            raise AttributeError(name)
        raise RuntimeError(f"cannot read {name}")


def _greet(source, _info, who=None):
    return f"hello {who}" if isinstance(source, dict) else None


SCHEMA.type_map["Item"].fields["greet"].resolve = _greet

wrong = st.one_of(st.none(), st.integers(-5, 2**40), st.sampled_from([2**31, -2**31 - 1, 2**40]), st.text(max_size=3),
                  st.floats(allow_nan=False),
                  st.sampled_from(["RED", "GREEN", "BLUE"]), st.booleans(), st.lists(st.text(max_size=2), max_size=2))
TYPED = {"id": st.one_of(st.integers(0, 99), st.text(min_size=1, max_size=3)), "name": st.text(max_size=3),
         "count": st.integers(-5, 99), "ratio": st.floats(-1, 1), "color": st.sampled_from(["RED", "GREEN"]),
         "strictName": st.text(max_size=3), "strictCount": st.integers(0, 9), "flag": st.booleans(),
         "odd": st.sampled_from(["a", "?"]),
         "tags": st.lists(st.one_of(st.none(), st.text(max_size=2)), max_size=2)}
# mostly what each field holds, sometimes a null or a value of another type
value_of = {k: st.one_of(v, v, v, v, v, v, wrong) for k, v in TYPED.items()}


def items(depth: int = 2):
    """An item (the first branch is what Hypothesis starts from), a null, or one whose fields raise."""
    leaf = st.fixed_dictionaries(value_of)
    if depth == 0:
        return st.one_of(leaf, st.none(), st.just(Raises()))
    child = items(depth - 1)
    return st.one_of(st.builds(lambda d, c, sc, cs: {**d, "child": c, "strictChild": sc, "children": cs},
                               leaf, child, child, st.one_of(st.lists(child, max_size=3), st.none())),
                     st.none(), st.just(Raises()))


@st.composite
def selections(draw, depth: int = 2) -> str:
    parts = []
    for name in draw(st.lists(st.sampled_from(LEAVES + ["greet", "child", "strictChild", "children"]),
                              min_size=1, max_size=6)):
        alias = draw(st.sampled_from(["", f"{name.strip('_')}Alias: "]))
        directive = draw(st.sampled_from(["", "", " @skip(if: true)", " @include(if: true)", " @include(if: false)"]))
        if name in ("child", "strictChild", "children"):
            if depth == 0:
                continue
            parts.append(f"{alias}{name}{directive} {{ {draw(selections(depth - 1))} }}")
        elif name == "greet":
            parts.append(f'{alias}greet(who: "x"){directive}')
        else:
            parts.append(f"{alias}{name}{directive}")
    if draw(st.booleans()):
        parts.append("...F")
    return " ".join(parts) or "id"


def run(document, root, executor_class=None):
    # the sandbox's default resolver on both sides, as executor.run passes it
    result = execute(SCHEMA, document, root_value=root, field_resolver=resolve_field, executor_class=executor_class)
    errors = sorted((e.message, tuple(e.path or ())) for e in result.errors or ())
    return json.dumps(result.data, sort_keys=False), errors


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(root_items=st.lists(items(), max_size=4), one=items(), sel=selections(),
       field=st.sampled_from(["items", "strictItems", "one"]))
def test_short_path_answers_what_graphql_core_answers(root_items, one, sel, field):
    fragment = " fragment F on Item { id strictName count }" if "...F" in sel else ""
    text = f"query {{ {field} {{ {sel} }} }}{fragment}"
    document = parse(text)
    errors = validate(SCHEMA, document)
    if errors:  # an unused fragment, a field selected twice with different arguments...
        return
    root = {"items": root_items, "strictItems": root_items, "one": one}
    assert run(document, root, ShortExecutor) == run(document, root)


def clean_items(depth: int = 2):
    """Items whose readings all succeed (values may still be nulls or of another type): a list of them
    is answered item by item by one function (``short._row_of``) unless something is wrong."""
    leaf = st.fixed_dictionaries(value_of)
    if depth == 0:
        return leaf
    child = st.one_of(clean_items(depth - 1), st.none())
    return st.builds(lambda d, c, sc: {**d, "child": c, "strictChild": sc}, leaf, child, child)


@st.composite
def object_selections(draw, depth: int = 2) -> str:
    """Leaves and nested objects only (what a page's items hold)."""
    parts = []
    for name in draw(st.lists(st.sampled_from(LEAVES + ["child", "strictChild"]), min_size=1, max_size=6)):
        alias = draw(st.sampled_from(["", f"{name.strip('_')}Alias: "]))
        directive = draw(st.sampled_from(["", "", " @include(if: false)"]))
        if name in ("child", "strictChild"):
            if depth:
                parts.append(f"{alias}{name}{directive} {{ {draw(object_selections(depth - 1))} }}")
        else:
            parts.append(f"{alias}{name}{directive}")
    return " ".join(parts) or "id"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(root_items=st.lists(st.one_of(clean_items(), clean_items(), st.none()), min_size=1, max_size=4),
       sel=object_selections(), field=st.sampled_from(["items", "strictItems"]))
def test_a_list_of_objects_answered_item_by_item_answers_what_graphql_core_answers(root_items, sel, field):
    document = parse(f"query {{ {field} {{ {sel} }} }}")
    if validate(SCHEMA, document):
        return
    root = {"items": root_items, "strictItems": root_items}
    assert run(document, root, ShortExecutor) == run(document, root)


def _table_read():
    """A node table as ``graphql.rows`` makes one: a reader, and the column getters the executor calls
    directly (here reading a dict, and failing for a record whose reading fails)."""
    def column(name):
        def get(item, q):
            if isinstance(item, Raises):
                raise RuntimeError(f"cannot read {name}")
            return item.get(name)
        return get

    def read(item, name, q):
        return read.getters[name](item, q) if name in read.getters else None

    read.getters = {name: column(name) for name in TYPED}
    return read


@st.composite
def leaf_selections(draw) -> str:
    parts = []
    for name in draw(st.lists(st.sampled_from([n for n in LEAVES if n != "tags"]), min_size=1, max_size=8)):
        alias = draw(st.sampled_from(["", f"{name.strip('_')}Alias: "]))
        directive = draw(st.sampled_from(["", "", " @skip(if: true)", " @include(if: false)"]))
        parts.append(f"{alias}{name}{directive}")
    return " ".join(parts)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(st.one_of(st.fixed_dictionaries(value_of), st.just(Raises())), max_size=4),
       sel=leaf_selections(), field=st.sampled_from(["items", "strictItems", "one"]))
def test_a_compiled_selection_of_columns_answers_what_graphql_core_answers(records, sel, field):
    """Nodes read through a table's column getters (the page of a list): their leaves-only selection is
    compiled (``graphql/leaves.py``) and answers what graphql-core answers, for nulls where none may be,
    integers beyond 32 bits, values of another type and getters that raise."""
    document = parse(f"query {{ {field} {{ {sel} }} }}")
    if validate(SCHEMA, document):
        return
    read = _table_read()
    nodes = [Node(r, read, None, None) for r in records]
    root = {"items": nodes, "strictItems": nodes, "one": nodes[0] if nodes else None}
    assert run(document, root, ShortExecutor) == run(document, root)


def test_the_short_path_keeps_field_order_and_aliases():
    document = parse('{ one { b: count a: name __typename greet(who: "y") child { id } } }')
    root = {"one": {"count": 3, "name": "n", "child": {"id": 7}}}
    data, errors = run(document, root, ShortExecutor)
    assert data == '{"one": {"b": 3, "a": "n", "__typename": "Item", "greet": "hello y", "child": {"id": "7"}}}'
    assert errors == []


def test_a_null_where_none_may_be_is_graphql_cores_error():
    document = parse("{ items { id strictName } }")
    root = {"items": [{"id": 1, "strictName": "ok"}, {"id": 2, "strictName": None}]}
    data, errors = run(document, root, ShortExecutor)
    assert data == '{"items": [{"id": "1", "strictName": "ok"}, null]}'
    assert errors == [("Cannot return null for non-nullable field Item.strictName.", ("items", 1, "strictName"))]


def test_every_list_of_the_sandbox_answers_the_same_by_both_executors(sb, agent, monkeypatch):
    """Every list field of the served schema, every scalar column of its node and ``__typename``,
    through the API: the short path and graphql-core's executor answer the same bytes."""
    from graphql import get_named_type, is_leaf_type
    from graphql.execution.executor_throwing_on_incremental import ExecutorThrowingOnIncremental

    from mockserver.graphql import executor
    from mockserver.graphql.schema import LISTS, schema
    from tests.conftest import fresh_tckn

    h = sb.bearer(sb.service_token(agent))
    customer = sb.http.post("/api/customers", headers=h, json={"$type": "individual", "identityNumber": fresh_tckn(),
                                                               "fullName": "Deniz Ak", "birthDate": "1990-05-01"}).json()
    vehicle = sb.http.post(f"/api/customers/{customer['id']}/vehicles", headers=h, json={
        "plate": "34DA124", "brandReference": "RENAULT", "modelTypeReference": "CLIO", "modelYear": 2019}).json()
    assert sb.http.post("/api/proposals", headers=h, json={"$type": "kasko", "insurerCustomerId": customer["id"],
                                                           "vehicleId": vehicle["id"]}).status_code == 200
    assert sb.http.post("/api/cases:new-sale-opportunity", headers=h, json={
        "customerId": customer["id"], "productBranch": "KASKO", "channel": "WEBSITE"}).status_code == 200
    s = schema()
    compared = 0
    for field, _model, generation in LISTS:
        connection = get_named_type(s.query_type.fields[field].type)
        holder = "items" if generation == "offset" else "nodes"
        node = get_named_type(connection.fields[holder].type)
        columns = [name for name, f in node.fields.items() if is_leaf_type(get_named_type(f.type)) and not f.args]
        selection = f"{holder} {{ __typename {' '.join(columns)} }}"
        if generation != "offset":  # a cursor page read by its edges too (a list of objects holding an object)
            selection += f" edges {{ cursor node {{ {' '.join(reversed(columns))} }} }}"
        query = f"{{ {field} {{ totalCount {selection} }} }}"
        short = sb.http.post("/graphql", headers=h, json={"query": query})
        with monkeypatch.context() as m:
            m.setattr(executor, "ShortExecutor", ExecutorThrowingOnIncremental)
            standard = sb.http.post("/graphql", headers=h, json={"query": query})
        assert short.status_code == standard.status_code == 200, (field, short.text[:300])
        assert short.json() == standard.json(), field
        compared += bool(short.json().get("data", {}).get(field, {}).get(holder))
    assert compared >= 4  # customers, cases, proposals and agent users hold records here
