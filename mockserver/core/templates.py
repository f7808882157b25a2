"""The HTML the sandbox renders (the dashboard, the sign-in and payment pages, the API reference and
GraphiQL shells, the drift and certification reports): Jinja2 templates shipped in
``mockserver/templates``, autoescaped, each loaded once."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

ENV = Environment(loader=PackageLoader("mockserver", "templates"), autoescape=select_autoescape(default=True),
                  keep_trailing_newline=True)
# |tojson in the reports: Turkish as it is, keys in their order, dates as text
ENV.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False, "default": str}


# the dashboard session's CSRF token for the request being answered ("" when it has none): its POST
# forms carry it (``{{ csrf_field() }}``)
CSRF: ContextVar[str] = ContextVar("csrf", default="")


def _csrf_field() -> Any:
    from markupsafe import Markup, escape

    token = CSRF.get()
    return Markup(f'<input type="hidden" name="csrf" value="{escape(token)}">') if token else ""


ENV.globals["csrf_field"] = _csrf_field


def render(template: str, /, **values: Any) -> str:
    return ENV.get_template(template).render(**values)
