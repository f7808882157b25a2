from hypothesis import HealthCheck, given, settings, strategies as st

from mockserver.core.errors import SandboxError
from mockserver.domain import relationships
from mockserver.domain.relationships import MIRROR
from mockserver.domain.tenant import AgentFixture
from mockserver.wire.customers import RelationshipRequest
from mockserver.world import sandbox as make_sandbox
from tests.conftest import fresh_tckn

SANDBOX = make_sandbox()


def people(agent, n):
    from mockserver.domain import customers

    return [customers.new_customer(agent, ctype="individual", number=fresh_tckn(), channel="API", created_by=None,
                                   fill_from_registry=False).id for _ in range(n)]


def assert_mirrored(agent):
    links = list(agent.links.values())
    pairs = {(l.customer_id, l.related_id): l.relation for l in links}
    assert len(pairs) == len(links), "at most one link per ordered pair"
    for (a, b), rel in pairs.items():
        assert pairs.get((b, a)) == MIRROR[rel], f"{a}->{b} {rel} has no mirror"
    for a in {l.customer_id for l in links}:
        assert sum(1 for l in links if l.customer_id == a and l.relation == "SPOUSE") <= 1
        assert sum(1 for l in links if l.customer_id == a and l.relation == "PARENT") <= 2


ops = st.lists(st.tuples(st.sampled_from(["add", "remove"]), st.integers(0, 5), st.integers(0, 5),
                         st.sampled_from(["SPOUSE", "CHILD", "PARENT", "SIBLING"]), st.integers(0, 50)), max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_any_sequence_of_adds_and_removes_keeps_links_mirrored(sequence):
    agent = SANDBOX.create_agent(AgentFixture(connect_all_insurers=False))
    try:
        ids = people(agent, 6)
        for op, i, j, rel, k in sequence:
            try:
                if op == "add":
                    relationships.add(agent, ids[i], RelationshipRequest(relatedCustomerId=ids[j], relationType=rel))
                else:
                    mine = relationships.links_of(agent, ids[i])
                    if mine:
                        relationships.remove(agent, ids[i], mine[k % len(mine)].id)
            except SandboxError:
                pass
            assert_mirrored(agent)
    finally:
        SANDBOX.delete_agent(agent.id)


def test_the_five_error_codes_over_http(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    ids = [sb.http.post("/customers", headers=h, json={"$type": "individual", "identityNumber": fresh_tckn(),
                                                       "fullName": f"Kişi {i}"}).json()["id"] for i in range(6)]
    a, b, c, d, e, f = ids
    add = lambda x, y, rel: sb.http.post(f"/customers/{x}/relationships", headers=h,  # noqa: E731
                                         json={"relatedCustomerId": y, "relationType": rel})
    assert add(a, a, "SPOUSE").json()["codes"] == ["CUSTOMER_RELATIONSHIP_SELF"]
    assert add(a, b, "SPOUSE").status_code == 200
    assert add(a, b, "CHILD").json()["codes"] == ["CUSTOMER_RELATIONSHIP_DUPLICATE"]
    assert add(a, c, "SPOUSE").json()["codes"] == ["CUSTOMER_RELATIONSHIP_SPOUSE_EXISTS"]
    assert add(c, b, "SPOUSE").json()["codes"] == ["CUSTOMER_RELATIONSHIP_SPOUSE_EXISTS"]
    assert add(a, d, "CHILD").status_code == 200
    assert add(e, d, "CHILD").json()["codes"] == ["CUSTOMER_RELATIONSHIP_CHILD_OTHER_FAMILY"]
    assert add(d, f, "PARENT").json()["codes"] == ["CUSTOMER_RELATIONSHIP_PARENT_MANUAL"]
    r = add(a, f, "COUSIN")
    assert r.status_code == 422 and r.json()["validationErrors"][0]["propertyName"] == "relationType"
    assert add(a, "00000000-0000-4000-8000-000000000000", "CHILD").status_code == 404
    # side effects: the spouse is the child's second parent
    b_links = sb.http.get(f"/customers/{b}/relationships", headers=h).json()
    assert {(l["relatedCustomerId"], l["relationType"]) for l in b_links} == {(a, "SPOUSE"), (d, "CHILD")}
    first = b_links[0]
    assert first["relatedCustomerType"] == "Individual" and first["relatedCustomerName"] and first["createdAt"]
    # delete removes the pair
    link_id = next(l["id"] for l in b_links if l["relationType"] == "CHILD")
    assert sb.http.delete(f"/customers/{b}/relationships/{link_id}", headers=h).status_code == 204
    assert all(l["relatedCustomerId"] != b for l in sb.http.get(f"/customers/{d}/relationships", headers=h).json())
