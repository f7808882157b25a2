"""Properties: the filter/order engine agrees with a plain Python reference over generated records,
the same holds end to end through /graphql over real customers, and schemathesis-generated GraphQL
documents never produce a server error."""

from __future__ import annotations

import functools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from mockserver.graphql import engine
from mockserver.graphql.schema import sdl
from tests.conftest import fresh_tckn

NAMES = st.text(alphabet="abcAB ", max_size=4)
records = st.lists(st.fixed_dictionaries({
    "name": st.none() | NAMES,
    "n": st.none() | st.integers(-3, 3),
    "d": st.none() | st.dates().map(lambda d: d.isoformat()),
    "tag": st.none() | st.sampled_from(["A", "B", "C"]),
    "branch": st.none() | st.fixed_dictionaries({"id": st.none() | st.sampled_from(["x", "y"])}),
    "tags": st.lists(st.integers(0, 3), max_size=3),
}), max_size=12).map(lambda rs: [{**r, "id": f"r{i}"} for i, r in enumerate(rs)])

string_ops = st.one_of(
    st.tuples(st.sampled_from(["eq", "neq", "contains", "ncontains", "startsWith", "nstartsWith", "endsWith",
                               "nendsWith"]), NAMES),
    st.tuples(st.sampled_from(["in", "nin"]), st.lists(st.none() | NAMES, max_size=3)),
    st.tuples(st.sampled_from(["eq", "neq"]), st.none()))
int_ops = st.one_of(st.tuples(st.sampled_from(["eq", "neq", "gt", "ngt", "gte", "ngte", "lt", "nlt", "lte", "nlte"]),
                              st.integers(-3, 3)),
                    st.tuples(st.sampled_from(["in", "nin"]), st.lists(st.integers(-3, 3), max_size=3)))
date_ops = st.tuples(st.sampled_from(["gt", "gte", "lt", "lte", "ngt", "eq"]), st.dates().map(lambda d: d.isoformat()))
tag_ops = st.tuples(st.sampled_from(["eq", "neq", "in", "nin"]),
                    st.sampled_from(["A", "B", "C"]) | st.lists(st.sampled_from(["A", "B"]), max_size=2))


def _as_op(pair):
    op, value = pair
    if op in ("in", "nin") and not isinstance(value, list):
        value = [value]
    if op not in ("in", "nin") and isinstance(value, list):
        op = "in"
    return {op: value}


leaf = st.one_of(
    st.builds(lambda p: {"name": _as_op(p)}, string_ops),
    st.builds(lambda p: {"n": _as_op(p)}, int_ops),
    st.builds(lambda p: {"d": _as_op(p)}, date_ops),
    st.builds(lambda p: {"tag": _as_op(p)}, tag_ops),
    st.builds(lambda v: {"branch": {"id": {"eq": v}}}, st.none() | st.sampled_from(["x", "y"])),
    st.builds(lambda v, q: {"tags": {q: {"eq": v}}}, st.integers(0, 3), st.sampled_from(["some", "all", "none"])),
    st.builds(lambda b: {"tags": {"any": b}}, st.booleans()),
)
filters = st.recursive(leaf, lambda inner: st.one_of(
    st.builds(lambda fs: {"and": fs}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda fs: {"or": fs}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda a, b: {**a, **b}, inner, inner)), max_leaves=6)
orders = st.lists(st.sampled_from([{"name": "ASC"}, {"name": "DESC"}, {"n": "ASC"}, {"n": "DESC"}, {"d": "DESC"},
                                   {"branch": {"id": "ASC"}}]), max_size=3)


# ----------------------------------------------------------------------------- the reference
def ref_op(actual, op, operand):
    """Written out op by op; null never satisfies a positive comparison, negations are complements."""
    table = {
        "eq": lambda: actual == operand,
        "neq": lambda: not actual == operand,
        "in": lambda: actual in operand,
        "nin": lambda: actual not in operand,
        "contains": lambda: actual is not None and operand is not None and operand in actual,
        "startsWith": lambda: actual is not None and operand is not None and actual.startswith(operand),
        "endsWith": lambda: actual is not None and operand is not None and actual.endswith(operand),
        "gt": lambda: actual is not None and actual > operand,
        "gte": lambda: actual is not None and actual >= operand,
        "lt": lambda: actual is not None and actual < operand,
        "lte": lambda: actual is not None and actual <= operand,
    }
    if op in table:
        return table[op]()
    positive = {"ncontains": "contains", "nstartsWith": "startsWith", "nendsWith": "endsWith", "ngt": "gt",
                "ngte": "gte", "nlt": "lt", "nlte": "lte"}[op]
    return not table[positive]()


def ref_match(record, flt):
    for key, cond in flt.items():
        if key == "and":
            ok = all(ref_match(record, f) for f in cond)
        elif key == "or":
            ok = any(ref_match(record, f) for f in cond)
        elif key == "branch":
            ok = all(ref_op((record["branch"] or {}).get("id"), op, v) for op, v in cond["id"].items())
        elif key == "tags":
            (q, sub), = cond.items()
            hits = [t == sub["eq"] for t in record["tags"]] if q != "any" else None
            ok = {"some": lambda: any(hits), "all": lambda: all(hits), "none": lambda: not any(hits),
                  "any": lambda: bool(record["tags"]) == sub}[q]()
        else:
            ok = all(ref_op(record[key], op, v) for op, v in cond.items())
        if not ok:
            return False
    return True


