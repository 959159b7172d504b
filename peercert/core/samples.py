"""Small genuine documents for demo data and tests: they pass the upload checks the way a real scan does.

Built once at import with the same libraries that check uploads (pypdf, Pillow), so they never drift
from what validate_upload accepts.
"""

import io

from PIL import Image
from pypdf import PdfWriter


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)  # US Letter, in points
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 94, 162)).save(out, format=fmt)
    return out.getvalue()


PDF = _pdf()
PNG = _image("PNG")
JPEG = _image("JPEG")
