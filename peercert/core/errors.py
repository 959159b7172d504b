"""The one error type business rules raise.

Services raise ApplicationError with a message a person can act on. The API maps it to
HTTP 400 (the input is wrong) or 409 (the input is fine but the record's state forbids it),
and views turn it into a form error.
"""

CONFLICT_CODES = frozenset({"conflict", "state", "duplicate", "closed"})


class ApplicationError(Exception):
    def __init__(self, message: str, code: str = "invalid", field: str | None = None, extra: dict | None = None):
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
