"""Header navigation entries this app adds."""

from django.utils.translation import gettext_lazy as _

from peercert.core.nav import NavEntry
from peercert.discipline.permissions import (
    can_handle_cases,
    can_view_records,
    is_respondent_user,
)


def _records_only(user):
    return can_view_records(user) and not can_handle_cases(user)


ENTRIES: list = [
    NavEntry(_("Complaints"), "discipline:case_list", can_handle_cases, order=60),
    NavEntry(_("Discipline records"), "discipline:records", _records_only, order=61),
    NavEntry(_("My cases"), "discipline:my_cases", is_respondent_user, order=63),
]
