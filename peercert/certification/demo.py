"""Demo applications (every status on every pathway) and a registry of certified peers.

Idempotent: people are keyed by email, applications by person and pathway, and the
registry block is only drawn for people who have no certification yet.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from peercert.accounts.models import CertificationProgram, County, Person, User
from peercert.certification import fees, requirements
from peercert.certification.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Certification,
    CertificationNumberRecord,
    CertificationSpecialization,
    CertificationStatus,
    CertificationStatusChange,
    NumberCounter,
    Outcome,
    Pathway,
    RequirementDecision,
)
from peercert.certification.services import NUMBER_COUNTER, NUMBER_PREFIX
from peercert.certification.steps import step_codes
from peercert.core import samples
from peercert.core.dates import add_months, add_years
from peercert.core.rules import rules_on
from peercert.core.text import fold
from peercert.core.vocabulary import Specialization

FIRST = [
    "María José",
    "José Luis",
    "Guadalupe",
    "Nguyễn Thị",
    "Thảo",
    "Siobhán",
    "Renée",
    "Zoë",
    "Tomás",
    "Anaïs",
    "Joaquín",
    "Begoña",
    "Inés",
    "Ramón",
    "Dolores",
    "Héctor",
    "Xóchitl",
    "Björn",
    "Ngozi",
    "Aroha",
    "Maëlle",
    "Iñaki",
    "Lucía",
    "Andrés",
    "Mónica",
    "Raúl",
    "Verónica",
    "Sebastián",
    "Jesús",
    "Ximena",
]
LAST = [
    "Hernández",
    "Núñez",
    "Trần",
    "Peña",
    "Castañeda",
    "Ibáñez",
    "Muñoz",
    "Gómez",
    "Pérez",
    "Sánchez",
    "Rodríguez",
    "Martínez",
    "López",
    "Díaz",
    "Álvarez",
    "Ramírez",
    "Chávez",
    "Domínguez",
    "Vásquez",
    "Jiménez",
    "Lê",
    "Phạm",
    "Nakamura-Reyes",
    "O'Connor",
    "Dubois-Castañeda",
    "Okafor",
    "Tuiasosopo",
    "Kaur",
    "Ó Briain",
]
REGISTRY_SIZE = 240
REGISTRY_DOMAIN = "registry.demo.peercert.example"
APPLICANT_DOMAIN = "applicants.demo.peercert.example"
PDF = samples.PDF  # a genuine one-page PDF, so reviewers can open the demo documents
PATHWAY_ANSWERS = {
    Pathway.STANDARD: {},
    Pathway.GRANDPARENTING: {
        "employed_as_peer_on_cutoff": True,
        "peer_work_hours": 2300,
        "ce_hours": Decimal("22"),
        "ce_law_ethics_hours": Decimal("6"),
    },
    Pathway.RECIPROCITY_OUT_OF_STATE: {
        "out_of_state_state": "NV",
        "out_of_state_number": "NV-CPRSS-2291",
        "out_of_state_no_pending_discipline": True,
        "peer_work_hours": 1800,
        "ce_hours": Decimal("20"),
        "ce_law_ethics_hours": Decimal("6"),
    },
    Pathway.TRANSFER_IN_STATE: {
        "prior_program_name": "Fresno County Peer Certification Program",
        "prior_certification_number": "FRE-1187",
    },
}
STATUS_MIX = (
    [CertificationStatus.ACTIVE] * 17
    + [CertificationStatus.EXPIRED] * 3
    + [CertificationStatus.SUSPENDED]
    + [CertificationStatus.REVOKED]
    + [CertificationStatus.SURRENDERED]
    + [CertificationStatus.VACATED]
)


def _write(out, text):
    if out is not None and hasattr(out, "write"):
        out.write(text + "\n")


def seed(out) -> None:
    program = CertificationProgram.objects.get(code="statewide")
    with transaction.atomic():
        _county_programs()
        made = _applications(program)
        issued = _registry(program)
    _write(out, f"certification: {made} demo applications added, {issued} registry certifications added")


# California programs other than the statewide entity, so the transfer step has programs to choose from.
COUNTY_PROGRAMS = (("Fresno County Peer Certification Program", "fresno-county", "Fresno"),)


def _county_programs() -> None:
    for name, code, county_name in COUNTY_PROGRAMS:
        county = County.objects.filter(name=county_name).first()
        if county is not None:
            CertificationProgram.objects.get_or_create(
                code=code, defaults={"name": name, "kind": "county", "county": county}
            )


def _work_periods(pathway, day) -> dict:
    """When the demo applicant's peer work and CE were done: inside the rules' windows."""
    if pathway not in (Pathway.GRANDPARENTING, Pathway.RECIPROCITY_OUT_OF_STATE):
        return {}
    periods = {"peer_work_from": day - datetime.timedelta(days=700), "peer_work_to": day - datetime.timedelta(days=30)}
    if pathway == Pathway.RECIPROCITY_OUT_OF_STATE:
        periods["ce_earned_since"] = day - datetime.timedelta(days=400)
    return periods


def _applications(program) -> int:
    """One applicant per (pathway, status): 32 applications for the reviewer's queue and the record."""
    reviewer = User.objects.filter(email="reviewer@demo.peercert.example").first()
    counties = list(County.objects.order_by("name"))
    made = 0
    for p_index, pathway in enumerate(Pathway.values):
        for s_index, status in enumerate(ApplicationStatus.values):
            n = p_index * len(ApplicationStatus.values) + s_index
            email = f"{pathway}.{status}@{APPLICANT_DOMAIN}"
            person, _created = Person.objects.get_or_create(
                email=email,
                defaults={
                    "legal_first_name": FIRST[n % len(FIRST)],
                    "legal_last_name": LAST[(n * 7) % len(LAST)],
                    "date_of_birth": datetime.date(1970 + n % 30, 1 + n % 12, 1 + n % 28),
                    "city": "Oakland",
                },
            )
            if Application.objects.filter(person=person, pathway=pathway).exists():
                continue
            _application(program, person, pathway, status, counties[(n * 5) % len(counties)], reviewer, n)
            made += 1
    return made


