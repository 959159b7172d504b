from django.apps import AppConfig


class RenewalConfig(AppConfig):
    name = "peercert.renewal"
    label = "renewal"
    verbose_name = "Renewal"

    def ready(self):
        from peercert.finance.signals import invoice_settled
        from peercert.renewal import jobs, worklists  # noqa: F401  (worklists registers home-page queues)
        from peercert.renewal.services import on_invoice_settled

        invoice_settled.connect(on_invoice_settled, dispatch_uid="renewal.fee_settled")
        jobs.register()
