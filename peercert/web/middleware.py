"""Response headers Django does not set itself."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY as the Permissions-Policy header on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class RefuseNulCharactersMiddleware:
    """A NUL character in a query string or a form field is never something a person typed, and
    PostgreSQL cannot store or compare text holding one (SQLite can, so it would pass unseen in
    development): refuse the request once, here, with a plain 400, before any view reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The API refuses NUL itself (core.apitypes), as a 422 in its own JSON shape; the FHIR directory
        # as an OperationOutcome, as FHIR clients expect.
        if request.path.startswith(("/api/", "/fhir/")):
            return self.get_response(request)
        if _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST)):
            return HttpResponseBadRequest(
                gettext("The address or the form holds an invisible NUL character. Go back, retype it and try again."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _holds_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())
