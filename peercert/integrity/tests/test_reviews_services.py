"""DHCS monitoring reviews: from sample to closure with every transition audited, a reproducible sample,
a finding outside the scope refused, a county never seeing another county's reviews, escalation."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program, user_with_role
from peercert.benefit.models import Employment
from peercert.benefit.tests.factories import EmploymentFactory, ProviderFactory, SupervisorAssignmentFactory, county
from peercert.billing.tests.factories import ServiceBatchFactory, ServiceLineFactory
from peercert.certification.tests.factories import CertificationFactory
from peercert.core import samples
from peercert.core.errors import ApplicationError
from peercert.core.jobs import run_daily_jobs
from peercert.core.models import AuditEvent, Notification
from peercert.core.transitions import assert_map_covers, every_move
from peercert.integrity import selectors, services
from peercert.integrity.audit import AuditAction
from peercert.integrity.models.reviews import (
    CORRECTIVE_ACTION_TRANSITIONS,
    REVIEW_TRANSITIONS,
    CorrectiveActionStatus,
    FindingOutcome,
    Review,
    ReviewRecord,
    ReviewStatus,
)
from peercert.integrity.tests.factories.reviews import ReviewFactory, program_review, review_with_plan

pytestmark = pytest.mark.django_db

# 00:05 in Los Angeles on 1 December 2026, when UTC is already 08:05.
EARLY = datetime.datetime(2026, 12, 1, 8, 5, tzinfo=datetime.UTC)
# 23:55 in Los Angeles on 1 December 2026 (UTC is 2 December).
LATE = datetime.datetime(2026, 12, 2, 7, 55, tzinfo=datetime.UTC)


@pytest.fixture(params=[EARLY, LATE], ids=["00:05", "23:55"])
def frozen(request):
    with time_machine.travel(request.param, tick=False):
        yield request.param


@pytest.fixture
def analyst(db):
    return user_with_role(Role.DHCS_ANALYST, email="analyst@test.peercert.example")


@pytest.fixture
def la_staff(db):
    return user_with_role(Role.COUNTY_STAFF, email="county@test.peercert.example")


def paid_line(where, day, **kwargs):
    return ServiceLineFactory(
        batch=ServiceBatchFactory(county=where),
        service_date=day,
        remittance_status="paid",
        paid_amount=Decimal("41.25"),
        paid_on=day + datetime.timedelta(days=30),
        **kwargs,
    )


def county_world(name="Los Angeles", *, employments=4, lines=6):
    where = county(name)
    provider = ProviderFactory(county=where)
    jobs = [EmploymentFactory(provider=provider, start_on=datetime.date(2025, 3, 1)) for _ in range(employments)]
    supervision = [SupervisorAssignmentFactory(employment=job) for job in jobs[:2]]
    paid = [
        paid_line(where, datetime.date(2026, 3, 1) + datetime.timedelta(days=i), employment=jobs[0])
        for i in range(lines)
    ]
    return {"county": where, "employments": jobs, "supervision": supervision, "lines": paid}


def open_la_review(actor, **kwargs):
    return services.review_open(
        actor=actor,
        party="county",
        county=county("Los Angeles"),
        title="Los Angeles peer services 2026",
        scope=kwargs.pop("scope", ["employment", "supervision", "service_line"]),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 10, 31),
        seed=kwargs.pop("seed", 4242),
        **kwargs,
    )


def actions_for(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


def test_the_maps_cover_every_state():
    assert_map_covers(REVIEW_TRANSITIONS, ReviewStatus)
    assert_map_covers(CORRECTIVE_ACTION_TRANSITIONS, CorrectiveActionStatus)


def test_from_sample_to_closure_every_transition_audited(frozen, analyst, la_staff):
    county_world()
    approver = user_with_role(Role.DHCS_APPROVER, email="approver@test.peercert.example")

    review = open_la_review(analyst)
    assert review.status == ReviewStatus.PLANNED
    assert actions_for(review) == [AuditAction.REVIEW_OPEN]

    counts = services.review_sample(actor=analyst, review=review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SAMPLED
    assert counts == {"employment": 4, "supervision": 2, "service_line": 6}
    assert review.records.count() == 12
    sample_event = AuditEvent.objects.get(action=AuditAction.REVIEW_SAMPLE, object_id=str(review.pk))
    assert sample_event.before == {"status": "planned"} and sample_event.after["status"] == "sampled"

    records = list(review.records.order_by("kind", "position"))
    bad = records[0]
    for record in records:
        services.review_record_finding(
            actor=analyst,
            review=review,
            kind=record.kind,
            record_id=record.record_id,
            outcome=FindingOutcome.NOT_COMPLIANT if record == bad else FindingOutcome.COMPLIANT,
            category="supervision" if record == bad else "",
            note="No supervision log for March to June." if record == bad else "",
        )
    assert AuditEvent.objects.filter(action=AuditAction.REVIEW_FINDING).count() == 12

    # Compliant everywhere but one: the review cannot close without a plan.
    with pytest.raises(ApplicationError, match="corrective action plan"):
        services.review_close(actor=analyst, review=review)

    bad.refresh_from_db()
    item = services.corrective_action_add(
        actor=analyst,
        review=review,
        description="Keep a signed supervision log for every peer.",
        owner=la_staff,
        due_on=datetime.date(2026, 12, 31),
        finding=bad,
    )
    assert item.status == CorrectiveActionStatus.DRAFT
    services.review_issue_plan(actor=analyst, review=review)
    review.refresh_from_db()
    item.refresh_from_db()
    assert review.status == ReviewStatus.CORRECTIVE_ACTION
    assert item.status == CorrectiveActionStatus.OPEN
    assert Notification.objects.filter(user=la_staff).count() == 1

    upload = SimpleUploadedFile("supervision-log.pdf", samples.PDF, content_type="application/pdf")
    services.corrective_action_respond(
        actor=la_staff, item=item, response="Logs now kept in SmartCare.", files=[upload]
    )
    item.refresh_from_db()
    assert item.status == CorrectiveActionStatus.RESPONDED
    assert item.evidence.get().kind == "pdf"

    services.corrective_action_return(actor=approver, item=item, note="Send the June log too.")
    item.refresh_from_db()
    assert item.status == CorrectiveActionStatus.RETURNED

    services.corrective_action_respond(actor=la_staff, item=item, response="June log attached.", files=[])
    services.corrective_action_accept(actor=approver, item=item, note="")
    item.refresh_from_db()
    assert item.status == CorrectiveActionStatus.ACCEPTED

    services.review_close(actor=analyst, review=review, note="All corrected.")
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED

    assert actions_for(review) == [
        AuditAction.REVIEW_OPEN,
        AuditAction.REVIEW_SAMPLE,
        AuditAction.REVIEW_ISSUE_PLAN,
        AuditAction.REVIEW_CLOSE,
    ]
    assert actions_for(item) == [
        AuditAction.CAP_ITEM_ADD,
        AuditAction.CAP_ITEM_OPEN,
        AuditAction.CAP_ITEM_RESPOND,
        AuditAction.CAP_ITEM_RETURN,
        AuditAction.CAP_ITEM_RESPOND,
        AuditAction.CAP_ITEM_ACCEPT,
    ]
    statuses = [
        (e.before["status"], e.after["status"])
        for e in AuditEvent.objects.filter(object_type="integrity.correctiveactionitem", object_id=str(item.pk))
        .exclude(action=AuditAction.CAP_ITEM_ADD)
        .order_by("at", "id")
    ]
    assert statuses == [
        ("draft", "open"),
        ("open", "responded"),
        ("responded", "returned"),
        ("returned", "responded"),
        ("responded", "accepted"),
    ]
    assert AuditEvent.objects.filter(action=AuditAction.REVIEW_EVIDENCE_ADD).count() == 1


def test_all_compliant_closes_without_a_plan(frozen, analyst):
    county_world(employments=2, lines=0)
    review = open_la_review(analyst, scope=["employment"])
    services.review_sample(actor=analyst, review=review)
    for record in review.records.all():
        services.review_record_finding(
            actor=analyst, review=review, kind=record.kind, record_id=record.record_id, outcome="compliant"
        )
    with pytest.raises(ApplicationError, match="close the review instead"):
        services.review_issue_plan(actor=analyst, review=review)
    services.review_close(actor=analyst, review=review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(REVIEW_TRANSITIONS, ReviewStatus))
def test_review_moves_follow_the_map(source, target, allowed):
    from peercert.core.transitions import check_transition

    review = Review(status=source)
    if allowed:
        check_transition(review, target, allowed=REVIEW_TRANSITIONS, noun="review")
    else:
        with pytest.raises(ApplicationError):
            check_transition(review, target, allowed=REVIEW_TRANSITIONS, noun="review")


def test_refused_moves_change_nothing(frozen, analyst):
    county_world(employments=1, lines=0)
    review = open_la_review(analyst, scope=["employment"])
    with pytest.raises(ApplicationError, match="planned"):
        services.review_close(actor=analyst, review=review)
    services.review_sample(actor=analyst, review=review)
    with pytest.raises(ApplicationError, match="cannot become"):
        services.review_sample(actor=analyst, review=review)
    assert review.records.count() == 1
    services.review_cancel(actor=analyst, review=review, reason="Duplicate of the spring review.")
    review.refresh_from_db()
    assert review.status == ReviewStatus.CANCELLED
    assert actions_for(review)[-1] == AuditAction.REVIEW_CANCEL


def test_the_sample_is_reproducible_and_stays_in_the_party_and_period(frozen, analyst):
    world = county_world(employments=15, lines=25)
    fresno = county_world("Fresno", employments=5, lines=5)
    # A line outside the period and a line not paid: never sampled.
    outside = paid_line(world["county"], datetime.date(2025, 12, 31), employment=world["employments"][0])
    unpaid = ServiceLineFactory(
        batch=ServiceBatchFactory(county=world["county"]), service_date=datetime.date(2026, 4, 1)
    )

    first = open_la_review(analyst, seed=777)
    second = open_la_review(analyst, seed=777)
    third = open_la_review(analyst, seed=778)
    for review in (first, second, third):
        services.review_sample(actor=analyst, review=review)

    def drawn(review):
        return list(
            review.records.order_by("kind", "position").values_list(
                "kind", "employment_id", "supervision_id", "service_line_id"
            )
        )

    assert drawn(first) == drawn(second)
    assert drawn(first) != drawn(third)
    assert first.records.filter(kind="employment").count() == 10  # review_sample_size
    assert first.records.filter(kind="service_line").count() == 10
    la_jobs = set(Employment.objects.filter(county=world["county"]).values_list("pk", flat=True))
    assert not la_jobs & {e.pk for e in fresno["employments"]}
    assert set(first.records.filter(kind="employment").values_list("employment_id", flat=True)) <= la_jobs
    sampled_lines = set(ReviewRecord.objects.filter(kind="service_line").values_list("service_line_id", flat=True))
    assert outside.pk not in sampled_lines and unpaid.pk not in sampled_lines
    assert not sampled_lines & {line.pk for line in fresno["lines"]}


def test_sampling_takes_the_same_statements_for_more_rows(frozen, analyst):
    county_world(employments=3, lines=3)
    small = open_la_review(analyst)
    with CaptureQueriesContext(connection) as few:
        services.review_sample(actor=analyst, review=small)
    county_world(employments=20, lines=40)
    large = open_la_review(analyst)
    with CaptureQueriesContext(connection) as many:
        services.review_sample(actor=analyst, review=large)
    assert len(many) == len(few)


def test_a_finding_outside_the_scope_is_refused(frozen, analyst):
    world = county_world(employments=2, lines=2)
    other = EmploymentFactory(provider=ProviderFactory(county=county("Fresno")))
    review = open_la_review(analyst, scope=["employment"])
    services.review_sample(actor=analyst, review=review)

    with pytest.raises(ApplicationError, match="outside the review's scope"):
        services.review_record_finding(
            actor=analyst, review=review, kind="service_line", record_id=world["lines"][0].pk, outcome="compliant"
        )
    with pytest.raises(ApplicationError, match="not among the records sampled"):
        services.review_record_finding(
            actor=analyst, review=review, kind="employment", record_id=other.pk, outcome="compliant"
        )
    with pytest.raises(ApplicationError, match="Choose what is not compliant"):
        services.review_record_finding(
            actor=analyst,
            review=review,
            kind="employment",
            record_id=world["employments"][0].pk,
            outcome="not_compliant",
            note="x",
        )
    assert not review.records.exclude(outcome=FindingOutcome.PENDING).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.REVIEW_FINDING).exists()


def test_a_scope_the_party_does_not_keep_is_refused(frozen, analyst):
    with pytest.raises(ApplicationError, match="kinds of record"):
        open_la_review(analyst, scope=["employment", "certification"])
    with pytest.raises(ApplicationError, match="cannot end after today"):
        services.review_open(
            actor=analyst,
            party="program",
            program=statewide_program(),
            title="Program",
            scope=["certification"],
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2027, 1, 1),
        )
    assert not Review.objects.exists()


def test_nobody_runs_a_review_of_their_own_party(frozen):
    both = user_with_role(Role.DHCS_ANALYST, email="both@test.peercert.example")
    from peercert.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=both, role=Role.COUNTY_BILLING, county=county("Los Angeles"))
    with pytest.raises(ApplicationError) as refused:
        open_la_review(both)
    assert refused.value.code == "own_matter"
    clerk = user_with_role(Role.COUNTY_STAFF, email="clerk@test.peercert.example")
    with pytest.raises(ApplicationError):
        open_la_review(clerk)


def test_a_program_review_samples_certifications(frozen, analyst):
    program = statewide_program()
    certs = [CertificationFactory(program=program, issued_on=datetime.date(2026, 2, 1 + i)) for i in range(3)]
    CertificationFactory(program=program, issued_on=datetime.date(2024, 2, 1))
    review = services.review_open(
        actor=analyst,
        party="program",
        program=program,
        title="Program 2026",
        scope=["certification"],
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 10, 31),
        seed=5,
    )
    assert services.review_sample(actor=analyst, review=review) == {"certification": 3}
    assert set(review.records.values_list("certification_id", flat=True)) == {c.pk for c in certs}


def test_a_county_never_sees_another_countys_reviews(frozen, analyst, la_staff):
    fresno_user = user_with_role(Role.COUNTY_STAFF, email="fresno@test.peercert.example", county_name="Fresno")
    la_review, _record, item = review_with_plan(owner=la_staff, employment=EmploymentFactory())
    fresno_review = ReviewFactory(county=county("Fresno"), title="Fresno review")
    prog = program_review()

    assert list(selectors.review_list(la_staff)) == [la_review]
    assert list(selectors.review_list(fresno_user)) == [fresno_review]
    assert set(selectors.review_list(analyst)) == {la_review, fresno_review, prog}
    with pytest.raises(Http404):
        selectors.access_review(fresno_user, la_review.pk)
    with pytest.raises(Http404):
        selectors.access_corrective_action(fresno_user, item.pk)
    assert list(selectors.corrective_actions_due(la_staff)) == [item]
    assert not selectors.corrective_actions_due(fresno_user).exists()
    # Nor may Fresno answer Los Angeles's plan through the service.
    with pytest.raises(ApplicationError):
        services.corrective_action_respond(actor=fresno_user, item=item, response="Done")


def test_overdue_items_escalate_once(analyst, la_staff):
    with time_machine.travel(datetime.datetime(2026, 12, 10, 18, 0, tzinfo=datetime.UTC), tick=False):
        review, _record, item = review_with_plan(owner=la_staff, employment=EmploymentFactory(), created_by=analyst)
        assert services.corrective_actions_escalate(datetime.date(2026, 12, 10)) == {"escalated": 0}
    # 00:05 Pacific on 16 December: the day after it was due, UTC already the 16th at 08:05.
    with time_machine.travel(datetime.datetime(2026, 12, 16, 8, 5, tzinfo=datetime.UTC), tick=False):
        runs = run_daily_jobs(only=["integrity.corrective_actions_escalate"])
        assert runs[0].counts == {"escalated": 1}
        item.refresh_from_db()
        assert item.escalated_on == datetime.date(2026, 12, 16)
        assert Notification.objects.filter(user=la_staff, subject__startswith="Overdue").count() == 1
        assert Notification.objects.filter(user=analyst, subject__startswith="Overdue").count() == 1
        again = run_daily_jobs(only=["integrity.corrective_actions_escalate"])
        assert again[0].counts == {"escalated": 0}
    assert AuditEvent.objects.filter(action=AuditAction.CAP_ITEM_ESCALATE, object_id=str(item.pk)).count() == 1


def test_an_item_due_today_is_not_yet_overdue(analyst, la_staff):
    # 23:55 Pacific on 15 December (UTC the 16th): still the due day in Los Angeles.
    with time_machine.travel(datetime.datetime(2026, 12, 16, 7, 55, tzinfo=datetime.UTC), tick=False):
        _review, _record, item = review_with_plan(owner=la_staff, employment=EmploymentFactory())
        assert run_daily_jobs(only=["integrity.corrective_actions_escalate"])[0].counts == {"escalated": 0}
        item.refresh_from_db()
        assert item.escalated_on is None


def test_a_bad_evidence_file_saves_nothing(frozen, la_staff):
    _review, _record, item = review_with_plan(owner=la_staff, employment=EmploymentFactory())
    fake = SimpleUploadedFile("log.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    with pytest.raises(ApplicationError, match="not a PDF"):
        services.corrective_action_respond(actor=la_staff, item=item, response="Done", files=[fake])
    item.refresh_from_db()
    assert item.status == CorrectiveActionStatus.OPEN and not item.evidence.exists()
