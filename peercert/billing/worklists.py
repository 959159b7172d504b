"""Home-page queues for county billing staff and DHCS."""


def register_all() -> None:
    # --- claims ---
    from peercert.accounts.roles import Role
    from peercert.core.worklists import register

    register(Role.COUNTY_BILLING, _open_denials)
    register(Role.COUNTY_BILLING_SUPERVISOR, _open_denials)


# --- claims ---


def _open_denials(user, assignment):
    """Denied lines from the state's 835s that nobody has worked yet."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from peercert.billing.selectors import denial_list
    from peercert.core.worklists import WorkItem, WorkList

    qs = denial_list(user)
    county_id = getattr(assignment, "county_id", None)
    if county_id is not None:
        qs = qs.filter(remittance__county_id=county_id)
    return WorkList(
        title=_("Denials to work"),
        items=[
            WorkItem(
                label=f"{row.procedure} · {row.adjustment_codes or row.status}",
                url=reverse("billing:denial_work", args=[row.pk]),
                detail=" ".join(filter(None, [row.remark_codes, f"${row.charge}"])),
            )
            for row in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("billing:denials"),
        empty_text=_("No denial is waiting to be worked."),
    )
