"""Executing GraphQL requests over the agent's state with graphql-core.

Documents are parsed and validated once and cached by text. The schema declares the SDK's scoped
input names (``filtering_X``, ``searching_X``, ``sorting_X``); the names other clients declare (the
B2B guide's ``ProposalFilterInput``, this schema's earlier unscoped names) are rewritten to them
before validation. Depth is limited at validation,
cost (fields times page sizes) before execution. Every failure is a GraphQL error with
``extensions.code`` (``UNAUTHENTICATED``, ``FORBIDDEN``, ``NOT_FOUND``, ``BAD_USER_INPUT``,
``INTERNAL_ERROR``) plus the problem-style ``codes`` and ``traceId`` the SDK reads; never a 500.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    GraphQLResolveInfo,
    GraphQLSyntaxError,
    execute,
    parse,
    validate,
)
from graphql.language import ast as gast

from mockserver.core.errors import AccessDenied, InputValidation, NotFound, SandboxError, Unauthorized
from mockserver.domain import listindex, roles
from mockserver.security.tokens import AGENT_USER
from mockserver.graphql import engine, limits, rows
from mockserver.graphql import search as word_index
from mockserver.graphql.rows import QueryContext
from mockserver.graphql.short import Node, ShortExecutor, resolve_field
from mockserver.security import scopes
from mockserver.domain import cases as case_domain
from mockserver.graphql.schema import (
    LEGACY_CASE_ARGS,
    LEGACY_CASES_TAKE,
    LISTS,
    MODELS,
    declared_input,
    legacy_cases_schema,
    schema,
)

log = logging.getLogger("insurup_sandbox.graphql")

MAX_DEPTH = limits.MAX_DEPTH
MAX_COST = limits.MAX_COST
LIST_FIELDS = {name: (model, gen) for name, model, gen in LISTS}
LIST_FIELD_NAMES = frozenset(LIST_FIELDS)
PAGED_CHILDREN = frozenset({"items", "nodes", "edges"})


def _scope_for(field: str) -> str:
    name = field.lower()
    for key, scope in (("customer", "customer:read"), ("case", "case:read"), ("proposal", "proposal:read"),
                       ("polic", "policy:read"), ("webhook", "webhook:read")):
        if key in name:
            return scope
    return scopes.FULL


def gql_error(message: str, code: str, *, codes: list[str] | None = None, **extra: Any) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, "codes": codes or [], **extra})


# ----------------------------------------------------------------------------- documents
def _renamed(type_node: gast.TypeNode) -> gast.TypeNode:
    if isinstance(type_node, (gast.NonNullTypeNode, gast.ListTypeNode)):
        return replace(type_node, type=_renamed(type_node.type))
    assert isinstance(type_node, gast.NamedTypeNode)
    name = declared_input(type_node.name.value)
    if name == type_node.name.value:
        return type_node
    return replace(type_node, name=replace(type_node.name, value=name))


def rewrite_variable_types(document: gast.DocumentNode) -> gast.DocumentNode:
    """The document with other clients' variable type names replaced by ours (AST nodes are frozen)."""
    definitions = []
    for d in document.definitions:
        if isinstance(d, gast.OperationDefinitionNode) and d.variable_definitions:
            d = replace(d, variable_definitions=tuple(replace(v, type=_renamed(v.type)) for v in d.variable_definitions))
        definitions.append(d)
    return replace(document, definitions=tuple(definitions))


def _fragments(document: gast.DocumentNode) -> dict[str, gast.FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, gast.FragmentDefinitionNode)}


def _limit_error(message: str, code: str, **extra: Any) -> GraphQLError:
    return gql_error(message, "BAD_USER_INPUT", codes=[code], **extra)


def _static_limits(document: gast.DocumentNode) -> list[GraphQLError]:
    """Depth, expanded size and aliases of every operation, fragments expanded once (linear)."""
    errors: list[GraphQLError] = []
    for _op, fig in limits.operation_figures(document):
        if fig.nodes > limits.MAX_NODES:
            errors.append(_limit_error(
                f"The query expands to {fig.nodes if fig.nodes < 10**9 else 'over a billion'} selections once its "
                f"fragments are expanded; at most {limits.MAX_NODES} are allowed.", "GRAPHQL_MAX_NODES_EXCEEDED",
                limit="maxNodes", maxNodes=limits.MAX_NODES))
        elif fig.depth > MAX_DEPTH:
            errors.append(_limit_error(f"The query is {fig.depth} levels deep; at most {MAX_DEPTH} are allowed.",
                                       "GRAPHQL_MAX_DEPTH_EXCEEDED", limit="maxDepth", maxDepth=MAX_DEPTH,
                                       depth=fig.depth))
        elif fig.aliases > limits.MAX_ALIASES:
            errors.append(_limit_error(f"The query uses {fig.aliases} aliases; at most {limits.MAX_ALIASES} are "
                                       f"allowed.", "GRAPHQL_MAX_ALIASES_EXCEEDED", limit="maxAliases",
                                       maxAliases=limits.MAX_ALIASES))
    return errors


