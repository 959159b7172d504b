from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peercert.accounts"
    label = "accounts"
    verbose_name = "People, roles and organizations"

    def ready(self):
        from peercert.accounts import worklists  # noqa: F401  (registers home-page queues)
