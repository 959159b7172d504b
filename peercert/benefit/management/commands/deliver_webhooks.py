"""Send the webhook deliveries that are due (what the background task does), once or in a loop."""

import time

from django.core.management.base import BaseCommand

from peercert.benefit.services import webhook_deliveries_send_due


class Command(BaseCommand):
    help = "Send every due webhook delivery (pending, next try due, webhook active)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send what is due now, then stop.")
        parser.add_argument("--interval", type=int, default=30, help="Seconds between runs without --once.")

    def handle(self, *args, once=False, interval=30, **options):
        while True:
            counts = webhook_deliveries_send_due()
            self.stdout.write(
                f"delivered {counts['delivered']}, retrying {counts['retrying']}, failed {counts['failed']}"
            )
            if once:
                return
            time.sleep(max(1, interval))
