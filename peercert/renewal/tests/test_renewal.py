"""Renewal and late renewal: every transition allowed and refused, the bad inputs, audits, fees."""

import datetime
import threading
from decimal import Decimal

import pytest
import time_machine
from django.db import connection

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.certification.models import CertificationSpecialization, CertificationStatus
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.renewal import services
from peercert.renewal.models import CEAuditStatus, Renewal, RenewalKind, RenewalStatus
from peercert.renewal.tests.factories import (
    EXPIRES,
    certified_peer,
    give_ce,
    give_refresher,
    invoices,
    number_audited,
    number_not_audited,
    pay_all,
    pdf,
)

pytestmark = pytest.mark.django_db
IN_WINDOW = datetime.datetime(2026, 11, 2, 17, 0, tzinfo=datetime.UTC)


def audited(action, obj):
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).exists()


def start_signed(user, cert):
    renewal = services.renewal_start(actor=user, certification=cert)
    return services.renewal_sign(actor=user, renewal=renewal, ethics_signed_name=cert.person.full_name, attest=True)


@time_machine.travel(IN_WINDOW, tick=False)
def test_renewal_with_enough_ce_and_paid_fee_is_approved_at_once(django_capture_on_commit_callbacks):
    user, cert = certified_peer(number=number_not_audited())
    give_ce(cert.person, datetime.date(2026, 3, 1))
    renewal = start_signed(user, cert)
    [invoice] = invoices(renewal)
    assert invoice.fee_code == "fee_renewal" and invoice.amount == Decimal("80.00")
    with django_capture_on_commit_callbacks(execute=True):
        pay_all(renewal, user)
    renewal = services.renewal_submit(actor=user, renewal=renewal)
    cert.refresh_from_db()
    assert renewal.status == RenewalStatus.APPROVED
    assert renewal.new_expires_on == cert.expires_on == datetime.date(2029, 1, 15)  # previous expiry + 2 years
    assert renewal.ce_total == Decimal("20") and renewal.ce_law_ethics == Decimal("6")
    assert renewal.ethics_rules_version and renewal.ethics_signed_on == datetime.date(2026, 11, 2)
    for action in ("renewal.start", "renewal.sign", "renewal.submit", "renewal.approve"):
        assert audited(action, renewal), action
    assert audited("certification.renew", cert)


@time_machine.travel(IN_WINDOW, tick=False)
def test_renewal_sent_before_paying_waits_then_fee_settles_it(django_capture_on_commit_callbacks):
    user, cert = certified_peer(number=number_not_audited())
    give_ce(cert.person, datetime.date(2026, 3, 1))
    renewal = services.renewal_submit(actor=user, renewal=start_signed(user, cert))
    assert renewal.status == RenewalStatus.WAITING_FOR_FEE
    with django_capture_on_commit_callbacks(execute=True):
        pay_all(renewal, user)
    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.APPROVED


@time_machine.travel(datetime.datetime(2026, 10, 1, 17, tzinfo=datetime.UTC), tick=False)
def test_renewing_before_the_window_is_refused_with_the_opening_date():
    user, cert = certified_peer()
    with pytest.raises(ApplicationError) as err:
        services.renewal_start(actor=user, certification=cert)
    assert err.value.code == "state" and "October 17, 2026" in err.value.message
    assert not Renewal.objects.exists()


@time_machine.travel(IN_WINDOW, tick=False)
def test_too_few_hours_is_refused_with_the_hours_found():
    user, cert = certified_peer()
    give_ce(cert.person, datetime.date(2026, 3, 1), general="10", law_ethics="2")
    renewal = start_signed(user, cert)
    with pytest.raises(ApplicationError) as err:
        services.renewal_submit(actor=user, renewal=renewal)
    assert set(err.value.extra["failing"]) == {"ce_total", "ce_law_ethics"}
    assert "You have 12 hours" in err.value.message
    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.IN_PROGRESS


@time_machine.travel(IN_WINDOW, tick=False)
def test_hours_outside_the_cycle_do_not_count():
    user, cert = certified_peer()
    give_ce(cert.person, datetime.date(2024, 12, 1))  # before the cycle began
    renewal = start_signed(user, cert)
    with pytest.raises(ApplicationError):
        services.renewal_submit(actor=user, renewal=renewal)


