"""integrity: overpayments found when a fact changes after payment; voids, the report to the state, the return.

Finding is set-based: for a changed fact, the paid lines it can touch (that person's lines on or after
the effective date, that beneficiary's lines of that month, that employment's lines in the changed
interval, the lines a review found unsupported) are run through the gate's rules again
(billing.selectors.fact_rule_querysets), and every line that now fails is written by one
INSERT ... SELECT per rule into the county's open overpayment. The statement count does not depend on
the number of lines or of changes (it grows only with the counties touched, for their notices).
"""

import datetime
import logging
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, Count, DateField, Exists, F, Min, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from peercert.accounts.roles import Role
from peercert.billing import selectors as billing_selectors
from peercert.billing import services as billing_services
from peercert.core import clock
from peercert.core.audit import audit_record, audit_record_many
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_users
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.integrity import permissions
from peercert.integrity.audit import AuditAction
from peercert.integrity.models import (
    OVERPAYMENT_TRANSITIONS,
    FactKind,
    Overpayment,
    OverpaymentLine,
    OverpaymentStatus,
    ReasonCategory,
)

__all__ = [
    "REVIEW_REASON",
    "ATTESTATION",
    "overpaid_reason_label",
    "overpayment_report_prepare",
    "overpayment_report_sign",
    "overpayment_return_record",
    "overpayment_voids_build",
    "overpayments_escalate",
    "overpayments_find_for_certification_changes",
    "overpayments_find_for_eligibility",
    "overpayments_find_for_employment",
    "overpayments_find_for_review",
]

logger = logging.getLogger(__name__)
OVERPAYMENT = gettext_noop("overpayment")
REVIEW_REASON = "review_unsupported"
REVIEW_REASON_LABEL = _("A utilization review found the service not supported.")
ATTESTATION = gettext_noop(
    "I attest, as the county's authorized signer, that this report of overpayments for peer services is "
    "true, complete and accurate to the best of my knowledge, and that the amount will be returned to the state."
)
COLUMNS = (
    "line_id",
    "overpayment_id",
    "county_id",
    "service_date",
    "code",
    "delivery_system",
    "amount",
    "payer_claim_control_number",
    "reason_code",
    "fact_kind",
    "fact_reference",
    "fact_effective_on",
    "identified_on",
)


def overpaid_reason_label(code: str) -> str:
    if code == REVIEW_REASON:
        return str(REVIEW_REASON_LABEL)
    return billing_selectors.line_reason_label(code)


# ---- Finding ---------------------------------------------------------------------------------------


def _not_listed(lines: QuerySet) -> QuerySet:
    return lines.filter(~Exists(OverpaymentLine.objects.filter(line_id=OuterRef("pk"))))


def _open_overpayments(county_ids: list[int], today: datetime.date) -> int:
    """Make sure each county has an open overpayment (one SELECT, at most one INSERT). Returns how many were made."""
    have = set(
        Overpayment.objects.filter(county_id__in=county_ids, status=OverpaymentStatus.OPEN).values_list(
            "county_id", flat=True
        )
    )
    rules = rules_on(today)
    due = today + datetime.timedelta(days=rules.overpayment_report_days)
    missing = [c for c in county_ids if c not in have]
    if missing:
        Overpayment.objects.bulk_create(
            [Overpayment(county_id=c, identified_on=today, due_on=due, rules_version=rules.version) for c in missing],
            ignore_conflicts=True,  # another finding opened it at the same moment: theirs is extended
        )
    return len(missing)


