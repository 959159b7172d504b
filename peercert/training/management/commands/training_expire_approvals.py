import datetime

from django.core.management.base import BaseCommand

from peercert.training.services import provider_applications_expire


class Command(BaseCommand):
    help = "Daily: mark training entity approvals whose term has ended as expired. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                            help="Run as if today were this day (YYYY-MM-DD), for demonstrations.")

    def handle(self, *args, **options):
        count = provider_applications_expire(today=options["today"])
        self.stdout.write(f"{count} training entity approval(s) expired.")