def ref_sort(rows, order):
    keys = [(k, v) if not isinstance(v, dict) else (k, v["id"]) for o in order for k, v in o.items()]

    def value(r, k):
        return (r["branch"] or {}).get("id") if k == "branch" else r[k]  # branch only in generated records

    def cmp(a, b):
        for k, direction in keys:
            x, y = value(a, k), value(b, k)
            if x == y:
                continue
            less = x is None or (y is not None and x < y)  # null is the lowest value
            return (-1 if less else 1) * (-1 if direction == "DESC" else 1)
        return 0

    return sorted(rows, key=functools.cmp_to_key(cmp))


@settings(max_examples=600, deadline=None)
@given(records, filters, orders)
def test_engine_agrees_with_the_reference(rows, flt, order):
    got, _ = engine.run(rows, where=flt, order=order)
    expected = ref_sort([r for r in rows if ref_match(r, flt)], order)
    assert [r["id"] for r in got] == [r["id"] for r in expected]


@settings(max_examples=300, deadline=None)
@given(records, st.integers(0, 14), st.integers(1, 5))
def test_cursor_pages_cover_every_record_once(rows, _seed, size):
    seen, after = [], None
    for _ in range(len(rows) + 2):
        page = engine.cursor_page(rows, engine.dict_get, first=size, after=after)
        seen += [r["id"] for r in page.items]
        if not page.has_next:
            break
        after = engine.cursor(page.positions[-1], page.items[-1]["id"])
    assert seen == [r["id"] for r in rows]


# ----------------------------------------------------------------------------- end to end
CITIES = ["34", "06", "35", "01"]
FIRST = ["Ali", "Ayşe", "Can", "Deniz", "Ece", "Ömer"]


@pytest.fixture(scope="module")
def populated(insurup_sandbox):
    sb = insurup_sandbox
    agent = sb.new_agent()
    token = sb.service_token(agent)
    for i in range(18):
        r = sb.http.post("/api/customers", headers=sb.bearer(token), json={
            "$type": "individual", "identityNumber": fresh_tckn(), "fullName": f"{FIRST[i % 6]} Test{i % 4}",
            "cityReference": CITIES[i % 4], **({"email": f"c{i}@example.com"} if i % 3 else {})})
        assert r.status_code == 200, r.text
        sb.advance(agent.id, 5)
    rest = [sb.http.get(f"/customers/{c}", headers=sb.bearer(token)).json()
            for c in sb.sandbox.agents[agent.id].customers]
    reference = [{"id": c["id"], "name": c["fullName"], "cityValue": c["city"]["value"], "primaryEmail": c["primaryEmail"],
                  "createdAt": c["createdAt"]} for c in rest]
    yield sb, agent, reference
    sb.http.delete(f"/__sandbox/agents/{agent.id}")


e2e_leaf = st.one_of(
    st.builds(lambda op, v: {"name": {op: v}}, st.sampled_from(["eq", "contains", "startsWith", "ncontains", "endsWith"]),
              st.sampled_from(FIRST + ["Test1", "e", "Ali Test0", "Ö"])),
    st.builds(lambda op, v: {"cityValue": {op: v}}, st.sampled_from(["in", "nin"]), st.lists(st.sampled_from(CITIES), max_size=3)),
    st.builds(lambda op, v: {"primaryEmail": {op: v}}, st.sampled_from(["eq", "neq"]), st.none() | st.just("c4@example.com")))
e2e_filters = st.recursive(e2e_leaf, lambda inner: st.builds(lambda k, fs: {k: fs}, st.sampled_from(["and", "or"]),
                                                             st.lists(inner, min_size=1, max_size=3)), max_leaves=4)
e2e_orders = st.lists(st.sampled_from([{"name": "ASC"}, {"name": "DESC"}, {"cityValue": "ASC"}, {"createdAt": "DESC"},
                                       {"primaryEmail": "ASC"}]), min_size=1, max_size=3)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(e2e_filters, e2e_orders)
def test_graphql_lists_agree_with_rest_and_the_reference(populated, flt, order):
    sb, agent, reference = populated
    token = sb.service_token(agent)
    body = sb.graphql(token, "query($f: QueryCustomerModelFilterInput, $o: [QueryCustomerModelSortInput!]) "
                             "{ customersNew(first: 100, filter: $f, order: $o) { totalCount nodes { id } } }",
                      {"f": flt, "o": order})
    assert "errors" not in body, body
    expected = ref_sort([r for r in reference if ref_match(r, flt)], order)
    assert [n["id"] for n in body["data"]["customersNew"]["nodes"]] == [r["id"] for r in expected]


# ----------------------------------------------------------------------------- schemathesis
schemathesis.graphql.scalar("Decimal", st.floats(-1e6, 1e6, allow_nan=False).map(nodes.Float))
GQL = schemathesis.graphql.from_file(sdl())
OPERATIONS = [op.ok() for op in GQL.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_schemathesis_documents_never_cause_a_server_error(populated, operation):
    sb, agent, _ = populated
    token = sb.service_token(agent)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy())
    def check(case):
        r = sb.http.post("/graphql", json={"query": case.body}, headers=sb.bearer(token))
        assert r.status_code == 200, (case.body, r.text)
        body = r.json()
        assert "data" in body or "errors" in body
        for err in body.get("errors", []):
            assert err["extensions"]["code"] in ("BAD_USER_INPUT", "NOT_FOUND", "FORBIDDEN"), (case.body, err)

    check()
