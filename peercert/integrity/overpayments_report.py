"""The report of an overpayment to the state, as CSV and PDF (ReportLab). Dates are Pacific and written in
the reader's language; each beneficiary the report names (by CIN) is an access event."""

import functools
import io
from pathlib import Path

from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peercert.billing import selectors as billing_selectors
from peercert.core.csvexport import csv_text

__all__ = ["report_csv", "report_pdf", "report_rows"]

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return date_format(value, "DATE_FORMAT")


def report_rows(overpayment) -> list[dict]:
    from peercert.integrity.services.overpayments import overpaid_reason_label

    rows = list(
        overpayment.lines.annotate(cin=F("line__cin"), units=F("line__units"), beneficiary_id=F("line__beneficiary_id"))
        .order_by("service_date", "id")
        .values(
            "line_id",
            "service_date",
            "cin",
            "beneficiary_id",
            "code",
            "units",
            "delivery_system",
            "payer_claim_control_number",
            "amount",
            "reason_code",
            "fact_kind",
            "fact_reference",
            "fact_effective_on",
            "identified_on",
            "void_claim_file_id",
        )
    )
    for row in rows:
        row["reason"] = overpaid_reason_label(row["reason_code"])
    return rows


def _log(actor, rows, what: str) -> None:
    billing_selectors.log_beneficiary_reads(actor, [r["beneficiary_id"] for r in rows], what=what, channel="export")


def report_csv(actor, overpayment) -> str:
    rows = report_rows(overpayment)
    _log(actor, rows, f"Overpayment report {overpayment.pk} (CSV)")
    header = [
        "overpayment",
        "county",
        "identified_on",
        "due_on",
        "reason_category",
        "service_line",
        "service_date",
        "cin",
        "code",
        "units",
        "delivery_system",
        "payer_claim_control_number",
        "amount_paid",
        "reason_code",
        "fact_kind",
        "fact_reference",
        "fact_effective_on",
        "void_claim_file",
    ]
    body = [
        [
            overpayment.pk,
            overpayment.county.name,
            overpayment.identified_on.isoformat(),
            overpayment.due_on.isoformat(),
            overpayment.reason_category,
            r["line_id"],
            r["service_date"].isoformat(),
            r["cin"],
            r["code"],
            r["units"],
            r["delivery_system"],
            r["payer_claim_control_number"],
            str(r["amount"]),
            r["reason_code"],
            r["fact_kind"],
            r["fact_reference"],
            r["fact_effective_on"].isoformat() if r["fact_effective_on"] else "",
            r["void_claim_file_id"] or "",
        ]
        for r in rows
    ]
    return csv_text([header, *body])


def report_pdf(actor, overpayment) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.units import inch
    from reportlab.pdfgen import canvas

    rows = report_rows(overpayment)
    _log(actor, rows, f"Overpayment report {overpayment.pk} (PDF)")
    regular, bold = _fonts()
    buffer = io.BytesIO()
    width, height = letter
    pdf = canvas.Canvas(buffer, pagesize=letter)
    pdf.setTitle(_("Overpayment report %(number)s") % {"number": overpayment.pk})
    pdf.setAuthor(overpayment.county.name)
    y = height - inch

    def line(text, *, font=regular, size=10, gap=14):
        nonlocal y
        if y < inch:
            pdf.showPage()
            y = height - inch
        pdf.setFont(font, size)
        pdf.drawString(0.75 * inch, y, str(text)[:120])
        y -= gap

    line(_("Report of an overpayment for peer services"), font=bold, size=16, gap=22)
    line(_("County: %(county)s") % {"county": overpayment.county.name})
    line(
        _("Overpayment %(number)s, identified %(found)s, report and return by %(due)s")
        % {"number": overpayment.pk, "found": _day(overpayment.identified_on), "due": _day(overpayment.due_on)}
    )
    line(_("Reason category: %(category)s") % {"category": overpayment.get_reason_category_display() or "—"})
    line(
        _("Amount: %(amount)s dollars for %(lines)s lines")
        % {
            "amount": overpayment.report_amount
            if overpayment.report_amount is not None
            else sum(r["amount"] for r in rows),
            "lines": overpayment.report_lines if overpayment.report_lines is not None else len(rows),
        }
    )
    for chunk in _wrap(overpayment.explanation, 100):
        line(chunk)
    y -= 6
    line(_("Date · CIN · code · units · claim number · amount · reason"), font=bold)
    for r in rows:
        line(
            f"{_day(r['service_date'])} · {r['cin']} · {r['code']} · {r['units']} · "
            f"{r['payer_claim_control_number']} · {r['amount']} · {r['reason_code']}",
            size=9,
            gap=12,
        )
    y -= 10
    line(_("Attestation"), font=bold)
    if overpayment.signed_at:
        for chunk in _wrap(_(overpayment.attestation), 100):
            line(chunk)
        line(
            _("Signed by %(name)s, %(title)s, on %(day)s")
            % {"name": overpayment.signer_name, "title": overpayment.signer_title, "day": _day(overpayment.signed_at)}
        )
    else:
        line(_("Not signed yet: the county's authorized signer signs this report."))
    if overpayment.returned_on:
        line(
            _("Returned on %(day)s (%(reference)s)")
            % {"day": _day(overpayment.returned_on), "reference": overpayment.return_reference or "—"}
        )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@functools.cache
def _fonts() -> tuple[str, str]:
    """DejaVu where the machine has it (names like Nguyễn), else ReportLab's built-in Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        try:
            pdfmetrics.registerFont(TTFont("IntegritySans", str(regular)))
            pdfmetrics.registerFont(TTFont("IntegritySans-Bold", str(bold)))
            return "IntegritySans", "IntegritySans-Bold"
        except Exception:  # noqa: BLE001 - a broken font file must not stop a report
            pass
    return "Helvetica", "Helvetica-Bold"


def _wrap(text: str, width: int) -> list[str]:
    words, out, current = str(text or "").split(), [], ""
    for word in words:
        if len(current) + len(word) + 1 > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        out.append(current)
    return out
