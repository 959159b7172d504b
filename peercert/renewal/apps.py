from django.apps import AppConfig


class RenewalConfig(AppConfig):
    name = "peercert.renewal"
    label = "renewal"
