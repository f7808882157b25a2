"""Vehicles: the two create shapes (the docs' flat ``plate/brandCode/modelCode/year`` and a real
site's nested ``plate{city,code}/brandReference/modelTypeReference/modelYear``), the Tramer
external lookup, and the body real clients read back."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso
from mockserver.core.errors import Duplicate, FieldError, InputValidation, field_error
from mockserver.domain import enums, records, registries
from mockserver.domain.reference import render_ref, vehicle_catalog
from mockserver.domain.tenant import Vehicle
from mockserver.wire.common import ValueRef
from mockserver.wire.models import FuelIn, LossPayeeClause, VehicleOldPolicy
from mockserver.wire.parse import kept
from mockserver.wire.events import VehicleCreated, VehicleUpdated
from mockserver.wire.render import Const, From, renderer
from mockserver.wire.vehicles import FuelOut, PlateOut, VehicleModelOut, VehicleOut
from mockserver.validators.common import isdigits
from mockserver.validators.turkish import is_document_serial, is_plate_code, parse_plate, tr_upper

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Customer
    from mockserver.wire.vehicles import PlateIn, VehicleLookupRequest, VehicleRequest, VehicleUpdateRequest

class _Errors:
    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, path: str, msg: str, value: Any = None) -> None:
        self.items.append(FieldError(path, msg, value if isinstance(value, (str, int, float, bool)) else None))

    def run(self, fn, *args, **kw):
        try:
            return fn(*args, **kw)
        except InputValidation as exc:
            self.items.extend(exc.field_errors)
            return None

    def raise_if_any(self, detail: str = "One or more vehicle fields are invalid.") -> None:
        if self.items:
            raise InputValidation(detail, field_errors=self.items)


def parse_plate_input(raw: "PlateIn | str | None", errors: _Errors, *, required: bool) -> tuple[int | None, str]:
    """A plate as text ("34ABC123") or as {city, code}: (city, code), "" for an unplated vehicle. Checked
    with the body's other fields, so that one answer names every problem."""
    if raw is None or raw == "":
        if required:
            errors.add("plate", "is required (e.g. \"34ABC123\" or {\"city\": 34, \"code\": \"ABC123\"})")
        return None, ""
    if isinstance(raw, str):
        parsed = parse_plate(raw)
        if parsed is None:
            errors.add("plate", "is not a Turkish plate (city 01-81, 1-3 letters, 2-5 digits, e.g. 34ABC123)", raw)
            return None, ""
        return parsed
    city_raw, code_raw = raw.city, raw.code
    if isinstance(city_raw, bool) or not isdigits(str(city_raw or "").strip()) or not 1 <= int(str(city_raw)) <= 81:
        errors.add("plate.city", "must be a city plate code between 1 and 81", city_raw)
        return None, ""
    city = int(str(city_raw))
    if code_raw in (None, ""):
        return city, ""  # unplated vehicle (real sites send code "")
    if not isinstance(code_raw, str):
        errors.add("plate.code", "must be a string such as \"ABC123\"", code_raw)
        return city, ""
    code = tr_upper(code_raw.replace(" ", ""))
    if not is_plate_code(city, code):
        errors.add("plate.code", "is not a plate code (1-3 letters then 2-5 digits, e.g. ABC123)", code_raw)
    return city, code


def _ref(raw: Any) -> Any:
    """A catalogue reference as sent: its value, or the value of a {value, text} echo."""
    if isinstance(raw, ValueRef):
        return raw.value
    return raw.get("value") if isinstance(raw, dict) else raw


def _first_sent(req: "VehicleUpdateRequest", *keys: str) -> str | None:
    return next((k for k in keys if getattr(req, k) not in (None, "")), None)


def _document_serial(req: "VehicleUpdateRequest | VehicleLookupRequest", errors: _Errors) -> tuple[str, str] | None:
    if req.documentSerial is not None:
        code, number, prefix = req.documentSerial.code, req.documentSerial.number, "documentSerial."
    else:
        code, number, prefix = req.documentSerialCode, req.documentSerialNumber, "documentSerial"
    if code in (None, "") and number in (None, ""):
        return None
    code_s, number_s = str(code or "").strip(), str(number or "").strip()
    if not is_document_serial(code_s, number_s):
        bad_code = not code_s.isalpha() or not 1 <= len(code_s) <= 3
        if prefix.endswith("."):
            path = prefix + ("code" if bad_code else "number")
        else:
            path = "documentSerialCode" if bad_code else "documentSerialNumber"
        errors.add(path, "registration serial must be 1-3 letters (e.g. AB) and 4-7 digits (e.g. 123456)",
                   code if bad_code else number)
        return None
    return tr_upper(code_s), number_s


