"""Simulated public registries: MERNIS (identity), Tramer (vehicles), UAVT (addresses) and the
DASK old-policy registry. Each answer is a pure function of its input (same plate, same car), and
the magic values of ``mockserver.magic`` force misses and outages."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from mockserver import magic
from mockserver.core.errors import NotFound, Upstream, field_error
from mockserver.domain.reference import Address, Ref, address_tree, render_address, stable_hash, vehicle_catalog
from mockserver.wire.properties import DaskPolicyOut
from mockserver.wire.render import Const, From, renderer
from mockserver.validators.turkish import tr_upper


@cache
def faker():  # imported lazily: faker takes a third of a second to load
    from faker import Faker

    return Faker("tr_TR")


@dataclass(frozen=True, slots=True)
class Person:
    full_name: str
    gender: str
    city: str
    district: str


def mernis(identity_number: str) -> Person:
    if identity_number in magic.MERNIS_DOWN_TCKNS:
        raise Upstream("MERNIS identity service is unavailable; try again later.", codes=["MERNIS_UNAVAILABLE"])
    if identity_number in magic.MERNIS_UNKNOWN_TCKNS:
        raise field_error("identityNumber", "the identity number could not be verified with MERNIS",
                          identity_number, code="IDENTITY_NOT_VERIFIED")
    h = stable_hash("mernis", identity_number)
    fk = faker()
    fk.seed_instance(h)
    female = h % 2 == 0
    first = fk.first_name_female() if female else fk.first_name_male()
    tree = address_tree()
    district = list(tree.district_by_code)[h // 7 % len(tree.district_by_code)]
    if identity_number == magic.DOCS_TEST_TCKN:
        district = "1823"
    return Person(full_name=tr_upper(f"{first} {fk.last_name()}"),
                  gender="FEMALE" if female else "MALE", city=tree.district_city[district], district=district)


def company_title(tax_number: str) -> str:
    fk = faker()
    fk.seed_instance(stable_hash("gib", tax_number))
    return f"{fk.last_name()} {fk.random_element(['Lojistik', 'Gıda', 'Yazılım', 'İnşaat', 'Tekstil', 'Otomotiv'])} A.Ş."


# ----------------------------------------------------------------------------- Tramer
_VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


def tramer(city: int, code: str, today: date) -> dict[str, Any]:
    letters = code.rstrip(string.digits)
    if letters.startswith(magic.TRAMER_NOT_FOUND_PREFIX):
        raise NotFound(f"Tramer'de {city:02d}{code} plakasına ait kriterlere uygun kayıt bulunamadı.",
                       codes=["TRAMER_RECORD_NOT_FOUND"],
                       suggestions=["Enter the vehicle's brand, model and year by hand."])
    if letters.startswith(magic.TRAMER_DOWN_PREFIX):
        raise Upstream("Tramer service is unavailable; try again later.", codes=["TRAMER_UNAVAILABLE"])
    cat = vehicle_catalog()
    if (city, code) == magic.TRAMER_FIXED_PLATE:
        brand = cat.by_value["153"]
        model = brand.models[0]
        year, chassis, engine = 2021, "VF1RJA00067123456", "H4MD738"
        reg = date(2021, 3, 15)
    else:
        h = stable_hash("tramer", city, code)
        cars = [b for b in cat.brands if b.value not in ("600", "900", "999")]
        brand = cars[h % len(cars)]
        model = brand.models[(h >> 8) % len(brand.models)]
        last = min(model.last_year, today.year)
        span = max(1, last - max(model.first_year, today.year - 20) + 1)
        year = last - (h >> 16) % span
        chassis = brand.wmi + "".join(_VIN_CHARS[(h >> (5 * i)) % len(_VIN_CHARS)] for i in range(14))
        # as stamped on the block and registered: letters and digits (an engine code's hyphen, 1NZ-FXE,
        # is not part of the number; the real site's forms refuse it)
        engine = f"{model.engine_prefix.replace('-', '')}{(h >> 20) % 1000000:06d}"
        reg = date(year, 1 + (h >> 24) % 12, 1 + (h >> 28) % 28)
    return {
        "plate": {"city": f"{city:02d}", "code": code},
        "model": {"brand": {"value": brand.value, "text": brand.text},
                  "type": {"value": model.value, "text": model.text}, "year": year},
        "engine": engine, "chassis": chassis, "registrationDate": reg.isoformat(), "seatNumber": 5,
        "utilizationStyle": "MOTORCYCLE" if brand.value == "600" else "PRIVATE_CAR", "fuelType": model.fuel,
    }


# ----------------------------------------------------------------------------- UAVT and DASK
@cache
def _fixed_address() -> Address:
    tree = address_tree()
    fixed = tree.decode_uavt(tree.first_uavt_in("1823", "magic"))
    assert fixed is not None
    return Address(fixed.city, fixed.district, fixed.town, fixed.neighborhood, fixed.street, fixed.building,
                   Ref(str(magic.UAVT_FIXED), fixed.apartment.text))


def uavt_address(number: int) -> Address:
    if number == magic.UAVT_DOWN:
        raise Upstream("UAVT address service is unavailable; try again later.", codes=["UAVT_UNAVAILABLE"])
    if number == magic.UAVT_FIXED:
        return _fixed_address()
    found = address_tree().decode_uavt(number)
    if found is None:
        raise NotFound(f"Failed to get address by uavt code {number}: UAVT koduna ait kayıt bulunamadı.",
                       codes=["UAVT_ADDRESS_NOT_FOUND"],
                       suggestions=["Build the address with the address-parameters cascade to get a valid UAVT code."])
    return found


def is_known_uavt(number: int) -> bool:
    return number == magic.UAVT_FIXED or address_tree().decode_uavt(number) is not None


@dataclass(frozen=True, slots=True)
class DaskPolicy:
    """What the DASK registry tells of an old earthquake policy's property (``DaskPolicyOut``)."""

    property_number: int
    address: Address
    construction_year: int
    square_meter: int
    floors: tuple[int, int]  # the building's floor count, as a range
    current_floor: int
    policy_end_date: date


