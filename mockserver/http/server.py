"""Serving the app with uvicorn, hardened against slow and greedy clients.

uvicorn closes idle keep-alive connections, but it starts no timer on a new connection, none while
request headers trickle in, and its ``limit_concurrency`` counts open sockets together with
requests (300 idle sockets would make it answer 503 to everyone). The sandbox's protocol adds:

* a **header deadline**: a connection has ``header_read_timeout`` seconds from opening (or from the
  end of its previous response) to finish sending a request's headers; then it gets a 408 and is
  closed, however slowly bytes keep arriving (one sweep per server, every quarter of the deadline and
  at most every second, finds them: no timer per request);
* a **header size bound**: more than ``max_header_bytes`` before the headers end is a 431;
* a **connection bound**: past ``max_connections`` open sockets a new one gets a 503 and is closed;
* a **write deadline**: when a client stops reading, the kernel's and then the transport's buffers
  fill and writing pauses; a connection whose writing stays paused ``write_timeout`` seconds is
  aborted, so its request ends and no longer counts against ``max_inflight``.

Bodies get a deadline too (``body_read_timeout``, enforced by the edge middleware, which also
bounds the requests in flight with ``max_inflight``). Limits are in :class:`Settings` and the README.
"""

from __future__ import annotations

import asyncio
import contextlib
import resource
import socket
import sys
from typing import TYPE_CHECKING, Any

from mockserver.http.boot import new_trace_id, problem_body

if TYPE_CHECKING:
    import uvicorn

    from mockserver.core.settings import Settings


def _problem(status: int, reason: str, title: str, detail: str, code: str) -> Any:
    """A problem answer written straight to the socket (no request reached the app), with a trace id."""
    def render() -> bytes:
        trace_id = new_trace_id()
        body = problem_body(status, title, detail, code, trace_id)
        return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/problem+json\r\n"
                f"content-length: {len(body)}\r\nx-trace-id: {trace_id}\r\nconnection: close\r\n\r\n").encode() + body

    return render


