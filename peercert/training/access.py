"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py)."""

import datetime

from peercert.accounts.roles import Role
from peercert.core.access import PUBLIC

PEER = Role.PEER
ENTITY = Role.TRAINING_STAFF
PROGRAM = {Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER}
READ_ALL = PROGRAM | {Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR, Role.SYSTEM_ADMINISTRATOR}


def build_world(w) -> dict:
    """An approved entity (the training staff's own), an approved curriculum, a future course the
    peer is enrolled in and completed, the peer's accommodation request and reported CE."""
    from peercert.accounts.models import RoleAssignment
    from peercert.core import clock
    from peercert.training.tests import factories as f

    entity = RoleAssignment.objects.get(user=w["users"][ENTITY], role=ENTITY).training_entity
    person = w["peer"].person
    today = clock.today()
    f.ApprovedProviderFactory(
        training_entity=entity,
        training_type="continuing_education",
        language="en",
        approved_from=today - datetime.timedelta(days=30),
        approved_until=today + datetime.timedelta(days=700),
    )
    offering = f.OfferingFactory(
        training_entity=entity,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=11),
    )
    curriculum = offering.curriculum_version.curriculum
    enrollment = f.EnrollmentFactory(offering=offering, person=person)
    past = f.OfferingFactory(
        training_entity=entity,
        curriculum_version=offering.curriculum_version,
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today - datetime.timedelta(days=19),
    )
    completion = f.CompletionFactory(offering=past, person=person)
    accommodation = f.AccommodationRequestFactory(offering=offering, person=person)
    activity = f.CEActivityFactory(person=person)
    return {
        "training_offering": offering,
        "training_curriculum": curriculum,
        "training_version": offering.curriculum_version,
        "training_enrollment": enrollment,
        "training_completion": completion,
        "training_accommodation": accommodation,
        "training_activity": activity,
        "training_application": entity.provider_applications.first(),
    }


def _application(w) -> dict:
    return {"application_id": w["training_application"].pk}


def _version(w) -> dict:
    return {"version_id": w["training_version"].pk}


def _managed(w) -> dict:
    return {"offering_id": w["training_offering"].pk}


# The action routes take POST only: a GET from a role that got in answers 405, which the
# matrix counts as "got in".
ACCESS = {
    "training:providers": {"allow": PUBLIC},
    "training:offering_detail": {"allow": PUBLIC, "kwargs": lambda w: {"offering_id": w["training_offering"].pk}},
    # POST-only: a GET from an allowed role answers 405, which the matrix counts as "got in".
    "training:enroll": {"allow": {PEER}, "kwargs": lambda w: {"offering_id": w["training_offering"].pk}},
    "training:accommodation_create": {"allow": {PEER}, "kwargs": lambda w: {"offering_id": w["training_offering"].pk}},
    "training:my_training": {"allow": {PEER}},
    "training:enrollment_cancel": {
        "allow": {PEER, ENTITY},
        "kwargs": lambda w: {"enrollment_id": w["training_enrollment"].pk},
    },
    # Confidential: the requester, the deciding entity's staff and program staff only.
    "training:accommodation_detail": {
        "allow": {PEER, ENTITY} | PROGRAM,
        "kwargs": lambda w: {"request_id": w["training_accommodation"].pk},
    },
    "training:accommodation_withdraw": {
        "allow": {PEER},
        "kwargs": lambda w: {"request_id": w["training_accommodation"].pk},
    },
    "training:accommodation_document": {
        "allow": {PEER, ENTITY} | PROGRAM,
        "kwargs": lambda w: {"request_id": w["training_accommodation"].pk},
    },
    "training:ce_report": {"allow": {PEER}},
    "training:ce_review": {"allow": PROGRAM},
    "training:ce_activity_detail": {
        "allow": {PEER} | PROGRAM,
        "kwargs": lambda w: {"activity_id": w["training_activity"].pk},
    },
    "training:ce_evidence": {"allow": {PEER} | PROGRAM, "kwargs": lambda w: {"activity_id": w["training_activity"].pk}},
    "training:certificate": {
        "allow": {PEER, ENTITY} | READ_ALL,
        "kwargs": lambda w: {"completion_id": w["training_completion"].pk},
    },
    "training:applications": {"allow": {ENTITY} | READ_ALL},
    "training:application_detail": {
        "allow": {ENTITY} | READ_ALL,
        "kwargs": lambda w: {"application_id": w["training_application"].pk},
    },
    # Program staff decide; the entity resubmits and asks to renew; either may withdraw.
    **{
        f"training:application_{action}": {"allow": PROGRAM, "kwargs": _application}
        for action in ("start_review", "approve", "return", "deny", "suspend", "lift_suspension", "renew")
    },
    "training:application_resubmit": {"allow": {ENTITY}, "kwargs": _application},
    "training:application_request_renewal": {"allow": {ENTITY}, "kwargs": _application},
    "training:application_withdraw": {"allow": {ENTITY} | PROGRAM, "kwargs": _application},
    "training:curricula": {"allow": {ENTITY, Role.COUNTY_STAFF} | READ_ALL},
    # Entity staff see curricula with an approved version (they may teach them); the county sees its own.
    "training:curriculum_detail": {
        "allow": {ENTITY} | READ_ALL,
        "kwargs": lambda w: {"curriculum_id": w["training_curriculum"].pk},
    },
    # The owner adds versions and maps competencies (the service refuses anyone else's curriculum).
    "training:curriculum_version_create": {
        "allow": {ENTITY} | PROGRAM,
        "kwargs": lambda w: {"curriculum_id": w["training_curriculum"].pk},
    },
    "training:curriculum_map_competencies": {
        "allow": {ENTITY} | PROGRAM,
        "kwargs": lambda w: {"curriculum_id": w["training_curriculum"].pk},
    },
    "training:version_submit": {"allow": {ENTITY} | PROGRAM, "kwargs": _version},
    "training:version_approve": {"allow": {Role.DHCS_APPROVER}, "kwargs": _version},
    "training:version_return": {"allow": {Role.DHCS_APPROVER}, "kwargs": _version},
    "training:version_reject": {"allow": {Role.DHCS_APPROVER}, "kwargs": _version},
    "training:offerings": {"allow": {ENTITY} | READ_ALL},
    "training:offering_manage": {"allow": {ENTITY}, "kwargs": lambda w: {"offering_id": w["training_offering"].pk}},
    "training:roster_upload": {"allow": {ENTITY}, "kwargs": lambda w: {"offering_id": w["training_offering"].pk}},
    "training:roster_confirm": {"allow": {ENTITY}, "kwargs": _managed},
    "training:offering_cancel": {"allow": {ENTITY}, "kwargs": _managed},
    "training:offering_close": {"allow": {ENTITY}, "kwargs": _managed},
    "training:completion_record": {"allow": {ENTITY}, "kwargs": _managed},
    "training:supervisor_completion_record": {"allow": {ENTITY}, "kwargs": _managed},
    "training:enrollment_mark_attendance": {
        "allow": {ENTITY},
        "kwargs": lambda w: {"enrollment_id": w["training_enrollment"].pk},
    },
    "GET /api/v1/training/providers": {"allow": PUBLIC},
    "GET /api/v1/training/ce-ledger": {"allow": {PEER}},
}
