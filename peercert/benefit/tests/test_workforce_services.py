"""Providers, employments, the formal hire, directing professionals and supervision, through the services."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.benefit import selectors, services
from peercert.benefit.audit import AuditAction
from peercert.benefit.models import (
    ASSIGNMENT_TRANSITIONS,
    EMPLOYMENT_TRANSITIONS,
    AssignmentStatus,
    DirectingProfessional,
    Employment,
    EmploymentStatus,
    Provider,
    SupervisorAssignment,
)
from peercert.benefit.tests.factories import (
    EmploymentFactory,
    ProviderFactory,
    SupervisorAssignmentFactory,
    county,
    valid_npi,
)
from peercert.certification.models import CertificationStatusChange
from peercert.certification.tests.factories import CertificationFactory
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.core.transitions import assert_map_covers, every_move
from peercert.training.models import CurriculumKind
from peercert.training.tests.factories import (
    CompletionFactory,
    CurriculumFactory,
    CurriculumVersionFactory,
    OfferingFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 18, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def staff(db):
    return user_with_role(Role.COUNTY_STAFF, county_name="Los Angeles")


@pytest.fixture
def fresno_staff(db):
    return user_with_role(Role.COUNTY_STAFF, county_name="Fresno")


@pytest.fixture
def provider(db):
    return ProviderFactory(dmc_ods=True)


@pytest.fixture
def certified(db):
    return CertificationFactory(
        number="PSS-000193", person=PersonFactory(legal_first_name="María", legal_last_name="López")
    )


def events(action, obj):
    return AuditEvent.objects.filter(action=action.value, object_id=str(obj.pk))


def provider_data(**overrides):
    data = {
        "name": "Clínica Esperanza",
        "kind": "contracted",
        "npi": "1234567893",
        "delivery_systems": ["smhs"],
        "address_line1": "100 Cesar E Chavez Ave",
        "city": "Los Angeles",
        "postal_code": "90033",
        "active_from": datetime.date(2024, 7, 1),
        "active_to": None,
    }
    return {**data, **overrides}


def record(staff, provider, person, **overrides):
    data = {
        "position_title": "Peer Support Specialist",
        "fte": Decimal("1.00"),
        "start_on": datetime.date(2026, 3, 1),
        "delivery_systems": ["smhs"],
    }
    return services.employment_record(actor=staff, provider=provider, person=person, **{**data, **overrides})


def supervisor_training(person, on=datetime.date(2026, 1, 10)):
    version = CurriculumVersionFactory(curriculum=CurriculumFactory(kind=CurriculumKind.SUPERVISOR))
    return CompletionFactory(person=person, offering=OfferingFactory(curriculum_version=version), completed_on=on)


# ---- Providers -------------------------------------------------------------------------------


def test_county_staff_add_a_provider_audited_with_its_values(staff):
    provider = services.provider_create(actor=staff, county=county(), **provider_data())
    assert provider.county == county() and provider.delivery_systems == ["smhs"]
    event = events(AuditAction.PROVIDER_CREATE, provider).get()
    assert event.after["npi"] == "1234567893" and event.actor == staff


def test_a_bad_npi_is_refused_and_nothing_saved(staff):
    with pytest.raises(ApplicationError) as refused:
        services.provider_create(actor=staff, county=county(), **provider_data(npi="1234567890"))
    assert refused.value.field == "npi" and "1234567890 does not check" in refused.value.message
    assert not Provider.objects.exists()


def test_a_delivery_system_the_county_did_not_opt_into_is_refused_by_name(staff):
    # Los Angeles runs DMC-ODS, not plain DMC.
    with pytest.raises(ApplicationError) as refused:
        services.provider_create(actor=staff, county=county(), **provider_data(delivery_systems=["smhs", "dmc"]))
    assert refused.value.message.startswith("Los Angeles County has not opted into Drug Medi-Cal (DMC)")
    assert services.provider_create(actor=staff, county=county(), **provider_data(delivery_systems=["dmc_ods"]))


def test_provider_dates_in_order(staff):
    with pytest.raises(ApplicationError) as refused:
        services.provider_create(actor=staff, county=county(), **provider_data(active_to=datetime.date(2024, 6, 30)))
    assert refused.value.field == "active_to"


def test_a_county_cannot_add_or_change_another_countys_provider(staff, fresno_staff, provider):
    with pytest.raises(ApplicationError) as refused:
        services.provider_create(actor=fresno_staff, county=county(), **provider_data())
    assert refused.value.code == "forbidden"
    with pytest.raises(ApplicationError):
        services.provider_update(actor=fresno_staff, provider=provider, **provider_data())
    billing = user_with_role(Role.COUNTY_BILLING)
    with pytest.raises(ApplicationError):
        services.provider_create(actor=billing, county=county(), **provider_data())


def test_the_same_npi_twice_in_a_county_is_refused(staff):
    services.provider_create(actor=staff, county=county(), **provider_data())
    with pytest.raises(ApplicationError) as refused:
        services.provider_create(actor=staff, county=county(), **provider_data(name="Other"))
    assert refused.value.code == "duplicate"


def test_provider_update_keeps_before_and_after(staff, provider):
    services.provider_update(actor=staff, provider=provider, **provider_data(name="Renamed", npi=provider.npi))
    event = events(AuditAction.PROVIDER_UPDATE, provider).get()
    assert event.before["name"] != "Renamed" and event.after["name"] == "Renamed"


# ---- Employments -----------------------------------------------------------------------------


def test_record_an_employment_found_by_number(staff, provider, certified):
    person = selectors.find_peer(number="pss-000193")
    employment = record(staff, provider, person, individual_npi=valid_npi(7))
    assert employment.status == EmploymentStatus.RECORDED and employment.county == provider.county
    assert events(AuditAction.EMPLOYMENT_RECORD, employment).count() == 1


def test_find_by_legal_name_and_birth_date(certified):
    assert (
        selectors.find_peer(legal_name="maria lopez", date_of_birth=certified.person.date_of_birth) == certified.person
    )
    with pytest.raises(ApplicationError, match="No one with a certification matches"):
        selectors.find_peer(legal_name="María López", date_of_birth=datetime.date(1970, 1, 1))
    CertificationFactory(person=PersonFactory(legal_first_name="María", legal_last_name="López"))
    with pytest.raises(ApplicationError, match="Several certified people match .* Use the certification number"):
        selectors.find_peer(legal_name="María López", date_of_birth=certified.person.date_of_birth)
    with pytest.raises(ApplicationError, match="No certification has the number"):
        selectors.find_peer(number="PSS-999999")


def test_someone_without_a_certification_is_not_recorded(staff, provider):
    with pytest.raises(ApplicationError, match="has no certification"):
        record(staff, provider, PersonFactory())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fte": Decimal("0")}, "fte"),
        ({"fte": Decimal("1.01")}, "fte"),
        ({"fte": Decimal("0.005")}, "fte"),
        ({"delivery_systems": ["dmc"]}, "delivery_systems"),
        ({"delivery_systems": []}, "delivery_systems"),
        ({"individual_npi": "1234567890"}, "individual_npi"),
        ({"start_on": datetime.date(2022, 1, 1)}, "start_on"),
        ({"position_title": "  "}, "position_title"),
    ],
)
def test_bad_employment_input_is_refused_whole(staff, provider, certified, overrides, field):
    with pytest.raises(ApplicationError) as refused:
        record(staff, provider, certified.person, **overrides)
    assert refused.value.field == field
    assert not Employment.objects.exists() and not AuditEvent.objects.filter(action="employment.record").exists()


def test_systems_must_be_ones_the_provider_serves(staff, certified):
    smhs_only = ProviderFactory()
    with pytest.raises(ApplicationError, match="does not serve Drug Medi-Cal Organized Delivery System"):
        record(staff, smhs_only, certified.person, delivery_systems=["dmc_ods"])


def test_a_person_may_hold_several_employments(staff, provider, certified):
    record(staff, provider, certified.person)
    record(staff, ProviderFactory(), certified.person, fte=Decimal("0.25"))
    assert Employment.objects.filter(person=certified.person).count() == 2
    with pytest.raises(ApplicationError, match="already has an open employment at") as refused:
        record(staff, provider, certified.person)  # the same form sent twice
    assert refused.value.code == "duplicate"


def test_edit_an_open_employment_audited(staff, provider, certified):
    employment = record(staff, provider, certified.person)
    services.employment_update(
        actor=staff,
        employment=employment,
        position_title="Senior Peer",
        fte=Decimal("0.50"),
        delivery_systems=["smhs", "dmc_ods"],
        individual_npi="",
    )
    event = events(AuditAction.EMPLOYMENT_UPDATE, employment).get()
    assert event.before["fte"] == "1.00" and event.after["fte"] == "0.50" and event.after["dmc_ods"] is True


def test_a_peer_who_is_also_county_staff_cannot_record_their_own_employment(provider):
    staff = user_with_role(Role.COUNTY_STAFF, with_person=True)
    CertificationFactory(person=staff.person)
    with pytest.raises(ApplicationError) as refused:
        record(staff, provider, staff.person)
    assert refused.value.code == "own_matter"


# ---- Transitions -----------------------------------------------------------------------------


def test_the_maps_cover_every_state():
    assert_map_covers(EMPLOYMENT_TRANSITIONS, EmploymentStatus)
    assert_map_covers(ASSIGNMENT_TRANSITIONS, AssignmentStatus)


def _move_employment(staff, employment, target):
    if target == EmploymentStatus.HIRED:
        return services.employment_hire(actor=staff, employment=employment, hired_on=TODAY)
    if target == EmploymentStatus.ENDED:
        return services.employment_end(actor=staff, employment=employment, end_on=TODAY, end_reason="resigned")
    return None


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(EMPLOYMENT_TRANSITIONS, EmploymentStatus))
def test_every_employment_move(staff, provider, certified, source, target, allowed):
    if target == EmploymentStatus.RECORDED:
        return  # no service moves an employment back to recorded: recording makes a new one
    employment = EmploymentFactory(
        provider=provider,
        person=certified.person,
        status=source,
        start_on=datetime.date(2026, 3, 1),
        hired_on=datetime.date(2026, 3, 1) if source != EmploymentStatus.RECORDED else None,
        end_on=datetime.date(2026, 3, 5) if source == EmploymentStatus.ENDED else None,
        end_reason="resigned" if source == EmploymentStatus.ENDED else "",
    )
    action = AuditAction.EMPLOYMENT_HIRE if target == EmploymentStatus.HIRED else AuditAction.EMPLOYMENT_END
    if allowed:
        _move_employment(staff, employment, target)
        employment.refresh_from_db()
        assert employment.status == target
        assert events(action, employment).count() == 1
    else:
        with pytest.raises(ApplicationError) as refused:
            _move_employment(staff, employment, target)
        assert refused.value.code == "state"
        employment.refresh_from_db()
        assert employment.status == source and not events(action, employment).exists()


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(ASSIGNMENT_TRANSITIONS, AssignmentStatus))
def test_every_assignment_move(staff, provider, certified, source, target, allowed):
    if target == AssignmentStatus.ACTIVE:
        return  # an ended assignment is never reopened: a new one is made
    assignment = SupervisorAssignmentFactory(
        employment=EmploymentFactory(provider=provider, person=certified.person),
        status=source,
        end_on=datetime.date(2026, 3, 1) if source == AssignmentStatus.ENDED else None,
    )
    if allowed:
        services.assignment_end(actor=staff, assignment=assignment, end_on=TODAY, reason="Moved on")
        assignment.refresh_from_db()
        assert assignment.status == AssignmentStatus.ENDED and assignment.end_on == TODAY
        assert events(AuditAction.ASSIGNMENT_END, assignment).get().reason == "Moved on"
    else:
        with pytest.raises(ApplicationError) as refused:
            services.assignment_end(actor=staff, assignment=assignment, end_on=TODAY, reason="Again")
        assert refused.value.code == "state"
        assert not events(AuditAction.ASSIGNMENT_END, assignment).exists()


# ---- The formal hire -------------------------------------------------------------------------


def test_hire_a_certified_peer(staff, provider, certified):
    employment = record(staff, provider, certified.person)
    services.employment_hire(actor=staff, employment=employment, hired_on=TODAY)
    employment.refresh_from_db()
    assert employment.status == EmploymentStatus.HIRED and employment.hired_on == TODAY
    assert employment.hired_by == staff and employment.hire_certification_number == "PSS-000193"
    assert events(AuditAction.EMPLOYMENT_HIRE, employment).get().after["status"] == "hired"


def test_a_hire_in_the_future_or_before_the_start_is_refused(staff, provider, certified):
    employment = record(staff, provider, certified.person)
    with pytest.raises(ApplicationError, match="A hire is recorded when it happens"):
        services.employment_hire(actor=staff, employment=employment, hired_on=TODAY + datetime.timedelta(days=1))
    with pytest.raises(ApplicationError, match="cannot come before the employment starts"):
        services.employment_hire(actor=staff, employment=employment, hired_on=datetime.date(2026, 2, 28))


@pytest.mark.parametrize("status", ["suspended", "revoked", "vacated", "surrendered"])
def test_a_hire_is_refused_saying_which_status_and_since_when(staff, provider, certified, status):
    employment = record(staff, provider, certified.person)
    CertificationStatusChange.objects.create(
        certification=certified,
        from_status="active",
        to_status=status,
        effective_on=datetime.date(2026, 3, 3),
        reason="x",
    )
    certified.status = status
    certified.save()
    with pytest.raises(ApplicationError) as refused:
        services.employment_hire(actor=staff, employment=employment, hired_on=TODAY)
    assert refused.value.message == (
        f"María López's certification PSS-000193 is {status} since March 3, 2026, so they cannot be hired. "
        "A suspended, revoked, expired or vacated certification must be active again first."
    )
    employment.refresh_from_db()
    assert employment.status == EmploymentStatus.RECORDED and not events(AuditAction.EMPLOYMENT_HIRE, employment)


def test_an_expired_certification_says_since_the_day_after_it_expired(staff, provider, certified):
    certified.expires_on = datetime.date(2026, 3, 4)
    certified.save()
    employment = record(staff, provider, certified.person)
    with pytest.raises(ApplicationError, match="is expired since March 5, 2026"):
        services.employment_hire(actor=staff, employment=employment, hired_on=TODAY)


def test_a_hire_is_allowed_on_a_day_the_certification_was_active_before_a_later_suspension(staff, provider, certified):
    employment = record(staff, provider, certified.person)
    CertificationStatusChange.objects.create(
        certification=certified, from_status="active", to_status="suspended", effective_on=TODAY, reason="x"
    )
    services.employment_hire(actor=staff, employment=employment, hired_on=datetime.date(2026, 3, 2))
    employment.refresh_from_db()
    assert employment.status == EmploymentStatus.HIRED


def test_no_certification_at_all_is_said(staff, provider):
    person = PersonFactory(legal_first_name="Ana", legal_last_name="Ruiz")
    employment = EmploymentFactory(provider=provider, person=person, status=EmploymentStatus.RECORDED, hired_on=None)
    with pytest.raises(ApplicationError, match="Ana Ruiz holds no certification"):
        services.employment_hire(actor=staff, employment=employment, hired_on=TODAY)


def test_the_hire_refusal_reads_in_spanish(staff, provider, certified):
    employment = record(staff, provider, certified.person)
    CertificationStatusChange.objects.create(
        certification=certified,
        from_status="active",
        to_status="suspended",
        effective_on=datetime.date(2026, 3, 3),
        reason="x",
    )
    certified.status = "suspended"
    certified.save()
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        services.employment_hire(actor=staff, employment=employment, hired_on=TODAY)
    assert "suspendida desde el 3 de marzo de 2026" in refused.value.message


# ---- Ending ----------------------------------------------------------------------------------


def test_ending_ends_its_supervisors_and_directing_professional_that_day(staff, provider, certified):
    employment = record(staff, provider, certified.person)
    assignment = services.assignment_create(
        actor=staff, employment=employment, supervisor=PersonFactory(), start_on=datetime.date(2026, 3, 2)
    )
    direction = services.direction_record(
        actor=staff,
        employment=employment,
        name="Dr. Rosa Chávez",
        credential_kind="licensed",
        license_type="LCSW",
        license_number="LCSW 12345",
        issuing_board="Board of Behavioral Sciences",
        start_on=datetime.date(2026, 3, 1),
    )
    services.employment_end(
        actor=staff, employment=employment, end_on=datetime.date(2026, 3, 9), end_reason="resigned", end_note="Moved"
    )
    assignment.refresh_from_db()
    direction.refresh_from_db()
    assert assignment.status == AssignmentStatus.ENDED and assignment.end_on == datetime.date(2026, 3, 9)
    assert direction.end_on == datetime.date(2026, 3, 9)
    assert events(AuditAction.ASSIGNMENT_END, assignment).exists() and events(AuditAction.DIRECTION_END, direction)
    assert events(AuditAction.EMPLOYMENT_END, employment).get().reason == "Moved"
    with pytest.raises(ApplicationError, match="has ended"):
        services.employment_update(
            actor=staff, employment=employment, position_title="x", fte=1, delivery_systems=["smhs"]
        )


def test_an_employment_cannot_end_before_it_starts_or_in_the_future(staff, provider, certified):
    employment = record(staff, provider, certified.person)
    with pytest.raises(ApplicationError, match="cannot end before it starts") as refused:
        services.employment_end(
            actor=staff, employment=employment, end_on=datetime.date(2026, 2, 1), end_reason="resigned"
        )
    assert refused.value.field == "end_on"
    with pytest.raises(ApplicationError, match="on or after its last day"):
        services.employment_end(
            actor=staff, employment=employment, end_on=TODAY + datetime.timedelta(days=3), end_reason="resigned"
        )
    with pytest.raises(ApplicationError, match="Choose why"):
        services.employment_end(actor=staff, employment=employment, end_on=TODAY, end_reason="bored")
    employment.refresh_from_db()
    assert employment.status == EmploymentStatus.RECORDED


# ---- Directing professional ------------------------------------------------------------------


def test_a_new_directing_professional_ends_the_previous_one_the_day_before(staff, provider, certified):
    employment = record(staff, provider, certified.person)
    common = {"credential_kind": "licensed", "license_type": "LMFT", "issuing_board": "Board of Behavioral Sciences"}
    first = services.direction_record(
        actor=staff, employment=employment, name="A", license_number="1", start_on=datetime.date(2026, 3, 1), **common
    )
    second = services.direction_record(
        actor=staff, employment=employment, name="B", license_number="2", start_on=datetime.date(2026, 3, 8), **common
    )
    first.refresh_from_db()
    assert first.end_on == datetime.date(2026, 3, 7) and second.end_on is None
    assert selectors.current_direction(employment) == second
    assert events(AuditAction.DIRECTION_RECORD, second).exists() and events(AuditAction.DIRECTION_END, first).exists()
    with pytest.raises(ApplicationError, match="must start after that day"):
        services.direction_record(
            actor=staff,
            employment=employment,
            name="C",
            license_number="3",
            start_on=datetime.date(2026, 3, 8),
            **common,
        )
    with pytest.raises(ApplicationError):
        services.direction_record(
            actor=staff,
            employment=employment,
            name="C",
            license_number="3",
            start_on=TODAY,
            **{**common, "credential_kind": "guru"},
        )
    assert DirectingProfessional.objects.count() == 2


# ---- Supervision -----------------------------------------------------------------------------


def test_policy_within_the_ceiling_and_the_limit_in_force(staff):
    la = county()
    approver = user_with_role(Role.DHCS_APPROVER)
    assert selectors.supervision_limit_on(la, TODAY) == 12  # the program default, no ceiling recorded
    services.supervision_policy_set(
        actor=staff, county=la, max_peers_per_supervisor=20, effective_from=datetime.date(2026, 1, 1)
    )
    assert selectors.supervision_limit_on(la, TODAY) == 20  # no statewide cap when none is recorded
    services.supervision_ceiling_set(
        actor=approver, max_peers_per_supervisor=15, effective_from=datetime.date(2026, 3, 1), reason="Federal guidance"
    )
    assert selectors.supervision_limit_on(la, TODAY) == 15  # a later ceiling caps an earlier policy
    with pytest.raises(ApplicationError) as refused:
        services.supervision_policy_set(actor=staff, county=la, max_peers_per_supervisor=16, effective_from=TODAY)
    assert refused.value.message == "DHCS allows at most 15 peers per supervisor from March 1, 2026. Enter 15 or fewer."
    services.supervision_policy_set(actor=staff, county=la, max_peers_per_supervisor=8, effective_from=TODAY)
    assert selectors.supervision_limit_on(la, TODAY) == 8
    assert selectors.supervision_limit_on(la, TODAY - datetime.timedelta(days=1)) == 15
    assert AuditEvent.objects.filter(action=AuditAction.SUPERVISION_POLICY_SET.value).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.SUPERVISION_CEILING_SET.value).count() == 1


def test_only_a_dhcs_approver_sets_the_ceiling_and_only_county_staff_their_policy(staff, fresno_staff):
    for actor in (staff, user_with_role(Role.DHCS_ANALYST)):
        with pytest.raises(ApplicationError):
            services.supervision_ceiling_set(actor=actor, max_peers_per_supervisor=10, effective_from=TODAY, reason="x")
    with pytest.raises(ApplicationError):
        services.supervision_policy_set(
            actor=fresno_staff, county=county(), max_peers_per_supervisor=5, effective_from=TODAY
        )


def test_the_ratio_refuses_at_the_limit_and_allows_under_it(staff, provider, certified):
    services.supervision_policy_set(actor=staff, county=county(), max_peers_per_supervisor=2, effective_from=TODAY)
    supervisor = PersonFactory(legal_first_name="Lena", legal_last_name="Ortiz")
    first, second, third = (EmploymentFactory(provider=provider, start_on=datetime.date(2026, 1, 5)) for _ in range(3))
    services.assignment_create(actor=staff, employment=first, supervisor=supervisor, start_on=TODAY)
    services.assignment_create(actor=staff, employment=second, supervisor=supervisor, start_on=TODAY)
    with pytest.raises(ApplicationError) as refused:
        services.assignment_create(actor=staff, employment=third, supervisor=supervisor, start_on=TODAY)
    assert refused.value.message == (
        "Lena Ortiz already supervises 2 peers, and Los Angeles County allows 2 per supervisor. "
        "Choose another supervisor, or end one of their assignments first."
    )
    assert SupervisorAssignment.objects.filter(employment=third).count() == 0
    services.assignment_end(
        actor=staff, assignment=SupervisorAssignment.objects.get(employment=first), end_on=TODAY, reason="Left"
    )
    services.assignment_create(actor=staff, employment=third, supervisor=supervisor, start_on=TODAY)


def test_assignments_in_other_counties_count_toward_the_ratio(staff, fresno_staff):
    supervisor = PersonFactory()
    fresno = ProviderFactory(county=county("Fresno"), city="Fresno")
    SupervisorAssignmentFactory.create_batch(12, supervisor=supervisor, employment__provider=fresno)
    with pytest.raises(ApplicationError, match="already supervises 12 peers"):
        services.assignment_create(
            actor=staff, employment=EmploymentFactory(provider=ProviderFactory()), supervisor=supervisor, start_on=TODAY
        )


def test_a_peer_cannot_supervise_themselves_and_training_is_due_in_the_window(staff, provider, certified):
    employment = record(staff, provider, certified.person)
    with pytest.raises(ApplicationError, match="cannot supervise themselves"):
        services.assignment_create(actor=staff, employment=employment, supervisor=certified.person, start_on=TODAY)
    assignment = services.assignment_create(
        actor=staff, employment=employment, supervisor=PersonFactory(), start_on=TODAY
    )
    assert assignment.training_due_on == TODAY + datetime.timedelta(days=60)
    assert events(AuditAction.ASSIGNMENT_CREATE, assignment).get().after["limit"] == 12
    with pytest.raises(ApplicationError, match="already supervises this peer"):
        services.assignment_create(actor=staff, employment=employment, supervisor=assignment.supervisor, start_on=TODAY)


def test_find_a_supervisor_by_email_without_a_certification():
    clinician = PersonFactory(email="dr.ruiz@lacdmh.example")
    assert selectors.find_supervisor(email="DR.RUIZ@lacdmh.example") == clinician
    assert selectors.find_supervisor(legal_name=clinician.full_name, date_of_birth=clinician.date_of_birth) == clinician
    with pytest.raises(ApplicationError, match="No one on record has the email"):
        selectors.find_supervisor(email="nobody@example.org")


def test_training_overdue_flag_travels_with_time(staff, provider, certified):
    employment = EmploymentFactory(provider=provider, person=certified.person, start_on=datetime.date(2026, 1, 5))
    late = PersonFactory()
    trained = PersonFactory()
    supervisor_training(trained)
    services.assignment_create(actor=staff, employment=employment, supervisor=late, start_on=TODAY)
    services.assignment_create(
        actor=staff, employment=EmploymentFactory(provider=provider), supervisor=trained, start_on=TODAY
    )

    def overdue_ids():
        return {r["supervisor"].pk for r in selectors.supervision_rows(staff, county()) if r["training_overdue"]}

    assert overdue_ids() == set() and not selectors.overdue_training_assignments([county().pk]).exists()
    with time_machine.travel(datetime.datetime(2026, 5, 9, 18, tzinfo=datetime.UTC), tick=False):  # the 60th day
        assert overdue_ids() == set()
        assert selectors.trained_supervisor_on(employment, datetime.date(2026, 5, 9))
    with time_machine.travel(datetime.datetime(2026, 5, 10, 18, tzinfo=datetime.UTC), tick=False):
        assert overdue_ids() == {late.pk}
        assert list(selectors.overdue_training_assignments([county().pk]).values_list("supervisor_id", flat=True)) == [
            late.pk
        ]
        assert not selectors.trained_supervisor_on(employment, datetime.date(2026, 5, 10))
        supervisor_training(late, on=datetime.date(2026, 5, 10))
        assert overdue_ids() == set()
        assert selectors.trained_supervisor_on(employment, datetime.date(2026, 5, 10))
    assert not selectors.trained_supervisor_on(employment, datetime.date(2026, 3, 9))  # before anyone supervised


def test_supervision_rows_show_the_ratio(staff, provider):
    supervisor = PersonFactory()
    SupervisorAssignmentFactory.create_batch(3, supervisor=supervisor, employment__provider=provider)
    [row] = selectors.supervision_rows(staff, county())
    assert (row["peers"], row["limit"], row["at_limit"], row["trained"]) == (3, 12, False, False)
    assert selectors.supervision_rows(user_with_role(Role.COUNTY_STAFF, county_name="Fresno"), county()) == []


def test_workforce_by_county_is_one_aggregate(staff, provider, django_assert_max_num_queries):
    fresno = ProviderFactory(county=county("Fresno"), city="Fresno")
    EmploymentFactory.create_batch(3, provider=provider)
    EmploymentFactory(provider=provider, status=EmploymentStatus.RECORDED, hired_on=None)
    EmploymentFactory(provider=fresno, status="ended", end_on=datetime.date(2026, 2, 1), end_reason="resigned")
    SupervisorAssignmentFactory(employment__provider=fresno, start_on=datetime.date(2025, 1, 1))
    analyst = user_with_role(Role.DHCS_ANALYST)
    # The role check, who is late, who of them is trained (training's set read), then one aggregate
    # over every county: the same four however many counties and employments there are.
    with django_assert_max_num_queries(4):
        rows = {r["county__name"]: r for r in selectors.workforce_by_county(analyst)}
    assert (rows["Los Angeles"]["open"], rows["Los Angeles"]["hired"], rows["Los Angeles"]["recorded"]) == (4, 3, 1)
    assert rows["Fresno"]["ended_this_year"] == 1 and rows["Fresno"]["supervisors"] == 1
    assert rows["Fresno"]["overdue_training"] == 1 and rows["Fresno"]["open"] == 1
    assert selectors.workforce_by_county(staff) == []
