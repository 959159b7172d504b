from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "peercert.training"
    label = "training"
