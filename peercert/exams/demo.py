"""Demo data for the exam, loaded by `manage.py seed_demo`. Idempotent: running twice leaves the same rows."""

import datetime
from zoneinfo import ZoneInfo

from peercert.accounts.models import CertificationProgram, Person, User
from peercert.core import clock
from peercert.core.rules import rules_on
from peercert.core.vocabulary import ExamContentArea
from peercert.exams.models import (
    Answer,
    Attempt,
    AttemptStatus,
    BlueprintRow,
    Delivery,
    ExamAuthorization,
    ExamForm,
    ExamSession,
    FormItem,
    FormStatus,
    Item,
    ItemKind,
    ItemStatus,
    PassRule,
    Registration,
    RegistrationStatus,
    Result,
    RubricCriterion,
    ScaleConversion,
)

PER_AREA = 16  # 8 x 16 = 128 approved items
FORM_PER_AREA = 15  # 120 on the published form
PACIFIC = ZoneInfo("America/Los_Angeles")
# Every demo sign-in's password (peercert/accounts/demo.py DEMO_PASSWORD; the layering rules keep exams
# from importing accounts.demo).
DEMO_PASSWORD = "peercert-demo-2026"

# A few short, plain stems per area; the demo bank repeats them with numbered variations.
STEMS = {
    "administrative": (
        "When must you write your progress note after a peer session?",
        ["The same day, following county policy", "Only if the member asks", "At the end of the month", "Never"],
    ),
    "foundations": (
        "Which describes recovery as the program understands it?",
        [
            "A personal journey that differs for each person",
            "Taking medication only",
            "A cure",
            "Something staff decide",
        ],
    ),
    "interpersonal": (
        "A member is upset and raises their voice. What do you do first?",
        ["Listen calmly and reflect what you hear", "Raise your voice too", "End the meeting", "Call security at once"],
    ),
    "recovery_support": (
        "Why would you share part of your own recovery story?",
        [
            "To offer hope when it helps the member",
            "To fill the time",
            "To talk about yourself",
            "Never, it is not allowed",
        ],
    ),
    "advocacy": (
        "A member says a clinic turned them away. What is self-advocacy support?",
        [
            "Help them plan how to ask for what they need",
            "Speak for them without asking",
            "Tell them to give up",
            "File a lawsuit",
        ],
    ),
    "community_inclusion": (
        "Which activity best supports community inclusion?",
        [
            "Joining a community group the member chooses",
            "Staying at the clinic",
            "Avoiding neighbours",
            "Only online contact",
        ],
    ),
    "resource_linkage": (
        "A member needs food today. What do you do?",
        [
            "Connect them to a local food bank with a warm hand-off",
            "Give them your own money",
            "Tell them to wait",
            "Ignore it",
        ],
    ),
    "crisis_management": (
        "A member says they want to end their life. What comes first?",
        [
            "Stay with them and follow the crisis protocol (988)",
            "Promise to keep it secret",
            "Change the subject",
            "Leave",
        ],
    ),
}

PRACTICAL_TASKS = [
    (
        "DEMO-PR-001",
        "crisis_management",
        "A member calls after losing their housing and says they feel hopeless. Role-play the first ten minutes.",
        [
            ("Checks for safety and follows the crisis protocol", 4),
            ("Listens and reflects feelings", 3),
            ("Agrees on a next step with the member", 3),
        ],
    ),
    (
        "DEMO-PR-002",
        "resource_linkage",
        "A parent asks for help finding a support group in Spanish. Show how you would help.",
        [("Asks what the parent needs and prefers", 3), ("Finds a fitting resource", 4), ("Makes a warm hand-off", 3)],
    ),
    (
        "DEMO-PR-003",
        "interpersonal",
        "In a group, two members interrupt each other. Lead the next five minutes.",
        [("Keeps the group safe and respectful", 4), ("Gives each member a voice", 3), ("Uses shared ground rules", 3)],
    ),
]

SESSIONS = [
    # days ahead, hour (Pacific), delivery, site, city, room, seats
    (14, 9, Delivery.IN_PERSON, "Centro Cívico de Sacramento", "Sacramento", "Sala 2", 24),
    (
        16,
        9,
        Delivery.IN_PERSON,
        "Biblioteca Pública de Los Ángeles, Boyle Heights",
        "Los Ángeles",
        "Community Room",
        30,
    ),
    (21, 13, Delivery.IN_PERSON, "Fresno County Behavioral Health Training Center", "Fresno", "Room 104", 20),
    (23, 9, Delivery.IN_PERSON, "San Diego Peer Learning Hub", "San Diego", "B", 18),
    (28, 10, Delivery.IN_PERSON, "Eureka Wellness Center", "Eureka", "Main hall", 12),
    (15, 17, Delivery.ONLINE, "", "", "", 50),
    (30, 8, Delivery.ONLINE, "", "", "", 50),
]


