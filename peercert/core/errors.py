"""The one error type business rules raise.

Services raise ApplicationError with a message a person can act on. The API maps it to
HTTP 400 (the input is wrong) or 409 (the input is fine but the record's state forbids it),
and views turn it into a form error.

Messages are written in plain English as a literal first argument and translated when
raised into the language of the request (a Spanish reader sees Spanish). Values go in
params, never into the literal: ApplicationError("Item %(code)s is already used.",
params={"code": code}); a date among the params is written as the reader's language writes
it (core.text.fill). core's makemessages extracts the literals (ApplicationError and the
few helpers that pass a message on to it); an f-string or a concatenated message would be
extracted in a shape that never matches at run time, so none is used.
"""

from peercert.core.text import fill

CONFLICT_CODES = frozenset({"conflict", "state", "duplicate", "closed"})
# The request is fine, but this person may not make it (core.duties: a matter about themselves).
FORBIDDEN_CODES = frozenset({"own_matter"})


class ApplicationError(Exception):
    def __init__(
        self,
        message: str,
        code: str = "invalid",
        field: str | None = None,
        extra: dict | None = None,
        params: dict | None = None,
    ):
        message = fill(message, params)
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.extra = extra or {}

    @property
    def http_status(self) -> int:
        if self.code in FORBIDDEN_CODES:
            return 403
        return 409 if self.code in CONFLICT_CODES else 400

    def __str__(self) -> str:
        return self.message


def add_to_form(form, error: ApplicationError) -> None:
    """Show a service's refusal on the form that asked for it."""
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)
