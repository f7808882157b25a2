"""The package's shape holds: its layers (DESIGN-NOTES.md, "Layers") import only downward, no two
modules import each other however deep in a function the import hides (imports for type checking
aside), no module reaches for another's private names, and the routes are composed in one place."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "mockserver"

# lowest first; a module may import its own layer and the ones below (the first prefix that matches)
LAYERS = [
    ("mockserver.certify.scope", 1),  # the scope vocabulary the wire models check words against
    ("mockserver.core", 0), ("mockserver.validators", 0),
    ("mockserver.security", 1), ("mockserver.wire", 1), ("mockserver.magic", 1),
    ("mockserver.domain", 2),
    ("mockserver.graphql", 3),
    ("mockserver.world", 4), ("mockserver.store", 4), ("mockserver.snapshots", 4), ("mockserver.certify", 4),
    ("mockserver.apidocs", 4),
    ("mockserver.http", 5), ("mockserver.control", 5),
    ("mockserver.contract", 6), ("mockserver.receiver", 6),
    ("mockserver.cli", 7), ("mockserver.testing", 7),
    ("mockserver", 0),  # the package's version
]
ROUTE_MODULES = {"mockserver.control.routes", "mockserver.http.pages"}


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in ROOT.rglob("*.py")}


def _module_of(dotted: str) -> str | None:
    while dotted and dotted not in MODULES:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


class _Imports(ast.NodeVisitor):
    """Every import of a mockserver module in one module (function-level ones included), the aliases
    they bind, and the private names it reaches in other modules."""

    def __init__(self, module: str):
        self.module = module
        self.targets: set[str] = set()
        self.aliases: dict[str, str] = {}
        self.private: list[str] = []

    def visit_If(self, node: ast.If) -> None:
        if _type_checking(node):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            target = _module_of(alias.name)
            if target and alias.name.startswith("mockserver"):
                self._add(target)
                if alias.asname:
                    self.aliases[alias.asname] = alias.name

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.module.split(".")
            if not MODULES[self.module].name == "__init__.py":
                package = package[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join(package + ([base] if base else []))
        if not base.startswith("mockserver"):
            return
        for alias in node.names:
            full = f"{base}.{alias.name}"
            if full in MODULES:
                self._add(full)
                self.aliases[alias.asname or alias.name] = full
            else:
                target = _module_of(base)
                if target:
                    self._add(target)
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    self.private.append(f"from {base} import {alias.name}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if (isinstance(node.value, ast.Name) and node.value.id in self.aliases and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            self.private.append(f"{self.aliases[node.value.id]}.{node.attr}")
        self.generic_visit(node)

    def _add(self, target: str) -> None:
        if target != self.module:
            self.targets.add(target)


def _graph() -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    edges, private = {}, {}
    for module, path in MODULES.items():
        visitor = _Imports(module)
        visitor.visit(ast.parse(path.read_text("utf-8")))
        edges[module], private[module] = visitor.targets, visitor.private
    return edges, private


EDGES, PRIVATE = _graph()


def _rank(module: str) -> int:
    return next(rank for prefix, rank in LAYERS if module == prefix or module.startswith(prefix + "."))


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_no_two_modules_import_each_other_even_inside_a_function():
    assert _cycles(EDGES) == []


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function():
    edges = {m: set(t) for m, t in EDGES.items()}
    edges["mockserver.domain.tenant"].add("mockserver.domain.customers")  # as deferred imports once did
    assert any("mockserver.domain.tenant" in c and "mockserver.domain.customers" in c for c in _cycles(edges))


def test_every_module_has_a_layer_and_imports_only_downward():
    upward = [f"{m} ({_rank(m)}) imports {t} ({_rank(t)})"
              for m, targets in EDGES.items() for t in targets if _rank(t) > _rank(m)]
    assert upward == []


def test_no_module_uses_another_modules_private_names():
    assert {m: names for m, names in PRIVATE.items() if names} == {}


def test_the_private_name_check_sees_both_spellings():
    visitor = _Imports("mockserver.http.app")
    visitor.visit(ast.parse("from mockserver.domain import registries\nfrom mockserver.domain.documents import _x\n"
                            "registries._faker()\n"))
    assert visitor.private == ["from mockserver.domain.documents import _x", "mockserver.domain.registries._faker"]


def test_routes_are_composed_in_one_place():
    routes = {m for m in MODULES if m.endswith("_routes")} | ROUTE_MODULES
    importers = defaultdict(set)
    for module, targets in EDGES.items():
        for target in targets & routes:
            importers[target].add(module)
    assert {r: sorted(i) for r, i in importers.items() if i != {"mockserver.http.routes"}} == {}
    assert routes == {m.__name__ for m in __import__("mockserver.http.routes", fromlist=["MODULES"]).MODULES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_what_exists(module):
    """(every mockserver name an import names resolves to a module: a moved module leaves no stale path)"""
    tree = ast.parse(MODULES[module].read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mockserver") and not node.level:
            assert _module_of(node.module) is not None, f"{module}: from {node.module} import …"


def test_pages_are_templates_not_python_strings():
    """The dashboard's, the sign-in and payment pages' and the reports' markup is in mockserver/templates."""
    holding = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py") if "<!doctype" in p.read_text("utf-8").lower()]
    assert holding == []
    assert {"pay.html", "login.html", "certificate.html", "drift-report.html"} <= {
        p.name for p in (ROOT / "templates").rglob("*.html")}