def _application(program, person, pathway, status, county, reviewer, n):
    grandparenting = pathway == Pathway.GRANDPARENTING
    # Grandparenting closed at the end of 2022, so its demo records date from then.
    now = timezone.make_aware(datetime.datetime(2022, 6, 1, 10)) if grandparenting else timezone.now()
    day = now.date()
    rules = rules_on(day)
    submitted = status != ApplicationStatus.DRAFT
    decided = status in (ApplicationStatus.APPROVED, ApplicationStatus.DENIED, ApplicationStatus.EXPIRED)
    waiting = datetime.timedelta(days=3 + (n * 11) % 40)
    application = Application.objects.create(
        person=person,
        program=program,
        pathway=pathway,
        status=status,
        county=county,
        legal_first_name=person.legal_first_name,
        legal_last_name=person.legal_last_name,
        date_of_birth=person.date_of_birth,
        orientation_acknowledged_at=now - waiting * 2,
        lived_experience="self" if n % 3 else "family",
        experience_area=["mental_health", "substance_use", "both"][n % 3],
        willing_to_share=True,
        ethics_signed_name=person.full_name,
        ethics_signed_on=day,
        ethics_rules_version=rules.version,
        steps_completed=step_codes(pathway) if submitted else step_codes(pathway)[:2],
        first_submitted_at=now - waiting if submitted else None,
        submitted_at=now - waiting if submitted else None,
        review_clock_started_at=now - waiting
        if status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)
        else None,
        review_days_banked=waiting.days if decided or status == ApplicationStatus.REVISION_REQUESTED else 0,
        assigned_to=reviewer if status not in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED) else None,
        rules_version=rules.version if submitted else "",
        decided_at=now if decided else None,
        decided_by=reviewer if decided else None,
        decision_reason="The diploma could not be verified with the issuing school."
        if status == ApplicationStatus.DENIED
        else "",
        valid_until=add_months(day, rules.application_valid_months)
        if status in (ApplicationStatus.APPROVED, ApplicationStatus.EXPIRED)
        else None,
        revision_message="Please upload a clearer copy of your diploma."
        if status == ApplicationStatus.REVISION_REQUESTED
        else "",
        entered_by_staff=grandparenting and submitted,
        **PATHWAY_ANSWERS[pathway],
        **_work_periods(pathway, day),
    )
    kinds = [kind for kind, count in requirements.documents_needed(pathway, rules) for _ in range(count)]
    for i, kind in enumerate(kinds):
        document = ApplicationDocument(
            application=application,
            kind=kind,
            content_type="pdf",
            size=len(PDF),
            original_name=f"{kind}-{i + 1}.pdf",
            name_on_document=person.full_name if kind == "photo_id" else "",
        )
        document.file.save(document.original_name, ContentFile(PDF), save=False)
        document.save()
    if submitted:
        documents = list(application.documents.all())
        rows = []
        for position, (req, outcome, note) in enumerate(requirements.evaluate(application, rules, documents, day)):
            if decided and status != ApplicationStatus.DENIED:
                outcome = Outcome.MET
            elif status == ApplicationStatus.REVISION_REQUESTED and req.code == "diploma":
                outcome, note = Outcome.NOT_MET, "The scan is cut off. Upload the whole page."
            rows.append(
                RequirementDecision(
                    application=application,
                    code=req.code,
                    position=position,
                    outcome=outcome or Outcome.UNDECIDED,
                    automatic=outcome is not None,
                    notes=note,
                )
            )
        RequirementDecision.objects.bulk_create(rows)
        if not application.entered_by_staff:
            _fee(application, paid=status != ApplicationStatus.SUBMITTED or n % 2 == 0, reviewer=reviewer)


