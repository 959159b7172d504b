from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "peercert.exams"
    label = "exams"
    verbose_name = "Certification exam"

    def ready(self):
        from peercert.core.jobs import register_daily_job
        from peercert.exams import services, worklists  # noqa: F401  (worklists registers home-page queues)
        from peercert.finance.signals import invoice_settled

        invoice_settled.connect(services.on_invoice_settled, dispatch_uid="exams.retake_fee_settled")
        # A safety net for the task scheduled at each deadline (and the next request on the attempt).
        register_daily_job("exams.close_overdue_attempts", services.close_overdue_daily, order=40)
