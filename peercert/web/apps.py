from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "peercert.web"
    label = "web"
    verbose_name = "Web layout"

    def ready(self):
        from peercert.finance.signals import invoice_settled

        invoice_settled.connect(clear_invoice_notifications, dispatch_uid="web.clear_invoice_notifications")


def clear_invoice_notifications(sender, invoice, **kwargs) -> None:
    """finance.signals.invoice_settled: a paid or waived invoice's "fee to pay" messages clear themselves."""
    from django.urls import reverse

    from peercert.core.tell import matter_of, notifications_clear

    notifications_clear(
        matters=[matter_of(invoice)],
        links=[reverse("finance:invoice_detail", args=[invoice.pk])],
        before=invoice.settled_at,
    )