def parse_body(agent: "Agent", req: "VehicleUpdateRequest", *, current: Vehicle | None = None) -> dict[str, Any]:
    """What a vehicle is made of, from the parsed request (its model checked the plate's form, the
    lengths, the seat count, the dates and the prices): the catalogue, the model years and the fuel
    and use vocabularies are checked here, every problem reported at once."""
    errors = _Errors()
    cat = vehicle_catalog()
    city, code = parse_plate_input(req.plate, errors, required=current is None)
    if current is not None and req.plate in (None, ""):
        city, code = current.plate_city, current.plate_code
    brand_key = _first_sent(req, "brandReference", "brandCode", "brand")
    model_key = _first_sent(req, "modelTypeReference", "modelCode", "modelReference", "model")
    year_key = _first_sent(req, "modelYear", "year")
    brand = model = None
    year: int | None = None
    if year_key:
        raw_year = getattr(req, year_key)
        if not isdigits(str(raw_year)) or not 1950 <= int(str(raw_year)) <= agent.today().year + 1:
            errors.add(year_key, f"must be a model year between 1950 and {agent.today().year + 1}", raw_year)
        else:
            year = int(str(raw_year))
    elif current is None:
        errors.add("modelYear", "is required (also accepted as year)")
    if brand_key:
        raw = _ref(getattr(req, brand_key))
        brand = cat.brand(str(raw)) if isinstance(raw, (str, int)) else None
        if brand is None:
            errors.add(brand_key, "is not a brand of vehicle-parameters/brands (value or name)", raw)
    elif current is None:
        errors.add("brandReference", "is required (also accepted as brandCode)")
    if model_key and brand is not None:
        raw = _ref(getattr(req, model_key))
        model = cat.model(brand, str(raw)) if isinstance(raw, (str, int)) else None
        if model is None:
            errors.add(model_key, f"is not a model of {brand.text} in vehicle-parameters/models", raw)
        elif year is not None and not model.first_year <= year <= model.last_year:
            errors.add(year_key or "modelYear", f"{brand.text} {model.text} was made {model.first_year}-{model.last_year}", year)
    elif model_key is None and current is None:
        errors.add("modelTypeReference", "is required (also accepted as modelCode)")
    fuel_type, custom_lpg, custom_lpg_price = (current.fuel_type if current else None), False, None
    if isinstance(req.fuel, FuelIn):
        fuel_type = errors.run(enums.enum_value, "fuel.type", req.fuel.type, enums.FUEL) or fuel_type
        custom_lpg, custom_lpg_price = bool(req.fuel.customLpg), req.fuel.customLpgPrice
    elif req.fuel is not None or req.fuelType is not None:
        key = "fuel" if req.fuel is not None else "fuelType"
        fuel_type = errors.run(enums.enum_value, key, getattr(req, key), enums.FUEL) or fuel_type
    utilization = (errors.run(enums.enum_value, "utilizationStyle", req.utilizationStyle, enums.VEHICLE_UTILIZATION,
                              aliases=enums.VEHICLE_UTILIZATION_ALIASES) if req.utilizationStyle is not None else None)
    serial = _document_serial(req, errors)
    accessories = []
    for i, acc in enumerate(req.accessories or []):
        kind = (acc.type_ if acc.type_ is not None else acc.type or "").lower()
        if kind not in ("audio", "display", "other"):
            errors.add(f"accessories[{i}].$type", "must be audio, display or other")
        elif acc.price is None:
            errors.add(f"accessories[{i}].price", "must be a non-negative number")
        else:
            accessories.append({"$type": kind, "price": acc.price})
    chassis_key = "chassis" if req.chassis is not None else "chassisNumber"
    chassis = getattr(req, chassis_key)
    if chassis and len(chassis) == 17 and any(c in chassis.upper() for c in "IOQ"):
        errors.add(chassis_key, "a 17-character VIN never contains I, O or Q", chassis)
    errors.raise_if_any()
    if brand is not None and model is None and current is not None and model_key is None:
        _, model = cat.model_by_value[current.model]
        if model not in brand.models:
            raise field_error("modelTypeReference", f"is required when the brand changes to {brand.text}", None)
    return {
        "plate_city": city, "plate_code": code,
        "brand": brand.value if brand else None, "model": model.value if model else None, "year": year,
        "utilization_style": utilization, "fuel_type": fuel_type or (model.fuel if model else None),
        "custom_lpg": custom_lpg, "custom_lpg_price": custom_lpg_price,
        "engine": (req.engine if req.engine is not None else req.engineNumber) or None,
        "chassis": (req.chassis if req.chassis is not None else req.chassisNumber) or None,
        "document_serial": serial,
        "registration_date": date.fromisoformat(req.registrationDate[:10]) if req.registrationDate else None,
        "seat_number": req.seatNumber, "accessories": accessories,
        "loss_payee": kept(LossPayeeClause, req.lossPayeeClause),
        "kasko_old_policy": kept(VehicleOldPolicy, req.kaskoOldPolicy),
        "trafik_old_policy": kept(VehicleOldPolicy, req.trafikOldPolicy),
    }


