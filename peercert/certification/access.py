"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py)."""

import datetime

from django.core.files.base import ContentFile

from peercert.accounts.roles import Role

PEER = {Role.PEER}
REVIEWERS = {Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER}


def _app(w):
    return {"application_id": w["certification_application"].pk}


def _tc(w):
    return {"certificate_id": w["certification_training_certificate"].pk}


def _cert(w):
    return {"number": w["certification"].number}


ACCESS = {
    "certification:mine": {"allow": PEER},
    "certification:start": {"allow": PEER},
    "certification:pathway": {"allow": PEER},
    "certification:application_status": {"allow": PEER, "kwargs": _app},
    "certification:application_step": {"allow": PEER, "kwargs": lambda w: {**_app(w), "step": "about"}},
    "certification:document_upload": {"allow": PEER, "kwargs": _app},
    "certification:application_review": {"allow": PEER, "kwargs": _app},
    "certification:application_demographics": {"allow": PEER, "kwargs": _app},
    "certification:application_submit": {"allow": PEER, "kwargs": _app},
    "certification:application_withdraw": {"allow": PEER, "kwargs": _app},
    "certification:document_download": {
        "allow": PEER | REVIEWERS,
        "kwargs": lambda w: {"document_id": w["certification_document"].pk},
    },
    "certification:document_remove": {
        "allow": PEER,
        "kwargs": lambda w: {"document_id": w["certification_document"].pk},
    },
    "certification:training_certificate_upload": {"allow": PEER, "kwargs": _app},
    "certification:training_queue": {"allow": REVIEWERS},
    "certification:training_review": {"allow": REVIEWERS, "kwargs": _tc},
    "certification:training_accept": {"allow": REVIEWERS, "kwargs": _tc},
    "certification:training_reject": {"allow": REVIEWERS, "kwargs": _tc},
    "certification:queue": {"allow": REVIEWERS},
    "certification:review": {"allow": REVIEWERS, "kwargs": _app},
    "certification:review_assign": {"allow": REVIEWERS, "kwargs": _app},
    "certification:review_start": {"allow": REVIEWERS, "kwargs": _app},
    "certification:review_decide": {"allow": REVIEWERS, "kwargs": _app},
    "certification:review_request_revision": {"allow": REVIEWERS, "kwargs": _app},
    "certification:review_approve": {"allow": REVIEWERS, "kwargs": _app},
    "certification:review_deny": {"allow": REVIEWERS, "kwargs": _app},
    "certification:review_issue": {"allow": REVIEWERS, "kwargs": _app},
    "certification:records": {"allow": REVIEWERS},
    "certification:historical": {"allow": REVIEWERS},
    "certification:historical_import": {"allow": REVIEWERS},
    "certification:historical_import_template": {"allow": REVIEWERS},
    "certification:record_detail": {
        "allow": REVIEWERS,
        "kwargs": lambda w: {"person_id": w["certification_application"].person_id},
    },
    "certification:certification_detail": {"allow": PEER | REVIEWERS, "kwargs": _cert},
    "certification:certification_specialization_add": {"allow": REVIEWERS, "kwargs": _cert},
    "certification:certificate_pdf": {"allow": PEER | REVIEWERS, "kwargs": _cert},
    "certification:wallet_card_pdf": {"allow": PEER | REVIEWERS, "kwargs": _cert},
}


def build_world(w) -> dict:
    """A draft application, one document and one certification belonging to the matrix's peer."""
    from peercert.accounts.models import CertificationProgram
    from peercert.certification.models import Application, ApplicationDocument, Certification, TrainingCertificate

    person = w["peer"].person
    program = CertificationProgram.objects.get(code="statewide")
    application = Application.objects.create(
        person=person,
        program=program,
        pathway="standard",
        legal_first_name=person.legal_first_name,
        legal_last_name=person.legal_last_name,
    )
    document = ApplicationDocument(
        application=application,
        kind="photo_id",
        content_type="pdf",
        original_name="id.pdf",
        size=20,
        name_on_document=person.full_name,
    )
    document.file.save("matrix-id.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    certification = Certification.objects.create(
        number="PSS-900001",
        person=person,
        program=program,
        issued_on=datetime.date(2025, 1, 2),
        expires_on=datetime.date(2027, 1, 2),
    )
    training_document = ApplicationDocument(
        application=application,
        kind="training_certificate",
        content_type="pdf",
        original_name="training.pdf",
        size=20,
    )
    training_document.file.save("matrix-training.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    training_document.save()
    training_certificate = TrainingCertificate.objects.create(
        application=application,
        source="upload",
        document=training_document,
        completed_on=datetime.date(2025, 1, 2),
        submitted_at=datetime.datetime(2025, 1, 3, 18, 0, tzinfo=datetime.UTC),
        due_on=datetime.date(2025, 1, 17),
    )
    return {
        "certification_training_certificate": training_certificate,
        "certification_application": application,
        "certification_document": document,
        "certification": certification,
    }
