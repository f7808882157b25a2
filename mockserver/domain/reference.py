"""Reference data loaded once from the package's data files: the Turkish address tree down to
UAVT codes, vehicle brands and models, and the insurer catalogue.

Below the neighbourhood level (streets, buildings, apartments) the tree is generated from the
neighbourhood's index, so that every reference value decodes back to its place without a table:

    street    = nbh * 16 + s            (s < streets_in(nbh))
    building  = street * 16 + b         (b < buildings_in(street))
    apartment = 1_000_000_000 + building * 32 + a   (a < apartments_in(building)); this is the UAVT
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from mockserver.validators.common import isdigits
from mockserver.wire.common import ValueText
from mockserver.wire.properties import AddressOut
from mockserver.wire.render import From, renderer
from mockserver.validators.turkish import tr_upper

UAVT_BASE = 1_000_000_000
_STREET_NAMES = [
    "ATATÜRK CADDESİ", "CUMHURİYET CADDESİ", "İSTİKLAL CADDESİ", "GAZİ MUSTAFA KEMAL BULVARI",
    "FEVZİ ÇAKMAK SOKAK", "GÜL SOKAK", "LALE SOKAK", "MENEKŞE SOKAK", "ÇINAR SOKAK", "IHLAMUR SOKAK",
    "YILDIZ SOKAK", "BARIŞ SOKAK", "ZAFER SOKAK", "KARANFİL SOKAK", "PAPATYA SOKAK", "ŞEHİT AHMET SOKAK",
    "MİMAR SİNAN CADDESİ", "FATİH SULTAN MEHMET CADDESİ", "YUNUS EMRE SOKAK", "MEVLANA SOKAK",
]


def _h(*parts: object) -> int:
    return int.from_bytes(hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest(), "big")


def _read(name: str) -> Any:
    ref = resources.files("mockserver.data").joinpath(name)
    if name.endswith(".gz"):
        with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    with ref.open("r", encoding="utf-8") as fh:
        return json.load(fh)


@dataclass(frozen=True, slots=True)
class Ref:
    value: str
    text: str

    def wire(self) -> dict[str, str]:
        return render_ref(self)


@dataclass(frozen=True, slots=True)
class Address:
    city: Ref
    district: Ref
    town: Ref
    neighborhood: Ref
    street: Ref
    building: Ref
    apartment: Ref

    def wire(self, property_number: int | None = None) -> dict[str, Any]:
        """``AddressOut``; with the property's number when given."""
        return render_address(self, property_number)

    def line(self) -> str:
        return (f"{self.neighborhood.text} {self.street.text} {self.building.text} {self.apartment.text} "
                f"{self.district.text}/{self.city.text}")


render_ref = renderer(ValueText, Ref)
render_address = renderer(AddressOut, Address, propertyNumber=From(lambda a, number: number, optional=True),
                          **{part: From(model=render_ref) for part in Address.__slots__})