def _bank(program, writer, approver) -> None:
    now = clock.now()
    existing = set(Item.objects.filter(program=program, code__startswith="DEMO-").values_list("code", flat=True))
    new = []
    for area in ExamContentArea.values:
        stem, options = STEMS[area]
        for n in range(1, PER_AREA + 1):
            code = f"DEMO-{area[:3].upper()}-{n:03d}"
            if code in existing:
                continue
            # rotate the options so the key is not always A
            shift = n % len(options)
            rotated = options[shift:] + options[:shift]
            new.append(
                Item(
                    program=program,
                    code=code,
                    kind=ItemKind.MULTIPLE_CHOICE,
                    content_area=area,
                    competency=str(ExamContentArea(area).label),
                    stem=f"{stem} (#{n})",
                    options=rotated,
                    key=rotated.index(options[0]),
                    status=ItemStatus.APPROVED,
                    written_by=writer,
                    approved_by=approver,
                    approved_at=now,
                )
            )
    Item.objects.bulk_create(new)
    for code, area, scenario, criteria in PRACTICAL_TASKS:
        task, created = Item.objects.get_or_create(
            program=program,
            code=code,
            version=1,
            defaults={
                "kind": ItemKind.PRACTICAL,
                "content_area": area,
                "stem": scenario,
                "tolerance": 2,
                "status": ItemStatus.APPROVED,
                "written_by": writer,
                "approved_by": approver,
                "approved_at": now,
            },
        )
        if created:
            RubricCriterion.objects.bulk_create(
                [
                    RubricCriterion(item=task, position=i, label=label, points=points)
                    for i, (label, points) in enumerate(criteria, 1)
                ]
            )


def _form(program, writer, manager) -> ExamForm:
    form, created = ExamForm.objects.get_or_create(
        code="ca-2027-a",
        defaults={
            "program": program,
            "name": "California Peer Support Specialist Exam, Form 2027-A",
            "status": FormStatus.PUBLISHED,
            "practical_task_count": 1,
            "pass_rule": PassRule.SCALED,
            "cut_score": 70,
            "scale_max": 100,
            "practical_cut_percent": 70,
            "approved_by": manager,
            "approved_at": clock.now(),
            "published_at": clock.now(),
            "assembled_at": clock.now(),
        },
    )
    if not form.conversion.exists():
        ScaleConversion.objects.bulk_create(
            [ScaleConversion(form=form, raw=raw, scaled=scaled) for raw, scaled in CONVERSION.items()]
        )
    if created:
        BlueprintRow.objects.bulk_create(
            [BlueprintRow(form=form, content_area=a, item_count=FORM_PER_AREA) for a in ExamContentArea.values]
        )
        picks = []
        for area in ExamContentArea.values:
            picks += list(
                Item.objects.filter(
                    program=program,
                    content_area=area,
                    kind=ItemKind.MULTIPLE_CHOICE,
                    status=ItemStatus.APPROVED,
                    code__startswith="DEMO-",
                )
                .order_by("code")
                .values_list("pk", flat=True)[:FORM_PER_AREA]
            )
        picks.append(Item.objects.get(program=program, code="DEMO-PR-001").pk)
        FormItem.objects.bulk_create([FormItem(form=form, item_id=pk, position=i) for i, pk in enumerate(picks, 1)])
    return form


def _equated(raw: int, items: int = FORM_PER_AREA * 8) -> int:
    """Form 2027-A's conversion table as its (demo) equating study set it: a little kinder than a
    straight percent in the middle, where this form ran harder than the reference form."""
    if raw <= 0:
        return 0
    if raw >= items:
        return 100
    return min(99, round(raw * 100 / items + (4 if 60 <= raw <= 100 else 0)))


CONVERSION = {raw: _equated(raw) for raw in range(FORM_PER_AREA * 8 + 1)}

# The exam's demo candidates (sign in with the demo password), each with one story:
EXAM_PEERS = (
    # Failed the first attempt 20 days ago (76 of 120, scaled 67 < 70): their score report offers the
    # retake invoice; once paid (test card 4242 4242 4242 4242) they choose a session.
    ("reintento@demo.peercert.example", "Rosa Elena", "Villanueva Soto", "Fresno", "es", "failed"),
    # Checked in and started the written part today and left it open: on their exam page they can
    # take the break and answer; once the deadline passes it is handed in and scored for them.
    ("enexamen@demo.peercert.example", "Tomás", "Reyes Ochoa", "Sacramento", "en", "open"),
)


