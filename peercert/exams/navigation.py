"""Header navigation entries this app adds."""

from django.utils.translation import gettext_lazy as _

from peercert.core.nav import NavEntry
from peercert.exams import permissions as perms


def _staff(user):
    return perms.can_view_bank(user) or perms.can_view_analysis(user)


def _candidate_only(user):
    return perms.is_candidate(user) and not _staff(user)


ENTRIES: list = [
    NavEntry(_("My exam"), "exams:my_exam", _candidate_only, order=30),
    NavEntry(_("Exam"), "exams:home", _staff, order=30),
]