def _validation_error(e: GraphQLError) -> GraphQLError:
    if e.message == "Validation aborted.":  # graphql-core's own work budget for overlapping fields
        return _limit_error("The document is too complex to validate (too many fields to compare for merging); "
                            "ask for fewer repeated fields.", "GRAPHQL_MAX_COMPLEXITY_EXCEEDED", limit="complexity")
    return GraphQLError(e.message, e.nodes, extensions={"code": "BAD_USER_INPUT", "codes": ["GRAPHQL_VALIDATION_FAILED"]})


_SEGMENT_FIELDS = frozenset({"items", "pageInfo", "totalCount", "__typename"})
LEGACY_CASES_WARNING = {
    "code": "GRAPHQL_LEGACY_CASES_FORM",
    "message": "cases(customerId:, type:, status:) answering a bare list is the web-sales guide's older form, "
               "served as the guide shows. The current form is cases(where: {customerId: {eq: $customerId}, "
               "type: {eq: SALE_OPPORTUNITY}, status: {in: [OPEN, IN_PROGRESS]}}) { items { id status type "
               "createdAt } totalCount } (or casesNew(filter: ...) { nodes { ... } }).",
}


def _root_fields(selection_set: gast.SelectionSetNode, fragments: dict[str, gast.FragmentDefinitionNode],
                 seen: set[str]) -> Iterator[gast.FieldNode]:
    for sel in selection_set.selections:
        if isinstance(sel, gast.FieldNode):
            yield sel
        elif isinstance(sel, gast.InlineFragmentNode):
            yield from _root_fields(sel.selection_set, fragments, seen)
        elif isinstance(sel, gast.FragmentSpreadNode) and sel.name.value not in seen and sel.name.value in fragments:
            seen.add(sel.name.value)
            yield from _root_fields(fragments[sel.name.value].selection_set, fragments, seen)


def uses_legacy_cases(document: gast.DocumentNode) -> bool:
    """Does a query ask ``cases`` in the guide's older form (its arguments, or row fields straight
    under it instead of ``items``)?"""
    fragments = _fragments(document)
    for op in document.definitions:
        if not isinstance(op, gast.OperationDefinitionNode) or op.operation != gast.OperationType.QUERY:
            continue
        for field in _root_fields(op.selection_set, fragments, set()):
            if field.name.value != "cases":
                continue
            if any(arg.name.value in LEGACY_CASE_ARGS for arg in field.arguments or ()):
                return True
            if field.selection_set and any(f.name.value not in _SEGMENT_FIELDS
                                           for f in _root_fields(field.selection_set, fragments, set())):
                return True
    return False


@dataclass(slots=True)
class Prepared:
    document: gast.DocumentNode | None
    errors: list[GraphQLError]
    fragments: dict[str, Any]
    legacy_cases: bool = False


_CACHE: OrderedDict[str, Prepared] = OrderedDict()
_CACHE_SIZE = 256


