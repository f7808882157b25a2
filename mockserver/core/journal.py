"""What an agent's journal keeps of a request's bodies: redacted, a body cut at ``JOURNAL_BODY`` bytes,
an answer kept as bytes (``LazyBody``) until someone reads the journal."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import orjson

from mockserver.core import jsonbody
from mockserver.core.redact import mask_html, redact

JOURNAL_BODY = 8192  # bytes of a body the journal keeps


def journal_body(raw: bytes, content_type: str) -> Any:
    """A body as the journal keeps it: parsed JSON or form fields, or text, redacted."""
    if not raw:
        return None
    if "json" in content_type or raw[:1] in (b"{", b"["):
        try:
            return redact(jsonbody.loads(raw))
        except jsonbody.TooDeep as exc:
            return f"(not kept: {exc})"
        except orjson.JSONDecodeError:
            pass
    if "x-www-form-urlencoded" in content_type:
        return redact(dict(parse_qsl(raw.decode("utf-8", "replace"))))
    text = raw[:JOURNAL_BODY].decode("utf-8", "replace") + ("…" if len(raw) > JOURNAL_BODY else "")
    return mask_html(text) if "html" in content_type else redact(text)


class LazyBody:
    """A response body kept as bytes until someone reads the journal."""

    __slots__ = ("raw", "content_type")

    def __init__(self, raw: bytes, content_type: str):
        self.raw = raw[:JOURNAL_BODY]
        self.content_type = content_type

    def render(self) -> Any:
        return journal_body(self.raw, self.content_type)
