"""The small answers several routes share, rendered from their declarations like every other:
``{id}``, ``{url}`` of a document, ``{coverage}``, and a page of a list (``{items, totalCount, skip,
take}``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from mockserver.wire import models as w
from mockserver.wire.render import From, Render, renderer

identified = renderer(w.IdResponse)
"""``{id}`` of a record just made."""

document_url = renderer(w.DocumentUrl, None, url=".")
"""``{url}`` of a document (a link the sandbox serves)."""

coverage_of = renderer(w.CoverageOut, None, coverage=".")
"""``{coverage}``: a proposal's or a product's coverage (null when it has none)."""


@dataclass(slots=True)
class Page:
    """One page of a list: its records, how many the whole list holds, and where the page starts."""

    items: list[Any]
    total: int
    skip: int
    take: int


def page_of(model: type, item: Render) -> Callable[[Page, Any], dict[str, Any]]:
    """The renderer of ``model`` (a list envelope) whose items ``item`` renders."""
    return renderer(model, Page, items=From(each=item), totalCount="total")
