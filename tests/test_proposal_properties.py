"""Properties of the fan-out and of prices, over many seeds and clocks (domain level, no HTTP)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings, strategies as st

from mockserver.domain import customers, pricing, properties, proposals, quoting, vehicles
from mockserver.domain.tenant import AgentFixture
from mockserver.world import sandbox as make_sandbox
from mockserver.validators.turkish import make_tckn
from mockserver.wire.customers import HealthInfoRequest
from mockserver.wire.properties import PropertyRequest
from mockserver.wire.proposals import ProposalCreateRequest
from mockserver.wire.vehicles import VehicleRequest

SANDBOX = make_sandbox()
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STAFF = {"id": "00000000-0000-4000-8000-000000000001", "name": "Test", "email": None, "userType": "AGENT"}


def quote(agent, branch: str, *, tckn: str = "11111111110", plate: str = "34KL123", year: int = 2019,
          birth: date = date(1985, 4, 12)):
    c = customers.new_customer(agent, ctype="individual", number=tckn, channel="API", created_by=None,
                               birth_date=birth, fill_from_registry=False)
    body = {"$type": branch.lower(), "insurerCustomerId": c.id, "channel": "WEBSITE"}
    if branch in ("KASKO", "TRAFIK"):
        v = vehicles.create(agent, c, VehicleRequest.model_validate(
            {"plate": plate, "documentSerialCode": "A", "documentSerialNumber": "1234567", "brandCode": "RENAULT",
             "modelCode": "CLIO", "year": year}), by=STAFF)
        body["vehicleId"] = v.id
    elif branch in ("KONUT", "DASK"):
        prop = properties.create(agent, c, PropertyRequest.model_validate(
            {"number": 1234567890, "squareMeter": 120, "constructionYear": 2005, "damageStatus": "NONE",
             "structure": "STEEL_REINFORCED_CONCRETE", "utilizationStyle": "HOUSE", "ownershipType": "PROPRIETOR"}),
            by=STAFF)
        body["propertyId"] = prop.id
    else:
        customers.put_health(agent, c, HealthInfoRequest(height=170, weight=70))
    return quoting.create(agent, ProposalCreateRequest.model_validate(body), by=STAFF)


def fresh(seed: int, agent_id: str | None = None):
    agent = SANDBOX.create_agent(AgentFixture(seed=seed, agent_id=agent_id))
    agent.clock.set(START)
    agent.clock.freeze()
    return agent


branches = st.sampled_from(["KASKO", "TRAFIK", "KONUT", "DASK", "TSS"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), branch=branches, moments=st.lists(st.floats(0, 400), min_size=1, max_size=6))
def test_proposal_state_counts_and_range_agree_with_its_products_at_every_moment(seed, branch, moments):
    agent = fresh(seed)
    try:
        p = quote(agent, branch)
        assert p.products, "every quoted branch reaches at least one connected insurer"
        elapsed = 0.0
        for t in sorted(moments):
            agent.clock.advance(t - elapsed)
            elapsed = t
            agent.tick()
            wire = proposals.wire(p, "")
            states = [x["state"] for x in wire["products"]]
            quoted = [x for x in wire["products"] if x["state"] == "ACTIVE"]
            assert wire["totalProductsCount"] == len(states)
            assert wire["succeedProductsCount"] == len(quoted)
            assert wire["failedProductsCount"] == states.count("FAILED")
            assert wire["waitingProductsCount"] == states.count("WAITING")
            expected = "WAITING" if "WAITING" in states else "ACTIVE" if quoted else "FAILED"
            assert wire["state"] == expected
            lows = [x["premiums"][0]["grossPremium"] for x in quoted]
            assert wire["lowestPremium"] == (min(lows) if lows else None)
            assert wire["highestPremium"] == (max(lows) if lows else None)
            for x in wire["products"]:
                assert (x["premiums"] != []) == (x["state"] == "ACTIVE")
                assert (x["errorMessage"] is not None) == (x["state"] == "FAILED")
            # the GraphQL row reads the same derivation
            row = p.graphql_row()
            assert (row["state"], row["productsCount"], row["succeedProductsCount"]) == \
                (wire["state"], wire["totalProductsCount"], wire["succeedProductsCount"])
        agent.clock.advance(10_000)
        agent.tick()
        assert proposals.wire(p, "")["waitingProductsCount"] == 0, "every product arrives within 240 s"
        received = [e for e in agent.events.since(0, "proposal_premium.received") if e.payload["proposalId"] == p.id]
        assert len(received) == p.summary()["succeeded"]
    finally:
        SANDBOX.delete_agent(agent.id)


risks = st.builds(
    pricing.Risk, branch=branches, key=st.text(max_size=8), vehicle_year=st.integers(1990, 2026),
    vehicle_use=st.sampled_from(["PRIVATE_CAR", "TAXI", "MOTORCYCLE", "TRUCK", "TRACTOR", "UNKNOWN"]),
    brand=st.sampled_from(["1", "20", "600"]), square_meter=st.integers(20, 800),
    construction_year=st.integers(1900, 2026), building_cost=st.floats(1000, 100_000),
    contents=st.floats(0, 5_000_000), inflation=st.integers(0, 16).map(lambda x: x * 5),
    ages=st.lists(st.integers(0, 90), min_size=1, max_size=5).map(tuple), undamaged_step=st.integers(0, 4))


@settings(max_examples=400, deadline=None)
@given(seed=st.integers(0, 2**32), insurer=st.integers(1, 99), product=st.integers(1, 60000), risk=risks)
def test_more_installments_never_cost_less_and_amounts_are_coherent(seed, insurer, product, risk):
    plans = pricing.premiums(seed=seed, insurer_id=insurer, product_id=product, risk=risk, coverage=None,
                             today=date(2026, 11, 22), proposal_number="1")
    assert [x["installmentNumber"] for x in plans] == list(range(1, len(plans) + 1)) and 1 <= len(plans) <= 9
    for a, b in zip(plans, plans[1:]):
        assert b["grossPremium"] >= a["grossPremium"]
    for x in plans:
        assert x["grossPremium"] >= x["netPremium"] > 0 and 0 < x["commission"] < x["netPremium"]
        assert x["currency"] == "TURKISH_LIRA" and x["exchangeRate"] == 1
    again = pricing.premiums(seed=seed, insurer_id=insurer, product_id=product, risk=risk, coverage=None,
                             today=date(2026, 11, 22), proposal_number="1")
    assert again == plans


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), branch=branches)
def test_the_same_seed_gives_the_same_quotes(seed, branch):
    """Same agent, seed and requests: a replay on a recreated agent is identical to the byte (ids,
    arrival times, outcomes, prices); another agent with the same seed prices the same risk identically."""
    name = f"replay-{seed}-{branch}"
    first = fresh(seed, agent_id=name)
    other = fresh(seed)
    try:
        a = quote(first, branch)
        first.clock.advance(600)
        first.tick()
        before = proposals.wire(a, "")
        SANDBOX.delete_agent(name)
        first = fresh(seed, agent_id=name)
        a2 = quote(first, branch)
        first.clock.advance(600)
        first.tick()
        assert proposals.wire(a2, "") == before
        b = quote(other, branch)
        other.clock.advance(600)
        other.tick()
        mine = {x["productId"]: x["premiums"] for x in before["products"] if x["state"] == "ACTIVE"}
        theirs = {x["productId"]: x["premiums"] for x in proposals.wire(b, "")["products"] if x["state"] == "ACTIVE"}
        strip = lambda plans: [{k: v for k, v in x.items() if k != "insuranceCompanyProposalNumber"} for x in plans]  # noqa: E731
        for pid in set(mine) & set(theirs):
            assert strip(mine[pid]) == strip(theirs[pid])
        assert set(mine) & set(theirs), "some product is quoted in both"
    finally:
        SANDBOX.delete_agent(first.id)
        SANDBOX.delete_agent(other.id)


def test_a_different_seed_gives_different_prices():
    a, b = fresh(1), fresh(2)
    try:
        pa, pb = quote(a, "KASKO"), quote(b, "KASKO")
        quoting.settle(a, pa)
        quoting.settle(b, pb)
        prices = lambda p: {x.product.id: x.premiums[0]["grossPremium"] for x in p.products if x.premiums}  # noqa: E731
        common = set(prices(pa)) & set(prices(pb))
        assert common and any(prices(pa)[k] != prices(pb)[k] for k in common)
    finally:
        SANDBOX.delete_agent(a.id)
        SANDBOX.delete_agent(b.id)


def test_tss_identity_numbers_key_the_family_price():
    agent = fresh(5)
    try:
        p = quote(agent, "TSS", tckn=make_tckn("123456789"), birth=date(1960, 1, 1))
        q = quote(agent, "TSS", tckn=make_tckn("223456789"), birth=date(2000, 1, 1))
        quoting.settle(agent, p)
        quoting.settle(agent, q)
        older = {x.product.id: x.premiums[0]["netPremium"] for x in p.products if x.premiums}
        younger = {x.product.id: x.premiums[0]["netPremium"] for x in q.products if x.premiums}
        assert all(older[k] > younger[k] for k in set(older) & set(younger))
    finally:
        SANDBOX.delete_agent(agent.id)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), branch=branches, later=st.floats(1, 86400 * 30))
def test_two_agents_with_one_seed_quote_the_same_outcomes_whenever_they_are_created(seed, branch, later):
    """Outcomes are keyed by what the request says: an agent created ``later`` (its ids carry
    another time and come from another id's random stream) quotes exactly the same results."""
    a, b = fresh(seed), fresh(seed)
    b.clock.set(datetime.fromtimestamp(START.timestamp() + later, UTC))
    try:
        results = []
        for agent in (a, b):
            p = quote(agent, branch)
            again = quote(agent, branch)  # the same risk asked twice: the second draw is its own
            delays = [x.arrives_at - x.created_at for q in (p, again) for x in q.products if x.arrives_at]
            quoting.settle(agent, p)
            quoting.settle(agent, again)
            results.append([delays] + [(x.product.id, x.outcome, x.error_message,
                             [{k: v for k, v in plan.items() if k != "insuranceCompanyProposalNumber"}
                              for plan in x.premiums]) for q in (p, again) for x in q.products])
        assert results[0][0] == results[1][0]  # arrival delays
        assert [r[:3] for r in results[0][1:]] == [r[:3] for r in results[1][1:]]  # outcomes
        assert results[0] == results[1]  # and prices
        assert {x.id for x in a.proposals.values()}.isdisjoint(x.id for x in b.proposals.values())
    finally:
        SANDBOX.delete_agent(a.id)
        SANDBOX.delete_agent(b.id)
