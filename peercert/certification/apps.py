from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "peercert.certification"
    label = "certification"
    verbose_name = "Certification"

    def ready(self):
        from peercert.certification import worklists  # noqa: F401  (registers home-page queues)
