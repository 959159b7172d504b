from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "peercert.training"
    label = "training"
    verbose_name = "Training and continuing education"

    def ready(self):
        from peercert.finance.signals import invoice_settled
        from peercert.training import worklists  # noqa: F401  (registers home-page queues)
        from peercert.training.fees import on_invoice_settled

        invoice_settled.connect(on_invoice_settled, dispatch_uid="training.provider_fee_settled")

        from peercert.core.jobs import register_daily_job
        from peercert.training.services import provider_applications_expire

        register_daily_job(
            "training.expire_provider_approvals",
            lambda today: {"expired": provider_applications_expire(today=today)},
            order=20,
            description="Training entity approvals whose term has ended become expired.",
        )
