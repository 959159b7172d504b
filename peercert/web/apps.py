from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "peercert.web"
    label = "web"
    verbose_name = "Web layout"
