"""The records export defuses text a spreadsheet would run as a formula (issue 11, finding 6)."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.discipline.tests.factories import ActionFactory, AppealFactory, ComplaintFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
FORMULA = '=HYPERLINK("http://x","y")'


@time_machine.travel(NOON, tick=False)
def test_legal_name_summary_and_appeal_subject_come_out_as_text(client):
    person = PersonFactory(legal_first_name=FORMULA, legal_last_name="Smith")
    complaint = ComplaintFactory(
        respondent_person=person, status="decided", outcome="suspension", provisions=["confidentiality"]
    )
    action = ActionFactory(complaint=complaint, public_summary="+cmd|' /C calc'!A0")
    AppealFactory(action=action, subject="@SUM(1+1)*cmd")
    client.force_login(user_with_role(Role.DHCS_ANALYST))

    response = client.get(reverse("discipline:records_export"))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_type = {r[0]: r for r in rows[1:]}
    assert set(by_type) == {"complaint", "action", "appeal"}
    for row in by_type.values():
        assert row[4] == "'" + FORMULA + " Smith"
    assert by_type["action"][14] == "'+cmd|' /C calc'!A0"
    assert by_type["appeal"][9] == "'@SUM(1+1)*cmd"
    # nothing a spreadsheet would evaluate is left in any cell
    assert not [c for r in rows for c in r if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
