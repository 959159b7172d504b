"""Keeping automated spam off the public forms: a honeypot field and a per-address rate limit.

The limit uses Django's cache (no new package). Counts live for one window per client
address and form; a burst beyond the limit is refused with the reason, not silently dropped.
"""

from django.core.cache import cache

from peercert.core.errors import ApplicationError

HONEYPOT_FIELD = "website"
# Generous for people (a family filing several complaints), tight for scripts.
LIMIT_PER_WINDOW = 5
WINDOW_SECONDS = 60 * 60


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def check_public_submission(request, *, form_name: str) -> None:
    """Refuse a submission that filled the hidden field, or the address's submissions past the limit.

    Counts every POST that reaches the check, including refused ones, so retrying a refused
    burst does not reopen the window.
    """
    key = f"public:{form_name}:{client_address(request)}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    if count > LIMIT_PER_WINDOW:
        raise ApplicationError(
            "Too many forms were sent from your connection in the last hour (the limit is %(limit)s). "
            "Please wait an hour, or call or write to the program instead.",
            code="rate_limited",
            params={"limit": LIMIT_PER_WINDOW},
        )
    if (request.POST.get(HONEYPOT_FIELD) or "").strip():
        raise ApplicationError(
            "This form was filled in automatically, so it was not sent. If you are a person, leave the field "
            "marked “Leave this empty” blank and send it again.",
            code="spam",
        )
