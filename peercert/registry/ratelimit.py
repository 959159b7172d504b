"""A fixed-window counter per client address for bulk verification (no sign-in, no CAPTCHA).

Counts live in Django's cache, one key per address and window: the window is the clock hour
(by default), so the first request of an hour opens it and the count starts again at the next.
Every request that reaches the check counts, refused ones too, so a script retrying a refusal
does not get in sooner. The address is REMOTE_ADDR (core.spam.client_address): behind a proxy,
the proxy must set it. With the default in-process cache each server process counts on its own;
a shared cache (CACHES) makes the limit one for the whole site.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from peercert.core import clock
from peercert.core.spam import client_address


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    retry_after: int  # seconds until the window ends


def bulk_request_allowed(request) -> Verdict:
    limit = settings.REGISTRY_BULK_REQUESTS_PER_WINDOW
    window = settings.REGISTRY_BULK_WINDOW_SECONDS
    now = clock.now().timestamp()
    started = math.floor(now / window) * window
    key = f"registry:bulk:{client_address(request)}:{int(started)}"
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 60)
        count = 1
    return Verdict(allowed=count <= limit, limit=limit, retry_after=max(1, math.ceil(started + window - now)))
