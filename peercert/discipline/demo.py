"""Demo complaints, an appeal, technical-assistance questions and the FAQ. Idempotent.

Cases are moved through the real services the first time only (each step is guarded by the
case's current state), so running the seed again leaves the same rows.
"""

import datetime

from peercert.accounts.models import Person, TrainingEntity, User
from peercert.core import clock
from peercert.discipline import selectors, services
from peercert.discipline.models import (
    AssistanceRequest,
    AssistanceStatus,
    Channel,
    Complaint,
    ComplaintStatus,
    FaqEntry,
    RespondentKind,
    SavedAnswer,
)

RESPONDENTS = [
    # email, first, last, city
    ("joaquin.villasenor@demo.peercert.example", "Joaquín", "Villaseñor", "San Bernardino"),
    ("marisol.avila@demo.peercert.example", "Marisol", "Ávila", "Stockton"),
    ("thanh.nguyen@demo.peercert.example", "Thanh", "Nguyễn", "San José"),
    ("kalani.fonoti@demo.peercert.example", "Kalani", "Fonoti", "Oakland"),
]

FAQ = [
    ("applying", 1, "How do I become a certified peer support specialist?",
     "Create an account, fill in the application and pay the application fee. Then finish the 80-hour core "
     "training with an approved training entity and pass the certification exam. You have 12 months from "
     "approval to finish the training and the exam."),
    ("applying", 2, "Do I have to share my own recovery story?",
     "You must have lived experience of recovery from mental illness or substance use, yourself or as a parent, "
     "caregiver or family member, and be willing to share it when it helps the people you serve. You decide how "
     "much to share."),
    ("fees", 1, "How much does it cost, and can I get help paying?",
     "The application fee is $100 and the exam fee is $150. Scholarships and fee waivers can pay any fee. "
     "Ask about them before you pay."),
    ("exam", 1, "What if I do not pass the exam?",
     "You can take the exam up to 3 times while your application approval is valid. Each try has its own fee."),
    ("renewal", 1, "How do I keep my certification?",
     "Renew every 2 years. You need 20 hours of continuing education, with at least 6 in law and ethics, and "
     "you sign the Code of Ethics again."),
    ("other", 1, "How do I make a complaint about a peer or a training entity?",
     "Use the complaint form on this website; you do not need an account. You can also mail it. We never tell "
     "the person you complain about who made the complaint."),
]

SAVED_ANSWERS = [
    ("Scholarships can pay fees", "fees",
     "Thank you for asking. Scholarships and fee waivers can pay any program fee. Apply for a scholarship from "
     "your account before you pay; if it is approved, the fee is covered and you do not pay it."),
    ("Exam retakes", "exam",
     "You can take the exam up to 3 times while your approved application is valid (12 months). Each attempt has "
     "its own fee. Your account shows how many attempts you have left."),
]


def _person(email, first, last, city) -> Person:
    person, _ = Person.objects.get_or_create(
        email=email, defaults={"legal_first_name": first, "legal_last_name": last, "city": city,
                               "date_of_birth": datetime.date(1983, 9, 2)})
    return person


def _case(*, staff, **kwargs) -> Complaint:
    existing = Complaint.objects.filter(incident_description=kwargs["incident_description"]).first()
    if existing:
        return existing
    return services.complaint_file(actor=staff, **kwargs)


