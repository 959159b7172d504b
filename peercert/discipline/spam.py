"""The public forms' spam checks now live in core (technical assistance's ask form uses them too)."""

from peercert.core.spam import HONEYPOT_FIELD, LIMIT_PER_WINDOW, WINDOW_SECONDS, check_public_submission, client_address

__all__ = ["HONEYPOT_FIELD", "LIMIT_PER_WINDOW", "WINDOW_SECONDS", "check_public_submission", "client_address"]
