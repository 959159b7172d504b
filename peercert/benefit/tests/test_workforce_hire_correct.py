"""Correcting a formal hire date entered wrongly: allowed with a reason, refused where a hire would be, audited."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.benefit import services
from peercert.benefit.audit import AuditAction
from peercert.benefit.models import EmploymentStatus
from peercert.benefit.tests.factories import EmploymentFactory, ProviderFactory, county
from peercert.certification.models import CertificationStatusChange
from peercert.certification.tests.factories import CertificationFactory
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 16)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 16, 20, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def staff():
    return user_with_role(Role.COUNTY_STAFF)


def _hired(**kwargs):
    employment = EmploymentFactory(
        start_on=datetime.date(2026, 1, 5), hired_on=datetime.date(2026, 3, 1), status=EmploymentStatus.HIRED, **kwargs
    )
    CertificationFactory(
        person=employment.person, issued_on=datetime.date(2025, 6, 1), expires_on=datetime.date(2027, 6, 1)
    )
    return employment


def test_a_hire_date_is_corrected_with_its_reason_and_audited(staff):
    employment = _hired()
    services.employment_hire_correct(
        actor=staff, employment=employment, hired_on=datetime.date(2026, 1, 12), reason="Typed March for January"
    )
    employment.refresh_from_db()
    assert employment.hired_on == datetime.date(2026, 1, 12)
    event = AuditEvent.objects.get(action=AuditAction.EMPLOYMENT_HIRE_CORRECT, object_id=str(employment.pk))
    assert event.reason == "Typed March for January"
    assert event.before["hired_on"] == "2026-03-01" and event.after["hired_on"] == "2026-01-12"


@pytest.mark.parametrize(
    ("day", "reason", "says"),
    [
        (datetime.date(2026, 1, 1), "x", "before the employment starts"),
        (datetime.date(2026, 12, 1), "x", "recorded when it happens"),
        (datetime.date(2026, 3, 1), "x", "already recorded"),
        (datetime.date(2026, 2, 1), "", ""),
    ],
)
def test_bad_dates_and_a_missing_reason_are_refused_and_nothing_changes(staff, day, reason, says):
    employment = _hired()
    with pytest.raises(ApplicationError) as refusal:
        services.employment_hire_correct(actor=staff, employment=employment, hired_on=day, reason=reason)
    assert says in refusal.value.message
    employment.refresh_from_db()
    assert employment.hired_on == datetime.date(2026, 3, 1)
    assert not AuditEvent.objects.filter(action=AuditAction.EMPLOYMENT_HIRE_CORRECT).exists()


def test_a_date_when_the_certification_was_suspended_is_refused_saying_since_when(staff):
    employment = _hired()
    cert = employment.person.certifications.get()
    CertificationStatusChange.objects.create(
        certification=cert,
        from_status="active",
        to_status="suspended",
        effective_on=datetime.date(2026, 1, 10),
        reason="x",
    )
    CertificationStatusChange.objects.create(
        certification=cert,
        from_status="suspended",
        to_status="active",
        effective_on=datetime.date(2026, 2, 10),
        reason="y",
    )
    with pytest.raises(ApplicationError) as refusal:
        services.employment_hire_correct(
            actor=staff, employment=employment, hired_on=datetime.date(2026, 1, 20), reason="z"
        )
    assert "suspended since" in refusal.value.message


def test_an_employment_never_hired_has_nothing_to_correct(staff):
    employment = EmploymentFactory(status=EmploymentStatus.RECORDED, hired_on=None)
    with pytest.raises(ApplicationError) as refusal:
        services.employment_hire_correct(
            actor=staff, employment=employment, hired_on=datetime.date(2026, 2, 1), reason="z"
        )
    assert refusal.value.code == "state"


def test_the_page_corrects_and_another_county_gets_404(client, staff):
    employment = _hired()
    client.force_login(staff)
    detail = client.get(reverse("benefit:employment_detail", args=[employment.pk]))
    assert b"Correct the hire date" in detail.content
    url = reverse("benefit:employment_hire_correct", args=[employment.pk])
    done = client.post(url, {"fixhire-hired_on": "2026-01-12", "fixhire-reason": "Typed March for January"})
    assert done.status_code == 302
    employment.refresh_from_db()
    assert employment.hired_on == datetime.date(2026, 1, 12)
    refused = client.post(url, {"fixhire-hired_on": "2025-12-01", "fixhire-reason": "x"})
    assert refused.status_code == 400 and b"before the employment starts" in refused.content
    fresno = _hired(provider=ProviderFactory(county=county("Fresno")))
    other = client.post(
        reverse("benefit:employment_hire_correct", args=[fresno.pk]),
        {"fixhire-hired_on": "2026-01-12", "fixhire-reason": "x"},
    )
    assert other.status_code == 404
