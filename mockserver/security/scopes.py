"""OAuth scopes: which a service account may ask for, and which one each call needs.

The SDK's ``InsurUpScope`` lists the standard OIDC scopes, ``core-api`` (full access, what internal
apps and the docs use) and granular ``resource:action`` scopes for third-party clients. A token
with ``core-api`` may do everything its kind of principal may; otherwise a call needs the scope of
its resource: ``customer:read`` to read customers (and their vehicles, homes, relatives),
``customer:write`` to change them, and so on. A write scope also grants reading. Reference data
(insurers, products, vehicle and address parameters, coverage choices) is readable with any API
scope. Each route declares its resource (``mockserver.http.framework.Routes``); admission checks it
before the handler runs.
"""

from __future__ import annotations

from functools import lru_cache

STANDARD = ("openid", "profile", "email", "roles", "offline_access")
FULL = "core-api"
RESOURCES = ("customer", "proposal", "policy", "case", "webhook", "me")
GRANULAR = tuple(f"{r}:{a}" for r in RESOURCES for a in ("read", "write"))
GRANTABLE = (*STANDARD, FULL, *GRANULAR)
NOT_FOR_SERVICE_ACCOUNTS = ("auth-server-management",)

@lru_cache(maxsize=1024)  # a token's scopes against a route's: the same few pairs on every request
def grants(granted: str, scope: str | None) -> bool:
    """Does a token with ``granted`` (space-separated) allow a call needing ``scope``?"""
    have = set(granted.split())
    if FULL in have or scope is None:
        return FULL in have or bool(have & set(GRANULAR))
    resource, _, action = scope.partition(":")
    return scope in have or (action == "read" and f"{resource}:write" in have)


def requested(raw: str | None) -> tuple[list[str], list[str]]:
    """A token request's scopes (default ``core-api``) and the ones a service account cannot have."""
    asked = list(dict.fromkeys((raw or FULL).split()))
    return asked, [s for s in asked if s not in GRANTABLE]
