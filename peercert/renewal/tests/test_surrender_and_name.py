"""Voluntary surrender, name change with documentation, and the peer's timeline."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.certification.models import CertificationStatus
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.renewal import selectors, services
from peercert.renewal.models import NameChangeStatus, Renewal, RenewalStatus
from peercert.renewal.tests.factories import certified_peer, pdf

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 1, 17, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
def test_surrender_needs_confirmation_and_reason_and_goes_through_certification_history():
    user, cert = certified_peer()
    with pytest.raises(ApplicationError) as err:
        services.certification_surrender(actor=user, certification=cert, reason="", confirmed=True)
    assert err.value.field == "reason"
    with pytest.raises(ApplicationError) as err:
        services.certification_surrender(actor=user, certification=cert, reason="Moving abroad", confirmed=False)
    assert err.value.field == "confirmed"
    other, _ = certified_peer("Ana", "Peña")
    with pytest.raises(ApplicationError) as err:
        services.certification_surrender(actor=other, certification=cert, reason="x", confirmed=True)
    assert err.value.code == "forbidden"
    services.certification_surrender(actor=user, certification=cert, reason="Moving abroad", confirmed=True)
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.SURRENDERED
    change = cert.status_changes.get(to_status=CertificationStatus.SURRENDERED)
    assert change.actor_id == user.pk and change.source == "surrender" and "Moving abroad" in change.reason
    assert AuditEvent.objects.filter(action="certification.surrender", object_id=str(cert.pk), actor=user).exists()
    # surrendered is final
    with pytest.raises(ApplicationError) as err:
        services.certification_surrender(actor=user, certification=cert, reason="again", confirmed=True)
    assert err.value.code == "state"


@time_machine.travel(datetime.datetime(2026, 11, 20, 17, tzinfo=datetime.UTC), tick=False)
def test_surrender_withdraws_an_open_renewal():
    user, cert = certified_peer()
    renewal = services.renewal_start(actor=user, certification=cert)
    services.certification_surrender(actor=user, certification=cert, reason="Retiring", confirmed=True)
    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.WITHDRAWN
    with pytest.raises(ApplicationError):
        services.renewal_start(actor=user, certification=cert)


@time_machine.travel(NOW, tick=False)
def test_surrender_page(client):
    user, cert = certified_peer()
    client.force_login(user)
    assert "cannot be undone" in client.get(reverse("renewal:surrender")).content.decode()
    response = client.post(reverse("renewal:surrender"), {"reason": "Retiring"})
    assert response.status_code == 400  # not confirmed
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.ACTIVE
    client.post(reverse("renewal:surrender"), {"reason": "Retiring", "confirmed": "on"})
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.SURRENDERED


@time_machine.travel(NOW, tick=False)
def test_name_change_keeps_the_old_name_and_the_registry_shows_the_new_one(client):
    user, cert = certified_peer("María", "López")
    with pytest.raises(ApplicationError) as err:
        services.name_change_request(
            actor=user, person=user.person, new_first_name="María", new_last_name="López", document=pdf()
        )
    assert "already your legal name" in err.value.message
    with pytest.raises(ApplicationError) as err:
        services.name_change_request(
            actor=user,
            person=user.person,
            new_first_name="María",
            new_last_name="López Ortega",
            document=SimpleUploadedFile("x.pdf", b"hello", content_type="application/pdf"),
        )
    assert err.value.field == "document"
    change = services.name_change_request(
        actor=user, person=user.person, new_first_name="María", new_last_name="López Ortega", document=pdf("order.pdf")
    )
    with pytest.raises(ApplicationError) as err:
        services.name_change_request(
            actor=user, person=user.person, new_first_name="María", new_last_name="Ortega", document=pdf()
        )
    assert err.value.code == "duplicate"
    with pytest.raises(ApplicationError) as err:
        services.name_change_decide(actor=user_with_role(Role.PROGRAM_REVIEWER), name_change=change, approve=True)
    assert err.value.code == "forbidden"
    manager = user_with_role(Role.PROGRAM_MANAGER)
    services.name_change_decide(actor=manager, name_change=change, approve=True)
    change.refresh_from_db()
    user.person.refresh_from_db()
    assert change.status == NameChangeStatus.APPROVED and change.old_name == "María López"
    assert user.person.full_name == "María López Ortega"
    assert AuditEvent.objects.filter(action="person.update", object_id=str(user.person.pk)).exists()
    assert "María López Ortega" in client.get(reverse("registry:verify", args=[cert.number])).content.decode()
    rows = selectors.timeline(user.person)
    assert any(r["kind"] == "name" and "María López → María López Ortega" in r["detail"] for r in rows)
    with pytest.raises(ApplicationError):
        services.name_change_decide(actor=manager, name_change=change, approve=False, reason="late")


@time_machine.travel(NOW, tick=False)
def test_name_change_denied_needs_a_reason_and_can_be_withdrawn_instead():
    user, _ = certified_peer()
    change = services.name_change_request(
        actor=user, person=user.person, new_first_name="Zoë", new_last_name="Møller", document=pdf()
    )
    manager = user_with_role(Role.PROGRAM_MANAGER)
    with pytest.raises(ApplicationError):
        services.name_change_decide(actor=manager, name_change=change, approve=False, reason="")
    services.name_change_withdraw(actor=user, name_change=change)
    change.refresh_from_db()
    assert change.status == NameChangeStatus.WITHDRAWN
    second = services.name_change_request(
        actor=user, person=user.person, new_first_name="Zoë", new_last_name="Møller", document=pdf()
    )
    services.name_change_decide(actor=manager, name_change=second, approve=False, reason="The document is unreadable.")
    second.refresh_from_db()
    user.person.refresh_from_db()
    assert second.status == NameChangeStatus.DENIED and user.person.legal_last_name != "Møller"


@time_machine.travel(NOW, tick=False)
def test_name_change_pages(client):
    user, _ = certified_peer()
    client.force_login(user)
    client.post(
        reverse("renewal:name_change"), {"new_first_name": "Renée", "new_last_name": "Ibáñez", "document": pdf()}
    )
    change = user.person.name_changes.get()
    manager = user_with_role(Role.PROGRAM_MANAGER)
    client.force_login(manager)
    assert "Renée Ibáñez" in client.get(reverse("renewal:name_changes")).content.decode()
    assert "Name changes to decide" in client.get(reverse("web:home")).content.decode()
    client.post(reverse("renewal:name_change_approve", args=[change.pk]), {"decision-reason": ""})
    user.person.refresh_from_db()
    assert user.person.full_name == "Renée Ibáñez"


def test_timeline_lists_status_changes_with_date_and_reason(client):
    from peercert.renewal import jobs

    user, cert = certified_peer()
    jobs.send_renewal_reminders(datetime.date(2026, 10, 17))
    jobs.expire_certifications(datetime.date(2027, 1, 16))
    rows = selectors.timeline(user.person)
    assert [r["title"] for r in rows if r["kind"] == "status"] == [
        f"Certification {cert.number}: Expired",
        f"Certification {cert.number}: Active",
    ]
    assert rows[0]["date"] == datetime.date(2027, 1, 16) and rows[0]["detail"] == "Not renewed by 2027-01-15"
    assert any(r["kind"] == "reminder" for r in rows)
    with time_machine.travel(datetime.datetime(2027, 1, 20, 17, tzinfo=datetime.UTC), tick=False):
        client.force_login(user)
        page = client.get(reverse("renewal:timeline")).content.decode()
    assert "January 16, 2027" in page and "Certification issued" in page
    assert not Renewal.objects.exists()
