"""Demo data for training, loaded by `manage.py seed_demo`. Idempotent: get-or-create throughout.

The two seeded training entities are approved; DHCS has approved one version of each program
curriculum (core, CE, law and ethics CE, a refresher, supervisor, the four specializations);
upcoming courses run in English and Spanish; the demo peer has enrollments, completions and a
reported CE activity waiting for review.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from peercert.accounts.models import Person, TrainingEntity, User
from peercert.core import clock, samples
from peercert.core.dates import add_years
from peercert.core.rules import rules_on
from peercert.core.vocabulary import CECategory, Specialization
from peercert.training.models import (
    PROVIDER_CLOSED,
    CEActivity,
    Competency,
    Completion,
    CompletionSource,
    Curriculum,
    CurriculumKind,
    CurriculumReview,
    CurriculumVersion,
    Enrollment,
    EnrollmentStatus,
    Modality,
    Offering,
    ProviderApplication,
    ProviderStatus,
    VersionStatus,
)

SIERRA = "Sierra Recovery Academy"
INSTITUTO = "Instituto de Apoyo entre Pares del Valle"
DEMO_PEER_EMAIL = "peer@demo.peercert.example"
APPROVER_EMAIL = "approver@demo.peercert.example"

# title, kind, hours, ce category, specialization, refresher
CURRICULA = [
    ("Core Medi-Cal Peer Support Specialist Training", CurriculumKind.CORE, 80, CECategory.GENERAL, "", False),
    ("Trauma-Informed Peer Practice", CurriculumKind.CONTINUING_EDUCATION, 6, CECategory.GENERAL, "", False),
    (
        "Ley y ética para especialistas de apoyo entre pares",
        CurriculumKind.CONTINUING_EDUCATION,
        6,
        CECategory.LAW_AND_ETHICS,
        "",
        False,
    ),
    ("Peer Support Refresher Course", CurriculumKind.CONTINUING_EDUCATION, 8, CECategory.GENERAL, "", True),
    ("Supervising Peer Support Specialists", CurriculumKind.SUPERVISOR, 1, CECategory.GENERAL, "", False),
    *[
        (f"Specialization: {label}", CurriculumKind.SPECIALIZATION, 40, CECategory.GENERAL, value, False)
        for value, label in Specialization.choices
    ],
]

# entity, training types, language
APPROVALS = [
    (
        SIERRA,
        [
            CurriculumKind.CORE,
            CurriculumKind.CONTINUING_EDUCATION,
            CurriculumKind.SUPERVISOR,
            CurriculumKind.SPECIALIZATION,
        ],
        "en",
    ),
    (INSTITUTO, [CurriculumKind.CORE, CurriculumKind.CONTINUING_EDUCATION, CurriculumKind.SPECIALIZATION], "es"),
]

# entity, curriculum title, course title, days from today to start, days long, language, modality, location, seats, cost
UPCOMING = [
    (
        SIERRA,
        "Core Medi-Cal Peer Support Specialist Training",
        "Core training, spring cohort (Sacramento)",
        21,
        12,
        "en",
        Modality.IN_PERSON,
        "1215 K Street, Sacramento, CA 95814",
        24,
        "0",
    ),
    (
        SIERRA,
        "Supervising Peer Support Specialists",
        "Supervisor training (live online)",
        7,
        0,
        "en",
        Modality.VIRTUAL,
        "Link sent after enrollment",
        60,
        "0",
    ),
    (
        SIERRA,
        "Specialization: Crisis services",
        "Crisis services specialization",
        35,
        5,
        "en",
        Modality.VIRTUAL,
        "Link sent after enrollment",
        30,
        "150.00",
    ),
    (
        SIERRA,
        "Trauma-Informed Peer Practice",
        "Trauma-informed peer practice (self-paced)",
        1,
        60,
        "en",
        Modality.SELF_PACED,
        "Online",
        200,
        "25.00",
    ),
    (
        INSTITUTO,
        "Ley y ética para especialistas de apoyo entre pares",
        "Ley y ética (en español)",
        14,
        1,
        "es",
        Modality.IN_PERSON,
        "2550 W Clinton Ave, Fresno, CA 93705",
        2,
        "0",
    ),
    (
        INSTITUTO,
        "Core Medi-Cal Peer Support Specialist Training",
        "Capacitación básica (cohorte de verano)",
        45,
        12,
        "es",
        Modality.VIRTUAL,
        "Enlace enviado al inscribirse",
        25,
        "0",
    ),
    (
        INSTITUTO,
        "Specialization: Parent, caregiver and family member peer",
        "Especialización: padres, cuidadores y familias",
        60,
        5,
        "es",
        Modality.IN_PERSON,
        "Merced Community Center, 755 W 15th St, Merced, CA 95340",
        20,
        "0",
    ),
]

# Finished courses the demo peer completed: entity, curriculum, course title, days ago it ended, hours, category
PAST = [
    (
        INSTITUTO,
        "Core Medi-Cal Peer Support Specialist Training",
        "Capacitación básica (cohorte de otoño)",
        120,
        80,
        CECategory.GENERAL,
    ),
    (
        INSTITUTO,
        "Ley y ética para especialistas de apoyo entre pares",
        "Ley y ética (otoño)",
        60,
        6,
        CECategory.LAW_AND_ETHICS,
    ),
    (SIERRA, "Trauma-Informed Peer Practice", "Trauma-informed peer practice (winter)", 30, 6, CECategory.GENERAL),
]

DEMO_PDF = samples.PDF


def _curricula(approver) -> dict[str, CurriculumVersion]:
    versions = {}
    core_competencies = list(Competency.objects.filter(is_core=True))
    for title, kind, hours, category, specialization, refresher in CURRICULA:
        curriculum, created = Curriculum.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind,
                "ce_category": category,
                "specialization": specialization,
                "is_refresher": refresher,
            },
        )
        if created and kind == CurriculumKind.CORE:
            curriculum.competencies.set(core_competencies)
        version, created = CurriculumVersion.objects.get_or_create(
            curriculum=curriculum,
            number=1,
            defaults={
                "hours": Decimal(hours),
                "status": VersionStatus.APPROVED,
                "summary": "Approved by DHCS.",
                "submitted_at": clock.now(),
                "decided_at": clock.now(),
                "decided_by": approver,
                "rules_version": rules_on().version,
            },
        )
        if created and approver is not None:
            CurriculumReview.objects.create(
                version=version,
                decision="approved",
                reviewer=approver,
                decided_at=clock.now(),
                comments="Meets the state's requirements.",
            )
        versions[title] = version
    return versions


def seed(out) -> None:
    entities = {e.name: e for e in TrainingEntity.objects.filter(name__in=[SIERRA, INSTITUTO])}
    if len(entities) < 2:
        return
    today = clock.today()
    approver = User.objects.filter(email=APPROVER_EMAIL).first()
    manager = User.objects.filter(email="manager@demo.peercert.example").first()
    for name, kinds, language in APPROVALS:
        for kind in kinds:
            live = ProviderApplication.objects.filter(
                training_entity=entities[name], training_type=kind, language=language
            ).exclude(status__in=PROVIDER_CLOSED)
            if live.exists():
                continue
            ProviderApplication.objects.create(
                training_entity=entities[name],
                training_type=kind,
                language=language,
                status=ProviderStatus.APPROVED,
                submitted_at=clock.now(),
                decided_at=clock.now(),
                decided_by=manager,
                approved_from=today,
                approved_until=add_years(today, rules_on().training_entity_term_years) - datetime.timedelta(days=1),
                fee_settled=True,
                rules_version=rules_on().version,
                description="Demo approval.",
            )
    versions = _curricula(approver)

    offerings = {}
    for name, curriculum, title, start_in, length, language, modality, location, seats, cost in UPCOMING:
        version = versions[curriculum]
        start = today + datetime.timedelta(days=start_in)
        offerings[title], _ = Offering.objects.get_or_create(
            training_entity=entities[name],
            curriculum_version=version,
            title=title,
            defaults={
                "starts_on": start,
                "ends_on": start + datetime.timedelta(days=length),
                "hours": version.hours,
                "language": language,
                "modality": modality,
                "location": location,
                "capacity": seats,
                "cost": Decimal(cost),
                "accommodation_contact": entities[name].email or "the training entity",
            },
        )

    # A finished supervisor course, so the county demo's supervisors can have completed their training.
    Offering.objects.get_or_create(
        training_entity=entities[SIERRA],
        curriculum_version=versions["Supervising Peer Support Specialists"],
        title="Supervisor training (autumn, live online)",
        defaults={
            "starts_on": today - datetime.timedelta(days=45),
            "ends_on": today - datetime.timedelta(days=45),
            "hours": versions["Supervising Peer Support Specialists"].hours,
            "language": "en",
            "modality": Modality.VIRTUAL,
            "location": "Online",
            "capacity": 60,
            "accommodation_contact": entities[SIERRA].email,
            "status": "closed",
        },
    )

    person = Person.objects.filter(user__email=DEMO_PEER_EMAIL).first()
    if person is None:
        return
    for name, curriculum, title, ended_ago, hours, category in PAST:
        version = versions[curriculum]
        end = today - datetime.timedelta(days=ended_ago)
        offering, _ = Offering.objects.get_or_create(
            training_entity=entities[name],
            curriculum_version=version,
            title=title,
            defaults={
                "starts_on": end - datetime.timedelta(days=1 if hours < 40 else 11),
                "ends_on": end,
                "hours": version.hours,
                "language": "es" if name == INSTITUTO else "en",
                "modality": Modality.VIRTUAL,
                "location": "Online",
                "capacity": 25,
                "accommodation_contact": entities[name].email,
                "status": "closed",
            },
        )
        Enrollment.objects.get_or_create(
            offering=offering, person=person, defaults={"status": EnrollmentStatus.ENROLLED, "attendance": "attended"}
        )
        Completion.objects.get_or_create(
            idempotency_key=Completion.key_for(person.pk, offering.pk),
            defaults={
                "person": person,
                "offering": offering,
                "completed_on": end,
                "hours": Decimal(hours),
                "ce_category": category,
                "source": CompletionSource.SINGLE,
            },
        )
    Enrollment.objects.get_or_create(
        offering=offerings["Ley y ética (en español)"], person=person, defaults={"status": EnrollmentStatus.ENROLLED}
    )
    if not CEActivity.objects.filter(person=person, title="Ética en la telesalud").exists():
        CEActivity.objects.create(
            person=person,
            title="Ética en la telesalud",
            provider_name="Universidad Estatal de California, Fresno",
            completed_on=today - datetime.timedelta(days=10),
            hours=Decimal("2"),
            ce_category=CECategory.LAW_AND_ETHICS,
            evidence=ContentFile(DEMO_PDF, name="certificado.pdf"),
            evidence_kind="pdf",
            evidence_name="certificado.pdf",
        )
    if out is not None and hasattr(out, "write"):
        out.write("training: approved entities, DHCS-approved curricula, upcoming courses and the demo peer's CE\n")