def _insert_lines(code: str, failing: QuerySet, *, kind: str, reference, effective, today) -> int:
    """INSERT INTO overpaymentline (...) SELECT ...: the failing lines not listed yet, into their county's open one."""
    open_one = Subquery(
        Overpayment.objects.filter(county_id=OuterRef("county_id"), status=OverpaymentStatus.OPEN).values("pk")[:1]
    )
    rows = (
        _not_listed(failing)
        .annotate(
            op_id=open_one,
            op_reason=Value(code, output_field=CharField()),
            op_kind=Value(kind, output_field=CharField()),
            op_reference=reference,
            op_effective=effective,
            op_found=Value(today, output_field=DateField()),
        )
        .values_list(
            "pk",
            "op_id",
            "county_id",
            "service_date",
            "code",
            "delivery_system",
            "paid_amount",
            "payer_claim_control_number",
            "op_reason",
            "op_kind",
            "op_reference",
            "op_effective",
            "op_found",
        )
    )
    sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(OverpaymentLine._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # noqa: S608 - our own SQL
        return max(cursor.rowcount, 0)


def _county_users(county_ids, roles) -> dict[int, list]:
    from peercert.accounts.models import User

    users: dict[int, list] = {}
    rows = (
        User.objects.filter(
            is_active=True, role_assignments__role__in=roles, role_assignments__county_id__in=list(county_ids)
        )
        .annotate(for_county=F("role_assignments__county_id"))
        .select_related("person")
        .distinct()
    )
    for user in rows:
        if user.pk not in {u.pk for u in users.get(user.for_county, [])}:
            users.setdefault(user.for_county, []).append(user)
    return users


@transaction.atomic
def _find(*, touched: QuerySet, kind: str, reference, effective, actor: Actor, today=None, rule_sets=None) -> dict:
    """The shared finding: touched = the paid lines the change can touch. Returns counts."""
    today = today or clock.today()
    candidates = _not_listed(touched)
    county_ids = sorted(set(candidates.order_by().values_list("county_id", flat=True).distinct()))
    if not county_ids:
        return {"lines": 0, "overpayments": 0}
    made_before = set(
        Overpayment.objects.filter(county_id__in=county_ids, status=OverpaymentStatus.OPEN).values_list("pk", flat=True)
    )
    _open_overpayments(county_ids, today)
    sets = rule_sets if rule_sets is not None else billing_selectors.fact_rule_querysets(candidates, today=today)
    written = 0
    for code, failing in sets:
        written += _insert_lines(code, failing, kind=kind, reference=reference, effective=effective, today=today)
    # Counties none of whose lines failed: the overpayment opened for them goes again (nothing to report).
    Overpayment.objects.filter(county_id__in=county_ids, status=OverpaymentStatus.OPEN).exclude(
        pk__in=made_before
    ).filter(~Exists(OverpaymentLine.objects.filter(overpayment_id=OuterRef("pk")))).delete()
    found = list(
        OverpaymentLine.objects.filter(
            overpayment__county_id__in=county_ids,
            overpayment__status=OverpaymentStatus.OPEN,
            identified_on=today,
            fact_kind=kind,
        )
        .values("overpayment_id", "overpayment__county_id", "overpayment__due_on")
        .annotate(n=Count("id"), amount=Sum("amount"))
        .order_by("overpayment_id")
    )
    if not written:
        return {"lines": 0, "overpayments": 0}
    audit_record_many(
        actor=actor,
        action=AuditAction.OVERPAYMENT_FIND,
        object_type=Overpayment._meta.label_lower,
        rows=[
            (
                row["overpayment_id"],
                f"Overpayment {row['overpayment_id']}",
                None,
                {"fact_kind": kind, "lines_found_today": row["n"], "amount_found_today": str(row["amount"])},
            )
            for row in found
        ],
    )
    _tell_found(found, actor)
    return {"lines": written, "overpayments": len(found)}


def _tell_found(found: list[dict], actor) -> None:
    staff = _county_users(
        {row["overpayment__county_id"] for row in found}, [Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR]
    )
    for row in found:
        users = [u for u in staff.get(row["overpayment__county_id"], []) if u.pk != getattr(actor, "pk", None)]
        tell_users(
            users,
            subject=gettext_noop("Overpayment %(number)s: paid lines no longer pass"),
            body=gettext_noop(
                "A fact recorded after payment means %(lines)s paid lines (%(amount)s dollars) are now an overpayment. "
                "Void the claims and report it to the state by %(due)s."
            ),
            params={
                "number": row["overpayment_id"],
                "lines": row["n"],
                "amount": row["amount"],
                "due": row["overpayment__due_on"],
            },
            link=reverse("integrity:overpayment_detail", args=[row["overpayment_id"]]),
        )


def overpayments_find_for_certification_changes(*, changes: QuerySet, actor: Actor = None, today=None) -> dict:
    """Certification status changes were recorded (one, or a sweep's thousands): find the overpaid lines.

    Touches only the paid lines of the changes' people on or after each change's effective date; a change
    to active cannot break a line, so it is left out. Each line names the latest change effective by its
    date of service. Side effects: overpayment lines (INSERT ... SELECT per rule), audited; staff told."""
    breaking = changes.exclude(to_status="active")
    matching = breaking.filter(
        certification__person_id=OuterRef("employment__person_id"), effective_on__lte=OuterRef("service_date")
    ).order_by("-effective_on", "-id")
    # The IN and the earliest date are implied by the Exists; they let the planner start from the few
    # employments of the changes' people instead of every paid line.
    touched = billing_selectors.overpayable_lines().filter(
        Exists(matching),
        employment__person_id__in=breaking.values("certification__person_id"),
        service_date__gte=Subquery(
            breaking.order_by().annotate(g=Value(1)).values("g").annotate(first=Min("effective_on")).values("first")[:1]
        ),
    )
    reference = Concat(
        Value("certification status change "),
        Cast(Subquery(matching.values("pk")[:1]), output_field=CharField()),
        output_field=CharField(),
    )
    effective = Subquery(matching.values("effective_on")[:1], output_field=DateField())
    return _find(
        touched=touched,
        kind=FactKind.CERTIFICATION_STATUS,
        reference=reference,
        effective=effective,
        actor=actor,
        today=today,
    )


def overpayments_find_for_eligibility(
    *, beneficiary_id: int, month: datetime.date, reference: str, actor: Actor = None, today=None
) -> dict:
    """A beneficiary's month was corrected: only that beneficiary's paid lines of that month are checked."""
    month = month.replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    touched = billing_selectors.overpayable_lines().filter(
        beneficiary_id=beneficiary_id, service_date__gte=month, service_date__lt=following
    )
    return _find(
        touched=touched,
        kind=FactKind.ELIGIBILITY,
        reference=Value(reference[:100], output_field=CharField()),
        effective=Value(month, output_field=DateField()),
        actor=actor,
        today=today,
    )


EMPLOYMENT_KINDS = {
    "hire_date": FactKind.HIRE_DATE,
    "employment_end": FactKind.EMPLOYMENT_END,
    "supervision": FactKind.SUPERVISION,
}


def overpayments_find_for_employment(
    *, kind: str, employment_ids, start: datetime.date, end=None, reference: str, actor: Actor = None, today=None
) -> dict:
    """An employment's hire or end date, or its supervision, changed: check its paid lines in [start, end]."""
    if kind not in EMPLOYMENT_KINDS:
        raise ApplicationError("Unknown kind of employment fact.", code="state")
    touched = billing_selectors.overpayable_lines().filter(
        employment_id__in=list(employment_ids), service_date__gte=start
    )
    if end is not None:
        touched = touched.filter(service_date__lte=end)
    return _find(
        touched=touched,
        kind=EMPLOYMENT_KINDS[kind],
        reference=Value(reference[:100], output_field=CharField()),
        effective=Value(start, output_field=DateField()),
        actor=actor,
        today=today,
    )


def overpayments_find_for_review(*, line_ids, finding_ids, actor: Actor = None, today=None) -> dict:
    """A utilization review found paid lines not supported: each becomes an overpaid line (no rule re-run)."""
    line_ids = list(line_ids)
    touched = billing_selectors.overpayable_lines().filter(pk__in=line_ids)
    reference = "review findings " + ", ".join(str(f) for f in list(finding_ids)[:10])
    return _find(
        touched=touched,
        kind=FactKind.REVIEW_FINDING,
        reference=Value(reference[:100], output_field=CharField()),
        effective=Value(None, output_field=DateField()),
        actor=actor,
        today=today,
        rule_sets=[(REVIEW_REASON, touched)],
    )


# ---- Resolution ------------------------------------------------------------------------------------


def _lock(overpayment: Overpayment) -> Overpayment:
    return Overpayment.objects.select_for_update().get(pk=overpayment.pk)


def _ensure_billing(actor: Actor, overpayment: Overpayment) -> None:
    if not permissions.can_work_overpayment(actor, overpayment):
        raise ApplicationError("Only this county's billing staff may do this.", code="own_matter")


def _totals(overpayment: Overpayment) -> dict:
    return overpayment.lines.aggregate(lines=Count("id"), amount=Sum("amount"))


@transaction.atomic
def overpayment_voids_build(*, actor: Actor, overpayment: Overpayment, line_ids=None) -> list[int]:
    """Build the void claims (837P frequency 8, REF*F8 the payer's claim control number from the 835) of the
    overpayment's paid claims, with billing's own void builder (pyx12-validated).

    Preconditions: the actor is billing staff of the county; the overpayment is open; every line named was
    paid by the state (a line never paid cannot be voided). line_ids: only those lines' claims (all when
    None). Side effects: one ClaimFile per claim; each line records its void; status voided; audited.
    Note: a void cancels the whole claim, so a line of the same claim that still passes must be billed again."""
    overpayment = _lock(overpayment)
    _ensure_billing(actor, overpayment)
    lines = overpayment.lines.filter(void_claim_file_id__isnull=True)
    if line_ids is not None:
        wanted = {int(i) for i in line_ids}
        if not wanted:
            raise ApplicationError("Choose the lines to void.", field="line_ids")
        known = set(overpayment.lines.filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted - known:
            raise ApplicationError(
                "Line %(ids)s is not a line of this overpayment. Only its own paid lines can be voided.",
                params={"ids": ", ".join(str(i) for i in sorted(wanted - known))},
                field="line_ids",
            )
        lines = lines.filter(pk__in=wanted)
    rows = list(
        lines.order_by("payer_claim_control_number", "line_id").values("pk", "line_id", "payer_claim_control_number")
    )
    if not rows:
        raise ApplicationError("Every claim of this overpayment is already voided.", code="state")
    claims: dict[str, list[dict]] = {}
    for row in rows:
        claims.setdefault(row["payer_claim_control_number"], []).append(row)
    files = []
    for control, members in claims.items():
        first = members[0]
        line = billing_selectors.paid_line_for_void(first["line_id"])
        if not control or line is None:
            raise ApplicationError(
                "Service line %(line)s was never paid by the state, so it cannot be voided. "
                "Only a line an 835 paid (with a claim control number) can be.",
                params={"line": first["line_id"]},
                code="state",
            )
        try:
            claim_file = billing_services.claim_file_correct(
                actor=actor,
                line=line,
                frequency="8",
                reason=f"Overpayment {overpayment.pk}: the paid service no longer meets the billing rules.",
            )
        except billing_services.ClaimFileInvalid as error:
            raise ApplicationError(
                "The void claim for %(control)s did not pass validation (%(count)s messages); nothing was built.",
                params={"control": control, "count": len(error.messages)},
                code="state",
            ) from None
        overpayment.lines.filter(payer_claim_control_number=control, void_claim_file_id__isnull=True).update(
            void_claim_file_id=claim_file.pk
        )
        files.append(claim_file.pk)
    if overpayment.status == OverpaymentStatus.OPEN:
        before = transition(overpayment, OverpaymentStatus.VOIDED, allowed=OVERPAYMENT_TRANSITIONS, noun=OVERPAYMENT)
    else:
        before = overpayment.status
    overpayment.voided_at, overpayment.voided_by = clock.now(), actor
    overpayment.save(update_fields=["status", "voided_at", "voided_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.OVERPAYMENT_VOID,
        obj=overpayment,
        before={"status": before},
        after={"status": overpayment.status, "claim_files": files, "claims": list(claims)},
    )
    return files


@transaction.atomic
def overpayment_report_prepare(
    *, actor: Actor, overpayment: Overpayment, reason_category: str, explanation: str
) -> Overpayment:
    """Prepare the report to the state: the reason category (fraud, waste, abuse, other) and what happened.

    Preconditions: billing staff of the county; not yet reported; a known category; an explanation.
    Side effects: the report's amount and lines as they stand; audited. The signer signs it next."""
    overpayment = _lock(overpayment)
    _ensure_billing(actor, overpayment)
    if overpayment.status not in (OverpaymentStatus.OPEN, OverpaymentStatus.VOIDED):
        raise ApplicationError("This overpayment is already reported to the state.", code="state")
    if reason_category not in ReasonCategory.values:
        raise ApplicationError("Choose the reason: fraud, waste, abuse or other.", field="reason_category")
    explanation = " ".join(str(explanation or "").split())[:4000]
    if not explanation:
        raise ApplicationError("Say in a few words what happened.", field="explanation")
    totals = _totals(overpayment)
    overpayment.reason_category = reason_category
    overpayment.explanation = explanation
    overpayment.prepared_at, overpayment.prepared_by = clock.now(), actor
    overpayment.report_amount, overpayment.report_lines = totals["amount"] or Decimal("0"), totals["lines"]
    overpayment.save(
        update_fields=[
            "reason_category",
            "explanation",
            "prepared_at",
            "prepared_by",
            "report_amount",
            "report_lines",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.OVERPAYMENT_PREPARE,
        obj=overpayment,
        after={
            "reason_category": reason_category,
            "amount": str(overpayment.report_amount),
            "lines": overpayment.report_lines,
        },
    )
    signers = _county_users([overpayment.county_id], [Role.COUNTY_AUTHORIZED_SIGNER]).get(overpayment.county_id, [])
    tell_users(
        signers,
        subject=gettext_noop("Overpayment report %(number)s to sign"),
        body=gettext_noop("The overpayment report %(number)s (%(amount)s dollars) is ready for your signature."),
        params={"number": overpayment.pk, "amount": overpayment.report_amount},
        link=reverse("integrity:overpayment_sign", args=[overpayment.pk]),
    )
    return overpayment


@transaction.atomic
def overpayment_report_sign(*, actor: Actor, overpayment: Overpayment, signer_title: str, attest: bool) -> Overpayment:
    """The county's authorized signer signs the report to the state (the attestation).

    Preconditions: the actor holds county_authorized_signer for this county (nobody else may); the report
    is prepared and not yet signed; the attestation is confirmed; a title. Side effects: the amount and
    lines as they stand are what is signed; status reported; audited; billing staff told."""
    overpayment = _lock(overpayment)
    if not permissions.can_sign_overpayment(actor, overpayment):
        raise ApplicationError(
            "Only the county's authorized signer may sign its report to the state.", code="own_matter"
        )
    if not overpayment.prepared_at:
        raise ApplicationError(
            "Billing staff prepare the report (reason and explanation) before it is signed.", code="state"
        )
    if not attest:
        raise ApplicationError("Confirm the attestation to sign.", field="attest")
    signer_title = " ".join(str(signer_title or "").split())[:200]
    if not signer_title:
        raise ApplicationError("Give your title, as it appears on the report.", field="signer_title")
    totals = _totals(overpayment)
    before = transition(overpayment, OverpaymentStatus.REPORTED, allowed=OVERPAYMENT_TRANSITIONS, noun=OVERPAYMENT)
    overpayment.report_amount, overpayment.report_lines = totals["amount"] or Decimal("0"), totals["lines"]
    overpayment.attestation = str(ATTESTATION)
    overpayment.signed_at, overpayment.signed_by = clock.now(), actor
    overpayment.signer_name = (getattr(getattr(actor, "person", None), "full_name", "") or actor.email)[:200]
    overpayment.signer_title = signer_title
    overpayment.save(
        update_fields=[
            "status",
            "report_amount",
            "report_lines",
            "attestation",
            "signed_at",
            "signed_by",
            "signer_name",
            "signer_title",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.OVERPAYMENT_SIGN,
        obj=overpayment,
        before={"status": before},
        after={
            "status": overpayment.status,
            "amount": str(overpayment.report_amount),
            "lines": overpayment.report_lines,
        },
    )
    staff = _county_users([overpayment.county_id], [Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR])
    tell_users(
        staff.get(overpayment.county_id, []),
        subject=gettext_noop("Overpayment report %(number)s signed"),
        body=gettext_noop(
            "The report was signed. Return %(amount)s dollars to the state and record the date by %(due)s."
        ),
        params={"number": overpayment.pk, "amount": overpayment.report_amount, "due": overpayment.due_on},
        link=reverse("integrity:overpayment_detail", args=[overpayment.pk]),
    )
    return overpayment


@transaction.atomic
def overpayment_return_record(
    *, actor: Actor, overpayment: Overpayment, returned_on: datetime.date, reference: str = ""
) -> Overpayment:
    """Record the date the money went back to the state: the overpayment closes.

    Preconditions: billing staff of the county; the report is signed; the date not before the overpayment
    was identified and not in the future. Side effects: status returned; audited."""
    overpayment = _lock(overpayment)
    _ensure_billing(actor, overpayment)
    if not isinstance(returned_on, datetime.date):
        raise ApplicationError("Enter the date the money was returned.", field="returned_on")
    if returned_on < overpayment.identified_on:
        raise ApplicationError(
            "The money cannot be returned before the overpayment was identified (%(day)s).",
            params={"day": overpayment.identified_on},
            field="returned_on",
        )
    if returned_on > clock.today():
        raise ApplicationError(
            "A return is recorded once it happened. Enter today's date or an earlier one.", field="returned_on"
        )
    before = transition(overpayment, OverpaymentStatus.RETURNED, allowed=OVERPAYMENT_TRANSITIONS, noun=OVERPAYMENT)
    overpayment.returned_on, overpayment.returned_by = returned_on, actor
    overpayment.return_reference = " ".join(str(reference or "").split())[:100]
    overpayment.save(update_fields=["status", "returned_on", "returned_by", "return_reference", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.OVERPAYMENT_RETURN,
        obj=overpayment,
        before={"status": before},
        after={"status": overpayment.status, "returned_on": returned_on, "reference": overpayment.return_reference},
    )
    return overpayment


def overpayments_escalate(today: datetime.date) -> dict:
    """Daily: an overpayment not returned by overpayment_escalation_days after it was identified goes to the
    county's billing supervisors and authorized signer, once (escalated_on). Idempotent for the day."""
    from peercert.integrity.models import UNRESOLVED

    days = rules_on(today).overpayment_escalation_days
    due = Overpayment.objects.filter(
        status__in=UNRESOLVED, escalated_on__isnull=True, identified_on__lte=today - datetime.timedelta(days=days)
    )
    rows = list(due.values("pk", "county_id", "due_on"))
    if not rows:
        return {"escalated": 0}
    Overpayment.objects.filter(pk__in=[r["pk"] for r in rows]).update(escalated_on=today, updated_at=clock.now())
    audit_record_many(
        actor=None,
        action=AuditAction.OVERPAYMENT_ESCALATE,
        object_type=Overpayment._meta.label_lower,
        rows=[
            (r["pk"], f"Overpayment {r['pk']}", None, {"escalated_on": today.isoformat(), "days": days}) for r in rows
        ],
    )
    people = _county_users(
        {r["county_id"] for r in rows}, [Role.COUNTY_BILLING_SUPERVISOR, Role.COUNTY_AUTHORIZED_SIGNER]
    )
    for r in rows:
        tell_users(
            people.get(r["county_id"], []),
            subject=gettext_noop("Overpayment %(number)s is due by %(due)s"),
            body=gettext_noop(
                "Overpayment %(number)s was identified %(days)s days ago and is not returned yet. "
                "It must be reported and returned by %(due)s."
            ),
            params={"number": r["pk"], "days": days, "due": r["due_on"]},
            link=reverse("integrity:overpayment_detail", args=[r["pk"]]),
        )
    return {"escalated": len(rows)}


def _safe_find(finder, **kwargs) -> None:
    """A receiver's finding: a failure is logged and does not undo the fact already committed."""
    try:
        finder(**kwargs)
    except (ApplicationError, IntegrityError):
        logger.exception("Finding overpayments failed for %s", finder.__name__)
