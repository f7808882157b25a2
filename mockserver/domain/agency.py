"""The agency's own settings (``GET|PUT agents/me``, the SDK's ``GetCurrentAgentResult`` and
``UpdateCurrentAgentRequest``) and what two of them do to cases.

* ``casePriorityRuleDefinitions``: each rule gives its ``score`` to the cases it matches. A rule
  matches a case of one of its ``branches``, ``caseTypes``, sub-types (the four lists together) and
  ``channels`` (an empty list: any), and whose ``arguments`` hold. A case's ``priorityScore`` is the sum
  of the scores of the rules it matches, and ``priorityRuleHits`` names them (GraphQL ``casesNew``).
  ``GET cases/priority-templates`` offers ready rule sets an agency copies into its settings.
* ``caseRepresentativeAssignmentMode``: a case opened without a representative gets one among the
  active agent users whose role is one of ``caseRepresentativeAssignmentAllowedRoles`` (all active
  users when the list is empty): ``RANDOM`` (the agent's seeded stream), ``ROUND_ROBIN`` (in turn, in
  the order users were made), ``BRANCH_IMPORTANCE_BALANCE`` (the one whose open cases weigh least, a
  case weighing 1 plus its priority score).

No source gives a rule's ``arguments`` nor a template: the argument names below and the templates are
the sandbox's (FIDELITY.md, "Agency settings").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, get_args

from mockserver.core.errors import FieldError, refuse_fields
from mockserver.domain import enums
from mockserver.domain.references import user_reference
from mockserver.validators.turkish import make_vkn
from mockserver.wire.agency import AgentOut, CasePriorityRuleOut, PriorityTemplateOut, PriorityTemplatesOut, RobotMode
from mockserver.wire.render import Const, From, renderer

if TYPE_CHECKING:
    from mockserver.domain.cases import Case
    from mockserver.domain.tenant import Agent
    from mockserver.wire.agency import AgentUpdate, CasePriorityRule
    from mockserver.wire.common import PhoneIn

ROBOT_MODES = get_args(RobotMode)
ASSIGNMENT_MODES = ("NONE", "RANDOM", "ROUND_ROBIN", "BRANCH_IMPORTANCE_BALANCE")
SMS_FIELDS = {"Default": (), "Teknomart": ("sender", "username", "password"),
              "ArtiKurumsal": ("companyCode", "username", "password", "originator"),
              "Verimor": ("username", "password", "sourceAddr")}
CALL_CENTER_FIELDS = {"None": ("tenant",), "AloTech": ("tenant", "clientSecret", "clientId", "listName")}
CAMPAIGN_KEYS = ("campaignKey", "productBranch", "caseType")
MAX_RULES = 50
SUB_TYPE_LISTS = {"saleOpportunityCaseSubTypes": ("SALE_OPPORTUNITY", enums.SALE_SUB_TYPES),
                  "cancelCaseSubTypes": ("CANCEL", enums.CANCEL_SUB_TYPES),
                  "endorsementCaseSubTypes": ("ENDORSEMENT", enums.ENDORSEMENT_SUB_TYPES),
                  "complaintCaseSubTypes": ("COMPLAINT", enums.COMPLAINT_SUB_TYPES)}
# a rule's arguments (the sandbox's): name -> (type, what it asks of a case)
ARGUMENTS: dict[str, tuple[type, str]] = {
    "openForMoreThanDays": (int, "open for more than {} days"),
    "withoutProposal": (bool, "no proposal yet"),
    "withAsset": (bool, "a vehicle or a property linked"),
}
DAY = 24 * 3600.0


@dataclass(slots=True)
class Rule:
    name: str
    score: float
    branches: list[str]
    case_types: list[str]
    sub_types: dict[str, list[str]]  # the four SUB_TYPE_LISTS fields
    channels: list[str]
    arguments: dict[str, Any]

    def wire(self) -> dict[str, Any]:
        """``CasePriorityRuleOut``."""
        return _render_rule(self)

    def describe(self) -> str:
        parts = [", ".join(x) for x in (self.branches, self.case_types, *self.sub_types.values(), self.channels) if x]
        for key, value in self.arguments.items():
            if value is not False:
                parts.append(ARGUMENTS[key][1].format(value))
        return "; ".join(parts) or "every case"


@dataclass(slots=True)
class Settings:
    phone: dict[str, Any] | None = None
    email: str | None = None
    tax_number: str | None = None  # given at onboarding (agent-setup-requests/complete)
    robot_mode: str = "NONE"
    call_center: dict[str, Any] | None = None
    sms: dict[str, Any] | None = None
    assignment_mode: str | None = None
    assignment_roles: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    round_robin_last: str | None = None  # the user ROUND_ROBIN gave the last case to


def settings(agent: "Agent") -> Settings:
    return agent.agency


def seed(agent: "Agent") -> None:
    """A new agency's settings: no profile beyond its name, no options, no rules."""
    agent.agency = Settings()


