from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "peercert.credentials"
    label = "credentials"

    def ready(self) -> None:
        from peercert.certification import hooks, signals
        from peercert.credentials import checks, receivers  # noqa: F401 - registers the system check

        signals.certification_status_changed.connect(receivers.status_changed, dispatch_uid="credentials-status")
        signals.certification_issued.connect(receivers.issued, dispatch_uid="credentials-issued")
        hooks.set_credential_link(receivers.credential_link)

        from peercert.core.jobs import register_daily_job
        from peercert.credentials import services

        register_daily_job("credentials.status_lists", services.status_lists_daily, order=90)
