"""Certification owns every change to a certification: renewal asks certification_renew and
certification_surrender (certification.services.lifecycle) and the expiry and vacate sweeps
(certification.jobs) instead of writing Certification rows, status history or audit itself."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.certification import services
from peercert.certification.models import CERTIFICATION_TRANSITIONS, CertificationStatus, CertificationStatusChange
from peercert.core.errors import ApplicationError
from peercert.core.jobs import daily_jobs, run_daily_jobs
from peercert.core.models import AuditEvent
from peercert.core.transitions import every_move
from peercert.renewal import services as renewal_services
from peercert.renewal.models import RenewalStatus
from peercert.renewal.tests.factories import certified_peer, give_ce, give_refresher, number_not_audited, pay_all

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 1, 17, tzinfo=datetime.UTC)
LATE = datetime.datetime(2027, 3, 1, 17, tzinfo=datetime.UTC)
RENEWAL_APP = Path(renewal_services.__file__).resolve().parent.parent  # services is a package


def _events(cert, action):
    return AuditEvent.objects.filter(object_type="certification.certification", object_id=str(cert.pk), action=action)


# ---- Surrender ----------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_peer_surrendering_on_the_page_is_named_in_the_history_and_the_audit(as_user):
    user, cert = certified_peer()
    response = as_user(user).post(reverse("renewal:surrender"), {"reason": "Moving abroad", "confirmed": "on"})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.SURRENDERED
    change = cert.status_changes.get(to_status=CertificationStatus.SURRENDERED)
    assert change.actor_id == user.pk and change.source == "surrender"
    # Before, the certification service ran as the system (actor=None) and only the history row was patched.
    status_event = _events(cert, "certification.change_status").get()
    assert status_event.actor_id == user.pk
    assert _events(cert, "certification.surrender").get().actor_id == user.pk


@time_machine.travel(NOW, tick=False)
def test_staff_of_the_certifying_program_may_record_a_surrender_the_peer_asked_for():
    _user, cert = certified_peer()
    manager = user_with_role(Role.PROGRAM_MANAGER)
    services.certification_surrender(actor=manager, certification=cert, reason="Asked by letter of 28 May")
    cert.refresh_from_db()
    change = cert.status_changes.get(to_status=CertificationStatus.SURRENDERED)
    assert cert.status == CertificationStatus.SURRENDERED
    assert change.actor_id == manager.pk and change.reason.startswith("Surrendered at the peer's request")
    assert _events(cert, "certification.surrender").get().actor_id == manager.pk


@pytest.mark.parametrize("who", ["system", "another peer", "county staff"])
@time_machine.travel(NOW, tick=False)
def test_nobody_else_may_surrender_a_certification(who):
    _user, cert = certified_peer()
    actor = {
        "system": lambda: None,
        "another peer": lambda: certified_peer("Ana", "Peña")[0],
        "county staff": lambda: user_with_role(Role.COUNTY_STAFF),
    }[who]()
    with pytest.raises(ApplicationError) as err:
        services.certification_surrender(actor=actor, certification=cert, reason="Not theirs to give")
    assert err.value.code == "forbidden"
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.ACTIVE and not _events(cert, "certification.surrender").exists()


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [m for m in every_move(CERTIFICATION_TRANSITIONS, CertificationStatus) if m[1] == CertificationStatus.SURRENDERED],
)
@time_machine.travel(NOW, tick=False)
def test_surrender_from_every_status_follows_the_map(source, target, allowed):
    user, cert = certified_peer(status=source)
    history = CertificationStatusChange.objects.filter(certification=cert).count()
    if allowed:
        services.certification_surrender(actor=user, certification=cert, reason="Retiring")
    else:
        with pytest.raises(ApplicationError) as err:
            services.certification_surrender(actor=user, certification=cert, reason="Retiring")
        assert err.value.code == "state"
    cert.refresh_from_db()
    assert cert.status == (target if allowed else source)
    assert CertificationStatusChange.objects.filter(certification=cert).count() == history + allowed


# ---- Renewal ------------------------------------------------------------------------------


def _late_renewal_under_review(django_capture_on_commit_callbacks):
    """An expired certification's late renewal with every rule met, sent to staff for a decision."""
    user, cert = certified_peer(number=number_not_audited(), status=CertificationStatus.EXPIRED)
    give_ce(cert.person, datetime.date(2026, 6, 1))
    give_refresher(cert.person, datetime.date(2027, 2, 10))
    renewal = renewal_services.renewal_start(actor=user, certification=cert)
    renewal_services.renewal_sign(
        actor=user, renewal=renewal, ethics_signed_name=cert.person.full_name, attest=True, proof="refresher"
    )
    with django_capture_on_commit_callbacks(execute=True):
        pay_all(renewal, user)
    type(renewal).objects.filter(pk=renewal.pk).update(status=RenewalStatus.UNDER_REVIEW)
    return user, cert, renewal