def protocol_for(settings: "Settings") -> type:
    """uvicorn's HTTP protocol (httptools when installed, else h11) with the deadlines above."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as Base
    except ImportError:  # pragma: no cover - uvicorn[standard] brings httptools
        from uvicorn.protocols.http.h11_impl import H11Protocol as Base

    header_timeout = settings.header_read_timeout
    write_timeout = settings.write_timeout
    max_header = settings.max_header_bytes
    max_connections = settings.max_connections
    timed_out = _problem(408, "Request Timeout", "Request timeout",
                         f"The request headers did not arrive within {header_timeout:g} s.", "REQUEST_HEADER_TIMEOUT")
    too_big = _problem(431, "Request Header Fields Too Large", "Request headers too large",
                       f"The request headers are larger than {max_header} bytes.", "REQUEST_HEADERS_TOO_LARGE")
    busy = _problem(503, "Service Unavailable", "Too many connections",
                    f"The sandbox already holds {max_connections} open connections.", "TOO_MANY_CONNECTIONS")

    # one sweep per server over its connections instead of a timer per request: a request's headers
    # start their clock with a float, and the sweep (every quarter of the deadline, at most a second)
    # answers those that ran out
    sweep_every = min(1.0, header_timeout / 4)
    sweeping: set[int] = set()  # the connection sets (one per server) a sweep is running for

    def sweep(loop: asyncio.AbstractEventLoop, connections: set[Any]) -> None:
        if not connections:
            sweeping.discard(id(connections))  # the next connection starts it again
            return
        now = loop.time()
        for conn in list(connections):
            since = getattr(conn, "_header_since", None)
            if since is not None and now - since >= header_timeout:
                conn._header_deadline()
        loop.call_later(sweep_every, sweep, loop, connections)

    class SandboxHttpProtocol(Base):  # type: ignore[misc, valid-type]
        _header_since: float | None = None  # when the headers being awaited started their clock
        _write_timer: asyncio.TimerHandle | None = None
        _header_bytes = 0

        def pause_writing(self) -> None:
            super().pause_writing()
            if self._write_timer is None:
                self._write_timer = self.loop.call_later(write_timeout, self._write_deadline)

        def resume_writing(self) -> None:
            super().resume_writing()
            if self._write_timer is not None:
                self._write_timer.cancel()
                self._write_timer = None

        def _write_deadline(self) -> None:
            self._write_timer = None
            if self.transport.is_closing():
                return
            # the client has not read for write_timeout s: cut it. The answer being written and the
            # requests it pipelined behind it are dropped now (connection_lost only runs next turn)
            if self.cycle is not None and not self.cycle.response_complete:
                self.cycle.disconnected = True
                self.cycle.message_event.set()
            pipeline = getattr(self, "pipeline", None)  # httptools' protocol queues pipelined requests
            if pipeline:
                for cycle, _app in pipeline:
                    cycle.disconnected = True
                pipeline.clear()
            self.flow.resume_writing()
            self.transport.abort()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > max_connections:
                self.connections.discard(self)
                transport.write(busy())
                transport.close()
                return
            self._arm()
            if id(self.connections) not in sweeping:
                sweeping.add(id(self.connections))
                self.loop.call_later(sweep_every, sweep, self.loop, self.connections)

        def _arm(self) -> None:
            self._header_bytes = 0
            self._header_since = self.loop.time()

        def _disarm(self) -> None:
            self._header_since = None

        def _between_requests(self) -> bool:
            return self.cycle is None or self.cycle.response_complete

        def _header_deadline(self) -> None:
            self._header_since = None
            if not self.transport.is_closing() and self._between_requests():
                self.transport.write(timed_out())
                self.transport.close()

        def data_received(self, data: bytes) -> None:
            waiting = self._header_since is not None
            if waiting:
                self._header_bytes += len(data)
            super().data_received(data)
            if not waiting:
                return
            if not self._between_requests():
                self._disarm()  # headers complete (whatever of the body came along): the body has its own deadline
            elif self._header_bytes > max_header and not self.transport.is_closing():
                self._disarm()
                self.transport.write(too_big())
                self.transport.close()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self._between_requests():
                self._arm()  # the next request's headers start their own clock

        def handle_websocket_upgrade(self, *args: Any) -> None:
            self._disarm()
            super().handle_websocket_upgrade(*args)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            if self._write_timer is not None:
                self._write_timer.cancel()
                self._write_timer = None
            super().connection_lost(exc)

    return SandboxHttpProtocol


def raise_open_files_limit(wanted: int) -> None:
    """Let the process hold ``wanted`` sockets if the hard limit allows (CI defaults to 1024)."""
    with contextlib.suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        target = min(max(soft, wanted + 64), hard if hard != resource.RLIM_INFINITY else wanted + 64)
        if target > soft:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def configure(config: "uvicorn.Config", settings: "Settings") -> "uvicorn.Config":
    config.http = protocol_for(settings)
    config.timeout_keep_alive = int(settings.keep_alive_timeout)
    config.timeout_graceful_shutdown = int(settings.shutdown_timeout)
    config.h11_max_incomplete_event_size = settings.max_header_bytes
    return config


def bind(host: str, port: int) -> "socket.socket":
    """The listening socket, bound before anything is printed; OSError (e.g. EADDRINUSE) when it cannot be."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def server(config: "uvicorn.Config", settings: "Settings") -> "uvicorn.Server":
    """The uvicorn server with the protocol above (``run(sockets=[sock])`` serves)."""
    import uvicorn

    raise_open_files_limit(settings.max_connections)
    # a PDF renders in the thread pool, and at start the app loads in a thread (mockserver.http.boot);
    # a shorter switch interval hands the GIL back to the event loop more often meanwhile (the loop's
    # longest stall during a 38-product comparison PDF, measured by bench/bench_attacks.py: ~70 ms at
    # the default 5 ms interval, under 5 ms at 1 ms)
    sys.setswitchinterval(0.001)
    return uvicorn.Server(configure(config, settings))