def _candidate(email, first, last, city, language):
    from peercert.accounts.models import RoleAssignment
    from peercert.accounts.roles import Role

    user, created = User.objects.get_or_create(email=email, defaults={"display_name": f"{first} {last}"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role=Role.PEER)
    person, _ = Person.objects.get_or_create(
        user=user,
        defaults={
            "legal_first_name": first,
            "legal_last_name": last,
            "email": email,
            "date_of_birth": datetime.date(1991, 7, 2),
            "city": city,
            "preferred_language": language,
        },
    )
    return person


def _exam_peers(program, form, proctor, rules) -> None:
    """The demo candidates' authorizations, seats and attempts; a person already seeded is left alone."""
    now = clock.now()
    for email, first, last, city, language, story in EXAM_PEERS:
        person = _candidate(email, first, last, city, language)
        if Attempt.objects.filter(person=person).exists():
            continue
        auth, _ = ExamAuthorization.objects.get_or_create(
            person=person,
            reference=f"DEMO-APP-{person.pk:04d}",
            defaults={
                "valid_until": clock.today() + datetime.timedelta(days=300),
                "attempts_paid": 1,
                "attempts_used": 1,
                "rules_version": rules.version,
            },
        )
        if story == "failed":
            starts = datetime.datetime.combine(
                clock.today() - datetime.timedelta(days=20), datetime.time(9), tzinfo=PACIFIC
            )
            site, room = "Fresno County Hall of Records", "Room 301"
        else:
            starts = now - datetime.timedelta(minutes=20)
            site, room = "Sacramento Community Center", "Room B"
        session = ExamSession.objects.create(
            program=program,
            form=form,
            delivery=Delivery.IN_PERSON,
            site_name=site,
            city=city,
            room=room,
            starts_at=starts,
            minutes=rules.exam_minutes,
            rules_version=rules.version,
            capacity=12,
            proctor=proctor,
        )
        reg = Registration.objects.create(
            session=session,
            person=person,
            authorization=auth,
            status=RegistrationStatus.CHECKED_IN,
            photo_id_confirmed=True,
            checked_in_at=starts - datetime.timedelta(minutes=15),
            checked_in_by=proctor,
        )
        attempt = Attempt.objects.create(
            registration=reg,
            person=person,
            form=form,
            taken_on=starts.astimezone(PACIFIC).date(),
            status=AttemptStatus.IN_PROGRESS,
            started_at=starts,
            deadline_at=starts + datetime.timedelta(minutes=rules.exam_minutes),
            rules_version=rules.version,
        )
        items = list(form.form_items.filter(item__kind=ItemKind.MULTIPLE_CHOICE).select_related("item"))
        right = 76 if story == "failed" else 25
        Answer.objects.bulk_create(
            [
                Answer(
                    attempt=attempt,
                    item=fi.item,
                    choice=fi.item.key if n < right else (fi.item.key + 1) % len(fi.item.options),
                    answered_at=starts + datetime.timedelta(minutes=1 + n),
                )
                for n, fi in enumerate(items if story == "failed" else items[:30])
            ]
        )
        if story == "failed":
            Attempt.objects.filter(pk=attempt.pk).update(
                status=AttemptStatus.SCORED,
                submitted_at=starts + datetime.timedelta(minutes=140),
                written_raw=right,
                written_total=len(items),
                written_scaled=CONVERSION.get(right),
                practical_points=7,
                practical_total=10,
                result=Result.FAILED,
                scored_at=starts + datetime.timedelta(days=2),
            )


def seed(out) -> None:
    program = CertificationProgram.objects.get(code="statewide")
    writer = User.objects.filter(email="exams@demo.peercert.example").first()
    approver = User.objects.filter(email="approver@demo.peercert.example").first()
    manager = User.objects.filter(email="manager@demo.peercert.example").first()
    if writer is None:
        return
    _bank(program, writer, approver)
    form = _form(program, writer, manager)
    rules = rules_on()
    # Sessions are dated from the first seeding; a second run leaves them as they are.
    base_day = clock.now().astimezone(PACIFIC).date()
    if not ExamSession.objects.filter(form=form).exists():
        ExamSession.objects.bulk_create(
            [
                ExamSession(
                    program=program,
                    form=form,
                    delivery=delivery,
                    site_name=site,
                    city=city,
                    room=room,
                    starts_at=datetime.datetime.combine(
                        base_day + datetime.timedelta(days=days), datetime.time(hour), tzinfo=PACIFIC
                    ),
                    minutes=rules.exam_minutes,
                    rules_version=rules.version,
                    capacity=seats,
                    proctor=writer,
                )
                for days, hour, delivery, site, city, room, seats in SESSIONS
            ]
        )
    _exam_peers(program, form, writer, rules)
    peer = Person.objects.filter(user__email="peer@demo.peercert.example").first()
    if peer is not None:
        ExamAuthorization.objects.get_or_create(
            person=peer,
            reference="DEMO-APP-0001",
            defaults={
                "valid_until": clock.today() + datetime.timedelta(days=330),
                "attempts_paid": 1,
                "rules_version": rules.version,
            },
        )
    out.write(
        f"Exam: {Item.objects.filter(code__startswith='DEMO-').count()} approved demo items, form {form.code}, "
        f"{ExamSession.objects.filter(form=form).count()} sessions, demo peer authorized.\n"
    )
