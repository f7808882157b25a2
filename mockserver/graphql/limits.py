"""Static limits of a GraphQL document, each computed in time linear in the document's size.

A document may spread one fragment many times (``fragment F0 on Query { ...F1 ...F1 }`` thirty
levels deep expands to 2^30 fields from 1.2 KB), so nothing here ever walks a spread twice: every
fragment is measured once, in dependency order, and an operation's figures are sums and maxima of
its own selections and of its fragments' figures. Only when the *expanded* size is within
:data:`MAX_NODES` may the cost (which depends on page sizes and variables) walk the expanded tree,
and that walk is then bounded by the same figure.

Before any of this, :func:`nesting` scans the raw text for brackets, so a document nested thousands
of levels deep is refused before a recursive parser sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from graphql.language import ast as gast

MAX_TOKENS = 6_000  # lexical tokens of one document
MAX_NESTING = 64  # brackets ({ [ () open at once in the raw text
MAX_DEPTH = 10  # nested fields, fragments expanded (introspection exempt)
MAX_NODES = 1_000  # fields, fragment spreads and inline fragments once every fragment is expanded
MAX_ALIASES = 50  # aliased fields, fragments expanded
MAX_COST = 25_000  # fields times page sizes

MAX_SOURCE = 200_000  # characters of one document
# filter, search and order inputs are evaluated per record in Python: their size is part of the cost
MAX_FILTER_NODES = 300  # objects, list items and values of where/search/order arguments (fragments expanded)
MAX_FILTER_TEXT = 512  # characters of one text operand (a name, a search word, a wildcard pattern)
FILTER_ARGUMENTS = frozenset({"where", "search", "order", "filter"})

_QUOTED = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|#[^\n\r]*')
_NOT_BRACKET = re.compile(r"[^{}\[\]()]+")
_CAP = 10**9  # figures are capped: a bomb's 2^30 is as refused as its 2^60, and ints stay small


def nesting(text: str) -> int:
    """The deepest bracket nesting of ``text`` outside strings and comments. Strings, comments and
    everything but brackets are dropped by two regex passes (C speed); the loop then sees at most
    ``2 * MAX_TOKENS`` brackets (each is a token; more means the parser refuses the document anyway)."""
    brackets = _NOT_BRACKET.sub("", _QUOTED.sub("", text))
    depth = deepest = 0
    for ch in brackets[: 2 * MAX_TOKENS]:
        if ch in "{[(":
            depth += 1
            if depth > deepest:
                deepest = depth
        else:
            depth -= 1
    return deepest


@dataclass(frozen=True, slots=True)
class Figures:
    depth: int  # nested fields below this selection set (introspection fields do not count)
    nodes: int  # selections once fragments are expanded
    aliases: int

    def __add__(self, other: Figures) -> Figures:
        return Figures(max(self.depth, other.depth), min(self.nodes + other.nodes, _CAP),
                       min(self.aliases + other.aliases, _CAP))


ZERO = Figures(0, 0, 0)


def _spreads(selection_set: gast.SelectionSetNode | None, out: list[str]) -> None:
    if selection_set is None:
        return
    for sel in selection_set.selections:
        if isinstance(sel, gast.FragmentSpreadNode):
            out.append(sel.name.value)
        else:
            _spreads(getattr(sel, "selection_set", None), out)


def _measure(selection_set: gast.SelectionSetNode | None, known: dict[str, Figures]) -> Figures:
    """Figures of one selection set; every spread reads its fragment's figures from ``known``
    (a fragment that is unknown or part of a cycle counts as empty: validation refuses both)."""
    if selection_set is None:
        return ZERO
    depth = nodes = aliases = 0
    for sel in selection_set.selections:
        nodes += 1
        if isinstance(sel, gast.FieldNode):
            inner = _measure(sel.selection_set, known)
            if not sel.name.value.startswith("__"):
                depth = max(depth, 1 + inner.depth)
            nodes += inner.nodes
            aliases += inner.aliases + (1 if sel.alias is not None else 0)
        elif isinstance(sel, gast.InlineFragmentNode):
            inner = _measure(sel.selection_set, known)
            depth, nodes, aliases = max(depth, inner.depth), nodes + inner.nodes, aliases + inner.aliases
        else:
            inner = known.get(sel.name.value, ZERO)
            depth, nodes, aliases = max(depth, inner.depth), nodes + inner.nodes, aliases + inner.aliases
    return Figures(depth, min(nodes, _CAP), min(aliases, _CAP))


def fragment_figures(document: gast.DocumentNode) -> dict[str, Figures]:
    """Every fragment's figures, each fragment measured exactly once, dependencies first (an
    explicit stack: a chain of thousands of fragments does not recurse)."""
    defs: dict[str, gast.FragmentDefinitionNode] = {}
    for d in document.definitions:
        if isinstance(d, gast.FragmentDefinitionNode):
            defs.setdefault(d.name.value, d)
    deps: dict[str, list[str]] = {}
    for name, d in defs.items():
        found: list[str] = []
        _spreads(d.selection_set, found)
        deps[name] = [n for n in dict.fromkeys(found) if n in defs]
    known: dict[str, Figures] = {}
    state: dict[str, int] = {}  # 1 = on the stack, 2 = measured
    for root in defs:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            name, i = stack[-1]
            children = deps[name]
            if i < len(children):
                stack[-1] = (name, i + 1)
                child = children[i]
                if child not in state:  # on the stack already (a cycle) or measured: nothing to do
                    state[child] = 1
                    stack.append((child, 0))
                continue
            stack.pop()
            known[name] = _measure(defs[name].selection_set, known)
            state[name] = 2
    return known


def operation_figures(document: gast.DocumentNode) -> list[tuple[gast.OperationDefinitionNode, Figures]]:
    known = fragment_figures(document)
    return [(d, _measure(d.selection_set, known)) for d in document.definitions
            if isinstance(d, gast.OperationDefinitionNode)]


# ----------------------------------------------------------------------------- cost
def _arg_int(field: gast.FieldNode, names: tuple[str, ...], variables: dict[str, Any]) -> int | None:
    for arg in field.arguments or ():
        if arg.name.value in names:
            node = arg.value
            if isinstance(node, gast.IntValueNode):
                return int(node.value)
            if isinstance(node, gast.VariableNode):
                value = variables.get(node.name.value)
                if isinstance(value, int) and not isinstance(value, bool):
                    return value
    return None


def cost(selection_set: gast.SelectionSetNode | None, fragments: dict[str, gast.FragmentDefinitionNode],
         variables: dict[str, Any], *, list_fields: frozenset[str] | set[str], paged_children: frozenset[str] | set[str],
         default_page: int, multiplier: int = 1, page: int = 1, bare_lists: dict[str, int] | None = None) -> int:
    """Fields times page sizes. Walks the expanded tree: call it only on a document whose
    expanded size passed :data:`MAX_NODES` (cycles were refused by validation). ``bare_lists``:
    list fields whose selection is the row itself (no ``items``), with their default page size."""
    if selection_set is None:
        return 0
    total = 0
    for sel in selection_set.selections:
        if isinstance(sel, gast.FieldNode):
            name = sel.name.value
            if name.startswith("__"):
                continue
            child_multiplier, child_page = multiplier, page
            if bare_lists and name in bare_lists:
                size = _arg_int(sel, ("take",), variables)
                child_multiplier = min(multiplier * max(size if size is not None else bare_lists[name], 1), _CAP)
            elif name in list_fields:
                size = _arg_int(sel, ("first", "last", "take"), variables)
                child_page = max(size, 0) if size is not None else default_page
            elif name in paged_children:
                child_multiplier = min(multiplier * max(page, 1), _CAP)
            total += child_multiplier + cost(sel.selection_set, fragments, variables, list_fields=list_fields,
                                             paged_children=paged_children, default_page=default_page,
                                             multiplier=child_multiplier, page=child_page, bare_lists=bare_lists)
        elif isinstance(sel, gast.InlineFragmentNode):
            total += cost(sel.selection_set, fragments, variables, list_fields=list_fields,
                          paged_children=paged_children, default_page=default_page, multiplier=multiplier, page=page,
                          bare_lists=bare_lists)
        else:
            frag = fragments.get(sel.name.value)
            if frag is not None:
                total += cost(frag.selection_set, fragments, variables, list_fields=list_fields,
                              paged_children=paged_children, default_page=default_page, multiplier=multiplier,
                              page=page, bare_lists=bare_lists)
        if total > _CAP:
            return _CAP
    return total


# ----------------------------------------------------------------------------- filter inputs
@dataclass
class FilterSize:
    nodes: int = 0
    longest: int = 0  # the longest text operand

    def over(self) -> bool:
        return self.nodes > MAX_FILTER_NODES or self.longest > MAX_FILTER_TEXT


def _json_size(value: Any, size: FilterSize) -> None:
    stack = [value]
    while stack and not size.over():
        v = stack.pop()
        size.nodes += 1
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, str) and len(v) > size.longest:
            size.longest = len(v)


def _ast_size(node: gast.ValueNode, variables: dict[str, Any], size: FilterSize) -> None:
    stack: list[Any] = [node]
    while stack and not size.over():
        v = stack.pop()
        if isinstance(v, gast.VariableNode):
            _json_size(variables.get(v.name.value), size)
            continue
        size.nodes += 1
        if isinstance(v, gast.ObjectValueNode):
            stack.extend(f.value for f in v.fields)
        elif isinstance(v, gast.ListValueNode):
            stack.extend(v.values)
        elif isinstance(v, gast.StringValueNode) and len(v.value) > size.longest:
            size.longest = len(v.value)


def filter_size(selection_set: gast.SelectionSetNode | None, fragments: dict[str, gast.FragmentDefinitionNode],
                variables: dict[str, Any], size: FilterSize | None = None) -> FilterSize:
    """The size of every filter, search and order input of an operation, fragments expanded (call it
    on a document whose expanded size passed :data:`MAX_NODES`); it stops counting past the limits."""
    size = size if size is not None else FilterSize()
    if selection_set is None:
        return size
    for sel in selection_set.selections:
        if size.over():
            break
        if isinstance(sel, gast.FieldNode):
            for arg in sel.arguments or ():
                if arg.name.value in FILTER_ARGUMENTS:
                    _ast_size(arg.value, variables, size)
            filter_size(sel.selection_set, fragments, variables, size)
        elif isinstance(sel, gast.InlineFragmentNode):
            filter_size(sel.selection_set, fragments, variables, size)
        elif (frag := fragments.get(sel.name.value)) is not None:
            filter_size(frag.selection_set, fragments, variables, size)
    return size
