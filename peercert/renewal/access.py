"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py)."""

import datetime

from django.core.files.base import ContentFile

from peercert.accounts.roles import Role

PEER = {Role.PEER}
REVIEWERS = {Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER}
NAME_DECIDERS = {Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR}


def _renewal(w):
    return {"renewal_id": w["renewal"].pk}


def _change(w):
    return {"change_id": w["name_change"].pk}


ACCESS = {
    "renewal:mine": {"allow": PEER},
    "renewal:start": {"allow": PEER},
    "renewal:detail": {"allow": PEER | REVIEWERS, "kwargs": _renewal},
    "renewal:sign": {"allow": PEER, "kwargs": _renewal},
    "renewal:submit": {"allow": PEER, "kwargs": _renewal},
    "renewal:withdraw": {"allow": PEER, "kwargs": _renewal},
    "renewal:evidence_add": {"allow": PEER, "kwargs": _renewal},
    "renewal:evidence_send": {"allow": PEER, "kwargs": _renewal},
    "renewal:evidence_download": {"allow": PEER | REVIEWERS, "kwargs": lambda w: {"evidence_id": w["ce_evidence"].pk}},
    "renewal:queue": {"allow": REVIEWERS},
    "renewal:review": {"allow": REVIEWERS, "kwargs": _renewal},
    "renewal:audit_accept": {"allow": REVIEWERS, "kwargs": _renewal},
    "renewal:audit_reject": {"allow": REVIEWERS, "kwargs": _renewal},
    "renewal:approve": {"allow": REVIEWERS, "kwargs": _renewal},
    "renewal:deny": {"allow": REVIEWERS, "kwargs": _renewal},
    "renewal:timeline": {"allow": PEER},
    "renewal:surrender": {"allow": PEER},
    "renewal:name_change": {"allow": PEER},
    "renewal:name_changes": {"allow": NAME_DECIDERS},
    "renewal:name_change_detail": {"allow": PEER | NAME_DECIDERS, "kwargs": _change},
    "renewal:name_change_approve": {"allow": NAME_DECIDERS, "kwargs": _change},
    "renewal:name_change_deny": {"allow": NAME_DECIDERS, "kwargs": _change},
    "renewal:name_change_withdraw": {"allow": PEER, "kwargs": _change},
    "renewal:name_change_document": {"allow": PEER | NAME_DECIDERS, "kwargs": _change},
}


def build_world(w) -> dict:
    """A renewal under review with a CE audit and one evidence file, and a name change, all the matrix peer's."""
    from peercert.accounts.models import CertificationProgram
    from peercert.certification.models import Certification
    from peercert.renewal.models import CEAudit, CEAuditEvidence, NameChange, Renewal

    person = w["peer"].person
    certification = w.get("certification") or Certification.objects.create(
        number="PSS-900101",
        person=person,
        program=CertificationProgram.objects.get(code="statewide"),
        issued_on=datetime.date(2025, 1, 2),
        expires_on=datetime.date(2027, 1, 2),
    )
    renewal = Renewal.objects.create(
        certification=certification,
        person=person,
        status="under_review",
        cycle_starts_on=datetime.date(2025, 1, 2),
        cycle_ends_on=certification.expires_on,
        audit_drawn=True,
    )
    audit = CEAudit.objects.create(renewal=renewal, rate="0.10", draw="0.05")
    evidence = CEAuditEvidence(audit=audit, content_type="pdf", original_name="ce.pdf", size=15)
    evidence.file.save("matrix-ce.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    evidence.save()
    change = NameChange(
        person=person,
        old_first_name=person.legal_first_name,
        old_last_name=person.legal_last_name,
        new_first_name=person.legal_first_name,
        new_last_name="Nueva",
        document_type="pdf",
        document_name="order.pdf",
    )
    change.document.save("matrix-order.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    change.save()
    return {"renewal": renewal, "ce_evidence": evidence, "name_change": change}
