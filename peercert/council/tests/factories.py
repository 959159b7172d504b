import datetime

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.accounts.models import County
from peercert.core import clock, samples
from peercert.council.models import (
    CallStatus,
    CouncilApplication,
    CouncilCall,
    CouncilMeeting,
    CouncilMember,
    CouncilRecommendation,
    MeetingStatus,
    Population,
)


def pdf(name="minutes.pdf"):
    return SimpleUploadedFile(name, samples.PDF, content_type="application/pdf")


def _county(name="Los Angeles"):
    return County.objects.get(name=name)


class CouncilCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilCall

    title = factory.Sequence(lambda n: f"Call for members {n}")
    description = "Seats for people with lived experience of the Medi-Cal behavioral health system."
    opens_on = factory.LazyFunction(lambda: clock.today() - datetime.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=30))
    status = CallStatus.OPEN


class CouncilApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilApplication

    call = factory.SubFactory(CouncilCallFactory)
    name = factory.Sequence(lambda n: f"Ana Peña {n}")
    email = factory.Sequence(lambda n: f"applicant{n}@test.peercert.example")
    community = "Spanish-speaking families in East Los Angeles"
    population = Population.LATINO
    lived_experience = "Twelve years in recovery; I supported my brother through county services."
    county = factory.LazyFunction(_county)
    language = "es"


class CouncilMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMember

    name = factory.Sequence(lambda n: f"Member {n}")
    email = factory.Sequence(lambda n: f"member{n}@test.peercert.example")
    seat = factory.Sequence(lambda n: f"Community seat {n}")
    population = Population.YOUTH
    county = factory.LazyFunction(_county)
    term_starts_on = factory.LazyFunction(lambda: clock.today() - datetime.timedelta(days=30))
    term_ends_on = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=700))


class CouncilMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMeeting

    title = factory.Sequence(lambda n: f"Council meeting {n}")
    meets_on = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=14))
    starts_at = datetime.time(10, 0)
    place = "1500 Capitol Ave, Sacramento"
    link = "https://meet.example.org/council"
    agenda = "1. Welcome\n2. Scholarship outreach"
    status = MeetingStatus.PLANNED


def published_meeting_with_pdf(**kwargs) -> CouncilMeeting:
    """A past meeting whose minutes (page text and a PDF) are public."""
    meeting = CouncilMeetingFactory(
        meets_on=clock.today() - datetime.timedelta(days=10),
        status=MeetingStatus.MINUTES_PUBLISHED,
        minutes="The council met and agreed two recommendations.",
        minutes_file_kind="pdf",
        minutes_file_name="minutes.pdf",
        minutes_published_on=clock.today(),
        **kwargs,
    )
    meeting.minutes_file.save("minutes.pdf", ContentFile(samples.PDF), save=True)
    return meeting


class CouncilRecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilRecommendation

    title = factory.Sequence(lambda n: f"Recommendation {n}")
    body = "Offer the exam in Spanish, Vietnamese and Tagalog."
    made_on = factory.LazyFunction(lambda: clock.today() - datetime.timedelta(days=3))
