"""Demo data for billing's gate: six months of services for the employed demo peers, checked, and one
EHR-style 837P imported into Los Angeles in which some lines fail each gate reason.

Also the small 837P builder the demo and the tests use to write an EHR's file (ehr_837p)."""

import datetime
from decimal import Decimal

from django.db import transaction

# ---- An EHR's 837P, as SmartCare or myAvatar would write it ------------------------------------


def _isa(control: int, when: datetime.datetime) -> str:
    parts = [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        "COUNTYEHR".ljust(15),
        "ZZ",
        "DHCSSDMC".ljust(15),
        when.strftime("%y%m%d"),
        when.strftime("%H%M"),
        "^",
        "00501",
        f"{control:09d}",
        "0",
        "T",
        ":",
    ]
    return "*".join(parts) + "~"


def ehr_837p(
    *,
    billing_npi: str,
    claims: list[dict],
    control: int = 1,
    when: datetime.datetime | None = None,
    version: str = "005010X222A1",
    newline: bool = True,
) -> bytes:
    """An 837P file. Each claim: {"id", "cin", "place" ("11"), "npi" (claim-level rendering, optional),
    "lines": [{"code", "modifiers" [..], "units" or "minutes", "charge", "date", "npi" (optional), "ref"}]}."""
    when = when or datetime.datetime(2026, 11, 2, 9, 30)
    body = [
        f"BHT*0019*00*{control:06d}*{when:%Y%m%d}*{when:%H%M}*CH",
        "NM1*41*2*COUNTY BEHAVIORAL HEALTH EHR*****46*CBHEHR",
        "PER*IC*BILLING DESK*TE*2135550100",
        "NM1*40*2*DHCS SHORT-DOYLE MEDI-CAL*****46*DHCSSDMC",
        "HL*1**20*1",
        "PRV*BI*PXC*261QM0801X",
        f"NM1*85*2*COUNTY BEHAVIORAL HEALTH*****XX*{billing_npi}",
        "N3*550 S VERMONT AVE",
        "N4*LOS ANGELES*CA*900201912",
        "REF*EI*956000930",
    ]
    hl = 1
    for claim in claims:
        hl += 1
        lines = claim["lines"]
        total = sum((Decimal(str(line.get("charge", "0"))) for line in lines), Decimal("0"))
        body += [
            f"HL*{hl}*1*22*0",
            "SBR*P*18*******MC",
            f"NM1*IL*1*MEMBER*MEDI-CAL****MI*{claim['cin']}",
            "NM1*PR*2*MEDI-CAL*****PI*DHCS",
            f"CLM*{claim['id']}*{total:.2f}***{claim.get('place', '11')}:B:1*Y*A*Y*Y",
            "HI*ABK:F329",
        ]
        if claim.get("npi"):
            body.append(f"NM1*82*1*PEER*SPECIALIST****XX*{claim['npi']}")
        for number, line in enumerate(lines, start=1):
            procedure = ":".join(["HC", line.get("code", "H0038"), *line.get("modifiers", [])])
            measure, quantity = ("MJ", line["minutes"]) if "minutes" in line else ("UN", line.get("units", 4))
            body += [
                f"LX*{number}",
                f"SV1*{procedure}*{Decimal(str(line.get('charge', '0'))):.2f}*{measure}*{quantity}***1",
                f"DTP*472*D8*{line['date']:%Y%m%d}",
            ]
            if line.get("ref"):
                body.append(f"REF*6R*{line['ref']}")
            if line.get("npi"):
                body.append(f"NM1*82*1*PEER*SPECIALIST****XX*{line['npi']}")
    transaction_set = ["ST*837*0001*" + version, *body]
    transaction_set.append(f"SE*{len(transaction_set) + 1}*0001")
    segments = [
        _isa(control, when)[:-1],
        f"GS*HC*COUNTYEHR*DHCSSDMC*{when:%Y%m%d}*{when:%H%M}*{control}*X*{version}",
        *transaction_set,
        f"GE*1*{control}",
        f"IEA*1*{control:09d}",
    ]
    return ("~\n" if newline else "~").join(segments).encode("ascii") + b"~\n"


# ---- The demo ---------------------------------------------------------------------------------