class AddressTree:
    def __init__(self, raw: dict[str, Any]):
        self.cities = [Ref(c, n) for c, n in raw["cities"]]
        self.city_by_code = {c.value: c for c in self.cities}
        self.districts_by_city: dict[str, list[Ref]] = {}
        self.district_city: dict[str, str] = {}
        self.district_by_code: dict[str, Ref] = {}
        for city, code, name in raw["districts"]:
            ref = Ref(code, name)
            self.districts_by_city.setdefault(city, []).append(ref)
            self.district_city[code] = city
            self.district_by_code[code] = ref
        self.hoods: list[tuple[str, str]] = []  # index -> (district code, name)
        self.hood_range: dict[str, range] = {}
        for code, names in raw["neighbourhoods"].items():
            start = len(self.hoods)
            self.hoods.extend((code, n) for n in names)
            self.hood_range[code] = range(start, len(self.hoods))

    # -- cascade ---------------------------------------------------------------------------------
    def districts(self, city: str) -> list[Ref] | None:
        return self.districts_by_city.get(city.lstrip("0").zfill(2) if isdigits(city) else city)

    def towns(self, district: str) -> list[Ref] | None:
        d = self.district_by_code.get(district)
        return None if d is None else [Ref(self.town_value(district), "MERKEZ")]

    @staticmethod
    def town_value(district: str) -> str:
        return f"{district}01"

    def town_district(self, town: str) -> str | None:
        if len(town) > 2 and town.endswith("01") and town[:-2] in self.district_by_code:
            return town[:-2]
        return None

    def neighbourhoods(self, town: str) -> list[Ref] | None:
        district = self.town_district(town)
        if district is None:
            return None
        return [Ref(str(100000 + i), self.hoods[i][1]) for i in self.hood_range[district]]

    def hood_index(self, value: str) -> int | None:
        if not isdigits(value):
            return None
        i = int(value) - 100000
        return i if 0 <= i < len(self.hoods) else None

    @staticmethod
    def streets_in(nbh: int) -> int:
        return 4 + _h("st", nbh) % 9

    @staticmethod
    def buildings_in(street: int) -> int:
        return 3 + _h("bd", street) % 8

    @staticmethod
    def apartments_in(building: int) -> int:
        return 1 + _h("ap", building) % 12

    def streets(self, neighbourhood: str) -> list[Ref] | None:
        nbh = self.hood_index(neighbourhood)
        if nbh is None:
            return None
        names = _STREET_NAMES
        out = []
        for s in range(self.streets_in(nbh)):
            out.append(Ref(str(nbh * 16 + s), names[(_h("sn", nbh) + s * 7) % len(names)]))
        return out

    def _street(self, value: str) -> tuple[int, int] | None:
        if not isdigits(value):
            return None
        street = int(value)
        nbh, s = divmod(street, 16)
        if nbh >= len(self.hoods) or s >= self.streets_in(nbh):
            return None
        return nbh, s

    def buildings(self, street: str) -> list[Ref] | None:
        if self._street(street) is None:
            return None
        st = int(street)
        return [Ref(str(st * 16 + b), f"NO: {1 + b * 2 + _h('bn', st) % 2}") for b in range(self.buildings_in(st))]

    def _building(self, value: str) -> int | None:
        if not isdigits(value):
            return None
        bld = int(value)
        street, b = divmod(bld, 16)
        if self._street(str(street)) is None or b >= self.buildings_in(street):
            return None
        return bld

    def apartments(self, building: str) -> list[Ref] | None:
        bld = self._building(building)
        if bld is None:
            return None
        return [Ref(str(UAVT_BASE + bld * 32 + a), f"DAİRE {a + 1}") for a in range(self.apartments_in(bld))]

    def decode_uavt(self, code: int | str) -> Address | None:
        """The full address of a UAVT code, or None if the code names no apartment of the tree."""
        try:
            n = int(code) - UAVT_BASE
        except (TypeError, ValueError):
            return None
        if n < 0:
            return None
        bld, a = divmod(n, 32)
        if self._building(str(bld)) is None or a >= self.apartments_in(bld):
            return None
        street, b = divmod(bld, 16)
        nbh, s = divmod(street, 16)
        district_code, hood_name = self.hoods[nbh]
        city_code = self.district_city[district_code]
        street_ref = next(r for r in self.streets(str(100000 + nbh)) or [] if r.value == str(street))
        bld_ref = next(r for r in self.buildings(str(street)) or [] if r.value == str(bld))
        return Address(
            city=self.city_by_code[city_code],
            district=self.district_by_code[district_code],
            town=Ref(self.town_value(district_code), "MERKEZ"),
            neighborhood=Ref(str(100000 + nbh), hood_name),
            street=street_ref,
            building=bld_ref,
            apartment=Ref(str(UAVT_BASE + n), f"DAİRE {a + 1}"),
        )

    def first_uavt_in(self, district_code: str, salt: object = 0) -> int:
        """A deterministic valid UAVT inside a district (used by simulated registries)."""
        hoods = self.hood_range[district_code]
        nbh = hoods[_h("pick", salt) % len(hoods)]
        street = nbh * 16 + _h("s", salt) % self.streets_in(nbh)
        bld = street * 16 + _h("b", salt) % self.buildings_in(street)
        return UAVT_BASE + bld * 32 + _h("a", salt) % self.apartments_in(bld)

    def uavt_for_hash(self, salt: object) -> int:
        codes = list(self.district_by_code)
        return self.first_uavt_in(codes[_h("district", salt) % len(codes)], salt)


@dataclass(frozen=True, slots=True)
class Model:
    value: str
    text: str
    first_year: int
    last_year: int
    fuel: str
    engine_prefix: str


@dataclass(frozen=True, slots=True)
class Brand:
    value: str
    text: str
    wmi: str
    models: tuple[Model, ...]


class VehicleCatalog:
    def __init__(self, raw: dict[str, Any]):
        self.brands = [
            Brand(b["value"], b["text"], b["wmi"], tuple(
                Model(m["value"], m["text"], m["firstYear"], m["lastYear"], m["fuel"], m["enginePrefix"])
                for m in b["models"]))
            for b in raw["brands"]
        ]
        self.by_value = {b.value: b for b in self.brands}
        self.by_text = {b.text: b for b in self.brands}
        self.model_by_value = {m.value: (b, m) for b in self.brands for m in b.models}

    def brand(self, ref: str) -> Brand | None:
        return self.by_value.get(ref) or self.by_text.get(tr_upper(ref.strip()))

    def model(self, brand: Brand, ref: str) -> Model | None:
        hit = self.model_by_value.get(ref)
        if hit and hit[0] is brand:
            return hit[1]
        up = tr_upper(ref.strip())
        return next((m for m in brand.models if m.text == up), None)

    def models_for(self, brand: Brand, year: int | None) -> list[Model]:
        return [m for m in brand.models if year is None or m.first_year <= year <= m.last_year]


@cache
def address_tree() -> AddressTree:
    return AddressTree(_read("address.json.gz"))


@cache
def vehicle_catalog() -> VehicleCatalog:
    return VehicleCatalog(_read("vehicles.json"))


@cache
def insurer_data() -> list[dict[str, Any]]:
    return _read("insurers.json")["insurers"]


def stable_hash(*parts: object) -> int:
    return _h(*parts)