def _fee(application, *, paid, reviewer):
    from peercert.finance import services as finance_services

    invoice = fees.application_invoice(application) or fees.charge_application_fee(actor=None, application=application)
    if paid and reviewer is not None and invoice.status == "open":
        finance_services.payment_record(
            actor=reviewer,
            invoice=invoice,
            method="check",
            amount=invoice.amount,
            external_reference=f"DEMO-{application.pk}",
        )


def _registry(program) -> int:
    """At least 240 certified peers with accented names across many counties, set-based."""
    counties = list(County.objects.order_by("code"))
    emails = [f"specialist{i:03d}@{REGISTRY_DOMAIN}" for i in range(REGISTRY_SIZE)]
    existing = set(Person.objects.filter(email__in=emails).values_list("email", flat=True))
    people = []
    for i, email in enumerate(emails):
        if email in existing:
            continue
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7 + i // len(FIRST)) % len(LAST)]
        # bulk_create skips Person.save(), so the folded search name is filled here.
        people.append(
            Person(
                email=email,
                legal_first_name=first,
                legal_last_name=last,
                date_of_birth=datetime.date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                search_name=fold(f"{first}  {last} "),
            )
        )
    Person.objects.bulk_create(people)
    holders = list(Person.objects.filter(email__in=emails, certifications__isnull=True).order_by("email"))
    if not holders:
        return 0
    counter, _ = NumberCounter.objects.get_or_create(name=NUMBER_COUNTER)
    counter = NumberCounter.objects.select_for_update().get(name=NUMBER_COUNTER)
    first_number = counter.last_value + 1
    counter.last_value += len(holders)
    counter.save(update_fields=["last_value"])
    today = timezone.localdate()
    rules = rules_on(today)
    certs = []
    for offset, person in enumerate(holders):
        i = int(person.email[len("specialist") : len("specialist") + 3])
        status = STATUS_MIX[i % len(STATUS_MIX)]
        issued = today - datetime.timedelta(days=30 + (i * 37) % 700)
        if status in (CertificationStatus.EXPIRED, CertificationStatus.VACATED):
            issued -= datetime.timedelta(days=800 if status == CertificationStatus.EXPIRED else 2400)
        certs.append(
            Certification(
                number=f"{NUMBER_PREFIX}{first_number + offset:06d}",
                person=person,
                program=program,
                status=status,
                issued_on=issued,
                expires_on=add_years(issued, rules.certification_term_years),
                status_changed_on=issued,
                county=counties[(i * 3) % len(counties)] if i % 5 else None,
                rules_version=rules.version,
                sort_name=person.search_name,
            )
        )
    Certification.objects.bulk_create(certs)
    certs = list(Certification.objects.filter(person__in=holders).select_related("person"))
    specs, history, numbers = [], [], []
    for cert in certs:
        i = int(cert.person.email[len("specialist") : len("specialist") + 3])
        for j, value in enumerate(Specialization.values):
            if (i + j) % 4 == 0 and i % 3 == 0:
                specs.append(
                    CertificationSpecialization(certification=cert, specialization=value, added_on=cert.issued_on)
                )
        history.append(
            CertificationStatusChange(
                certification=cert,
                to_status="active",
                effective_on=cert.issued_on,
                reason="Certification issued",
                source="demo",
            )
        )
        if cert.status != CertificationStatus.ACTIVE:
            history.append(
                CertificationStatusChange(
                    certification=cert,
                    from_status="active",
                    to_status=cert.status,
                    effective_on=min(today, cert.expires_on),
                    reason="Demo history",
                    source="demo",
                )
            )
        numbers.append(
            CertificationNumberRecord(
                certification=cert,
                number=cert.number,
                program=program,
                program_name=program.name,
                valid_from=cert.issued_on,
            )
        )
    CertificationSpecialization.objects.bulk_create(specs)
    CertificationStatusChange.objects.bulk_create(history)
    CertificationNumberRecord.objects.bulk_create(numbers)
    return len(certs)
