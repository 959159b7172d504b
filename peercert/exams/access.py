"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py)."""

import datetime

from peercert.accounts.roles import Role
from peercert.core.access import SIGNED_IN

ADMIN = {Role.EXAM_ADMINISTRATOR}
EXAM_STAFF = {Role.EXAM_ADMINISTRATOR, Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER}
BANK = EXAM_STAFF | {Role.DHCS_APPROVER}
ANALYSIS = BANK | {Role.DHCS_ANALYST}
PEER = {Role.PEER}

ACCESS = {
    "exams:home": {"allow": ANALYSIS | PEER},
    "exams:my_exam": {"allow": PEER},
    "exams:item_list": {"allow": BANK},
    "exams:item_create": {"allow": ADMIN},
    "exams:item_detail": {"allow": BANK, "kwargs": lambda w: {"item_id": w["exam_item"].pk}},
    "exams:item_edit": {"allow": ADMIN, "kwargs": lambda w: {"item_id": w["exam_item"].pk}},
    "exams:item_submit": {"allow": BANK, "kwargs": lambda w: {"item_id": w["exam_item"].pk}},
    "exams:item_review_pass": {"allow": BANK, "kwargs": lambda w: {"item_id": w["exam_item"].pk}},
    "exams:item_return": {"allow": BANK, "kwargs": lambda w: {"item_id": w["exam_item"].pk}},
    "exams:item_approve": {"allow": BANK, "kwargs": lambda w: {"item_id": w["exam_item"].pk}},
    "exams:item_retire": {"allow": BANK, "kwargs": lambda w: {"item_id": w["exam_item"].pk}},
    "exams:item_new_version": {"allow": BANK, "kwargs": lambda w: {"item_id": w["exam_item"].pk}},
    "exams:form_list": {"allow": ANALYSIS},
    "exams:form_create": {"allow": ADMIN},
    "exams:form_detail": {"allow": ANALYSIS, "kwargs": lambda w: {"form_id": w["exam_form"].pk}},
    "exams:form_assemble": {"allow": ANALYSIS, "kwargs": lambda w: {"form_id": w["exam_form"].pk}},
    "exams:form_approve": {"allow": ANALYSIS, "kwargs": lambda w: {"form_id": w["exam_form"].pk}},
    "exams:form_publish": {"allow": ANALYSIS, "kwargs": lambda w: {"form_id": w["exam_form"].pk}},
    "exams:form_retire": {"allow": ANALYSIS, "kwargs": lambda w: {"form_id": w["exam_form"].pk}},
    "exams:form_analyse": {"allow": ANALYSIS, "kwargs": lambda w: {"form_id": w["exam_form"].pk}},
    "exams:form_analysis": {"allow": ANALYSIS, "kwargs": lambda w: {"form_id": w["exam_form"].pk}},
    "exams:authorization_list": {"allow": ADMIN},
    "exams:session_list": {"allow": EXAM_STAFF | PEER},
    "exams:session_create": {"allow": ADMIN},
    "exams:session_detail": {"allow": EXAM_STAFF | PEER, "kwargs": lambda w: {"session_id": w["exam_session"].pk}},
    "exams:session_register": {"allow": PEER, "kwargs": lambda w: {"session_id": w["exam_session"].pk}},
    "exams:incident_create": {"allow": ADMIN, "kwargs": lambda w: {"session_id": w["exam_session"].pk}},
    "exams:registration_reschedule": {
        "allow": PEER | ADMIN,
        "kwargs": lambda w: {"registration_id": w["exam_registration"].pk},
    },
    "exams:registration_cancel": {
        "allow": PEER | ADMIN,
        "kwargs": lambda w: {"registration_id": w["exam_registration"].pk},
    },
    "exams:registration_check_in": {"allow": ADMIN, "kwargs": lambda w: {"registration_id": w["exam_registration"].pk}},
    "exams:accommodation_list": {"allow": EXAM_STAFF},
    "exams:accommodation_request": {"allow": PEER},
    # Confidential: the candidate and exam/program staff; everyone else gets 404.
    "exams:accommodation_detail": {
        "allow": PEER | EXAM_STAFF,
        "kwargs": lambda w: {"request_id": w["exam_accommodation"].pk},
    },
    "exams:accommodation_document": {
        "allow": PEER | EXAM_STAFF,
        "kwargs": lambda w: {"request_id": w["exam_accommodation"].pk},
    },
    "exams:attempt_take": {"allow": PEER, "kwargs": lambda w: {"attempt_id": w["exam_attempt"].pk}},
    "exams:answer_save": {"allow": PEER, "kwargs": lambda w: {"attempt_id": w["exam_attempt"].pk}},
    "exams:attempt_submit": {"allow": PEER, "kwargs": lambda w: {"attempt_id": w["exam_attempt"].pk}},
    "exams:attempt_break": {"allow": PEER, "kwargs": lambda w: {"attempt_id": w["exam_attempt"].pk}},
    "exams:attempt_resume": {"allow": PEER, "kwargs": lambda w: {"attempt_id": w["exam_attempt"].pk}},
    "exams:retake_invoice": {"allow": PEER, "kwargs": lambda w: {"attempt_id": w["exam_attempt"].pk}},
    "exams:practical_response": {
        "allow": PEER,
        "kwargs": lambda w: {"attempt_id": w["exam_attempt"].pk, "task_id": w["exam_task"].pk},
    },
    # The candidate's own file, and the graders (exam administrators); everyone else gets 404.
    "exams:practical_response_file": {
        "allow": PEER | ADMIN,
        "kwargs": lambda w: {"response_id": w["exam_response"].pk},
    },
    "exams:score_report": {"allow": PEER | EXAM_STAFF, "kwargs": lambda w: {"attempt_id": w["exam_attempt"].pk}},
    "exams:grade": {
        "allow": ADMIN,
        "kwargs": lambda w: {"attempt_id": w["exam_attempt"].pk, "task_id": w["exam_task"].pk},
    },
    "exams:grading_queue": {"allow": ADMIN},
    "exams:vendor_import": {"allow": ADMIN},
    "GET /api/v1/exams/me": {"allow": SIGNED_IN},
    "GET /api/v1/exams/sessions": {"allow": EXAM_STAFF | PEER},
    "GET /api/v1/exams/attempts/{attempt_id}/report": {
        "allow": PEER | EXAM_STAFF,
        "kwargs": lambda w: {"attempt_id": w["exam_attempt"].pk},
    },
    "POST /api/v1/exams/attempts/{attempt_id}/answers": {
        "allow": PEER,
        "kwargs": lambda w: {"attempt_id": w["exam_attempt"].pk},
    },
}


