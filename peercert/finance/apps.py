from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "peercert.finance"
    label = "finance"
    verbose_name = "Fees and payments"

    def ready(self):
        from peercert.finance.worklists import register_all

        register_all()
