"""Home-page queues of the integrity app (each part registers its own)."""


# --- overpayments ---


def register_overpayments() -> None:
    from peercert.accounts.roles import Role
    from peercert.core.worklists import register

    register(Role.COUNTY_BILLING, _overpayments_to_resolve)
    register(Role.COUNTY_BILLING_SUPERVISOR, _overpayments_to_resolve)
    register(Role.COUNTY_AUTHORIZED_SIGNER, _reports_to_sign)


def _overpayments_to_resolve(user, assignment):
    """The county's overpayments not yet returned, the nearest due date first, with days left."""
    from django.urls import reverse
    from django.utils.formats import localize
    from django.utils.translation import gettext as _

    from peercert.core.worklists import WorkItem, WorkList
    from peercert.integrity.selectors.overpayments import overpayment_list

    qs = overpayment_list(user, status="unresolved")
    county_id = getattr(assignment, "county_id", None)
    if county_id is not None:
        qs = qs.filter(county_id=county_id)
    return WorkList(
        title=_("Overpayments to report and return"),
        items=[
            WorkItem(
                label=_("Overpayment %(number)s · %(amount)s dollars")
                % {"number": op.pk, "amount": f"{op.total_amount:.2f}"},
                url=reverse("integrity:overpayment_detail", args=[op.pk]),
                detail=_("%(days)s days left · due %(due)s") % {"days": op.days_left, "due": localize(op.due_on)},
            )
            for op in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("integrity:overpayments"),
        empty_text=_("No overpayment is waiting."),
    )


def _reports_to_sign(user, assignment):
    from django.urls import reverse
    from django.utils.formats import localize
    from django.utils.translation import gettext as _

    from peercert.core.worklists import WorkItem, WorkList
    from peercert.integrity.selectors.overpayments import overpayment_list

    qs = overpayment_list(user, status="to_sign")
    county_id = getattr(assignment, "county_id", None)
    if county_id is not None:
        qs = qs.filter(county_id=county_id)
    return WorkList(
        title=_("Overpayment reports to sign"),
        items=[
            WorkItem(
                label=_("Overpayment %(number)s · %(amount)s dollars")
                % {"number": op.pk, "amount": f"{op.total_amount:.2f}"},
                url=reverse("integrity:overpayment_sign", args=[op.pk]),
                detail=_("due %(due)s") % {"due": localize(op.due_on)},
            )
            for op in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("integrity:overpayments"),
        empty_text=_("No report is waiting for your signature."),
    )
