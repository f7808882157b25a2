"""The sandbox's state on disk (``serve --data-dir DIR``): an append-only log of what it was told, and
snapshots.

The choice (DESIGN notes, "Durable state"): the domain is plain Python objects, so instead of mapping
every object to tables the store keeps the *commands*, like Redis' append-only file:

* every request that changed something (any POST, PUT, PATCH or DELETE; a GET only when it moved the
  agent's random streams or queues) is written to SQLite (WAL, ``synchronous=FULL``) before its answer
  leaves: a writer thread commits in groups, and the answer waits for its group. A ``kill -9`` after the
  answer cannot lose the write.
* what the outside world decided is written too: each webhook attempt's result, and the journal lines.
* a restart loads the newest snapshot and replays the log after it through the same handlers, with
  the same wall-clock instant each request had, the same principal its token resolved to, and the
  same keyed entropy (``mockserver.core.entropy``), so replay rebuilds the very state (ids, tokens the
  client holds, payment page keys, one-time codes, clocks).
* snapshots are taken in a forked child (copy-on-write, the server does not pause) every
  ``snapshot_every`` records and at a clean shutdown; they make restarts fast, the log stays the truth.

Never on disk: card numbers and CVCs (a card becomes a stand-in with the same first six and last four
digits and the same outcome), bearer tokens (the principal they resolved to is kept instead). The data
directory is the sandbox's database: it holds what the API holds (customers' identity numbers, agents'
credentials), so it is for the machine that runs the sandbox.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import hashlib
import logging
import os
import pickle
import queue
import re
import sqlite3
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

import orjson

from mockserver import __version__

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Sandbox

log = logging.getLogger("insurup_sandbox.store")

FORMAT = 1  # the data directory's layout; a directory of another format is refused, never misread
_PROBE_BYTES = 64 * 1024  # a probe writes (and removes) as much as a large request's record
SNAPSHOT_FORMAT = 1
_DB = "sandbox.db"


@functools.cache
def code_mark() -> str:
    """What the classes a snapshot pickles look like: a snapshot of other code is not loaded (the log
    is replayed instead), even when the version number did not change."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for folder in ("domain", "core", "security"):
        for path in sorted((root / folder).glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class StoreError(Exception):
    """A data directory this sandbox cannot use (another format, other settings, unreadable)."""


# ----------------------------------------------------------------------------- card stand-ins
_CARD_KEYS = frozenset({"number", "cardnumber", "pan", "card_number"})
_CVC_KEYS = frozenset({"cvc", "cvv", "cvv2", "cvc2", "securitycode", "cardsecuritycode"})


def _luhn_digit(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def stand_in(digits: str) -> str:
    """A number with the card's first six and last four digits that passes Luhn, and is no magic
    card (their outcomes are public and are kept as they are)."""
    from mockserver.magic import CARD_OUTCOMES
    from mockserver.core.redact import luhn_ok

    if digits in CARD_OUTCOMES or not luhn_ok(digits):
        return digits
    head, tail = digits[:6], digits[-4:]
    middle = len(digits) - 10
    for filler in range(10):
        body = head + str(filler) * (middle - 1) if middle > 0 else head
        for last_mid in range(10):
            candidate = (body + str(last_mid) + tail) if middle > 0 else head + tail
            if luhn_ok(candidate) and candidate not in CARD_OUTCOMES:
                return candidate
    return head + "0" * middle + tail


def scrub_cards(value: Any, key: str = "") -> Any:
    """``value`` with every card number replaced by its stand-in and every CVC by zeros of its length."""
    if isinstance(value, dict):
        return {k: scrub_cards(v, str(k).lower()) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_cards(v) for v in value]
    if key in _CVC_KEYS and isinstance(value, (str, int)) and not isinstance(value, bool):
        return "0" * len(str(value))
    if key.replace("-", "").replace("_", "") in _CARD_KEYS or isinstance(value, str):
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            text = str(value)
            digits = re.sub(r"[ -]", "", text)
            if digits.isdigit() and digits.isascii() and 13 <= len(digits) <= 19:
                return stand_in(digits)
    return value


def _holds_card(raw: bytes) -> bool:
    """Whether ``raw`` has a run of 13 to 19 digits that passes Luhn (a card number could be in it)."""
    from mockserver.core.redact import luhn_ok

    for m in re.finditer(rb"\d{13,}", raw):
        run = m.group().decode()
        if any(luhn_ok(run[i:i + n]) for n in range(13, min(19, len(run)) + 1) for i in range(len(run) - n + 1)):
            return True
    return False


def scrub_body(raw: bytes, content_type: str) -> bytes:
    """The request body as the log keeps it: card numbers out of JSON and form bodies; any other body
    (an upload) kept whole unless a card number could be in it, then dropped (replay then refuses it)."""
    ctype = content_type.split(";")[0].strip().lower()
    if not raw:
        return raw
    try:
        if ctype == "application/x-www-form-urlencoded":
            pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
            return urlencode([(k, scrub_cards({k: v})[k]) for k, v in pairs]).encode()
        data = orjson.loads(raw)
    except (ValueError, UnicodeDecodeError):
        from python_multipart.multipart import parse_options_header  # (starlette's form parser)

        scanned = raw
        boundary = parse_options_header(content_type)[1].get(b"boundary") if ctype.startswith("multipart/") else None
        if boundary:  # the parts' delimiter is framing the client's library chose (random hex), not data
            scanned = raw.replace(b"--" + boundary, b"\n")
        return b"" if _holds_card(scanned) else raw
    return orjson.dumps(scrub_cards(data))



# ----------------------------------------------------------------------------- what replay needs
def principal_record(principal: Any) -> Any:
    if principal is None or isinstance(principal, str):
        return principal
    return asdict(principal)


def fingerprint(agent: "Agent") -> tuple[Any, ...]:
    """What moves when a request changes an agent's state beyond what its clock does by itself."""
    return (agent.rng.getstate(), agent.entropy.counter, agent._due_seq, agent.events.seq, len(agent.sms),
            len(agent.outbox), agent.generation, agent.clock.snapshot().get("offsetSeconds"), agent.clock.frozen,
            len(agent.payments), len(agent.proposals), len(agent.cases), len(agent.customers))


# ----------------------------------------------------------------------------- the store
class Store:
    def __init__(self, directory: Path, *, snapshot_every: int = 5000, fingerprint_of: dict[str, Any] | None = None):
        self.dir = Path(directory)
        self.snapshot_every = snapshot_every
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.dir}: cannot create the data directory ({exc.strerror})") from None
        if not os.access(self.dir, os.W_OK):
            raise StoreError(f"{self.dir}: the data directory is not writable")
        try:
            self._db = sqlite3.connect(self.dir / _DB, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB)")
            self._db.execute("CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, agent TEXT, kind TEXT, "
                             "data BLOB)")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.dir / _DB}: not a sandbox data file ({exc})") from None
        meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if not meta:
            self._meta("format", str(FORMAT))
            self._meta("created_by", __version__)
            self._meta("created_at", str(time.time()))
            meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        fmt = meta.get("format")
        if fmt != str(FORMAT):
            raise StoreError(f"{self.dir}: data directory format {fmt!r}, this sandbox ({__version__}) reads format "
                             f"{FORMAT}; start it with another --data-dir (or the version that wrote this one)")
        for key, value in (fingerprint_of or {}).items():
            known = meta.get(f"setting:{key}")
            if known is None:
                self._meta(f"setting:{key}", str(value))
            elif known != str(value):
                raise StoreError(f"{self.dir} was made with {key} = {known}, not {value}: start with the same "
                                 f"{key} or another --data-dir")
        self.meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        self.seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM log").fetchone()[0]
        self.snapshot_seq = 0
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._write, daemon=True, name="insurup-sandbox-store")
        self._thread.start()
        self._child: int | None = None
        self._child_seq = 0
        self.replaying = False
        self.closed = False
        self.stats = {"records": 0, "commits": 0, "refused": 0, "rebuilds": 0}
        # a refused write: every record queued after it ran on top of it, so none is written until
        # the state in memory is rebuilt from the directory (``recover``)
        self.broken: Exception | None = None
        self.recovering: asyncio.Task | None = None
        self.refusing = False  # the last write was refused: probe the directory before serving again

    # -- meta -----------------------------------------------------------------------------------
    def _meta(self, key: str, value: Any) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def secret(self, key: str, make) -> bytes:
        """A value kept in the directory (the signing key, the entropy key), made once."""
        known = self.meta.get(key)
        if known is None:
            known = make()
            self._meta(key, known)
            self.meta[key] = known
        return known

    # -- writing -----------------------------------------------------------------------------------
    def append(self, kind: str, agent: str | None, data: Any, *, durable: bool) -> asyncio.Future | None:
        """Queue a record; with ``durable`` the returned future resolves once it is on disk."""
        self.seq += 1
        future = None
        if durable:
            loop = asyncio.get_running_loop()
            future = loop.create_future()
            self._queue.put((self.seq, agent, kind, data, future, loop))
        else:
            self._queue.put((self.seq, agent, kind, data, None, None))
        return future

    def _write(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            batch = [item]
            with contextlib.suppress(queue.Empty):
                while len(batch) < 1000:
                    nxt = self._queue.get_nowait()
                    if nxt is None:
                        self._queue.put(None)
                        break
                    batch.append(nxt)
            probes = [b for b in batch if b[2] == "probe"]
            batch = [b for b in batch if b[2] != "probe"]
            error = self.broken
            if error is None and batch:
                rows = []
                for seq, agent, kind, data, _f, _l in batch:
                    try:
                        rows.append((seq, agent, kind, _encode(kind, data)))
                    except Exception:  # noqa: BLE001 - one unwritable record must not stop the writer
                        log.exception("record %s (%s) could not be encoded", seq, kind)
                error = self._commit("INSERT OR REPLACE INTO log (seq, agent, kind, data) VALUES (?, ?, ?, ?)", rows)
                if error is None:
                    self.stats["records"] += len(rows)
                    self.stats["commits"] += 1
                elif any(kind in ("request", "attempt") for _s, _a, kind, _d, _f, _l in batch):
                    # a full disk: state was refused, so nothing after it is written until memory
                    # matches the directory again (journal lines alone are not state: they are dropped)
                    self.broken = error
                    log.error("the data directory refused a write: %s; the state will be rebuilt from it", error)
                else:
                    log.warning("the data directory refused %d journal lines: %s", len(batch), error)
            if error is not None:
                self.stats["refused"] += len(batch)
            for _s, _a, _k, _d, future, loop in batch:
                if future is not None:
                    loop.call_soon_threadsafe(_settle, future, error)
            for _s, _a, _k, _d, future, loop in probes:  # can the directory take a request's record now?
                error = self._commit("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                     [("probe", os.urandom(_PROBE_BYTES))])
                if error is None:
                    self._commit("DELETE FROM meta WHERE key = ?", [("probe",)])
                loop.call_soon_threadsafe(_settle, future, error)

    def _commit(self, sql: str, rows: list[tuple[Any, ...]]) -> Exception | None:
        try:
            self._db.execute("BEGIN")
            self._db.executemany(sql, rows)
            self._db.execute("COMMIT")
            return None
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            return exc

    async def writable(self) -> bool:
        """Whether the directory takes a write now (a small one, through the writer)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._queue.put((0, None, "probe", None, future, loop))
        try:
            await future
        except Exception:  # noqa: BLE001 - still full
            return False
        return True

    async def recover(self, app: Any, sandbox: "Sandbox") -> None:
        """After a refused write: drain the writer, then rebuild the state in memory from the directory
        (its initial state, the newest snapshot, the log), so no refused change is served and no id
        made after it depends on it. Requests wait meanwhile (503, ``Retry-After``)."""
        if self.recovering is None:
            self.recovering = asyncio.ensure_future(self._rebuild(app, sandbox))
        task = self.recovering
        await asyncio.shield(task)

    async def _rebuild(self, app: Any, sandbox: "Sandbox") -> None:
        try:
            await self.writable()  # every record queued before this one has been settled
            fresh = self._initial(sandbox)
            install(sandbox, _state_of(fresh, 0))
            self.snapshot_seq = 0
            counts = await restore(app, sandbox, self)
            self.stats["rebuilds"] += 1
            log.warning("the state was rebuilt from %s after a refused write: %s", self.dir, counts)
        finally:
            self.broken = None
            self.recovering = None
            self.refusing = True

    def _initial(self, sandbox: "Sandbox") -> "Sandbox":
        """The sandbox as it was when the directory was made (the same settings, keys and instant)."""
        from mockserver.core.clock import WALL

        moment = WALL.set(float(self.meta["created_at"]))
        try:
            return sandbox.fresh(entropy_key=self.meta["entropy_key"])
        finally:
            WALL.reset(moment)

    # -- reading -------------------------------------------------------------------------------------
    def records(self, after: int = 0):
        cursor = self._db.execute("SELECT seq, agent, kind, data FROM log WHERE seq > ? ORDER BY seq", (after,))
        for seq, agent, kind, data in cursor:
            yield seq, agent, kind, orjson.loads(data)

    def agent_records(self, agent_id: str):
        cursor = self._db.execute("SELECT seq, kind, data FROM log WHERE agent = ? ORDER BY seq", (agent_id,))
        for seq, kind, data in cursor:
            yield seq, kind, orjson.loads(data)

    # -- snapshots -------------------------------------------------------------------------------------
    def _snapshot_path(self, seq: int) -> Path:
        return self.dir / f"snapshot-{seq:012d}.pickle"

    def snapshots(self) -> list[tuple[int, Path]]:
        found = []
        for p in self.dir.glob("snapshot-*.pickle"):
            with contextlib.suppress(ValueError):
                found.append((int(p.stem.split("-", 1)[1]), p))
        return sorted(found)

    def write_snapshot(self, sandbox: "Sandbox", seq: int) -> Path:
        path = self._snapshot_path(seq)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            pickle.dump(_state_of(sandbox, seq), f, protocol=pickle.HIGHEST_PROTOCOL)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        with contextlib.suppress(OSError):
            fd = os.open(self.dir, os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
        return path

    def maybe_snapshot(self, sandbox: "Sandbox") -> None:
        """Every ``snapshot_every`` records: a forked child writes the snapshot while the server goes on."""
        if self._child is not None:
            pid, status = os.waitpid(self._child, os.WNOHANG)
            if pid == 0:
                return
            self._child = None
            if os.waitstatus_to_exitcode(status) == 0:
                self.snapshot_seq = self._child_seq
                self._prune()
            else:
                log.warning("a snapshot child failed (status %s); the log still holds everything", status)
        if self.seq - self.snapshot_seq < self.snapshot_every or not hasattr(os, "fork"):
            return
        seq = self.seq
        pid = os.fork()
        if pid == 0:  # the child: write, and leave without running anything of the parent's
            code = 1
            try:
                self.write_snapshot(sandbox, seq)
                code = 0
            finally:
                os._exit(code)
        self._child, self._child_seq = pid, seq

    def _prune(self) -> None:
        for seq, path in self.snapshots()[:-2]:  # keep the two newest
            with contextlib.suppress(OSError):
                path.unlink()

    def load_snapshot(self) -> dict[str, Any] | None:
        for seq, path in reversed(self.snapshots()):
            try:
                with open(path, "rb") as f:
                    state = pickle.load(f)  # noqa: S301 - the sandbox's own file in its own data directory
            except Exception as exc:  # noqa: BLE001 - a torn or foreign file: try the one before
                log.warning("snapshot %s is unreadable (%s); trying an older one", path.name, exc)
                continue
            if state.get("format") != SNAPSHOT_FORMAT or state.get("version") != __version__ \
                    or state.get("code") != code_mark():
                log.warning("snapshot %s was written by other code (%s); rebuilding from the log instead",
                            path.name, state.get("version"))
                return None
            return state
        return None

    # -- closing ------------------------------------------------------------------------------------
    def close(self, sandbox: "Sandbox | None" = None) -> None:
        if self.closed:
            return
        self.closed = True
        if self._child is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._child, 0)
            self._child = None
        self._queue.put(None)
        self._thread.join(30)
        if sandbox is not None and self.seq > self.snapshot_seq:
            try:
                self.write_snapshot(sandbox, self.seq)
                self._prune()
            except Exception:  # noqa: BLE001 - the log holds everything anyway
                log.exception("the shutdown snapshot was not written")
        self._db.close()


def _settle(future: asyncio.Future, error: Exception | None) -> None:
    if future.done():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)


def _encode(kind: str, data: Any) -> bytes:
    if kind == "journal":
        from mockserver.core.journal import LazyBody

        body = data.get("responseBody")
        if isinstance(body, LazyBody):
            data = {**data, "responseBody": body.render()}
    return orjson.dumps(data, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    raise TypeError(type(value).__name__)


# ----------------------------------------------------------------------------- state in and out
def _state_of(sandbox: "Sandbox", seq: int) -> dict[str, Any]:
    from mockserver.core.journal import LazyBody

    for agent in sandbox.agents.values():  # the journal's answers, redacted, as the API would show them
        for i, entry in enumerate(agent.journal):
            if isinstance(entry.get("responseBody"), LazyBody):
                agent.journal[i] = {**entry, "responseBody": entry["responseBody"].render()}
    return {"format": SNAPSHOT_FORMAT, "version": __version__, "code": code_mark(), "seq": seq, "agents": sandbox.agents,
            "default_agent": sandbox.default_agent.id, "client_index": sandbox._client_index,
            "email_index": sandbox._email_index, "grant_index": sandbox.grant_index,
            "unattributed": sandbox.unattributed, "journal": list(sandbox.journal), "entropy": sandbox.entropy,
            "secret": sandbox.secret, "admin_token": sandbox.admin_token,
            "oauth": (sandbox.oauth_clients, sandbox.oauth_codes, sandbox.oauth_par, sandbox.oauth_consents),
            "setup_requests": sandbox.setup_requests}


def install(sandbox: "Sandbox", state: dict[str, Any]) -> None:
    sandbox.agents = state["agents"]
    for agent in sandbox.agents.values():
        agent.sandbox = sandbox
        for d in agent.deliveries.values():
            d.in_flight = False  # a delivery being sent when the process stopped is sent again
    sandbox.default_agent = sandbox.agents[state["default_agent"]]
    sandbox._client_index = state["client_index"]
    sandbox._email_index = state["email_index"]
    sandbox.grant_index = state["grant_index"]
    sandbox.unattributed = state["unattributed"]
    sandbox.journal.clear()
    sandbox.journal.extend(state["journal"])
    sandbox.entropy = state["entropy"]
    sandbox.secret = state["secret"]
    sandbox.admin_token = state["admin_token"]
    sandbox.oauth_clients, sandbox.oauth_codes, sandbox.oauth_par, sandbox.oauth_consents = state["oauth"]
    sandbox.setup_requests = state["setup_requests"]


async def restore(app: Any, sandbox: "Sandbox", store: Store) -> dict[str, int]:
    """The newest snapshot, then every record after it through the handlers: the state as it was."""
    started = time.perf_counter()
    state = store.load_snapshot()
    after = 0
    if state is not None:
        install(sandbox, state)
        after = store.snapshot_seq = state["seq"]
    counts = {"requests": 0, "attempts": 0, "journal": 0, "mismatches": 0}
    store.replaying = True
    try:
        for seq, agent_id, kind, data in store.records(after):
            if kind == "request":
                status = await _replay(app, data)
                counts["requests"] += 1
                if status != data.get("status"):
                    counts["mismatches"] += 1
                    log.warning("replay of record %s (%s %s) answered %s, not %s", seq, data["method"],
                                data["path"], status, data.get("status"))
            elif kind == "attempt":
                _apply_attempt(sandbox, agent_id, data)
                counts["attempts"] += 1
            elif kind == "journal":
                target = sandbox.agents.get(agent_id) if agent_id else None
                (target.journal if target is not None else sandbox.journal).append(data)
                counts["journal"] += 1
            if seq % 2000 == 0:
                await asyncio.sleep(0)
    finally:
        store.replaying = False
    store.snapshot_seq = max(store.snapshot_seq, after)
    counts["seconds_ms"] = int((time.perf_counter() - started) * 1000)
    return counts


def _apply_attempt(sandbox: "Sandbox", agent_id: str | None, data: dict[str, Any]) -> None:
    from mockserver.domain import webhooks

    agent = sandbox.agents.get(agent_id or "")
    delivery = agent.deliveries.get(data["delivery"]) if agent is not None else None
    if delivery is None:
        return
    webhooks.record(agent, delivery, at=data["at"], status_code=data["status"], duration_ms=data["ms"],
                    error=data["error"], response=data.get("response"))


async def _replay(app: Any, data: dict[str, Any]) -> int:
    body = base64.b64decode(data["body"]) if data.get("body") else b""
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in data["headers"]]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": data["method"],
             "scheme": data.get("scheme", "http"), "path": data["path"], "raw_path": data["path"].encode(),
             "root_path": "", "query_string": data.get("query", "").encode("latin-1"), "headers": headers,
             "client": ("127.0.0.1", 0), "server": None, "app": app, "sandbox.replay": data,
             "sandbox.trace_id": "replay"}
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    status = 0

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    try:
        await app.router(scope, receive, send)
    except Exception:  # noqa: BLE001 - a 404 or 405 while routing, or a handler bug: counted as a mismatch
        log.exception("replay of %s %s failed", data["method"], data["path"])
        return -1
    return status
