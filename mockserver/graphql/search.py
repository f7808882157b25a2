"""A search the agents' word index narrows (``customersNew(search: …)`` on one of the indexed fields
with word or prefix operators): the records it can match, from the index, before the engine scores
them."""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Any

from mockserver.core.text import words
from mockserver.domain.listindex import SEARCHED, CollectionIndex
from mockserver.graphql.engine import search_text

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent

_PREFIX_OPS = ("autocomplete", "startsWith")  # every query word starts a word of the value
_WORD_OPS = ("eq", "text", "textSearch")  # a query word is a word of the value


def search_candidates(agent: "Agent", kind: str, search: Any) -> list[Any] | None:
    """The records a search can match, in creation order (a superset: the search itself decides), or
    None when the search is not one the word index narrows (several fields, contains, wildcards...)."""
    if kind not in SEARCHED or not isinstance(search, dict) or len(search) != 1:
        return None
    (field, cond), = search.items()
    if field not in agent.indexes.search_fields or not isinstance(cond, dict) or not cond:
        return None
    index = agent.indexes.by_kind[kind]
    sets = []
    for op, spec in cond.items():
        if op not in _PREFIX_OPS + _WORD_OPS or spec is None:
            return None
        asked = words(search_text(spec))
        if not asked:
            return None
        if op in ("text", "textSearch"):  # any word: the union
            found: set[str] = set()
            for w in asked:
                found |= _ids_with(index, field, w, prefix=False)
            sets.append(found)
        else:  # every word (eq: the value's words; startsWith: the first one starts a word)
            use = asked[:1] if op == "startsWith" else asked
            for w in use:
                sets.append(_ids_with(index, field, w, prefix=op in _PREFIX_OPS))
    ids = set.intersection(*sets) if sets else set()
    store = getattr(agent, kind)
    return [store[r] for r in sorted(ids, key=lambda r: index.entries[r][1])]


def _ids_with(index: CollectionIndex, field: str, word: str, *, prefix: bool) -> set[str]:
    indexed = index.words
    i = bisect_left(indexed, (field, word, ""))
    out = set()
    while i < len(indexed):
        f, w, rid = indexed[i]
        if f != field or not (w.startswith(word) if prefix else w == word):
            break
        out.add(rid)
        i += 1
    return out