def prepare(query: str) -> Prepared:
    hit = _CACHE.get(query)
    if hit is not None:
        _CACHE.move_to_end(query)
        return hit
    if len(query) > limits.MAX_SOURCE:
        return _remember(query, Prepared(None, [_limit_error(
            f"The document is {len(query)} characters long; at most {limits.MAX_SOURCE} are allowed.",
            "GRAPHQL_MAX_SOURCE_EXCEEDED", limit="maxSource", maxSource=limits.MAX_SOURCE)], {}))
    nested = limits.nesting(query)
    if nested > limits.MAX_NESTING:
        prepared = Prepared(None, [_limit_error(
            f"The document nests brackets {nested} deep; at most {limits.MAX_NESTING} are allowed.",
            "GRAPHQL_MAX_NESTING_EXCEEDED", limit="maxNesting", maxNesting=limits.MAX_NESTING)], {})
        return _remember(query, prepared)
    try:
        document = parse(query, max_tokens=limits.MAX_TOKENS)
    except GraphQLSyntaxError as exc:
        if "tokens. Parsing aborted" in exc.message or "comments" in exc.message:
            err = _limit_error(f"The document has more than {limits.MAX_TOKENS} tokens.",
                               "GRAPHQL_MAX_TOKENS_EXCEEDED", limit="maxTokens", maxTokens=limits.MAX_TOKENS)
        else:
            err = gql_error(f"Syntax error: {exc.message}", "BAD_USER_INPUT", codes=["GRAPHQL_SYNTAX_ERROR"])
            err.locations = exc.locations
        prepared = Prepared(None, [err], {})
    else:
        document = rewrite_variable_types(document)
        fragments = _fragments(document)
        # the static limits first: they are linear and guard validation against pathological documents
        errors = _static_limits(document)
        legacy = not errors and uses_legacy_cases(document)
        if not errors:
            against = legacy_cases_schema() if legacy else schema()
            errors = [_validation_error(e) for e in validate(against, document, max_errors=20)]
        prepared = Prepared(None if errors else document, errors, fragments, legacy)
    return _remember(query, prepared)


def _remember(query: str, prepared: Prepared) -> Prepared:
    _CACHE[query] = prepared
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return prepared


# ----------------------------------------------------------------------------- resolvers


def _check_scope(q: QueryContext, field: str) -> None:
    needed = _scope_for(field)
    if not scopes.grants(q.principal.scope, None if needed == scopes.FULL else needed):
        raise gql_error(f"The token's scopes ({q.principal.scope or 'none'}) do not include {needed} or core-api.",
                        "FORBIDDEN", codes=["INSUFFICIENT_SCOPE"])
    permission = _role_permission(field)
    user = q.agent.agent_users.get(q.principal.subject) if q.principal.kind == AGENT_USER else None
    if permission is not None and user is not None and roles.allowed(q.agent, user, permission) is None:
        role = roles.role_of(q.agent, user)
        raise gql_error(f"The agent user's role ({role.name if role else 'none'}) does not allow {permission}.",
                        "FORBIDDEN", codes=["AGENT_ROLE_PERMISSION_REQUIRED"])


# the role permission each list needs (reference §3.12: Own and Branch scopes filter the records)
_ROLE_PERMISSION = {"customers": "customers:read", "cases": "cases:read", "proposals": "proposals:read",
                    "policies": "policies:read", "agentusers": "agent-users:manage"}


def _role_permission(field: str) -> str | None:
    """``customersNew``, ``getPoliciesNew``, ``policiesExpanded`` … -> the role permission the list needs."""
    return _ROLE_PERMISSION.get(field.removeprefix("get").lower().removesuffix("new").removesuffix("expanded"))


def _role_filtered(q: QueryContext, field: str, records: Callable[[QueryContext], Iterable[Any]]) -> list[Any] | None:
    """The records an Own or Branch role may see, or None when the role sees them all."""
    permission = _role_permission(field)
    if permission is None or not roles.scoped(q.agent, q.principal, permission):
        return None
    return [r for r in records(q) if roles.sees(q.agent, q.principal, permission, r)]


_INDEXED = {"QueryCustomerModel": "customers", "CustomerModel": "customers", "QueryCaseModel": "cases",
            "QueryProposalsResult": "proposals", "QueryPoliciesResult": "policies"}


