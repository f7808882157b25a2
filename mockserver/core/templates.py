"""The HTML the sandbox renders (the dashboard, the sign-in and payment pages, the API reference and
GraphiQL shells, the drift and certification reports): Jinja2 templates shipped in
``mockserver/templates``, autoescaped, each loaded once."""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment


# the dashboard session's CSRF token for the request being answered ("" when it has none): its POST
# forms carry it (``{{ csrf_field() }}``)
CSRF: ContextVar[str] = ContextVar("csrf", default="")


def _csrf_field() -> Any:
    from markupsafe import Markup, escape

    token = CSRF.get()
    return Markup(f'<input type="hidden" name="csrf" value="{escape(token)}">') if token else ""


@cache
def environment() -> "Environment":
    """The templates' environment, made with the first page (Jinja2 loads then, not before the port opens)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("mockserver", "templates"), autoescape=select_autoescape(default=True),
                      keep_trailing_newline=True)
    # |tojson in the reports: Turkish as it is, keys in their order, dates as text
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False, "default": str}
    env.globals["csrf_field"] = _csrf_field
    return env


def render(template: str, /, **values: Any) -> str:
    return environment().get_template(template).render(**values)