def seed(out) -> None:
    reviewer = User.objects.filter(email="reviewer@demo.peercert.example").first()
    manager = User.objects.filter(email="manager@demo.peercert.example").first()
    peer_user = User.objects.filter(email="peer@demo.peercert.example").first()
    if reviewer is None or manager is None:
        return
    today = clock.today()
    # Complaints are about certified peers when the certification app has some; else demo people.
    certified = selectors.active_people(limit=len(RESPONDENTS) + 1)
    people = certified[:len(RESPONDENTS)] if len(certified) >= len(RESPONDENTS) else \
        [_person(*row) for row in RESPONDENTS]
    common = {"channel": Channel.MAIL, "respondent_kind": RespondentKind.PEER}

    # 1. Just received online, waiting for acknowledgement.
    _case(staff=None, channel=Channel.ONLINE, respondent_kind=RespondentKind.PEER,
          respondent_person=people[0], complainant_name="Guadalupe Ríos", complainant_email="lupe.rios@example.com",
          incident_on=today - datetime.timedelta(days=12),
          incident_description="He kept texting me late at night after our sessions ended and asked me for money.")

    # 2. Under investigation, with an interview in the file.
    second = _case(staff=reviewer, **common, respondent_person=people[1],
                   complainant_name="Dolores Huerta-Lim", complainant_phone="(209) 555-0134",
                   incident_on=today - datetime.timedelta(days=40),
                   incident_description="She told my sister about my relapse without asking me first.")
    if second.status == ComplaintStatus.RECEIVED:
        services.complaint_acknowledge(actor=reviewer, complaint=second)
        services.complaint_assign(actor=reviewer, complaint=second, investigator=reviewer)
        services.complaint_start_investigation(actor=reviewer, complaint=second)
        services.case_entry_add(actor=reviewer, complaint=second, kind="interview", interviewee="The complainant",
                                interviewed_on=today, text="Describes the conversation at the family event.")

    # 3. Screened out: the conduct is too old.
    _case(staff=reviewer, **common, respondent_person=people[2], complainant_name="Bình Phạm",
          incident_on=today - datetime.timedelta(days=365 * 4),
          incident_description="Years ago he missed three appointments in a row without calling.")

    # 4. Decided: corrective action with required classes.
    fourth = _case(staff=reviewer, **common, respondent_person=people[3],
                   complainant_name="Ngozi Adeyemi", complainant_email="ngozi@example.com",
                   incident_on=today - datetime.timedelta(days=70),
                   incident_description="They gave medication advice in a peer group, which is outside a peer's role.")
    if fourth.status == ComplaintStatus.RECEIVED:
        services.complaint_acknowledge(actor=reviewer, complaint=fourth)
        services.complaint_decide(
            actor=reviewer, complaint=fourth, outcome="corrective_action",
            findings="Gave advice about medication dosages in a group, outside the peer role.", provisions=["scope"],
            due_on=today + datetime.timedelta(days=60),
            classes=[{"title": "Scope of the peer role", "ce_category": "law_ethics", "hours": "3"},
                     {"title": "Talking about medication safely"}])

    # 5. Complaint about a training entity, acknowledged.
    entity = TrainingEntity.objects.filter(name="Instituto de Apoyo entre Pares del Valle").first()
    if entity is not None:
        fifth = _case(staff=reviewer, channel=Channel.PHONE, respondent_kind=RespondentKind.TRAINING_ENTITY,
                      respondent_entity=entity, complainant_name="Rafael Montoya", complainant_phone="(559) 555-0161",
                      incident_on=today - datetime.timedelta(days=20),
                      incident_description="The core training ended after 60 hours but certificates said 80.")
        if fifth.status == ComplaintStatus.RECEIVED:
            services.complaint_acknowledge(actor=reviewer, complaint=fifth)

    # 6. Decided: a suspension of a certified peer, appealed by them (needs a real certification).
    if len(certified) > len(RESPONDENTS):
        sixth = _case(staff=reviewer, **common, respondent_person=certified[len(RESPONDENTS)],
                      complainant_name="Soledad Beltrán", complainant_email="soledad.beltran@example.com",
                      incident_on=today - datetime.timedelta(days=30),
                      incident_description="He met a group member alone at a bar and asked her out on a date.")
        if sixth.status == ComplaintStatus.RECEIVED:
            services.complaint_acknowledge(actor=reviewer, complaint=sixth)
            services.complaint_decide(actor=reviewer, complaint=sixth, outcome="suspension",
                                      findings="Asked a person he served on a date.",
                                      provisions=["boundaries", "dual_relationships"],
                                      ends_on=today + datetime.timedelta(days=90))
            action = sixth.actions.get()
            if action.person.user_id:
                services.appeal_file(actor=action.person.user, subject="suspension", action=action,
                                     grounds="We had known each other for years before the group started.")

    for title, category, body in SAVED_ANSWERS:
        SavedAnswer.objects.get_or_create(title=title, defaults={"category": category, "body": body})
    for category, order, question, answer in FAQ:
        FaqEntry.objects.get_or_create(question=question, defaults={"answer": answer, "category": category,
                                                                    "order": order})

    if peer_user is not None and not AssistanceRequest.objects.filter(requester=peer_user).exists():
        asked = services.assistance_ask(actor=peer_user, name="María José Hernández", email=peer_user.email,
                                        category="fees", subject="¿Puede una beca pagar el examen?",
                                        question="I am about to schedule my exam. Can a scholarship pay the exam fee?")
        services.assistance_reply(actor=reviewer, request=asked, body=SAVED_ANSWERS[0][2])
    if not AssistanceRequest.objects.filter(email="kwabena.owusu@example.com").exists():
        services.assistance_ask(actor=None, name="Kwabena Owusu", email="kwabena.owusu@example.com",
                                category="training", subject="Online core training",
                                question="Is there an approved core training I can take online in the evenings?")
    answered = AssistanceRequest.objects.filter(status=AssistanceStatus.ANSWERED).count()
    out.write(f"Discipline: {Complaint.objects.count()} complaints, {answered} answered question(s), "
              f"{FaqEntry.objects.count()} FAQ entries.\n")