def _list_resolver(field: str, model: str, generation: str):
    source = rows.SOURCES[model]
    kind = _INDEXED.get(model)

    def resolve(_root: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        q: QueryContext = info.context
        _check_scope(q, field)

        def get(item: Any, name: str) -> Any:
            return source.read(item, name, q)

        where = args.get("where") if generation == "offset" else args.get("filter")
        order = args.get("order") or args.get("orderBy")
        search = args.get("search")
        if not order and not search and generation != "offset" and any(f == "createdAt" for f, _ in MODELS[model]):
            order = [{"createdAt": "DESC"}]  # the documented default sort of the Agent Panel lists
        try:
            indexed = None
            narrowed = _role_filtered(q, field, source.records)
            # (the index pages the whole agency; an Own or Branch role sees part of it)
            index_kind = kind if narrowed is None else None
            if index_kind is not None and order and not search:  # the list index pages without a scan
                indexed = listindex.view(q.agent, index_kind, where=where, order=order, search=search,
                                         scope=q.customer_scope)
            if indexed is not None:
                records, scores = indexed, {}
            else:
                pool = None
                if search and index_kind is not None and q.customer_scope is None:  # the word index narrows it
                    pool = word_index.search_candidates(q.agent, kind, search)
                records, scores = engine.run(narrowed if narrowed is not None else source.records(q) if pool is None
                                             else pool, get=get, where=where,
                                             search=search, order=order, eq_fns=source.eq_fns,
                                             sort_get=source.sorter(q))
            if generation == "offset":
                page = engine.offset_page(records, args.get("skip"), args.get("take"))
            else:
                page = engine.cursor_page(records, get, first=args.get("first"), after=args.get("after"),
                                          last=args.get("last"), before=args.get("before"))
        except engine.PagingError as exc:
            raise gql_error(str(exc), "BAD_USER_INPUT", codes=["GRAPHQL_INVALID_PAGING"], argument=exc.argument) from None
        nodes = [Node(item, source.read, q, scores.get(id(item))) for item in page.items]
        if generation == "offset":
            return {"items": nodes, "totalCount": page.total,
                    "pageInfo": {"hasNextPage": page.has_next, "hasPreviousPage": page.has_previous}}
        edges = [{"cursor": engine.cursor(pos, get(item, "id")), "node": node}
                 for pos, item, node in zip(page.positions, page.items, nodes)]
        return {"nodes": nodes, "edges": edges, "totalCount": page.total,
                "pageInfo": {"hasNextPage": page.has_next, "hasPreviousPage": page.has_previous,
                             "startCursor": edges[0]["cursor"] if edges else None,
                             "endCursor": edges[-1]["cursor"] if edges else None}}

    return resolve


def _read_guide_case(item: Any, name: str, q: QueryContext) -> Any:
    if name == "type":
        return case_domain.guide_type(item)
    if name == "status":
        return case_domain.guide_status(item)
    return rows.SOURCES["QueryCaseModel"].read(item, name, q)


def _legacy_cases(_root: Any, info: GraphQLResolveInfo, **args: Any) -> list[Node]:
    """The guide's ``cases(customerId, type, status)``: a bare list, newest first, in its words."""
    q: QueryContext = info.context
    _check_scope(q, "cases")
    source = rows.SOURCES["QueryCaseModel"]
    customer_id, type_, statuses = args.get("customerId"), args.get("type"), args.get("status")
    records = [c for c in source.records(q) if (customer_id is None or c.customer_id == customer_id)
               and case_domain.guide_matches(c, type_=type_, statuses=statuses)]
    try:
        records, _scores = engine.run(records, get=lambda item, name: source.read(item, name, q),
                                      where=args.get("where"), order=args.get("order") or [{"createdAt": "DESC"}],
                                      eq_fns=source.eq_fns, sort_get=source.sorter(q))
        take = args.get("take")
        page = engine.offset_page(records, args.get("skip"), LEGACY_CASES_TAKE if take is None else take)
    except engine.PagingError as exc:
        raise gql_error(str(exc), "BAD_USER_INPUT", codes=["GRAPHQL_INVALID_PAGING"], argument=exc.argument) from None
    return [Node(item, _read_guide_case, q, None) for item in page.items]


def _policy_document(_root: Any, info: GraphQLResolveInfo, policyId: str) -> dict[str, Any]:
    q: QueryContext = info.context
    _check_scope(q, "policies")
    policy = q.agent.policies.get(policyId)
    row = rows.row(policy) if policy is not None else None
    scope = q.customer_scope
    if row is None or (scope is not None and scope not in (row.get("insuredCustomerId"), row.get("insurerCustomerId"))):
        raise gql_error(f"Policy '{policyId}' was not found.", "NOT_FOUND", codes=["POLICY_NOT_FOUND"])
    from mockserver.domain import documents

    return {"url": documents.link(q.agent, policy.base_url, "policy", policy.id, [])}


_INSTALLING = threading.Lock()


def _installed(legacy: bool = False) -> GraphQLSchema:
    """The schema a document runs against, with the sandbox's resolvers on it."""
    s = legacy_cases_schema() if legacy else schema()
    if not getattr(s, "_sandbox_installed", False):
        with _INSTALLING:
            if not getattr(s, "_sandbox_installed", False):
                for name, model, generation in LISTS:
                    s.query_type.fields[name].resolve = _list_resolver(name, model, generation)
                if legacy:
                    s.query_type.fields["cases"].resolve = _legacy_cases
                s.mutation_type.fields["getPolicyDocument"].resolve = _policy_document
                s._sandbox_installed = True  # type: ignore[attr-defined]
    return s


# ----------------------------------------------------------------------------- running
_SANDBOX_CODES = {NotFound: "NOT_FOUND", AccessDenied: "FORBIDDEN", Unauthorized: "UNAUTHENTICATED",
                  InputValidation: "BAD_USER_INPUT"}


def format_error(error: GraphQLError, trace_id: str) -> dict[str, Any]:
    out = error.formatted
    ext = dict(out.get("extensions") or {})
    original = error.original_error
    if isinstance(original, SandboxError):
        ext.setdefault("code", next((c for k, c in _SANDBOX_CODES.items() if isinstance(original, k)), "BAD_USER_INPUT"))
        ext.setdefault("codes", original.codes)
    elif original is not None and not isinstance(original, GraphQLError):
        log.error("GraphQL resolver error", exc_info=original)
        out["message"] = "The sandbox hit an internal error resolving this field; this is a sandbox bug."
        ext["code"] = "INTERNAL_ERROR"
    if "code" not in ext and out.get("message", "").startswith("Variable "):
        ext["codes"] = ["GRAPHQL_INVALID_VARIABLES"]
    ext.setdefault("code", "BAD_USER_INPUT")
    ext.setdefault("codes", [])
    ext["traceId"] = trace_id
    out["extensions"] = ext
    return out


def run(q: QueryContext, query: str, variables: dict[str, Any] | None, operation_name: str | None, *,
        trace_id: str, allow_mutations: bool = True) -> dict[str, Any]:
    prepared = prepare(query)
    if prepared.document is None:
        return {"errors": [format_error(e, trace_id) for e in prepared.errors]}
    document = prepared.document
    ops = [d for d in document.definitions if isinstance(d, gast.OperationDefinitionNode)]
    op = next((d for d in ops if operation_name is None or (d.name and d.name.value == operation_name)), None)
    if op is not None and not allow_mutations and op.operation != gast.OperationType.QUERY:
        return {"errors": [format_error(gql_error("Mutations must be sent with POST.", "BAD_USER_INPUT",
                                                  codes=["GRAPHQL_MUTATION_OVER_GET"]), trace_id)]}
    if op is not None:
        size = limits.filter_size(op.selection_set, prepared.fragments, variables or {})
        if size.over():
            what = (f"{size.nodes}+ values" if size.nodes > limits.MAX_FILTER_NODES
                    else f"a text operand of {size.longest}+ characters")
            err = gql_error(f"The query's where, search and order inputs hold {what}; at most "
                            f"{limits.MAX_FILTER_NODES} values and {limits.MAX_FILTER_TEXT} characters per text are "
                            "allowed (each is evaluated per record).", "BAD_USER_INPUT",
                            codes=["GRAPHQL_MAX_FILTER_EXCEEDED"], limit="maxFilter",
                            maxFilterNodes=limits.MAX_FILTER_NODES, maxFilterText=limits.MAX_FILTER_TEXT)
            return {"errors": [format_error(err, trace_id)]}
        cost = limits.cost(op.selection_set, prepared.fragments, variables or {}, list_fields=LIST_FIELD_NAMES,
                           paged_children=PAGED_CHILDREN, default_page=engine.DEFAULT_PAGE,
                           bare_lists={"cases": LEGACY_CASES_TAKE} if prepared.legacy_cases else None)
        if cost > MAX_COST:
            err = gql_error(f"The query would cost {cost} (fields times page sizes); at most {MAX_COST} is allowed. "
                            f"Ask for fewer fields or a smaller first/take.", "BAD_USER_INPUT",
                            codes=["GRAPHQL_MAX_COST_EXCEEDED"], limit="maxCost", cost=cost, maxCost=MAX_COST)
            return {"errors": [format_error(err, trace_id)]}
    result = execute(_installed(prepared.legacy_cases), document, context_value=q, variable_values=variables,
                     operation_name=operation_name, field_resolver=resolve_field, executor_class=ShortExecutor)
    assert isinstance(result, ExecutionResult)
    body: dict[str, Any] = {}
    if result.errors:
        body["errors"] = [format_error(e, trace_id) for e in result.errors]
    if result.data is not None or not result.errors:
        body["data"] = result.data
    if prepared.legacy_cases:
        body["extensions"] = {"warnings": [LEGACY_CASES_WARNING]}
    return body
