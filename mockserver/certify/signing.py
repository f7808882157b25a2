"""Signatures on certification evidence and certificates, so a report cannot be re-made from edited
evidence and a certificate cannot be edited after it was issued.

Each sandbox has one ES256 key, derived from its own secret (so a sandbox with a data directory keeps
it across restarts; a new in-memory sandbox has a new one), published as a JSON Web Key Set at
``/.well-known/sandbox-certification-keys.json``. A document is signed over its canonical JSON
(RFC 8785, the ``signature`` member left out) as a JWS with a detached, unencoded payload (RFC 7515
appendix F, RFC 7797) made by PyJWT: ``signature`` is ``<header>..<signature>``. Verification needs
the key set of the sandbox the verifier trusts, never one the document carries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import rfc8785

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec

# PyJWT and cryptography load when something is first signed or checked, not before the port opens

WELL_KNOWN = "/.well-known/sandbox-certification-keys.json"
ALGORITHM = "ES256"
EVIDENCE_TYPE = "insurup-sandbox-evidence+jws"
CERTIFICATE_TYPE = "insurup-sandbox-certificate+jws"
_SAFE_INT = 2 ** 53 - 1


class SignatureInvalid(ValueError):
    """A document that is unsigned, signed by another key, or changed since it was signed."""


@lru_cache(maxsize=8)
def _key(secret: str) -> "ec.EllipticCurvePrivateKey":
    from cryptography.hazmat.primitives.asymmetric import ec

    curve_order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    digest = hmac.new(secret.encode(), b"insurup-sandbox certification signing key", hashlib.sha256).digest()
    return ec.derive_private_key(int.from_bytes(digest, "big") % (curve_order - 1) + 1, ec.SECP256R1())


def jwks(secret: str) -> dict[str, Any]:
    from jwt.algorithms import ECAlgorithm

    public = ECAlgorithm.to_jwk(_key(secret).public_key(), as_dict=True)
    return {"keys": [{**public, "kid": _kid(public), "use": "sig", "alg": ALGORITHM}]}


def _kid(public: dict[str, Any]) -> str:
    # RFC 7638 thumbprint of the EC key
    members = json.dumps({k: public[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(members.encode()).hexdigest()[:16]


def plain(value: Any) -> Any:
    """The document as plain JSON the canonical form takes: integers beyond JSON's safe range become
    text (RFC 8785 refuses them), everything else as it is."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _SAFE_INT:
        return str(value)
    return value


def canonical(document: dict[str, Any]) -> bytes:
    return rfc8785.dumps(plain({k: v for k, v in document.items() if k != "signature"}))


def digest(document: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(document)).hexdigest()


def sign(secret: str, document: dict[str, Any], typ: str) -> str:
    import jwt

    kid = jwks(secret)["keys"][0]["kid"]
    return jwt.api_jws.encode(canonical(document), _key(secret), algorithm=ALGORITHM,
                              headers={"kid": kid, "typ": typ}, is_payload_detached=True)


def verify(document: dict[str, Any], keys: dict[str, Any], typ: str) -> dict[str, Any]:
    import jwt
    from jwt.algorithms import ECAlgorithm

    """The signature's header when ``document`` carries a signature of one of ``keys`` over exactly
    what it holds; raises SignatureInvalid saying which of those it is not."""
    token = document.get("signature")
    if not isinstance(token, str) or token.count(".") != 2:
        raise SignatureInvalid("it is not signed (no signature member): take it from the sandbox again")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise SignatureInvalid(f"its signature cannot be read ({exc})") from None
    if header.get("typ") != typ:
        raise SignatureInvalid(f"its signature is a {header.get('typ')!r}, not a {typ!r}")
    key = next((k for k in (keys or {}).get("keys", []) if k.get("kid") == header.get("kid")), None)
    if key is None:
        raise SignatureInvalid(f"it was signed by key {header.get('kid')!r}, which the given key set does not hold "
                               "(another sandbox, or a sandbox restarted without its data directory)")
    try:
        jwt.api_jws.decode_complete(token, ECAlgorithm.from_jwk(key), algorithms=[ALGORITHM],
                                    detached_payload=canonical(document))
    except jwt.InvalidSignatureError:
        raise SignatureInvalid("it was changed after it was signed (the signature does not match its content)") \
            from None
    except (jwt.PyJWTError, ValueError) as exc:
        raise SignatureInvalid(f"its signature is not valid ({exc})") from None
    return header
