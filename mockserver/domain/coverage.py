"""Coverage choices per branch (``coverage-choices:kasko|konut|imm|tss``) and the agent's coverage
groups (teminat grupları, ``coverage-groups``): named, branch-bound coverage tables whose ids a site
passes as ``coverageGroupIds`` when it asks for a proposal.

Coverage values are written as real clients read them: ``{"$type": "DECIMAL", "value": 1000000}``,
``{"$type": "INCLUDED"}``, plain enum strings for service and part types, and a ``kiralikArac``
object. The choices come from ``data/coverage.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from mockserver.core.clock import iso
from mockserver.core.errors import Duplicate, FieldError, InputValidation, NotFound, field_error
from mockserver.magic import MAGIC_ALL_FAIL, MAGIC_FAIL_PREFIX, MAGIC_INVESTIGATION, MAGIC_SLOW
from mockserver.validators.common import isdigits
from mockserver.wire.parse import invalid
from mockserver.wire.proposals import CoverageGroupRequest, CoverageGroupUpdateRequest
from mockserver.wire.proposals import CoverageGroupOut, CoverageGroupTable, CoverageTableRow
from mockserver.wire.coverage import CoverageChoice, CoverageChoices
from mockserver.wire.render import Const, From, renderer

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent

# product branches a proposal can be asked for, by every spelling real clients send
PROPOSAL_BRANCHES = {"kasko": "KASKO", "trafik": "TRAFIK", "traffic": "TRAFIK", "imm": "IMM", "konut": "KONUT",
                     "dask": "DASK", "tss": "TSS"}
BRANCH_TYPE = {"KASKO": "kasko", "TRAFIK": "trafik", "IMM": "imm", "KONUT": "konut", "DASK": "dask", "TSS": "tss"}
CHOICE_BRANCHES = ("KASKO", "KONUT", "IMM", "TSS")  # the coverage-choices:<branch> endpoints
# branches whose choices are served though no insurer quotes them over web service (reference A.4)
CHOICES_ONLY = {"OSS": "oss", "SEYAHAT_SAGLIK": "seyahat-saglik", "YABANCI_SAGLIK": "yabanci-saglik"}
# the SDK's CoverageValue members; a rental (kiralikArac) is NONE, UNDEFINED or DEFINED
VALUE_TYPES = ("DECIMAL", "NUMBER", "PERCENT", "LIMITLESS", "UNDEFINED", "HIGHEST_LIMIT", "NOT_INCLUDED", "INCLUDED",
               "MARKET_VALUE")
RENTAL_TYPES = ("NONE", "UNDEFINED", "DEFINED")
NUMERIC_TYPES = ("DECIMAL", "NUMBER", "PERCENT")
MAX_GROUPS_PER_PROPOSAL = 3  # GEN: "1-3 coverage groups"

@cache
def choices() -> dict[str, Any]:
    return json.loads(resources.files("mockserver.data").joinpath("coverage.json").read_text("utf-8"))


def choice_items(branch: str) -> dict[str, dict[str, Any]]:
    return {item["key"]: item for item in choices()[branch]["items"]}


def default_coverage(branch: str) -> dict[str, Any]:
    body: dict[str, Any] = {"$type": BRANCH_TYPE[branch], "productBranch": branch}
    for item in choices()[branch]["items"]:
        if item["default"] is not None:
            body[item["key"]] = item["default"]
    return body


@dataclass(frozen=True, slots=True)
class ChoicesAsked:
    """A ``coverage-choices:<branch>`` request: for every coverage key, its label and the values a
    coverage group may hold (the same whatever insurer or vehicle use it names)."""

    branch: str
    insurance_company_id: int | None = None
    vehicle_utilization_style: str | None = None


render_choices = renderer(
    CoverageChoices, ChoicesAsked, type_=lambda a, ctx: choices()[a.branch]["$type"], productBranch="branch",
    items=From(lambda a, ctx: choices()[a.branch]["items"], each=renderer(CoverageChoice, dict)))


def parse_coverage(branch: str, raw: Any, path: str = "coverage") -> dict[str, Any] | None:
    """A coverage object for ``branch`` as sent in a proposal or coverage group; None when absent."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise field_error(path, "must be an object of coverage values keyed by coverage name", None)
    items = choice_items(branch)
    table = choices()[branch]
    errors: list[FieldError] = []
    kind = raw.get("$type")
    if kind not in (None, BRANCH_TYPE[branch]):
        errors.append(FieldError(f"{path}.$type", f"must be {BRANCH_TYPE[branch]!r} for a {branch} coverage", kind))
    said = raw.get("productBranch")
    if said is not None and (not isinstance(said, str) or said.strip().upper() != branch):
        errors.append(FieldError(f"{path}.productBranch", f"must be {branch} for a {branch} coverage",
                                 said if isinstance(said, str) else None))
    out: dict[str, Any] = {"$type": BRANCH_TYPE[branch], "productBranch": branch}
    for key, value in raw.items():
        if key in ("$type", "productBranch") or key in table.get("dropped", ()):
            continue  # (a key of an earlier table that no longer exists: taken, not kept)
        key, value = _todays_words(table, key, value)
        item = items.get(key)
        if item is None:
            errors.append(FieldError(f"{path}.{key}", f"is not a {branch} coverage; known: {', '.join(items)}", None))
            continue
        problem = _value_problem(item, value)
        if problem:
            errors.append(FieldError(f"{path}.{key}", problem, value if isinstance(value, (str, int, float)) else None))
        else:
            out[key] = value
    if errors:
        raise InputValidation("The coverage is invalid.", codes=["COVERAGE_INVALID"], field_errors=errors)
    return out


