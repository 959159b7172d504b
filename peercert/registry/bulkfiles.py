"""The nightly bulk files of the whole public registry: CSV and JSON Lines, with a JSON Schema.

Each file holds exactly the public fields the API returns (selectors.PUBLIC_FIELDS), one
certification a row, in number order. They are written through Django's default storage (the
disk today, object storage later) under settings.REGISTRY_BULK_FILES_PREFIX:

    registry-<stamp>.csv, registry-<stamp>.jsonl   the data, a new pair each run
    current.json                                   which pair is current, when it was made, how many rows

Rows are read from the database in chunks and written to temporary files as they come, so
memory stays flat whatever the registry's size; the pair is stored first and current.json is
switched after, so a reader never gets half a file. Older pairs are deleted once the switch is
made. The background task (tasks.py) runs this; a daily job enqueues it.
"""

import codecs
import json
import secrets
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.dateparse import parse_datetime

from peercert.certification.models import Certification, CertificationStatus
from peercert.core import clock
from peercert.core.csvexport import SafeWriter
from peercert.core.vocabulary import Specialization
from peercert.registry import selectors

CHUNK = 2000
CSV_NAME = "registry.csv"
JSONL_NAME = "registry.jsonl"
SCHEMA_NAME = "schema.json"
CONTENT_TYPES = {
    CSV_NAME: "text/csv; charset=utf-8",
    JSONL_NAME: "application/jsonl; charset=utf-8",
    SCHEMA_NAME: "application/schema+json",
}
CSV_HEADER = list(selectors.PUBLIC_FIELDS)


def _prefix() -> str:
    return settings.REGISTRY_BULK_FILES_PREFIX.strip("/")


def _manifest_name() -> str:
    return f"{_prefix()}/current.json"


def schema(base_url: str = "") -> dict:
    """The JSON Schema (draft 2020-12) of one line of registry.jsonl (and one API result)."""
    date = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base_url.rstrip('/')}/registry/downloads/{SCHEMA_NAME}",
        "title": "PeerCert public registry record",
        "description": "One certified Medi-Cal Peer Support Specialist: public registry fields only. "
        "registry.jsonl holds one such object a line; registry.csv has the same fields as columns "
        "(specializations as their codes, separated by ';').",
        "type": "object",
        "additionalProperties": False,
        "required": list(selectors.PUBLIC_FIELDS),
        "properties": {
            "number": {"type": "string", "minLength": 1, "maxLength": 20, "description": "Certification number"},
            "name": {"type": "string", "description": "The holder's legal name"},
            "status": {"type": "string", "enum": list(CertificationStatus.values)},
            "status_label": {"type": "string", "description": "The status in English"},
            "issued_on": date,
            "expires_on": date,
            "specializations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["code", "label"],
                    "properties": {
                        "code": {"type": "string", "enum": list(Specialization.values)},
                        "label": {"type": "string"},
                    },
                },
            },
            "county": {"type": ["string", "null"], "description": "County of employment, when known"},
            "program": {"type": "string", "description": "The certifying program"},
        },
    }


def _all_public_rows():
    """Every certification's public columns in number order, fetched CHUNK rows at a time."""
    qs = selectors.public_columns(Certification.objects.all()).order_by("number")
    batch = []
    for row in qs.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) >= CHUNK:
            yield from selectors.public_records(batch)
            batch = []
    yield from selectors.public_records(batch)


def csv_row(record: dict) -> list:
    return [
        ";".join(s["code"] for s in value) if key == "specializations" else ("" if value is None else value)
        for key, value in ((k, record[k]) for k in CSV_HEADER)
    ]


def jsonl_line(record: dict) -> str:
    return json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")) + "\n"


def generate() -> dict:
    """Write a new pair of bulk files and make it current. Returns {"rows": n}."""
    stamp = clock.now()
    token = f"{stamp:%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"
    count = 0
    # Labels are written in English, as the API writes them for a request without a language.
    with (
        translation.override("en"),
        tempfile.TemporaryFile() as csv_file,
        tempfile.TemporaryFile() as jsonl_file,
    ):
        csv_text = codecs.getwriter("utf-8")(csv_file)
        writer = SafeWriter(csv_text, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for record in _all_public_rows():
            writer.writerow(csv_row(record))
            jsonl_file.write(jsonl_line(record).encode("utf-8"))
            count += 1
        stored = {}
        for name, handle in ((CSV_NAME, csv_file), (JSONL_NAME, jsonl_file)):
            handle.seek(0)
            stem, extension = name.rsplit(".", 1)
            stored[name] = default_storage.save(f"{_prefix()}/{stem}-{token}.{extension}", File(handle, name=name))
    manifest = {"generated_at": stamp.isoformat(), "rows": count, "files": stored}
    if default_storage.exists(_manifest_name()):
        default_storage.delete(_manifest_name())
    default_storage.save(_manifest_name(), ContentFile(json.dumps(manifest).encode("utf-8")))
    _delete_old(keep=set(stored.values()))
    return {"rows": count}


def _delete_old(*, keep: set[str]) -> None:
    try:
        _dirs, names = default_storage.listdir(_prefix())
    except FileNotFoundError:
        return
    for name in names:
        path = f"{_prefix()}/{name}"
        if name.startswith("registry-") and path not in keep:
            default_storage.delete(path)


def current() -> dict | None:
    """{"generated_at": datetime, "rows": n, "files": {public name: stored name}}, or None before the first run."""
    try:
        with default_storage.open(_manifest_name(), "rb") as handle:
            manifest = json.loads(handle.read().decode("utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        return None
    manifest["generated_at"] = parse_datetime(manifest.get("generated_at") or "")
    if manifest["generated_at"] is None:
        return None
    return manifest
