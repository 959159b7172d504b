"""Demo organizations, people and one sign-in per role. Idempotent: get-or-create throughout."""

import datetime

from peercert.accounts.models import CertificationProgram, County, Person, RoleAssignment, TrainingEntity, User
from peercert.accounts.roles import Role

DEMO_PASSWORD = "peercert-demo-2026"

TRAINING_ENTITIES = [
    {
        "name": "Sierra Recovery Academy",
        "city": "Sacramento",
        "county": "Sacramento",
        "email": "training@sierrarecovery.example",
        "phone": "(916) 555-0142",
    },
    {
        "name": "Instituto de Apoyo entre Pares del Valle",
        "city": "Fresno",
        "county": "Fresno",
        "email": "cursos@apoyopares.example",
        "phone": "(559) 555-0187",
    },
]

# email, role, scope kind, scope name, first, last, preferred language
DEMO_USERS = [
    ("peer@demo.peercert.example", Role.PEER, None, None, "María José", "Hernández", "es"),
    ("reviewer@demo.peercert.example", Role.PROGRAM_REVIEWER, "program", "statewide", "Nguyễn Thị", "Lan", "vi"),
    (
        "manager@demo.peercert.example",
        Role.PROGRAM_MANAGER,
        "program",
        "statewide",
        "Darnell",
        "Okafor-Washington",
        "en",
    ),
    ("exams@demo.peercert.example", Role.EXAM_ADMINISTRATOR, "program", "statewide", "Siobhán", "Ó Briain", "en"),
    (
        "trainer@demo.peercert.example",
        Role.TRAINING_STAFF,
        "training_entity",
        "Sierra Recovery Academy",
        "Tomás",
        "Ortega",
        "es",
    ),
    ("county@demo.peercert.example", Role.COUNTY_STAFF, "county", "Los Angeles", "Ana Lucía", "Peña", "es"),
    ("billing@demo.peercert.example", Role.COUNTY_BILLING, "county", "Los Angeles", "Gurpreet", "Kaur", "pa"),
    (
        "billing.supervisor@demo.peercert.example",
        Role.COUNTY_BILLING_SUPERVISOR,
        "county",
        "Los Angeles",
        "Marisol",
        "Etcitty",
        "en",
    ),
    (
        "signer@demo.peercert.example",
        Role.COUNTY_AUTHORIZED_SIGNER,
        "county",
        "Los Angeles",
        "Dolores",
        "Villaseñor",
        "en",
    ),
    ("analyst@demo.peercert.example", Role.DHCS_ANALYST, None, None, "Ji-woo", "Park", "ko"),
    ("approver@demo.peercert.example", Role.DHCS_APPROVER, None, None, "Renée", "Dubois-Castañeda", "en"),
    ("auditor@demo.peercert.example", Role.AUDITOR, None, None, "Kwame", "Mensah", "en"),
    ("admin@demo.peercert.example", Role.SYSTEM_ADMINISTRATOR, None, None, "Lupe", "Tuiasosopo", "en"),
]


def seed(out) -> list[tuple[str, str]]:
    for spec in TRAINING_ENTITIES:
        county = County.objects.get(name=spec["county"])
        TrainingEntity.objects.get_or_create(
            name=spec["name"],
            defaults={"city": spec["city"], "county": county, "email": spec["email"], "phone": spec["phone"]},
        )
    statewide = CertificationProgram.objects.get(code="statewide")
    sign_ins = []
    for email, role, scope_kind, scope_name, first, last, language in DEMO_USERS:
        user, created = User.objects.get_or_create(email=email, defaults={"display_name": f"{first} {last}"})
        if created:
            user.set_password(DEMO_PASSWORD)
            if role == Role.SYSTEM_ADMINISTRATOR:
                user.is_staff = user.is_superuser = True
            user.save()
        scope = {}
        if scope_kind == "program":
            scope["program"] = statewide
        elif scope_kind == "county":
            scope["county"] = County.objects.get(name=scope_name)
        elif scope_kind == "training_entity":
            scope["training_entity"] = TrainingEntity.objects.get(name=scope_name)
        RoleAssignment.objects.get_or_create(user=user, role=role, **scope)
        if role == Role.PEER:
            Person.objects.get_or_create(
                user=user,
                defaults={
                    "legal_first_name": first,
                    "legal_last_name": last,
                    "email": email,
                    "date_of_birth": datetime.date(1988, 3, 14),
                    "phone": "(323) 555-0119",
                    "city": "Los Ángeles",
                    "postal_code": "90033",
                    "preferred_language": language,
                },
            )
        sign_ins.append((str(Role(role).label), email, scope_name if scope_kind == "county" else ""))
    return sign_ins