# ----------------------------------------------------------------------------- PUT agents/me
def _names(values: list[str] | None, allowed: list[str], path: str, errors: list[FieldError]) -> list[str]:
    out: list[str] = []
    for i, v in enumerate(values or []):
        if v.upper() not in allowed:
            errors.append(FieldError(f"{path}[{i}]", f"must be one of {', '.join(allowed)}", v))
        elif v.upper() not in out:
            out.append(v.upper())
    return out


def _rule(r: "CasePriorityRule", at: str, errors: list[FieldError]) -> Rule | None:
    """A priority rule as its model parsed it (the arguments' types included): the vocabularies and
    what is required, reported with the body's other problems."""
    before = len(errors)
    if r.name is None or not r.name.strip():
        errors.append(FieldError(f"{at}.name", "is required, 1 to 200 characters", r.name))
    if r.score is None or not -10_000 <= r.score <= 10_000:
        errors.append(FieldError(f"{at}.score", "is required, a number from -10000 to 10000", r.score))
    branches = _names(r.branches, enums.PRODUCT_BRANCHES, f"{at}.branches", errors)
    types = _names(r.caseTypes, enums.CASE_TYPES, f"{at}.caseTypes", errors)
    sub_types = {key: _names(getattr(r, key), allowed, f"{at}.{key}", errors)
                 for key, (_, allowed) in SUB_TYPE_LISTS.items()}
    channels = _names(r.channels, enums.CHANNELS, f"{at}.channels", errors)
    arguments = r.arguments.model_dump(exclude_unset=True) if r.arguments is not None else {}
    for key in (r.arguments.model_extra or {}) if r.arguments is not None else ():
        errors.append(FieldError(f"{at}.arguments.{key}", "is not an argument the sandbox knows "
                                 f"({', '.join(ARGUMENTS)})", None))
    if len(errors) > before:
        return None
    assert r.name is not None and r.score is not None
    return Rule(r.name.strip(), float(r.score), branches, types, sub_types, channels, arguments)


