from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "peercert.registry"
    label = "registry"
