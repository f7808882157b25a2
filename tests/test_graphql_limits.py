"""GraphQL static limits: each computed once per fragment, so pathological documents are refused
with a GraphQL error naming the limit instead of holding the event loop."""

import pytest

from mockserver.graphql import limits


@pytest.fixture
def crm(sb, agent):
    return sb.bearer(sb.service_token(agent))


def _post(sb, headers, query):
    r = sb.http.post("/graphql", json={"query": query}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _bomb(levels: int, leaf: str = "__typename") -> str:
    frags = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"query {{ ...F0 }} {frags} fragment F{levels} on Query {{ {leaf} }}"


@pytest.mark.parametrize("levels", [30, 60, 200])
def test_fragment_bomb_is_refused_naming_the_limit(sb, crm, levels):
    # 2^levels fields once expanded; measuring each fragment once makes this instant
    body = _post(sb, crm, _bomb(levels))
    err = body["errors"][0]
    assert "data" not in body
    assert err["extensions"]["codes"] == ["GRAPHQL_MAX_NODES_EXCEEDED"]
    assert err["extensions"]["limit"] == "maxNodes" and err["extensions"]["maxNodes"] == limits.MAX_NODES
    assert str(limits.MAX_NODES) in err["message"]


def test_a_small_bomb_within_the_limit_still_runs(sb, crm):
    body = _post(sb, crm, _bomb(4, "customers(take: 1) { totalCount }"))
    assert "errors" not in body, body
    assert body["data"]["customers"]["totalCount"] == 0


def test_spreading_one_fragment_many_times_is_measured_once_per_fragment():
    from graphql import parse

    doc = parse(_bomb(50))
    figures = dict((op.name.value if op.name else "", fig) for op, fig in limits.operation_figures(doc))
    assert figures[""].nodes >= 10**9  # capped, not computed by expanding 2^50 selections
    chain = parse("query { ...C0 } " + " ".join(f"fragment C{i} on Query {{ ...C{i + 1} }}" for i in range(1500))
                  + " fragment C1500 on Query { __typename }")
    (_, fig), = limits.operation_figures(chain)  # 1 500 spreads deep: no recursion through the chain
    assert fig.nodes == 1502 and fig.depth == 0


def test_fragment_cycles_are_refused_by_validation_not_by_a_hang(sb, crm):
    body = _post(sb, crm, "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A __typename }")
    assert body["errors"][0]["extensions"]["codes"] == ["GRAPHQL_VALIDATION_FAILED"]
    assert "A" in body["errors"][0]["message"]


@pytest.mark.parametrize("query, code, limit", [
    ("{" * 5000 + "}" * 5000, "GRAPHQL_MAX_NESTING_EXCEEDED", "maxNesting"),
    ("{ customers(where: " + "[" * 3000 + "]" * 3000 + ") { totalCount } }", "GRAPHQL_MAX_NESTING_EXCEEDED", "maxNesting"),
    ("{ customers { items { " + " ".join(f"a{i}: id" for i in range(limits.MAX_ALIASES + 1)) + " } } }",
     "GRAPHQL_MAX_ALIASES_EXCEEDED", "maxAliases"),
    ("{ customers { items { " + "id " * (limits.MAX_TOKENS + 10) + "} } }", "GRAPHQL_MAX_TOKENS_EXCEEDED", "maxTokens"),
    ("{ customers { items { " + "id " * (limits.MAX_NODES + 10) + "} } }", "GRAPHQL_MAX_NODES_EXCEEDED", "maxNodes"),
    ("{ customers { items { " + "# comment\n" * (limits.MAX_TOKENS + 10) + "id } } }", "GRAPHQL_MAX_TOKENS_EXCEEDED",
     "maxTokens"),
])
def test_every_static_limit_is_a_graphql_error_naming_it(sb, crm, query, code, limit):
    err = _post(sb, crm, query)["errors"][0]
    assert err["extensions"]["codes"] == [code] and err["extensions"]["limit"] == limit, err
    assert err["extensions"]["code"] == "BAD_USER_INPUT"


def test_strings_and_comments_do_not_count_as_nesting():
    assert limits.nesting('{ a(s: "{{{{{{[[[[") # {{{{{{{\n }') == 2
    assert limits.nesting('{ a(s: """ {{{{ \\""" {{{ """) }') == 2
    assert limits.nesting("{ a { b { c } } }") == 3


def test_the_nesting_limit_also_guards_get_variables(sb, crm):
    deep = "[" * 200 + "]" * 200
    r = sb.http.get("/graphql", params={"query": "query($v: [Int]) { __typename }", "variables": '{"v": ' + deep + "}"},
                    headers=crm)
    assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["codes"] == ["JSON_TOO_DEEP"]
