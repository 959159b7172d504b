from django.apps import AppConfig


class BenefitConfig(AppConfig):
    name = "peercert.benefit"
    label = "benefit"
    verbose_name = "Benefit: providers, employment, supervision, rates"

    def ready(self):
        from peercert.benefit import receivers, worklists

        worklists.register_all()
        receivers.connect_all()
