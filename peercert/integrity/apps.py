from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "peercert.integrity"
    label = "integrity"
    verbose_name = "Program integrity: utilization controls, overpayments, DHCS monitoring reviews"

    def ready(self):
        # Each part wires its receivers, hooks and worklists here (parts/<part>.py: connect()).
        from peercert.integrity import wiring

        wiring.connect_all()
