import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from peercert.core.models import AuditEvent, ProgramRuleSet
from peercert.core.rules import seeded_rules
from peercert.council.models import (
    ApplicationStatus,
    CouncilApplication,
    MeetingStatus,
    MemberStatus,
    RecommendationStatus,
)
from peercert.council.tests.factories import (
    CouncilApplicationFactory,
    CouncilCallFactory,
    CouncilMeetingFactory,
    CouncilMemberFactory,
    CouncilRecommendationFactory,
    published_meeting_with_pdf,
)
from peercert.web.tests.spanish import get_in_spanish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


# --- the public page ------------------------------------------------------------------------


def test_the_public_page_needs_no_sign_in_and_shows_only_public_things(client):
    CouncilCallFactory(title="Seats for 2027")
    CouncilMemberFactory(name="Kiona Redcloud")
    CouncilMemberFactory(name="Gone Member", status=MemberStatus.ENDED)
    CouncilMeetingFactory(title="Secret planning", status=MeetingStatus.PLANNED)
    CouncilMeetingFactory(title="Open meeting", status=MeetingStatus.ANNOUNCED)
    CouncilRecommendationFactory(title="Draft idea", status=RecommendationStatus.RESPONDED, response="Not yet public.")
    CouncilRecommendationFactory(title="Exam languages", status=RecommendationStatus.PUBLISHED, response="We agree.")
    page = client.get(reverse("council:about")).content.decode()
    assert "Seats for 2027" in page and reverse("council:apply") in page
    assert "Kiona Redcloud" in page and "Gone Member" not in page
    assert "Open meeting" in page and "Secret planning" not in page
    assert "Exam languages" in page and "We agree." in page
    assert "Draft idea" not in page and "Not yet public." not in page