DEMO_FILE = "demo-ehr-837p.x12"
SERVICES_FILE = "demo-six-months.csv"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _write(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _demo_npi(seed: int) -> str:
    """A 10-digit NPI with a correct Luhn check digit (prefix 80840)."""
    body = f"16{seed % 10**7:07d}"
    total = 0
    for i, d in enumerate(reversed([int(x) for x in "80840" + body])):
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return body + str((10 - total % 10) % 10)


def _beneficiaries(county, today, count: int = 60) -> list:
    """The county's beneficiaries (the eligibility demo's, else a small set of our own, each verified
    eligible for the last seven months)."""
    from peercert.billing.models import Beneficiary, EligibilityMonth
    from peercert.core.dates import add_months

    have = list(Beneficiary.objects.filter(county=county).order_by("pk")[:count])
    if len(have) >= count // 2:
        return have
    base = 70_000_000 + county.pk * 10_000
    rows = [
        Beneficiary(
            county=county,
            cin=f"{base + i:08d}{LETTERS[i % 24]}",
            legal_first_name=["Rosa", "Minh", "Leilani", "Jorge", "Ani", "Beatriz"][i % 6],
            legal_last_name=["Quintero", "Phan", "Akana", "Salas", "Hakobyan", "Villalobos"][i % 6],
            date_of_birth=datetime.date(1970 + i % 35, 1 + i % 12, 1 + i % 28),
        )
        for i in range(count)
    ]
    Beneficiary.objects.bulk_create(rows, ignore_conflicts=True)
    have = list(Beneficiary.objects.filter(county=county, cin__in=[r.cin for r in rows]).order_by("pk"))
    first = today.replace(day=1)
    months = [add_months(first, -m) for m in range(7)]
    existing = set(
        EligibilityMonth.objects.filter(beneficiary__in=have, superseded_at__isnull=True).values_list(
            "beneficiary_id", "month"
        )
    )
    EligibilityMonth.objects.bulk_create(
        [
            EligibilityMonth(
                beneficiary=b,
                month=month,
                eligible=True,
                aid_code="1H",
                source="county_file",
                verified_at=datetime.datetime.combine(month, datetime.time(12), tzinfo=datetime.UTC),
            )
            for b in have
            for month in months
            if (b.pk, month) not in existing
        ]
    )
    return have


def _employments(county):
    from peercert.benefit import selectors as benefit_selectors  # noqa: F401 - the contract we build on
    from peercert.billing.models import ServiceLine

    model = ServiceLine._meta.get_field("employment").related_model
    rows = list(model.objects.filter(county=county, status="hired", hired_on__isnull=False).order_by("pk"))
    # The benefit demo records no individual NPIs; an EHR's 837P names each peer by one.
    for e in rows:
        if not e.individual_npi:
            e.individual_npi = _demo_npi(e.pk)
            model.objects.filter(pk=e.pk).update(individual_npi=e.individual_npi)
    return rows


def _six_months_csv(employments, beneficiaries, today) -> bytes:
    """About 20 services a month for each hired peer over the last six months, as a county file."""
    rows = [
        "rendering_npi,cin,service_date,minutes,code,delivery_system,place_of_service,modifiers,group_size,reference"
    ]
    first = today.replace(day=1)
    n = 0
    from peercert.benefit import selectors as benefit_selectors

    for e in employments:
        for month in range(6):
            start = first - datetime.timedelta(days=30 * month + 28)
            # A county bills what it may: months in which the peer had a trained supervisor (the
            # 837P below shows the gate holding the rest).
            if not benefit_selectors.trained_supervisor_on(e, max(start, e.hired_on)):
                continue
            for k in range(20):
                day = start + datetime.timedelta(days=(k * 3 + e.pk) % 27)
                if day > today or day < e.hired_on:
                    continue
                b = beneficiaries[(e.pk * 7 + k * 13 + month) % len(beneficiaries)]
                minutes = [30, 45, 60, 60, 90, 20][(k + month) % 6]
                rows.append(
                    f"{e.individual_npi},{b.cin},{day.isoformat()},{minutes},H0038,smhs,11,,,D{e.pk}-{month}-{k}"
                )
                n += 1
    return ("\r\n".join(rows) + "\r\n").encode() if n else b""


def _ehr_claims(employments, beneficiaries, today) -> list[dict]:
    """Claims in which some lines pass and some fail each gate reason (utilization has no rule yet)."""
    e, b = employments[0], beneficiaries
    npi = e.individual_npi
    recent = max(e.hired_on, today - datetime.timedelta(days=20))
    claims = [
        # Billable lines, one a duplicate of the other.
        {
            "id": "SC-24001",
            "cin": b[0].cin,
            "npi": npi,
            "lines": [
                {"units": 4, "charge": "165.00", "date": recent, "ref": "NOTE-1"},
                {"units": 4, "charge": "165.00", "date": recent, "ref": "NOTE-1-AGAIN"},
                {"minutes": 5, "charge": "0.00", "date": recent, "ref": "NOTE-2"},
            ],
        },
        # Not in this county's records: a CIN no beneficiary has, an NPI no employment holds.
        {"id": "SC-24002", "cin": "99999990A", "npi": npi, "lines": [{"units": 2, "charge": "82.50", "date": recent}]},
        {
            "id": "SC-24003",
            "cin": b[1].cin,
            "npi": "1999999996",
            "lines": [{"units": 2, "charge": "82.50", "date": recent}],
        },
        # A code not allowed in SMHS (and unpriced there); a month not verified; past timely filing.
        {
            "id": "SC-24004",
            "cin": b[2].cin,
            "npi": npi,
            "lines": [
                {"code": "H0050", "units": 1, "charge": "40.00", "date": recent},
                {"units": 3, "charge": "123.75", "date": today.replace(day=1) - datetime.timedelta(days=240)},
                {"units": 3, "charge": "123.75", "date": today - datetime.timedelta(days=430)},
            ],
        },
    ]
    # Before the hire (so not hired, no supervisor, no directing professional yet).
    late = [
        x
        for x in employments
        if x.hired_on > x.start_on and x.hired_on - datetime.timedelta(days=1) > today - datetime.timedelta(days=300)
    ]
    before = late[0] if late else e
    claims.append(
        {
            "id": "SC-24005",
            "cin": b[3].cin,
            "npi": before.individual_npi,
            "lines": [
                {
                    "units": 2,
                    "charge": "82.50",
                    "date": max(before.start_on, before.hired_on - datetime.timedelta(days=1)),
                }
            ],
        }
    )
    # A peer whose certification is not active on the date (their employment's certification lapsed or is gone).
    lapsed = _lapsed(employments, today)
    if lapsed is not None:
        claims.append(
            {
                "id": "SC-24006",
                "cin": b[4].cin,
                "npi": lapsed[0].individual_npi,
                "lines": [{"units": 2, "charge": "82.50", "date": lapsed[1]}],
            }
        )
    return claims


def _lapsed(employments, today):
    from peercert.certification import selectors as certification_selectors

    for e in employments[1:40]:
        day = today - datetime.timedelta(days=5)
        if day >= e.hired_on and certification_selectors.certification_active_on(e.person, day) is None:
            return e, day
    return None


@transaction.atomic
def seed(stdout) -> None:
    """Six months of services for each demo county's hired peers (one checked batch per county), and
    the EHR's 837P imported into Los Angeles. Idempotent: a county's files are imported once."""
    from peercert.accounts.models import County
    from peercert.billing import services
    from peercert.billing.models import ServiceBatch
    from peercert.core import clock

    today = clock.today()
    for county in County.objects.filter(name__in=["Los Angeles", "Fresno", "Alameda", "San Diego"]).order_by("name"):
        employments = _employments(county)
        if not employments:
            continue
        beneficiaries = _beneficiaries(county, today)
        content = b""
        if not ServiceBatch.objects.filter(county=county, original_name=SERVICES_FILE).exists():
            content = _six_months_csv(employments, beneficiaries, today)
        if content:
            batch = services.batch_import(
                actor=None,
                county=county,
                content=content,
                filename=SERVICES_FILE,
                at_once=True,
            )
            _write(
                stdout,
                f"  {county.name}: {batch.line_count} demo service lines checked ({batch.counts.get('by_status')})\n",
            )
        if (
            county.name == "Los Angeles"
            and not ServiceBatch.objects.filter(county=county, original_name=DEMO_FILE).exists()
        ):
            provider_npi = employments[0].provider.npi
            content = ehr_837p(
                billing_npi=provider_npi, claims=_ehr_claims(employments, beneficiaries, today), control=24
            )
            batch = services.batch_import(actor=None, county=county, content=content, filename=DEMO_FILE, at_once=True)
            _write(
                stdout, f"  Los Angeles: the EHR's 837P, {batch.line_count} lines ({batch.counts.get('by_reason')})\n"
            )
