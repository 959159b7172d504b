"""Start-up wiring for integrity's overpayments part: the facts that can turn paid lines into overpayments
(certification status changes, benefit's employment facts, billing's corrected eligibility months, the
utilization review's unsupported lines), the daily escalation job and the home-page queues."""


def _certification_changed(sender, changes, **kwargs):
    from peercert.integrity.services.overpayments import _safe_find, overpayments_find_for_certification_changes

    _safe_find(overpayments_find_for_certification_changes, changes=changes)


def _employment_changed(sender, kind, employment_ids, start, end=None, reference="", actor=None, **kwargs):
    from peercert.integrity.services.overpayments import _safe_find, overpayments_find_for_employment

    _safe_find(
        overpayments_find_for_employment,
        kind=kind,
        employment_ids=employment_ids,
        start=start,
        end=end,
        reference=reference,
        actor=actor,
    )


def _eligibility_corrected(sender, beneficiary_id, month, reference="", actor=None, **kwargs):
    from peercert.integrity.services.overpayments import _safe_find, overpayments_find_for_eligibility

    _safe_find(
        overpayments_find_for_eligibility, beneficiary_id=beneficiary_id, month=month, reference=reference, actor=actor
    )


def _line_unsupported(sender, line_ids, finding_ids=(), actor=None, **kwargs):
    from peercert.integrity.services.overpayments import _safe_find, overpayments_find_for_review

    _safe_find(overpayments_find_for_review, line_ids=line_ids, finding_ids=finding_ids, actor=actor)


def _escalate(today):
    """Overpayments near their due date go to the county's billing supervisors and authorized signer."""
    from peercert.integrity.services.overpayments import overpayments_escalate

    return overpayments_escalate(today)


def connect() -> None:
    from peercert.benefit.signals import employment_facts_changed
    from peercert.billing.signals import eligibility_month_corrected
    from peercert.certification.signals import certification_status_changed
    from peercert.core.jobs import register_daily_job
    from peercert.integrity import worklists
    from peercert.integrity.signals import line_found_unsupported

    certification_status_changed.connect(_certification_changed, dispatch_uid="integrity.overpayments.certification")
    employment_facts_changed.connect(_employment_changed, dispatch_uid="integrity.overpayments.employment")
    eligibility_month_corrected.connect(_eligibility_corrected, dispatch_uid="integrity.overpayments.eligibility")
    line_found_unsupported.connect(_line_unsupported, dispatch_uid="integrity.overpayments.review")
    register_daily_job(
        "integrity.overpayments_escalate",
        _escalate,
        order=70,
        description="Overpayments not returned 45 days after identification go to the county's supervisors and signer.",
    )
    worklists.register_overpayments()