def _todays_words(table: dict[str, Any], key: str, value: Any) -> tuple[str, Any]:
    """A coverage key and value in the table's current spelling: an earlier key (aracBasinaMaddiHasar)
    under its new name, an earlier option value (STANDART) as today's (STANDART_KAPSAM)."""
    key = table.get("aliases", {}).get(key, key)
    if isinstance(value, str):
        value = table.get("valueAliases", {}).get(key, {}).get(value, value)
    return key, value


def upgraded(branch: str, kept: Any) -> Any:
    """A coverage kept by an earlier version (a loaded snapshot) in today's words: the SDK's keys and
    values, its productBranch; what no longer exists is dropped. Never refuses."""
    if not isinstance(kept, dict) or branch not in choices() or kept.get("productBranch") == branch:
        return kept
    table, items = choices()[branch], choice_items(branch)
    out: dict[str, Any] = {"$type": kept.get("$type", BRANCH_TYPE.get(branch)), "productBranch": branch}
    for key, value in kept.items():
        key, value = _todays_words(table, key, value)
        if key not in items:
            continue
        if isinstance(value, dict) and value.get("$type") == "NONE" and items[key]["kind"] != "rental":
            value = {"$type": "NOT_INCLUDED"}
        out[key] = value
    return out


def _value_problem(item: dict[str, Any], value: Any) -> str | None:
    if item["kind"] == "option":
        return None if value in item["choices"] else f"must be one of {', '.join(item['choices'])}"
    allowed = RENTAL_TYPES if item["kind"] == "rental" else VALUE_TYPES
    if not isinstance(value, dict) or value.get("$type") not in allowed:
        return f"must be an object with $type one of {', '.join(allowed)}"
    if value["$type"] in NUMERIC_TYPES:
        number = value.get("value")
        if isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0 or number > 1e10:
            return f"a {value['$type']} coverage needs a non-negative numeric value"
    if item["kind"] == "rental" and value["$type"] == "DEFINED":
        for key in ("yillikKullanimSayisi", "tekSeferlikGunSayisi"):
            n = value.get(key)
            if isinstance(n, bool) or not isinstance(n, int) or not 0 < n <= 60:
                return f"{key} must be a whole number between 1 and 60"
    return None


