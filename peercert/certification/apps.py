from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "peercert.certification"
    label = "certification"
    verbose_name = "Certification"

    def ready(self):
        from peercert.certification import worklists  # noqa: F401  (registers home-page queues)
        from peercert.certification.receivers import on_invoice_settled
        from peercert.finance.signals import invoice_settled

        invoice_settled.connect(on_invoice_settled, dispatch_uid="certification.application_fee_settled")
