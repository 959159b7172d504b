"""Header navigation entries this app adds."""

from django.utils.translation import gettext_lazy as _

from peercert.billing.permissions import can_read_beneficiary_access, can_read_billing, is_billing_staff
from peercert.core.nav import NavEntry

ENTRIES: list = [
    # --- eligibility ---
    NavEntry(_("Beneficiaries"), "billing:beneficiary_list", is_billing_staff, order=40),
    NavEntry(_("Eligibility"), "billing:eligibility", is_billing_staff, order=41),
    NavEntry(_("Beneficiary record access"), "billing:access_events", can_read_beneficiary_access, order=91),
    # --- claims --- (denials are reached from the remittances page and the home page's worklist)
    NavEntry(_("Remittances"), "billing:remittances", can_read_billing, order=84),
]
