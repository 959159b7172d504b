"""Header navigation entries this app adds."""

from django.utils.translation import gettext_lazy as _

from peercert.assistance.permissions import can_answer_assistance
from peercert.core.nav import NavEntry


def _everyone(user):
    return True


ENTRIES: list = [
    NavEntry(_("Questions"), "assistance:queue", can_answer_assistance, order=62),
    NavEntry(_("Help"), "assistance:faq", _everyone, order=70),
]
