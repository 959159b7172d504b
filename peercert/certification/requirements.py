"""What each pathway requires, and what the system can decide on its own.

Two kinds of checks live here:
- the application checklist (per pathway), evaluated automatically where the data allows
  and otherwise left for the reviewer;
- what issuing a certification needs after approval (core training, exam). Until the
  training and exams apps report these, staff record them by hand (RecordedMilestone);
  `training_completed_on` and `exam_passed_on` are the only two places that read them,
  (the exams and training apps now report them too; staff records cover results from
  before PeerCert or outside it).
"""

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from peercert.certification.models import (
    Application,
    DocumentKind,
    MilestoneKind,
    Outcome,
    Pathway,
    RecordedMilestone,
)
from peercert.core.text import fold


@dataclass(frozen=True)
class Requirement:
    code: str
    label: str
    pathways: frozenset
    # evaluate(application, rules, documents) -> (outcome or None, note)
    evaluate: object = None


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _docs(documents, kind):
    return [d for d in documents if d.kind == kind]


def _age(app, rules, documents, today):
    if app.date_of_birth is None:
        return Outcome.NOT_MET, _("No date of birth given.")
    age = age_on(app.date_of_birth, today)
    if age >= rules.minimum_age:
        return Outcome.MET, _("Age %(age)s from the date of birth.") % {"age": age}
    return Outcome.NOT_MET, _("Age %(age)s; the minimum is %(min)s.") % {"age": age, "min": rules.minimum_age}


def _present(kind, count_rule=None):
    def check(app, rules, documents, today):
        found = len(_docs(documents, kind))
        needed = getattr(rules, count_rule) if count_rule else 1
        if found >= needed:
            # Present is all the system can say; the reviewer still reads the document.
            return None, _("%(n)s uploaded; the reviewer checks the contents.") % {"n": found}
        return Outcome.NOT_MET, _("%(n)s uploaded; %(needed)s needed.") % {"n": found, "needed": needed}

    return check


def _photo_id(app, rules, documents, today):
    ids = _docs(documents, DocumentKind.PHOTO_ID)
    if not ids:
        return Outcome.NOT_MET, _("No photo ID uploaded.")
    wanted = fold(app.legal_name)
    if any(fold(d.name_on_document) == wanted for d in ids):
        return Outcome.MET, _("The name typed from the ID matches the application.")
    typed = ", ".join(d.name_on_document or "?" for d in ids)
    return Outcome.NOT_MET, _("The name on the ID (%(typed)s) differs from the application (%(name)s).") % {
        "typed": typed,
        "name": app.legal_name,
    }


def _lived_experience(app, rules, documents, today):
    if app.lived_experience and app.experience_area and app.willing_to_share:
        return Outcome.MET, ""
    return Outcome.NOT_MET, _("Lived experience must be self-identified, with willingness to share it.")


def _ethics(app, rules, documents, today):
    if app.ethics_signed_name and fold(app.ethics_signed_name) == fold(app.legal_name) and app.ethics_rules_version:
        return Outcome.MET, _("Signed %(day)s under rules %(v)s.") % {
            "day": app.ethics_signed_on,
            "v": app.ethics_rules_version,
        }
    return Outcome.NOT_MET, _("The Code of Ethics must be signed with the applicant's legal name.")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _hours(app, rules, documents, today):
    required, years = rules.peer_work_hours_required, rules.peer_work_lookback_years
    if app.peer_work_hours is None:
        return Outcome.NOT_MET, _("No hours of peer work given.")
    if app.peer_work_hours < required:
        return Outcome.NOT_MET, _("%(h)s hours reported; %(r)s needed.") % {"h": app.peer_work_hours, "r": required}
    if app.peer_work_from and app.peer_work_from < _years_before(today, years):
        return Outcome.NOT_MET, _(
            "%(h)s hours reported from %(start)s; only hours within the last %(y)s years count (since %(since)s)."
        ) % {
            "h": app.peer_work_hours,
            "start": formats.date_format(app.peer_work_from, "DATE_FORMAT"),
            "y": years,
            "since": formats.date_format(_years_before(today, years), "DATE_FORMAT"),
        }
    if app.peer_work_from is None:
        # A record from before PeerCert asked for the period: the reviewer checks it by the verification.
        return None, _("%(h)s hours reported, period not given; %(r)s needed within %(y)s years.") % {
            "h": app.peer_work_hours,
            "r": required,
            "y": years,
        }
    # The number is the applicant's; the reviewer checks it against the verification.
    return None, _("%(h)s hours reported (%(start)s to %(end)s); %(r)s needed. Check against the verification.") % {
        "h": app.peer_work_hours,
        "start": formats.date_format(app.peer_work_from, "DATE_FORMAT"),
        "end": formats.date_format(app.peer_work_to, "DATE_FORMAT"),
        "r": required,
    }