@time_machine.travel(IN_WINDOW, tick=False)
@pytest.mark.parametrize(
    "status",
    [
        CertificationStatus.SUSPENDED,
        CertificationStatus.REVOKED,
        CertificationStatus.SURRENDERED,
        CertificationStatus.VACATED,
    ],
)
def test_not_in_good_standing_is_refused(status):
    user, cert = certified_peer(status=status)
    with pytest.raises(ApplicationError) as err:
        services.renewal_start(actor=user, certification=cert)
    assert err.value.code == "state"
    if status == CertificationStatus.VACATED:
        assert "new application" in err.value.message


@time_machine.travel(IN_WINDOW, tick=False)
def test_suspended_while_in_progress_is_refused_at_submit():
    user, cert = certified_peer(number=number_not_audited())
    give_ce(cert.person, datetime.date(2026, 3, 1))
    renewal = start_signed(user, cert)
    cert.status = CertificationStatus.SUSPENDED
    cert.save(update_fields=["status"])
    with pytest.raises(ApplicationError) as err:
        services.renewal_submit(actor=user, renewal=renewal)
    assert "standing" in err.value.extra["failing"]


@time_machine.travel(IN_WINDOW, tick=False)
def test_second_renewal_at_once_is_refused():
    user, cert = certified_peer()
    first = services.renewal_start(actor=user, certification=cert)
    with pytest.raises(ApplicationError) as err:
        services.renewal_start(actor=user, certification=cert)
    assert err.value.code == "conflict" and err.value.extra["renewal_id"] == first.pk


