"""oversight: the dashboards part's selectors.

Every figure is an aggregate computed in SQL by the app that owns the records (its selectors' "for
oversight dashboards" section); nothing here loads a row of a person. The public dashboard's tables go
through small-cell suppression (selectors/suppression.py, re-exported here) before anyone sees them,
and are cached until a certification changes.
"""

import datetime
import uuid

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from peercert.accounts.models import County, Language
from peercert.benefit import selectors as benefit_selectors
from peercert.billing import selectors as billing_selectors
from peercert.certification import selectors as certification_selectors
from peercert.core import clock
from peercert.core.dates import add_months
from peercert.core.rules import rules_on
from peercert.core.vocabulary import Specialization
from peercert.discipline import selectors as discipline_selectors
from peercert.exams import selectors as exams_selectors
from peercert.oversight import permissions
from peercert.oversight.selectors.suppression import CountTable, PublishedTable, RateSpec, suppress, suppress_together
from peercert.renewal import selectors as renewal_selectors

__all__: list[str] = [
    "CountTable",
    "PUBLIC_CACHE_SECONDS",
    "PublishedTable",
    "RateSpec",
    "county_dashboard",
    "fiscal_year_start",
    "public_dashboard",
    "public_dashboard_generation_bump",
    "public_dashboard_json",
    "public_table",
    "public_tables",
    "quality_dashboard",
    "statewide_dashboard",
    "suppress",
    "suppress_together",
    "suppression_threshold",
]

# The public dashboard is rebuilt when a certification changes (wiring_dashboards.py); the time limit
# only bounds how stale a worker's copy can be when the cache is per process.
PUBLIC_CACHE_SECONDS = 300
GENERATION_KEY = "oversight:public-dashboard:generation"
MONTHS_SHOWN = 24
QUARTERS_SHOWN = 8


def suppression_threshold(day: datetime.date | None = None) -> int:
    """The smallest count that may be published (ProgramRules small_cell_suppression)."""
    return int(rules_on(day).small_cell_suppression)


def fiscal_year_start(day: datetime.date) -> datetime.date:
    """The first day of the state fiscal year (July to June) holding the day."""
    return datetime.date(day.year if day.month >= 7 else day.year - 1, 7, 1)


def _members_by_county(on_date: datetime.date) -> dict[int, int]:
    """Medi-Cal members per county on a date, from the reports part's reference table."""
    from peercert.oversight.selectors import reports

    return dict(reports.members_by_county(on_date))


def _open_corrective_actions_by_county() -> dict[int | None, int]:
    """Open corrective actions from DHCS's monitoring reviews (the integrity app), per county."""
    from peercert.integrity import selectors as integrity_selectors

    return integrity_selectors.open_corrective_actions_by_county()


# ---- The public open-data dashboard ---------------------------------------------------------------


def _month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    first = today.replace(day=1)
    return [add_months(first, -i) for i in range(count - 1, -1, -1)]


def _quarter_starts(today: datetime.date, count: int) -> list[datetime.date]:
    first = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return [add_months(first, -3 * i) for i in range(count - 1, -1, -1)]


def _month_label(day: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "YEAR_MONTH_FORMAT")


