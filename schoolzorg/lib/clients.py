"""Where a request comes from, also behind a proxy (`settings.PROXY_COUNT`)."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def client_address(request: Any) -> str | None:
    """The address a request comes from: for the read log (NEN 7513: from where) and for
    django-axes' lockout (`AXES_CLIENT_IP_CALLABLE`).

    `REMOTE_ADDR`, unless `settings.PROXY_COUNT` proxies stand in front: then the address the
    outermost of them saw, counted from the right of `X-Forwarded-For` (what a client writes
    there itself is further left, and not believed). Only an address: anything else there (a
    proxy set up wrongly, a client's own text) gives `REMOTE_ADDR`."""
    meta = getattr(request, "META", {})
    count = settings.PROXY_COUNT
    if count > 0:
        hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count and _is_address(hops[-count]):
            return hops[-count]
    remote = meta.get("REMOTE_ADDR")
    return str(remote) if remote else None


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
