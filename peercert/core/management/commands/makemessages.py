"""makemessages that also extracts service errors: ApplicationError("...") messages are translated when raised."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=ApplicationError"]