def _duplicate_plate(agent: "Agent", customer_id: str, city: int | None, code: str, skip: str | None = None) -> None:
    if not code:
        return
    for v in agent.indexes.of(agent, "vehicles", "customerId", customer_id):
        if v.id != skip and (v.plate_city, v.plate_code) == (city, code):
            raise Duplicate(f"The customer already has a vehicle with plate {city:02d}{code}.",
                            codes=["VEHICLE_ALREADY_EXISTS"])


def create(agent: "Agent", customer: "Customer", req: "VehicleRequest", *, by: dict[str, Any]) -> Vehicle:
    if req.customerId not in (None, "", customer.id):
        raise field_error("customerId", f"does not match the customer in the path ({customer.id})", req.customerId)
    data = parse_body(agent, req)
    _duplicate_plate(agent, customer.id, data["plate_city"], data["plate_code"])
    now = agent.now()
    vehicle = Vehicle(id=agent.ids.guid(), customer_id=customer.id, plate_city=data["plate_city"],
                      plate_code=data["plate_code"], brand=data["brand"], model=data["model"], year=data["year"],
                      utilization_style=data["utilization_style"] or "PRIVATE_CAR", fuel_type=data["fuel_type"],
                      custom_lpg=data["custom_lpg"], custom_lpg_price=data["custom_lpg_price"], engine=data["engine"],
                      chassis=data["chassis"], document_serial=data["document_serial"],
                      registration_date=data["registration_date"], seat_number=data["seat_number"],
                      accessories=data["accessories"], loss_payee=data["loss_payee"],
                      kasko_old_policy=data["kasko_old_policy"], trafik_old_policy=data["trafik_old_policy"],
                      created_at=now, updated_at=now)
    agent.vehicles.add(vehicle)
    agent.event(_created_event(vehicle))
    return vehicle


def update(agent: "Agent", vehicle: Vehicle, req: "VehicleUpdateRequest", *, by: dict[str, Any]) -> Vehicle:
    """``PUT``: the fields sent change (accessories and custom LPG as sent, even emptied)."""
    if req.vehicleId not in (None, "", vehicle.id):
        raise field_error("vehicleId", f"does not match the vehicle id in the path ({vehicle.id})", req.vehicleId)
    data = parse_body(agent, req, current=vehicle)
    _duplicate_plate(agent, vehicle.customer_id, data["plate_city"], data["plate_code"], skip=vehicle.id)
    for key, value in data.items():
        if key in ("accessories", "custom_lpg"):
            if key in req.model_fields_set or (key == "custom_lpg" and isinstance(req.fuel, FuelIn)):
                setattr(vehicle, key, value)
        elif value is not None:
            setattr(vehicle, key, value)
    vehicle.updated_at = agent.now()
    agent.event(_updated_event(vehicle, by))
    return vehicle


def get(agent: "Agent", customer_id: str, vehicle_id: str) -> Vehicle:
    """The customer's vehicle; another customer's answers as one that does not exist."""
    v = agent.vehicles.get(vehicle_id)
    if v is None or v.customer_id != customer_id:
        raise records.VEHICLE(vehicle_id)
    return v


def delete(agent: "Agent", v: Vehicle) -> None:
    agent.vehicles.remove(v.id)


def lookup(agent: "Agent", req: "VehicleLookupRequest") -> dict[str, Any]:
    errors = _Errors()
    city, code = parse_plate_input(req.plate, errors, required=True)
    serial = _document_serial(req, errors)
    errors.raise_if_any("The plate or registration serial is invalid.")
    if not code:
        raise field_error("plate.code", "an unplated vehicle cannot be looked up in Tramer", "")
    assert city is not None
    result = registries.tramer(city, code, agent.today())
    result["documentSerial"] = {"code": serial[0], "number": serial[1]} if serial else None
    return result


