"""Checking uploaded files by what they contain, not by what they are called.

Every app that takes documents (IDs, diplomas, letters, evidence, provider forms) calls
validate_upload before saving anything.
"""

import puremagic
from django.utils.translation import gettext

from peercert.core.errors import ApplicationError

# kind -> (accepted content signatures' extensions, label for messages)
DOCUMENT_KINDS = {
    "pdf": ({".pdf"}, "PDF"),
    "jpeg": ({".jpg", ".jpeg", ".jfif"}, "JPEG"),
    "png": ({".png"}, "PNG"),
}
DEFAULT_KINDS = ("pdf", "jpeg", "png")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def detect_kind(head: bytes) -> str | None:
    """The document kind the bytes really are, or None."""
    if not head:
        return None
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    found = {m.extension.lower() for m in matches}
    for kind, (extensions, _label) in DOCUMENT_KINDS.items():
        if found & extensions:
            return kind
    return None


def empty_file(name: str, field: str | None) -> ApplicationError:
    return ApplicationError("“%(name)s” is empty. Choose the file again.", params={"name": name}, field=field)


def size_params(name: str, size: int, max_bytes: int) -> dict:
    """The values of a too-large file's message, sizes in MB as people read them."""
    return {"name": name, "size": f"{size / 1_048_576:.1f}", "limit": f"{max_bytes / 1_048_576:.0f}"}


def validate_upload(upload, *, kinds: tuple[str, ...] = DEFAULT_KINDS, max_bytes: int = DEFAULT_MAX_BYTES,
                    field: str | None = None) -> str:
    """Refuse empty, oversized or wrongly typed files. Returns the detected kind."""
    labels = gettext(" or ").join(DOCUMENT_KINDS[k][1] for k in kinds)
    name = getattr(upload, "name", None) or gettext("the file")
    size = getattr(upload, "size", None)
    if not size:
        raise empty_file(name, field)
    if size > max_bytes:
        raise ApplicationError(
            "“%(name)s” is %(size)s MB; the limit is %(limit)s MB. Try a smaller scan or photo.",
            params=size_params(name, size, max_bytes), field=field)
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = detect_kind(head)
    if kind not in kinds:
        raise ApplicationError(
            "“%(name)s” is not a %(labels)s file (its contents were checked, not its name). Upload a %(labels)s.",
            params={"name": name, "labels": labels}, field=field)
    return kind
