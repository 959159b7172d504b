"""Demo beneficiaries and their monthly Medi-Cal eligibility.

A few thousand synthetic beneficiaries in the demo counties that employ peers (Los Angeles first, the
most), with plausible California names and CINs that look real but are not (9, the county code, a
serial number, a letter), and six months of eligibility each from a county file: most months eligible,
some not, some missing (so the gate and the 270 have work). Idempotent: a county that already has its
demo beneficiaries is left alone; set-based: a few bulk inserts per county.
"""

import datetime
import hashlib
import random

from peercert.accounts.models import County
from peercert.billing.models import Beneficiary, EligibilityImport, EligibilityMonth, EligibilitySource
from peercert.core import clock

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
PER_COUNTY = {"Los Angeles": 1500}
OTHERS = 300
MONTHS = 6
AID_CODES = ["1H", "M1", "7U", "L1", "3N", "K1", "1D", "8U"]
FIRST = [
    "Guadalupe",
    "María",
    "José",
    "Juan",
    "Luis",
    "Ana",
    "Sofía",
    "Mateo",
    "Camila",
    "Diego",
    "Valeria",
    "Thanh",
    "Minh",
    "Linh",
    "Jin",
    "Wei",
    "Mei",
    "Hyun",
    "Ji-woo",
    "Armen",
    "Ani",
    "Tigran",
    "Keanu",
    "Leilani",
    "Malia",
    "Aaliyah",
    "Jamal",
    "DeShawn",
    "Imani",
    "Tyrone",
    "Michael",
    "Jennifer",
    "David",
    "Jessica",
    "Christopher",
    "Ashley",
    "Daniel",
    "Emily",
    "Ryan",
    "Samantha",
    "Maya",
    "Noah",
    "Olivia",
    "Ethan",
    "Isabella",
    "Priya",
    "Arjun",
    "Fatima",
    "Omar",
    "Yesenia",
    "Soledad",
    "Rogelio",
    "Esperanza",
]
LAST = [
    "García",
    "Hernández",
    "López",
    "Martínez",
    "González",
    "Rodríguez",
    "Pérez",
    "Sánchez",
    "Ramírez",
    "Flores",
    "Torres",
    "Rivera",
    "Ochoa",
    "Lozano",
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Kim",
    "Lee",
    "Park",
    "Chen",
    "Wang",
    "Li",
    "Petrosyan",
    "Hakobyan",
    "Sargsyan",
    "Kahale",
    "Akana",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Davis",
    "Miller",
    "Wilson",
    "Anderson",
    "Thomas",
    "Jackson",
    "White",
    "Harris",
    "Patel",
    "Singh",
    "Khan",
    "Ali",
    "Reyes",
    "Cruz",
    "Morales",
    "Gutiérrez",
    "Castillo",
    "Vargas",
]


def _write(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _months(today: datetime.date) -> list[datetime.date]:
    month, out = today.replace(day=1), []
    for _n in range(MONTHS):
        out.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return out


# The counties where benefit's demo has providers employing peers.
DEMO_COUNTIES = [
    "Los Angeles",
    "Alameda",
    "Fresno",
    "Kern",
    "Orange",
    "Riverside",
    "Sacramento",
    "San Bernardino",
    "San Diego",
    "San Francisco",
    "Santa Clara",
]


def _demo_counties() -> list[County]:
    """The demo counties, Los Angeles first."""
    counties = list(County.objects.filter(name__in=DEMO_COUNTIES))
    return sorted(counties, key=lambda c: (c.name != "Los Angeles", c.name))


def seed(stdout) -> None:
    today = clock.today()
    months = _months(today)
    made = 0
    for county in _demo_counties():
        made += _seed_county(county, months)
    if made:
        _write(stdout, f"Billing eligibility: {made} demo beneficiaries with {MONTHS} months of eligibility.")


def _seed_county(county: County, months: list[datetime.date]) -> int:
    prefix = f"9{int(county.code):02d}"
    if Beneficiary.objects.filter(county=county, cin__startswith=prefix).exists():
        return 0
    rng = random.Random(f"billing-demo-{county.code}")
    count = PER_COUNTY.get(county.name, OTHERS)
    people = [
        Beneficiary(
            county=county,
            cin=f"{prefix}{n:05d}{LETTERS[rng.randrange(len(LETTERS))]}",
            legal_first_name=rng.choice(FIRST),
            legal_last_name=rng.choice(LAST),
            date_of_birth=datetime.date(1945, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 60)),
        )
        for n in range(1, count + 1)
    ]
    Beneficiary.objects.bulk_create(people, batch_size=2000)
    ids = list(Beneficiary.objects.filter(county=county, cin__startswith=prefix).values_list("pk", flat=True))
    name = f"demo-eligibility-{county.code}.csv"
    record, _created = EligibilityImport.objects.get_or_create(
        county=county,
        sha256=hashlib.sha256(name.encode()).hexdigest(),
        defaults={"source": EligibilitySource.COUNTY_FILE, "original_name": name},
    )
    now = clock.now()
    rows = []
    for pk in ids:
        aid = rng.choice(AID_CODES)
        for month in months:
            draw = rng.random()
            if draw < 0.08:
                continue  # not verified yet: the gate holds it, the 270 asks about it
            eligible = draw >= 0.15
            rows.append(
                EligibilityMonth(
                    beneficiary_id=pk,
                    month=month,
                    eligible=eligible,
                    aid_code=aid if eligible else "",
                    source=EligibilitySource.COUNTY_FILE,
                    imported_from=record,
                    verified_at=now,
                )
            )
    EligibilityMonth.objects.bulk_create(rows, batch_size=5000)
    record.rows = len(rows)
    record.save(update_fields=["rows", "updated_at"])
    return len(people)
