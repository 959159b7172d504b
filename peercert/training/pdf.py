"""The certificate of completion, drawn with ReportLab."""

import functools
import io
from pathlib import Path

from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Names like Nguyễn or Ó Briain need more than Helvetica's Latin-1; DejaVu covers them where the
# machine has it (Debian's fonts-dejavu-core), else the built-in fonts are used.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@functools.cache
def _fonts() -> tuple[str, str]:
    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        try:
            pdfmetrics.registerFont(TTFont("PeerCertSans", str(regular)))
            pdfmetrics.registerFont(TTFont("PeerCertSans-Bold", str(bold)))
            return "PeerCertSans", "PeerCertSans-Bold"
        except Exception:  # noqa: BLE001 - a broken font file must not stop a certificate
            pass
    return "Helvetica", "Helvetica-Bold"


def certificate_pdf(completion) -> bytes:
    offering = completion.offering
    curriculum = offering.curriculum_version.curriculum
    regular, bold = _fonts()
    buffer = io.BytesIO()
    width, height = landscape(letter)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Certificate of completion {completion.certificate_number}")
    pdf.setAuthor(offering.training_entity.name)
    pdf.setLineWidth(3)
    pdf.rect(0.5 * inch, 0.5 * inch, width - inch, height - inch)
    pdf.setFont(bold, 28)
    pdf.drawCentredString(width / 2, height - 1.6 * inch, "Certificate of Completion")
    pdf.setFont(regular, 14)
    pdf.drawCentredString(width / 2, height - 2.2 * inch, "This certifies that")
    pdf.setFont(bold, 24)
    pdf.drawCentredString(width / 2, height - 2.9 * inch, completion.person.full_name)
    pdf.setFont(regular, 14)
    pdf.drawCentredString(width / 2, height - 3.5 * inch, "completed")
    pdf.setFont(bold, 18)
    pdf.drawCentredString(width / 2, height - 4.1 * inch, offering.display_title)
    pdf.setFont(regular, 13)
    lines = [
        f"{curriculum.get_kind_display()} · curriculum version {offering.curriculum_version.number}, approved by DHCS",
        f"{completion.hours} hours · CE category: {completion.get_ce_category_display()} · "
        f"completed {completion.completed_on:%B %d, %Y}",
        f"Taught by {offering.training_entity.name}",
    ]
    for i, line in enumerate(lines):
        pdf.drawCentredString(width / 2, height - (4.7 + 0.35 * i) * inch, line)
    pdf.setFont(regular, 10)
    pdf.drawString(0.8 * inch, 0.8 * inch, f"Certificate number {completion.certificate_number}")
    pdf.drawRightString(width - 0.8 * inch, 0.8 * inch, "Medi-Cal Peer Support Specialist Certification Program")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
