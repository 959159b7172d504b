"""Header navigation entries this app adds (each part its own)."""

from django.utils.translation import gettext_lazy as _

from peercert.core.nav import NavEntry
from peercert.integrity import permissions
from peercert.integrity.permissions import (
    can_read_utilization_reviews,
    can_read_utilization_rules,
    can_see_reviews,  # reviews
)

ENTRIES: list = [
    # --- utilization ---
    NavEntry(_("Utilization rules"), "integrity:utilization_rules", can_read_utilization_rules, order=86),
    NavEntry(_("Utilization reviews"), "integrity:utilization_reviews", can_read_utilization_reviews, order=87),
    # --- overpayments ---
    NavEntry(_("Overpayments"), "integrity:overpayments", permissions.can_read_overpayments, order=86),
    NavEntry(_("Overpayments"), "integrity:overpayments", permissions.can_read_overpayments, order=86),
    # --- reviews ---
    NavEntry(_("Monitoring reviews"), "integrity:monitoring_list", can_see_reviews, order=88),
]
