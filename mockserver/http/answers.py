"""The small answers several routes share, rendered from their declarations like every other:
``{id}``, ``{url}`` of a document, ``{coverage}``, a page of a list (``{items, totalCount, skip,
take}``), and a journal entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from mockserver.core.clock import iso
from mockserver.core.journal import LazyBody
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


def _body(entry: dict[str, Any], ctx: Any) -> Any:
    body = entry.get("responseBody")
    return body.render() if isinstance(body, LazyBody) else body  # (redacted only now, when it is read)


# a journal entry as the edge kept it (a dict; entries restored from an older data directory may lack
# the keys added since: wall, tokenExpiresAt)
_JOURNAL = dict(at=From(convert=iso), responseBody=_body, wall=lambda e, ctx: e.get("wall"),
                tokenExpiresAt=lambda e, ctx: None if (t := e.get("tokenExpiresAt")) is None else iso(t))
journal_entry = renderer(w.JournalEntry, dict, agentId=From(lambda e, ctx: None, optional=True), **_JOURNAL)
"""An agent's journal entry."""

sandbox_journal_entry = renderer(w.JournalEntry, dict, agentId=lambda e, agent_id: agent_id, **_JOURNAL)
"""An entry of the sandbox-wide journal; ctx: the agent that received it (None: no agent claimed it)."""
