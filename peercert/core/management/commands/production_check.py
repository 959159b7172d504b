"""`manage.py production_check`: refuse to start production with settings that cannot work.

scripts/serve runs it first. Each problem is named with what to set, all at once, so an operator fixes
them in one go instead of one crash at a time.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

REQUIRED = {
    "SECRET_KEY": "50 or more random characters (python -c 'import secrets; print(secrets.token_urlsafe(50))')",
    "ALLOWED_HOSTS": "the host names PeerCert answers to, comma-separated (e.g. peercert.dhcs.ca.gov)",
    "DATABASE_URL": "the PostgreSQL database, postgres://user:password@host:5432/name",
    "SITE_URL": "the address people reach PeerCert at, for links in e-mails (e.g. https://peercert.dhcs.ca.gov)",
}


def problems() -> list[str]:
    found = [f"{name} is not set: set it to {what}." for name, what in REQUIRED.items() if not os.environ.get(name)]
    if settings.DEBUG:
        found.append("DEBUG is on: production runs with DEBUG=0 (it shows error details to anyone).")
    if os.environ.get("SECRET_KEY") and len(os.environ["SECRET_KEY"]) < 50:
        found.append("SECRET_KEY is shorter than 50 characters: make a longer random one.")
    if os.environ.get("DATABASE_URL") and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        found.append("DATABASE_URL is not PostgreSQL: production runs on PostgreSQL (SQLite has one writer).")
    if os.environ.get("DATABASE_POOL") and settings.DATABASES["default"].get("CONN_MAX_AGE"):
        found.append("DATABASE_POOL needs DB_CONN_MAX_AGE=0 (the pool keeps the connections).")
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        found.append("TASKS_BACKEND is not the database backend: task workers would have nothing to run.")
    return found


class Command(BaseCommand):
    help = "Check that the environment has what production needs; exit 1 naming every problem."

    def handle(self, *args, **options):
        found = problems()
        if found:
            raise CommandError("PeerCert cannot start in production:\n  - " + "\n  - ".join(found))
        self.stdout.write("Production settings: ok.")
