"""Demo data for the benefit's rates: county rates in every state, interim DMC rates, federal authorities.

Idempotent: each demo rate is found by its county, kind, system, code, start and amount, and made
(through the services, so its history reads as it would) only when missing. Needs the demo sign-ins
of accounts.demo (county@, analyst@, approver@), not the workforce demo. Dates follow the state's
fiscal year (July to June) around today, so Los Angeles always has an approved H0038 SMHS rate in
force and next year's awaiting the demo approver.

The federal authorities carry plausible numbers and no document: they are examples, not copies of
the real approvals.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from peercert.accounts.models import County, User
from peercert.benefit import services
from peercert.benefit.models import FederalAuthority, Rate, RateKind, RateStatus
from peercert.core import clock
from peercert.core.errors import ApplicationError

COUNTY_STAFF = "county@demo.peercert.example"
ANALYST = "analyst@demo.peercert.example"
APPROVER = "approver@demo.peercert.example"
SINCE = datetime.date(2022, 7, 1)

AUTHORITIES = [
    {
        "number": "SPA 22-0026",
        "kind": "spa",
        "title": "Peer support services in specialty mental health and Drug Medi-Cal (State Plan)",
        "delivery_systems": ["smhs", "dmc"],
        "codes": ["H0038", "H0025"],
        "approved_on": datetime.date(2022, 10, 14),
    },
    {
        "number": "11-W-00193/9",
        "kind": "waiver_1115",
        "title": "CalAIM Section 1115 demonstration: DMC-ODS peer support and contingency management",
        "delivery_systems": ["dmc_ods"],
        "codes": ["H0038", "H0025", "H0050"],
        "approved_on": datetime.date(2021, 12, 29),
    },
    {
        "number": "CA-1915(b) CalAIM",
        "kind": "waiver_1915b",
        "title": "CalAIM Section 1915(b) waiver: SMHS and DMC-ODS county plans",
        "delivery_systems": ["smhs", "dmc_ods"],
        "codes": ["H0038", "H0025"],
        "approved_on": datetime.date(2021, 12, 29),
    },
]


def _fiscal_year_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year if day.month >= 7 else day.year - 1, 7, 1)


def _plan(today: datetime.date) -> list[dict]:
    """Every demo rate: who proposes it and where it ends up."""
    fy = _fiscal_year_start(today)
    fy_end = datetime.date(fy.year + 1, 6, 30)
    last_fy, last_fy_end = datetime.date(fy.year - 1, 7, 1), fy - datetime.timedelta(days=1)
    next_fy = datetime.date(fy.year + 1, 7, 1)
    county = {"kind": RateKind.COUNTY, "by": "county"}
    interim = {"kind": RateKind.INTERIM, "by": "analyst"}
    return [
        # Los Angeles: last year's and this year's H0038 SMHS approved, next year's awaiting the approver.
        {**county, "county": "Los Angeles", "system": "smhs", "code": "H0038", "amount": "41.25",
         "start": last_fy, "end": last_fy_end, "to": RateStatus.APPROVED},
        {**county, "county": "Los Angeles", "system": "smhs", "code": "H0038", "amount": "43.10",
         "start": fy, "end": fy_end, "to": RateStatus.APPROVED},
        {**county, "county": "Los Angeles", "system": "smhs", "code": "H0038", "amount": "44.75",
         "start": next_fy, "end": None, "to": RateStatus.SUBMITTED,
         "why": "FY cost report: peer wages up 3.5% under the new county contract."},
        {**county, "county": "Los Angeles", "system": "smhs", "code": "H0025", "amount": "38.00",
         "start": fy, "end": fy_end, "to": RateStatus.DRAFT},
        {**county, "county": "Los Angeles", "system": "dmc_ods", "code": "H0050", "amount": "22.00",
         "start": fy, "end": fy_end, "to": RateStatus.RETURNED,
         "comment": "Attach the cost basis for contingency management and say what one unit is."},
        # Other counties (proposed by the system, as if imported from their submissions).
        {**county, "by": None, "county": "Fresno", "system": "smhs", "code": "H0038", "amount": "39.40",
         "start": fy, "end": None, "to": RateStatus.APPROVED},
        {**county, "by": None, "county": "Fresno", "system": "dmc_ods", "code": "H0038", "amount": "58.90",
         "start": fy, "end": fy_end, "to": RateStatus.REJECTED,
         "comment": "Far above the statewide range for H0038 with no cost report to support it."},
        {**county, "by": None, "county": "Sacramento", "system": "smhs", "code": "H0038", "amount": "40.00",
         "start": fy, "end": fy_end, "to": RateStatus.WITHDRAWN},
        {**county, "by": None, "county": "Sacramento", "system": "dmc_ods", "code": "H0025", "amount": "35.50",
         "start": fy, "end": None, "to": RateStatus.SUBMITTED},
        {**county, "by": None, "county": "San Diego", "system": "dmc_ods", "code": "H0038", "amount": "42.00",
         "start": last_fy, "end": None, "to": RateStatus.APPROVED},
        {**county, "by": None, "county": "Alameda", "system": "smhs", "code": "H0038", "amount": "45.20",
         "start": fy, "end": None, "to": RateStatus.SUBMITTED},
        # Interim DMC rates, proposed by the demo analyst and decided by the demo approver.
        {**interim, "county": None, "system": "dmc", "code": "H0038", "amount": "30.00",
         "start": datetime.date(2023, 7, 1), "end": None, "to": RateStatus.APPROVED},
        {**interim, "county": None, "system": "dmc", "code": "H0025", "amount": "27.50",
         "start": fy, "end": None, "to": RateStatus.SUBMITTED},
        {**interim, "county": "Alpine", "system": "dmc", "code": "H0038", "amount": "31.50",
         "start": fy, "end": None, "to": RateStatus.APPROVED},
        {**interim, "county": None, "system": "dmc_ods", "code": "H0038", "amount": "32.00",
         "start": next_fy, "end": None, "to": RateStatus.DRAFT},
    ]  # fmt: skip


def _make(spec: dict, users: dict) -> bool:
    county = County.objects.get(name=spec["county"]) if spec["county"] else None
    exists = Rate.objects.filter(
        kind=spec["kind"],
        county=county,
        delivery_system=spec["system"],
        code=spec["code"],
        effective_from=spec["start"],
        amount=Decimal(spec["amount"]),
    ).exists()
    if exists:
        return False
    proposer = users[spec["by"]] if spec["by"] else None
    terms = {
        "county": county,
        "delivery_system": spec["system"],
        "code": spec["code"],
        "amount": spec["amount"],
        "effective_from": spec["start"],
        "effective_to": spec["end"],
        "justification": spec.get("why", "Demo rate."),
    }
    propose = services.rate_propose if spec["kind"] == RateKind.COUNTY else services.interim_rate_propose
    rate = propose(actor=proposer, **terms)
    to = spec["to"]
    if to == RateStatus.DRAFT:
        return True
    if to == RateStatus.WITHDRAWN:
        services.rate_withdraw(actor=proposer, rate=rate, reason="Replaced by a rate with a cost report.")
        return True
    services.rate_submit(actor=proposer, rate=rate)
    approver = users["approver"]
    if to == RateStatus.APPROVED:
        services.rate_approve(actor=approver, rate=rate)
    elif to == RateStatus.RETURNED:
        services.rate_return(actor=approver, rate=rate, comment=spec["comment"])
    elif to == RateStatus.REJECTED:
        services.rate_reject(actor=approver, rate=rate, comment=spec["comment"])
    return True


def seed(stdout) -> None:
    users = {key: User.objects.filter(email=email).first() for key, email in (
        ("county", COUNTY_STAFF), ("analyst", ANALYST), ("approver", APPROVER))}  # fmt: skip
    made_authorities = 0
    for spec in AUTHORITIES:
        if not FederalAuthority.objects.filter(number=spec["number"]).exists():
            services.authority_record(actor=users["analyst"], effective_from=SINCE, **spec)
            made_authorities += 1
    if None in users.values():
        if stdout is not None:
            stdout.write("benefit rates: demo sign-ins missing, so no demo rates (run accounts' demo first)\n")
        return
    made = 0
    for spec in _plan(clock.today()):
        try:
            with transaction.atomic():
                made += _make(spec, users)
        except ApplicationError as refused:
            # Run again in a later fiscal year, a new period can meet one approved before: keep the old.
            if stdout is not None:
                stdout.write(f"benefit rates: skipped a demo rate ({refused.message})\n")
    if stdout is not None:
        stdout.write(f"benefit rates: {made} demo rates and {made_authorities} federal authorities added\n")
