"""An agent as a file, and an agent made from one (LocalStack's state pods, for one agent).

``GET /__sandbox/agents/{id}/snapshot`` (CLI ``agents export``) writes everything the agent holds
(customers, vehicles, homes, cases, proposals with their quotes, payments, policies, webhooks and their
outbox, SMS and documents sent, events, the journal, its clock and its seeded random stream) as
versioned JSON; ``?redact=true`` masks identity numbers, phones, e-mails, birth dates and personal
names for a file that can be shared. ``POST /__sandbox/agents {"snapshot": …}`` (CLI ``agents import``)
makes a new agent from it, with its own id and credentials, going on from the snapshot's clock: a CI
job starts from "a customer with a car and a settled kasko proposal" in one call. The shipped
snapshots (``mockserver/data/snapshots``) can be named instead of given.

Never in a snapshot: the agent's login and refresh sessions (bearer secrets: customers log in again),
its credentials (the new agent has its own) and the sandbox's entropy key. The format is plain JSON
that names the sandbox's own classes; reading it builds only those (never code, unlike pickle).
"""

from __future__ import annotations

import base64
import dataclasses
import importlib
import math
import random
import time
import types
from collections import deque
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from mockserver import __version__
from mockserver.core.clock import iso, wall
from mockserver.core.errors import FieldError, InputValidation
from mockserver.domain import coverage

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Sandbox

FORMAT = "insurup-sandbox/agent-snapshot"
VERSION = 1
SHIPPED = Path(__file__).resolve().parent / "data" / "snapshots"
# what an agent holds and a snapshot carries; the rest is the new agent's own
_NOT_CARRIED = frozenset({"sandbox", "id", "entropy", "otp_sessions", "refresh_grants", "agent_users", "invites",
                          "service_accounts", "agent_user_email", "agent_user_password", "client_id", "client_secret",
                          "control_token", "fixture", "lying_callbacks", "failing_insurers", "certification",
                          "indexes"})
_MODULES = ("mockserver.domain.", "mockserver.core.clock", "mockserver.core.ids", "mockserver.core.packed")
_PERSONAL = ("identitynumber", "taxnumber", "tckn", "vkn", "ykn", "passportnumber", "phone", "phonenumber", "email",
             "birthdate", "firstname", "lastname", "fullname", "customername", "holdername", "mothername",
             "fathername", "to")


class SnapshotError(InputValidation):
    def __init__(self, detail: str, where: str = "snapshot"):
        super().__init__(detail, codes=["AGENT_SNAPSHOT_INVALID"], field_errors=[FieldError(where, detail, None)])


# ----------------------------------------------------------------------------- writing
class _Encoder:
    def __init__(self) -> None:
        self.memo: dict[int, int] = {}
        self.keep: list[Any] = []  # objects must outlive the walk, or their ids could be reused

    def encode(self, value: Any) -> Any:
        if value is None or isinstance(value, (str, bool, int)):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else {"$float": repr(value)}
        if isinstance(value, list):
            return [self.encode(v) for v in value]
        if isinstance(value, tuple):
            return {"$tuple": [self.encode(v) for v in value]}
        if isinstance(value, dict):
            if all(isinstance(k, str) and not k.startswith("$") for k in value):
                return {k: self.encode(v) for k, v in value.items()}
            return {"$dict": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
        if isinstance(value, (set, frozenset)):
            return {"$set": [self.encode(v) for v in sorted(value, key=repr)]}
        if isinstance(value, bytes):
            return {"$bytes": base64.b64encode(value).decode()}
        if isinstance(value, datetime):
            return {"$datetime": value.isoformat()}
        if isinstance(value, date):
            return {"$date": value.isoformat()}
        if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
            return {"$wall": True}  # a clock's time source
        module = type(value).__module__
        if module == "mockserver.domain.catalog":
            return {"$catalog": type(value).__name__, "id": value.id}  # shared, read-only: by id
        if id(value) in self.memo:
            return {"$ref": self.memo[id(value)]}
        ref = self.memo[id(value)] = len(self.memo) + 1
        self.keep.append(value)
        if isinstance(value, deque):
            return {"$deque": [self.encode(v) for v in value], "maxlen": value.maxlen, "$id": ref}
        if isinstance(value, random.Random):
            return {"$random": self.encode(value.getstate()), "$id": ref}
        if type(value).__name__ == "LazyBody":
            return self.encode(value.render())
        if not module.startswith(_MODULES):
            raise TypeError(f"{module}.{type(value).__name__} cannot go into a snapshot")
        return {"$type": f"{module}:{type(value).__qualname__}", "$id": ref,
                **{k: self.encode(v) for k, v in _fields(value).items()}}


_CACHES = frozenset({"_row"})  # derived from the rest, rebuilt on first read: not written


def _fields(value: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)
                if hasattr(value, f.name) and f.name not in _CACHES}
    if hasattr(value, "__dict__"):
        return dict(value.__dict__)
    slots = [s for c in type(value).__mro__ for s in getattr(c, "__slots__", ())]
    return {s: getattr(value, s) for s in slots if hasattr(value, s) and not s.startswith("__")}