# --------------------------------------------------------------------------- coverage groups
@dataclass(slots=True)
class CoverageGroup:
    id: str
    name: str
    branch: str
    coverage: dict[str, Any]
    description: str | None
    created_at: float
    updated_at: float
    created_by: dict[str, Any] | None
    updated_by: dict[str, Any] | None
    magic: str | None = None

    def wire(self) -> dict[str, Any]:
        """``CoverageGroupOut``."""
        return _render_group(self)

    def table(self) -> dict[str, Any]:
        """As a proposal lists its coverage groups (SDK ``coverageGroups[]``): the coverage table is a
        list of rows, here one generic row (for every insurer and product type)."""
        return _render_table(self)


_render_group = renderer(CoverageGroupOut, CoverageGroup, productBranch="branch", createdAt=From(convert=iso),
                         updatedAt=From(convert=iso), lastUpdatedBy="updated_by")
_render_table = renderer(CoverageGroupTable, CoverageGroup, coverageTable=From(lambda g, ctx: (g,), each=renderer(
    CoverageTableRow, CoverageGroup, insuranceCompanyId=Const(None), type=Const(None), productId=Const(None))))


_DEFAULTS = (
    ("KASKO", "Standart Kasko", "Anlaşmalı servis, eşdeğer parça, 1.000.000 TL İMM", {}),
    ("KASKO", "Geniş Kasko", "Yetkili servis, orijinal parça, sınırsız İMM, 15 gün ikame araç",
     {"immLimitiAyrimsiz": {"$type": "LIMITLESS"}, "onarimServisTuru": "YETKILI_SERVIS",
      "yedekParcaTuru": "ORIJINAL_PARCA", "ferdiKazaVefat": {"$type": "DECIMAL", "value": 100000},
      "kiralikArac": {"$type": "DEFINED", "yillikKullanimSayisi": 2, "tekSeferlikGunSayisi": 15,
                      "aracSegment": "SEGMENTE_SEGMENT"}}),
    ("IMM", "İMM 1.000.000 TL", None, {}),
    ("KONUT", "Standart Konut", "Eşya 50.000 TL, elektronik 10.000 TL", {}),
    ("TSS", "Yatarak + Ayakta", "Standart hastane ağı, yılda 6 ayakta tedavi", {}),
    ("TSS", "Sadece Yatarak", None, {"ayaktaTedavi": {"$type": "NOT_INCLUDED"}}),
)


def seed_defaults(agent: "Agent") -> None:
    """Every agent starts with a few coverage groups per branch, as an agency set up by InsurUp."""
    now = agent.now()
    for branch, name, description, overrides in _DEFAULTS:
        gid = agent.ids.object_id(now)
        agent.coverage_groups.replace(CoverageGroup(gid, name, branch, {**default_coverage(branch), **overrides},
                                                    description, now, now, None, None))


def _magic_group(gid: str, branch: str) -> CoverageGroup | None:
    from mockserver.domain.catalog import catalog

    if gid == MAGIC_SLOW:
        name, magic = "Sihirli: tüm sigorta şirketleri yavaş", "slow"
    elif gid == MAGIC_INVESTIGATION:
        name, magic = "Sihirli: ilk ürün şirket incelemesinde bekler", "investigation"
    elif gid == MAGIC_ALL_FAIL:
        name, magic = "Sihirli: tüm sigorta şirketleri ilk denemede hata verir", "fail:*"
    elif gid.startswith(MAGIC_FAIL_PREFIX) and len(gid) == 24 and isdigits(gid[4:]):
        insurer = catalog().get(int(gid[4:]))
        if insurer is None:
            return None
        name, magic = f"Sihirli: {insurer.name} ilk denemede hata verir", f"fail:{insurer.id}"
    else:
        return None
    return CoverageGroup(gid, name, branch, default_coverage(branch), None, 0.0, 0.0, None, None, magic=magic)


