"""oversight: the reports part's services: asking for a report run, running it (the background task calls
report_run_execute), and recording each download."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_noop

from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.errors import ApplicationError
from peercert.core.text import fill  # noqa: F401 - messages are filled by ApplicationError
from peercert.core.transitions import transition
from peercert.oversight import permissions
from peercert.oversight.audit import AuditAction
from peercert.oversight.models.reports import REPORT_RUN_TRANSITIONS, ReportFormat, ReportRun, ReportRunStatus

__all__ = ["report_run_download", "report_run_execute", "report_run_fail", "report_run_request"]

RUN = gettext_noop("report run")


def _fixed_county(actor, report: str, county_id: int | None) -> int | None:
    """The county a run covers: a county user's own (a parameter naming another is refused), or the one a
    statewide user chose, or None for every county."""
    scope = permissions.report_county_scope(actor, report)
    if scope is None:
        return county_id
    if county_id is not None and county_id not in scope:
        raise ApplicationError(
            "You can run this report only for your own county. Choose your county, or leave the county empty.",
            field="county",
        )
    if len(scope) != 1 and county_id is None:
        raise ApplicationError("Choose which of your counties the report is for.", field="county")
    return county_id if county_id is not None else next(iter(scope))


@transaction.atomic
def report_run_request(
    *,
    actor,
    report: str,
    period_kind: str,
    year: int,
    part: int | None = None,
    county_id: int | None = None,
    format: str,
) -> ReportRun:
    """Ask for a run of a report for a period that has ended.

    Preconditions: the actor may run the report; the period kind and format are the definition's; the
    period's last day is before today (Pacific); a county user names no other county.
    Side effects: a queued ReportRun, an audit event, and (on commit) the background task that builds it.
    """
    from peercert.oversight import reports, tasks

    definition = reports.definition(report)
    if not permissions.can_run_report(actor, report):
        raise ApplicationError("You do not have access to run this report.", code="forbidden", field="report")
    period = reports.period_of(period_kind, year, part)
    if period_kind not in definition.period_kinds:
        raise ApplicationError(
            "This report covers only these periods: %(kinds)s.",
            params={"kinds": ", ".join(str(k) for k in definition.period_kinds)},
            field="period_kind",
        )
    if format not in definition.formats:
        raise ApplicationError(
            "This report comes only as %(formats)s.",
            params={"formats": ", ".join(str(ReportFormat(f).label) for f in definition.formats)},
            field="format",
        )
    today = clock.today()
    if period.end >= today:
        raise ApplicationError(
            "This period has not ended yet: its last day is %(end)s. Choose a period that has ended.",
            params={"end": period.end},
            field="year",
        )
    county = _fixed_county(actor, report, county_id) if definition.takes_county else None
    if county is not None:
        from peercert.accounts.models import County

        if not County.objects.filter(pk=county).exists():
            raise ApplicationError("Choose a county from the list.", field="county")
    run = ReportRun.objects.create(
        report=report,
        period_kind=period_kind,
        period_start=period.start,
        period_end=period.end,
        county_id=county,
        parameters={"county_id": county, "period": period.label},
        format=format,
        status=ReportRunStatus.QUEUED,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_RUN_REQUEST,
        obj=run,
        after={"report": report, "period": period.label, "county_id": county, "format": format},
    )
    transaction.on_commit(lambda: tasks.run_report.enqueue(run.pk))
    return run


def report_run_execute(*, run_id: int) -> ReportRun:
    """Build a queued run's file: the definition's tables for its period and county, written in its format,
    stored with its SHA-256. Progress is committed after each step so the run's page shows it. Called by
    the background task (actor: the system). A run no longer queued is left as it is."""
    from peercert.oversight import reports
    from peercert.oversight.reports import Context, writers

    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if run.status != ReportRunStatus.QUEUED:
            return run
        transition(run, ReportRunStatus.RUNNING, allowed=REPORT_RUN_TRANSITIONS, noun=RUN)
        run.save(update_fields=["status", "updated_at"])

    def progress(done: int, total: int) -> None:
        ReportRun.objects.filter(pk=run_id).update(progress_done=done, progress_total=total + 1)

    definition = reports.definition(run.report)
    period = reports.Period(run.period_kind, run.period_start, run.period_end)
    context = Context(period, (run.county_id,) if run.county_id else None, progress)
    with reports.report_session():
        tables = definition.build(context)
    title = f"{definition.name} - {period.label}"
    if run.format == ReportFormat.PDF:
        from peercert.oversight.reports import annual

        with reports.report_session():
            pdf_title, subtitle, sections = annual.sections(context, tables)
        content = writers.to_pdf(title=pdf_title, subtitle=subtitle, sections=sections)
    elif run.format == ReportFormat.XLSX:
        content = writers.to_xlsx(tables, title=str(title))
    else:
        content = writers.to_csv(tables)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        transition(run, ReportRunStatus.DONE, allowed=REPORT_RUN_TRANSITIONS, noun=RUN)
        run.file_kind = run.format
        run.file.save(f"report.{run.format}", ContentFile(content), save=False)
        run.size, run.sha256, run.finished_at = len(content), digest, clock.now()
        run.progress_done = run.progress_total = max(run.progress_total, 1)
        run.save(
            update_fields=[
                "status",
                "file_kind",
                "file",
                "size",
                "sha256",
                "finished_at",
                "progress_done",
                "progress_total",
                "updated_at",
            ]
        )
        audit_record(
            actor=None, action=AuditAction.REPORT_RUN_FINISH, obj=run, after={"sha256": digest, "size": len(content)}
        )
    return run


@transaction.atomic
def report_run_fail(*, run_id: int, error: str) -> ReportRun:
    """Mark a run that could not be built as failed, with a short reason for staff (no data in it)."""
    run = ReportRun.objects.select_for_update().get(pk=run_id)
    if run.status in (ReportRunStatus.QUEUED, ReportRunStatus.RUNNING):
        transition(run, ReportRunStatus.FAILED, allowed=REPORT_RUN_TRANSITIONS, noun=RUN)
        run.error = error[:500]
        run.finished_at = clock.now()
        run.save(update_fields=["status", "error", "finished_at", "updated_at"])
        audit_record(actor=None, action=AuditAction.REPORT_RUN_FAIL, obj=run, after={"error": run.error})
    return run


@transaction.atomic
def report_run_download(*, actor, run: ReportRun) -> ReportRun:
    """Record that the actor downloads a finished run's file (the view then serves it).

    Preconditions: the actor may see the run; it is done. Side effect: an audit event with the hash."""
    if not permissions.can_see_report_run(actor, run):
        raise ApplicationError("You do not have access to this report.", code="forbidden")
    if run.status != ReportRunStatus.DONE:
        raise ApplicationError("This report is not ready yet.", code="state")
    audit_record(actor=actor, action=AuditAction.REPORT_RUN_DOWNLOAD, obj=run, after={"sha256": run.sha256})
    return run
