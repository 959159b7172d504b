import datetime

from django.core.management.base import BaseCommand, CommandError

from peercert.core.jobs import daily_jobs, run_daily_jobs


class Command(BaseCommand):
    help = (
        "Run PeerCert's daily jobs (expiry, reminders, vacating, discipline dates, closing windows). "
        "Idempotent: safe to run twice. Schedule it from cron once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD), for demonstrations.")
        parser.add_argument("--job", action="append", help="Run only this job (repeatable).")
        parser.add_argument("--list", action="store_true", help="List the jobs and stop.")

    def handle(self, *args, **options):
        if options["list"]:
            for job in daily_jobs():
                self.stdout.write(f"{job.name}: {job.description}")
            return
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today needs a date like 2026-12-31, not {options['today']!r}.") from exc
        known = {j.name for j in daily_jobs()}
        unknown = set(options["job"] or []) - known
        if unknown:
            raise CommandError(f"Unknown job(s): {', '.join(sorted(unknown))}. Known: {', '.join(sorted(known))}.")
        runs = run_daily_jobs(today=today, only=options["job"], triggered_by="command")
        failed = False
        for run in runs:
            counts = ", ".join(f"{k}={v}" for k, v in run.counts.items()) or "nothing to do"
            self.stdout.write(f"{run.job} for {run.for_day}: {run.outcome} ({counts})")
            if run.outcome == "failed":
                failed = True
                self.stderr.write(run.error)
        if failed:
            raise CommandError("One or more daily jobs failed; see above. The others ran.")
