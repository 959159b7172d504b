"""The certificate and the wallet card, as PDF, each with a QR code to the public verification page."""

import io

import segno
from django.urls import reverse
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from peercert.certification import hooks

# A wallet card is the size of a credit card (ISO/IEC 7810 ID-1).
WALLET_CARD = (3.375 * inch, 2.125 * inch)


def verification_url(request, certification) -> str:
    # The registry owns the page; its URL name is the stable, public contract.
    return request.build_absolute_uri(reverse("registry:verify", args=[certification.number]))


def credential_url(request, certification) -> str | None:
    # The credentials app answers through the hook (it sits above certification), when installed.
    return hooks.credential_link(request, certification)


def _qr(url: str) -> ImageReader:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return ImageReader(buffer)


def _specializations(certification) -> str:
    labels = certification.specialization_labels
    return ", ".join(labels) if labels else ""


def render_pdf(certification, url: str, *, layout: str = "certificate", credential_url: str | None = None) -> bytes:
    buffer = io.BytesIO()
    if layout == "wallet":
        _wallet(buffer, certification, url)
    else:
        _certificate(buffer, certification, url, credential_url)
    return buffer.getvalue()


def _certificate(buffer, cert, url, credential_url=None):
    width, height = landscape(letter)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Certificate {cert.number}")
    pdf.setLineWidth(3)
    pdf.rect(0.4 * inch, 0.4 * inch, width - 0.8 * inch, height - 0.8 * inch)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 1.3 * inch, cert.program.name)
    pdf.setFont("Helvetica-Bold", 28)
    pdf.drawCentredString(width / 2, height - 2.0 * inch, "Medi-Cal Peer Support Specialist")
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 2.6 * inch, "This certifies that")
    pdf.setFont("Helvetica-Bold", 26)
    pdf.drawCentredString(width / 2, height - 3.3 * inch, cert.person.full_name)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(
        width / 2,
        height - 3.9 * inch,
        "has met the requirements for certification as a Medi-Cal Peer Support Specialist.",
    )
    pdf.setFont("Helvetica", 13)
    lines = [
        f"Certification number: {cert.number}",
        f"Issued: {cert.issued_on:%B %d, %Y}",
        f"Expires: {cert.expires_on:%B %d, %Y}",
    ]
    if _specializations(cert):
        lines.append(f"Specializations: {_specializations(cert)}")
    y = height - 4.7 * inch
    for line in lines:
        pdf.drawString(1.2 * inch, y, line)
        y -= 0.3 * inch
    size = 1.7 * inch
    pdf.drawImage(_qr(url), width - 1.2 * inch - size, 0.9 * inch, size, size)
    pdf.setFont("Helvetica", 8)
    pdf.drawRightString(width - 1.2 * inch, 0.75 * inch, "Scan to verify: " + url)
    if credential_url:  # the signed Open Badges credential (credentials app, through certification.hooks)
        pdf.drawImage(_qr(credential_url), 1.2 * inch, 0.9 * inch, size, size)
        pdf.linkURL(credential_url, (1.2 * inch, 0.9 * inch, 1.2 * inch + size, 0.9 * inch + size))
        pdf.drawString(1.2 * inch, 0.75 * inch, "Digital credential: " + credential_url)
    pdf.showPage()
    pdf.save()


def _wallet(buffer, cert, url):
    width, height = WALLET_CARD
    pdf = canvas.Canvas(buffer, pagesize=WALLET_CARD)
    pdf.setTitle(f"Wallet card {cert.number}")
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(0.15 * inch, height - 0.25 * inch, "Medi-Cal Peer Support Specialist")
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(0.15 * inch, height - 0.5 * inch, cert.person.full_name[:34])
    pdf.setFont("Helvetica", 7)
    y = height - 0.72 * inch
    for line in (
        f"No. {cert.number}",
        f"Issued {cert.issued_on:%Y-%m-%d}",
        f"Expires {cert.expires_on:%Y-%m-%d}",
        _specializations(cert)[:48],
        cert.program.name[:48],
    ):
        if line:
            pdf.drawString(0.15 * inch, y, line)
            y -= 0.16 * inch
    size = 1.0 * inch
    pdf.drawImage(_qr(url), width - size - 0.1 * inch, 0.1 * inch, size, size)
    pdf.showPage()
    pdf.save()
