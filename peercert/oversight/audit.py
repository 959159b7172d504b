"""What the audit trail says oversight did (each part adds its actions under its own comment)."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from peercert.core import audit


class AuditAction(audit.AuditAction):
    # --- plan ---
    # --- reports ---
    # --- dashboards ---
    pass
