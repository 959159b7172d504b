from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "peercert.discipline"
    label = "discipline"
