"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py).

Seated members see meeting materials early because of their seat, not a role, so no role of the
matrix is a member: the members' page is declared for the staff who read the council's records,
and the members' own access is tested in council/tests/test_views.py.
"""

from peercert.accounts.roles import Role
from peercert.core.access import PUBLIC

# Written out by hand, not imported from permissions.py: the matrix checks the permissions.
STAFF = {Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR}
READERS = STAFF | {Role.AUDITOR}


def build_world(w) -> dict:
    """A past meeting with its minutes (text and PDF) published, an application, a seated member and a recommendation."""
    from peercert.council.tests.factories import (
        CouncilApplicationFactory,
        CouncilCallFactory,
        CouncilMemberFactory,
        CouncilRecommendationFactory,
        published_meeting_with_pdf,
    )

    call = CouncilCallFactory()
    return {
        "council_call": call,
        "council_application": CouncilApplicationFactory(call=call),
        "council_member": CouncilMemberFactory(),
        "council_meeting": published_meeting_with_pdf(),
        "council_recommendation": CouncilRecommendationFactory(),
    }


def _call(w):
    return {"call_id": w["council_call"].pk}


def _application(w):
    return {"application_id": w["council_application"].pk}


def _member(w):
    return {"member_id": w["council_member"].pk}


def _meeting(w):
    return {"meeting_id": w["council_meeting"].pk}


def _recommendation(w):
    return {"recommendation_id": w["council_recommendation"].pk}


ACCESS: dict = {
    # Public
    "council:about": {"allow": PUBLIC},
    "council:apply": {"allow": PUBLIC},
    "council:apply_sent": {"allow": PUBLIC},
    "council:meeting": {"allow": PUBLIC, "kwargs": _meeting},
    "council:meeting_minutes_file": {"allow": PUBLIC, "kwargs": _meeting},
    # Members (by seat) and the staff who read the council's records
    "council:members_area": {"allow": READERS},
    # Program staff (the auditor reads)
    "council:staff": {"allow": READERS},
    "council:call_new": {"allow": STAFF},
    "council:call_open": {"allow": STAFF, "kwargs": _call},
    "council:call_close": {"allow": STAFF, "kwargs": _call},
    "council:application": {"allow": READERS, "kwargs": _application},
    "council:application_select": {"allow": STAFF, "kwargs": _application},
    "council:application_decline": {"allow": STAFF, "kwargs": _application},
    "council:member": {"allow": READERS, "kwargs": _member},
    "council:member_end": {"allow": STAFF, "kwargs": _member},
    "council:member_link": {"allow": STAFF, "kwargs": _member},
    "council:meeting_new": {"allow": STAFF},
    "council:meeting_manage": {"allow": READERS, "kwargs": _meeting},
    "council:meeting_edit": {"allow": STAFF, "kwargs": _meeting},
    "council:meeting_announce": {"allow": STAFF, "kwargs": _meeting},
    "council:meeting_publish_minutes": {"allow": STAFF, "kwargs": _meeting},
    "council:meeting_cancel": {"allow": STAFF, "kwargs": _meeting},
    "council:meeting_attendance": {"allow": STAFF, "kwargs": _meeting},
    "council:recommendation_new": {"allow": STAFF},
    "council:recommendation": {"allow": READERS, "kwargs": _recommendation},
    "council:recommendation_respond": {"allow": STAFF, "kwargs": _recommendation},
    "council:recommendation_publish": {"allow": STAFF, "kwargs": _recommendation},
    "council:recommendation_withdraw": {"allow": STAFF, "kwargs": _recommendation},
    # API
    "GET /api/v1/council": {"allow": PUBLIC},
}
