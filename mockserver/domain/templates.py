"""Message templates (``/templates``, the SDK's template contracts): the texts of the messages the
sandbox sends, which an agency may rewrite per language.

Each template has a ``key``, a ``languageId`` (``GET languages``: 1 Türkçe, 2 English), a ``name``, a
``description`` and a ``content``; ``templates/definitions`` gives each key's ``jsonSchema`` (the
variables its content may use, and those it must) and ``metadata``. The agency's version replaces the
default until it is deleted. Messages go out in Turkish: the sandbox renders the languageId 1 template.

Which keys exist, their variables and the ``{{ variable }}`` syntax are the sandbox's (no source gives
InsurUp's; FIDELITY.md, "Message templates"). Contents are Jinja expressions with no statements but
``if``: no loop, call or attribute, so rendering is as cheap as the text is long, on any input.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from mockserver.core.errors import FieldError, NotFound, field_error, refuse_fields, same_as_path
from mockserver.wire.render import renderer
from mockserver.wire.setup import TemplateDetailOut, TemplateOut

if TYPE_CHECKING:
    from mockserver.wire.setup import TemplateUpdate
    from mockserver.domain.tenant import Agent

LANGUAGE_IDS = (1, 2)
MAX_CONTENT = 4000
FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "default", "truncate"})


@cache
def environment() -> Any:
    """The sandboxed environment templates render in (Jinja2 loads with the first message, not before
    the port opens)."""
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=False, keep_trailing_newline=True)


@dataclass(frozen=True, slots=True)
class Definition:
    key: str
    channel: str  # sms | email
    used_for: str
    variables: dict[str, str]  # name -> what it holds
    required: tuple[str, ...]
    names: dict[int, tuple[str, str]]  # languageId -> (name, description)
    defaults: dict[int, str]  # languageId -> content


DEFINITIONS: dict[str, Definition] = {d.key: d for d in (
    Definition("otp-sms", "sms", "The SMS with a login or sign-up code (customers, two-factor agent users)",
               {"code": "the six-digit code", "agentName": "the agency's name"}, ("code",),
               {1: ("Doğrulama kodu SMS'i", "Giriş ve üyelik doğrulama kodu"),
                2: ("Verification code SMS", "Login and sign-up verification code")},
               {1: "InsurUp doğrulama kodunuz: {{ code }}. Bu kodu kimseyle paylaşmayın.",
                2: "Your InsurUp verification code: {{ code }}. Do not share it with anyone."}),
    Definition("proposal-document", "email", "The subject of a proposal or offer document sent by e-mail or SMS",
               {"documentTitle": "the document (Teklif, Bilgilendirme Formu…)", "branchName": "the branch (Kasko…)",
                "agentName": "the agency's name"}, (),
               {1: ("Teklif belgesi", "Teklif ve bilgilendirme belgelerinin konusu"),
                2: ("Proposal document", "Subject of proposal and information documents")},
               {1: "{{ documentTitle }} - {{ branchName }}", 2: "{{ documentTitle }} - {{ branchName }}"}),
    Definition("policy-document", "email", "The subject of the e-mail that sends a policy document",
               {"productName": "the insurer's product", "policyNumber": "the policy number",
                "agentName": "the agency's name"}, ("policyNumber",),
               {1: ("Poliçe belgesi", "Poliçe e-postasının konusu"), 2: ("Policy document", "Subject of the policy e-mail")},
               {1: "Poliçeniz - {{ productName }} ({{ policyNumber }})",
                2: "Your policy - {{ productName }} ({{ policyNumber }})"}),
    Definition("agent-user-invite", "email", "The subject of the invitation e-mail to a new agent user",
               {"agentName": "the agency's name", "firstName": "the invited user's first name",
                "lastName": "the invited user's last name"}, (),
               {1: ("Kullanıcı daveti", "Acente kullanıcısı davet e-postasının konusu"),
                2: ("User invitation", "Subject of the agent-user invitation e-mail")},
               {1: "{{ agentName }}: InsurUp daveti", 2: "{{ agentName }}: your InsurUp invitation"}),
)}


@dataclass(slots=True)
class Custom:
    """An agency's version of a template in one language."""

    name: str
    description: str | None
    content: str


def definition(key: str) -> Definition:
    found = DEFINITIONS.get(key)
    if found is None:
        raise NotFound(f"No template {key[:100]}.", codes=["TEMPLATE_NOT_FOUND"],
                       suggestions=["GET /api/templates/definitions lists the keys: " + ", ".join(DEFINITIONS) + "."])
    return found


def language(raw: Any, path: str = "languageId") -> int:
    try:
        value = int(raw) if not isinstance(raw, bool) else None
    except (TypeError, ValueError):
        value = None
    if value not in LANGUAGE_IDS:
        raise field_error(path, "must be a language id of GET /api/languages (1 Türkçe, 2 English)",
                          raw if isinstance(raw, (str, int)) else None, code="TEMPLATE_LANGUAGE_INVALID")
    return value