def test_no_module_is_much_over_600_lines():
    long = {str(p.relative_to(ROOT)): n for p in ROOT.rglob("*.py")
            if (n := len(p.read_text("utf-8").splitlines())) > 650}
    assert long == {}




def _literal_answers(module: str) -> set[tuple[str, str]]:
    """(module, function) of every ``ok(...)`` whose answer is a dict literal, or a list of them."""
    found = set()
    for fn in ast.walk(ast.parse(MODULES[module].read_text("utf-8"))):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for call in ast.walk(fn):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "ok" and call.args:
                answer = call.args[0]
                items = [answer.elt] if isinstance(answer, ast.ListComp) else getattr(answer, "elts", [])
                if isinstance(answer, ast.Dict) or any(isinstance(item, ast.Dict) for item in items):
                    found.add((module, fn.name))
    return found


def test_routes_answer_with_what_their_models_render():
    """An answer is rendered from its declaration (``mockserver.wire.render``), never written as a literal
    in its route."""
    routes = {m for m in MODULES if m.endswith("_routes")} | ROUTE_MODULES
    literal = set().union(*(_literal_answers(m) for m in routes))
    assert sorted(literal) == []


def test_the_literal_answer_finder_sees_a_dict_and_a_list_of_dicts(tmp_path, monkeypatch):
    source = ("async def a(ctx):\n    return ok({'id': 1})\n\nasync def b(ctx):\n    return ok([{'id': i} for i in x])\n\n"
              "async def c(ctx):\n    return ok(render(x))\n")
    (tmp_path / "probe.py").write_text(source)
    monkeypatch.setitem(MODULES, "probe", tmp_path / "probe.py")
    assert _literal_answers("probe") == {("probe", "a"), ("probe", "b")}


def _prefix_misfits(tables: dict) -> list[str]:
    """Where a URL prefix is not one module's: a prefix two modules name, or a route whose most specific
    covering prefix (the most segments) is another module's."""
    from mockserver.http.framework import covers

    owners = defaultdict(set)
    for name, table in tables.items():
        for prefix in table.prefixes:
            owners[prefix].add(name)
    out = [f"{prefix}: named by {sorted(names)}" for prefix, names in owners.items() if len(names) > 1]
    for name, table in tables.items():
        for spec in table:
            depth = {prefix: covers(prefix, spec.path) for prefix in owners}
            best = max(depth.values())
            mine = max(depth[p] for p in table.prefixes)
            if best == 0 or mine < best:
                theirs = sorted(n for p, d in depth.items() if d == best for n in owners[p])
                out.append(f"{spec.method} {spec.path} ({name}) is under {theirs}'s prefix")
    return out


def test_each_url_prefix_is_served_by_one_module():
    """A URL belongs to the module that names its most specific prefix (``Routes("/customers", ...)``):
    ``/customers/{id}/vehicles`` to the assets module, every other ``/customers`` path to the customers
    module, and no prefix is named twice."""
    from mockserver.http.routes import MODULES as ROUTE_TABLES

    assert _prefix_misfits({m.__name__: m.routes for m in ROUTE_TABLES}) == []


def test_the_prefix_check_sees_a_route_under_another_modules_prefix():
    from mockserver.http.framework import Routes

    customers, assets = Routes("/customers"), Routes("/customers/{customerId}/vehicles", "/properties")
    handler = lambda ctx: None  # noqa: E731
    customers("GET", "/customers/{customerId}", summary="", tag="t")(handler)
    assert _prefix_misfits({"customers": customers, "assets": assets}) == []
    customers("GET", "/customers/me/vehicles", summary="", tag="t")(handler)  # the assets module's URL
    assert _prefix_misfits({"customers": customers, "assets": assets}) == [
        "GET /customers/me/vehicles (customers) is under ['assets']'s prefix"]
    assert _prefix_misfits({"a": Routes("/properties"), "assets": assets}) == ["/properties: named by ['a', 'assets']"]
    with pytest.raises(ValueError, match="not under this module's prefixes"):
        assets("GET", "/cases/{caseRef}", summary="", tag="t")(handler)


@pytest.mark.parametrize("prefix, path, depth", [
    ("/cases", "/cases:cancel", 1), ("/cases", "/cases/{caseRef}", 1), ("/cases", "/casesx", 0),
    ("/customers/{customerId}/vehicles", "/customers/me/vehicles/{vehicleId}", 3),
    ("/customers/{customerId}/vehicles", "/customers/{customerId}", 0), ("/", "/", 1), ("/", "/docs", 0),
    ("/coverage-choices", "/coverage-choices:kasko", 1)])
def test_a_prefix_covers_its_segments(prefix, path, depth):
    from mockserver.http.framework import covers

    assert covers(prefix, path) == depth
