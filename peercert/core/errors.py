"""The one error type business rules raise.

Services raise ApplicationError with a message a person can act on. The API maps it to
HTTP 400 (the input is wrong) or 409 (the input is fine but the record's state forbids it),
and views turn it into a form error.

Messages are written in plain English as a literal first argument, ApplicationError("..."),
and translated when raised into the language of the request (a Spanish reader sees Spanish).
makemessages (core's override) extracts them. A message built with an f-string has no
catalogue entry and stays English.
"""

from django.utils.translation import gettext

CONFLICT_CODES = frozenset({"conflict", "state", "duplicate", "closed"})


class ApplicationError(Exception):
    def __init__(self, message: str, code: str = "invalid", field: str | None = None, extra: dict | None = None):
        message = gettext(message) if message else message
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.extra = extra or {}

    @property
    def http_status(self) -> int:
        return 409 if self.code in CONFLICT_CODES else 400

    def __str__(self) -> str:
        return self.message


def add_to_form(form, error: ApplicationError) -> None:
    """Show a service's refusal on the form that asked for it."""
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)
