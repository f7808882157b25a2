"""Whether a sandbox's control plane (``/__sandbox``) is open, and its admin token: decided once from
the settings when the sandbox is made (``mockserver.control.access`` checks requests against them)."""

from __future__ import annotations

import ipaddress
import secrets
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockserver.core.settings import Settings


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve(settings: "Settings", entropy: Any = None) -> tuple[bool, str | None]:
    """(open?, admin token) for these settings; a closed plane always has an admin token (drawn from
    the sandbox's entropy, so a data directory keeps it across restarts)."""
    if settings.control_plane == "open":
        return True, settings.admin_token
    if settings.control_plane == "auto" and settings.admin_token is None and is_loopback(settings.host):
        return True, None
    return False, settings.admin_token or (entropy.token_urlsafe(24) if entropy else secrets.token_urlsafe(24))
