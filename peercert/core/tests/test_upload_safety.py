"""The deeper upload checks, the random stored names and the safe download names (issue 11, findings 1-2).

The HTTP-level proofs (uploads refused through the forms, every download view's headers, /media/
never routed) are in peercert/web/tests/test_upload_downloads.py.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.migrations.writer import MigrationWriter
from PIL import Image
from pypdf import PdfWriter

from peercert.core import samples
from peercert.core.downloads import safe_download_name
from peercert.core.errors import ApplicationError
from peercert.core.uploads import RandomName, validate_upload

# What the attacker uploaded: a PDF signature, then a live page.
POLYGLOT = b"%PDF-1.4\n<html><script>fetch('/certification/').then(r => r.text())</script></html>\n"
# The harder form: the page, then a complete PDF that pypdf opens and counts pages in.
POLYGLOT_WITH_PDF_BODY = (
    b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n" + samples.PDF[len(b"%PDF-1.3\n") :]
)


def upload(name, content):
    return SimpleUploadedFile(name, content)


def _pdf(pages=1, password=None):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=100, height=100)
    if password:
        writer.encrypt(user_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _png(size, mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "content,kind", [(samples.PDF, "pdf"), (samples.PNG, "png"), (samples.JPEG, "jpeg"), (_pdf(pages=3), "pdf")]
)
def test_genuine_documents_pass_and_report_their_kind(content, kind):
    assert validate_upload(upload("scan", content)) == kind


def test_a_pdf_signature_followed_by_a_web_page_is_refused():
    with pytest.raises(ApplicationError) as caught:
        validate_upload(upload("evil.pdf", POLYGLOT), field="file")
    assert "web page code" in caught.value.message and caught.value.field == "file"


def test_a_pdf_signature_followed_by_junk_is_refused_as_damaged():
    with pytest.raises(ApplicationError, match="could not be opened as a PDF"):
        validate_upload(upload("id.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))


def test_a_page_hidden_before_a_real_pdf_body_is_refused():
    assert validate_upload(upload("x.pdf", samples.PDF)) == "pdf"  # the body alone is fine
    with pytest.raises(ApplicationError, match="web page code"):
        validate_upload(upload("evil.pdf", POLYGLOT_WITH_PDF_BODY))


@pytest.mark.parametrize("markup", [b"<svg onload=alert(1)>", b"<SCRIPT>", b"<!DOCTYPE html>", b"<iframe src=x>"])
def test_markup_in_an_image_header_is_refused(markup):
    # A PNG text chunk is where an image/page polyglot keeps its page.
    png = samples.PNG[:33] + markup + samples.PNG[33:]
    with pytest.raises(ApplicationError, match="web page code"):
        validate_upload(upload("photo.png", png))


def test_a_pdf_without_pages_is_refused():
    with pytest.raises(ApplicationError, match="no pages"):
        validate_upload(upload("empty.pdf", _pdf(pages=0)))


def test_a_password_protected_pdf_is_refused_plainly():
    with pytest.raises(ApplicationError, match="protected by a password"):
        validate_upload(upload("locked.pdf", _pdf(password="secret")))


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,  # the signature and nothing real
        samples.PNG[:-20],  # cut short
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64,
        samples.JPEG[: len(samples.JPEG) // 2],
    ],
)
def test_images_that_do_not_decode_are_refused(content):
    with pytest.raises(ApplicationError, match="could not be opened as a (PNG|JPEG) file"):
        validate_upload(upload("photo", content))


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = _png((9000, 9000), mode="1")  # 81 million pixels in a few kilobytes
    assert len(bomb) < 100_000
    with pytest.raises(ApplicationError, match="more than 60 million pixels"):
        validate_upload(upload("photo.png", bomb))


def test_refusals_are_translated():
    from django.utils import translation

    with translation.override("es"), pytest.raises(ApplicationError) as caught:
        validate_upload(upload("evil.pdf", POLYGLOT))
    assert caught.value.message.startswith("“evil.pdf” contiene código de página web")


class _Row:
    content_type = "pdf"
    pk = 4242


def test_random_names_carry_no_id_or_uploader_name_and_never_repeat():
    name_for = RandomName("certification/documents", kind_field="content_type")
    first, second = name_for(_Row(), "4242-photo_id Rosa Gutiérrez.html"), name_for(_Row(), "4242-photo_id.pdf")
    assert first != second
    for name in (first, second):
        assert re.fullmatch(r"certification/documents/[0-9a-f]{32}\.pdf", name), name
        assert "4242" not in name


@pytest.mark.parametrize(
    "kind,extension", [("pdf", "pdf"), ("jpeg", "jpg"), ("png", "png"), ("", "bin"), ("html", "bin")]
)
def test_random_names_take_the_extension_of_the_detected_kind(kind, extension):
    row = type("Row", (), {"document_kind": kind})()
    assert RandomName("x", kind_field="document_kind")(row, "evil.html").endswith(f".{extension}")


def test_random_name_survives_a_migration():
    value = RandomName("renewal/evidence", kind_field="content_type")
    source, imports = MigrationWriter.serialize(value)
    assert source == "peercert.core.uploads.RandomName('renewal/evidence', kind_field='content_type')"
    assert eval(source, {"peercert": __import__("peercert.core.uploads")}) == value  # noqa: S307 - our own output


@pytest.mark.parametrize(
    "name,kind,expected",
    [
        ("evil.html", "pdf", "evil.pdf"),
        ("evil.svg", "png", "evil.png"),
        ("Scan.PDF", "pdf", "Scan.PDF"),
        ("photo.jpeg", "jpeg", "photo.jpeg"),
        ('id"\r\nSet-Cookie: x=1.pdf', "pdf", "id Set-Cookie: x=1.pdf"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("C:\\Users\\rosa\\id.png", "png", "id.png"),
        ("evil.html", "", "evil.html.bin"),
        ("", "jpeg", "document.jpg"),
    ],
)
def test_download_names_are_safe_and_end_in_the_real_kind(name, kind, expected):
    assert safe_download_name(name, kind) == expected
