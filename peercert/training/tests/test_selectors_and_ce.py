import datetime
from decimal import Decimal

import pytest

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.training import selectors, services
from peercert.training.models import CEActivityStatus
from peercert.training.tests.factories import (
    CEActivityFactory,
    CompletionFactory,
    CurriculumFactory,
    CurriculumVersionFactory,
    OfferingFactory,
    pdf_file,
)

pytestmark = pytest.mark.django_db


def _completion(person, kind, hours, day, category="general", **curriculum):
    version = CurriculumVersionFactory(curriculum=CurriculumFactory(kind=kind, **curriculum), hours=Decimal(hours))
    offering = OfferingFactory(curriculum_version=version, hours=Decimal(hours), starts_on=day, ends_on=day)
    return CompletionFactory(
        person=person, offering=offering, hours=Decimal(hours), completed_on=day, ce_category=category
    )


def test_ce_hours_between_counts_completions_and_accepted_activities(django_assert_max_num_queries):
    person = PersonFactory()
    _completion(person, "continuing_education", "4", datetime.date(2025, 5, 1))
    _completion(person, "continuing_education", "6", datetime.date(2025, 6, 1), category="law_ethics")
    _completion(person, "supervisor", "1", datetime.date(2025, 7, 1))
    _completion(person, "core", "80", datetime.date(2024, 7, 1))  # core training is not CE
    _completion(person, "continuing_education", "3", datetime.date(2023, 1, 1))  # outside the period
    CEActivityFactory(
        person=person,
        hours=Decimal("2"),
        ce_category="law_ethics",
        status=CEActivityStatus.ACCEPTED,
        completed_on=datetime.date(2025, 8, 1),
    )
    CEActivityFactory(
        person=person, hours=Decimal("9"), status=CEActivityStatus.REJECTED, completed_on=datetime.date(2025, 8, 1)
    )
    CEActivityFactory(
        person=person, hours=Decimal("9"), status=CEActivityStatus.SUBMITTED, completed_on=datetime.date(2025, 8, 1)
    )
    with django_assert_max_num_queries(2):
        totals = selectors.ce_hours_between(person, datetime.date(2024, 2, 17), datetime.date(2026, 2, 16))
    assert totals == {"general": Decimal("5"), "law_ethics": Decimal("8"), "total": Decimal("13")}


def test_core_supervisor_specialization_refresher_selectors():
    person = PersonFactory()
    assert selectors.core_training_completed_on(person) is None
    _completion(person, "core", "40", datetime.date(2025, 1, 10))  # partial: not the full 80 hours
    assert selectors.core_training_completed_on(person) is None
    _completion(person, "core", "80", datetime.date(2025, 3, 10))
    assert selectors.core_training_completed_on(person) == datetime.date(2025, 3, 10)

    assert not selectors.supervisor_trained_on(person, datetime.date(2025, 6, 1))
    _completion(person, "supervisor", "1", datetime.date(2025, 6, 2))
    assert not selectors.supervisor_trained_on(person, datetime.date(2025, 6, 1))
    assert selectors.supervisor_trained_on(person, datetime.date(2025, 6, 2))
    assert selectors.supervisor_trained_person_ids([person.pk], datetime.date(2025, 7, 1)) == {person.pk}

    _completion(person, "specialization", "40", datetime.date(2025, 9, 1), specialization="crisis")
    _completion(person, "specialization", "20", datetime.date(2025, 9, 1), specialization="unhoused")
    assert selectors.specializations_completed(person) == {"crisis"}

    assert not selectors.refresher_completed_between(person, datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))
    _completion(person, "continuing_education", "8", datetime.date(2025, 10, 1), is_refresher=True)
    assert selectors.refresher_completed_between(person, datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))
    assert not selectors.refresher_completed_between(person, datetime.date(2025, 11, 1), datetime.date(2026, 1, 1))


def test_supervisor_training_for_a_person_who_is_not_a_peer():
    supervisor = PersonFactory(user=None)
    _completion(supervisor, "supervisor", "1", datetime.date(2025, 4, 4))
    assert selectors.supervisor_trained_on(supervisor, datetime.date(2026, 1, 1))


def test_ce_activity_report_and_review(peer, reviewer):
    activity = services.ce_activity_report(
        actor=peer,
        title="Ética",
        provider_name="UC Davis",
        completed_on=datetime.date(2026, 1, 5),
        hours=3,
        ce_category="law_ethics",
        evidence=pdf_file(),
    )
    with pytest.raises(ApplicationError):
        services.ce_activity_accept(actor=user_with_role(Role.TRAINING_STAFF), activity=activity)
    with pytest.raises(ApplicationError):
        services.ce_activity_reject(actor=reviewer, activity=activity, reason="")
    services.ce_activity_accept(actor=reviewer, activity=activity)
    assert AuditEvent.objects.filter(action="ce_activity.accept").exists()
    with pytest.raises(ApplicationError) as err:
        services.ce_activity_reject(actor=reviewer, activity=activity, reason="late")
    assert err.value.code == "state"
    totals = selectors.ce_hours_between(peer.person, datetime.date(2026, 1, 1), datetime.date(2026, 2, 16))
    assert totals["law_ethics"] == Decimal("3")


