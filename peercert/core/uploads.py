"""Checking uploaded files by what they contain, not by what they are called, and naming them on disk.

Every app that takes documents (IDs, diplomas, letters, evidence, provider forms) calls
validate_upload before saving anything, stores the kind it returns beside the file, and names
the file with RandomName. core.downloads serves it back by that stored kind.

The first bytes alone prove little: "%PDF-1.4" followed by a web page passes a signature check.
So a PDF must also open as a PDF with pages, an image must decode, and no file may carry the
start of an HTML or SVG document near its beginning (where browsers look when they guess).
"""

import io
import logging
import re
import uuid
import warnings

import puremagic
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader

from peercert.core.errors import ApplicationError

# kind -> (accepted content signatures' extensions, label for messages)
DOCUMENT_KINDS = {
    "pdf": ({".pdf"}, "PDF"),
    "jpeg": ({".jpg", ".jpeg", ".jfif"}, "JPEG"),
    "png": ({".png"}, "PNG"),
}
DEFAULT_KINDS = ("pdf", "jpeg", "png")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# The extension a stored file gets from its detected kind; anything else is stored as opaque bytes.
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG"}
# A 50-megapixel phone photo fits; a small file that unpacks to gigabytes of pixels does not.
MAX_IMAGE_PIXELS = 60_000_000
# Where a disguised page puts its markup: the header, metadata and comments before the compressed
# data. Looking further would refuse honest files, whose compressed bytes now and then spell "<svg".
# (This is a second line: downloads are never served as a page whatever the bytes say.)
MARKUP_SCAN_BYTES = 1024
MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed|meta)[\s/>]", re.IGNORECASE)


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


def _unreadable(name: str, kind: str, field: str | None) -> ApplicationError:
    return ApplicationError(
        "“%(name)s” could not be opened as a %(label)s file; it may be damaged. "
        "Scan or save it again and upload the new file.",
        params={"name": name, "label": DOCUMENT_KINDS[kind][1]},
        field=field,
    )


def _check_pdf(data: bytes, name: str, field: str | None) -> None:
    # pypdf repairs what it can and logs each repair; those are not the applicant's concern.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ApplicationError(
                "“%(name)s” is protected by a password. Upload a copy without a password.",
                params={"name": name},
                field=field,
            )
        pages = len(reader.pages)
    except ApplicationError:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of error on a broken file; all mean "damaged"
        raise _unreadable(name, "pdf", field) from None
    if pages == 0:
        raise ApplicationError(
            "“%(name)s” is a PDF with no pages. Upload the complete document.", params={"name": name}, field=field
        )


def _check_image(data: bytes, kind: str, name: str, field: str | None) -> None:
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; a bomb must be refused, not decoded.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != PILLOW_FORMATS[kind]:
                    raise _unreadable(name, kind, field)
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise Image.DecompressionBombError
                image.verify()
            # verify() leaves the image unusable and skips the pixel data; decoding it proves the rest.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except ApplicationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ApplicationError(
            "“%(name)s” has more than %(limit)s million pixels. Upload a smaller photo or scan.",
            params={"name": name, "limit": f"{MAX_IMAGE_PIXELS / 1_000_000:.0f}"},
            field=field,
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _unreadable(name, kind, field) from None


def validate_upload(
    upload, *, kinds: tuple[str, ...] = DEFAULT_KINDS, max_bytes: int = DEFAULT_MAX_BYTES, field: str | None = None
) -> str:
    """Refuse empty, oversized, wrongly typed, damaged or disguised files. Returns the detected kind."""
    labels = gettext(" or ").join(DOCUMENT_KINDS[k][1] for k in kinds)
    name = getattr(upload, "name", None) or gettext("the file")
    size = getattr(upload, "size", None)
    if not size:
        raise empty_file(name, field)
    if size > max_bytes:
        raise ApplicationError(
            "“%(name)s” is %(size)s MB; the limit is %(limit)s MB. Try a smaller scan or photo.",
            params=size_params(name, size, max_bytes),
            field=field,
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(position)
    kind = detect_kind(data[:8192])
    if kind not in kinds:
        raise ApplicationError(
            "“%(name)s” is not a %(labels)s file (its contents were checked, not its name). Upload a %(labels)s.",
            params={"name": name, "labels": labels},
            field=field,
        )
    if MARKUP.search(data[:MARKUP_SCAN_BYTES]):
        raise ApplicationError(
            "“%(name)s” has web page code inside it, which a document may not carry. "
            "Save it again as a %(labels)s and upload the new file.",
            params={"name": name, "labels": labels},
            field=field,
        )
    if kind == "pdf":
        _check_pdf(data, name, field)
    else:
        _check_image(data, kind, name, field)
    return kind


@deconstructible
class RandomName:
    """upload_to for stored documents: `<prefix>/<random>.<extension of the detected kind>`.

    The name on disk says nothing about whose file it is or what they called it (those stay in
    the row), and cannot be guessed from an application or person number. `kind_field` is the
    model field holding validate_upload's result, set before the file is saved.
    """

    def __init__(self, prefix: str, kind_field: str):
        self.prefix = prefix.strip("/")
        self.kind_field = kind_field

    def __call__(self, instance, filename: str) -> str:
        extension = EXTENSIONS.get(getattr(instance, self.kind_field, ""), "bin")
        return f"{self.prefix}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and (self.prefix, self.kind_field) == (other.prefix, other.kind_field)

    def __hash__(self) -> int:
        return hash((self.prefix, self.kind_field))