def build_world(w) -> dict:
    """A published form with a practical task, a session, and the peer authorized, registered, accommodated
    and checked in to an earlier session (so they have an attempt)."""
    from peercert.core import clock
    from peercert.exams.models import Registration
    from peercert.exams.tests import factories

    peer = w["peer"]
    admin = w["users"][Role.EXAM_ADMINISTRATOR]
    task = factories.practical_task()
    form = factories.published_form(tasks=[task])
    from peercert.exams.models import ExamAuthorization

    auth = ExamAuthorization.objects.create(
        person=peer.person,
        valid_until=clock.today() + datetime.timedelta(days=200),
        attempts_paid=2,
        reference="matrix",
        rules_version="test",
    )
    accommodation = factories.approved_accommodation(peer.person)
    attempt = factories.checked_in_attempt(user=peer, form=form)
    session = factories.session(form=form, proctor_user=admin)
    registration = Registration.objects.create(
        session=session, person=peer.person, authorization=auth, accommodation=accommodation
    )
    from peercert.exams.models import PracticalResponse

    response = PracticalResponse(attempt=attempt, task=task, text="I would listen first.", document_kind="pdf")
    response.document = factories.pdf_upload("plan.pdf")
    response.document_name = "plan.pdf"
    response.save()
    return {
        "exam_response": response,
        "exam_item": form.form_items.first().item,
        "exam_form": form,
        "exam_task": task,
        "exam_session": session,
        "exam_registration": registration,
        "exam_accommodation": accommodation,
        "exam_attempt": attempt,
    }
