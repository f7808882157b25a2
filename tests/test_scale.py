"""Lists page through the agent's list index instead of reading every record: the answers are the ones
the general path gives (every order, filter, scope and cursor), including records made while the
clock went backwards and records made in the same instant; and the index survives a snapshot."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from mockserver.domain import listindex
from mockserver.graphql import search as word_index
from tests.conftest import fresh_tckn
from tests.test_proposals import kasko_body, new_buyer

PAGE = """query($first: Int, $after: String, $last: Int, $before: String, $order: [%(sort)s!], $filter: %(flt)s) {
  %(field)s(first: $first, after: $after, last: $last, before: $before, order: $order, filter: $filter) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id } } }"""
TYPES = {"casesNew": ("QueryCaseModelSortInput", "QueryCaseModelFilterInput"),
         "customersNew": ("QueryCustomerModelSortInput", "QueryCustomerModelFilterInput"),
         "proposalsNew": ("QueryProposalsResultSortInput", "QueryProposalsResultFilterInput"),
         "policiesNew": ("QueryPoliciesResultSortInput", "QueryPoliciesResultFilterInput")}


@pytest.fixture(scope="module")
def world(insurup_sandbox):
    """An agency whose records were made out of order on its clock, some in one instant."""
    sb = insurup_sandbox
    agent = sb.new_agent(seed=5)
    token = sb.service_token(agent)
    h = sb.bearer(token)
    customers = []
    for i in range(14):
        if i == 6:  # the clock goes back a day: later records are older
            sb.http.post(f"/__sandbox/agents/{agent.id}/clock", json={"set": "2026-01-01T09:00:00Z"})
        if i % 4 == 0:
            sb.http.post(f"/__sandbox/agents/{agent.id}/clock", json={"freeze": True})  # one instant for some
        elif i % 4 == 2:
            sb.http.post(f"/__sandbox/agents/{agent.id}/clock", json={"unfreeze": True})
        r = sb.http.post("/api/customers", headers=h, json={"$type": "individual", "identityNumber": fresh_tckn(),
                                                            "fullName": f"Müşteri {i}"})
        customers.append(r.json()["id"])
        for branch in ("KASKO", "TRAFIK")[: 1 + i % 2]:
            sb.http.post("/api/cases:new-sale-opportunity", headers=h,
                         json={"customerId": r.json()["id"], "productBranch": branch, "channel": "WEBSITE"})
    sb.http.post(f"/__sandbox/agents/{agent.id}/clock", json={"unfreeze": True})
    from mockserver.domain import cases as case_domain

    held = sb.sandbox.agents[agent.id]
    for case in list(held.cases.values())[::3]:  # some cases leave OPEN (the index follows the move)
        case_domain.move(held, case, "FAIL", "FAIL_NO_RESPONSE", by=None)
    b = new_buyer(sb, agent.id)
    for _ in range(3):
        sb.http.post("/api/proposals", headers=b.h, json=kasko_body(b))
    return {"sb": sb, "agent": agent, "h": h, "customers": customers, "buyer": b}


def _all(sb, h, field, order, flt, first=None, last=None):
    """Every page, forwards (after) or backwards (before)."""
    sort, flt_type = TYPES[field]
    query = PAGE % {"sort": sort, "flt": flt_type, "field": field}
    seen, cursor, total = [], None, None
    for _ in range(60):
        variables = {"order": order, "filter": flt}
        if last:
            variables.update(last=last, before=cursor)
        else:
            variables.update(first=first, after=cursor)
        data = sb.graphql(h["Authorization"].split()[1], query, variables)
        assert "errors" not in data, data
        page = data["data"][field]
        total = page["totalCount"]
        ids = [n["id"] for n in page["nodes"]]
        seen = ids + seen if last else seen + ids
        more = page["pageInfo"]["hasPreviousPage"] if last else page["pageInfo"]["hasNextPage"]
        cursor = page["pageInfo"]["startCursor"] if last else page["pageInfo"]["endCursor"]
        if not more or not ids:
            break
    return total, seen


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(list(TYPES)), direction=st.sampled_from(["ASC", "DESC"]),
       which=st.sampled_from(["none", "customer", "branch", "both", "identity", "missing", "state", "plate"]),
       size=st.integers(1, 7), backwards=st.booleans(), as_customer=st.booleans())
def test_indexed_pages_are_the_general_paths_pages(world, field, direction, which, size, backwards, as_customer):
    sb, h = world["sb"], world["h"]
    if as_customer:
        h = world["buyer"].h
    customer = world["customers"][3] if not as_customer else world["buyer"].id
    flt = {"none": None, "missing": {"identityNumber": {"eq": "00000000000"}} if field == "customersNew"
           else {"productBranch": {"eq": "DASK"}}}.get(which)
    if which in ("customer", "both"):
        key = "customerId" if field == "casesNew" else "insuredCustomerId" if field != "customersNew" else "id"
        flt = {key: {"eq": customer}}
    if which in ("branch", "both") and field != "customersNew":
        flt = {**(flt or {}), "productBranch": {"eq": "KASKO"}}
    if which == "identity" and field == "customersNew":
        ident = sb.sandbox.agents[world["agent"].id].customers[world["customers"][5]].identity_number
        flt = {"identityNumber": {"eq": ident}}
    if which == "state" and field == "casesNew":
        flt = {"mainState": {"eq": "OPEN" if size % 2 else "FAIL"}}
    if which == "plate" and field in ("proposalsNew", "policiesNew"):
        flt = {"vehiclePlate": {"eq": "34KL123"}}
    order = [{"createdAt": direction}]
    paging = {"first": None if backwards else size, "last": size if backwards else None}
    used = []
    indexed = listindex.view

    def watched(*a, **k):
        found = indexed(*a, **k)
        used.append(found is not None)
        return found

    listindex.view = watched  # (hypothesis runs many examples per test: no function-scoped monkeypatch)
    agent_id = world["agent"].id
    sb.http.post(f"/__sandbox/agents/{agent_id}/clock", json={"freeze": True})  # one instant for both readings
    try:
        fast = _all(sb, h, field, order, flt, **paging)
        listindex.view = lambda *a, **k: None
        slow = _all(sb, h, field, order, flt, **paging)
    finally:
        listindex.view = indexed
        sb.http.post(f"/__sandbox/agents/{agent_id}/clock", json={"unfreeze": True})
    assert fast == slow
    # a customer's own lists go the general way where they are one record (customers) or filtered unions
    expect_index = not as_customer or field == "casesNew" or (field != "customersNew" and not flt)
    assert all(used) or not expect_index


def test_a_cursor_survives_records_added_before_it(world):
    sb, h = world["sb"], world["h"]
    token = h["Authorization"].split()[1]
    query = PAGE % {"sort": TYPES["customersNew"][0], "flt": TYPES["customersNew"][1], "field": "customersNew"}
    first = sb.graphql(token, query, {"first": 3, "order": [{"createdAt": "ASC"}]})["data"]["customersNew"]
    sb.http.post("/api/customers", headers=h, json={"$type": "individual", "identityNumber": fresh_tckn(),
                                                    "fullName": "Yeni Müşteri"})
    after = sb.graphql(token, query, {"first": 3, "after": first["pageInfo"]["endCursor"],
                                      "order": [{"createdAt": "ASC"}]})["data"]["customersNew"]
    everything = sb.graphql(token, query, {"first": 100, "order": [{"createdAt": "ASC"}]})["data"]["customersNew"]
    ids = [n["id"] for n in everything["nodes"]]
    start = ids.index(first["nodes"][-1]["id"]) + 1
    assert [n["id"] for n in after["nodes"]] == ids[start:start + 3]


def test_the_index_follows_deletes_resets_and_snapshots(world):
    sb, h = world["sb"], world["h"]
    agent = world["agent"]
    a = sb.sandbox.agents[agent.id]
    gone = world["customers"][0]
    assert sb.http.delete(f"/api/customers/{gone}", headers=h).status_code == 204
    assert gone not in a.indexes.by_kind["customers"].entries
    doc = sb.http.get(f"/__sandbox/agents/{agent.id}/snapshot").json()
    twin = sb.http.post("/__sandbox/agents", json={"snapshot": doc}).json()
    t = sb.sandbox.agents[twin["agentId"]]
    for kind in listindex.KINDS:
        assert set(t.indexes.by_kind[kind].entries) == set(getattr(t, kind))
        assert [e[2] for e in t.indexes.by_kind[kind].all.asc] == [e[2] for e in a.indexes.by_kind[kind].all.asc]
    sb.delete_agent(twin["agentId"])


@pytest.mark.parametrize("path", ["/api/proposals", "/api/policies"])
def test_rest_lists_page_through_the_index_as_the_general_path_does(world, path):
    sb = world["sb"]
    pages = []
    for h in (world["h"], world["buyer"].h):
        for params in ({}, {"productBranch": "KASKO"}, {"productBranch": "DASK"}, {"skip": 1, "take": 2}):
            pages.append((h, params))
    indexed = listindex.view
    agent_id = world["agent"].id
    # one instant for both readings: on a running clock a quote arriving between them would differ
    sb.http.post(f"/__sandbox/agents/{agent_id}/clock", json={"freeze": True})
    try:
        fast = [sb.http.get(path, headers=h, params=p).json() for h, p in pages]
        listindex.view = lambda *a, **k: None
        slow = [sb.http.get(path, headers=h, params=p).json() for h, p in pages]
    finally:
        listindex.view = indexed
        sb.http.post(f"/__sandbox/agents/{agent_id}/clock", json={"unfreeze": True})
    assert fast == slow
    assert any(page["items"] for page in fast) or path == "/api/policies"  # (the world has no policy)


NAMES = ["Ahmet Yılmaz", "Ayşe Kaya", "Mehmet Öztürk", "Ahmet Can Şahin", "İsmail Işık", "Zeynep Ahmetoğlu"]


@pytest.fixture(scope="module")
def people(insurup_sandbox):
    sb = insurup_sandbox
    agent = sb.new_agent(seed=9)
    h = sb.bearer(sb.service_token(agent))
    ids = []
    for i, name in enumerate(NAMES * 2):
        r = sb.http.post("/api/customers", headers=h, json={
            "$type": "individual", "identityNumber": fresh_tckn(), "fullName": name,
            "email": f"kisi{i}@ornek.com.tr", "phoneNumber": {"number": f"53200011{i:02d}", "countryCode": 90}})
        ids.append(r.json()["id"])
    # a renamed customer is found by its new name only
    sb.http.put(f"/api/customers/{ids[0]}", headers=h, json={"fullName": "Ahmet Yılmazer"})
    return sb, h


SEARCH = """query($s: QueryCustomerModelSearchInput, $first: Int) {
  customersNew(search: $s, first: $first) { totalCount nodes { id name searchScore } } }"""


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(["name", "primaryEmail", "primaryPhoneNumber", "identityNumber"]),
       op=st.sampled_from(["autocomplete", "startsWith", "eq", "text", "contains"]),
       words=st.sampled_from(["ahm", "ahmet", "AHMET yıl", "ayş", "işık", "ismail", "kisi1", "ornek", "5320001",
                              "53200011", "can şa", "zzz", "oğlu"]))
def test_a_narrowed_search_finds_what_a_full_search_finds(people, field, op, words):
    sb, h = people
    token = h["Authorization"].split()[1]
    variables = {"s": {field: {op: {"query" if op == "text" else "value": words}}}, "first": 50}
    fast = sb.graphql(token, SEARCH, variables)
    narrowed = word_index.search_candidates
    word_index.search_candidates = lambda *a, **k: None
    try:
        slow = sb.graphql(token, SEARCH, variables)
    finally:
        word_index.search_candidates = narrowed
    assert "errors" not in fast and fast == slow


def test_the_word_index_follows_renames_and_finds_by_prefix(people):
    sb, h = people
    token = h["Authorization"].split()[1]
    used = []
    narrowed = word_index.search_candidates
    word_index.search_candidates = lambda *a, **k: used.append(narrowed(*a, **k)) or used[-1]
    try:
        found = sb.graphql(token, SEARCH, {"s": {"name": {"autocomplete": {"value": "ahm"}}}, "first": 50})
        renamed = sb.graphql(token, SEARCH, {"s": {"name": {"eq": {"value": "ahmet yilmazer"}}}, "first": 50})
        old = sb.graphql(token, SEARCH, {"s": {"name": {"autocomplete": {"value": "yılmaz"}}}, "first": 50})
    finally:
        word_index.search_candidates = narrowed
    names = sorted(n["name"] for n in found["data"]["customersNew"]["nodes"])
    assert names == sorted(["Ahmet Yılmazer", "Ahmet Yılmaz", "Ahmet Can Şahin", "Ahmet Can Şahin",
                            "Zeynep Ahmetoğlu", "Zeynep Ahmetoğlu"])
    assert [n["name"] for n in renamed["data"]["customersNew"]["nodes"]] == ["Ahmet Yılmazer"]
    assert old["data"]["customersNew"]["totalCount"] == 2  # yılmaz and yılmazer both start with it
    assert all(u is not None for u in used) and len(used) == 3
