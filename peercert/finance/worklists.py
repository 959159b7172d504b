from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.roles import Role
from peercert.accounts.selectors import person_for_user
from peercert.core.duties import exclude_own_matters
from peercert.core.worklists import WorkItem, WorkList, register
from peercert.finance import selectors
from peercert.finance.models import InvoiceStatus
from peercert.finance.permissions import FINANCE_STAFF_ROLES


def _open_invoices(user, assignment):
    qs = exclude_own_matters(selectors.open_invoices(), user, "payer")  # her own fees are under Fees to pay
    return WorkList(
        title=_("Open invoices"),
        items=[
            WorkItem(
                label=f"{i.pk} · {i.payer} · {i.description}",
                url=reverse("finance:invoice_detail", args=[i.pk]),
                detail=f"${i.balance_due} · {i.created_at:%Y-%m-%d}",
            )
            for i in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("finance:staff_invoices") + "?status=open",
        empty_text=_("No fees are waiting to be paid."),
    )


def _fees_to_pay(user, assignment):
    person = person_for_user(user)
    if person is None:
        return None
    qs = selectors.invoices_for_person(person).filter(status=InvoiceStatus.OPEN)
    return WorkList(
        title=_("Fees to pay"),
        items=[
            WorkItem(label=i.description, url=reverse("finance:invoice_pay", args=[i.pk]), detail=f"${i.balance_due}")
            for i in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("finance:my_fees"),
        empty_text=_("You have no fees to pay."),
    )


def register_all() -> None:
    for role in FINANCE_STAFF_ROLES:
        register(role, _open_invoices)
    register(Role.PEER, _fees_to_pay)
