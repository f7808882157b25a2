"""Answers rendered from their declarations.

A response model (``Strict``) declares what an answer holds: its fields, their names on the wire (an
alias such as ``$type`` included), their order and their types. :func:`renderer` compiles a model once
into one plain function that builds the answer's dict from a record, field by field in the model's
order, so the answer cannot hold a field the model lacks nor lack one it declares, and the served
OpenAPI document (generated from the same model) describes what is sent.

Where each value comes from is said beside the record, by field name, and checked against the model
when the renderer is made (an unknown field name, or a field with neither a source nor an attribute of
its own name on the record type, is an error at import time, not a wrong answer later):

* nothing: the record's attribute named after the field in snake_case (``customerId`` → ``customer_id``),
  or, for ``dict`` records, its key of the field's name;
* ``"attr"`` or ``"a.b"``: that attribute (path); ``"."``: the record itself (a value answered as a
  field: ``{"url": link}``; with ``model=``, a nested object drawn from the record's own attributes);
* :class:`Const`: always that value;
* a callable ``fn(record, ctx)``: its result, ``ctx`` being what the caller passed to the renderer
  (the agent, a base URL...);
* :class:`Fields` (given before the named sources): several consecutive fields from one call;
* :class:`From`: an attribute or callable with a converter applied to its value unless it is None
  (``iso`` for times, ``date.isoformat`` for dates),
  with ``each=Model`` or ``model=Model``: a list of records, or one record (or None), rendered by that
  model's own renderer; with ``when=fn(record)``: the field is sent only when it holds (a company's
  answer has no ``birthDate``; its model says the field may be absent), or ``when=Is("type", "company")``
  (an attribute compared with a value, tested inline); with ``optional=True``: the field is left out
  when its value is None (the SDK's optional fields);
* ``prepare=fn(record, ctx)`` (for the whole model): the record is first turned into a view holding what
  several fields share, computed once per answer (a proposal product's state, its insurer).

The compiled function is one dict literal (then one statement per field after the first conditional
one, a run of fields with one condition under one ``if``), and a nested model whose answer is a plain
literal is written inline, not called: as cheap as the dict a hand-written ``wire()`` function built,
with no validation on the hot path (``Renderer.source`` shows the code). The test suite validates
every answer it produces against the route's model, undeclared fields forbidden
(:mod:`mockserver.http.conformance`)."""


import dataclasses
import keyword
import re
from dataclasses import dataclass
from typing import Any, Callable

from pydantic import BaseModel

_SNAKE = re.compile(r"(?<=[a-z0-9])([A-Z])")

Render = Callable[..., dict[str, Any]]


def snake(name: str) -> str:
    """``customerId`` → ``customer_id``; ``type_`` → ``type``."""
    return _SNAKE.sub(r"_\1", name).lower().rstrip("_")


@dataclass(frozen=True)
class Is:
    """A condition tested inline: the record's attribute equals ``value`` (or differs, with ``not_=True``)."""

    attr: str
    value: Any
    not_: bool = False


def IsNot(attr: str, value: Any) -> Is:  # noqa: N802  (reads as the condition it makes)
    return Is(attr, value, True)


Condition = Callable[[Any], bool] | Is


@dataclass(frozen=True)
class From:
    """Where a field's value comes from, when it is more than an attribute of the field's name."""

    source: str | Callable[[Any, Any], Any] | None = None  # attribute (path) or fn(record, ctx); None: the field's
    convert: Callable[[Any], Any] | None = None  # applied to the value unless it is None (None is sent as null)
    each: type[BaseModel] | Render | None = None  # a list of records, each rendered by this model's first
    model: type[BaseModel] | Render | None = None  # one record (or None), rendered by ...renderer, or the one given
    when: Condition | None = None  # the field is sent only when the condition holds for the record
    optional: bool = False  # the field is sent only when its value is not None (the SDK's "left out when unset")


@dataclass(frozen=True)
class Const:
    """A field whose value is always the same (the SDK's fields no source fills: ``isManual: false``)."""

    value: Any


