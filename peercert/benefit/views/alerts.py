"""Pages for the benefit's alerts and webhooks: the county's workforce alerts, acknowledging them, and
the webhooks that receive them (register, pause, resume, remove, replace the secret, send again)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.permissions import rule_required
from peercert.benefit import selectors, services
from peercert.benefit.forms.alerts import AcknowledgeForm, AlertFilterForm, WebhookForm
from peercert.benefit.models import AlertStatus, DeliveryStatus, WebhookStatus
from peercert.benefit.permissions import (
    can_acknowledge_alerts,
    can_manage_county,
    can_manage_webhooks,
    can_read_alerts,
    writable_county_ids,
)
from peercert.core.views import run_action, run_form

_SECRET_KEY = "benefit_webhook_secret"


# ---- Alerts -------------------------------------------------------------------------------------


def _label_statuses(alerts):
    """Each alert's from and to status in words (certification's labels, in the reader's language)."""
    labels = selectors.certification_status_labels()
    for alert in alerts:
        alert.from_label = labels.get(alert.from_status, alert.from_status)
        alert.to_label = labels.get(alert.to_status, alert.to_status)
    return alerts


@rule_required(can_read_alerts)
def alert_list(request):
    form = AlertFilterForm(request.GET or None)
    status = query = ""
    if form.is_bound and form.is_valid():
        status, query = form.cleaned_data["status"], form.cleaned_data["q"]
    page = Paginator(selectors.alert_list(actor=request.user, status=status, query=query), 25).get_page(
        request.GET.get("page")
    )
    _label_statuses(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "benefit/alerts/alert_list.html",
        {
            "page": page,
            "form": form if form.is_bound else AlertFilterForm(),
            "query": params.urlencode(),
            "can_manage_webhooks": can_manage_webhooks(request.user),
        },
    )


def _employment_url(employment) -> str:
    # The employment pages are the workforce part's; link to them when they are there.
    try:
        return reverse("benefit:employment_detail", args=[employment.pk])
    except NoReverseMatch:
        return ""


def _render_alert(request, alert, form=None, status=200):
    _label_statuses([alert])
    employments = [(e, _employment_url(e)) for e in selectors.alert_employments(alert)]
    can_ack = alert.status == AlertStatus.OPEN and can_manage_county(request.user, alert.county_id)
    return render(
        request,
        "benefit/alerts/alert_detail.html",
        {
            "alert": alert,
            "employments": employments,
            "deliveries": selectors.alert_deliveries(alert) if can_manage_county(request.user, alert.county_id) else [],
            "form": form or (AcknowledgeForm(prefix="ack") if can_ack else None),
            "can_acknowledge": can_ack,
        },
        status=status,
    )


@rule_required(can_read_alerts)
def alert_detail(request, alert_id: int):
    return _render_alert(request, selectors.access_alert(request.user, alert_id))


@require_POST
@rule_required(can_acknowledge_alerts)
def alert_acknowledge(request, alert_id: int):
    alert = selectors.access_alert(request.user, alert_id)
    form = AcknowledgeForm(request.POST, prefix="ack")
    done = run_form(
        request,
        form,
        lambda data: services.alert_acknowledge(actor=request.user, alert=alert, note=data["note"]),
        success_url=reverse("benefit:alert_list"),
        message=_("Alert acknowledged."),
    )
    return done or _render_alert(request, alert, form=form, status=400)


# ---- Webhooks -----------------------------------------------------------------------------------


@rule_required(can_manage_webhooks)
def webhook_list(request):
    return render(
        request,
        "benefit/alerts/webhook_list.html",
        {"webhooks": selectors.webhook_list(actor=request.user, include_removed=request.GET.get("removed") == "1")},
    )


def _remember_secret(request, webhook, secret: str) -> None:
    # Shown once, on the next page: kept in the session only until that page is drawn.
    request.session[_SECRET_KEY] = {"webhook": webhook.pk, "secret": secret}


