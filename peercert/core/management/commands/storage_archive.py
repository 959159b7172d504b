"""`manage.py storage_archive --out FILE` / `--restore FILE`: every object of the file storage in one tar.

Goes through Django's storage API, so it is the same for the file system and for S3-compatible object
storage: scripts/backup and scripts/restore use it beside pg_dump. (An S3 bucket should also keep
versions; this is the copy that travels with the database dump.)
"""

import io
import tarfile
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError


def walk(storage, prefix: str = ""):
    directories, files = storage.listdir(prefix)
    for name in files:
        yield f"{prefix}{name}"
    for directory in directories:
        yield from walk(storage, f"{prefix}{directory}/")


class Command(BaseCommand):
    help = "Archive every stored file into a tar file, or restore them from one."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--out", help="Write the archive here.")
        group.add_argument("--restore", help="Put back every file of this archive (existing names are kept).")

    def handle(self, *args, out=None, restore=None, **options):
        if out:
            count = 0
            with tarfile.open(out, "w:gz") as archive:
                try:
                    names = list(walk(default_storage))
                except FileNotFoundError:
                    names = []
                for name in names:
                    with default_storage.open(name, "rb") as handle:
                        data = handle.read()
                    info = tarfile.TarInfo(name)
                    info.size, info.mtime = len(data), int(time.time())

                    archive.addfile(info, io.BytesIO(data))
                    count += 1
            self.stdout.write(f"Archived {count} stored file(s) to {out}.")
            return
        count = 0
        try:
            archive = tarfile.open(restore, "r:*")
        except (OSError, tarfile.TarError) as exc:
            raise CommandError(f"{restore} is not a storage archive: {exc}") from exc
        with archive:
            for member in archive.getmembers():
                if not member.isfile() or member.name.startswith("/") or ".." in member.name.split("/"):
                    continue
                if default_storage.exists(member.name):
                    continue
                default_storage.save(member.name, ContentFile(archive.extractfile(member).read()))
                count += 1
        self.stdout.write(f"Restored {count} stored file(s) from {restore}.")
