"""Each collection has one owner (``mockserver.domain.records``): random sequences of creating,
changing and deleting customers, vehicles, properties and cases, through the API, and after every
step every index and every list read equals a full scan of the records. And a write that goes past
the owner fails at once."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from mockserver.domain import registries
from mockserver.domain.listindex import KINDS
from tests.conftest import fresh_phone, fresh_tckn

SB = None  # the session's in-process sandbox (set by the test below)


def _scan_matches_index(agent) -> None:
    for kind, (key_of, fields, _parties) in KINDS.items():
        records = getattr(agent, kind)
        index = agent.indexes.by_kind[kind]
        assert set(index.entries) == set(records), kind
        assert [rid for _k, _n, rid in index.all.asc] == [r.id for r in sorted(records.values(), key=lambda r: (
            key_of(r), index.entries[r.id][1]))], kind
        for field, get in fields.items():
            scan: dict = {}
            for r in records.values():
                if get(r) is not None:
                    scan.setdefault(get(r), set()).add(r.id)
            held = {value: {rid for _k, _n, rid in lists.asc} for value, lists in index.by[field].items() if lists}
            assert held == scan, (kind, field)


class Agency(RuleBasedStateMachine):
    """One agent; its service account drives the API."""

    def __init__(self):
        super().__init__()
        self.agent = SB.new_agent()
        self.h = SB.bearer(SB.service_token(self.agent))
        self.customers: list[str] = []
        self.vehicles: dict[str, str] = {}  # vehicle -> customer
        self.properties: dict[str, str] = {}
        self.numbers: dict[str, int] = {}  # property id -> its UAVT code
        self.cases: list[str] = []

    def teardown(self):
        SB.delete_agent(self.agent.id)

    @rule()
    def create_customer(self):
        r = SB.http.post("/api/customers", headers=self.h, json={
            "$type": "individual", "identityNumber": fresh_tckn(), "firstName": "Ece", "lastName": "Tan",
            "birthDate": "1990-01-01", "phoneNumber": {"number": fresh_phone(), "countryCode": 90}})
        assert r.status_code == 200, r.text
        self.customers.append(r.json()["id"])

    @precondition(lambda self: self.customers)
    @rule(data=st.data())
    def rename_customer(self, data):
        cid = data.draw(st.sampled_from(self.customers))
        r = SB.http.put(f"/api/customers/{cid}", headers=self.h, json={"firstName": data.draw(
            st.sampled_from(["Ali", "Zeynep", "Ömer", "İlkay"]))})
        assert r.status_code == 200, r.text

    @precondition(lambda self: self.customers)
    @rule(data=st.data())
    def delete_customer(self, data):
        cid = data.draw(st.sampled_from(self.customers))
        r = SB.http.delete(f"/api/customers/{cid}", headers=self.h)
        assert r.status_code == 204, r.text  # its assets go with it; its cases stay, as history
        self.customers.remove(cid)
        self.vehicles = {v: c for v, c in self.vehicles.items() if c != cid}
        self.properties = {p: c for p, c in self.properties.items() if c != cid}

    @precondition(lambda self: self.customers)
    @rule(data=st.data())
    def add_vehicle(self, data):
        cid = data.draw(st.sampled_from(self.customers))
        plate = f"34T{data.draw(st.integers(1000, 9999))}"
        r = SB.http.post(f"/api/customers/{cid}/vehicles", headers=self.h, json={
            "plate": plate, "brandReference": "RENAULT", "modelTypeReference": "CLIO", "modelYear": 2019})
        if r.status_code == 200:
            self.vehicles[r.json()["id"]] = cid
        else:
            assert r.status_code == 409 and "VEHICLE_ALREADY_EXISTS" in r.json()["codes"], r.text

    @precondition(lambda self: self.vehicles)
    @rule(data=st.data())
    def delete_vehicle(self, data):
        vid = data.draw(st.sampled_from(list(self.vehicles)))  # in the order made: ids differ between runs
        r = SB.http.delete(f"/api/customers/{self.vehicles[vid]}/vehicles/{vid}", headers=self.h)
        assert r.status_code == 204, r.text
        del self.vehicles[vid]

    @precondition(lambda self: self.customers)
    @rule(data=st.data())
    def add_property(self, data):
        cid = data.draw(st.sampled_from(self.customers))
        number = data.draw(st.integers(1_000_000_000, 1_000_900_000))
        r = SB.http.post(f"/api/customers/{cid}/properties", headers=self.h, json={
            "number": number, "squareMeter": 100,
            "constructionYear": 2005, "floor": {"totalFloors": {"$type": "range", "min": 4, "max": 7},
                                                "currentFloor": 3}})
        if not registries.is_known_uavt(number):  # the address registry has no such apartment
            assert r.status_code == 422 and r.json()["validationErrors"][0]["propertyName"] == "number", r.text
        elif number in {self.numbers[p] for p, c in self.properties.items() if c == cid}:
            assert r.status_code == 409 and "PROPERTY_ALREADY_EXISTS" in r.json()["codes"], r.text
        else:
            assert r.status_code == 200, r.text
            self.properties[r.json()["newPropertyId"]] = cid
            self.numbers[r.json()["newPropertyId"]] = number

    @precondition(lambda self: self.properties)
    @rule(data=st.data())
    def delete_property(self, data):
        pid = data.draw(st.sampled_from(list(self.properties)))
        r = SB.http.delete(f"/api/customers/{self.properties[pid]}/properties/{pid}", headers=self.h)
        assert r.status_code == 204, r.text
        del self.properties[pid]

    @precondition(lambda self: self.customers)
    @rule(data=st.data())
    def open_case(self, data):
        cid = data.draw(st.sampled_from(self.customers))
        r = SB.http.post("/api/cases:new-sale-opportunity", headers=self.h, json={
            "customerId": cid, "productBranch": data.draw(st.sampled_from(["KASKO", "TRAFIK", "KONUT"])),
            "channel": "WEBSITE"})
        assert r.status_code == 200, r.text
        self.cases.append(r.json()["id"])

    @precondition(lambda self: self.cases)
    @rule(data=st.data())
    def move_case(self, data):
        ref = data.draw(st.sampled_from(self.cases))
        state = data.draw(st.sampled_from([("IN_PROGRESS", "IN_PROGRESS_UNDER_ANALYSIS"), ("FAIL", "FAIL_PRICE_TOO_HIGH"),
                                           ("OPEN", "OPEN_INITIAL")]))
        r = SB.http.put(f"/api/cases/{ref}/state", headers=self.h, json={"mainState": state[0], "subState": state[1]})
        assert r.status_code == 204, r.text  # each of these states fits a sale opportunity, from any state

    @invariant()
    def every_index_equals_a_scan(self):
        agent = SB.sandbox.agents[self.agent.id]
        _scan_matches_index(agent)
        for cid in self.customers:  # and what the API lists is what the scan holds
            listed = SB.http.get(f"/api/customers/{cid}/vehicles", headers=self.h).json()
            assert sorted(v["id"] for v in listed) == sorted(v for v, c in self.vehicles.items() if c == cid)
            listed = SB.http.get(f"/api/customers/{cid}/properties", headers=self.h).json()
            assert sorted(p["id"] for p in listed) == sorted(p for p, c in self.properties.items() if c == cid)


def test_random_changes_keep_every_index_equal_to_a_scan(insurup_sandbox):
    global SB
    SB = insurup_sandbox
    Agency.TestCase.settings = settings(max_examples=25, stateful_step_count=25, deadline=None, database=None,
                                        suppress_health_check=list(HealthCheck))
    Agency.TestCase().runTest()


def test_a_write_past_the_owner_fails_at_once(insurup_sandbox):
    agent = insurup_sandbox.sandbox.agents[insurup_sandbox.new_agent().id]
    for kind in KINDS:
        records = getattr(agent, kind)
        with pytest.raises(TypeError, match="add, replace, changed or remove"):
            records["x"] = object()
        with pytest.raises(TypeError):
            del records["x"]
        with pytest.raises(TypeError):
            records.pop("x")
        with pytest.raises(TypeError):
            records.update({})
    missing = agent.vehicles.need
    with pytest.raises(Exception) as info:
        missing("nope")
    assert info.value.codes == ["VEHICLE_NOT_FOUND"]