# the flat vehicle columns GraphQL's proposal and policy nodes declare (name, GraphQL type); a row holds
# ``row_fields`` whole (and the REST rows read the rest of it)
ROW_COLUMNS = (
    ("vehiclePlateCode", "String"), ("vehiclePlateCity", "Int"), ("vehiclePlate", "String"),
    ("vehicleDocumentSerialCode", "String"), ("vehicleDocumentSerialNumber", "String"),
    ("vehicleModelBrandText", "String"), ("vehicleModelBrandValue", "String"), ("vehicleModelTypeText", "String"),
    ("vehicleModelTypeValue", "String"), ("vehicleModelYear", "Int"), ("vehicleModelName", "String"),
    ("vehicleFuelType", "VehicleFuelType"), ("vehicleModel", "VehicleModelReference"))


def row_fields(v: Vehicle | None) -> dict[str, Any]:
    """The vehicle as GraphQL rows carry it (flat ``vehicle…`` columns); a proposal keeps them as quoted."""
    if v is None:
        return {}
    brand, model = vehicle_catalog().model_by_value[v.model]
    return {
        "vehiclePlateCode": v.plate_code or None, "vehiclePlateCity": v.plate_city,
        "vehiclePlate": f"{v.plate_city:02d}{v.plate_code}" if v.plate_city and v.plate_code else None,
        "vehicleModelBrandText": brand.text, "vehicleModelBrandValue": brand.value,
        "vehicleModelTypeText": model.text, "vehicleModelTypeValue": model.value, "vehicleModelYear": v.year,
        "vehicleModelName": f"{brand.text} {model.text}",
        "vehicleModel": {"brand": {"text": brand.text, "value": brand.value},
                         "type": {"text": model.text, "value": model.value}, "year": v.year},
        "vehicleUtilizationStyle": v.utilization_style, "vehicleEngineNumber": v.engine,
        "vehicleChassisNumber": v.chassis,
        "vehicleRegistrationDate": v.registration_date.isoformat() if v.registration_date else None,
        "vehicleFuelType": v.fuel_type, "vehicleSeatNumber": v.seat_number,
        "vehicleDocumentSerialCode": v.document_serial[0] if v.document_serial else None,
        "vehicleDocumentSerialNumber": v.document_serial[1] if v.document_serial else None,
    }


def _brand(v: Vehicle, _ctx: Any = None) -> Any:
    return vehicle_catalog().model_by_value[v.model][0]


def _model(v: Vehicle, _ctx: Any = None) -> Any:
    return vehicle_catalog().model_by_value[v.model][1]


wire = renderer(
    VehicleOut, Vehicle,
    hasPlate=lambda v, ctx: bool(v.plate_code),
    plate=From(".", model=renderer(PlateOut, Vehicle, city="plate_city", code="plate_code")),
    model=From(".", model=renderer(VehicleModelOut, Vehicle, brand=From(_brand, model=render_ref),
                                   type=From(_model, model=render_ref))),
    type=lambda v, ctx: "MOTORCYCLE" if _brand(v).value == "600" else "AUTOMOBILE",
    fuel=From(".", model=renderer(FuelOut, Vehicle, type="fuel_type")),
    engineNumber="engine", chassisNumber="chassis",
    documentSerial=lambda v, ctx: {"code": v.document_serial[0], "number": v.document_serial[1]} if v.document_serial else None,
    registrationDate=From("registration_date", convert=date.isoformat),
    lossPayeeClause="loss_payee",
    createdAt=From(convert=iso), updatedAt=From(convert=iso),
)
"""``GET customers/{id}/vehicles/{vehicleId}``'s answer (``VehicleOut``) for a vehicle."""


def _plate(v: Vehicle, ctx: Any) -> str | None:
    return f"{v.plate_city:02d}{v.plate_code}" if v.plate_code and v.plate_city else None


_EVENT_FIELDS = dict(
    vehicleId="id", plate=_plate, brandName=lambda v, ctx: vehicle_catalog().model_by_value[v.model][0].text,
    modelName=lambda v, ctx: vehicle_catalog().model_by_value[v.model][1].text, modelYear="year", fuel="fuel_type",
    registrationDate=From("registration_date", convert=date.isoformat))
_created_event = renderer(VehicleCreated, Vehicle, event=Const("vehicle.created"), createdAt=From(convert=iso),
                          **_EVENT_FIELDS)
# ctx: who changed it (a user reference)
_updated_event = renderer(VehicleUpdated, Vehicle, event=Const("vehicle.updated"), updatedAt=From(convert=iso),
                          updatedBy=lambda v, by: by, **_EVENT_FIELDS)
