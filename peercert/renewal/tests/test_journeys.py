"""Done when: tried as a new user would, through the pages, with the daily jobs run day by day."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from peercert.certification.models import CertificationStatus
from peercert.core.jobs import run_daily_jobs
from peercert.renewal.models import Renewal, RenewalReminder, RenewalStatus
from peercert.renewal.tests.factories import (
    EXPIRES,
    certified_peer,
    give_ce,
    give_refresher,
    number_not_audited,
    pay_all,
)

pytestmark = pytest.mark.django_db


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=datetime.UTC), tick=False)


def run_jobs(day):
    with at(day):
        return {r.job: r.counts for r in run_daily_jobs(today=day, triggered_by="test")}


def test_peer_receives_reminders_renews_with_enough_ce_and_is_renewed(client, django_capture_on_commit_callbacks):
    user, cert = certified_peer("Guadalupe", "Ramírez", number=number_not_audited())
    client.force_login(user)
    # given: reminders on the rule days (a daily cron run on each)
    for day in (datetime.date(2026, 10, 17), datetime.date(2026, 11, 16)):
        with django_capture_on_commit_callbacks(execute=True):
            counts = run_jobs(day)
        assert counts["renewal.send_reminders"]["reminded"] == 1
    assert [r.days_before for r in RenewalReminder.objects.filter(certification=cert).order_by("sent_on")] == [90, 60]
    assert len(mail.outbox) == 2 and "Renew your certification" in mail.outbox[0].subject
    give_ce(cert.person, datetime.date(2026, 5, 4))
    with at(datetime.date(2026, 11, 20)):
        client.force_login(user)
        home = client.get(reverse("web:home"))
        assert "You can renew it now" in home.content.decode()
        page = client.get(reverse("renewal:mine"))
        assert "Start your renewal" in page.content.decode()
        response = client.post(reverse("renewal:start"))
        renewal = Renewal.objects.get(certification=cert)
        assert response.url == reverse("renewal:detail", args=[renewal.pk])
        client.post(
            reverse("renewal:sign", args=[renewal.pk]),
            {"sign-ethics_signed_name": "Guadalupe Ramírez", "sign-attest": "on"},
        )
        with django_capture_on_commit_callbacks(execute=True):
            pay_all(renewal, user)
        client.post(reverse("renewal:submit", args=[renewal.pk]))
        detail = client.get(response.url).content.decode()
    renewal.refresh_from_db()
    cert.refresh_from_db()
    assert renewal.status == RenewalStatus.APPROVED and "Renewed" in detail
    assert cert.expires_on == datetime.date(2029, 1, 15) and cert.status == CertificationStatus.ACTIVE
    # the day after the old date it stays active, and no more reminders for the old cycle
    counts = run_jobs(datetime.date(2027, 1, 16))
    assert counts["renewal.expire_certifications"] == {"expired": 0}
    with at(datetime.date(2027, 1, 16)):
        client.force_login(user)  # sessions do not last across months of travel
        timeline = client.get(reverse("renewal:timeline")).content.decode()
    assert "Renewal: Renewed" in timeline and "Reminder sent: 90 days" in timeline


def test_peer_misses_the_date_shows_expired_that_day_and_reinstates_with_late_fee(
    client, django_capture_on_commit_callbacks
):
    user, cert = certified_peer("Thảo", "Nguyễn", number=number_not_audited())
    client.force_login(user)
    assert run_jobs(EXPIRES)["renewal.expire_certifications"] == {"expired": 0}
    counts = run_jobs(datetime.date(2027, 1, 16))
    assert counts["renewal.expire_certifications"] == {"expired": 1}
    registry = client.get(reverse("registry:verify", args=[cert.number])).content.decode()
    assert "Expired" in registry
    assert run_jobs(datetime.date(2027, 1, 16))["renewal.expire_certifications"] == {"expired": 0}  # twice: no-op
    give_ce(cert.person, datetime.date(2026, 9, 1))
    give_refresher(cert.person, datetime.date(2027, 2, 3))
    with at(datetime.date(2027, 2, 10)):
        client.force_login(user)
        page = client.get(reverse("renewal:mine")).content.decode()
        assert "Start a late renewal" in page and "late fee" in page
        client.post(reverse("renewal:start"))
        renewal = Renewal.objects.get(certification=cert)
        client.post(
            reverse("renewal:sign", args=[renewal.pk]),
            {"sign-ethics_signed_name": "Thảo Nguyễn", "sign-attest": "on", "sign-proof": "refresher"},
        )
        with django_capture_on_commit_callbacks(execute=True):
            pay_all(renewal, user)
        client.post(reverse("renewal:submit", args=[renewal.pk]))
    cert.refresh_from_db()
    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.APPROVED
    assert sorted(i.fee_code for i in user.person.invoices.all()) == ["fee_late", "fee_reinstatement"]
    assert cert.status == CertificationStatus.ACTIVE and cert.expires_on == datetime.date(2029, 1, 15)
    assert "Active" in client.get(reverse("registry:verify", args=[cert.number])).content.decode()
    with at(datetime.date(2027, 2, 10)):
        client.force_login(user)  # sessions do not last across months of travel
        timeline = client.get(reverse("renewal:timeline")).content.decode()
    assert "Not renewed by 2027-01-15" in timeline and "Reinstated by late renewal" in timeline


def test_peer_is_vacated_after_four_years_and_told_to_apply_anew(client):
    user, cert = certified_peer("Anaïs", "Castañeda")
    client.force_login(user)
    run_jobs(datetime.date(2027, 1, 16))
    assert run_jobs(datetime.date(2031, 1, 15))["renewal.vacate_certifications"]["vacated"] == 0
    assert run_jobs(datetime.date(2031, 1, 16))["renewal.vacate_certifications"]["vacated"] == 1
    assert run_jobs(datetime.date(2031, 1, 16))["renewal.vacate_certifications"]["vacated"] == 0
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.VACATED
    assert "Vacated" in client.get(reverse("registry:verify", args=[cert.number])).content.decode()
    with at(datetime.date(2031, 1, 20)):
        client.force_login(user)
        page = client.get(reverse("renewal:mine")).content.decode()
        assert "start a new application" in page and reverse("certification:start") in page
        response = client.post(reverse("renewal:start"), follow=True)
    assert "It cannot be renewed" in response.content.decode()
    assert not Renewal.objects.exists()


def test_renewal_page_says_when_the_window_opens(client):
    user, cert = certified_peer()
    client.force_login(user)
    with at(datetime.date(2026, 6, 1)):
        client.force_login(user)
        page = client.get(reverse("renewal:mine")).content.decode()
        assert "Renewal opens on October 17, 2026" in page
        response = client.post(reverse("renewal:start"), follow=True)
    assert "Renewal opens on October 17, 2026" in response.content.decode()
    assert not Renewal.objects.exists()


def test_too_few_hours_shows_the_reason_on_the_page(client):
    user, cert = certified_peer()
    client.force_login(user)
    with at(datetime.date(2026, 11, 20)):
        client.force_login(user)
        url = client.post(reverse("renewal:start")).url
        client.post(url + "sign/", {"sign-ethics_signed_name": cert.person.full_name, "sign-attest": "on"})
        response = client.post(url + "submit/", follow=True)
    assert "You have 0 hours" in response.content.decode()


def test_staff_review_page_decides_an_audit(client, django_capture_on_commit_callbacks):
    from peercert.accounts.roles import Role
    from peercert.accounts.tests.factories import user_with_role
    from peercert.renewal import services
    from peercert.renewal.tests.factories import number_audited, pdf

    user, cert = certified_peer(number=number_audited())
    give_ce(cert.person, datetime.date(2026, 5, 4))
    with at(datetime.date(2026, 11, 20)):
        renewal = services.renewal_start(actor=user, certification=cert)
        services.renewal_sign(actor=user, renewal=renewal, ethics_signed_name=cert.person.full_name, attest=True)
        with django_capture_on_commit_callbacks(execute=True):
            pay_all(renewal, user)
        client.force_login(user)
        client.post(reverse("renewal:submit", args=[renewal.pk]))
        client.post(reverse("renewal:evidence_add", args=[renewal.pk]), {"evidence-file": pdf()})
        client.post(reverse("renewal:evidence_send", args=[renewal.pk]))
        reviewer = user_with_role(Role.PROGRAM_REVIEWER)
        client.force_login(reviewer)
        home = client.get(reverse("web:home")).content.decode()
        assert "Renewals waiting for review" in home and cert.number in home
        assert cert.number in client.get(reverse("renewal:queue")).content.decode()
        client.post(reverse("renewal:audit_accept", args=[renewal.pk]), {"audit-notes": ""})
    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.APPROVED