render_dask_policy = renderer(
    DaskPolicyOut, DaskPolicy, address=From(model=render_address),
    floor=lambda d, ctx: {"totalFloors": {"$type": "range", "min": d.floors[0], "max": d.floors[1]},
                          "currentFloor": d.current_floor},
    structure=Const("STEEL_REINFORCED_CONCRETE"), utilizationStyle=Const("HOUSE"), damageStatus=Const("NONE"),
    ownershipType=Const("PROPRIETOR"), policyEndDate=From(convert=date.isoformat))


def dask_old_policy(policy_number: str) -> DaskPolicy:
    if policy_number.startswith(magic.DASK_NOT_FOUND_PREFIX):
        raise NotFound(f"Dask Tramer sorgusunda {policy_number} numaralı poliçe için kriterlere uygun kayıt bulunamadı.",
                       codes=["DASK_POLICY_NOT_FOUND"])
    if policy_number == magic.DASK_FIXED_POLICY:
        uavt, year, m2, floors, current = magic.UAVT_FIXED, 2005, 120, (4, 7), 3
    else:
        h = stable_hash("dask", policy_number)
        uavt = address_tree().uavt_for_hash(policy_number)
        year = 1970 + h % 54
        m2 = 55 + (h >> 8) % 145
        floors = [(1, 3), (4, 7), (8, 18), (19, 99)][(h >> 16) % 4]
        current = floors[0] + (h >> 20) % (min(floors[1], 25) - floors[0] + 1)
    return DaskPolicy(uavt, uavt_address(uavt), year, m2, floors, current,
                      date(2026, 1, 1) + timedelta(days=stable_hash(policy_number) % 365))
