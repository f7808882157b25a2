"""Enum spellings on the wire, and the integer codes real clients write (real-b2c-site.md §14)."""

from __future__ import annotations

from typing import Any

from mockserver.core.errors import field_error
from mockserver.validators.common import isdigits
from mockserver.wire import common as wire_common

GENDER = ["UNKNOWN", "MALE", "FEMALE", "OTHER"]
MARITAL_STATUS = ["UNKNOWN", "SINGLE", "MARRIED"]
JOB = ["UNKNOWN", "BANKER", "CORPORATE_EMPLOYEE", "LTD_EMPLOYEE", "POLICE", "MILITARY_PERSONNEL", "RETIRED_SPOUSE",
       "TEACHER", "DOCTOR", "PHARMACIST", "NURSE", "HEALTHCARE_WORKER", "LAWYER", "JUDGE", "PROSECUTOR",
       "FREELANCER", "FARMER", "INSTRUCTOR", "RELIGIOUS_OFFICIAL", "ASSOCIATION_MANAGER", "OFFICER", "RETIRED",
       "HOUSEWIFE"]
# what a case can be (cases.py has its states and rules)
CASE_TYPES = ["SALE_OPPORTUNITY", "ENDORSEMENT", "CANCEL", "COMPLAINT"]
SALE_SUB_TYPES = ["NEW_SALE", "CROSS_SALE", "RENEWAL"]
CANCEL_SUB_TYPES = ["ONLINE_CANCELLATION_REFUND", "MEB_CANCELLATION", "PARTIAL_CANCELLATION", "CANCELLATION_FROM_SALE",
                    "CANCELLATION_DUE_TO_COLLECTION", "CANCELLATION_DUE_TO_DAMAGE"]
COMPLAINT_SUB_TYPES = ["CONSULTANT_ERROR", "POLICY_OPERATIONS", "COLLECTION", "DUE_TO_FREQUENT_CALLS", "FRAUD", "DAMAGE",
                       "OTHER"]
ENDORSEMENT_SUB_TYPES = ["NO_CLAIM_BONUS_TRANSFER", "COVERAGE_CHANGE", "USAGE_TYPE_CHANGE", "TRANSFER_REQUEST",
                         "LICENSE_PLATE_CHANGE", "BRAND_MODEL_CHANGE", "ENGINE_CHASSIS_NUMBER_CHANGE",
                         "CONTACT_ADDRESS_CHANGE", "OTHER", "PLEDGEE_CORRECTION_ADDITION"]
PRODUCT_BRANCHES = list(wire_common.PRODUCT_BRANCHES)
VEHICLE_UTILIZATION = [
    "UNKNOWN", "PRIVATE_CAR", "TAXI", "ROUTE_BASED_MINIBUS", "MEDIUM_BUS", "LARGE_BUS", "PICKUP_TRUCK",
    "CLOSED_BED_PICKUP", "TRUCK", "CONSTRUCTION_MACHINERY", "TRACTOR", "TRAILER", "MOTORCYCLE", "TANKER", "TOW_TRUCK",
    "MOTORIZED_CARAVAN", "TOWABLE_CARAVAN", "AGRICULTURAL_MACHINE_EXCLUDING_TRACTOR", "OPEN_BODY_TRUCK", "RENTAL_CAR",
    "ARMORED_VEHICLE", "MINIBUS_SHARED_TAXI", "JEEP", "JEEP_SAV", "JEEP_SUV", "JEEP_RENTAL", "JEEP_TAXI", "AMBULANCE",
    "FIREFIGHTER_CAR", "HEARSE", "CHAUFFEURED_RENTAL_CAR", "OPERATIONAL_RENTAL", "PRIVATE_MINIBUS", "ROUTE_MINIBUS",
    "SERVICE_MINIBUS", "COMPANY_MINIBUS", "RENTAL_MINIBUS", "AMBULANCE_MINIBUS", "MINIBUS_BROADCASTING_VEHICLE",
    "MINIBUS_ARMORED_TRANSPORT", "SMALL_BUS_15_35_PASSENGERS", "SMALL_BUS_SERVICE", "SMALL_BUS_CITY",
    "SMALL_BUS_ROUTE", "LARGE_BUS_36_PLUS", "DUMP_TRUCK", "REFRIGERATED_TRUCK", "TRUCK_WITH_CONCRETE_MIXER",
    "SILO_TRUCK", "TRUCK_WITH_CONCRETE_PUMP", "ROCK_TRUCK", "TRUCK_WITH_CRANE", "HEAVY_MACHINERY", "EXCAVATOR",
    "LOADER", "BULLDOZER", "SCRAPER", "GRADER", "ROAD_ROLLER", "MOBILE_CRANE", "INDOOR_FORKLIFT", "OUTDOOR_FORKLIFT",
    "MOBILE_COMPRESSOR", "MOBILE_PUMP", "MOBILE_WELDING_MACHINE", "COMBINE_HARVESTER", "TANKER_ACID_CARRIER",
    "TANKER_WATER_FUEL_CARRIER", "TANKER_EXPLOSIVE_FLAMMABLE", "TOW_TRUCK_TRACTOR", "TOW_TRUCK_TANKER",
    "PANEL_GLASS_VAN_MINUBUS"]
