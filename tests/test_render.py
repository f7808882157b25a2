"""Answers rendered from their declarations (mockserver.wire.render): the model's fields, in its order,
are what is sent; a field the record cannot fill is refused when the renderer is made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st
from pydantic import Field, TypeAdapter

from mockserver.wire.base import Strict
from mockserver.wire.render import Const, Fields, From, Is, IsNot, renderer, snake


@dataclass
class Pet:
    id: str
    pet_name: str
    born_on: date | None
    tags: list[dict[str, Any]]
    owner: "Owner | None" = None


@dataclass
class Owner:
    id: str
    name: str


class OwnerOut(Strict):
    id: str
    name: str


class TagOut(Strict):
    label: str


class PetOut(Strict):
    kind: str = Field(alias="$kind")
    id: str
    petName: str
    bornOn: str | None = None
    nickname: str | None = None
    tags: list[TagOut]
    owner: OwnerOut | None
    shelter: str | None = None


def _render_pet():
    return renderer(PetOut, Pet, kind=lambda p, ctx: ctx or "dog",
                    bornOn=From(convert=lambda d: d.isoformat(), optional=True, when=lambda p: p.born_on is not None),
                    nickname=From(lambda p, ctx: p.pet_name[:3], when=lambda p: len(p.pet_name) > 3),
                    tags=From(each=renderer(TagOut, dict)), owner=From(model=renderer(OwnerOut, Owner)),
                    shelter=From(lambda p, ctx: None, optional=True))


def test_snake_case_names_the_attribute_a_field_reads():
    assert [snake(n) for n in ("customerId", "id", "type_", "lastProposalDate")] == [
        "customer_id", "id", "type", "last_proposal_date"]


def test_the_answer_holds_the_models_fields_in_its_order_with_its_aliases():
    render = _render_pet()
    pet = Pet("p1", "Karabaş", date(2020, 5, 1), [{"label": "a"}], Owner("o1", "Ayşe"))
    out = render(pet, "cat")
    assert list(out) == ["$kind", "id", "petName", "bornOn", "nickname", "tags", "owner"]
    assert out == {"$kind": "cat", "id": "p1", "petName": "Karabaş", "bornOn": "2020-05-01", "nickname": "Kar",
                   "tags": [{"label": "a"}], "owner": {"id": "o1", "name": "Ayşe"}}
    # a field whose condition fails and an optional field that is None are left out; None stays None
    bare = render(Pet("p2", "Boz", None, [], None))
    assert bare == {"$kind": "dog", "id": "p2", "petName": "Boz", "tags": [], "owner": None}


class NamesOut(Strict):
    first: str | None = None
    last: str | None = None
    owner: OwnerOut
    pets: int


def test_fields_from_one_call_conditions_on_an_attribute_and_a_record_drawn_from_itself():
    """Fields fills consecutive fields from one call, Is/IsNot test an attribute inline, "." renders a
    nested object from the record's own attributes; a nested plain answer is written inline."""
    calls = []

    def split(o, ctx):
        calls.append(o.id)
        return tuple(o.name.split(" ", 1))

    render = renderer(NamesOut, Owner, Fields(("first", "last"), split, when=IsNot("id", "company")),
                      owner=From(".", model=renderer(OwnerOut, Owner)), pets=lambda o, ctx: len(ctx))
    assert render(Owner("o1", "Ayşe Kaya"), [1, 2]) == {"first": "Ayşe", "last": "Kaya",
                                                        "owner": {"id": "o1", "name": "Ayşe Kaya"}, "pets": 2}
    assert render(Owner("company", "Acme AŞ"), []) == {"owner": {"id": "company", "name": "Acme AŞ"}, "pets": 0}
    assert calls == ["o1"]
    only = renderer(OwnerOut, Owner, name=From(when=Is("id", "x")))
    assert only(Owner("x", "a")) == {"id": "x", "name": "a"} and only(Owner("y", "a")) == {"id": "y"}
    with pytest.raises(TypeError, match="not consecutive"):
        renderer(PetOut, Pet, Fields(("id", "tags"), lambda o, c: (1, 2)))


def test_a_view_prepared_once_feeds_every_field_and_constants_stay_constant():
    """With prepare, the record becomes a view computed once per answer (not once per field)."""
    made = []

    @dataclass
    class View:
        id: str
        name: str

    def prepare(owner, ctx):
        made.append(owner.id)
        return View(owner.id.upper(), f"{owner.name} ({ctx})")

    render = renderer(OwnerOut, View, prepare=prepare)
    assert render(Owner("o1", "Ayşe"), "tr") == {"id": "O1", "name": "Ayşe (tr)"} and made == ["o1"]
    fixed = renderer(NamesOut, Owner, first=Const("—"), last=Const(None), owner=From(".", model=render),
                     pets=Const(0))
    assert fixed(Owner("o2", "B"), "x") == {"first": "—", "last": None, "owner": {"id": "O2", "name": "B (x)"},
                                            "pets": 0}


def test_a_field_the_record_cannot_fill_is_refused_when_the_renderer_is_made():
    with pytest.raises(TypeError, match=r"field bornOn: the record has no attribute 'born_on'"):
        renderer(PetOut, Owner, kind=lambda p, c: "x", petName="name")
    with pytest.raises(TypeError, match=r"PetOut has no field \['colour'\]"):
        renderer(PetOut, Pet, colour="pet_name")
    with pytest.raises(TypeError, match="not an attribute path"):
        renderer(OwnerOut, Owner, name="name; import os")


@settings(max_examples=200, deadline=None)
@given(kind=st.sampled_from(["individual", "company", "foreign"]),
       name=st.one_of(st.none(), st.text(min_size=1, max_size=30)),
       born=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2020, 1, 1))),
       email=st.one_of(st.none(), st.emails()), counts=st.integers(0, 5))
def test_every_customer_rendered_fits_its_declaration_and_shows_only_its_kind(kind, name, born, email, counts):
    """Any customer record the domain can hold renders to an answer CustomerOut validates with undeclared
    fields forbidden; a company's answer carries no person's fields and a person's no company's."""
    from mockserver.domain import customers
    from mockserver.domain.tenant import Customer, Phone
    from mockserver.wire.customers import CustomerOut

    class Indexes:
        def count(self, *_):
            return counts

        def party_count(self, *_):
            return counts

    class Agent:
        indexes = Indexes()
        customer_emails: dict[str, list[str]] = {}
        customer_phones: dict[str, list[str]] = {}

    c = Customer(id="c1", type=kind, identity_number="1", created_at=0.0, updated_at=1.0, creation_channel="API",
                 full_name=name if kind != "company" else None, title=name if kind == "company" else None,
                 birth_date=born, email=email, phone=Phone("5550001234"), city="34")
    out = customers.wire(Agent(), c)
    TypeAdapter(CustomerOut).validate_python(out, extra="forbid")
    person = {"identityNumber", "fullName", "firstName", "lastName", "birthDate", "gender", "job"}
    if kind == "company":
        assert not person & set(out) and out["taxNumber"] == "1" and out["title"] == name
    else:
        assert person <= set(out) and "title" not in out and "taxNumber" not in out
        assert out["birthDate"] == (born.isoformat() if born else None)
    assert out["vehicleCount"] == counts and out["emailCount"] == (1 if email else 0)
    assert out["city"] == {"value": "34", "text": "İSTANBUL"}
