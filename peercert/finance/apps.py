from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "peercert.finance"
    label = "finance"
