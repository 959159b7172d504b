from importlib import import_module

from django.conf import settings
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
        self.stdout.write(sign_in_table(sign_ins, demo_people()))


def demo_people() -> list[tuple[str, str]]:
    """(email, what signing in as them shows) for the demo's people, from each app's demo SIGN_INS."""
    people = []
    for app in SEED_ORDER:
        people.extend(getattr(import_module(f"peercert.{app}.demo"), "SIGN_INS", ()))
    return [(email, str(story)) for email, story in people]


def sign_in_table(sign_ins, people) -> str:
    """The framed table scripts/start ends with: every role's sign-in, then the demo people and their stories."""
    address = f"{settings.SITE_URL.rstrip('/')}/sign-in/"
    left = max([len(email) for _role, email, _county in sign_ins] + [len(email) for email, _ in people])
    rule = "=" * 100
    lines = [
        "",
        rule,
        f" PeerCert demo is ready. Sign in at {address}",
        f" Password for every sign-in below: {accounts_demo.DEMO_PASSWORD}",
        f" E-mails the demo sends are written to {settings.EMAIL_FILE_PATH}/ (one file per message).",
        "-" * 100,
        f" {'Sign-in'.ljust(left)}  Role",
    ]
    for role, email, county in sign_ins:
        lines.append(f" {email.ljust(left)}  {role}{f' ({county})' if county else ''}")
    if people:
        lines += ["-" * 100, f" {'Demo peer'.ljust(left)}  What they show"]
        for email, story in people:
            lines.append(f" {email.ljust(left)}  {story}")
    lines += [rule, ""]
    return "\n".join(lines)
