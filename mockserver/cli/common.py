"""What the commands share: the console, the --target option and how a control-plane call's problem is told."""

from __future__ import annotations

import json
import os
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console



console = Console(stderr=True, soft_wrap=True)  # a message is one line, whatever the width (logs, grep)


class LogLevel(str, Enum):
    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"
    debug = "debug"
    trace = "trace"


def base_url(value):
    """A --target as a base URL: ``127.0.0.1:8080`` means ``http://127.0.0.1:8080``; anything that is
    not an http(s) URL with a host is refused naming the option (never a traceback)."""
    from urllib.parse import urlsplit

    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [base_url(v) for v in value]
    text = str(value).strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises on a port that is not a number in range)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise typer.BadParameter(f"{value!r} is not an http:// or https:// URL with a host")
    return text.rstrip("/")


Target = Annotated[str, typer.Option(help="The running sandbox", envvar="INSURUP_SANDBOX_URL", callback=base_url)]


def control(target: str, method: str, path: str, **kw):
    import httpx

    headers = {}
    token = os.environ.get("INSURUP_SANDBOX_TOKEN") or os.environ.get("INSURUP_SANDBOX_ADMIN_TOKEN")
    if token:
        headers["X-Sandbox-Token"] = token
    try:
        r = httpx.request(method, target.rstrip("/") + path, headers=headers, timeout=30, **kw)
    except httpx.ConnectError:
        console.print(f"error: {target}: connection refused (start it with `insurup-sandbox serve`)", markup=False)
        raise typer.Exit(2) from None
    if r.status_code >= 400:
        console.print(f"error: {method} {path}: {r.status_code} {problem_text(r)}", markup=False)
        if r.status_code in (401, 403) and not token:
            console.print("hint: this sandbox's control plane is closed: set INSURUP_SANDBOX_TOKEN to the admin token "
                          "its banner printed (or an agent's controlToken)", markup=False)
        raise typer.Exit(2)
    return r.json() if r.content else None


def problem_text(r) -> str:
    """A problem body as one line: its detail and each field it names."""
    try:
        body = r.json()
    except ValueError:
        return r.text[:300]
    if not isinstance(body, dict):
        return r.text[:300]
    fields = "; ".join(f"{e.get('propertyName')}: {e.get('errorMessage')}" for e in body.get("validationErrors") or [])
    return " ".join(x for x in (body.get("detail") or body.get("title") or "", fields) if x)[:600]


def read_file(option: str, path: Path, kind: str = "json") -> Any:
    """A file an option names, parsed; a clear error naming the option otherwise (never a traceback)."""
    import yaml

    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        console.print(f"error: {option} {path}: no such file", markup=False)
        raise typer.Exit(2) from None
    except (OSError, UnicodeDecodeError) as exc:
        console.print(f"error: {option} {path}: cannot be read ({getattr(exc, 'strerror', None) or exc})",
                      markup=False)
        raise typer.Exit(2) from None
    try:
        return json.loads(text) if kind == "json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        console.print(f"error: {option} {path}: not valid {kind.upper()} ({str(exc).splitlines()[0]})", markup=False)
        raise typer.Exit(2) from None


JsonOut = Annotated[bool, typer.Option("--json", help="Print the answer as JSON")]


def table(columns: list[str], rows: list[list[str]], title: str | None = None, *, whole: tuple[str, ...] = ()) -> None:
    """A table on the terminal; the ``whole`` columns (ids a reader copies) are never cut or wrapped:
    the other columns give way, and fold when the terminal is too narrow for them."""
    from rich.table import Column, Table

    cols = [Column(c, no_wrap=True, min_width=max([len(c), *(len(r[i]) for r in rows)]), overflow="ignore")
            if c in whole else Column(c, overflow="fold") for i, c in enumerate(columns)]
    table = Table(*cols, title=title, header_style="bold", show_lines=False)
    for row in rows:
        table.add_row(*row)
    Console().print(table)
