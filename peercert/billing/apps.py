from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "peercert.billing"
    label = "billing"
    verbose_name = "Billing: beneficiaries, eligibility, services, claims"

    def ready(self):
        from peercert.billing import jobs, worklists

        worklists.register_all()
        jobs.register()
