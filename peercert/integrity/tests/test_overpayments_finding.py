"""Overpayments found when a fact changes after payment: a back-dated revocation, a corrected eligibility
month, a corrected hire date, an ended supervision, a review's unsupported lines. Set-based and idempotent."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.billing import selectors as billing_selectors
from peercert.billing.models import ServiceLine
from peercert.certification.models import CertificationStatusChange
from peercert.certification.services import certification_change_status
from peercert.certification.signals import certification_status_changed
from peercert.core.models import AuditEvent
from peercert.integrity import services
from peercert.integrity.models import FactKind, Overpayment, OverpaymentLine, OverpaymentStatus
from peercert.integrity.signals import line_found_unsupported
from peercert.integrity.tests.factories.overpayments import PAID_AMOUNT, paid_lines_for, two_county_peer

pytestmark = pytest.mark.django_db
# 2026-11-20 at 00:05 Pacific: the UTC date is already the 20th at 08:05 and the Pacific date the 20th.
TODAY = datetime.date(2026, 11, 20)
NOON = datetime.datetime(2026, 11, 20, 20, 0, tzinfo=datetime.UTC)
FIRST = datetime.date(2026, 9, 21)  # 60 days of service before today
DAYS = 60


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def peer():
    world = two_county_peer(FIRST, DAYS)
    world["la_lines"] = paid_lines_for(world["la"], FIRST, DAYS, unpaid_every=7)
    world["fresno_lines"] = paid_lines_for(world["fresno"], FIRST, DAYS, unpaid_every=7)
    return world


def _failing(lines) -> set[int]:
    qs = ServiceLine.objects.filter(pk__in=[line.pk for line in lines])
    return {
        pk
        for _code, failing in billing_selectors.fact_rule_querysets(qs)
        for pk in failing.values_list("pk", flat=True)
    }


def _revoke(certification, effective_on, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certification_change_status(
            actor=None,
            certification=certification,
            to_status="revoked",
            reason="Revoked after a hearing; effective the date of the conduct.",
            effective_on=effective_on,
            source="discipline",
        )


def test_every_line_passes_before_the_fact_changes(peer):
    # The precondition of every test below: the paid lines were correct when they were paid.
    assert _failing(peer["la_lines"] + peer["fresno_lines"]) == set()


def test_a_revocation_back_dated_30_days_opens_one_overpayment_per_county_for_exactly_those_paid_lines(
    peer, django_capture_on_commit_callbacks
):
    effective = TODAY - datetime.timedelta(days=30)
    _revoke(peer["certification"], effective, django_capture_on_commit_callbacks)

    overpayments = Overpayment.objects.order_by("county__name")
    assert [op.county.name for op in overpayments] == ["Fresno", "Los Angeles"]
    for op, lines in zip(overpayments, [peer["fresno_lines"], peer["la_lines"]], strict=True):
        expected = {line.pk for line in lines if line.service_date >= effective and line.remittance_status == "paid"}
        listed = set(op.lines.values_list("line_id", flat=True))
        assert listed == expected
        assert len(expected) == 26  # 30 days, less the 4 denied (unpaid) lines among them
        assert op.status == OverpaymentStatus.OPEN
        assert op.identified_on == TODAY
        assert op.due_on == TODAY + datetime.timedelta(days=60)
        row = op.lines.order_by("service_date").first()
        assert row.amount == PAID_AMOUNT
        assert row.reason_code == "certification_not_active"
        assert row.fact_kind == FactKind.CERTIFICATION_STATUS
        assert row.fact_effective_on == effective
        change = CertificationStatusChange.objects.get(to_status="revoked")
        assert row.fact_reference == f"certification status change {change.pk}"
        assert AuditEvent.objects.filter(action="overpayment.find", object_id=str(op.pk)).count() == 1


def test_the_same_fact_recorded_again_opens_nothing_new(peer, django_capture_on_commit_callbacks):
    _revoke(peer["certification"], TODAY - datetime.timedelta(days=30), django_capture_on_commit_callbacks)
    before = (Overpayment.objects.count(), OverpaymentLine.objects.count())
    changes = CertificationStatusChange.objects.filter(to_status="revoked")
    # The same change announced again (a retried job) ...
    certification_status_changed.send(sender=CertificationStatusChange, changes=changes)
    # ... and found again by hand.
    assert services.overpayments_find_for_certification_changes(changes=changes) == {"lines": 0, "overpayments": 0}
    assert (Overpayment.objects.count(), OverpaymentLine.objects.count()) == before
    assert AuditEvent.objects.filter(action="overpayment.find").count() == 2


def test_a_change_that_breaks_nothing_opens_nothing(peer, django_capture_on_commit_callbacks):
    # Effective today: no line on or after today was paid.
    _revoke(peer["certification"], TODAY, django_capture_on_commit_callbacks)
    assert not Overpayment.objects.exists()


def test_a_later_fact_extends_the_open_overpayment_and_never_lists_a_line_twice(
    peer, django_capture_on_commit_callbacks
):
    _revoke(peer["certification"], TODAY - datetime.timedelta(days=10), django_capture_on_commit_callbacks)
    la = Overpayment.objects.get(county__name="Los Angeles")
    first = la.lines.count()
    # A later change effective earlier (e.g. the program corrects the date) reaches more lines.
    change = CertificationStatusChange.objects.create(
        certification=peer["certification"],
        from_status="active",
        to_status="revoked",
        effective_on=TODAY - datetime.timedelta(days=40),
        reason="Correct effective date",
    )
    services.overpayments_find_for_certification_changes(changes=CertificationStatusChange.objects.filter(pk=change.pk))
    assert Overpayment.objects.filter(county__name="Los Angeles").count() == 1
    assert la.lines.count() > first
    assert OverpaymentLine.objects.values("line_id").distinct().count() == OverpaymentLine.objects.count()


def test_a_corrected_eligibility_month_touches_only_that_beneficiarys_lines_of_that_month(
    peer, django_capture_on_commit_callbacks
):
    from peercert.billing.models import EligibilityMonth
    from peercert.billing.services import eligibility_correct
    from peercert.billing.tests.factories import BeneficiaryFactory, EligibilityMonthFactory

    la = peer["la"]
    other = BeneficiaryFactory(county=la["county"])
    for month in (datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)):
        EligibilityMonthFactory(beneficiary=other, month=month)
    others = paid_lines_for(la, FIRST, DAYS, beneficiary=other, prefix="OTH")
    billing = user_with_role(Role.COUNTY_BILLING, county_name="Los Angeles")
    october = EligibilityMonth.objects.get(beneficiary=la["beneficiary"], month=datetime.date(2026, 10, 1))

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        eligibility_correct(
            actor=billing,
            verification=october,
            eligible=False,
            reference="MEDS 2026-11-19",
            reason="Not eligible in October",
        )

    listed = set(OverpaymentLine.objects.values_list("line_id", flat=True))
    expected = {
        line.pk for line in peer["la_lines"] if line.service_date.month == 10 and line.remittance_status == "paid"
    }
    assert listed == expected and expected
    assert not listed & {line.pk for line in others}
    assert set(OverpaymentLine.objects.values_list("reason_code", flat=True)) == {"not_eligible"}
    assert OverpaymentLine.objects.first().fact_kind == FactKind.ELIGIBILITY
    # Nothing is recomputed for lines the change cannot touch: every statement on service lines names the beneficiary.
    table = ServiceLine._meta.db_table
    for q in queries.captured_queries:
        if "INSERT INTO" in q["sql"] and "integrity_overpaymentline" in q["sql"]:
            assert f'"{table}"."beneficiary_id" = ' in q["sql"] or "beneficiary_id" in q["sql"]


def test_a_corrected_hire_date_finds_the_lines_before_the_new_date(peer, django_capture_on_commit_callbacks):
    from peercert.benefit.services import employment_hire_correct

    la = peer["la"]
    employment = la["employment"]
    staff = user_with_role(Role.COUNTY_STAFF, county_name="Los Angeles")
    new_hire = datetime.date(2026, 10, 15)
    with django_capture_on_commit_callbacks(execute=True):
        employment_hire_correct(
            actor=staff, employment=employment, hired_on=new_hire, reason="Hired on the 15th, not before"
        )
    listed = set(OverpaymentLine.objects.values_list("line_id", flat=True))
    expected = {x.pk for x in peer["la_lines"] if x.service_date < new_hire and x.remittance_status == "paid"}
    assert listed == expected and expected
    assert set(OverpaymentLine.objects.values_list("fact_kind", flat=True)) == {FactKind.HIRE_DATE}
    assert set(OverpaymentLine.objects.values_list("reason_code", flat=True)) == {"not_hired"}


def test_an_ended_supervision_finds_the_lines_after_it(peer, django_capture_on_commit_callbacks):
    from peercert.benefit.services import assignment_end

    la = peer["la"]
    staff = user_with_role(Role.COUNTY_STAFF, county_name="Los Angeles")
    end = datetime.date(2026, 11, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_end(actor=staff, assignment=la["assignment"], end_on=end, reason="The supervisor left in October")
    listed = set(OverpaymentLine.objects.values_list("line_id", flat=True))
    expected = {x.pk for x in peer["la_lines"] if x.service_date > end and x.remittance_status == "paid"}
    assert listed == expected and expected
    assert set(OverpaymentLine.objects.values_list("reason_code", flat=True)) == {"no_trained_supervisor"}


def test_a_review_finding_of_unsupported_lines_opens_an_overpayment(peer):
    paid = [x for x in peer["la_lines"] if x.remittance_status == "paid"][:3]
    unpaid = [x for x in peer["la_lines"] if x.remittance_status != "paid"][:1]
    line_found_unsupported.send(
        sender=None, line_ids=[x.pk for x in paid + unpaid], finding_ids=[41, 42, 43, 44], actor=None
    )
    assert set(OverpaymentLine.objects.values_list("line_id", flat=True)) == {x.pk for x in paid}
    assert set(OverpaymentLine.objects.values_list("reason_code", flat=True)) == {services.REVIEW_REASON}


def _paid_world(n: int, tag: int, county_name: str = "Los Angeles"):
    """A peer in the county with n paid lines."""
    from peercert.billing.tests.factories import billable_world

    world = billable_world(county_name, npi_seed=7500 + tag, day=datetime.date(2026, 10, 1))
    from peercert.billing.tests.factories import EligibilityMonthFactory

    EligibilityMonthFactory(beneficiary=world["beneficiary"], month=datetime.date(2026, 11, 1))
    paid_lines_for(world, datetime.date(2026, 10, 1), n, prefix=f"S{tag}-")
    return world


@pytest.mark.parametrize("sizes", [(5, 40)])
def test_the_finding_takes_the_same_number_of_statements_at_two_sizes(sizes):
    counts = []
    # Each size in its own county, so each opens its overpayment (the same statements either way).
    for tag, (n, county_name) in enumerate(zip(sizes, ["Los Angeles", "Fresno"], strict=True)):
        world = _paid_world(n, tag, county_name)
        change = CertificationStatusChange.objects.create(
            certification=world["certification"],
            from_status="active",
            to_status="revoked",
            effective_on=datetime.date(2026, 9, 1),
            reason="Back-dated",
        )
        with CaptureQueriesContext(connection) as queries:
            result = services.overpayments_find_for_certification_changes(
                changes=CertificationStatusChange.objects.filter(pk=change.pk)
            )
        assert result["lines"] == n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_many_changes_at_once_take_the_same_statements_as_one():
    worlds = [_paid_world(4, 10 + i) for i in range(4)]
    changes = [
        CertificationStatusChange.objects.create(
            certification=w["certification"],
            from_status="active",
            to_status="revoked",
            effective_on=datetime.date(2026, 9, 1),
            reason="Back-dated",
        )
        for w in worlds
    ]
    with CaptureQueriesContext(connection) as one:
        services.overpayments_find_for_certification_changes(
            changes=CertificationStatusChange.objects.filter(pk=changes[0].pk)
        )
    with CaptureQueriesContext(connection) as many:
        result = services.overpayments_find_for_certification_changes(
            changes=CertificationStatusChange.objects.filter(pk__in=[c.pk for c in changes[1:]])
        )
    assert result["lines"] == 12
    assert len(many) <= len(one) + 1, (len(one), len(many))
    assert OverpaymentLine.objects.count() == 16
    assert Overpayment.objects.count() == 1
    assert sum(OverpaymentLine.objects.values_list("amount", flat=True)) == PAID_AMOUNT * 16 == Decimal("1320.00")
