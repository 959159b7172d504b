"""The header navigation: each entry shows only to the roles it serves.

Foundation entries are listed here; each feature app adds its own in
`peercert/<app>/navigation.py` (ENTRIES), collected in FEATURE_APPS order.
"""

from importlib import import_module

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from peercert.accounts.permissions import can_manage_users, can_view_audit, can_view_rules
from peercert.core.nav import NavEntry

FEATURE_APPS = [
    "certification",
    "renewal",
    "registry",
    "credentials",
    "training",
    "exams",
    "finance",
    "discipline",
    "assistance",
    "benefit",
    "billing",
    "integrity",
    "oversight",
    "council",
    "scholarships",
]


def _signed_in(user):
    return user.is_authenticated


def _anonymous(user):
    return not user.is_authenticated


FOUNDATION_ENTRIES = [
    NavEntry(_("Home"), "web:home", lambda user: True, order=0),
    NavEntry(_("Users and roles"), "accounts:user_list", can_manage_users, order=80),
    NavEntry(_("Program rules"), "web:rules", can_view_rules, order=85),
    NavEntry(_("Audit trail"), "web:audit", can_view_audit, order=90),
    NavEntry(_("My account"), "accounts:account", _signed_in, order=95),
    NavEntry(_("Create account"), "accounts:register", _anonymous, order=96),
]


def all_entries() -> list[NavEntry]:
    entries = list(FOUNDATION_ENTRIES)
    for app in FEATURE_APPS:
        entries.extend(getattr(import_module(f"peercert.{app}.navigation"), "ENTRIES", []))
    return sorted(entries, key=lambda e: e.order)


def entries_for(user, current_path: str = "") -> list[dict]:
    out = []
    for entry in all_entries():
        if not entry.visible(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        current = url == current_path if url == "/" else current_path.startswith(url)
        out.append({"label": entry.label, "url": url, "current": current})
    return out