@time_machine.travel(LATE, tick=False)
def test_a_reviewer_approving_a_late_renewal_is_named_on_the_reinstatement(django_capture_on_commit_callbacks):
    _user, cert, renewal = _late_renewal_under_review(django_capture_on_commit_callbacks)
    reviewer = user_with_role(Role.PROGRAM_REVIEWER)
    renewal_services.renewal_approve(actor=reviewer, renewal=renewal)
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.ACTIVE and cert.expires_on == datetime.date(2029, 1, 15)
    reinstated = cert.status_changes.get(source="reinstatement")
    # Before, renewal called the certification service as the system: the reinstatement named nobody.
    assert reinstated.actor_id == reviewer.pk
    renew = _events(cert, "certification.renew").get()
    assert renew.actor_id == reviewer.pk and renew.after["renewal"] == renewal.pk


@time_machine.travel(NOW, tick=False)
def test_the_holder_cannot_renew_their_own_certification_by_asking_certification():
    user, cert = certified_peer()
    with pytest.raises(ApplicationError) as err:
        services.certification_renew(
            actor=user, certification=cert, new_expires_on=datetime.date(2029, 1, 15), renewal_id=1, rules_version="x"
        )
    assert err.value.code == "forbidden"
    cert.refresh_from_db()
    assert cert.expires_on == datetime.date(2027, 1, 15)


@pytest.mark.parametrize(
    "status",
    [s for s in CertificationStatus.values if s not in (CertificationStatus.ACTIVE, CertificationStatus.EXPIRED)],
)
@time_machine.travel(NOW, tick=False)
def test_only_an_active_or_expired_certification_is_renewed(status):
    _user, cert = certified_peer(status=status)
    with pytest.raises(ApplicationError) as err:
        services.certification_renew(
            actor=None, certification=cert, new_expires_on=datetime.date(2029, 1, 15), renewal_id=1, rules_version="x"
        )
    assert err.value.code == "state"
    cert.refresh_from_db()
    assert cert.expires_on == datetime.date(2027, 1, 15) and cert.status == status


@time_machine.travel(NOW, tick=False)
def test_a_renewal_cannot_move_the_expiry_back():
    _user, cert = certified_peer()
    with pytest.raises(ApplicationError):
        services.certification_renew(
            actor=None, certification=cert, new_expires_on=datetime.date(2026, 12, 1), renewal_id=1, rules_version="x"
        )
    cert.refresh_from_db()
    assert cert.expires_on == datetime.date(2027, 1, 15)


# ---- Sweeps -------------------------------------------------------------------------------


def test_renewals_scheduled_job_names_still_run_the_sweeps():
    names = {job.name for job in daily_jobs()}
    assert {"renewal.expire_certifications", "renewal.vacate_certifications"} <= names


@time_machine.travel(LATE, tick=False)
def test_the_expiry_job_writes_history_and_audit_through_certification():
    user, cert = certified_peer(expires=datetime.date(2027, 2, 1))
    runs = run_daily_jobs(today=datetime.date(2027, 3, 1), only=["renewal.expire_certifications"], triggered_by="test")
    assert runs[0].counts["expired"] == 1
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.EXPIRED
    assert cert.status_changes.get(source="expiry").effective_on == datetime.date(2027, 2, 2)
    assert _events(cert, "certification.change_status").get().after["source"] == "expiry"
    assert user.notifications.get().url == reverse("renewal:timeline")


def test_renewal_writes_no_certification_rows_or_history_itself():
    """Every change to a certification goes through certification's services and jobs. demo.py is left out:
    it seeds a demonstration database with certifications and their history, as a fixture would."""
    problems = []
    for path in RENEWAL_APP.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "demo.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(
            r"CertificationStatusChange\.objects\.(create|bulk_create|update|filter\([^\n]*\)\.update)", source
        ) or re.search(r"INSERT INTO \{\w+\(CertificationStatusChange\)\}", source):
            problems.append(f"{path.name} writes certification status history")
        if re.search(r"UPDATE \{\w+\(Certification\)\}", source):
            problems.append(f"{path.name} updates the certification table in SQL")
        if re.search(r"\bcert(ification)?\.save\(", source):
            problems.append(f"{path.name} saves a certification")
        if re.search(r"\bactor=None, certification=", source):
            problems.append(f"{path.name} asks certification as the system for someone")
    assert problems == []
