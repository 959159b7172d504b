"""Demo workforce: providers in eleven counties, about 300 employments of the registry's certified peers,
their directing professionals and supervisors, and a second county staff sign-in (Fresno).

Idempotent and set-based: providers are keyed by county and NPI, supervisors by email, and the
employments are drawn once (only when the demo providers employ no one yet), in a few bulk inserts.
"""

import datetime
from decimal import Decimal

from peercert.accounts.models import County, Person, RoleAssignment, User
from peercert.accounts.roles import Role
from peercert.benefit.audit import AuditAction
from peercert.benefit.models import (
    COUNTY_OPT_IN_FIELDS,
    DirectingProfessional,
    Employment,
    EmploymentStatus,
    EndReason,
    Provider,
    ProviderKind,
    SupervisionCeiling,
    SupervisionPolicy,
    SupervisorAssignment,
)
from peercert.benefit.npi import npi_check_digit
from peercert.core import clock
from peercert.core.audit import audit_record_many
from peercert.core.rules import rules_on
from peercert.training import selectors as training_selectors
from peercert.training import services as training_services

COUNTY_SIGN_IN = "county.fresno@demo.peercert.example"
# Whose password the Fresno sign-in shares (accounts' demo sets it; benefit may not import that module).
PASSWORD_FROM = "county@demo.peercert.example"
REGISTRY_DOMAIN = "@registry.demo.peercert.example"
SUPERVISOR_DOMAIN = "counties.demo.peercert.example"
PROGRAM_START = datetime.date(2022, 7, 1)
CO, CT = ProviderKind.COUNTY_OPERATED, ProviderKind.CONTRACTED

# county, provider, kind, street, city, ZIP, also DMC-ODS
PROVIDERS = [
    ("Los Angeles", "Hollywood Mental Health Center", CO, "1224 N Vine St", "Los Angeles", "90038", False),
    ("Los Angeles", "Boyle Heights Recovery Collective", CT, "2130 E 1st St", "Los Angeles", "90033", True),
    ("Los Angeles", "Long Beach Peer Support Services", CT, "1150 E 4th St", "Long Beach", "90802", False),
    ("Fresno", "Fresno County Behavioral Health Urgent Care", CO, "4441 E Kings Canyon Rd", "Fresno", "93702", False),
    ("Fresno", "Central Valley Recovery Partners", CT, "1925 E Dakota Ave", "Fresno", "93726", True),
    ("Fresno", "Clovis Peer Wellness Center", CT, "650 Pollasky Ave", "Clovis", "93612", False),
    (
        "Sacramento",
        "Sacramento Adult Psychiatric Support Services",
        CO,
        "2150 Stockton Blvd",
        "Sacramento",
        "95817",
        False,
    ),
    ("Sacramento", "River City Peer Collective", CT, "1600 Broadway", "Sacramento", "95818", True),
    ("San Diego", "Central Region Behavioral Health Clinic", CO, "3853 Rosecrans St", "San Diego", "92110", False),
    ("San Diego", "Chula Vista Peer Connections", CT, "240 Third Ave", "Chula Vista", "91910", False),
    ("San Diego", "North County Recovery Hub", CT, "1520 S Coast Hwy", "Oceanside", "92054", True),
    ("Alameda", "Eastmont Wellness Center", CO, "6955 Foothill Blvd", "Oakland", "94605", False),
    ("Alameda", "Berkeley Peer Outreach", CT, "2640 Martin Luther King Jr Way", "Berkeley", "94704", True),
    ("Orange", "Santa Ana Behavioral Health Services", CO, "1200 N Main St", "Santa Ana", "92701", False),
    ("Orange", "Anaheim Peer Recovery Center", CT, "1700 S Harbor Blvd", "Anaheim", "92802", True),
    ("Riverside", "Riverside Peer Wellness Center", CO, "2085 Rustin Ave", "Riverside", "92507", False),
    ("Riverside", "Coachella Valley Peer Network", CT, "47825 Oasis St", "Indio", "92201", True),
    ("San Bernardino", "Rialto Behavioral Health Clinic", CO, "850 E Foothill Blvd", "Rialto", "92376", False),
    ("San Bernardino", "High Desert Peer Support", CT, "15437 Anacapa Rd", "Victorville", "92392", True),
    ("Santa Clara", "Downtown Mental Health Center", CO, "272 E Santa Clara St", "San Jose", "95112", False),
    ("Santa Clara", "Gilroy Peer Wellness", CT, "7475 Monterey Rd", "Gilroy", "95020", True),
    ("Kern", "Bakersfield Behavioral Health and Recovery", CO, "2001 28th St", "Bakersfield", "93301", False),
    ("Kern", "Delano Peer Support Center", CT, "1015 11th Ave", "Delano", "93215", True),
    ("San Francisco", "Behavioral Health Access Center", CO, "1380 Howard St", "San Francisco", "94103", False),
    ("San Francisco", "Mission Peer Wellness", CT, "2940 16th St", "San Francisco", "94110", True),
]
# How the registry's peers spread over the counties: Los Angeles, where the demo county user works, most.
COUNTY_WEIGHTS = [
    ("Los Angeles", 9),
    ("Fresno", 4),
    ("Sacramento", 2),
    ("San Diego", 2),
    ("Alameda", 1),
    ("Orange", 1),
    ("Riverside", 1),
    ("San Bernardino", 1),
    ("Santa Clara", 1),
    ("Kern", 1),
    ("San Francisco", 1),
]
CLINICIANS = [
    ("Dr. Rosa Chávez", "licensed", "LCSW", "Board of Behavioral Sciences"),
    ("Miguel Ángel Torres", "licensed", "LMFT", "Board of Behavioral Sciences"),
    ("Dr. Priya Raman", "licensed", "Psychologist", "Board of Psychology"),
    ("Hannah Kim", "registered", "ASW", "Board of Behavioral Sciences"),
    ("Dr. Samuel Okoro", "waivered", "Psychologist", "Board of Psychology"),
    ("Lucía Fernández", "licensed", "LPCC", "Board of Behavioral Sciences"),
]
SUPERVISOR_NAMES = [
    ("Teresa", "Villanueva"),
    ("Marcus", "Bell"),
    ("Linh", "Phạm"),
    ("Gabriel", "Ortega"),
    ("Aisha", "Rahman"),
    ("Daniel", "Esquivel"),
    ("Carmen", "Ríos"),
    ("Kevin", "Yamamoto"),
    ("Rocío", "Delgado"),
    ("Omar", "Haddad"),
    ("Julia", "Brennan"),
]
TITLES = ["Peer Support Specialist", "Peer Support Specialist II", "Peer Navigator", "Recovery Coach"]
RATIO = 12  # the program default; one Los Angeles supervisor is shown exactly at it


