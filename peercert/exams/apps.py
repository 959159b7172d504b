from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "peercert.exams"
    label = "exams"
    verbose_name = "Certification exam"

    def ready(self):
        from peercert.exams import worklists  # noqa: F401  (registers home-page queues)
