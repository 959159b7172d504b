from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "peercert.registry"
    label = "registry"

    def ready(self):
        from peercert.registry import jobs

        jobs.register()