def _npi(seed: int) -> str:
    body = f"1{seed:08d}"
    return body + str(npi_check_digit(body))


def _write(out, text: str) -> None:
    if out is not None and hasattr(out, "write"):
        out.write(text + "\n")


def seed(stdout) -> None:
    today = clock.today()
    counties = {c.name: c for c in County.objects.filter(name__in={p[0] for p in PROVIDERS})}
    providers = _providers(counties)
    _policies(counties)
    made = _employments(providers, counties, today)
    _sign_in(stdout)
    if made:
        _write(stdout, f"Benefit workforce: {len(providers)} providers, {made} employments with supervisors.")


def _providers(counties) -> list[Provider]:
    existing = {(p.county_id, p.npi): p for p in Provider.objects.filter(county__in=counties.values())}
    new = []
    for i, (county_name, name, kind, street, city, zip_code, ods) in enumerate(PROVIDERS):
        county = counties[county_name]
        npi = _npi(7100 + i)
        if (county.pk, npi) in existing:
            continue
        new.append(
            Provider(
                county=county,
                name=name,
                kind=kind,
                npi=npi,
                address_line1=street,
                city=city,
                postal_code=zip_code,
                active_from=PROGRAM_START,
                smhs=county.opts_in_smhs,
                dmc_ods=ods and getattr(county, COUNTY_OPT_IN_FIELDS["dmc_ods"]),
            )
        )
    Provider.objects.bulk_create(new)
    npis = {_npi(7100 + i) for i in range(len(PROVIDERS))}
    return list(Provider.objects.filter(county__in=counties.values(), npi__in=npis).order_by("npi"))


def _policies(counties) -> None:
    SupervisionCeiling.objects.get_or_create(
        effective_from=PROGRAM_START,
        defaults={"max_peers_per_supervisor": 15, "reason": "Statewide ceiling for the demo (assumed)"},
    )
    SupervisionPolicy.objects.get_or_create(
        county=counties["Fresno"],
        effective_from=datetime.date(2025, 1, 1),
        defaults={"max_peers_per_supervisor": 10, "reason": "Smaller caseloads in rural clinics"},
    )


