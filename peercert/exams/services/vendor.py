"""Vendor result files: a testing vendor's answers imported all or nothing."""

import csv
import io
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from peercert.core import clock
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.tabular import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, too_many_rows_message
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.exams import permissions as perms
from peercert.exams.audit import ExamsAuditAction
from peercert.exams.models import (
    ATTEMPT_TRANSITIONS,
    OPTION_LETTERS,
    Answer,
    Attempt,
    AttemptStatus,
    FormItem,
    ItemKind,
)
from peercert.exams.services._common import (
    ATTEMPT,
    _system_or,
)
from peercert.exams.services.scoring import _audit_many, _finalize, _score_written

VENDOR_HEADER = ["candidate_id", "form", "item_id", "answer"]


def _line_error(line_no: int, message: str, **params) -> tuple[int, str]:
    """(line, the message in the reader's language): vendor file errors sort by line, then show."""
    return line_no, gettext(message) % {"line": line_no, **params}


def _refuse_file(errors: list[tuple[int, str]]) -> ApplicationError:
    texts = [text for _line, text in sorted(errors, key=lambda e: e[0])]
    return ApplicationError(
        "The file was not imported. %(errors)s", params={"errors": " ".join(texts)}, extra={"errors": texts}
    )


def _vendor_lines(text: str):
    """(line, cells) of a vendor CSV, read one at a time; stops with an error past core.tabular's row limit."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line_no = 1
    while True:
        if line_no > DEFAULT_MAX_ROWS + 1:
            raise ApplicationError(
                "The file was not imported. %(errors)s",
                params={"errors": too_many_rows_message(DEFAULT_MAX_ROWS, line_no)},
            )
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ApplicationError(
                "The file was not imported. Line %(line)s could not be read as CSV (%(problem)s).",
                params={"line": line_no, "problem": str(exc)},
            ) from None
        yield line_no, row
        line_no = reader.line_num + 1


def _parse_vendor_file(text: str) -> tuple[list[tuple[int, int, str, str, str]], list[tuple[int, str]]]:
    rows, errors = [], []
    if len(text) > DEFAULT_MAX_BYTES:
        raise ApplicationError(
            "The file was not imported. It is larger than %(limit)s MB; split it.",
            params={"limit": DEFAULT_MAX_BYTES // (1024 * 1024)},
        )
    lines = _vendor_lines(text)
    _first, header = next(lines, (1, None))
    if header is None or [h.strip().lower() for h in header] != VENDOR_HEADER:
        return [], [
            _line_error(
                1, gettext_noop("Line %(line)s: the header must be %(header)s."), header=",".join(VENDOR_HEADER)
            )
        ]
    for line_no, row in lines:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 4:
            errors.append(
                _line_error(line_no, gettext_noop("Line %(line)s: expected 4 values, found %(found)s."), found=len(row))
            )
            continue
        candidate, form_code, item_code, answer = (c.strip() for c in row)
        if not candidate.isdigit():
            errors.append(
                _line_error(
                    line_no,
                    gettext_noop("Line %(line)s: candidate id “%(candidate)s” is not a number."),
                    candidate=candidate,
                )
            )
            continue
        if len(answer) != 1 or answer.upper() not in OPTION_LETTERS:
            errors.append(
                _line_error(
                    line_no,
                    gettext_noop("Line %(line)s: answer “%(answer)s” is not a letter A to %(last)s."),
                    answer=answer,
                    last=OPTION_LETTERS[-1],
                )
            )
            continue
        rows.append((line_no, int(candidate), form_code.lower(), item_code.upper(), answer.upper()))
    return rows, errors


@transaction.atomic
def vendor_results_import(*, actor: Actor, text: str) -> dict:
    """Import a testing vendor's answers (CSV: candidate_id, form, item_id, answer), all or nothing.

    candidate_id is the PeerCert candidate number (the Person id shown on the roster); the candidate
    must be checked in for a session on that form. Every row is checked first; any error refuses
    the whole file with line numbers. A file already imported changes nothing. Side effects: answers
    bulk-created; attempts submitted and scored set-based; one audit event per attempt.
    """
    _system_or(actor, perms.can_manage_sessions, "Only an exam administrator may import vendor results.")
    rows, errors = _parse_vendor_file(text)
    if errors and errors[0][0] == 1 or not rows and not errors:
        raise _refuse_file(errors or [(0, gettext("The file has no result rows."))])
    person_ids = {r[1] for r in rows}
    form_codes = {r[2] for r in rows}
    # The latest attempt wins where a candidate sat the same form twice.
    latest: dict[tuple[int, str], Attempt] = {}
    for att in (
        Attempt.objects.select_for_update()
        .select_related("form")
        .filter(
            person_id__in=person_ids,
            form__code__in=form_codes,
            status__in=[AttemptStatus.CHECKED_IN, AttemptStatus.SUBMITTED, AttemptStatus.SCORED],
        )
        .order_by("person_id", "form__code", "-taken_on", "-id")
    ):
        latest.setdefault((att.person_id, att.form.code), att)
    form_items = {
        (fc, code): (item_id, n_options)
        for fc, code, item_id, n_options in (
            (fi["form__code"], fi["item__code"], fi["item_id"], len(fi["item__options"]))
            for fi in FormItem.objects.filter(form__code__in=form_codes, item__kind=ItemKind.MULTIPLE_CHOICE).values(
                "form__code", "item__code", "item_id", "item__options"
            )
        )
    }
    seen: dict[tuple[int, int], tuple[int, int]] = {}
    for line_no, person_id, form_code, item_code, letter in rows:
        attempt = latest.get((person_id, form_code))
        if attempt is None:
            errors.append(
                _line_error(
                    line_no,
                    gettext_noop("Line %(line)s: candidate %(candidate)s is not checked in for form %(form)s."),
                    candidate=person_id,
                    form=form_code,
                )
            )
            continue
        found = form_items.get((form_code, item_code))
        if found is None:
            errors.append(
                _line_error(
                    line_no,
                    gettext_noop("Line %(line)s: item %(item)s is not on form %(form)s."),
                    item=item_code,
                    form=form_code,
                )
            )
            continue
        item_id, n_options = found
        choice = OPTION_LETTERS.index(letter)
        if choice >= n_options:
            errors.append(
                _line_error(
                    line_no,
                    gettext_noop("Line %(line)s: item %(item)s has no answer %(letter)s."),
                    item=item_code,
                    letter=letter,
                )
            )
            continue
        key = (attempt.pk, item_id)
        if key in seen and seen[key][1] != choice:
            errors.append(
                _line_error(
                    line_no,
                    gettext_noop("Line %(line)s: a different answer for item %(item)s was given on line %(other)s."),
                    item=item_code,
                    other=seen[key][0],
                )
            )
            continue
        seen[key] = (line_no, choice)
    if errors:
        raise _refuse_file(errors)
    ensure_not_own_matter(actor, *person_ids, what="exam")

    attempt_ids = {k[0] for k in seen}
    existing = {
        (a, i): c
        for a, i, c in Answer.objects.filter(attempt_id__in=attempt_ids).values_list("attempt_id", "item_id", "choice")
    }
    by_id = {a.pk: a for a in latest.values()}
    already = {pk for pk in attempt_ids if by_id[pk].status != AttemptStatus.CHECKED_IN}
    mine_by_attempt: dict[int, dict] = defaultdict(dict)
    for (a, i), (_line, c) in seen.items():
        mine_by_attempt[a][i] = c
    theirs_by_attempt: dict[int, dict] = defaultdict(dict)
    for (a, i), c in existing.items():
        theirs_by_attempt[a][i] = c
    for pk in sorted(already):
        if mine_by_attempt[pk] != theirs_by_attempt[pk]:
            person_id = by_id[pk].person_id
            errors.append(
                (
                    0,
                    gettext(
                        "Candidate %(candidate)s: results for this attempt were already imported with "
                        "different answers; correct them with the program instead."
                    )
                    % {"candidate": person_id},
                )
            )
    if errors:
        raise _refuse_file(errors)
    fresh = attempt_ids - already
    if not fresh:
        return {"attempts": 0, "answers": 0, "unchanged": len(already)}
    for pk in fresh:
        transition(by_id[pk], AttemptStatus.SUBMITTED, allowed=ATTEMPT_TRANSITIONS, noun=ATTEMPT)
    now = clock.now()
    new_answers = [
        Answer(attempt_id=a, item_id=i, choice=c, answered_at=now) for (a, i), (_line, c) in seen.items() if a in fresh
    ]
    Answer.objects.bulk_create(new_answers, batch_size=5000)
    Attempt.objects.filter(pk__in=fresh).update(
        status=AttemptStatus.SUBMITTED, submitted_at=now, source="vendor", updated_at=now
    )
    _audit_many(
        actor=actor,
        action=ExamsAuditAction.ATTEMPT_VENDOR_IMPORT,
        rows=[
            (pk, "", {"status": AttemptStatus.CHECKED_IN}, {"status": AttemptStatus.SUBMITTED}) for pk in sorted(fresh)
        ],
    )
    _score_written(sorted(fresh))
    _finalize(actor=actor, attempt_ids=sorted(fresh))
    return {"attempts": len(fresh), "answers": len(new_answers), "unchanged": len(already)}
