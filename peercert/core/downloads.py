"""Serving a stored upload back, the one way every download view does it.

What the browser is told comes from the kind detected at upload (core.uploads), never from the
name the uploader chose: a file called "evil.html" that is really a PDF goes out as a PDF, and
anything not known to be a PDF or image goes out as opaque bytes to save. The response is
sandboxed and not sniffed, so even a disguised file cannot run as a page on our origin in the
session of the staff member who opens it.
"""

import re

from django.http import FileResponse, Http404

from peercert.core.uploads import DOCUMENT_KINDS, EXTENSIONS

CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}
OPAQUE = "application/octet-stream"
# `sandbox` gives the response an opaque origin (no cookies, no scripts, no forms); `default-src 'none'`
# lets it load nothing. Chromium (156, Debian) still shows an image, and its PDF viewer still renders
# the pages, under this policy: checked by hand with Playwright when this was written.
SANDBOX_POLICY = "sandbox; default-src 'none'"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\"]+")


def safe_download_name(name: str, kind: str) -> str:
    """The name the browser saves under: the uploader's, ending in the extension of what the file really is.

    A PDF someone called "evil.html" is saved as "evil.pdf", so opening the saved copy does not
    hand it to the browser as a page either.
    """
    base = _UNSAFE.sub(" ", str(name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip(" .") or "document"
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem = base
    extension = EXTENSIONS.get(kind)
    if extension is None:
        return f"{base[:250]}.bin"
    if dot and f".{suffix.lower()}" in DOCUMENT_KINDS[kind][0]:
        return base[:255]
    return f"{stem[:250]}.{extension}"


def serve_upload(fieldfile, *, kind: str, download_name: str, inline: bool = False) -> FileResponse:
    """A response for a stored upload. `inline` only for a PDF or image a reviewer opens on purpose;
    a file of any other kind is always an attachment."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    content_type = CONTENT_TYPES.get(kind, OPAQUE)
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not (inline and kind in CONTENT_TYPES),
        filename=safe_download_name(download_name, kind),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cache-Control"] = "private, no-store"
    return response
