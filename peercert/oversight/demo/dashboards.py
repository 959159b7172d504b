"""Demo data for oversight's dashboards part. Safe to run again.

The registry's demo peers are spread thinly over all 58 counties (two or three each), so on the public
dashboard nearly every county is suppressed. This adds certified peers in a few large counties, with
California names and languages, so the page shows real figures beside the small, suppressed counties.
Through certification's factory (no service issues a certification without its whole application)."""

import datetime

from peercert.accounts.models import CertificationProgram, County, Person
from peercert.core import clock
from peercert.core.dates import add_years
from peercert.core.rules import rules_on

DOMAIN = "opendata.demo.peercert.example"
# County: active certified peers added (on top of the registry demo's two or three).
COUNTIES = {
    "Los Angeles": 46,
    "San Diego": 29,
    "Sacramento": 18,
    "Fresno": 13,
    "Alameda": 11,
    "Riverside": 12,
    # Rural counties with a few peers each: the public dashboard suppresses them.
    "Alpine": 2,
    "Sierra": 4,
    "Modoc": 3,
    "Mono": 6,
    "Trinity": 5,
}
FIRST = [
    "Guadalupe",
    "Mai",
    "Jasmine",
    "Marisol",
    "Tuan",
    "Rosa",
    "Darnell",
    "Imelda",
    "Keanu",
    "Yesenia",
    "Arash",
    "Lorena",
]
LAST = [
    "Ramírez",
    "Trần",
    "Washington",
    "Castañeda",
    "Nguyễn",
    "Villaseñor",
    "Okafor",
    "Bautista",
    "Kahale",
    "Orozco",
    "Tehrani",
    "Muñoz",
]
LANGUAGES = ["en", "es", "es", "en", "vi", "es", "en", "tl", "en", "es", "fa", "es"]


def seed(stdout) -> None:
    from peercert.accounts.tests.factories import PersonFactory
    from peercert.certification.tests.factories import CertificationFactory

    if Person.objects.filter(email__endswith="@" + DOMAIN).exists():
        stdout.write("  oversight: open-data demo peers already there\n")
        return
    today = clock.today()
    program = CertificationProgram.objects.get(code="statewide")
    term = int(rules_on(today).certification_term_years)
    made = 0
    for county_index, (name, count) in enumerate(COUNTIES.items()):
        county = County.objects.get(name=name)
        for i in range(count):
            n = county_index * 100 + i
            person = PersonFactory(
                email=f"peer{n:04d}@{DOMAIN}",
                legal_first_name=FIRST[n % len(FIRST)],
                legal_last_name=LAST[(n * 5 + county_index) % len(LAST)],
                preferred_language=LANGUAGES[n % len(LANGUAGES)],
                date_of_birth=datetime.date(1965 + n % 35, 1 + n % 12, 1 + n % 28),
            )
            issued = today - datetime.timedelta(days=20 + (n * 23) % 540)
            CertificationFactory(
                # A range of its own, far above the program's counter, so no number is used twice.
                number=f"PSS-9{n:05d}",
                person=person,
                program=program,
                county=county,
                issued_on=issued,
                expires_on=add_years(issued, term),
                status_changed_on=issued,
            )
            made += 1
    from peercert.oversight.services.dashboards import public_dashboard_invalidate

    public_dashboard_invalidate()
    stdout.write(f"  oversight: {made} certified peers added in {len(COUNTIES)} counties for the open-data dashboard\n")
