from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "peercert.exams"
    label = "exams"
