"""Auditors never see complainants, not even through a case entry's free text (issue 11, finding 11)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.models import AuditEvent
from peercert.core.samples import PDF
from peercert.discipline.models import CaseEntry
from peercert.discipline.tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
COMPLAINANT = "Rosalía Quintanilla"


@time_machine.travel(NOON, tick=False)
def test_case_entry_audit_names_the_entry_not_its_text(client, reviewer):
    complaint = ComplaintFactory(complainant_name=COMPLAINANT, status="investigating", investigator=reviewer)
    client.force_login(reviewer)
    url = reverse("discipline:case_entry_add", args=[complaint.pk])
    client.post(
        url,
        {
            "kind": "interview",
            "text": f"{COMPLAINANT} repeated the account.",
            "interviewee": f"{COMPLAINANT} (complainant)",
            "interviewed_on": "2026-03-05",
        },
    )
    client.post(
        url,
        {
            "kind": "evidence",
            "text": "",
            "document": SimpleUploadedFile("letter-from-rosalia-quintanilla.pdf", PDF, content_type="application/pdf"),
        },
    )
    entries = list(CaseEntry.objects.filter(complaint=complaint).order_by("pk"))
    assert [e.kind for e in entries] == ["interview", "evidence"]

    events = AuditEvent.objects.filter(action="case_entry.add").order_by("pk")
    assert [e.after for e in events] == [
        {
            "complaint": complaint.pk,
            "entry": entries[0].pk,
            "kind": "interview",
            "interviewed_on": "2026-03-05",
            "has_document": False,
        },
        {
            "complaint": complaint.pk,
            "entry": entries[1].pk,
            "kind": "evidence",
            "interviewed_on": None,
            "has_document": True,
        },
    ]

    client.force_login(user_with_role(Role.AUDITOR))
    page = client.get(reverse("web:audit"), {"object_type": "discipline.caseentry"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "case_entry.add" in text
    for secret in ("Quintanilla", "Rosalía", "rosalia"):
        assert secret not in text