def _redact(value: Any, key: str = "", found: set[str] | None = None) -> Any:
    """Mask personal values where their field names say what they are; ``found`` collects them, so
    that every other copy (event payloads, index keys, the journal) is masked too."""
    from mockserver.core.redact import mask_identity

    if isinstance(value, dict):
        if "$dict" in value and isinstance(value["$dict"], list):
            return {**value, "$dict": [[k, _redact(v, k.replace("_", "").lower() if isinstance(k, str) else "", found)]
                                       for k, v in value["$dict"]]}
        return {k: _redact(v, k.replace("_", "").lower(), found) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, key, found) for v in value]
    if key and key.endswith(_PERSONAL) and isinstance(value, (str, int)) and not isinstance(value, bool):
        if found is not None and len(str(value)) >= 5:
            found.add(str(value))
        return mask_identity(value)
    return value


def _redacted(encoded: Any) -> Any:
    from mockserver.core.redact import mask_identity

    found: set[str] = set()
    out = orjson.dumps(_redact(encoded, found=found))
    for text in sorted(found, key=len, reverse=True):
        out = out.replace(orjson.dumps(text)[1:-1], orjson.dumps(mask_identity(text))[1:-1])
    return orjson.loads(out)


def export(agent: "Agent", *, redact: bool = False) -> dict[str, Any]:
    agent.tick()
    state = {k: v for k, v in agent.__dict__.items() if k not in _NOT_CARRIED}
    encoded = _Encoder().encode(state)
    if redact:
        encoded = _redacted(encoded)
    return {"format": FORMAT, "version": VERSION, "sandboxVersion": __version__, "exportedAt": iso(time.time()),
            "agentId": agent.id, "name": agent.name, "seed": agent.seed, "market": agent.market,
            "clock": {"now": agent.now(), "frozen": agent.clock.frozen}, "redacted": redact,
            "counts": {"customers": len(agent.customers), "vehicles": len(agent.vehicles),
                       "properties": len(agent.properties), "cases": len(agent.cases),
                       "proposals": len(agent.proposals), "payments": len(agent.payments),
                       "policies": len(agent.policies)},
            "state": encoded}


