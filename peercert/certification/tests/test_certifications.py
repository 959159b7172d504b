import datetime
import threading

import pytest
from django.db import connection, connections, transaction

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.certification import selectors, services
from peercert.certification.models import (
    CERTIFICATION_TRANSITIONS,
    CertificationStatus,
    CertificationStatusChange,
)
from peercert.certification.tests.factories import CertificationFactory, reviewer
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.core.transitions import assert_map_covers, every_move

pytestmark = pytest.mark.django_db


def test_the_certification_map_covers_every_status():
    assert_map_covers(CERTIFICATION_TRANSITIONS, CertificationStatus)


@pytest.mark.parametrize(("from_status", "to", "allowed"), every_move(CERTIFICATION_TRANSITIONS, CertificationStatus))
def test_every_certification_transition(from_status, to, allowed):
    """certification_change_status permits exactly the map's moves; a refused one writes nothing."""
    staff = reviewer(Role.PROGRAM_MANAGER)
    cert = CertificationFactory(status=from_status)
    audits = AuditEvent.objects.filter(action="certification.change_status", object_id=str(cert.pk)).count()
    if allowed:
        services.certification_change_status(
            actor=staff, certification=cert, to_status=to, reason="because", source="test"
        )
        cert.refresh_from_db()
        assert cert.status == to
        last = cert.status_changes.last()
        assert (last.from_status, last.to_status, last.reason, last.actor, last.source) == (
            from_status,
            to,
            "because",
            staff,
            "test",
        )
        assert (
            AuditEvent.objects.filter(action="certification.change_status", object_id=str(cert.pk)).count()
            == audits + 1
        )
    else:
        history = CertificationStatusChange.objects.filter(certification=cert).count()
        with pytest.raises(ApplicationError) as err:
            services.certification_change_status(actor=staff, certification=cert, to_status=to, reason="because")
        assert err.value.http_status == 409
        cert.refresh_from_db()
        assert cert.status == from_status
        assert CertificationStatusChange.objects.filter(certification=cert).count() == history
        assert AuditEvent.objects.filter(action="certification.change_status", object_id=str(cert.pk)).count() == audits


def test_status_change_needs_a_reason_and_program_staff():
    cert = CertificationFactory()
    with pytest.raises(ApplicationError, match="reason"):
        services.certification_change_status(actor=None, certification=cert, to_status="suspended", reason="")
    county = user_with_role(Role.COUNTY_STAFF)
    with pytest.raises(ApplicationError, match="Only staff"):
        services.certification_change_status(actor=county, certification=cert, to_status="suspended", reason="x")
    # A system job (actor None) may act, as discipline and the expiry sweep will.
    services.certification_change_status(
        actor=None, certification=cert, to_status="suspended", reason="order 12", source="discipline"
    )
    assert AuditEvent.objects.get(action="certification.change_status").actor_label == "system"


def test_active_on_reads_the_history():
    cert = CertificationFactory(issued_on=datetime.date(2025, 1, 15), expires_on=datetime.date(2027, 1, 15))
    CertificationStatusChange.objects.create(
        certification=cert, to_status="active", effective_on=cert.issued_on, reason="issued"
    )
    services.certification_change_status(
        actor=None, certification=cert, to_status="suspended", reason="x", effective_on=datetime.date(2025, 6, 1)
    )
    assert selectors.certification_active_on(cert.person, datetime.date(2025, 5, 31)) == cert
    assert selectors.certification_active_on(cert.person, datetime.date(2025, 6, 1)) is None
    assert selectors.certification_active_on(cert.person, datetime.date(2024, 12, 1)) is None
    assert selectors.current_certification(cert.person) == cert
    assert selectors.certification_by_number(cert.number.lower()) == cert
    assert selectors.certification_by_number("PSS-NOPE") is None


def test_numbers_are_sequential_and_unique():
    with transaction.atomic():
        numbers = [services.certification_number_next() for _ in range(5)]
    assert numbers == sorted(set(numbers)) and len(numbers) == 5
    assert numbers[0] == "PSS-000001"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serializes writers")
def test_numbers_are_unique_under_concurrent_issuance():
    with transaction.atomic():
        services.certification_number_next()  # the counter row exists before the race
    results, errors = [], []
    barrier = threading.Barrier(8)

    def draw():
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    results.append(services.certification_number_next())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=draw) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 40 and len(set(results)) == 40
    assert sorted(results) == [f"PSS-{n:06d}" for n in range(2, 42)]


def complete_specialization(person, specialization: str, hours: int = 40):
    from decimal import Decimal

    from peercert.training.models import CurriculumKind
    from peercert.training.tests.factories import (
        CompletionFactory,
        CurriculumFactory,
        CurriculumVersionFactory,
        OfferingFactory,
    )

    version = CurriculumVersionFactory(
        hours=Decimal(hours),
        curriculum=CurriculumFactory(kind=CurriculumKind.SPECIALIZATION, specialization=specialization),
    )
    return CompletionFactory(person=person, offering=OfferingFactory(curriculum_version=version, hours=Decimal(hours)))


def test_a_specialization_needs_its_completed_training(role_users, as_user):
    cert = CertificationFactory()
    with pytest.raises(ApplicationError, match="has not completed the Crisis services training"):
        services.certification_specialization_add(actor=None, certification=cert, specialization="crisis")
    complete_specialization(cert.person, "unhoused", hours=20)  # not the full 40 hours
    with pytest.raises(ApplicationError, match="has not completed"):
        services.certification_specialization_add(actor=None, certification=cert, specialization="unhoused")
    complete_specialization(cert.person, "crisis")
    # The reviewer's page offers exactly the completed one, and adding it shows on the registry.
    client = as_user(role_users["program_reviewer"])
    page = client.get(f"/certification/certifications/{cert.number}/").content.decode()
    assert 'value="crisis"' in page and 'value="unhoused"' not in page
    client.post(f"/certification/certifications/{cert.number}/specializations/", {"specialization": "crisis"})
    assert cert.specialization_values == ["crisis"]
    assert "Crisis services" in client.get(f"/registry/{cert.number}").content.decode()
    assert AuditEvent.objects.filter(action="certification.specialization_add", object_id=str(cert.pk)).exists()


def test_specializations_are_added_once():
    cert = CertificationFactory()
    complete_specialization(cert.person, "crisis")
    services.certification_specialization_add(actor=None, certification=cert, specialization="crisis")
    with pytest.raises(ApplicationError, match="already"):
        services.certification_specialization_add(actor=None, certification=cert, specialization="crisis")
    with pytest.raises(ApplicationError, match="known"):
        services.certification_specialization_add(actor=None, certification=cert, specialization="astronaut")
    assert cert.specialization_values == ["crisis"]
