"""A real ``insurup-sandbox serve`` process on a free loopback port, for tests that need real HTTP
from another program (a browser, Node.js, the CLI)."""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(*args: str, env: dict[str, str] | None = None,
          ca: Path | None = None) -> Iterator[tuple[str, float, subprocess.Popen]]:
    """Start the server (``env``: settings for it only; ``ca``: it serves HTTPS, trust this CA);
    yields (base URL, seconds until ready, process) and stops it after."""
    port = free_port()
    exe = Path(sys.executable).with_name("insurup-sandbox")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "mockserver.cli"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd + ["serve", "--host", "127.0.0.1", "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "COLUMNS": "200", **(env or {})})
    base = f"{'https' if ca else 'http'}://127.0.0.1:{port}"
    healthy_after = None
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                verify = ssl.create_default_context(cafile=str(ca)) if ca and ca.exists() else True
                health = httpx.get(base + "/__sandbox/health", timeout=0.5, verify=verify)
                # "starting": the port is open while the app loads; "ok": ready, its banner printed
                if health.status_code == 200 and health.json()["status"] == "ok":
                    healthy_after = time.perf_counter() - started
                    break
                time.sleep(0.01)
            except httpx.HTTPError:
                time.sleep(0.02)
        assert healthy_after is not None, proc.stderr.read() if proc.poll() is not None else "no answer"
        yield base, healthy_after, proc
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