# ----------------------------------------------------------------------------- reading
class _Decoder:
    def __init__(self, tree: Any = None) -> None:
        self.objects: dict[int, Any] = {}
        self.raw: dict[int, dict[str, Any]] = {}  # every object by its $id: a $ref may come before it
        stack = [tree]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if isinstance(node.get("$id"), int):
                    self.raw.setdefault(node["$id"], node)
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)

    def decode(self, value: Any, where: str) -> Any:
        if value is None or isinstance(value, (str, bool, int, float)):
            return value
        if isinstance(value, list):
            return [self.decode(v, where) for v in value]
        if not isinstance(value, dict):
            raise SnapshotError(f"{where}: not JSON the sandbox wrote", where)
        known = value.get("$id")
        if isinstance(known, int) and known in self.objects and self.raw.get(known) is value:
            return self.objects[known]  # made already, when a $ref before it asked for it
        if "$ref" in value:
            ref = value["$ref"]
            if isinstance(ref, int) and ref not in self.objects and ref in self.raw:
                return self.decode(self.raw[ref], where)  # defined further on: made now, found later
            found = self.objects.get(ref) if isinstance(ref, int) else None
            if found is None:
                raise SnapshotError(f"{where}: refers to an object the file does not hold", where)
            return found
        if "$tuple" in value:
            return tuple(self.decode(v, where) for v in _list(value["$tuple"], where))
        if "$dict" in value:
            pairs = [_list(p, where) for p in _list(value["$dict"], where)]
            if any(len(p) != 2 for p in pairs):
                raise SnapshotError(f"{where}: a $dict holds [key, value] pairs", where)
            return {_hashable(self.decode(k, where), where): self.decode(v, where) for k, v in pairs}
        if "$set" in value:
            return {_hashable(self.decode(v, where), where) for v in _list(value["$set"], where)}
        if "$bytes" in value:
            return base64.b64decode(str(value["$bytes"]))
        if "$datetime" in value:
            return datetime.fromisoformat(str(value["$datetime"]))
        if "$date" in value:
            return date.fromisoformat(str(value["$date"]))
        if "$float" in value:
            return float(str(value["$float"]))
        if "$wall" in value:
            return wall
        if "$catalog" in value:
            from mockserver.domain.catalog import catalog

            table = {"Product": catalog().products, "Insurer": catalog().by_id}.get(str(value["$catalog"]))
            found = table.get(value.get("id")) if table is not None else None
            if found is None:
                raise SnapshotError(f"{where}: no {value['$catalog']} {value.get('id')!r} in this sandbox's catalogue",
                                    where)
            return found
        if "$deque" in value:
            out: deque[Any] = deque(maxlen=value.get("maxlen") if isinstance(value.get("maxlen"), int) else None)
            self._remember(value, out, where)
            out.extend(self.decode(v, where) for v in _list(value["$deque"], where))
            return out
        if "$random" in value:
            rng = random.Random()
            self._remember(value, rng, where)
            state = self.decode(value["$random"], where)
            try:
                rng.setstate(state)
            except (TypeError, ValueError):
                raise SnapshotError(f"{where}: not a random generator's state", where) from None
            return rng
        if "$type" in value:
            return self._object(value, where)
        return {k: self.decode(v, f"{where}.{k}") for k, v in value.items()}

    def _remember(self, value: dict[str, Any], obj: Any, where: str) -> None:
        ref = value.get("$id")
        if not isinstance(ref, int) or ref in self.objects or self.raw.get(ref) is not value:
            raise SnapshotError(f"{where}: an object without its own $id", where)
        self.objects[ref] = obj

    def _object(self, value: dict[str, Any], where: str) -> Any:
        module, _, name = str(value["$type"]).partition(":")
        if not module.startswith(_MODULES) or not name.isidentifier():
            raise SnapshotError(f"{where}: {value['$type']!r} is not a type of the sandbox's", where)
        try:
            cls = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            raise SnapshotError(f"{where}: {value['$type']!r} is not a type of this sandbox version", where) from None
        if not isinstance(cls, type):
            raise SnapshotError(f"{where}: {value['$type']!r} is not a type", where)
        obj = cls.__new__(cls)
        self._remember(value, obj, where)
        allowed = set(_allowed_fields(cls))
        for key, raw in value.items():
            if key.startswith("$"):
                continue
            if key not in allowed:
                raise SnapshotError(f"{where}.{key}: not a field of {name}", f"{where}.{key}")
            object.__setattr__(obj, key, self.decode(raw, f"{where}.{key}"))
        if dataclasses.is_dataclass(cls):  # fields a snapshot does not write (caches) take their defaults
            for f in dataclasses.fields(cls):
                if f.name not in value:
                    if f.default is not dataclasses.MISSING:
                        object.__setattr__(obj, f.name, f.default)
                    elif f.default_factory is not dataclasses.MISSING:
                        object.__setattr__(obj, f.name, f.default_factory())
                    else:
                        raise SnapshotError(f"{where}.{f.name}: missing", f"{where}.{f.name}")
        return obj


def _allowed_fields(cls: type) -> list[str]:
    if dataclasses.is_dataclass(cls):
        return [f.name for f in dataclasses.fields(cls)]
    slots = [s for c in cls.__mro__ for s in getattr(c, "__slots__", ())]
    if slots:
        return slots
    import inspect

    return [n for n in inspect.signature(cls.__init__).parameters][1:] + list(getattr(cls, "__annotations__", {})) \
        + _instance_names(cls)


def _instance_names(cls: type) -> list[str]:
    """Attribute names a plain class sets in its __init__ (read from its source once)."""
    import inspect
    import re

    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return []
    return sorted(set(re.findall(r"self\.([A-Za-z_]\w*)\s*(?::[^=\n]+)?=", source)))


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise SnapshotError(f"{where}: a list was expected", where)
    return value


def _hashable(value: Any, where: str) -> Any:
    try:
        hash(value)
    except TypeError:
        raise SnapshotError(f"{where}: a key must be a text, a number or a tuple", where) from None
    return value


def shipped() -> dict[str, Path]:
    return {p.name.removesuffix(".json.gz"): p for p in sorted(SHIPPED.glob("*.json.gz"))}


