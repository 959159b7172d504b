"""Utilization review: a seeded reproducible sample of the county's paid lines plus every outlier, one
finding per line, nobody reviewing their own service, the signal for a paid line found not supported,
a county never seeing another's reviews."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.benefit.tests.factories import EmploymentFactory, county
from peercert.billing.models import LineStatus
from peercert.billing.tests.factories import BeneficiaryFactory, ServiceBatchFactory, ServiceLineFactory
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.core.transitions import assert_map_covers
from peercert.integrity import selectors, services, signals
from peercert.integrity.models.utilization import (
    UTILIZATION_REVIEW_TRANSITIONS,
    LineFinding,
    LineFindingOutcome,
    ReviewLine,
    UtilizationReviewStatus,
)

pytestmark = pytest.mark.django_db
START, END = datetime.date(2026, 9, 1), datetime.date(2026, 9, 30)


@pytest.fixture(autouse=True)
def frozen():
    # 23:55 Pacific on 30 November 2026 (UTC already 1 December).
    with time_machine.travel(datetime.datetime(2026, 12, 1, 7, 55, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def la():
    return county("Los Angeles")


@pytest.fixture
def staff():
    return user_with_role(Role.COUNTY_BILLING)


@pytest.fixture
def supervisor():
    return user_with_role(Role.COUNTY_BILLING_SUPERVISOR)


def paid_lines(where, n, *, peer=None, units=4, day=datetime.date(2026, 9, 10), **kw):
    batch = ServiceBatchFactory(county=where)
    peer = peer or EmploymentFactory(provider__county=where)
    beneficiary = BeneficiaryFactory(county=where)
    return [
        ServiceLineFactory(
            batch=batch,
            employment=peer,
            beneficiary=beneficiary,
            units=units,
            minutes=units * 15,
            service_date=day + datetime.timedelta(days=i % 15),
            status=LineStatus.BILLABLE,
            remittance_status="paid",
            paid_amount=Decimal("25.00") * units,
            **kw,
        )
        for i in range(n)
    ]


def test_the_sample_is_reproducible_with_the_seed_and_sized_by_the_rule(la, staff):
    paid_lines(la, 40)
    first = services.utilization_review_open(actor=staff, county=la, period_start=START, period_end=END, seed=4242)
    again = services.utilization_review_open(actor=staff, county=la, period_start=START, period_end=END, seed=4242)
    other = services.utilization_review_open(actor=staff, county=la, period_start=START, period_end=END, seed=7)

    def sample(review):
        return set(ReviewLine.objects.filter(review=review, sampled=True).values_list("line_id", flat=True))

    assert len(sample(first)) == 2  # ceil(40 x 0.05)
    assert sample(first) == sample(again)
    assert sample(other) != sample(first) or len(sample(other)) == 2
    assert first.paid_lines == 40 and first.sample_rate == Decimal("0.0500")
    event = AuditEvent.objects.get(action="utilization_review.open", object_id=str(first.pk))
    assert event.after["seed"] == 4242


def test_unpaid_lines_and_other_counties_are_not_drawn(la, staff):
    paid_lines(la, 3)
    fresno = county("Fresno")
    paid_lines(fresno, 5)
    batch = ServiceBatchFactory(county=la)
    ServiceLineFactory(batch=batch, status=LineStatus.BILLABLE, service_date=datetime.date(2026, 9, 5))
    review = services.utilization_review_open(actor=staff, county=la, period_start=START, period_end=END, seed=1)
    assert review.paid_lines == 3
    assert set(ReviewLine.objects.filter(review=review).values_list("line__county_id", flat=True)) <= {la.pk}


def test_outliers_peer_over_the_day_across_providers_and_units_far_above_the_median(la, staff):
    ordinary = paid_lines(la, 20, units=2)
    person = PersonFactory()
    peer_a = EmploymentFactory(person=person, provider__county=la)
    peer_b = EmploymentFactory(person=person, provider__county=la)
    day = datetime.date(2026, 9, 20)
    # 20 + 16 = 36 units in one day across two providers: over the statewide 32.
    over = paid_lines(la, 1, peer=peer_a, units=20, day=day) + paid_lines(la, 1, peer=peer_b, units=16, day=day)
    review = services.utilization_review_open(actor=staff, county=la, period_start=START, period_end=END, seed=99)
    rows = {r.line_id: r for r in ReviewLine.objects.filter(review=review)}
    assert {x.pk for x in over} <= {k for k, r in rows.items() if r.peer_day}
    # Median units for H0038 is 2; 3 x 2 = 6: the 20- and 16-unit lines are far above it.
    assert {k for k, r in rows.items() if r.units_above_median} == {x.pk for x in over}
    assert not any(rows[x.pk].peer_day for x in ordinary if x.pk in rows)


def test_opening_is_set_based_whatever_the_number_of_lines(la, staff):
    def statements(n):
        paid_lines(la, n, day=datetime.date(2026, 9, 1) if n < 10 else datetime.date(2026, 9, 16))
        with CaptureQueriesContext(connection) as ctx:
            services.utilization_review_open(
                actor=staff,
                county=la,
                period_start=datetime.date(2026, 9, 1) if n < 10 else datetime.date(2026, 9, 16),
                period_end=datetime.date(2026, 9, 15) if n < 10 else datetime.date(2026, 9, 30),
                seed=3,
            )
        return len(ctx.captured_queries)

    # A first review of an earlier month warms the one-time lookups (the program rules' cache, content types).
    paid_lines(la, 2, day=datetime.date(2026, 8, 3))
    services.utilization_review_open(
        actor=staff, county=la, period_start=datetime.date(2026, 8, 1), period_end=datetime.date(2026, 8, 31), seed=3
    )
    assert statements(5) == statements(40)


@pytest.mark.parametrize(
    ("start", "end"),
    [(END, START), (datetime.date(2026, 11, 1), datetime.date(2026, 12, 31)), (datetime.date(2025, 1, 1), END)],
)
def test_bad_periods_are_refused(la, staff, start, end):
    with pytest.raises(ApplicationError):
        services.utilization_review_open(actor=staff, county=la, period_start=start, period_end=end, seed=1)


def test_only_the_countys_billing_staff_open_a_review(la):
    for role in (Role.DHCS_ANALYST, Role.COUNTY_STAFF, Role.AUDITOR):
        with pytest.raises(ApplicationError):
            services.utilization_review_open(
                actor=user_with_role(role), county=la, period_start=START, period_end=END, seed=1
            )
    fresno_staff = user_with_role(Role.COUNTY_BILLING, county_name="Fresno")
    with pytest.raises(ApplicationError):
        services.utilization_review_open(actor=fresno_staff, county=la, period_start=START, period_end=END, seed=1)


def _one_line_review(la, staff, **kw):
    line = paid_lines(la, 1, **kw)[0]
    review = services.utilization_review_open(actor=staff, county=la, period_start=START, period_end=END, seed=5)
    return review, ReviewLine.objects.get(review=review, line_id=line.pk), line


def test_a_not_supported_paid_line_sends_the_signal_after_commit(la, staff, django_capture_on_commit_callbacks):
    review, row, line = _one_line_review(la, staff)
    received = []

    def receiver(sender, **kw):
        received.append((sender, kw))

    signals.line_found_unsupported.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            finding = services.line_finding_record(
                actor=staff,
                review_line=row,
                outcome=LineFindingOutcome.NOT_SUPPORTED,
                category="documentation",
                note="No progress note for this date in SmartCare.",
            )
    finally:
        signals.line_found_unsupported.disconnect(receiver)
    assert received == [
        (
            LineFinding,
            {
                "line_ids": [line.pk],
                "finding_ids": [finding.pk],
                "actor": staff,
                "signal": signals.line_found_unsupported,
            },
        )
    ]
    assert AuditEvent.objects.filter(action="utilization_finding.record", object_id=str(finding.pk)).exists()


def test_a_supported_finding_sends_nothing(la, staff, django_capture_on_commit_callbacks):
    review, row, line = _one_line_review(la, staff)
    received = []
    signals.line_found_unsupported.connect(
        lambda sender, **kw: received.append(kw), weak=False, dispatch_uid="test-supported"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.line_finding_record(actor=staff, review_line=row, outcome=LineFindingOutcome.SUPPORTED)
    finally:
        signals.line_found_unsupported.disconnect(dispatch_uid="test-supported")
    assert received == []
    with pytest.raises(ApplicationError) as error:
        services.line_finding_record(actor=staff, review_line=row, outcome=LineFindingOutcome.SUPPORTED)
    assert error.value.code == "duplicate"


@pytest.mark.parametrize(
    ("category", "note", "field"),
    [("", "note", "category"), ("documentation", "", "note"), ("billing", "note", "category")],
)
def test_not_supported_needs_a_category_and_a_note(la, staff, category, note, field):
    review, row, line = _one_line_review(la, staff)
    with pytest.raises(ApplicationError) as error:
        services.line_finding_record(
            actor=staff, review_line=row, outcome=LineFindingOutcome.NOT_SUPPORTED, category=category, note=note
        )
    assert error.value.field == field
    assert not LineFinding.objects.exists()


def test_nobody_reviews_a_service_they_rendered(la, staff):
    reviewer = user_with_role(Role.COUNTY_BILLING, with_person=True)
    peer = EmploymentFactory(person=reviewer.person, provider__county=la)
    review, row, line = _one_line_review(la, staff, peer=peer)
    with pytest.raises(ApplicationError) as error:
        services.line_finding_record(actor=reviewer, review_line=row, outcome=LineFindingOutcome.SUPPORTED)
    assert error.value.code == "own_matter"


def test_a_review_closes_only_when_every_line_has_a_finding(la, staff, supervisor):
    review, row, line = _one_line_review(la, staff)
    with pytest.raises(ApplicationError):
        services.utilization_review_close(actor=supervisor, review=review)
    services.line_finding_record(actor=staff, review_line=row, outcome=LineFindingOutcome.SUPPORTED)
    with pytest.raises(ApplicationError):
        services.utilization_review_close(actor=staff, review=review)
    closed = services.utilization_review_close(actor=supervisor, review=review)
    assert closed.status == UtilizationReviewStatus.CLOSED
    assert AuditEvent.objects.get(action="utilization_review.close").after["findings"] == {"supported": 1}
    with pytest.raises(ApplicationError):
        services.line_finding_record(actor=staff, review_line=row, outcome=LineFindingOutcome.SUPPORTED)


def test_the_review_map_covers_every_state():
    assert_map_covers(UTILIZATION_REVIEW_TRANSITIONS, UtilizationReviewStatus)


def test_a_county_never_sees_another_countys_reviews(la, staff):
    review, row, line = _one_line_review(la, staff)
    fresno_staff = user_with_role(Role.COUNTY_BILLING, county_name="Fresno")
    assert list(selectors.utilization_review_list(fresno_staff)) == []
    assert not selectors.lines_to_review(fresno_staff).exists()
    assert [r.pk for r in selectors.utilization_review_list(user_with_role(Role.DHCS_ANALYST))] == [review.pk]
    assert selectors.lines_to_review(staff).count() == 1
