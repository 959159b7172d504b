"""Demo data for renewal, loaded by `manage.py seed_demo`. Idempotent: keyed by email and title.

Three peers who sign in with the demo password:
  - renueva@demo.peercert.example: certification expiring in 60 days, in the renewal window,
    with enough CE hours (14 general, 6 law and ethics) in the cycle: can renew at once;
  - vencida@demo.peercert.example: certification expired 20 days ago, with CE hours and a
    refresher course since: can reinstate with the late fee;
  - desocupada@demo.peercert.example: certification vacated (not renewed within 4 years):
    the renewal page tells them to apply anew.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from peercert.accounts.models import CertificationProgram, County, Person, RoleAssignment, TrainingEntity, User
from peercert.accounts.roles import Role
from peercert.certification.models import Certification, CertificationStatusChange
from peercert.certification.services import certification_number_next
from peercert.core import clock, samples
from peercert.core.dates import add_months
from peercert.core.rules import rules_on

PDF = samples.PDF

PEERS = [
    # email, first, last, county, days until expiry (negative: past), status
    ("renueva@demo.peercert.example", "Guadalupe", "Ramírez Ávila", "San Diego", 60, "active"),
    ("vencida@demo.peercert.example", "Thảo", "Nguyễn", "Santa Clara", -20, "expired"),
    ("desocupada@demo.peercert.example", "Joaquín", "Muñoz Peña", "Humboldt", -(4 * 365 + 40), "vacated"),
]

# What each shows, for the sign-in table that `seed_demo` prints (scripts/start ends with it).
SIGN_INS = [
    ("renueva@demo.peercert.example", "Renewal: expires in 60 days, CE complete, can renew and pay at once"),
    ("vencida@demo.peercert.example", "Renewal: expired 20 days ago, can reinstate with the late fee"),
    ("desocupada@demo.peercert.example", "Renewal: vacated after 4 years unrenewed, told to apply anew"),
]


def seed(out) -> None:
    from peercert.accounts.demo import DEMO_PASSWORD

    today = clock.today()
    rules = rules_on(today)
    program = CertificationProgram.objects.get(code="statewide")
    made = 0
    for email, first, last, county_name, days, status in PEERS:
        user, created = User.objects.get_or_create(email=email, defaults={"display_name": f"{first} {last}"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role=Role.PEER)
        person, _ = Person.objects.get_or_create(
            user=user,
            defaults={"legal_first_name": first, "legal_last_name": last, "email": email, "preferred_language": "es"},
        )
        if Certification.objects.filter(person=person).exists():
            continue
        expires = today + datetime.timedelta(days=days)
        issued = add_months(expires, -12 * rules.certification_term_years)
        cert = Certification.objects.create(
            number=certification_number_next(),
            person=person,
            program=program,
            status="active",
            issued_on=issued,
            expires_on=expires,
            status_changed_on=issued,
            county=County.objects.filter(name=county_name).first(),
            rules_version=rules.version,
        )
        CertificationStatusChange.objects.create(
            certification=cert, to_status="active", effective_on=issued, reason="Certification issued", source="issue"
        )
        if status != "active":
            expired_on = expires + datetime.timedelta(days=1)
            CertificationStatusChange.objects.create(
                certification=cert,
                from_status="active",
                to_status="expired",
                effective_on=expired_on,
                reason=f"Not renewed by {expires:%Y-%m-%d}",
                source="expiry",
            )
            cert.status, cert.status_changed_on = "expired", expired_on
        if status == "vacated":
            vacated_on = add_months(expires, 12 * rules.vacate_after_years) + datetime.timedelta(days=1)
            CertificationStatusChange.objects.create(
                certification=cert,
                from_status="expired",
                to_status="vacated",
                effective_on=vacated_on,
                reason=f"Not renewed within {rules.vacate_after_years} years of {expires:%Y-%m-%d}",
                source="vacate",
            )
            cert.status, cert.status_changed_on = "vacated", vacated_on
        cert.save(update_fields=["status", "status_changed_on"])
        if status in ("active", "expired"):
            _ce(person, min(today, expires) - datetime.timedelta(days=120))
        if status == "expired":
            _refresher(person, today - datetime.timedelta(days=5))
        made += 1
    if out is not None:
        out.write(f"renewal: {made} demo peers with certifications to renew, reinstate or start over\n")


def _ce(person, on):
    from peercert.training.models import CEActivity

    for title, category, hours in (
        ("Ética y límites en el apoyo entre pares", "law_ethics", "6"),
        ("Trauma-informed recovery support", "general", "8"),
        ("Crisis de-escalation refresher", "general", "6"),
    ):
        if CEActivity.objects.filter(person=person, title=title).exists():
            continue
        activity = CEActivity(
            person=person,
            title=title,
            provider_name="Colegio Comunitario de San Diego",
            completed_on=on,
            hours=Decimal(hours),
            ce_category=category,
            status="accepted",
            evidence_kind="pdf",
            evidence_name="certificate.pdf",
        )
        activity.evidence.save("certificate.pdf", ContentFile(PDF), save=False)
        activity.save()


def _refresher(person, on):
    from peercert.training.models import Completion, Curriculum, CurriculumVersion, Offering

    entity = TrainingEntity.objects.filter(name="Sierra Recovery Academy").first() or TrainingEntity.objects.first()
    if entity is None:
        return
    curriculum, _ = Curriculum.objects.get_or_create(
        title="Curso de actualización para especialistas de apoyo entre pares",
        defaults={"kind": "continuing_education", "is_refresher": True},
    )
    version, _ = CurriculumVersion.objects.get_or_create(
        curriculum=curriculum, number=1, defaults={"hours": Decimal("8"), "status": "approved"}
    )
    offering, _ = Offering.objects.get_or_create(
        training_entity=entity,
        curriculum_version=version,
        starts_on=on,
        defaults={
            "ends_on": on,
            "hours": Decimal("8"),
            "language": "es",
            "modality": "virtual",
            "capacity": 25,
            "accommodation_contact": "Tomás Ortega, (916) 555-0142",
        },
    )
    if not Completion.objects.filter(person=person, offering=offering).exists():
        Completion.objects.create(
            person=person,
            offering=offering,
            completed_on=on,
            hours=Decimal("8"),
            ce_category="general",
            idempotency_key=Completion.key_for(person.pk, offering.pk),
        )
