import pytest

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.training import services
from peercert.training.models import Competency, CurriculumReview, CurriculumVersion, VersionStatus
from peercert.training.tests.factories import CurriculumFactory, CurriculumVersionFactory

ACTIONS = {
    "submit": (
        lambda owner, dhcs, v: services.curriculum_version_submit(actor=owner, version=v),
        VersionStatus.SUBMITTED,
        {VersionStatus.DRAFT, VersionStatus.RETURNED},
    ),
    "approve": (
        lambda owner, dhcs, v: services.curriculum_version_approve(actor=dhcs, version=v),
        VersionStatus.APPROVED,
        {VersionStatus.SUBMITTED},
    ),
    "return": (
        lambda owner, dhcs, v: services.curriculum_version_return(actor=dhcs, version=v, comments="Add a module"),
        VersionStatus.RETURNED,
        {VersionStatus.SUBMITTED},
    ),
    "reject": (
        lambda owner, dhcs, v: services.curriculum_version_reject(actor=dhcs, version=v, comments="Out of scope"),
        VersionStatus.REJECTED,
        {VersionStatus.SUBMITTED},
    ),
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("status", list(VersionStatus.values))
def test_every_version_transition(action, status, entity, entity_staff, approver):
    call, target, sources = ACTIONS[action]
    curriculum = CurriculumFactory(owner_training_entity=entity)
    version = CurriculumVersionFactory(curriculum=curriculum, status=status, submitted_by=entity_staff)
    if status in sources:
        assert call(entity_staff, approver, version).status == target
        assert AuditEvent.objects.filter(object_type="training.curriculumversion", object_id=str(version.pk)).exists()
        if action != "submit":
            assert CurriculumReview.objects.get(version=version).decision == target
    else:
        with pytest.raises(ApplicationError) as err:
            call(entity_staff, approver, version)
        assert err.value.code == "state"


def test_only_dhcs_approver_decides(entity, entity_staff):
    version = CurriculumVersionFactory(
        curriculum=CurriculumFactory(owner_training_entity=entity), status=VersionStatus.SUBMITTED
    )
    for role in (Role.DHCS_ANALYST, Role.PROGRAM_MANAGER, Role.TRAINING_STAFF):
        with pytest.raises(ApplicationError) as err:
            services.curriculum_version_approve(actor=user_with_role(role), version=version)
        assert err.value.code == "forbidden"


def test_return_and_reject_need_comments(approver):
    version = CurriculumVersionFactory(status=VersionStatus.SUBMITTED)
    with pytest.raises(ApplicationError):
        services.curriculum_version_return(actor=approver, version=version, comments="")
    with pytest.raises(ApplicationError):
        services.curriculum_version_reject(actor=approver, version=version, comments="  ")


def test_submitters_program_county_entity(entity, entity_staff):
    program = user_with_role(Role.PROGRAM_MANAGER)
    county = user_with_role(Role.COUNTY_STAFF)
    c1 = services.curriculum_create(
        actor=program, title="Ley y ética", kind="continuing_education", ce_category="law_ethics"
    )
    c2 = services.curriculum_create(actor=county, title="Crisis LA", kind="specialization", specialization="crisis")
    c3 = services.curriculum_create(actor=entity_staff, title="Supervising peers", kind="supervisor")
    assert c1.owner_county is None and c1.owner_training_entity is None
    assert c2.owner_county.name == "Los Angeles"
    assert c3.owner_training_entity == entity
    # A county cannot submit another owner's curriculum.
    v = services.curriculum_version_create(actor=entity_staff, curriculum=c3, hours=1)
    with pytest.raises(ApplicationError):
        services.curriculum_version_submit(actor=county, version=v)
    with pytest.raises(ApplicationError):
        services.curriculum_create(actor=user_with_role(Role.PEER), title="x", kind="core")


def test_core_curriculum_needs_80_hours_and_17_competencies(reviewer, approver):
    assert Competency.objects.filter(is_core=True).count() == 17
    core = services.curriculum_create(actor=reviewer, title="Core", kind="core")
    assert core.competencies.count() == 17
    v = services.curriculum_version_create(actor=reviewer, curriculum=core, hours=60)
    with pytest.raises(ApplicationError, match="80"):
        services.curriculum_version_submit(actor=reviewer, version=v)
    services.curriculum_version_update(actor=reviewer, version=v, hours=80)
    services.curriculum_map_competencies(actor=reviewer, curriculum=core, competencies=Competency.objects.all()[:16])
    with pytest.raises(ApplicationError, match="17"):
        services.curriculum_version_submit(actor=reviewer, version=v)
    services.curriculum_map_competencies(actor=reviewer, curriculum=core, competencies=Competency.objects.all())
    assert services.curriculum_version_submit(actor=reviewer, version=v).status == VersionStatus.SUBMITTED


def test_specialization_needs_40_hours(reviewer):
    c = services.curriculum_create(actor=reviewer, title="Unhoused", kind="specialization", specialization="unhoused")
    v = services.curriculum_version_create(actor=reviewer, curriculum=c, hours=39)
    with pytest.raises(ApplicationError, match="40"):
        services.curriculum_version_submit(actor=reviewer, version=v)


def test_refresher_only_for_ce(reviewer):
    with pytest.raises(ApplicationError):
        services.curriculum_create(actor=reviewer, title="x", kind="supervisor", is_refresher=True)


def test_approving_a_new_version_supersedes_the_old(reviewer, approver):
    c = services.curriculum_create(actor=reviewer, title="Ethics", kind="continuing_education")
    v1 = services.curriculum_version_create(actor=reviewer, curriculum=c, hours=6)
    with pytest.raises(ApplicationError):
        services.curriculum_version_create(actor=reviewer, curriculum=c, hours=6)  # one in flight at a time
    services.curriculum_version_submit(actor=reviewer, version=v1)
    services.curriculum_version_approve(actor=approver, version=v1)
    v2 = services.curriculum_version_create(actor=reviewer, curriculum=c, hours=8)
    assert v2.number == 2
    services.curriculum_version_submit(actor=reviewer, version=v2)
    services.curriculum_version_return(actor=approver, version=v2, comments="Cite sources")
    services.curriculum_version_submit(actor=reviewer, version=v2)
    services.curriculum_version_approve(actor=approver, version=v2)
    assert CurriculumVersion.objects.get(pk=v1.pk).status == VersionStatus.SUPERSEDED
    assert list(c.versions.filter(status=VersionStatus.APPROVED)) == [v2]
    assert v2.reviews.count() == 2
