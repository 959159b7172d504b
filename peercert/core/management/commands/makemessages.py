"""makemessages that also extracts service errors, which are translated when raised.

ApplicationError("...") literals, and the helpers that pass a literal message on to it:
exams' _forbid(message) and _system_or(actor, rule, message), training's _deny(message),
certification's refuse(message) in historical_record_build.
"""

from django.core.management.commands import makemessages

ERROR_KEYWORDS = ["ApplicationError", "_forbid", "_system_or:3", "_deny", "refuse"]


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, *(f"--keyword={k}" for k in ERROR_KEYWORDS)]

    def handle(self, *args, **options):
        # Tests raise made-up errors ("bad input"); people never read them.
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), "tests/*"]
        return super().handle(*args, **options)
