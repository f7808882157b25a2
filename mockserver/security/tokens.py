"""RS256 JWTs as the real auth server issues them, verifiable against the JWKS we publish.

Expiry is judged on the issuing agent's virtual clock, not the wall clock, so a test can advance
an agent ten minutes and see its tokens die. The registered claims (``iat``, ``nbf``, ``exp``) are
kept acceptable to wall-clock JWT libraries whatever the agent's clock says; the agent-clock
instants travel as ``clock_iat`` and ``clock_exp``, which the sandbox checks itself. Verified tokens are cached (bounded) because RSA verification is
the most expensive step of an authenticated read.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import rsa

CUSTOMER = "customer"
AGENT_USER = "agent-user"
SERVICE_ACCOUNT = "service-account"


def _b64u(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a verified token speaks for."""

    kind: str  # customer | agent-user | service-account
    subject: str  # customer id, agent-user id or service-account id
    agent_id: str
    generation: int
    expires_at: float
    scope: str
    token_id: str
    client_id: str | None = None  # the OAuth client it was issued to (RFC 9068's client_id claim), if any


class TokenAuthority:
    def __init__(self, key: "rsa.RSAPrivateKey | None" = None, cache_size: int = 4096):
        # 2048-bit like the real server; generated per process (tokens do not survive a restart,
        # and neither does the in-memory store they point into), when the first token is signed or
        # checked: tens of milliseconds the start-up does not wait for
        self._given = key
        self._cache: OrderedDict[str, Principal] = OrderedDict()
        self._cache_size = cache_size

    @cached_property
    def _key(self) -> "rsa.RSAPrivateKey":
        if self._given is not None:
            return self._given
        from cryptography.hazmat.primitives.asymmetric import rsa

        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @cached_property
    def _public(self) -> "rsa.RSAPublicKey":
        return self._key.public_key()

    @cached_property
    def kid(self) -> str:
        from cryptography.hazmat.primitives import serialization

        der = self._public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        return hashlib.sha256(der).hexdigest()[:16]

    @cached_property
    def jwk(self) -> dict[str, str]:
        numbers = self._public.public_numbers()
        return {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid, "n": _b64u(numbers.n),
                "e": _b64u(numbers.e)}

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.jwk]}

    def issue(self, *, issuer: str, kind: str, subject: str, agent_id: str, generation: int, issued_at: float,
              ttl: int, token_id: str, scope: str = "core-api", extra: dict[str, Any] | None = None) -> str:
        # iat/nbf/exp are on the wall clock, for JWT libraries (PyJWT, jose, the SDK's OAuth client):
        # issued now, valid for ``ttl``, whatever the agent's clock says. The sandbox judges expiry
        # on the agent's clock, from ``clock_exp`` (FIDELITY.md, "Tokens and the agent's clock").
        wall = int(time.time())
        claims: dict[str, Any] = {
            "iss": issuer, "sub": subject, "aud": "core-api", "iat": wall, "nbf": wall, "exp": wall + ttl,
            "clock_iat": int(issued_at), "clock_exp": int(issued_at + ttl), "jti": token_id, "scope": scope,
            "agent_id": agent_id, "principal_type": kind, "gen": generation,
        }
        if extra:
            claims.update(extra)
        import jwt  # (PyJWT and cryptography load with the first token, not before the port opens)

        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid})

    def sign(self, claims: dict[str, Any]) -> str:
        """Any JWT of the sandbox's (an ID token), with its key."""
        import jwt

        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid})

    def claims(self, token: str) -> dict[str, Any] | None:
        """The claims of any JWT this sandbox signed (an ID token as a logout hint: expiry not checked)."""
        import jwt

        try:
            return jwt.decode(token, self._public, algorithms=["RS256"],
                              options={"verify_exp": False, "verify_nbf": False, "verify_iat": False,
                                       "verify_aud": False})
        except jwt.PyJWTError:
            return None

    def decode(self, token: str) -> Principal | None:
        """Signature check only; None if the token is not one of ours."""
        hit = self._cache.get(token)
        if hit is not None:
            self._cache.move_to_end(token)
            return hit
        import jwt

        try:
            claims = jwt.decode(token, self._public, algorithms=["RS256"],
                                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False,
                                         "verify_aud": False, "require": ["sub", "exp", "agent_id"]})
            principal = Principal(kind=str(claims["principal_type"]), subject=str(claims["sub"]),
                                  agent_id=str(claims["agent_id"]), generation=int(claims.get("gen", 0)),
                                  expires_at=float(claims.get("clock_exp", claims["exp"])), scope=str(claims.get("scope", "")),
                                  token_id=str(claims.get("jti", "")), client_id=claims.get("client_id"))
        except (jwt.PyJWTError, KeyError, ValueError, TypeError):
            return None
        self._cache[token] = principal
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return principal