@time_machine.travel(IN_WINDOW, tick=False)
def test_database_refuses_two_open_renewals():
    from django.db import IntegrityError, transaction

    user, cert = certified_peer()
    services.renewal_start(actor=user, certification=cert)
    with pytest.raises(IntegrityError), transaction.atomic():
        Renewal.objects.create(
            certification=cert, person=cert.person, cycle_starts_on=datetime.date(2025, 1, 15), cycle_ends_on=EXPIRES
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_renewals_started_at_the_same_moment_one_wins():
    with time_machine.travel(IN_WINDOW, tick=False):
        user, cert = certified_peer()
    results, barrier = [], threading.Barrier(2)

    def go():
        from django.db import connection as conn

        barrier.wait()
        try:
            with time_machine.travel(IN_WINDOW, tick=False):
                services.renewal_start(actor=user, certification=cert)
            results.append("ok")
        except ApplicationError as exc:
            results.append(exc.code)
        finally:
            conn.close()

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"]
    assert Renewal.objects.filter(certification=cert).count() == 1


@time_machine.travel(IN_WINDOW, tick=False)
def test_only_the_holder_may_start_sign_submit_or_withdraw():
    user, cert = certified_peer()
    other, _ = certified_peer("Ana", "Peña")
    with pytest.raises(ApplicationError) as err:
        services.renewal_start(actor=other, certification=cert)
    assert err.value.code == "forbidden"
    renewal = services.renewal_start(actor=user, certification=cert)
    for call in (
        lambda: services.renewal_sign(actor=other, renewal=renewal, ethics_signed_name="x", attest=True),
        lambda: services.renewal_submit(actor=other, renewal=renewal),
        lambda: services.renewal_withdraw(actor=other, renewal=renewal),
    ):
        with pytest.raises(ApplicationError):
            call()


@time_machine.travel(IN_WINDOW, tick=False)
def test_signing_needs_the_legal_name_and_the_attestation():
    user, cert = certified_peer("José", "Núñez")
    renewal = services.renewal_start(actor=user, certification=cert)
    with pytest.raises(ApplicationError) as err:
        services.renewal_sign(actor=user, renewal=renewal, ethics_signed_name="Someone Else", attest=True)
    assert err.value.field == "ethics_signed_name"
    with pytest.raises(ApplicationError) as err:
        services.renewal_sign(actor=user, renewal=renewal, ethics_signed_name="jose nunez", attest=False)
    assert err.value.field == "attest"
    services.renewal_sign(actor=user, renewal=renewal, ethics_signed_name="jose  nunez", attest=True)
    with pytest.raises(ApplicationError) as err:
        services.renewal_submit(actor=user, renewal=renewal)  # no CE
    assert "ethics" not in err.value.extra["failing"] and "attestation" not in err.value.extra["failing"]


@time_machine.travel(IN_WINDOW, tick=False)
def test_unsigned_renewal_is_refused():
    user, cert = certified_peer()
    give_ce(cert.person, datetime.date(2026, 3, 1))
    renewal = services.renewal_start(actor=user, certification=cert)
    with pytest.raises(ApplicationError) as err:
        services.renewal_submit(actor=user, renewal=renewal)
    assert set(err.value.extra["failing"]) == {"ethics", "attestation"}


@time_machine.travel(IN_WINDOW, tick=False)
def test_withdraw_cancels_the_unpaid_fee_and_allows_a_new_start():
    user, cert = certified_peer()
    renewal = services.renewal_start(actor=user, certification=cert)
    services.renewal_withdraw(actor=user, renewal=renewal)
    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.WITHDRAWN and audited("renewal.withdraw", renewal)
    assert invoices(renewal)[0].status == "cancelled"
    with pytest.raises(ApplicationError):
        services.renewal_withdraw(actor=user, renewal=renewal)
    assert services.renewal_start(actor=user, certification=cert).pk != renewal.pk


@time_machine.travel(IN_WINDOW, tick=False)
def test_transition_map_refuses_what_it_does_not_list():
    user, cert = certified_peer(number=number_not_audited())
    give_ce(cert.person, datetime.date(2026, 3, 1))
    renewal = services.renewal_submit(actor=user, renewal=start_signed(user, cert))
    assert renewal.status == RenewalStatus.WAITING_FOR_FEE
    manager = user_with_role(Role.PROGRAM_MANAGER)
    with pytest.raises(ApplicationError):
        services.renewal_approve(actor=manager, renewal=renewal)  # not under review
    with pytest.raises(ApplicationError) as err:
        services.renewal_deny(actor=manager, renewal=renewal, reason="no")
    assert err.value.code == "state"
    with pytest.raises(ApplicationError):
        services.renewal_submit(actor=user, renewal=renewal)


@time_machine.travel(IN_WINDOW, tick=False)
def test_specializations_stay_with_the_renewed_certification(django_capture_on_commit_callbacks):
    user, cert = certified_peer(number=number_not_audited())
    CertificationSpecialization.objects.create(
        certification=cert, specialization="crisis", added_on=datetime.date(2025, 6, 1)
    )
    give_ce(cert.person, datetime.date(2026, 3, 1))
    renewal = start_signed(user, cert)
    with django_capture_on_commit_callbacks(execute=True):
        pay_all(renewal, user)
    services.renewal_submit(actor=user, renewal=renewal)
    cert.refresh_from_db()
    assert cert.expires_on == datetime.date(2029, 1, 15)
    assert cert.specialization_values == ["crisis"]


# ---- CE audit ---------------------------------------------------------------------------


def test_audit_draw_is_reproducible_and_near_the_rate():
    day = datetime.date(2027, 1, 15)
    assert services.ce_audit_draw("PSS-000123", day) == services.ce_audit_draw("PSS-000123", day)
    drawn = sum(services.ce_audit_drawn(f"PSS-{i:06d}", day, Decimal("0.10")) for i in range(2000))
    assert 140 < drawn < 260
    assert not any(services.ce_audit_drawn(f"PSS-{i:06d}", day, Decimal("0")) for i in range(200))


@time_machine.travel(IN_WINDOW, tick=False)
def test_drawn_audit_goes_to_staff_and_accepting_it_renews(django_capture_on_commit_callbacks):
    user, cert = certified_peer(number=number_audited())
    give_ce(cert.person, datetime.date(2026, 3, 1))
    renewal = start_signed(user, cert)
    with django_capture_on_commit_callbacks(execute=True):
        pay_all(renewal, user)
    renewal = services.renewal_submit(actor=user, renewal=renewal)
    assert renewal.status == RenewalStatus.UNDER_REVIEW and renewal.audit_drawn
    audit = renewal.ce_audit
    assert audit.status == CEAuditStatus.REQUESTED and audited("ce_audit.draw", audit)
    with pytest.raises(ApplicationError):
        services.ce_audit_submit(actor=user, audit=audit)  # nothing uploaded
    with pytest.raises(ApplicationError):
        services.ce_audit_evidence_add(
            actor=user,
            audit=audit,
            upload=pdf("fake.pdf").__class__("fake.pdf", b"not a pdf", content_type="application/pdf"),
        )
    services.ce_audit_evidence_add(actor=user, audit=audit, upload=pdf())
    services.ce_audit_submit(actor=user, audit=audit)
    reviewer = user_with_role(Role.PROGRAM_REVIEWER)
    with pytest.raises(ApplicationError):
        services.renewal_approve(actor=reviewer, renewal=renewal)  # audit not decided
    with pytest.raises(ApplicationError):
        services.ce_audit_decide(actor=user, audit=audit, accept=True)  # peers do not decide
    services.ce_audit_decide(actor=reviewer, audit=audit, accept=True)
    renewal.refresh_from_db()
    audit.refresh_from_db()
    assert audit.status == CEAuditStatus.ACCEPTED and renewal.status == RenewalStatus.APPROVED
    assert audited("ce_audit.decide", audit)


@time_machine.travel(IN_WINDOW, tick=False)
def test_rejected_audit_blocks_the_renewal():
    user, cert = certified_peer(number=number_audited())
    give_ce(cert.person, datetime.date(2026, 3, 1))
    renewal = services.renewal_submit(actor=user, renewal=start_signed(user, cert))
    services.ce_audit_evidence_add(actor=user, audit=renewal.ce_audit, upload=pdf())
    services.ce_audit_submit(actor=user, audit=renewal.ce_audit)
    reviewer = user_with_role(Role.PROGRAM_REVIEWER)
    with pytest.raises(ApplicationError) as err:
        services.ce_audit_decide(actor=reviewer, audit=renewal.ce_audit, accept=False, notes="")
    assert err.value.field == "notes"
    services.ce_audit_decide(actor=reviewer, audit=renewal.ce_audit, accept=False, notes="Certificates not legible.")
    renewal.refresh_from_db()
    cert.refresh_from_db()
    assert renewal.status == RenewalStatus.DENIED and "not legible" in renewal.decision_reason
    assert cert.expires_on == EXPIRES
    with pytest.raises(ApplicationError):
        services.renewal_approve(actor=reviewer, renewal=renewal)
    with pytest.raises(ApplicationError, match="only evidence that was sent"):  # only an appeal undoes it
        services.ce_audit_decide(actor=reviewer, audit=renewal.ce_audit, accept=True)


@time_machine.travel(IN_WINDOW, tick=False)
def test_staff_deny_under_review_needs_a_reason():
    user, cert = certified_peer(number=number_audited())
    give_ce(cert.person, datetime.date(2026, 3, 1))
    renewal = services.renewal_submit(actor=user, renewal=start_signed(user, cert))
    manager = user_with_role(Role.PROGRAM_MANAGER)
    with pytest.raises(ApplicationError):
        services.renewal_deny(actor=manager, renewal=renewal, reason=" ")
    with pytest.raises(ApplicationError) as err:
        services.renewal_deny(actor=user_with_role(Role.COUNTY_STAFF), renewal=renewal, reason="x")
    assert err.value.code == "forbidden"
    services.renewal_deny(actor=manager, renewal=renewal, reason="Evidence never sent.")
    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.DENIED and audited("renewal.deny", renewal)


# ---- Late renewal (reinstatement) -------------------------------------------------------


@time_machine.travel(datetime.datetime(2027, 3, 1, 17, tzinfo=datetime.UTC), tick=False)
def test_late_renewal_charges_both_fees_needs_refresher_and_reactivates(django_capture_on_commit_callbacks):
    user, cert = certified_peer(number=number_not_audited(), status=CertificationStatus.EXPIRED)
    give_ce(cert.person, datetime.date(2026, 6, 1))
    renewal = services.renewal_start(actor=user, certification=cert)
    assert renewal.kind == RenewalKind.REINSTATEMENT
    assert sorted((i.fee_code, i.amount) for i in invoices(renewal)) == [
        ("fee_late", Decimal("25.00")),
        ("fee_reinstatement", Decimal("80.00")),
    ]
    services.renewal_sign(
        actor=user, renewal=renewal, ethics_signed_name=cert.person.full_name, attest=True, proof="refresher"
    )
    with pytest.raises(ApplicationError) as err:
        services.renewal_submit(actor=user, renewal=renewal)
    assert err.value.extra["failing"] == ["currency"]
    give_refresher(cert.person, datetime.date(2027, 2, 10))
    with django_capture_on_commit_callbacks(execute=True):
        pay_all(renewal, user)
    renewal = services.renewal_submit(actor=user, renewal=renewal)
    cert.refresh_from_db()
    assert renewal.status == RenewalStatus.APPROVED
    assert cert.status == CertificationStatus.ACTIVE and cert.expires_on == datetime.date(2029, 1, 15)
    assert cert.status_changes.filter(to_status=CertificationStatus.ACTIVE, source="reinstatement").exists()


def _passed_exam(user, on):
    from peercert.exams.models import Attempt, ExamAuthorization
    from peercert.exams.tests.factories import checked_in_attempt

    ExamAuthorization.objects.create(
        person=user.person,
        valid_until=on + datetime.timedelta(days=30),
        attempts_paid=1,
        reference=f"test-{on}",
        rules_version="test",
    )
    attempt = checked_in_attempt(user=user)
    Attempt.objects.filter(pk=attempt.pk).update(status="scored", result="passed", taken_on=on)


@time_machine.travel(datetime.datetime(2027, 3, 1, 17, tzinfo=datetime.UTC), tick=False)
def test_late_renewal_accepts_an_exam_passed_after_expiry_not_before():
    user, cert = certified_peer(number=number_not_audited(), status=CertificationStatus.EXPIRED)
    give_ce(cert.person, datetime.date(2026, 6, 1))
    _passed_exam(user, datetime.date(2024, 10, 1))  # the pass that led to certification does not count
    renewal = services.renewal_start(actor=user, certification=cert)
    renewal = services.renewal_sign(
        actor=user, renewal=renewal, ethics_signed_name=cert.person.full_name, attest=True, proof="exam"
    )
    assert [c["code"] for c in services.renewal_checks(renewal) if not c["ok"]] == ["currency"]
    _passed_exam(user, datetime.date(2027, 2, 20))
    assert services.renewal_submit(actor=user, renewal=renewal).status == RenewalStatus.WAITING_FOR_FEE


@time_machine.travel(datetime.datetime(2027, 3, 1, 17, tzinfo=datetime.UTC), tick=False)
def test_unsent_renewal_overtaken_by_expiry_is_replaced_by_a_late_renewal():
    user, cert = certified_peer(status=CertificationStatus.EXPIRED)
    old = Renewal.objects.create(
        certification=cert, person=cert.person, cycle_starts_on=datetime.date(2025, 1, 15), cycle_ends_on=EXPIRES
    )
    new = services.renewal_start(actor=user, certification=cert)
    old.refresh_from_db()
    assert old.status == RenewalStatus.WITHDRAWN and new.kind == RenewalKind.REINSTATEMENT


@time_machine.travel(datetime.datetime(2031, 2, 1, 17, tzinfo=datetime.UTC), tick=False)
def test_late_renewal_after_the_vacate_period_is_refused():
    user, cert = certified_peer(status=CertificationStatus.EXPIRED)
    with pytest.raises(ApplicationError) as err:
        services.renewal_start(actor=user, certification=cert)
    assert "new application" in err.value.message


@time_machine.travel(IN_WINDOW, tick=False)
def test_fee_settling_after_a_suspension_does_not_renew(django_capture_on_commit_callbacks):
    user, cert = certified_peer(number=number_not_audited())
    give_ce(cert.person, datetime.date(2026, 3, 1))
    renewal = services.renewal_submit(actor=user, renewal=start_signed(user, cert))
    cert.status = CertificationStatus.SUSPENDED
    cert.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        pay_all(renewal, user)
    renewal.refresh_from_db()
    cert.refresh_from_db()
    assert renewal.status == RenewalStatus.WAITING_FOR_FEE and cert.expires_on == EXPIRES
