from django.core.management.base import BaseCommand

from peercert.registry import bulkfiles


class Command(BaseCommand):
    help = "Write the public registry's bulk files (CSV and JSON Lines) now, as the nightly task does."

    def handle(self, *args, **options):
        result = bulkfiles.generate()
        self.stdout.write(f"Wrote the registry's bulk files: {result['rows']} certifications.")