def test_the_public_page_in_spanish(client):
    CouncilCallFactory()
    response = get_in_spanish(client, reverse("council:about"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Consejo Asesor de Partes Interesadas" in page
    assert "Solicite unirse al consejo" in page


def _application_data(**overrides):
    from peercert.accounts.models import County

    return {
        "name": "Rosa Chávez",
        "email": "rosa@example.org",
        "county": County.objects.get(name="Fresno").pk,
        "language": "es",
        "community": "Farmworker families in the Central Valley",
        "population": "rural",
        "lived_experience": "I raised a son through a mental health crisis.",
        "website": "",
        **overrides,
    }


def test_anyone_answers_the_call_for_members(client):
    CouncilCallFactory()
    response = client.post(reverse("council:apply"), _application_data())
    assert response.status_code == 302 and response.url == reverse("council:apply_sent")
    application = CouncilApplication.objects.get()
    assert application.name == "Rosa Chávez" and application.status == ApplicationStatus.RECEIVED
    assert "Rosa Chávez" in client.get(response.url).content.decode()


def test_the_application_is_spam_guarded(client):
    CouncilCallFactory()
    response = client.post(reverse("council:apply"), _application_data(website="http://spam.example"))
    assert response.status_code == 400 and not CouncilApplication.objects.exists()
    assert "Leave this empty" in response.content.decode()
    for _ in range(5):
        client.post(reverse("council:apply"), _application_data(name=""))
    assert client.post(reverse("council:apply"), _application_data()).status_code == 429
    assert not CouncilApplication.objects.exists()


def test_a_missing_answer_is_shown_beside_its_field(client):
    CouncilCallFactory()
    response = client.post(reverse("council:apply"), _application_data(lived_experience=""))
    assert response.status_code == 400
    assert 'id="id_lived_experience-error"' in response.content.decode()
    assert not CouncilApplication.objects.exists()


def test_no_open_call_means_no_form(client):
    page = client.get(reverse("council:apply")).content.decode()
    assert "No call for members is open now" in page
    assert client.post(reverse("council:apply"), _application_data()).status_code == 400
    assert not CouncilApplication.objects.exists()


# --- members see materials before they are public, others do not ---------------------------


def test_members_see_a_planned_meeting_and_draft_minutes_others_do_not(client, member_user, peer):
    planned = CouncilMeetingFactory(title="Planning session", status=MeetingStatus.PLANNED, agenda="Draft agenda")
    announced = CouncilMeetingFactory(
        status=MeetingStatus.ANNOUNCED, meets_on=datetime.date(2026, 1, 5), minutes="Draft minutes text"
    )
    url, public_url = reverse("council:meeting", args=[planned.pk]), reverse("council:meeting", args=[announced.pk])

    assert client.get(url).status_code == 404  # the public
    assert "Draft minutes text" not in client.get(public_url).content.decode()
    client.force_login(peer)  # a signed-in peer who holds no seat
    assert client.get(url).status_code == 404
    assert "Draft minutes text" not in client.get(public_url).content.decode()
    assert client.get(reverse("council:members_area")).status_code == 403

    client.force_login(member_user)
    assert "Draft agenda" in client.get(url).content.decode()
    assert "Draft minutes text" in client.get(public_url).content.decode()
    area = client.get(reverse("council:members_area")).content.decode()
    assert "Planning session" in area


def test_a_member_whose_term_ended_no_longer_sees_materials(client, member_user):
    planned = CouncilMeetingFactory(status=MeetingStatus.PLANNED)
    member_user.council_seats.update(status=MemberStatus.ENDED)
    client.force_login(member_user)
    assert client.get(reverse("council:meeting", args=[planned.pk])).status_code == 404


def test_the_minutes_pdf_is_public_only_once_published(client, member_user, staff):
    meeting = published_meeting_with_pdf()
    url = reverse("council:meeting_minutes_file", args=[meeting.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    CouncilMeeting = type(meeting)
    CouncilMeeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.ANNOUNCED)
    assert client.get(url).status_code == 404
    client.force_login(member_user)
    assert client.get(url).status_code == 200


# --- staff ---------------------------------------------------------------------------------


def test_staff_see_membership_by_population_with_the_gaps(client, staff):
    CouncilMemberFactory(population="latino")
    client.force_login(staff)
    response = client.get(reverse("council:staff"))
    rows = response.context["by_population"]
    assert rows[-1]["population"] == "latino" and rows[-1]["count"] == 1
    assert rows[0]["count"] == 0
    assert "gap" in response.content.decode()


def test_staff_select_an_applicant_and_the_member_is_seated(client, staff):
    application = CouncilApplicationFactory()
    client.force_login(staff)
    assert client.get(reverse("council:application", args=[application.pk])).status_code == 200
    response = client.post(
        reverse("council:application_select", args=[application.pk]),
        {
            "select-seat": "Community seat 4",
            "select-population": "latino",
            "select-term_starts_on": "2026-12-01",
            "select-term_ends_on": "2028-11-30",
        },
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SELECTED
    assert response.status_code == 302 and response.url == reverse("council:member", args=[application.member.pk])


def test_a_refused_selection_is_shown_on_the_form_and_nothing_is_saved(client, staff):
    application = CouncilApplicationFactory()
    client.force_login(staff)
    response = client.post(
        reverse("council:application_select", args=[application.pk]),
        {
            "select-seat": "Seat",
            "select-population": "latino",
            "select-term_starts_on": "2026-12-01",
            "select-term_ends_on": "2026-06-01",
        },
    )
    assert response.status_code == 400 and "The term must end after it starts." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED


def test_publishing_minutes_early_is_refused_with_a_clear_message(client, staff):
    meeting = CouncilMeetingFactory(
        status=MeetingStatus.ANNOUNCED, meets_on=datetime.date(2030, 1, 10), minutes="Written ahead."
    )
    client.force_login(staff)
    response = client.post(reverse("council:meeting_publish_minutes", args=[meeting.pk]), follow=True)
    assert "cannot be published before then" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ANNOUNCED


def test_staff_upload_minutes_as_a_pdf(client, staff):
    from peercert.council.tests.factories import pdf

    meeting = CouncilMeetingFactory(meets_on=datetime.date(2026, 1, 5))
    client.force_login(staff)
    data = {
        "edit-title": meeting.title,
        "edit-meets_on": "2026-01-05",
        "edit-starts_at": "10:00",
        "edit-place": meeting.place,
        "edit-link": meeting.link,
        "edit-agenda": meeting.agenda,
        "edit-minutes": "",
        "edit-minutes_file": pdf(),
    }
    response = client.post(reverse("council:meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_file_kind == "pdf"


def test_the_auditor_reads_but_cannot_act(client, auditor):
    application = CouncilApplicationFactory()
    client.force_login(auditor)
    page = client.get(reverse("council:application", args=[application.pk]))
    assert page.status_code == 200 and "Seat this member" not in page.content.decode()
    response = client.post(reverse("council:application_decline", args=[application.pk]), {"decline-reason": "x"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="council_application.decline").exists()


def test_a_record_that_does_not_exist_is_a_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("council:application", args=[999999])).status_code == 404
    assert client.get(reverse("council:meeting", args=[999999])).status_code == 404


# --- the public fee schedule ----------------------------------------------------------------


def test_the_fee_schedule_is_public_and_lists_every_fee(client):
    response = client.get(reverse("finance:fee_schedule"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Application fee" in page and "$100.00" in page and "Training entity renewal fee" in page
    assert "Out-of-state reciprocity applicants pay all their fees themselves" in page
    assert "A new fee schedule starts" not in page
    body = client.get("/api/v1/fees").json()
    fees = {f["code"]: f for f in body["in_force"]["fees"]}
    assert fees["fee_exam"]["amount"] == "150.00" and fees["fee_exam"]["scholarship_may_pay"] is True
    assert fees["fee_training_entity_application"]["scholarship_may_pay"] is False
    assert fees["fee_late"]["scholarship_may_pay"] is False
    assert body["next"] is None


def test_the_fee_schedule_shows_the_next_dated_schedule(client):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC), tick=False):
        ProgramRuleSet.objects.create(
            version="2027-07",
            effective_from=datetime.date(2027, 7, 1),
            rules={**seeded_rules(), "fee_exam": "175.00"},
        )
        page = client.get(reverse("finance:fee_schedule")).content.decode()
        body = client.get("/api/v1/fees").json()
    assert "A new fee schedule starts on" in page and "$175.00" in page
    assert body["next"]["effective_from"] == "2027-07-01"
    assert {f["code"]: f["amount"] for f in body["next"]["fees"]}["fee_exam"] == "175.00"
    assert {f["code"]: f["amount"] for f in body["in_force"]["fees"]}["fee_exam"] == "150.00"
    # Once the day comes, the new schedule is the one in force and there is no next one.
    with time_machine.travel(datetime.datetime(2027, 7, 1, 18, 0, tzinfo=datetime.UTC), tick=False):
        body = client.get("/api/v1/fees").json()
    assert body["in_force"]["version"] == "2027-07" and body["next"] is None
    assert Decimal({f["code"]: f["amount"] for f in body["in_force"]["fees"]}["fee_exam"]) == Decimal("175.00")


def test_the_fee_schedule_in_spanish(client):
    page = get_in_spanish(client, reverse("finance:fee_schedule")).content.decode()
    assert "<h1>Tabla de cuotas</h1>" in page and "Cuota de solicitud" in page
    body = get_in_spanish(client, "/api/v1/fees").json()
    assert {f["code"]: f["name"] for f in body["in_force"]["fees"]}["fee_application"] == "Cuota de solicitud"


def test_the_footer_links_the_fee_schedule_and_the_council(client):
    page = client.get(reverse("finance:fee_schedule")).content.decode()
    assert reverse("council:about") in page and reverse("finance:fee_schedule") in page


def test_the_fee_api_is_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/fees" in schema["paths"]


def test_applications_to_review_are_on_the_staff_home_page(client, staff):
    CouncilApplicationFactory(name="Waiting Applicant")
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert "Council applications to review" in page and "Waiting Applicant" in page


def test_the_public_record_as_data_shows_only_what_is_public(client):
    CouncilMemberFactory(name="Kiona Redcloud")
    published = published_meeting_with_pdf(title="First meeting")
    CouncilMeetingFactory(title="Secret planning", status=MeetingStatus.PLANNED)
    CouncilMeetingFactory(title="Next meeting", status=MeetingStatus.ANNOUNCED, minutes="Draft, not public.")
    CouncilRecommendationFactory(title="Exam languages", status=RecommendationStatus.PUBLISHED, response="We agree.")
    CouncilRecommendationFactory(title="Draft idea", status=RecommendationStatus.RESPONDED, response="Not yet.")
    body = client.get("/api/v1/council").json()
    assert [m["name"] for m in body["members"]] == ["Kiona Redcloud"]
    meetings = {m["title"]: m for m in body["meetings"]}
    assert set(meetings) == {"First meeting", "Next meeting"}
    assert meetings["Next meeting"]["minutes"] is None
    assert meetings["First meeting"]["minutes_pdf"] == reverse("council:meeting_minutes_file", args=[published.pk])
    assert [r["title"] for r in body["recommendations"]] == ["Exam languages"]
