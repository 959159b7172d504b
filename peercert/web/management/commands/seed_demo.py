from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from peercert.accounts import demo as accounts_demo
from peercert.web.navigation import FEATURE_APPS

# Feature apps seed in dependency order: lower layers first.
SEED_ORDER = [
    "finance",
    "assistance",
    "training",
    "exams",
    "certification",
    "renewal",
    "discipline",
    "benefit",
    "billing",
    "scholarships",
    "registry",
    "credentials",
    "council",
    "integrity",
    "oversight",
]
assert set(SEED_ORDER) == set(FEATURE_APPS)


class Command(BaseCommand):
    help = "Load demo data: one sign-in per role, the statewide program, training entities and each feature's examples. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-sign-ins", action="store_true", help="Do not print the demo sign-ins.")

    def handle(self, *args, **options):
        with transaction.atomic():
            sign_ins = accounts_demo.seed(self.stdout)
            for app in SEED_ORDER:
                import_module(f"peercert.{app}.demo").seed(self.stdout)
        if options["quiet_sign_ins"]:
            return
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in at http://127.0.0.1:8000/sign-in/ with:"))
        width = max(len(role) for role, _ in sign_ins)
        for role, email in sign_ins:
            self.stdout.write(f"  {role.ljust(width)}  {email}")
        self.stdout.write(f"  Password for every demo sign-in: {accounts_demo.DEMO_PASSWORD}")
