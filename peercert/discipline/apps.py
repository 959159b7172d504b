from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "peercert.discipline"
    label = "discipline"
    verbose_name = "Complaints, discipline, appeals and help"

    def ready(self):
        from peercert.discipline.worklists import register_all

        register_all()