VEHICLE_UTILIZATION_ALIASES = {"COMMERCIAL": "ROUTE_BASED_MINIBUS",
                               "SMALL_BUS_1535_PASSENGERS": "SMALL_BUS_15_35_PASSENGERS"}  # the spelling before the SDK's
FUEL = ["UNKNOWN", "GASOLINE", "DIESEL", "LPG", "ELECTRIC", "LPG_GASOLINE", "HYBRID"]
PROPERTY_STRUCTURE = ["UNKNOWN", "STEEL_REINFORCED_CONCRETE", "MASONRY", "STEEL", "WOOD", "OTHER"]
PROPERTY_UTILIZATION = ["UNKNOWN", "HOUSE", "BUSINESS", "OTHER"]
PROPERTY_DAMAGE = ["UNKNOWN", "NONE", "SLIGHTLY_DAMAGED", "MODERATELY_DAMAGED", "SEVERELY_DAMAGED"]
PROPERTY_OWNERSHIP = ["UNKNOWN", "PROPRIETOR", "TENANT", "OTHER"]
CHANNELS = list(wire_common.CHANNELS)
CHANNEL_ALIASES = wire_common.CHANNEL_ALIASES
CONSENT_TYPES = ["KVKK", "ETK"]
CONSENT_CHANNELS = ["MANUAL", "WEB", "CHATBOT", "SMS", "EMAIL", "EXTERNAL"]


def enum_value(path: str, value: Any, values: list[str], *, aliases: dict[str, str] | None = None,
               ints: bool = True, allow_none: bool = True) -> str | None:
    """Accept the UPPER_SNAKE spelling, any case of it, or the integer index real clients write."""
    if hasattr(value, "model_dump"):  # a {value, text} echo a request model parsed
        value = value.model_dump(by_alias=True)
    if value is None or value == "":
        if allow_none:
            return None
        raise field_error(path, "is required", value)
    if isinstance(value, bool):
        raise field_error(path, f"must be one of {', '.join(values)}", value)
    if isinstance(value, int) or (isinstance(value, str) and isdigits(value.strip())):
        i = int(value)
        if ints and 0 <= i < len(values):
            return values[i]
        raise field_error(path, f"{value} is not a valid code (0-{len(values) - 1}) for this field", value)
    if isinstance(value, dict) and "value" in value:  # {value, text} / {reference} echoes
        return enum_value(path, value.get("value"), values, aliases=aliases, ints=ints, allow_none=allow_none)
    if isinstance(value, str):
        key = value.strip().upper().replace("-", "_").replace(" ", "_")
        if aliases and key in aliases:
            return aliases[key]
        if key in values:
            return key
        # PascalCase (e.g. "LpgGasoline") -> LPG_GASOLINE
        snake = "".join("_" + c if c.isupper() and i else c for i, c in enumerate(value.strip())).upper()
        if snake in values:
            return snake
    raise field_error(path, f"must be one of {', '.join(values)}", value if isinstance(value, (str, int)) else None)
