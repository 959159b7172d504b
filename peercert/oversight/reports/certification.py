"""Certification data to the state (program -> DHCS): counts by status, county, pathway, specialization,
language and the voluntary demographic answers; applications and their review days against the target;
exam pass rates by form; renewals on time, late and lapsed; complaints, actions and appeals with their
timeliness; and a per-person extract with only the fields the state needs."""

from django.utils.translation import gettext_lazy as _

from peercert.certification import selectors as certification_selectors
from peercert.discipline import selectors as discipline_selectors
from peercert.exams import selectors as exams_selectors
from peercert.oversight.models.reports import PeriodKind, ReportFormat
from peercert.oversight.reports import COUNTY_FIELDS, Context, Definition, Field, Table, TableData, register
from peercert.oversight.reports._common import STATEWIDE, county_cells, county_names, ratio
from peercert.renewal import selectors as renewal_selectors

F = Field
CERTIFICATIONS = F("certifications", _("Certifications"), _("How many certifications, counted once each."))

BY_STATUS = Table(
    "by_status",
    _("Certifications by status"),
    (F("status", _("Status"), _("Status at the end of the period's last day.")), CERTIFICATIONS),
)
BY_COUNTY = Table(
    "by_county",
    _("Certifications by county and status"),
    (*COUNTY_FIELDS, F("status", _("Status")), CERTIFICATIONS),
    _("County of employment when known; certifications with no county are counted under Not recorded."),
)
BY_PATHWAY = Table(
    "by_pathway",
    _("Certifications by pathway"),
    (
        F(
            "pathway",
            _("Pathway"),
            _(
                "standard, grandparenting, reciprocity_out_of_state, transfer_in_state, or legacy (a record from before PeerCert with no application)."
            ),
        ),
        F("status", _("Status")),
        CERTIFICATIONS,
    ),
)
BY_SPECIALIZATION = Table(
    "by_specialization",
    _("Active certifications by specialization"),
    (
        F(
            "specialization",
            _("Specialization"),
            _("none: no specialization. A certification with several is counted under each."),
        ),
        CERTIFICATIONS,
    ),
)
BY_LANGUAGE = Table(
    "by_language",
    _("Active certifications by preferred language"),
    (F("language", _("Language"), _("The holder's preferred language for notices.")), CERTIFICATIONS),
)
DEMOGRAPHICS = Table(
    "demographics",
    _("Active certifications by the voluntary demographic answers"),
    (
        F(
            "question",
            _("Question"),
            _("race_ethnicity, gender_identity, sexual_orientation, age_group, veteran, disability."),
        ),
        F(
            "answer",
            _("Answer"),
            _("The answer's code; prefer_not: chose not to say; not_answered: skipped the question."),
        ),
        CERTIFICATIONS,
    ),
)
APPLICATIONS = Table(
    "applications",
    _("Applications received and decided, and the days each took"),
    (
        *COUNTY_FIELDS,
        F("received", _("Received"), _("First submitted during the period.")),
        F("decided", _("Decided"), _("Approved or denied during the period.")),
        F("approved", _("Approved")),
        F("denied", _("Denied")),
        F(
            "target_days",
            _("Target days"),
            _("The review target in force (ProgramRules application_review_target_days)."),
        ),
        F(
            "within_target",
            _("Within target"),
            _("Decided in no more days than the target (days the program held it)."),
        ),
        F("over_target", _("Over target")),
        F("average_days", _("Average days"), _("Average review days of the decided applications.")),
        F("longest_days", _("Longest days")),
    ),
)
EXAMS = Table(
    "exam_results",
    _("Exam attempts and pass rates by form"),
    (
        F("form", _("Exam form"), _("The exam form's code.")),
        F("attempts", _("Attempts"), _("Attempts checked in during the period.")),
        F("scored", _("Scored")),
        F("passed", _("Passed")),
        F("failed", _("Did not pass")),
        F("pass_rate_percent", _("Pass rate (%)"), _("Passed out of scored, as a percentage.")),
    ),
)
RENEWALS = Table(
    "renewals",
    _("Renewals on time, late and lapsed"),
    (
        *COUNTY_FIELDS,
        F("on_time", _("On time"), _("Due in the period; submitted by the due date and renewed.")),
        F("late", _("Late"), _("Due in the period; renewed after the due date or reinstated.")),
        F("lapsed", _("Lapsed"), _("Expired during the period.")),
    ),
)
DISCIPLINE = Table(
    "discipline",
    _("Complaints, actions and appeals with their timeliness"),
    (F("measure", _("Measure"), _("What is counted (statewide).")), F("count", _("Count"))),
)
EXTRACT = Table(
    "person_extract",
    _("Per-certification extract"),
    (
        F(
            "certification_number",
            _("Certification number"),
            _("Public, on the registry: lets the state match records without names."),
        ),
        F("status", _("Status at period end")),
        F("issued_on", _("Issued on")),
        F("expires_on", _("Expires on")),
        F("county_code", _("County code"), _("County of employment when known.")),
        F("pathway", _("Pathway")),
        F("specializations", _("Specializations"), _("Separated by semicolons.")),
        F("language", _("Preferred language")),
    ),
    _(
        "Only what the state needs to count and verify the workforce: no name, birth date, address, contact, "
        "documents or demographic answers (those are reported only in aggregate)."
    ),
)


def _by_status(rows) -> list[tuple]:
    return [(r["status"], r["certifications"]) for r in rows]


