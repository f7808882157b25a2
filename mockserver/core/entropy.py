"""The sandbox's unguessable values (credentials, refresh and login tokens, one-time codes, payment page
keys), drawn from a keyed generator instead of the OS.

Each draw is HMAC-SHA256(key, stream name and counter): as unpredictable as ``secrets`` for anyone
without the key, and reproducible for the sandbox itself, which is what a restart needs (the durable
store replays acknowledged requests and must hand out the same refresh token, page key and code the
client already holds). Without a data directory the key is random per process; with one it is kept
in the directory. Each agent has its own stream, so one agent's traffic never shifts another's values.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid


class Entropy:
    __slots__ = ("_key", "_stream", "counter")

    def __init__(self, key: bytes | None = None, stream: str = "sandbox", counter: int = 0):
        self._key = key or secrets.token_bytes(32)
        self._stream = stream.encode("utf-8")
        self.counter = counter

    def child(self, stream: str) -> "Entropy":
        """An independent stream (one per agent), from the same key."""
        return Entropy(self._key, stream)

    def token_bytes(self, n: int = 32) -> bytes:
        out = b""
        while len(out) < n:
            self.counter += 1
            out += hmac.new(self._key, self._stream + b":" + str(self.counter).encode(), hashlib.sha256).digest()
        return out[:n]

    def token_hex(self, n: int = 32) -> str:
        return self.token_bytes(n).hex()

    def token_urlsafe(self, n: int = 32) -> str:
        return base64.urlsafe_b64encode(self.token_bytes(n)).rstrip(b"=").decode("ascii")

    def randbelow(self, n: int) -> int:
        # rejection sampling over 64-bit draws: no modulo bias
        limit = (1 << 64) - (1 << 64) % n
        while True:
            value = int.from_bytes(self.token_bytes(8), "big")
            if value < limit:
                return value % n

    def uuid4(self) -> str:
        return str(uuid.UUID(bytes=self.token_bytes(16), version=4))

    def __getstate__(self) -> tuple[bytes, bytes, int]:
        return self._key, self._stream, self.counter

    def __setstate__(self, state: tuple[bytes, bytes, int]) -> None:
        self._key, self._stream, self.counter = state