def _ce(app, rules, documents, today):
    total, law = app.ce_hours or 0, app.ce_law_ethics_hours or 0
    if total < rules.ce_hours_required or law < rules.ce_law_ethics_hours_required:
        return Outcome.NOT_MET, _("%(t)s hours (%(l)s in law and ethics) reported; %(rt)s (%(rl)s) needed.") % {
            "t": total,
            "l": law,
            "rt": rules.ce_hours_required,
            "rl": rules.ce_law_ethics_hours_required,
        }
    if app.pathway == Pathway.RECIPROCITY_OUT_OF_STATE and app.ce_earned_since:
        years = rules.reciprocity_ce_lookback_years
        if app.ce_earned_since < _years_before(today, years):
            return Outcome.NOT_MET, _(
                "Continuing education counted from %(start)s; only hours from the last %(y)s years count "
                "(since %(since)s)."
            ) % {
                "start": formats.date_format(app.ce_earned_since, "DATE_FORMAT"),
                "y": years,
                "since": formats.date_format(_years_before(today, years), "DATE_FORMAT"),
            }
    return None, _("%(t)s hours, %(l)s in law and ethics reported.") % {"t": total, "l": law}


def _employed_on_cutoff(app, rules, documents, today):
    if app.employed_as_peer_on_cutoff:
        return None, _("Applicant says yes; check the employment verification.")
    return Outcome.NOT_MET, _("Must have been employed as a peer on %(day)s.") % {
        "day": rules.grandparenting_employed_on
    }


def _out_of_state(app, rules, documents, today):
    if not (
        app.out_of_state_state and app.out_of_state_number and _docs(documents, DocumentKind.OUT_OF_STATE_CERTIFICATE)
    ):
        return Outcome.NOT_MET, _("State, certificate number and a copy of the certificate are needed.")
    if app.out_of_state_no_pending_discipline is not True:
        return Outcome.NOT_MET, _("The other state's certification must have no pending discipline.")
    from peercert.certification.states import state_name

    return None, _("Verify %(state)s certificate %(n)s is active.") % {
        "state": state_name(app.out_of_state_state),
        "n": app.out_of_state_number,
    }


def _prior_certification(app, rules, documents, today):
    if not (app.prior_program_name and app.prior_certification_number):
        return Outcome.NOT_MET, _("Name the prior program and give the certification number.")
    from peercert.certification.selectors import certification_by_number

    found = certification_by_number(app.prior_certification_number)
    if found is not None and found.person_id == app.person_id and found.status == "active":
        return Outcome.MET, _("Active certification %(n)s found in PeerCert.") % {"n": found.number}
    return None, _("Confirm certification %(n)s with %(p)s.") % {
        "n": app.prior_certification_number,
        "p": app.prior_program_name,
    }


ALL = frozenset(Pathway.values)
REQUIREMENTS: list[Requirement] = [
    Requirement("age", _("Age 18 or over"), ALL, _age),
    Requirement("photo_id", _("Government photo ID; name matches the application"), ALL, _photo_id),
    Requirement(
        "diploma",
        _("High school diploma or equivalent"),
        frozenset({Pathway.STANDARD, Pathway.GRANDPARENTING, Pathway.RECIPROCITY_OUT_OF_STATE}),
        _present(DocumentKind.DIPLOMA),
    ),
    Requirement("lived_experience", _("Lived experience, willing to share"), ALL, _lived_experience),
    Requirement("ethics", _("Code of Ethics signed"), ALL, _ethics),
    Requirement(
        "employed_on_cutoff",
        _("Employed as a peer on the grandparenting date"),
        frozenset({Pathway.GRANDPARENTING}),
        _employed_on_cutoff,
    ),
    Requirement(
        "employment_verification",
        _("Employment verification"),
        frozenset({Pathway.GRANDPARENTING}),
        _present(DocumentKind.EMPLOYMENT_VERIFICATION),
    ),
    Requirement(
        "peer_work_hours",
        _("Hours of peer work"),
        frozenset({Pathway.GRANDPARENTING, Pathway.RECIPROCITY_OUT_OF_STATE}),
        _hours,
    ),
    Requirement(
        "letters", _("Letters of recommendation"), frozenset({Pathway.GRANDPARENTING}), _present(DocumentKind.LETTER)
    ),
    Requirement(
        "reciprocity_letters",
        _("Three letters: supervisor on letterhead, colleague, self"),
        frozenset({Pathway.RECIPROCITY_OUT_OF_STATE}),
        _present(DocumentKind.LETTER, "reciprocity_letters_required"),
    ),
    Requirement(
        "ce_hours",
        _("Continuing education hours, including law and ethics"),
        frozenset({Pathway.GRANDPARENTING, Pathway.RECIPROCITY_OUT_OF_STATE}),
        _ce,
    ),
    Requirement(
        "out_of_state_certification",
        _("Active certification from another state, no pending discipline"),
        frozenset({Pathway.RECIPROCITY_OUT_OF_STATE}),
        _out_of_state,
    ),
    Requirement(
        "prior_certification",
        _("Certification from another California program"),
        frozenset({Pathway.TRANSFER_IN_STATE}),
        _prior_certification,
    ),
]
BY_CODE = {r.code: r for r in REQUIREMENTS}


