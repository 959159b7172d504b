"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py)."""

from peercert.accounts.roles import Role
from peercert.assistance.moved import MOVED
from peercert.assistance.permissions import ASSISTANCE_STAFF_ROLES
from peercert.core.access import PUBLIC, SIGNED_IN

STAFF = set(ASSISTANCE_STAFF_ROLES)


def build_world(w) -> dict:
    from peercert.assistance.tests.factories import AssistanceRequestFactory, FaqEntryFactory, SavedAnswerFactory

    question = AssistanceRequestFactory(requester=w["peer"], email=w["peer"].email)
    return {"question": question, "saved_answer": SavedAnswerFactory(), "faq_entry": FaqEntryFactory()}


def _question(w):
    return {"request_id": w["question"].pk}


KWARGS = {
    "my_question": _question,
    "question": _question,
    "question_assign": _question,
    "question_close": _question,
    "saved_answer_edit": lambda w: {"answer_id": w["saved_answer"].pk},
    "faq_edit": lambda w: {"entry_id": w["faq_entry"].pk},
}

ACCESS: dict = {
    # Public
    "assistance:faq": {"allow": PUBLIC},
    "assistance:ask": {"allow": PUBLIC},
    "assistance:ask_sent": {"allow": PUBLIC},
    # People asking, scoped to their own questions
    "assistance:my_questions": {"allow": SIGNED_IN},
    "assistance:my_question": {"allow": {Role.PEER}, "kwargs": _question},
    # Program staff
    "assistance:queue": {"allow": STAFF},
    "assistance:question": {"allow": STAFF, "kwargs": _question},
    "assistance:question_assign": {"allow": STAFF, "kwargs": _question},
    "assistance:question_close": {"allow": STAFF, "kwargs": _question},
    "assistance:saved_answer_list": {"allow": STAFF},
    "assistance:saved_answer_edit": {"allow": STAFF, "kwargs": KWARGS["saved_answer_edit"]},
    "assistance:faq_manage": {"allow": STAFF},
    "assistance:faq_edit": {"allow": STAFF, "kwargs": KWARGS["faq_edit"]},
    # The old /discipline/ addresses only redirect; the new URL checks who may see it.
    **{
        f"assistance_moved:{name}": {"allow": PUBLIC, **({"kwargs": KWARGS[name]} if name in KWARGS else {})}
        for _old, name in MOVED
    },
    # API
    "GET /api/v1/assistance/faq": {"allow": PUBLIC},
}