def _quarter_label(day: datetime.date) -> str:
    return _("Q%(quarter)s %(year)s") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def public_tables(today: datetime.date | None = None) -> list[PublishedTable]:
    """The public dashboard's tables, suppressed together, in the active language."""
    today = today or clock.today()
    threshold = suppression_threshold(today)
    counties = list(County.objects.order_by("name").values_list("pk", "name"))
    by_county = certification_selectors.certified_peer_counts("county")
    members = _members_by_county(today)
    rows = [(str(pk), name, by_county.get(pk, 0), members.get(pk)) for pk, name in counties]
    if by_county.get(None):
        rows.append(("unknown", _("County not recorded"), by_county[None], None))
    state_members = sum(members.values()) if members else None
    peers_by_county = CountTable(
        key="peers_by_county",
        title=_("Certified peers by county"),
        row_header=_("County"),
        rows=tuple(r[1] for r in rows),
        row_keys=tuple(r[0] for r in rows),
        columns=(_("Certified peers"),),
        column_keys=("certified_peers",),
        values=tuple((r[2],) for r in rows),
        column_totals=True,
        total_label=_("California"),
        rates=(
            RateSpec(
                key="per_100k_members",
                label=_("Per 100,000 Medi-Cal members"),
                numerator=0,
                denominator="external",
                scale=100_000,
                external=tuple(r[3] for r in rows),
                external_total=state_members,
            ),
        ),
        # The same quantities other published tables (the reports' federal package) may show.
        keys={
            ("column_total", 0): "peers/state",
            **{("cell", i, 0): f"peers/county/{r[0]}" for i, r in enumerate(rows)},
        },
    )

    by_language = certification_selectors.certified_peer_counts("language")
    languages = list(Language.choices)
    peers_by_language = CountTable(
        key="peers_by_language",
        title=_("Certified peers by language"),
        row_header=_("Language"),
        rows=tuple(str(label) for _code, label in languages),
        row_keys=tuple(code for code, _label in languages),
        columns=(_("Certified peers"),),
        column_keys=("certified_peers",),
        values=tuple((by_language.get(code, 0),) for code, _label in languages),
        column_totals=True,
        total_label=_("California"),
        keys={("column_total", 0): "peers/state"},
    )

    by_specialization = certification_selectors.certified_peer_counts("specialization")
    peers_by_specialization = CountTable(
        key="peers_by_specialization",
        title=_("Certified peers by specialization"),
        row_header=_("Specialization"),
        rows=tuple(str(label) for _code, label in Specialization.choices),
        row_keys=tuple(code for code, _label in Specialization.choices),
        columns=(_("Certified peers"),),
        column_keys=("certified_peers",),
        # A peer may hold several specializations, so these add up to no published total.
        values=tuple((by_specialization.get(code, 0),) for code, _label in Specialization.choices),
    )

    quarters = _quarter_starts(today, QUARTERS_SHOWN)
    results = {_as_date(k): v for k, v in exams_selectors.attempt_results(quarters[0], today, by="quarter").items()}
    exam_pass_rates = CountTable(
        key="exam_pass_rates",
        title=_("Certification exam results by quarter"),
        row_header=_("Quarter"),
        rows=tuple(_quarter_label(q) for q in quarters),
        row_keys=tuple(q.isoformat() for q in quarters),
        columns=(_("Passed"), _("Did not pass")),
        column_keys=("passed", "did_not_pass"),
        values=tuple((results.get(q, {}).get("passed", 0), results.get(q, {}).get("failed", 0)) for q in quarters),
        row_totals=True,
        column_totals=True,
        total_label=_("All quarters shown"),
        row_total_label=_("Attempts"),
        rates=(RateSpec(key="pass_rate_percent", label=_("Pass rate (%)"), numerator=0, denominator="total"),),
    )
    months = _month_starts(today, MONTHS_SHOWN)
    issued = {
        _as_date(k): v for k, v in certification_selectors.certifications_issued_by_month(months[0], today).items()
    }
    issued_by_month = CountTable(
        key="certifications_issued_by_month",
        title=_("Certifications issued per month"),
        row_header=_("Month"),
        rows=tuple(_month_label(m) for m in months),
        row_keys=tuple(m.isoformat()[:7] for m in months),
        columns=(_("Certifications issued"),),
        column_keys=("issued",),
        values=tuple((issued.get(m, 0),) for m in months),
        column_totals=True,
        total_label=_("All months shown"),
    )
    tables = suppress_together(
        [peers_by_county, peers_by_language, peers_by_specialization, exam_pass_rates, issued_by_month],
        threshold=threshold,
    )
    return tables


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY) or generation
    return generation


def public_dashboard_generation_bump() -> None:
    """Forget every cached copy of the public dashboard (a certification changed)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def public_dashboard(today: datetime.date | None = None) -> dict:
    """The public dashboard as JSON-ready data: every table already suppressed. Cached per language
    and day until a certification changes."""
    today = today or clock.today()
    language = translation.get_language() or "en"
    key = f"oversight:public-dashboard:{_generation()}:{language}:{today.isoformat()}"
    data = cache.get(key)
    if data is None:
        threshold = suppression_threshold(today)
        data = {
            "as_of": today.isoformat(),
            "threshold": threshold,
            "tables": [t.as_dict() for t in public_tables(today)],
        }
        cache.set(key, data, PUBLIC_CACHE_SECONDS)
    return data


def public_dashboard_json(today: datetime.date | None = None) -> bytes:
    """public_dashboard as the API sends it, encoded once and cached beside it (the API's hot path is a
    cache read: no query, no per-request validation or encoding)."""
    import json

    today = today or clock.today()
    language = translation.get_language() or "en"
    key = f"oversight:public-dashboard-json:{_generation()}:{language}:{today.isoformat()}"
    body = cache.get(key)
    if body is None:
        body = json.dumps(public_dashboard(today), ensure_ascii=False, separators=(",", ":")).encode()
        cache.set(key, body, PUBLIC_CACHE_SECONDS)
    return body


def public_table(key: str, today: datetime.date | None = None) -> dict | None:
    for table in public_dashboard(today)["tables"]:
        if table["key"] == key:
            return table
    return None


# ---- Staff dashboards -------------------------------------------------------------------------------


def _county_figures(today: datetime.date) -> dict[int, dict]:
    """Per county: certified peers now, employed and hired now, and this fiscal year's billing."""
    start = fiscal_year_start(today)
    peers = certification_selectors.certified_peer_counts("county")
    employment = benefit_selectors.employment_counts_by_county()
    billing = billing_selectors.billing_totals_by_county(start, today)
    figures = {}
    for pk in County.objects.values_list("pk", flat=True):
        bill = billing.get(pk, {})
        work = employment.get(pk, {})
        figures[pk] = {
            "certified_peers": peers.get(pk, 0),
            "employed": work.get("employed", 0),
            "hired": work.get("hired", 0),
            "services": bill.get("services", 0),
            "units": bill.get("units", 0),
            "beneficiaries": bill.get("beneficiaries", 0),
            "billed": bill.get("billed", 0),
            "paid": bill.get("paid", 0),
            "denied": bill.get("denied", 0),
        }
    return figures