def _sign_in(stdout) -> None:
    """A county staff sign-in for Fresno, so two counties can be tried side by side."""
    model = User.objects.filter(email=PASSWORD_FROM).first()
    user, created = User.objects.get_or_create(email=COUNTY_SIGN_IN, defaults={"display_name": "Jasdeep Sandhu"})
    if created:
        if model is not None:
            user.password = model.password  # the same demo password as every other sign-in
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.COUNTY_STAFF, county=County.objects.get(name="Fresno"))


def _certified_peers() -> list[dict]:
    """The registry's peers with their certification (one query, through the Person relation)."""
    rows = (
        Person.objects.filter(email__endswith=REGISTRY_DOMAIN, certifications__isnull=False)
        .order_by("email", "-certifications__issued_on")
        .values(
            "pk",
            "email",
            "certifications__number",
            "certifications__status",
            "certifications__issued_on",
            "certifications__expires_on",
        )
    )
    seen, out = set(), []
    for row in rows:
        if row["pk"] in seen:
            continue
        seen.add(row["pk"])
        out.append(row)
    return out


def _employments(providers, counties, today) -> int:
    if not providers or Employment.objects.filter(provider__in=providers).exists():
        return 0
    by_county: dict[int, list[Provider]] = {}
    for p in providers:
        by_county.setdefault(p.county_id, []).append(p)
    wheel = [counties[name] for name, weight in COUNTY_WEIGHTS for _ in range(weight) if name in counties]
    peers = _certified_peers()
    rows = []
    for i, peer in enumerate(peers):
        county = wheel[i % len(wheel)]
        here = by_county.get(county.pk) or providers
        rows.append(_employment(i, peer, here[i % len(here)], today))
        if peer["certifications__status"] == "active" and i % 5 in (0, 2) and len(here) > 1:
            second = _employment(i + 1000, peer, here[(i + 1) % len(here)], today, part_time=True)
            if second.status != EmploymentStatus.ENDED:
                rows.append(second)
    Employment.objects.bulk_create(rows)
    employments = list(Employment.objects.filter(provider__in=providers).select_related("person"))
    audit_record_many(
        actor=None,
        action=AuditAction.EMPLOYMENT_RECORD,
        object_type="benefit.employment",
        rows=[(e.pk, str(e), None, {"status": "recorded", "demo": True}) for e in employments],
        reason="demo data",
    )
    hired = [e for e in employments if e.hired_on]
    audit_record_many(
        actor=None,
        action=AuditAction.EMPLOYMENT_HIRE,
        object_type="benefit.employment",
        rows=[(e.pk, str(e), None, {"hired_on": e.hired_on, "number": e.hire_certification_number}) for e in hired],
        reason="demo data",
    )
    _directions(hired)
    _supervision(employments, counties, today)
    return len(employments)


def _employment(i: int, peer: dict, provider: Provider, today, part_time: bool = False) -> Employment:
    status = peer["certifications__status"]
    issued, expires = peer["certifications__issued_on"], peer["certifications__expires_on"]
    start = max(
        PROGRAM_START, today - datetime.timedelta(days=40 + (i * 37) % 520), issued - datetime.timedelta(days=20)
    )
    values = {
        "person_id": peer["pk"],
        "provider": provider,
        "county_id": provider.county_id,
        "position_title": TITLES[i % len(TITLES)] if not part_time else "Peer Support Specialist (part time)",
        "fte": Decimal("0.50")
        if part_time
        else [Decimal("1.00"), Decimal("0.80"), Decimal("1.00"), Decimal("0.60")][i % 4],
        "smhs": True,
        "dmc_ods": provider.dmc_ods and i % 4 == 1,
    }
    start = min(start, today)
    kind = i % 10
    if status == "active" and kind not in (6, 9):
        hired_on = min(max(start, issued), today)
        employment = Employment(
            start_on=start,
            status=EmploymentStatus.HIRED,
            hired_on=hired_on,
            hire_certification_number=peer["certifications__number"],
            **values,
        )
        if kind in (7, 8) and hired_on < today - datetime.timedelta(days=30):
            employment.status = EmploymentStatus.ENDED
            employment.end_on = min(today - datetime.timedelta(days=3), hired_on + datetime.timedelta(days=120))
            employment.end_reason = [EndReason.RESIGNED, EndReason.TRANSFERRED, EndReason.CONTRACT_ENDED][i % 3]
        return employment
    if status in ("expired", "vacated"):
        start = max(PROGRAM_START, min(expires, today) - datetime.timedelta(days=200))
        return Employment(
            start_on=start,
            status=EmploymentStatus.ENDED,
            end_on=max(start, min(expires, today)),
            end_reason=EndReason.CERTIFICATION_LAPSED,
            **values,
        )
    # Active but not hired yet (an offer being processed), or suspended, revoked or surrendered: the
    # county recorded them and cannot hire them until the certification is active again.
    return Employment(
        start_on=max(start, today - datetime.timedelta(days=10)), status=EmploymentStatus.RECORDED, **values
    )


