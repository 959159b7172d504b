from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "peercert.certification"
    label = "certification"
