from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "peercert.assistance"
    label = "assistance"
    verbose_name = "Technical assistance and the FAQ"

    def ready(self):
        from peercert.assistance.worklists import register_all

        register_all()
