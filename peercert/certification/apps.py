from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "peercert.certification"
    label = "certification"
    verbose_name = "Certification"

    def ready(self):
        from django.db.models.signals import post_save

        from peercert.accounts.models import Person
        from peercert.certification import worklists  # noqa: F401  (registers home-page queues)
        from peercert.certification.receivers import (
            certification_cycles,
            certification_numbers_to_people,
            on_invoice_settled,
            on_person_saved,
        )
        from peercert.finance.signals import invoice_settled
        from peercert.training import hooks as training_hooks

        # Training sits below certification: it asks through hooks for certification numbers and cycles.
        training_hooks.set_certification_lookup(certification_numbers_to_people)
        training_hooks.set_cycle_provider(certification_cycles)

        invoice_settled.connect(on_invoice_settled, dispatch_uid="certification.application_fee_settled")
        post_save.connect(on_person_saved, sender=Person, dispatch_uid="certification.person_sort_name")
