import io

import pytest

from peercert.accounts import demo as accounts_demo
from peercert.council import demo
from peercert.council.models import (
    CallStatus,
    CouncilCall,
    CouncilMeeting,
    CouncilMember,
    CouncilRecommendation,
    MeetingStatus,
    RecommendationStatus,
)
from peercert.council.permissions import is_seated_member

pytestmark = pytest.mark.django_db


def test_the_demo_council_is_complete_and_seeding_twice_changes_nothing():
    out = io.StringIO()
    accounts_demo.seed(out)
    demo.seed(out)
    demo.seed(out)
    assert CouncilMember.objects.count() == 4
    assert CouncilMeeting.objects.count() == 2
    [past] = CouncilMeeting.objects.filter(status=MeetingStatus.MINUTES_PUBLISHED)
    assert past.minutes and past.minutes_file_kind == "pdf"
    assert CouncilRecommendation.objects.filter(status=RecommendationStatus.PUBLISHED).exclude(response="").exists()
    assert CouncilCall.objects.filter(status=CallStatus.OPEN).count() == 1
    # The demo peer holds a seat, so her sign-in shows the members' materials.
    from peercert.accounts.models import User

    assert is_seated_member(User.objects.get(email="peer@demo.peercert.example"))
