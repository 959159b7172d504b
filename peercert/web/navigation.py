"""The header navigation: each entry shows only to the roles it serves.

Foundation entries are listed here; each feature app adds its own in
`peercert/<app>/navigation.py` (ENTRIES), collected in FEATURE_APPS order.
"""

from dataclasses import replace
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from peercert.accounts.permissions import can_manage_users, can_view_audit, can_view_rules
from peercert.core.nav import TOP_LEVEL, NavEntry

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


# The area each app's entries join unless an entry names its own group. An app not listed here
# (a new one) groups under its verbose name.
_CERTIFICATION = _("Certification")
_FEES = _("Fees and scholarships")
_BENEFIT = _("Benefit and billing")
_CASES = _("Cases and help")
_PROGRAM = _("Program oversight")
_ADMINISTRATION = _("Administration")
AREAS = {
    "certification": _CERTIFICATION,
    "renewal": _CERTIFICATION,
    "registry": _CERTIFICATION,
    "credentials": _CERTIFICATION,
    "training": _CERTIFICATION,
    "exams": _CERTIFICATION,
    "finance": _FEES,
    "scholarships": _FEES,
    "benefit": _BENEFIT,
    "billing": _BENEFIT,
    "discipline": _CASES,
    "assistance": _CASES,
    "integrity": _PROGRAM,
    "oversight": _PROGRAM,
    "council": _PROGRAM,
}
# A menu this long or shorter is shown flat; a longer one is grouped by area.
FLAT_MENU_MAX = 7


def _signed_in(user):
    return user.is_authenticated


def _anonymous(user):
    return not user.is_authenticated


FOUNDATION_ENTRIES = [
    NavEntry(_("Home"), "web:home", lambda user: True, order=0, group=TOP_LEVEL),
    NavEntry(_("Users and roles"), "accounts:user_list", can_manage_users, order=80, group=_ADMINISTRATION),
    NavEntry(_("Program rules"), "web:rules", can_view_rules, order=85, group=_ADMINISTRATION),
    NavEntry(_("Audit trail"), "web:audit", can_view_audit, order=90, group=_ADMINISTRATION),
    NavEntry(_("My account"), "accounts:account", _signed_in, order=95, group=TOP_LEVEL),
    NavEntry(_("Create account"), "accounts:register", _anonymous, order=96, group=TOP_LEVEL),
]


def all_entries() -> list[NavEntry]:
    entries = list(FOUNDATION_ENTRIES)
    for app in FEATURE_APPS:
        area = AREAS.get(app) or apps.get_app_config(app).verbose_name
        for entry in getattr(import_module(f"peercert.{app}.navigation"), "ENTRIES", []):
            entries.append(entry if entry.group is not None else replace(entry, group=area))
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
        out.append({"label": entry.label, "url": url, "current": current, "group": entry.group})
    return out


def menu_for(user, current_path: str = "") -> list[dict]:
    """The header menu: a short one flat; a long one as groups, each {"label", "entries", "current",
    "key"} (a group of one entry is shown as that entry). Groups and their entries keep `order`."""
    entries = entries_for(user, current_path)
    if len(entries) <= FLAT_MENU_MAX:
        return [{"entries": [entry], "label": entry["label"]} for entry in entries]
    items: list[dict] = []
    by_group: dict[str, dict] = {}
    for entry in entries:
        name = str(entry["group"] or "")
        if not name:
            items.append({"entries": [entry], "label": entry["label"]})
            continue
        if name not in by_group:
            by_group[name] = {"label": entry["group"], "entries": [], "key": f"nav-area-{len(by_group) + 1}"}
            items.append(by_group[name])
        by_group[name]["entries"].append(entry)
    for item in items:
        item["current"] = any(entry["current"] for entry in item["entries"])
    return items