def _directions(hired: list[Employment]) -> None:
    rows = []
    for i, e in enumerate(hired):
        name, kind, license_type, board = CLINICIANS[(e.county_id + i // 7) % len(CLINICIANS)]
        rows.append(
            DirectingProfessional(
                employment=e,
                name=name,
                credential_kind=kind,
                license_type=license_type,
                license_number=str(40000 + (e.county_id * 131 + i) % 50000),
                issuing_board=board,
                start_on=e.hired_on,
                end_on=e.end_on,
            )
        )
    DirectingProfessional.objects.bulk_create(rows)


def _supervision(employments: list[Employment], counties, today) -> None:
    """A few supervisors per county; in Los Angeles one at the ratio and one untrained past the window.

    Assignments were entered recently (the county side is new), so the others are still within their
    training window; the one past it started 75 days ago.
    """
    window = rules_on(today).supervisor_training_within_days
    open_hired = [e for e in employments if e.status == EmploymentStatus.HIRED]
    by_county: dict[int, list[Employment]] = {}
    for e in open_hired:
        by_county.setdefault(e.county_id, []).append(e)
    names = {c.pk: c.name for c in counties.values()}
    people = []
    plan: list[tuple[str, list[Employment], int]] = []  # supervisor email, their employments, days since start
    for county_id, rows in sorted(by_county.items()):
        slug = names[county_id].lower().replace(" ", "-")
        rows.sort(key=lambda e: e.pk)
        late = [e for e in rows if e.hired_on <= today - datetime.timedelta(days=window + 15)][:3]
        if names[county_id] == "Los Angeles" and len(rows) > RATIO + len(late) and late:
            rows = [e for e in rows if e not in late]
            plan.append((f"supervisor.{slug}.1@{SUPERVISOR_DOMAIN}", rows[:RATIO], 20))
            plan.append((f"supervisor.{slug}.2@{SUPERVISOR_DOMAIN}", late, window + 15))
            rows = rows[RATIO:]
            first = 3
        else:
            first = 1
        count = max(2, -(-len(rows) // 8))
        for k in range(count):
            plan.append((f"supervisor.{slug}.{first + k}@{SUPERVISOR_DOMAIN}", rows[k::count], 5 + (k * 9) % 40))
    existing = set(Person.objects.filter(email__in=[p[0] for p in plan]).values_list("email", flat=True))
    for n, (email, _rows, _ago) in enumerate(plan):
        if email in existing:
            continue
        first, last = SUPERVISOR_NAMES[n % len(SUPERVISOR_NAMES)]
        person = Person(
            email=email,
            legal_first_name=first,
            legal_last_name=last,
            date_of_birth=datetime.date(1975, 1 + n % 12, 1 + n % 28),
        )
        person.search_name = person.folded_name()  # bulk_create skips save()
        people.append(person)
    Person.objects.bulk_create(people)
    supervisors = {p.email: p for p in Person.objects.filter(email__in=[p[0] for p in plan])}
    assignments = []
    version = rules_on(today).version
    for email, rows, ago in plan:
        for e in rows:
            start = max(e.hired_on, today - datetime.timedelta(days=ago))
            assignments.append(
                SupervisorAssignment(
                    supervisor=supervisors[email],
                    employment=e,
                    county_id=e.county_id,
                    start_on=start,
                    training_due_on=start + datetime.timedelta(days=window),
                    rules_version=version,
                )
            )
    SupervisorAssignment.objects.bulk_create(assignments)
    late = {email for email, _rows, ago in plan if ago > window}
    _supervisor_training([p for email, p in supervisors.items() if email not in late], today)


def _supervisor_training(people: list[Person], today) -> None:
    """Every demo supervisor but the one shown past the window took the finished supervisor course.

    Recorded through training's own service, as the course's training entity staff would.
    """
    offering = training_selectors.finished_supervisor_offerings(today).first()
    if offering is None:
        return
    trainer = User.objects.filter(
        role_assignments__role=Role.TRAINING_STAFF, role_assignments__training_entity=offering.training_entity
    ).first()
    if trainer is None:
        return
    trained = training_selectors.supervisor_trained_person_ids([p.pk for p in people], today)
    for person in people:
        if person.pk not in trained:
            training_services.completion_record(
                actor=trainer, offering=offering, person=person, hours=offering.hours, completed_on=offering.ends_on
            )
