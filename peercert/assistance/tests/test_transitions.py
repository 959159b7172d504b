"""Every move from every state of a question, through the real services."""

import pytest

from peercert.assistance import services
from peercert.assistance.models import ASSISTANCE_TRANSITIONS, QUESTION, AssistanceRequest, AssistanceStatus
from peercert.assistance.tests.factories import AssistanceRequestFactory
from peercert.core.errors import ApplicationError
from peercert.core.transitions import assert_map_covers, every_move, transition

pytestmark = pytest.mark.django_db


def test_the_map_covers_every_state():
    assert_map_covers(ASSISTANCE_TRANSITIONS, AssistanceStatus)


def _move(target, question, reviewer, peer_user):
    if target == AssistanceStatus.ANSWERED:
        return services.assistance_reply(actor=reviewer, request=question, body="Here is how.")
    if target == AssistanceStatus.CLOSED:
        return services.assistance_close(actor=reviewer, request=question)
    return services.assistance_follow_up(actor=peer_user, request=question, body="One more thing.")


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(ASSISTANCE_TRANSITIONS, AssistanceStatus))
def test_every_move(source, target, allowed, reviewer, peer_user):
    unsaved = AssistanceRequest(status=source)
    if allowed:
        assert transition(unsaved, target, allowed=ASSISTANCE_TRANSITIONS, noun=QUESTION) == source
    else:
        with pytest.raises(ApplicationError):
            transition(unsaved, target, allowed=ASSISTANCE_TRANSITIONS, noun=QUESTION)
    if source == target:
        return  # staying put is no move: a second answer, a follow-up on an open question
    question = AssistanceRequestFactory(status=source, requester=peer_user)
    if allowed:
        _move(target, question, reviewer, peer_user)
        question.refresh_from_db()
        assert question.status == target
    else:
        before = AssistanceRequest.objects.filter(pk=question.pk).values().get()
        with pytest.raises(ApplicationError):
            _move(target, question, reviewer, peer_user)
        assert AssistanceRequest.objects.filter(pk=question.pk).values().get() == before
        assert not question.messages.exists()
