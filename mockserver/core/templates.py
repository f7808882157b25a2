"""The HTML the sandbox renders (the dashboard, the sign-in and payment pages, the API reference and
GraphiQL shells, the drift and certification reports): Jinja2 templates shipped in
``mockserver/templates``, autoescaped, each loaded once."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

ENV = Environment(loader=PackageLoader("mockserver", "templates"), autoescape=select_autoescape(default=True),
                  keep_trailing_newline=True)
# |tojson in the reports: Turkish as it is, keys in their order, dates as text
ENV.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False, "default": str}


def render(template: str, /, **values: Any) -> str:
    return ENV.get_template(template).render(**values)