def json_schema(d: Definition) -> dict[str, Any]:
    return {"type": "object", "properties": {n: {"type": "string", "description": what} for n, what in d.variables.items()},
            "required": list(d.required), "additionalProperties": False}


def check(d: Definition, content: str) -> list[FieldError]:
    """What is wrong with ``content`` for ``d`` (empty when it may be saved)."""
    if len(content) > MAX_CONTENT:
        return [FieldError("content", f"is longer than {MAX_CONTENT} characters", None)]
    from jinja2 import TemplateSyntaxError, nodes

    allowed = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.If, nodes.CondExpr,
               nodes.Compare, nodes.Operand, nodes.And, nodes.Or, nodes.Not, nodes.Concat, nodes.Filter)
    try:
        tree = environment().parse(content)
    except TemplateSyntaxError as exc:
        return [FieldError("content", f"is not a valid template (line {exc.lineno}: {exc.message})", None)]
    errors = []
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, allowed):
            errors.append(FieldError("content", f"uses {type(node).__name__}: a template holds text, "
                                     "{{ variables }} with filters, and {% if %} only", None))
            break
        if isinstance(node, nodes.Filter) and node.name not in FILTERS:
            errors.append(FieldError("content", f"uses the filter {node.name} (allowed: {', '.join(sorted(FILTERS))})",
                                     None))
    used = {n.name for n in tree.find_all(nodes.Name)}
    unknown = sorted(used - set(d.variables))
    if unknown:
        errors.append(FieldError("content", f"uses {', '.join(unknown)}, which {d.key} does not have "
                                 f"({', '.join(d.variables)})", None))
    missing = [v for v in d.required if v not in used]
    if missing:
        errors.append(FieldError("content", f"must use {', '.join(missing)}", None))
    return errors


def _custom(agent: "Agent", key: str, language_id: int) -> Custom | None:
    return agent.templates.get((key, language_id))


@dataclass(slots=True)
class TemplateView:
    """A template as the agency sees it: its own version where it made one, else the default."""

    definition: Definition
    language_id: int
    custom: Custom | None


def _own_or_default(own: str, default: Any) -> Any:
    return lambda v, ctx: getattr(v.custom, own) if v.custom else default(v)


_SOURCES = dict(key="definition.key", name=_own_or_default("name", lambda v: v.definition.names[v.language_id][0]),
                description=_own_or_default("description", lambda v: v.definition.names[v.language_id][1]),
                content=_own_or_default("content", lambda v: v.definition.defaults[v.language_id]))
_render = renderer(TemplateOut, TemplateView, **_SOURCES)
_render_detail = renderer(TemplateDetailOut, TemplateView, **_SOURCES,
                          jsonSchema=lambda v, ctx: json_schema(v.definition))


def wire(agent: "Agent", d: Definition, language_id: int, *, schema: bool = False) -> dict[str, Any]:
    """``TemplateOut`` (``TemplateDetailOut`` with its variables' JSON Schema when ``schema``)."""
    view = TemplateView(d, language_id, _custom(agent, d.key, language_id))
    return _render_detail(view) if schema else _render(view)


def listing(agent: "Agent") -> list[dict[str, Any]]:
    return [wire(agent, d, lang) for d in DEFINITIONS.values() for lang in LANGUAGE_IDS]


def definitions() -> list[dict[str, Any]]:
    return [{"key": d.key, "jsonSchema": json_schema(d),
             "metadata": {"channel": d.channel, "usedFor": d.used_for, "syntax": "{{ variable }}, {% if %}",
                          "filters": sorted(FILTERS), "sentInLanguageId": 1}} for d in DEFINITIONS.values()]


def update(agent: "Agent", key: str, req: "TemplateUpdate") -> None:
    """The agency's version of a template, from the parsed request (absent fields keep the current
    version's); the placeholders are checked against the template's definition."""
    d = definition(key)
    same_as_path(req.key, "key", key, code="TEMPLATE_INVALID")
    lang = language(req.languageId)
    current = wire(agent, d, lang)
    name = req.name if req.name is not None else current["name"]
    description = req.description if "description" in req.model_fields_set else current["description"]
    content = req.content if req.content is not None else current["content"]
    refuse_fields("template", check(d, content), "TEMPLATE_INVALID")
    agent.templates[(key, lang)] = Custom(name.strip(), description, content)


def delete(agent: "Agent", key: str, language_id: Any) -> None:
    d, lang = definition(key), language(language_id)
    if agent.templates.pop((d.key, lang), None) is None:
        raise NotFound(f"The agency has no version of {key} in language {lang}; the default is in use.",
                       codes=["TEMPLATE_NOT_CUSTOMIZED"])


def render(agent: "Agent", key: str, **values: Any) -> str:
    """The text of a message: the agency's Turkish template if it has one, else the default."""
    d = DEFINITIONS[key]
    custom = _custom(agent, key, 1)
    source = custom.content if custom else d.defaults[1]
    context = {"agentName": agent.name, **{k: "" if v is None else str(v) for k, v in values.items()}}
    return environment().from_string(source).render(**context).strip()
