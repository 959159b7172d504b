"""The site's own address for links in e-mails and notifications.

In production SITE_URL is set and is the only answer (a Host header is never trusted for links). In
development, when SITE_URL is not set, links follow the address the server actually answers on: the
current request's, else the address scripts/start serves (PEERCERT_ADDR), so a demo run on another port
does not send people to port 8000.
"""

from contextvars import ContextVar

from django.conf import settings

_request_root: ContextVar[str] = ContextVar("peercert_request_root", default="")


def site_url() -> str:
    if getattr(settings, "SITE_URL_FROM_REQUEST", False) and _request_root.get():
        return _request_root.get()
    return settings.SITE_URL.rstrip("/")


def absolute(link: str) -> str:
    """An absolute URL for a path of this site; a link that is already absolute is kept."""
    if not link or "://" in link:
        return link
    return f"{site_url()}{link}"


class RequestSiteMiddleware:
    """Remembers the request's own scheme and host while it runs (development only, see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "SITE_URL_FROM_REQUEST", False):
            return self.get_response(request)
        token = _request_root.set(request.build_absolute_uri("/").rstrip("/"))
        try:
            return self.get_response(request)
        finally:
            _request_root.reset(token)
