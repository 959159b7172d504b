"""Demo advisory council: an open call, applications, seated members (the demo peer among them, so
her sign-in shows the members' materials), a past meeting with its minutes published, a planned
one, and a recommendation with the program's published response. Idempotent."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.accounts.models import County, User
from peercert.core import clock, samples
from peercert.council import services
from peercert.council.models import CouncilApplication, CouncilCall, CouncilMeeting, CouncilRecommendation, Population

CALL_TITLE = "Stakeholder Advisory Council: 2027 seats"
OLD_CALL_TITLE = "Stakeholder Advisory Council: founding seats"

APPLICANTS = [
    # (name, email, county, language, community, population, seat or None)
    (
        "María José Hernández",
        "peer@demo.peercert.example",
        "Los Angeles",
        "es",
        "Spanish-speaking peer specialists in Los Angeles County",
        Population.LATINO,
        "Community seat 1",
    ),
    (
        "Kiona Redcloud",
        "kiona.redcloud@demo.peercert.example",
        "Humboldt",
        "en",
        "Tribal communities on the North Coast",
        Population.NATIVE,
        "Community seat 2",
    ),
    (
        "Thảo Nguyễn",
        "thao.nguyen@demo.peercert.example",
        "Orange",
        "vi",
        "Vietnamese families caring for an adult child",
        Population.FAMILIES,
        "Family seat 1",
    ),
    (
        "DeShawn Miles",
        "deshawn.miles@demo.peercert.example",
        "Alameda",
        "en",
        "Black men returning home from prison in the East Bay",
        Population.JUSTICE,
        "Community seat 3",
    ),
    (
        "Rosa Chávez",
        "rosa.chavez@demo.peercert.example",
        "Fresno",
        "es",
        "Farmworker families in the Central Valley",
        Population.RURAL,
        None,
    ),
]


def _manager():
    return User.objects.get(email="manager@demo.peercert.example")


def seed(out) -> None:
    if CouncilCall.objects.filter(title=OLD_CALL_TITLE).exists():
        out.write("Advisory council: already seeded.")
        return
    staff = _manager()
    today = clock.today()
    founding = services.call_create(
        actor=staff,
        title=OLD_CALL_TITLE,
        description="The council's first members: people with lived experience of Medi-Cal behavioral health services, "
        "families, and the communities that are hardest to reach.",
        opens_on=today - datetime.timedelta(days=20),
        closes_on=today + datetime.timedelta(days=1),
        seats=4,
    )
    services.call_open(actor=staff, call=founding)
    applications = []
    for name, email, county, language, community, population, seat in APPLICANTS:
        applications.append(
            (
                services.application_submit(
                    actor=None,
                    call=founding,
                    name=name,
                    email=email,
                    community=community,
                    population=population,
                    lived_experience="I have used county mental health services and now help others find them.",
                    county=County.objects.get(name=county),
                    language=language,
                ),
                seat,
            )
        )
    services.call_close(actor=staff, call=founding)
    members = []
    for application, seat in applications:
        if seat:
            members.append(
                services.application_select(
                    actor=staff,
                    application=application,
                    seat=seat,
                    population=application.population,
                    term_starts_on=today - datetime.timedelta(days=90),
                    term_ends_on=today + datetime.timedelta(days=640),
                )
            )
    # The fifth application still waits for review; a new call seeks the populations with no seat.
    services.call_create(
        actor=staff,
        title=CALL_TITLE,
        description="Two more seats, for youth and transition-age youth and for older adults: the populations the "
        "council does not yet represent.",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=45),
        seats=2,
    )
    services.call_open(actor=staff, call=CouncilCall.objects.get(title=CALL_TITLE))

    past = services.meeting_create(
        actor=staff,
        title="First council meeting",
        meets_on=today - datetime.timedelta(days=30),
        starts_at=datetime.time(10, 0),
        place="DHCS, 1500 Capitol Avenue, Sacramento",
        link="https://meet.example.org/peercert-council",
        agenda="1. Welcome and introductions\n2. How the certification program works\n3. Language access for the exam",
    )
    services.meeting_announce(actor=staff, meeting=past)
    services.meeting_edit(
        actor=staff,
        meeting=past,
        minutes="All four members attended. The council discussed language access and agreed one recommendation: "
        "offer the exam in the threshold languages.",
        minutes_upload=SimpleUploadedFile("first-meeting-minutes.pdf", samples.PDF, content_type="application/pdf"),
    )
    services.attendance_record(actor=staff, meeting=past, present_ids=[m.pk for m in members])
    services.meeting_publish_minutes(actor=staff, meeting=past)
    recommendation = services.recommendation_record(
        actor=staff,
        meeting=past,
        title="Offer the exam in the threshold languages",
        body="Offer the certification exam in Spanish, Vietnamese, Chinese, Tagalog and Korean, so peers who serve "
        "those communities are not turned away by the test's language.",
        made_on=past.meets_on,
    )
    services.recommendation_respond(
        actor=staff,
        recommendation=recommendation,
        response="The program agrees. The Spanish exam opens next quarter; the other languages follow as the item "
        "bank is translated and reviewed.",
    )
    services.recommendation_publish(actor=staff, recommendation=recommendation)
    services.recommendation_record(
        actor=staff,
        meeting=past,
        title="Scholarships for training tuition",
        body="Let scholarships pay training tuition as well as fees.",
        made_on=past.meets_on,
    )
    upcoming = services.meeting_create(
        actor=staff,
        title="Second council meeting",
        meets_on=today + datetime.timedelta(days=21),
        starts_at=datetime.time(13, 30),
        place="",
        link="https://meet.example.org/peercert-council",
        agenda="1. Scholarships as a program\n2. Outreach to youth and older adults (draft)",
    )
    services.meeting_announce(actor=staff, meeting=upcoming)
    out.write(
        f"Advisory council: {len(members)} members, {CouncilMeeting.objects.count()} meetings, "
        f"{CouncilRecommendation.objects.count()} recommendations, {CouncilApplication.objects.count()} applications."
    )
