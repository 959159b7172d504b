"""Import a county's monthly eligibility CSV of any size from disk, as one of its billing staff.

The upload page keeps core.tabular's 5 MB / 20,000-row limits; a county's whole monthly file (a
million rows) comes in here instead: streamed, all-or-nothing, the same rules and the same idempotence.
Problems are printed by line number; no beneficiary's name is ever printed.
"""

from django.core.management.base import BaseCommand, CommandError

from peercert.accounts.models import County, User
from peercert.billing.services import eligibility_import_stream
from peercert.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Import a county eligibility CSV (cin, month, eligible, aid_code, last_name, first_name, date_of_birth)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file (UTF-8).")
        parser.add_argument("--county", required=True, help="The county's name, e.g. 'Los Angeles'.")
        parser.add_argument("--as", dest="email", required=True, help="Email of the county billing user importing it.")

    def handle(self, *args, path, county, email, **options):
        try:
            where = County.objects.get(name=county)
        except County.DoesNotExist:
            raise CommandError(f"No county is named {county!r}.") from None
        actor = User.objects.filter(email__iexact=email).first()
        if actor is None:
            raise CommandError(f"No user has the email {email!r}.")
        try:
            result = eligibility_import_stream(actor=actor, county=where, path=path)
        except FileNotFoundError:
            raise CommandError(f"No file at {path!r}.") from None
        except ApplicationError as exc:
            for line, message in exc.extra.get("errors", []):
                self.stderr.write(f"line {line}: {message}")
            raise CommandError(exc.message) from None
        if result.already:
            self.stdout.write(f"This file was already imported (import {result.record.pk}); nothing was added.")
            return
        self.stdout.write(
            f"Imported {result.rows} rows: {result.added} months added, {result.changed} changed, "
            f"{result.unchanged} unchanged, {result.beneficiaries_added} beneficiaries added (import {result.record.pk})."
        )
