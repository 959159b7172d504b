"""Demo data for oversight's reports part: Medi-Cal members for every county (plausible figures, about
13.9 million statewide as in early 2025), and last fiscal year's certification, billing and annual reports
already run by the demo DHCS analyst. Safe to run again."""

import datetime

from django.db import transaction

# Rounded, plausible Medi-Cal enrollment by county (early 2025); the state replaces them with its own.
MEMBERS = {
    "Alameda": 420_000,
    "Alpine": 400,
    "Amador": 10_000,
    "Butte": 90_000,
    "Calaveras": 13_000,
    "Colusa": 9_000,
    "Contra Costa": 290_000,
    "Del Norte": 13_000,
    "El Dorado": 40_000,
    "Fresno": 530_000,
    "Glenn": 13_000,
    "Humboldt": 55_000,
    "Imperial": 110_000,
    "Inyo": 5_500,
    "Kern": 470_000,
    "Kings": 70_000,
    "Lake": 30_000,
    "Lassen": 9_000,
    "Los Angeles": 3_950_000,
    "Madera": 80_000,
    "Marin": 45_000,
    "Mariposa": 5_000,
    "Mendocino": 40_000,
    "Merced": 160_000,
    "Modoc": 3_200,
    "Mono": 3_500,
    "Monterey": 190_000,
    "Napa": 35_000,
    "Nevada": 25_000,
    "Orange": 950_000,
    "Placer": 75_000,
    "Plumas": 5_500,
    "Riverside": 900_000,
    "Sacramento": 480_000,
    "San Benito": 20_000,
    "San Bernardino": 1_000_000,
    "San Diego": 900_000,
    "San Francisco": 250_000,
    "San Joaquin": 330_000,
    "San Luis Obispo": 60_000,
    "San Mateo": 150_000,
    "Santa Barbara": 150_000,
    "Santa Clara": 480_000,
    "Santa Cruz": 75_000,
    "Shasta": 65_000,
    "Sierra": 900,
    "Siskiyou": 18_000,
    "Solano": 130_000,
    "Sonoma": 130_000,
    "Stanislaus": 250_000,
    "Sutter": 40_000,
    "Tehama": 30_000,
    "Trinity": 5_000,
    "Tulare": 270_000,
    "Tuolumne": 18_000,
    "Ventura": 260_000,
    "Yolo": 60_000,
    "Yuba": 35_000,
}
AS_OF = datetime.date(2025, 1, 1)
SOURCE = "Demo figures (rounded, plausible); the state loads the Medi-Cal eligibility counts"
ANALYST = "analyst@demo.peercert.example"
RUNS = (("certification", "xlsx"), ("billing", "xlsx"), ("annual", "pdf"), ("annual", "xlsx"))


def seed(stdout) -> None:
    from peercert.accounts.models import County, User
    from peercert.core import clock
    from peercert.oversight import reports, services
    from peercert.oversight.models.reports import CountyMedicalMembers, ReportRun, ReportRunStatus

    counties = dict(County.objects.values_list("name", "pk"))
    added = 0
    for name, members in MEMBERS.items():
        if name in counties:
            _row, created = CountyMedicalMembers.objects.get_or_create(
                county_id=counties[name], as_of=AS_OF, defaults={"members": members, "source": SOURCE}
            )
            added += created
    stdout.write(f"  oversight reports: Medi-Cal members for {len(MEMBERS)} counties ({added} added)")

    analyst = User.objects.filter(email=ANALYST).first()
    if analyst is None:
        stdout.write("  oversight reports: no demo analyst, so no reports run")
        return
    year = reports.last_fiscal_year_start(clock.today())
    period = reports.period_of("fiscal_year", year)
    made = 0
    for report, fmt in RUNS:
        if ReportRun.objects.filter(
            report=report, format=fmt, period_start=period.start, status=ReportRunStatus.DONE, county__isnull=True
        ).exists():
            continue
        with transaction.atomic():
            run = services.report_run_request(
                actor=analyst, report=report, period_kind="fiscal_year", year=year, format=fmt
            )
        # Built here rather than by a worker, so the demo shows them ready (the queued task then finds it done).
        services.report_run_execute(run_id=run.pk)
        made += 1
    stdout.write(f"  oversight reports: {period.label} reports run ({made} new)")
