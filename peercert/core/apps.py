from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "peercert.core"
    label = "core"
    verbose_name = "Core"