@pytest.mark.parametrize(
    "bad", [{"hours": 0}, {"hours": -3}, {"completed_on": datetime.date(2026, 3, 1)}, {"ce_category": "fun"}]
)
def test_ce_activity_bad_input(peer, bad):
    data = dict(
        title="x",
        provider_name="y",
        completed_on=datetime.date(2026, 1, 5),
        hours=3,
        ce_category="general",
        evidence=pdf_file(),
    )
    data.update(bad)
    with pytest.raises(ApplicationError):
        services.ce_activity_report(actor=peer, **data)


def test_evidence_must_really_be_a_pdf_or_image(peer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ApplicationError, match="not a"):
        services.ce_activity_report(
            actor=peer,
            title="x",
            provider_name="y",
            completed_on=datetime.date(2026, 1, 5),
            hours=3,
            ce_category="general",
            evidence=SimpleUploadedFile("fake.pdf", b"just text pretending"),
        )


def test_supervisor_completion_for_someone_not_on_file(entity, entity_staff):
    from peercert.accounts.models import Person

    version = CurriculumVersionFactory(curriculum=CurriculumFactory(kind="supervisor"), hours=Decimal("1"))
    offering = OfferingFactory(
        training_entity=entity,
        curriculum_version=version,
        hours=Decimal("1"),
        starts_on=datetime.date(2026, 2, 2),
        ends_on=datetime.date(2026, 2, 2),
    )
    c = services.supervisor_completion_record(
        actor=entity_staff,
        offering=offering,
        first_name="Dolores",
        last_name="Zúñiga",
        date_of_birth=datetime.date(1970, 4, 4),
        hours=1,
    )
    assert c.person.user is None and selectors.supervisor_trained_on(c.person, datetime.date(2026, 2, 3))
    # The same supervisor again is found, not duplicated, and the duplicate completion refused.
    with pytest.raises(ApplicationError) as err:
        services.supervisor_completion_record(
            actor=entity_staff,
            offering=offering,
            first_name="dolores",
            last_name="ZUNIGA",
            date_of_birth=datetime.date(1970, 4, 4),
            hours=1,
        )
    assert err.value.code == "duplicate"
    assert Person.objects.filter(legal_last_name="Zúñiga").count() == 1
    # Only for supervisor courses.
    ce = OfferingFactory(training_entity=entity)
    with pytest.raises(ApplicationError):
        services.supervisor_completion_record(
            actor=entity_staff,
            offering=ce,
            first_name="A",
            last_name="B",
            date_of_birth=datetime.date(1970, 1, 1),
            hours=1,
        )


@pytest.mark.parametrize("start", list(CEActivityStatus.values))
@pytest.mark.parametrize("to", ["accepted", "rejected"])
def test_every_ce_activity_transition(start, to, reviewer):
    activity = CEActivityFactory(status=start)
    call = services.ce_activity_accept if to == "accepted" else services.ce_activity_reject
    if start == CEActivityStatus.SUBMITTED:
        assert call(actor=reviewer, activity=activity, reason="checked").status == to
        assert AuditEvent.objects.filter(
            action=f"ce_activity.{to[:-2] if to == 'accepted' else 'reject'}", object_id=str(activity.pk)
        ).exists()
    else:
        with pytest.raises(ApplicationError) as err:
            call(actor=reviewer, activity=activity, reason="checked")
        assert err.value.code == "state"


def test_public_providers_api(client, entity):
    from peercert.training.tests.factories import ApprovedProviderFactory

    ApprovedProviderFactory(
        training_entity=entity,
        training_type="continuing_education",
        language="en",
        approved_from=datetime.date(2026, 1, 1),
    )
    OfferingFactory(training_entity=entity, starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 3))
    OfferingFactory(
        training_entity=entity, starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 3), language="es"
    )  # not approved in Spanish: not listed
    body = client.get("/api/v1/training/providers").json()
    assert [p["name"] for p in body] == [entity.name]
    assert len(body[0]["upcoming"]) == 1 and body[0]["upcoming"][0]["language"] == "en"


def test_ledger_uses_certification_cycles_when_certification_provides_them():
    from peercert.training import hooks

    person = PersonFactory()
    _completion(person, "continuing_education", "4", datetime.date(2025, 5, 1))
    assert len(selectors.ce_cycles_for(person)) == 2
    hooks.set_cycle_provider(lambda p: [(datetime.date(2025, 1, 1), datetime.date(2026, 12, 31))])
    try:
        [cycle] = selectors.ce_totals_by_cycle(person, selectors.ce_cycles_for(person))
    finally:
        hooks.set_cycle_provider(None)
    assert cycle["start"] == datetime.date(2025, 1, 1) and cycle["total"] == Decimal("4") and not cycle["meets"]
