"""Demo data for integrity's reviews part: an open DHCS review of Los Angeles County with a corrective
action due soon (owned by the county's staff member), and a closed review of the statewide certification
program. Runs after the benefit and billing demos, through the services; safe to run again."""

import datetime

from peercert.accounts.models import CertificationProgram, County, User
from peercert.core import clock
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.integrity import services
from peercert.integrity.models.reviews import COUNTY_KINDS, PROGRAM_KINDS, FindingCategory, Review

LA_TITLE = "Los Angeles County peer support services monitoring review"
PROGRAM_TITLE = "Statewide certification program monitoring review"


def _user(email):
    return User.objects.filter(email=email).first()


def _findings(analyst, review, *, first_not_compliant: bool) -> None:
    for index, record in enumerate(review.records.order_by("kind", "position")):
        bad = first_not_compliant and index == 0
        services.review_record_finding(
            actor=analyst,
            review=review,
            kind=record.kind,
            record_id=record.record_id,
            outcome="not_compliant" if bad else "compliant",
            category=FindingCategory.SUPERVISION if bad else "",
            note="No signed supervision log on file for March through June." if bad else "",
        )


def seed(stdout) -> None:
    analyst = _user("analyst@demo.peercert.example")
    approver = _user("approver@demo.peercert.example")
    owner = _user("county@demo.peercert.example")
    if analyst is None or owner is None:
        stdout.write("  integrity reviews: demo users missing, nothing made")
        return
    today = clock.today()
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)

    if not Review.objects.filter(title=LA_TITLE).exists():
        review = services.review_open(
            actor=analyst,
            party="county",
            county=County.objects.get(name="Los Angeles"),
            title=LA_TITLE,
            scope=list(COUNTY_KINDS),
            period_start=last_month_end.replace(year=last_month_end.year - 1) + datetime.timedelta(days=1),
            period_end=last_month_end,
            seed=2026,
        )
        try:
            services.review_sample(actor=analyst, review=review)
        except ApplicationError:
            stdout.write("  integrity reviews: Los Angeles review opened; no demo records to sample yet")
        else:
            review.refresh_from_db()
            _findings(analyst, review, first_not_compliant=True)
            due = today + datetime.timedelta(days=rules_on(today).corrective_action_min_days)
            services.corrective_action_add(
                actor=analyst,
                review=review,
                description="Keep a signed supervision log for every peer support specialist, reviewed monthly, "
                "and send DHCS the logs for the last three months.",
                owner=owner,
                due_on=due,
                finding=review.records.filter(outcome="not_compliant").first(),
            )
            services.review_issue_plan(actor=analyst, review=review)
            stdout.write(f"  integrity reviews: Los Angeles review {review.pk} with a corrective action due {due}")
    else:
        stdout.write("  integrity reviews: Los Angeles review already there")

    program = CertificationProgram.objects.filter(code="statewide").first() or CertificationProgram.objects.first()
    if program is not None and not Review.objects.filter(title=PROGRAM_TITLE).exists():
        review = services.review_open(
            actor=approver or analyst,
            party="program",
            program=program,
            title=PROGRAM_TITLE,
            scope=list(PROGRAM_KINDS),
            period_start=today - datetime.timedelta(days=3 * 365),
            period_end=today - datetime.timedelta(days=1),
            seed=2025,
        )
        try:
            services.review_sample(actor=analyst, review=review)
        except ApplicationError:
            services.review_cancel(actor=analyst, review=review, reason="No program records to sample in the demo.")
            stdout.write("  integrity reviews: program review cancelled (no demo records)")
            return
        review.refresh_from_db()
        _findings(analyst, review, first_not_compliant=False)
        services.review_close(actor=analyst, review=review, note="Every sampled record met the program's rules.")
        stdout.write(f"  integrity reviews: program review {review.pk} closed")
