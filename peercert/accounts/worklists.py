from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.models import User
from peercert.accounts.roles import Role
from peercert.core.worklists import WorkItem, WorkList, register


def _inactive_users(user, assignment):
    qs = User.objects.filter(is_active=False).order_by("email")
    return WorkList(
        title=_("Deactivated accounts"),
        items=[WorkItem(label=u.email, url=reverse("accounts:user_detail", args=[u.pk])) for u in qs[:5]],
        count=qs.count(),
        more_url=reverse("accounts:user_list"),
        empty_text=_("No deactivated accounts."),
    )


register(Role.SYSTEM_ADMINISTRATOR, _inactive_users)