def resolve(agent: "Agent", gid: str, branch: str) -> CoverageGroup | None:
    """A stored or magic coverage group usable for ``branch`` (None when unknown)."""
    group = agent.coverage_groups.get(gid)
    return group if group is not None else _magic_group(gid, branch)


def get(agent: "Agent", gid: str) -> CoverageGroup:
    group = agent.coverage_groups.get(gid)
    if group is None:
        raise NotFound(f"Coverage group '{gid}' was not found.", codes=["COVERAGE_GROUP_NOT_FOUND"])
    return group


def _parse_branch(raw: Any) -> str:
    if not isinstance(raw, str) or raw.strip().lower() not in PROPOSAL_BRANCHES and raw.strip().upper() not in BRANCH_TYPE:
        raise field_error("productBranch", f"must be one of {', '.join(BRANCH_TYPE)}", raw if isinstance(raw, str) else None)
    text = raw.strip()
    return PROPOSAL_BRANCHES.get(text.lower(), text.upper())


def _parse_id(raw: Any, path: str) -> str:
    if isinstance(raw, bool) or not isinstance(raw, (str, int)) or not str(raw).strip() or len(str(raw)) > 64:
        raise field_error(path, "must be a coverage group id (string or integer, at most 64 characters)",
                          raw if isinstance(raw, (str, int)) else None)
    return str(raw).strip()


def create(agent: "Agent", req: "CoverageGroupRequest", *, by: dict[str, Any] | None,
           fixed_id: Any = None) -> CoverageGroup:
    branch = _parse_branch(req.productBranch if req.productBranch is not None else req.branch)
    if req.name is None:
        raise field_error("name", "is required (1-200 characters)", None)
    coverage = {**default_coverage(branch), **(parse_coverage(branch, req.given_coverage()) or {})}
    now = agent.now()
    if fixed_id is not None:
        gid = _parse_id(fixed_id, "id")
        if gid in agent.coverage_groups:
            raise Duplicate(f"Coverage group '{gid}' already exists.", codes=["COVERAGE_GROUP_ALREADY_EXISTS"])
    else:
        gid = agent.ids.object_id(now)
    group = CoverageGroup(gid, req.name.strip(), branch, coverage, req.description, now, now, by, by)
    agent.coverage_groups.replace(group)
    return group


def update(agent: "Agent", group: CoverageGroup, req: "CoverageGroupUpdateRequest", *,
           by: dict[str, Any] | None) -> CoverageGroup:
    if req.productBranch is not None and _parse_branch(req.productBranch) != group.branch:
        raise field_error("productBranch", "cannot change; create a new coverage group for another branch",
                          req.productBranch, code="COVERAGE_GROUP_BRANCH_IMMUTABLE")
    raw = req.given_coverage()
    coverage = group.coverage if raw is None else {**default_coverage(group.branch), **parse_coverage(group.branch, raw)}
    if req.name is not None:
        group.name = req.name.strip()
    if "description" in req.model_fields_set:
        group.description = req.description
    group.coverage = coverage
    group.updated_at, group.updated_by = agent.now(), by
    return group


def delete(agent: "Agent", group: CoverageGroup) -> None:
    agent.coverage_groups.remove(group.id)


def from_fixture(agent: "Agent", items: list[dict[str, Any]]) -> None:
    """Coverage groups given to ``POST /__sandbox/agents``: an app configured with its real group ids
    quotes unchanged."""
    for i, item in enumerate(items):
        try:
            body = {"name": f"Teminat grubu {item.get('id')}", **item}
            try:
                req = CoverageGroupRequest.model_validate(body)
            except ValidationError as exc:
                raise invalid(CoverageGroupRequest, exc, "coverage group") from None
            create(agent, req, by=None, fixed_id=item.get("id"))
        except InputValidation as exc:
            raise InputValidation("A fixture coverage group is invalid.", codes=exc.codes, field_errors=[
                FieldError(f"coverageGroups[{i}].{fe.property_name}", fe.message, fe.attempted_value)
                for fe in exc.field_errors]) from None