def figure_columns() -> list[tuple[str, str, str]]:
    """(key, label, kind) of the county figures, kind "count" or "money"."""
    return [
        ("certified_peers", _("Certified peers"), "count"),
        ("employed", _("Peers employed"), "count"),
        ("hired", _("Formally hired"), "count"),
        ("services", _("Services"), "count"),
        ("units", _("Units"), "count"),
        ("beneficiaries", _("Unique beneficiaries"), "count"),
        ("billed", _("Billed ($)"), "money"),
        ("paid", _("Paid ($)"), "money"),
        ("denied", _("Denied ($)"), "money"),
    ]


def _state_total(figures: dict[int, dict]) -> dict:
    # Unique beneficiaries are per county: a person served in two counties counts in each.
    return {key: sum(f[key] for f in figures.values()) for key, _label, _kind in figure_columns()}


def statewide_dashboard(actor, today: datetime.date | None = None) -> dict:
    """Every county side by side, for DHCS and the auditor (empty for anyone else)."""
    if not permissions.can_see_statewide_dashboard(actor):
        return {"rows": [], "total": {}, "columns": figure_columns()}
    today = today or clock.today()
    figures = _county_figures(today)
    names = dict(County.objects.values_list("pk", "name"))
    rows = [{"county_id": pk, "county": names[pk], **f} for pk, f in sorted(figures.items(), key=lambda i: names[i[0]])]
    return {
        "rows": rows,
        "total": _state_total(figures),
        "columns": figure_columns(),
        "period_start": fiscal_year_start(today),
        "today": today,
    }


def county_dashboard(actor, county_id: int, today: datetime.date | None = None) -> dict | None:
    """One county's figures beside the state's, for that county's own staff (None otherwise)."""
    if county_id not in permissions.dashboard_county_ids(actor):
        return None
    today = today or clock.today()
    figures = _county_figures(today)
    months = _month_starts(today, 12)
    county_issued = {
        _as_date(k): v
        for k, v in certification_selectors.certifications_issued_by_month(
            months[0], today, county_id=county_id
        ).items()
    }
    state_issued = {
        _as_date(k): v for k, v in certification_selectors.certifications_issued_by_month(months[0], today).items()
    }
    return {
        "county": County.objects.get(pk=county_id),
        "mine": figures.get(county_id, {}),
        "state": _state_total(figures),
        "columns": figure_columns(),
        "months": [
            {"label": _month_label(m), "county": county_issued.get(m, 0), "state": state_issued.get(m, 0)}
            for m in months
        ],
        "period_start": fiscal_year_start(today),
        "today": today,
    }


def _percent(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return f"{100 * part / whole:.1f}"


def quality_dashboard(actor, today: datetime.date | None = None) -> dict | None:
    """The program's quality measures over the last 12 months against ProgramRules' targets."""
    if not permissions.can_see_quality_dashboard(actor):
        return None
    today = today or clock.today()
    rules = rules_on(today)
    start = add_months(today, -12) + datetime.timedelta(days=1)
    target = int(rules.application_review_target_days)
    applications = certification_selectors.application_timeliness(start, today, target_days=target)
    forms = exams_selectors.attempt_results(start, today, by="form")
    renewals = renewal_selectors.renewal_outcomes(start, today)
    complaints = discipline_selectors.complaint_timeliness(start, today)
    corrective = _open_corrective_actions_by_county()
    exam_rows = [
        {
            "form": code,
            "passed": r["passed"],
            "failed": r["failed"],
            "attempts": r["passed"] + r["failed"],
            "rate": _percent(r["passed"], r["passed"] + r["failed"]),
        }
        for code, r in sorted(forms.items())
    ]
    due = renewals["on_time"] + renewals["late"] + renewals["not_renewed"]
    return {
        "start": start,
        "today": today,
        "target_days": target,
        "applications": {
            **applications,
            "on_time_rate": _percent(applications["decided_on_time"], applications["decided"]),
        },
        "exams": exam_rows,
        "renewals": {
            **renewals,
            "due": due,
            "on_time_rate": _percent(renewals["on_time"], due),
            "late_rate": _percent(renewals["late"], due),
            "not_renewed_rate": _percent(renewals["not_renewed"], due),
        },
        "complaints": {
            **complaints,
            "ack_rate": _percent(complaints["acknowledged_on_time"], complaints["received"]),
            "decided_rate": _percent(
                complaints["decided_on_time"], complaints["decided_on_time"] + complaints["decided_late"]
            ),
        },
        "corrective_actions": None if corrective is None else sum(corrective.values()),
    }
