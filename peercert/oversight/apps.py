from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "peercert.oversight"
    label = "oversight"
    verbose_name = "DHCS oversight: implementation plan, reports, dashboards"

    def ready(self):
        # Each part wires its receivers, hooks and worklists here (parts/<part>.py: connect()).
        from peercert.oversight import wiring

        wiring.connect_all()
