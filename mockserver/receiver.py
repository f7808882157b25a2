"""A real webhook receiver for tests and scenarios: an HTTP server on 127.0.0.1 (a thread) that answers the first
``fail_first`` requests with 500 (or sleeps ``delay`` seconds first) and keeps every request's raw
body and headers, so signatures are checked on exactly the bytes that arrived."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from typing import Any


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the sandbox sends a flush's deliveries concurrently


class _SmallServer(HTTPServer):
    """One request at a time with a tiny accept queue: what a small receiver looks like."""

    request_queue_size = 4


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)

    def signature_ok(self, secret: str) -> bool:
        expected = hmac.new(secret.encode(), self.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(self.headers.get("x-webhook-signature", ""), expected)


@dataclass
class Receiver:
    fail_first: int = 0
    delay: float = 0.0
    small: bool = False  # a single-threaded server with an accept queue of 4
    requests: list[Received] = field(default_factory=list)
    most_at_once: int = 0  # the most requests it was handling at the same time

    def __post_init__(self) -> None:
        owner = self
        lock = threading.Lock()
        busy = [0]

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                with lock:
                    busy[0] += 1
                    owner.most_at_once = max(owner.most_at_once, busy[0])
                try:
                    body = self.rfile.read(int(self.headers.get("content-length") or 0))
                    if owner.delay:
                        time.sleep(owner.delay)
                    status = 500 if len(owner.requests) < owner.fail_first else 200
                    owner.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()},
                                                   body, status))
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                finally:
                    with lock:
                        busy[0] -= 1

            def log_message(self, *args: Any) -> None:
                pass

        self.server = (_SmallServer if self.small else _Server)(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.requests

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