@rule_required(can_manage_webhooks)
def webhook_create(request):
    counties = sorted(writable_county_ids(request.user))
    form = WebhookForm(request.POST or None)

    def create(data):
        from peercert.accounts.models import County

        county = County.objects.get(pk=counties[0])
        webhook, secret = services.webhook_create(
            actor=request.user, county=county, url=data["url"], description=data["description"]
        )
        _remember_secret(request, webhook, secret)
        return webhook

    done = run_form(
        request,
        form,
        create,
        success_url=lambda webhook: reverse("benefit:webhook_detail", args=[webhook.pk]),
        message=_("Webhook registered. Copy its secret now: it is shown only once."),
    )
    return done or render(
        request, "benefit/alerts/webhook_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@rule_required(can_manage_webhooks)
def webhook_detail(request, webhook_id: int):
    webhook = selectors.access_webhook(request.user, webhook_id)
    shown = request.session.get(_SECRET_KEY)
    secret = ""
    if shown and shown.get("webhook") == webhook.pk:
        secret = shown.get("secret", "")
        del request.session[_SECRET_KEY]
    status = request.GET.get("status", "")
    status = status if status in DeliveryStatus.values else ""
    page = Paginator(selectors.webhook_deliveries(webhook, status), 25).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "benefit/alerts/webhook_detail.html",
        {
            "webhook": webhook,
            "secret": secret,
            "page": page,
            "status": status,
            "statuses": DeliveryStatus.choices,
            "query": params.urlencode(),
            "is_active": webhook.status == WebhookStatus.ACTIVE,
            "is_paused": webhook.status == WebhookStatus.PAUSED,
            "is_retired": webhook.status == WebhookStatus.RETIRED,
        },
    )


def _webhook_action(request, webhook_id: int, service, message: str):
    webhook = selectors.access_webhook(request.user, webhook_id)
    return run_action(
        request,
        lambda: service(actor=request.user, webhook=webhook),
        success_url=reverse("benefit:webhook_detail", args=[webhook.pk]),
        message=message,
    )


@require_POST
@rule_required(can_manage_webhooks)
def webhook_pause(request, webhook_id: int):
    return _webhook_action(request, webhook_id, services.webhook_pause, _("Webhook paused."))


@require_POST
@rule_required(can_manage_webhooks)
def webhook_resume(request, webhook_id: int):
    return _webhook_action(request, webhook_id, services.webhook_resume, _("Webhook resumed."))


@require_POST
@rule_required(can_manage_webhooks)
def webhook_retire(request, webhook_id: int):
    return _webhook_action(request, webhook_id, services.webhook_retire, _("Webhook removed."))


@require_POST
@rule_required(can_manage_webhooks)
def webhook_rotate_secret(request, webhook_id: int):
    webhook = selectors.access_webhook(request.user, webhook_id)

    def rotate():
        rotated, secret = services.webhook_rotate_secret(actor=request.user, webhook=webhook)
        _remember_secret(request, rotated, secret)
        return rotated

    return run_action(
        request,
        rotate,
        success_url=reverse("benefit:webhook_detail", args=[webhook.pk]),
        message=_("New secret made. Copy it now: it is shown only once. The old one no longer signs events."),
    )


@rule_required(can_manage_webhooks)
def delivery_detail(request, delivery_id: int):
    delivery = selectors.access_delivery(request.user, delivery_id)
    return render(
        request,
        "benefit/alerts/delivery_detail.html",
        {
            "delivery": delivery,
            "attempts": selectors.delivery_attempts(delivery),
            "can_resend": delivery.status == DeliveryStatus.FAILED and delivery.webhook.status != WebhookStatus.RETIRED,
        },
    )


@require_POST
@rule_required(can_manage_webhooks)
def delivery_resend(request, delivery_id: int):
    delivery = selectors.access_delivery(request.user, delivery_id)
    return run_action(
        request,
        lambda: services.webhook_delivery_resend(actor=request.user, delivery=delivery),
        success_url=reverse("benefit:delivery_detail", args=[delivery.pk]),
        message=_("The event will be sent again in a moment."),
    )


urlpatterns: list = [
    path("alerts/", alert_list, name="alert_list"),
    path("alerts/<int:alert_id>/", alert_detail, name="alert_detail"),
    path("alerts/<int:alert_id>/acknowledge/", alert_acknowledge, name="alert_acknowledge"),
    path("webhooks/", webhook_list, name="webhook_list"),
    path("webhooks/new/", webhook_create, name="webhook_create"),
    path("webhooks/<int:webhook_id>/", webhook_detail, name="webhook_detail"),
    path("webhooks/<int:webhook_id>/pause/", webhook_pause, name="webhook_pause"),
    path("webhooks/<int:webhook_id>/resume/", webhook_resume, name="webhook_resume"),
    path("webhooks/<int:webhook_id>/remove/", webhook_retire, name="webhook_retire"),
    path("webhooks/<int:webhook_id>/new-secret/", webhook_rotate_secret, name="webhook_rotate_secret"),
    path("deliveries/<int:delivery_id>/", delivery_detail, name="delivery_detail"),
    path("deliveries/<int:delivery_id>/send-again/", delivery_resend, name="delivery_resend"),
]