def _options(raw: Any, path: str, kinds: dict[str, tuple[str, ...]], errors: list[FieldError]) -> dict[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        errors.append(FieldError(path, "must be an object with implementation", None))
        return None
    kind = raw.get("implementation")
    if kind not in kinds:
        errors.append(FieldError(f"{path}.implementation", f"must be one of {', '.join(kinds)}",
                                 kind if isinstance(kind, str) else None))
        return None
    for name in kinds[kind]:
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            errors.append(FieldError(f"{path}.{name}", f"is required with implementation {kind}", None))
    kept = {"implementation": kind, **{name: raw.get(name) for name in kinds[kind]}}
    if kind == "AloTech":
        kept["campaignKeyMappings"] = _campaign_keys(raw.get("campaignKeyMappings"), f"{path}.campaignKeyMappings", errors)
    return kept


def _campaign_keys(raw: Any, path: str, errors: list[FieldError]) -> list[dict[str, Any]]:
    """AloTech's ``campaignKeyMappings``: ``[{campaignKey, productBranch, caseType}]``."""
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > 100:
        errors.append(FieldError(path, "must be a list of at most 100 {campaignKey, productBranch, caseType}", None))
        return []
    out = []
    for i, m in enumerate(raw):
        if not isinstance(m, dict) or not isinstance(m.get("campaignKey"), str) or not m["campaignKey"].strip():
            errors.append(FieldError(f"{path}[{i}].campaignKey", "is required", None))
            continue
        branch, kind = m.get("productBranch"), m.get("caseType")
        if branch is not None and branch not in enums.PRODUCT_BRANCHES:
            errors.append(FieldError(f"{path}[{i}].productBranch", "must be a product branch or null",
                                     branch if isinstance(branch, str) else None))
        if kind is not None and kind not in enums.CASE_TYPES:
            errors.append(FieldError(f"{path}[{i}].caseType", "must be a case type or null",
                                     kind if isinstance(kind, str) else None))
        out.append({"campaignKey": m["campaignKey"], "productBranch": branch, "caseType": kind})
    return out


def phone_number(phone: "PhoneIn | None", path: str, errors: list[FieldError]) -> dict[str, Any] | None:
    """The agency's ``{number, countryCode}`` (the contract's PhoneNumber) from its parsed form, or None;
    a problem goes to ``errors``."""
    if phone is None:
        return None
    number, country = str(phone.number), str(phone.countryCode)
    if not (number.isascii() and number.isdigit() and 7 <= len(number) <= 15
            and country.isascii() and country.isdigit() and len(country) <= 4):
        errors.append(FieldError(path, "must be {number: 7 to 15 digits, countryCode} or null", None))
        return None
    return {"number": number, "countryCode": int(country)}


def update(agent: "Agent", req: "AgentUpdate") -> None:
    """``PUT agents/me`` from its parsed request: the fields sent change, the others stay (every field
    of the SDK's request). The vocabularies, the options each implementation needs, the role names and
    the rules are checked here together, so that one answer names every problem of the body."""
    s, errors = agent.agency, []
    sent = req.model_fields_set
    changes: dict[str, Any] = {}
    if req.name is not None:
        if not req.name.strip():
            errors.append(FieldError("name", "must not be empty", req.name))
        else:
            changes["name"] = req.name.strip()
    if "phoneNumber" in sent:
        changes["phone"] = phone_number(req.phoneNumber, "phoneNumber", errors)
    if "email" in sent:
        changes["email"] = req.email
    if req.robotMode is not None:
        if req.robotMode not in ROBOT_MODES:
            errors.append(FieldError("robotMode", f"must be one of {', '.join(ROBOT_MODES)}", req.robotMode))
        else:
            changes["robot_mode"] = req.robotMode
    if "smsOptions" in sent:
        changes["sms"] = _options(req.smsOptions, "smsOptions", SMS_FIELDS, errors)
    if "callCenterOptions" in sent:
        changes["call_center"] = _options(req.callCenterOptions, "callCenterOptions", CALL_CENTER_FIELDS, errors)
    if "caseRepresentativeAssignmentMode" in sent:
        mode = req.caseRepresentativeAssignmentMode
        if mode is not None and mode not in ASSIGNMENT_MODES:
            errors.append(FieldError("caseRepresentativeAssignmentMode", f"must be one of {', '.join(ASSIGNMENT_MODES)}",
                                     mode))
        else:
            changes["assignment_mode"] = mode
    if "caseRepresentativeAssignmentAllowedRoles" in sent:
        roles = req.caseRepresentativeAssignmentAllowedRoles or []
        names = {r.name for r in agent.roles.values()}
        for i, role in enumerate(roles):
            if role not in names:
                errors.append(FieldError(f"caseRepresentativeAssignmentAllowedRoles[{i}]",
                                         "is not a role of the agency (GET /api/agent-roles)", role))
        changes["assignment_roles"] = list(dict.fromkeys(roles))
    if "casePriorityRuleDefinitions" in sent:
        rules = [_rule(r, f"casePriorityRuleDefinitions[{i}]", errors)
                 for i, r in enumerate(req.casePriorityRuleDefinitions or [])]
        changes["rules"] = [r for r in rules if r is not None]
    refuse_fields("agency update", errors, "AGENT_INVALID")
    if "name" in changes:
        agent.name = changes.pop("name")
    for key, value in changes.items():
        setattr(s, key, value)


def _sub_types(column: str) -> Any:
    return lambda rule, ctx: list(rule.sub_types[column])


_render_rule = renderer(
    CasePriorityRuleOut, Rule, branches=From(convert=list), caseTypes=From("case_types", convert=list),
    **{column: _sub_types(column) for column in SUB_TYPE_LISTS}, channels=From(convert=list),
    arguments=From(convert=dict))
render = renderer(  # GET agents/me
    AgentOut, None,
    insuranceCompanyConnectionCount=lambda a, ctx: len(a.connections),
    agentUserCount=lambda a, ctx: len(a.agent_users), agentBranchCount=lambda a, ctx: len(a.branches),
    plateNo=Const(None), taxNumber=lambda a, ctx: a.agency.tax_number or tax_number(a),
    phoneNumber="agency.phone", email="agency.email", robotMode="agency.robot_mode",
    callCenterOptions="agency.call_center", smsOptions="agency.sms",
    caseRepresentativeAssignmentMode="agency.assignment_mode",
    caseRepresentativeAssignmentAllowedRoles=From("agency.assignment_roles", convert=list),
    casePriorityRuleDefinitions=From("agency.rules", each=_render_rule),
)


def tax_number(agent: "Agent") -> str:
    """The tax number of an agency made without onboarding: a valid VKN derived from its id."""
    return make_vkn(f"{int(agent.id.replace('-', '')[:12], 16) % 10**9:09d}")


# ----------------------------------------------------------------------------- what the rules do
def matches(agent: "Agent", rule: Rule, case: "Case") -> bool:
    if rule.branches and case.product_branch not in rule.branches:
        return False
    if rule.case_types and case.type not in rule.case_types:
        return False
    if any(rule.sub_types.values()):  # the sub-type lists together name the sub-types the rule is for
        listed = next((v for k, v in rule.sub_types.items() if SUB_TYPE_LISTS[k][0] == case.type), [])
        if case.sub_type not in listed:
            return False
    if rule.channels and case.channel not in rule.channels:
        return False
    args = rule.arguments
    if "openForMoreThanDays" in args and not (
            case.is_open and agent.now() - case.created_at > args["openForMoreThanDays"] * DAY):
        return False
    if args.get("withoutProposal") is not None and (not case.proposal_ids) != args["withoutProposal"]:
        return False
    if args.get("withAsset") is not None and (case.asset_id is not None) != args["withAsset"]:
        return False
    return True


def hits(agent: "Agent", case: "Case") -> list[dict[str, Any]]:
    """The rules the case matches, as GraphQL's ``priorityRuleHits``."""
    return [{"ruleName": r.name, "score": r.score, "label": r.name, "description": r.describe()}
            for r in agent.agency.rules if matches(agent, r, case)]


def score(agent: "Agent", case: "Case") -> float:
    return float(sum(r.score for r in agent.agency.rules if matches(agent, r, case)))


def assign_representative(agent: "Agent", case: "Case") -> dict[str, Any] | None:
    """The representative the agency's mode gives a new case (None: no mode, or no eligible user)."""
    s = agent.agency
    if s.assignment_mode in (None, "NONE") or case.represented_by is not None:
        return None
    allowed = set(s.assignment_roles)
    users = sorted((u for u in agent.agent_users.values() if u.active and u.password
                    and (not allowed or (agent.roles.get(u.role_id) is not None
                                         and agent.roles[u.role_id].name in allowed))),
                   key=lambda u: (u.created_at, u.id))
    if not users:
        return None
    if s.assignment_mode == "RANDOM":
        user = users[agent.rng.randrange(len(users))]
    elif s.assignment_mode == "ROUND_ROBIN":
        ids = [u.id for u in users]
        after = ids.index(s.round_robin_last) + 1 if s.round_robin_last in ids else 0
        user = users[after % len(users)]
    else:  # BRANCH_IMPORTANCE_BALANCE
        load = {u.id: 0.0 for u in users}
        for other in agent.cases.values():
            rep = other.represented_by
            if other.is_open and rep is not None and rep.get("id") in load:
                load[rep["id"]] += 1.0 + max(score(agent, other), 0.0)
        user = min(users, key=lambda u: load[u.id])
    s.round_robin_last = user.id
    return user_reference(user)


# ----------------------------------------------------------------------------- the templates
@dataclass(frozen=True, slots=True)
class Template:
    """A ready set of priority rules an agency may copy into its settings."""

    id: str
    name: str
    description: str
    rules: tuple[Rule, ...]


def _template_rule(name: str, score: float, *, branches: tuple[str, ...] = (), caseTypes: tuple[str, ...] = (),
                   channels: tuple[str, ...] = (), arguments: dict[str, Any] | None = None, **sub_types: Any) -> Rule:
    return Rule(name, score, list(branches), list(caseTypes), {k: list(sub_types.get(k, ())) for k in SUB_TYPE_LISTS},
                list(channels), arguments or {})


TEMPLATES: tuple[Template, ...] = (
    Template("renewal-first", "Yenileme öncelikli", "Yenileme fırsatları ve bekleyen satış fırsatları öne çıkar.", (
        _template_rule("Yenileme", 50, saleOpportunityCaseSubTypes=["RENEWAL"]),
        _template_rule("Teklifsiz bekleyen fırsat", 20, caseTypes=["SALE_OPPORTUNITY"],
                       arguments={"withoutProposal": True, "openForMoreThanDays": 2}))),
    Template("complaints-first", "Şikayet öncelikli",
             "Şikayetler, özellikle dolandırıcılık ve hasar şikayetleri, önce ele alınır.", (
                 _template_rule("Şikayet", 40, caseTypes=["COMPLAINT"]),
                 _template_rule("Dolandırıcılık veya hasar", 60, complaintCaseSubTypes=["FRAUD", "DAMAGE"]))),
    Template("digital-leads", "Dijital kanal fırsatları",
             "Web sitesinden ve mobil uygulamadan gelen kasko ve trafik fırsatları öne çıkar.", (
                 _template_rule("Dijital kanal", 30, channels=["WEBSITE", "MOBILE_APP"], caseTypes=["SALE_OPPORTUNITY"]),
                 _template_rule("Araç sigortası", 10, branches=["KASKO", "TRAFIK"], arguments={"withAsset": True}))),
)
_render_template = renderer(PriorityTemplateOut, Template, rules=From(each=_render_rule))
render_templates = renderer(  # GET cases/priority-templates: the templates
    PriorityTemplatesOut, tuple, templates=From(".", each=_render_template))