def requirements_for(pathway: str) -> list[Requirement]:
    return [r for r in REQUIREMENTS if pathway in r.pathways]


def evaluate(
    application: Application, rules, documents, today: datetime.date
) -> list[tuple[Requirement, str | None, str]]:
    """(requirement, automatic outcome or None for the reviewer, note) for each requirement of the pathway."""
    out = []
    for req in requirements_for(application.pathway):
        outcome, note = req.evaluate(application, rules, documents, today)
        out.append((req, outcome, str(note)))
    return out


# Documents each pathway asks for on the upload step: kind -> how many are needed (rule name or 1).
def documents_needed(pathway: str, rules) -> list[tuple[str, int]]:
    needed = [(DocumentKind.PHOTO_ID, 1)]
    if pathway != Pathway.TRANSFER_IN_STATE:
        needed.append((DocumentKind.DIPLOMA, 1))
    if pathway == Pathway.GRANDPARENTING:
        needed += [(DocumentKind.EMPLOYMENT_VERIFICATION, 1), (DocumentKind.LETTER, 1)]
    if pathway == Pathway.RECIPROCITY_OUT_OF_STATE:
        needed += [
            (DocumentKind.OUT_OF_STATE_CERTIFICATE, 1),
            (DocumentKind.LETTER, rules.reciprocity_letters_required),
        ]
    return needed


# ---- After approval: what issuing needs -------------------------------------------------


def training_completed_on(person) -> datetime.date | None:
    """The first core-training completion: from the training app's records (a training entity's
    roster), a training certificate a reviewer accepted, or recorded by staff."""
    from peercert.certification.models import TrainingCertificate, TrainingCertificateStatus
    from peercert.training.selectors import core_training_completed_on

    row = RecordedMilestone.objects.filter(person=person, kind=MilestoneKind.TRAINING_COMPLETED).first()
    accepted = (
        TrainingCertificate.objects.filter(application__person=person, status=TrainingCertificateStatus.ACCEPTED)
        .order_by("completed_on")
        .values_list("completed_on", flat=True)
        .first()
    )
    days = [
        d for d in (core_training_completed_on(person), row.occurred_on if row else None, accepted) if d is not None
    ]
    return min(days) if days else None


def exam_passed_on(person) -> datetime.date | None:
    """The first exam pass: scored by the exams app, or recorded by staff (past or outside results)."""
    from peercert.exams.selectors import exam_passed_on as scored_pass_on

    row = RecordedMilestone.objects.filter(person=person, kind=MilestoneKind.EXAM_PASSED).first()
    days = [d for d in (scored_pass_on(person), row.occurred_on if row else None) if d is not None]
    return min(days) if days else None


def pathway_needs_training(pathway: str) -> bool:
    return pathway == Pathway.STANDARD


def pathway_needs_exam(pathway: str) -> bool:
    return pathway != Pathway.TRANSFER_IN_STATE


def issuance_missing(application: Application) -> list[str]:
    """What still stands between an approved application and a certification (plain words)."""
    missing = []
    if application.status != "approved":
        missing.append(str(_("The application is not approved.")))
        return missing
    if pathway_needs_training(application.pathway) and training_completed_on(application.person) is None:
        missing.append(str(_("Core training is not recorded as completed.")))
    if pathway_needs_exam(application.pathway) and exam_passed_on(application.person) is None:
        missing.append(str(_("The certification exam is not recorded as passed.")))
    return missing


# Checks the applicant can be warned about as soon as the pathway step is saved.
EARLY_CHECKS = ("peer_work_hours", "ce_hours")


def pathway_warnings(application: Application, rules, today: datetime.date) -> list[str]:
    """What in the pathway answers does not meet the rules yet, in plain words, for the applicant.

    The application can still be saved and submitted; the reviewer sees the same requirement as not met."""
    warnings = []
    for code in EARLY_CHECKS:
        req = BY_CODE[code]
        if application.pathway not in req.pathways:
            continue
        outcome, note = req.evaluate(application, rules, [], today)
        if outcome == Outcome.NOT_MET:
            warnings.append(f"{req.label}: {note}")
    return warnings