def read_shipped(path: Path) -> dict[str, Any]:
    import gzip

    return orjson.loads(gzip.decompress(path.read_bytes()))


def resolve(given: Any) -> dict[str, Any]:
    """The snapshot itself, or the name of a shipped one."""
    if isinstance(given, str):
        path = shipped().get(given)
        if path is None:
            raise SnapshotError(f"no shipped snapshot {given!r}; the shipped ones: {', '.join(shipped()) or 'none'}")
        return read_shipped(path)
    if not isinstance(given, dict):
        raise SnapshotError("snapshot must be the object GET /__sandbox/agents/{agentId}/snapshot answers, or the "
                            "name of a shipped snapshot")
    return given


def import_into(sandbox: "Sandbox", agent: "Agent", doc: dict[str, Any]) -> "Agent":
    """Fill the freshly made ``agent`` with the snapshot's state (its id and credentials stay its own)."""
    return attach(agent, doc, decoded(doc, agent.id))


def decoded(doc: dict[str, Any], agent_id: str) -> dict[str, Any]:
    """The snapshot's state as objects, its old agent id replaced by ``agent_id``: the costly half of an
    import, which touches no agent (the control plane runs it off the event loop)."""
    if doc.get("format") != FORMAT:
        raise SnapshotError(f"format must be {FORMAT!r}", "snapshot.format")
    if doc.get("version") != VERSION:
        raise SnapshotError(f"version {doc.get('version')!r} is not one this sandbox reads ({VERSION})",
                            "snapshot.version")
    state = doc.get("state")
    clock = doc.get("clock")
    if not isinstance(state, dict) or not isinstance(clock, dict) or not isinstance(clock.get("now"), (int, float)):
        raise SnapshotError("state and clock.now are required", "snapshot.state")
    old = doc.get("agentId")
    if isinstance(old, str) and old:  # the old id inside links and records becomes the new agent's
        state = orjson.loads(orjson.dumps(state).replace(orjson.dumps(old)[1:-1], agent_id.encode()))
    try:
        return _Decoder(state).decode(state, "snapshot.state")
    except SnapshotError:
        raise
    except (ValueError, TypeError, OverflowError) as exc:
        raise SnapshotError(f"snapshot.state: {exc}") from None


def attach(agent: "Agent", doc: dict[str, Any], values: dict[str, Any]) -> "Agent":
    """The decoded state into the freshly made ``agent``: its collections, its clock, its indexes."""
    from mockserver.domain.records import Records

    clock = doc["clock"]

    for key, value in values.items():
        if key in _NOT_CARRIED or key.startswith("__") or not hasattr(agent, key):
            raise SnapshotError(f"{key}: not something an agent holds", f"snapshot.state.{key}")
        held = getattr(agent, key)
        if isinstance(held, Records):  # the agent's own collection takes the records (indexes: below)
            if not isinstance(value, dict):
                raise SnapshotError(f"{key}: must be an object of records by id", f"snapshot.state.{key}")
            held.load(value.items())
        else:
            setattr(agent, key, value)
    for k in ("otp_sessions", "refresh_grants"):
        getattr(agent, k).clear()
    agent.clock.set(datetime.fromtimestamp(float(clock["now"]), UTC))
    if clock.get("frozen"):
        agent.clock.freeze()
    for d in agent.deliveries.values():
        d.in_flight = False
        if not d.webhook_url and d.webhook_id in agent.webhooks:
            d.webhook_url = agent.webhooks[d.webhook_id].url
    _upgrade(agent)
    agent.indexes.rebuild(agent)
    return agent


def _upgrade(agent: "Agent") -> None:
    """Fields the answers gained since a version-1 snapshot may have been written, filled as the
    current code fills them (a proposal keeps its asset as it was quoted)."""
    for p in [*agent.proposals.values(), *agent.policies.values()]:
        vehicle = p.snapshot.get("vehicle")
        if isinstance(vehicle, dict) and "hasPlate" not in vehicle:
            vehicle["hasPlate"] = bool((vehicle.get("plate") or {}).get("code"))
    # coverages in the SDK's words (TrafikCoverage keys, productBranch, HastaneAgi values…)
    for proposal in agent.proposals.values():
        proposal.initial_coverage = coverage.upgraded(proposal.branch, proposal.initial_coverage)
        for pp in proposal.products:
            pp.coverage = coverage.upgraded(proposal.branch, pp.coverage)
    for group in agent.coverage_groups.values():
        group.coverage = coverage.upgraded(group.branch, group.coverage)