@dataclass(frozen=True)
class Fields:
    """Several consecutive fields filled from one call: ``fn(record, ctx)`` returns their values in order
    (a first and a last name from one split, counts read together)."""

    names: tuple[str, ...]
    source: Callable[[Any, Any], tuple[Any, ...]]
    when: Condition | None = None


class Renderer:
    """A model compiled for records of ``record_type``: ``render(record, ctx=None) -> dict``."""

    def __init__(self, model: type[BaseModel], record_type: type | None, sources: dict[str, Any],
                 groups: tuple[Fields, ...] = (), prepare: Callable[[Any, Any], Any] | None = None):
        self.model, self.prepare = model, prepare
        fields = model.model_fields
        order = list(fields)
        grouped = {name: g for g in groups for name in g.names}
        unknown = (set(sources) | set(grouped)) - set(fields)
        if unknown:
            raise TypeError(f"{model.__name__} has no field {sorted(unknown)} to render")
        for g in groups:
            at = order.index(g.names[0])
            if tuple(order[at:at + len(g.names)]) != g.names or set(g.names) & set(sources):
                raise TypeError(f"{model.__name__}: {g.names} are not consecutive fields without another source")
        attrs = None
        if dataclasses.is_dataclass(record_type):
            attrs = {f.name for f in dataclasses.fields(record_type)}
            attrs |= {k for k, v in vars(record_type).items() if isinstance(v, property)}
        # the plan: (wire key, From) per field, or (wire keys, Fields) per group, in the model's order
        self.plan: list[tuple[Any, Any]] = []
        for name, info in fields.items():
            if name in grouped:
                if name == grouped[name].names[0]:
                    self.plan.append((tuple(fields[n].alias or n for n in grouped[name].names), grouped[name]))
                continue
            spec = sources.get(name)
            spec = spec if isinstance(spec, From) else From(spec)
            if isinstance(spec.source, Const) or spec.source == ".":
                pass  # a constant, or the record itself
            elif not callable(spec.source) and record_type is not dict:
                path = spec.source or snake(name)
                if not all(part.isidentifier() and not keyword.iskeyword(part) for part in path.split(".")):
                    raise TypeError(f"field {name}: {path!r} is not an attribute path")
                if attrs is not None and path.split(".", 1)[0] not in attrs:
                    raise TypeError(f"field {name}: the record has no attribute {path.split('.', 1)[0]!r}; "
                                    "give the field a source")
                spec = dataclasses.replace(spec, source=path)
            elif spec.source is None:
                spec = dataclasses.replace(spec, source=name)
            self.plan.append((info.alias or name, spec))
        self.dict_records = record_type is dict
        names: dict[str, Any] = {}
        head, tail = self.emit("o", names, "")
        code = "def render(o, ctx=None):\n"
        if prepare is not None:  # the record's view: values several fields share, computed once
            names["prepare"] = prepare
            code += "    o = prepare(o, ctx)\n"
        if tail:
            code += f"    d = {{{', '.join(head)}}}\n{''.join(tail)}    return d\n"
        else:
            code += f"    return {{{', '.join(head)}}}\n"
        exec(compile(code, f"<renderer of {model.__name__}>", "exec"), names)
        self.render: Render = names["render"]
        self.source = code
        _COMPILED[self.render] = self

    def emit(self, var: str, names: dict[str, Any], prefix: str) -> tuple[list[str], list[str]]:
        """The code of this model's answer for the record in ``var``: the dict literal's items up to the
        first conditional field, then one statement per field (into ``d``). Names the code uses are put in
        ``names`` under ``prefix``."""
        head: list[str] = []
        tail: list[str] = []
        last: Any = None  # the condition of the open `if`, if any
        for i, (key, spec) in enumerate(self.plan):
            tag = f"{prefix}{i}"
            if isinstance(spec, Fields):
                names[f"g{tag}"] = spec.source
                line = f"({', '.join(f'd[{k!r}]' for k in key)},) = g{tag}({var}, ctx)"
                when = spec.when
            else:
                expr = self._value(spec, var, tag, names)
                when = spec.when
                if spec.optional:
                    guard = f"{self._test(when, var, tag, names)} and " if when is not None else ""
                    tail.append(f"    if {guard}(v{tag} := {expr}) is not None:\n        d[{key!r}] = v{tag}\n")
                    last = None
                    continue
                if when is None and not tail:
                    head.append(f"{key!r}: {expr}")
                    continue
                line = f"d[{key!r}] = {expr}"
            if when is None:
                tail.append(f"    {line}\n")
            else:
                if when is not last:
                    tail.append(f"    if {self._test(when, var, tag, names)}:\n")
                tail.append(f"        {line}\n")
            last = when
        return head, tail

    @staticmethod
    def _test(when: Condition, var: str, tag: str, names: dict[str, Any]) -> str:
        if isinstance(when, Is):
            names[f"k{tag}"] = when.value
            return f"{var}.{when.attr} {'!=' if when.not_ else '=='} k{tag}"
        names[f"w{tag}"] = when
        return f"w{tag}({var})"

    def _value(self, spec: From, var: str, tag: str, names: dict[str, Any]) -> str:
        if spec.source == ".":
            expr = var  # the record itself (a value answered as a field, or a nested object of its attributes)
        elif isinstance(spec.source, Const):
            names[f"k{tag}"] = spec.source.value
            expr = f"k{tag}"
        elif callable(spec.source):
            names[f"s{tag}"] = spec.source
            expr = f"s{tag}({var}, ctx)"
        elif self.dict_records:
            expr = f"{var}[{spec.source!r}]"
        else:
            expr = f"{var}.{spec.source}"
        if spec.convert is not None:
            names[f"c{tag}"] = spec.convert
            # None stays None; what a list is made from is never None (and a comprehension's iterable
            # cannot hold an assignment)
            expr = f"c{tag}({expr})" if spec.each is not None else \
                f"(None if (u{tag} := {expr}) is None else c{tag}(u{tag}))"
        nested = spec.each or spec.model
        if nested is None:
            return expr
        inner = compiled(nested)
        itself = expr == var and spec.model is not None and spec.convert is None  # drawn from its own attributes
        item = var if itself else f"x{tag}"
        head, tail = inner.emit(item, names, f"{tag}_")
        if tail or inner.prepare is not None:  # a nested answer with conditions or a view: called
            names[f"r{tag}"] = inner.render
            made = f"r{tag}({item}, ctx)"
        else:  # a plain literal: written inline
            made = f"{{{', '.join(head)}}}"
        if spec.each is not None:
            return f"[{made} for {item} in {expr}]"
        if itself:
            return made
        return f"(None if ({item} := {expr}) is None else {made})"


_COMPILED: dict[Any, Renderer] = {}  # a render function → its renderer
_FIRST: dict[type[BaseModel], Renderer] = {}  # a model → its first renderer


def renderer(model: type[BaseModel], record_type: type | None = None, /, *groups: Fields,
             prepare: Callable[[Any, Any], Any] | None = None, **sources: Any) -> Render:
    """The compiled ``render(record, ctx=None)`` of ``model``; the first one made for a model is the one
    ``From(each=model)`` and ``From(model=model)`` use. With ``prepare``, the record is first turned into
    ``prepare(record, ctx)`` (of ``record_type``), a view holding what several fields share."""
    made = Renderer(model, record_type, sources, groups, prepare)
    _FIRST.setdefault(model, made)
    return made.render


def compiled(model_or_render: type[BaseModel] | Render) -> Renderer:
    """The renderer of a render function, or the first one made for a model."""
    if isinstance(model_or_render, type):
        if model_or_render not in _FIRST:
            raise TypeError(f"{model_or_render.__name__} has no renderer yet: make it with renderer() first")
        return _FIRST[model_or_render]
    if model_or_render not in _COMPILED:
        raise TypeError(f"{model_or_render!r} is not a renderer made by renderer()")
    return _COMPILED[model_or_render]