def build(context: Context) -> list[TableData]:
    period, counties = context.period, context.county_ids
    end, start = period.end, period.start
    names = county_names()
    active = [certification_selectors.CertificationStatus.ACTIVE]
    tables: list[TableData] = []
    steps = 10

    def count(by, **kwargs):
        return certification_selectors.certification_counts_for_report(
            on_date=end, by=by, county_ids=counties, **kwargs
        )

    tables.append(TableData(BY_STATUS, _by_status(count(("status",)))))
    context.progress(1, steps)
    tables.append(
        TableData(
            BY_COUNTY,
            [
                (*county_cells(names, r["county"]), r["status"], r["certifications"])
                for r in count(("county", "status"))
            ],
        )
    )
    tables.append(
        TableData(
            BY_PATHWAY,
            [(r["pathway"] or "legacy", r["status"], r["certifications"]) for r in count(("pathway", "status"))],
        )
    )
    context.progress(2, steps)
    tables.append(
        TableData(
            BY_SPECIALIZATION,
            [(r["specialization"] or "none", r["certifications"]) for r in count(("specialization",), statuses=active)],
        )
    )
    tables.append(
        TableData(BY_LANGUAGE, [(r["language"], r["certifications"]) for r in count(("language",), statuses=active)])
    )
    context.progress(3, steps)
    demographic_rows = []
    for question in certification_selectors.DEMOGRAPHIC_QUESTIONS:
        for r in count((question,), statuses=active):
            demographic_rows.append((question, r[question] or "not_answered", r["certifications"]))
    # Unanswered (None) sorts first in SQL on one database and last on another: sort here.
    demographic_rows.sort(key=lambda row: (certification_selectors.DEMOGRAPHIC_QUESTIONS.index(row[0]), row[1]))
    tables.append(TableData(DEMOGRAPHICS, demographic_rows))
    context.progress(4, steps)

    timeliness = certification_selectors.application_timeliness_for_report(start=start, end=end, county_ids=counties)
    target = timeliness["target_days"]
    app_rows, total = (
        [],
        {k: 0 for k in ("received", "decided", "approved", "denied", "within_target", "over_target", "days_total")},
    )
    longest = 0
    for r in timeliness["rows"]:
        app_rows.append(
            (
                *county_cells(names, r["county_id"]),
                r["received"],
                r["decided"],
                r["approved"],
                r["denied"],
                target,
                r["within_target"],
                r["over_target"],
                ratio(r["days_total"], r["decided"], places="0.1"),
                r["days_max"],
            )
        )
        for key in total:
            total[key] += r[key]
        longest = max(longest, r["days_max"])
    app_rows.append(
        (
            "",
            STATEWIDE,
            total["received"],
            total["decided"],
            total["approved"],
            total["denied"],
            target,
            total["within_target"],
            total["over_target"],
            ratio(total["days_total"], total["decided"], places="0.1"),
            longest,
        )
    )
    tables.append(TableData(APPLICATIONS, app_rows))
    context.progress(5, steps)

    exam_rows = [
        (
            r["form__code"],
            r["attempts"],
            r["scored"],
            r["passed"],
            r["failed"],
            ratio(r["passed"], r["scored"], scale=100, places="0.1"),
        )
        for r in exams_selectors.attempt_results_for_report(start=start, end=end)
    ]
    tables.append(TableData(EXAMS, exam_rows))
    context.progress(6, steps)

    renewal_rows, sums = [], [0, 0, 0]
    for r in renewal_selectors.renewal_timeliness_for_report(start=start, end=end, county_ids=counties):
        renewal_rows.append((*county_cells(names, r["county_id"]), r["on_time"], r["late"], r["lapsed"]))
        sums = [sums[0] + r["on_time"], sums[1] + r["late"], sums[2] + r["lapsed"]]
    renewal_rows.append(("", STATEWIDE, *sums))
    tables.append(TableData(RENEWALS, renewal_rows))
    context.progress(7, steps)

    discipline = discipline_selectors.discipline_timeliness_for_report(start=start, end=end)
    measures = [(f"complaints_{k}", v) for k, v in discipline["complaints"].items()]
    measures += [(f"actions_{r['kind']}", r["actions"]) for r in discipline["actions"]]
    measures += [(f"appeals_{k}", v) for k, v in discipline["appeals"].items()]
    tables.append(TableData(DISCIPLINE, measures))
    context.progress(8, steps)

    extract, specializations = certification_selectors.certification_extract_for_report(
        on_date=end, county_ids=counties
    )
    tables.append(
        TableData(
            EXTRACT,
            [
                (
                    number,
                    status,
                    issued,
                    expires,
                    county_code or "",
                    pathway or "legacy",
                    ";".join(specializations.get(pk, [])),
                    language,
                )
                for pk, number, status, issued, expires, county_code, pathway, language in extract.iterator(
                    chunk_size=2000
                )
            ],
        )
    )
    context.progress(9, steps)
    return tables


DEFINITION = register(
    Definition(
        code="certification",
        name=_("Certification data to the state"),
        description=_(
            "What the certification program sends DHCS: certifications by status, county, pathway, specialization, "
            "language and the voluntary demographic answers; applications and review days against the target; exam "
            "pass rates; renewals; complaints, actions and appeals; and a per-certification extract."
        ),
        period_kinds=tuple(PeriodKind.values),
        formats=(ReportFormat.CSV, ReportFormat.XLSX),
        tables=(
            BY_STATUS,
            BY_COUNTY,
            BY_PATHWAY,
            BY_SPECIALIZATION,
            BY_LANGUAGE,
            DEMOGRAPHICS,
            APPLICATIONS,
            EXAMS,
            RENEWALS,
            DISCIPLINE,
            EXTRACT,
        ),
        build=build,
    )
)
