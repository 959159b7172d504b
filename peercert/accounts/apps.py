from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peercert.accounts"
    label = "accounts"
    verbose_name = "People, roles and organizations"

    def ready(self):
        from peercert.accounts import sign_in, worklists  # noqa: F401  (worklists registers home-page queues)

        sign_in.connect()
