"""Demo complaints and an appeal. Idempotent.

Cases are moved through the real services the first time only (each step is guarded by the
case's current state), so running the seed again leaves the same rows.
"""

import datetime

from peercert.accounts.models import Person, TrainingEntity, User
from peercert.core import clock
from peercert.discipline import selectors, services
from peercert.discipline.models import (
    Channel,
    Complaint,
    ComplaintStatus,
    RespondentKind,
)

RESPONDENTS = [
    # email, first, last, city
    ("joaquin.villasenor@demo.peercert.example", "Joaquín", "Villaseñor", "San Bernardino"),
    ("marisol.avila@demo.peercert.example", "Marisol", "Ávila", "Stockton"),
    ("thanh.nguyen@demo.peercert.example", "Thanh", "Nguyễn", "San José"),
    ("kalani.fonoti@demo.peercert.example", "Kalani", "Fonoti", "Oakland"),
]


def _person(email, first, last, city) -> Person:
    person, _ = Person.objects.get_or_create(
        email=email,
        defaults={
            "legal_first_name": first,
            "legal_last_name": last,
            "city": city,
            "date_of_birth": datetime.date(1983, 9, 2),
        },
    )
    return person


def _case(*, staff, **kwargs) -> Complaint:
    existing = Complaint.objects.filter(incident_description=kwargs["incident_description"]).first()
    if existing:
        return existing
    return services.complaint_file(actor=staff, **kwargs)


def seed(out) -> None:
    reviewer = User.objects.filter(email="reviewer@demo.peercert.example").first()
    manager = User.objects.filter(email="manager@demo.peercert.example").first()
    if reviewer is None or manager is None:
        return
    today = clock.today()
    # Complaints are about certified peers when the certification app has some; else demo people.
    certified = selectors.active_people(limit=len(RESPONDENTS) + 1)
    people = (
        certified[: len(RESPONDENTS)] if len(certified) >= len(RESPONDENTS) else [_person(*row) for row in RESPONDENTS]
    )
    common = {"channel": Channel.MAIL, "respondent_kind": RespondentKind.PEER}

    # 1. Just received online, waiting for acknowledgement.
    _case(
        staff=None,
        channel=Channel.ONLINE,
        respondent_kind=RespondentKind.PEER,
        respondent_person=people[0],
        complainant_name="Guadalupe Ríos",
        complainant_email="lupe.rios@example.com",
        incident_on=today - datetime.timedelta(days=12),
        incident_description="He kept texting me late at night after our sessions ended and asked me for money.",
    )

    # 2. Under investigation, with an interview in the file.
    second = _case(
        staff=reviewer,
        **common,
        respondent_person=people[1],
        complainant_name="Dolores Huerta-Lim",
        complainant_phone="(209) 555-0134",
        incident_on=today - datetime.timedelta(days=40),
        incident_description="She told my sister about my relapse without asking me first.",
    )
    if second.status == ComplaintStatus.RECEIVED:
        services.complaint_acknowledge(actor=reviewer, complaint=second)
        services.complaint_assign(actor=reviewer, complaint=second, investigator=reviewer)
        services.complaint_start_investigation(actor=reviewer, complaint=second)
        services.case_entry_add(
            actor=reviewer,
            complaint=second,
            kind="interview",
            interviewee="The complainant",
            interviewed_on=today,
            text="Describes the conversation at the family event.",
        )

    # 3. Screened out: the conduct is too old.
    _case(
        staff=reviewer,
        **common,
        respondent_person=people[2],
        complainant_name="Bình Phạm",
        incident_on=today - datetime.timedelta(days=365 * 4),
        incident_description="Years ago he missed three appointments in a row without calling.",
    )

    # 4. Decided: corrective action with required classes.
    fourth = _case(
        staff=reviewer,
        **common,
        respondent_person=people[3],
        complainant_name="Ngozi Adeyemi",
        complainant_email="ngozi@example.com",
        incident_on=today - datetime.timedelta(days=70),
        incident_description="They gave medication advice in a peer group, which is outside a peer's role.",
    )
    if fourth.status == ComplaintStatus.RECEIVED:
        services.complaint_acknowledge(actor=reviewer, complaint=fourth)
        services.complaint_decide(
            actor=reviewer,
            complaint=fourth,
            outcome="corrective_action",
            findings="Gave advice about medication dosages in a group, outside the peer role.",
            provisions=["scope"],
            due_on=today + datetime.timedelta(days=60),
            classes=[
                {"title": "Scope of the peer role", "ce_category": "law_ethics", "hours": "3"},
                {"title": "Talking about medication safely"},
            ],
        )

    # 5. Complaint about a training entity, acknowledged.
    entity = TrainingEntity.objects.filter(name="Instituto de Apoyo entre Pares del Valle").first()
    if entity is not None:
        fifth = _case(
            staff=reviewer,
            channel=Channel.PHONE,
            respondent_kind=RespondentKind.TRAINING_ENTITY,
            respondent_entity=entity,
            complainant_name="Rafael Montoya",
            complainant_phone="(559) 555-0161",
            incident_on=today - datetime.timedelta(days=20),
            incident_description="The core training ended after 60 hours but certificates said 80.",
        )
        if fifth.status == ComplaintStatus.RECEIVED:
            services.complaint_acknowledge(actor=reviewer, complaint=fifth)

    # 6. Decided: a suspension of a certified peer, appealed by them (needs a real certification).
    if len(certified) > len(RESPONDENTS):
        sixth = _case(
            staff=reviewer,
            **common,
            respondent_person=certified[len(RESPONDENTS)],
            complainant_name="Soledad Beltrán",
            complainant_email="soledad.beltran@example.com",
            incident_on=today - datetime.timedelta(days=30),
            incident_description="He met a group member alone at a bar and asked her out on a date.",
        )
        if sixth.status == ComplaintStatus.RECEIVED:
            services.complaint_acknowledge(actor=reviewer, complaint=sixth)
            services.complaint_decide(
                actor=reviewer,
                complaint=sixth,
                outcome="suspension",
                findings="Asked a person he served on a date.",
                provisions=["boundaries", "dual_relationships"],
                ends_on=today + datetime.timedelta(days=90),
            )
            action = sixth.actions.get()
            if action.person.user_id:
                services.appeal_file(
                    actor=action.person.user,
                    subject="suspension",
                    action=action,
                    grounds="We had known each other for years before the group started.",
                )

    out.write(f"Discipline: {Complaint.objects.count()} complaints.\n")
