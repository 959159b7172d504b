"""Pages for claims out and remittance in: a batch's claim files (build, download, submit),
replacement and void claims for paid lines, 835 upload and detail, the denials worklist."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.models import County
from peercert.accounts.permissions import rule_required
from peercert.billing import permissions, selectors, services
from peercert.billing.forms.claims import CorrectionForm, DenialWorkForm, RemittanceUploadForm
from peercert.billing.models import BatchStatus, ClaimFrequency, LineStatus, PaymentOutcome
from peercert.core.errors import ApplicationError
from peercert.core.views import run_action, run_form


def _batch_url(batch_id) -> str:
    return reverse("billing:claims_batch", args=[batch_id])


def claim_file_response(claim_file) -> HttpResponse:
    """The stored 837P as a download: plain X12 text, never shown inline."""
    response = HttpResponse(claim_file.content, content_type="application/edi-x12; charset=us-ascii")
    name = f"837P-batch{claim_file.batch_id}-{claim_file.interchange_control_number:09d}.x12"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _invalid(request, batch, error: services.ClaimFileInvalid):
    return render(
        request,
        "billing/claims/invalid.html",
        {"batch": batch, "messages_pyx12": error.messages},
        status=422,
    )


@rule_required(permissions.can_read_billing)
def claims_batch(request, batch_id):
    batch = selectors.access_claims_batch(request.user, batch_id)
    files = list(selectors.batch_claim_files(batch))
    for claim_file in files:
        claim_file.is_current = selectors.claim_file_is_current(batch, claim_file)
    counts = {row["status"]: row["n"] for row in batch.lines.values("status").order_by().annotate(n=Count("id"))}
    works = permissions.can_work_county(request.user, batch.county_id)
    current = selectors.current_claim_file(batch)
    paid = Paginator(selectors.paid_lines(batch), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "billing/claims/batch.html",
        {
            "batch": batch,
            "files": files,
            "billed": counts.get(LineStatus.BILLABLE, 0) + counts.get(LineStatus.OVERRIDDEN, 0),
            "held": counts.get(LineStatus.HELD, 0),
            "may_build": works and batch.status == BatchStatus.CHECKED,
            "may_submit": works and batch.status == BatchStatus.CHECKED and current is not None,
            "may_correct": works,
            "submitted": batch.status == BatchStatus.SUBMITTED,
            "paid": paid,
            "summary": selectors.batch_remittance_summary(batch),
        },
    )


@require_POST
@rule_required(permissions.is_billing_staff)
def claims_build(request, batch_id):
    batch = selectors.access_claims_batch(request.user, batch_id)
    try:
        claim_file = services.claim_file_build(actor=request.user, batch=batch)
    except services.ClaimFileInvalid as error:
        return _invalid(request, batch, error)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(_batch_url(batch.pk))
    messages.success(
        request,
        _("Claim file %(number)s is built and passed validation. Download it and send it to the state.")
        % {"number": claim_file.interchange_control_number},
    )
    return redirect(_batch_url(batch.pk))


@rule_required(permissions.can_read_billing)
def claims_download(request, claim_file_id):
    claim_file = selectors.access_claim_file(request.user, claim_file_id)
    try:
        services.claim_file_download(actor=request.user, claim_file=claim_file)
    except ApplicationError as error:
        raise PermissionDenied from error
    return claim_file_response(claim_file)


@require_POST
@rule_required(permissions.is_billing_staff)
def claims_submit(request, batch_id):
    batch = selectors.access_claims_batch(request.user, batch_id)
    return run_action(
        request,
        lambda: services.batch_submit(actor=request.user, batch=batch),
        success_url=_batch_url(batch.pk),
        message=_("The batch is marked as sent to the state. It can no longer change."),
    )


@rule_required(permissions.is_billing_staff)
def claims_correct(request, line_id):
    line = selectors.access_paid_line(request.user, line_id)
    form = CorrectionForm(request.POST or None)
    invalid = None

    def build(data):
        return services.claim_file_correct(
            actor=request.user, line=line, frequency=data["frequency"], reason=data["reason"]
        )

    try:
        done = run_form(
            request,
            form,
            build,
            success_url=lambda _f: _batch_url(line.batch_id),
            message=lambda f: (
                (
                    _("Void claim file %(number)s is built and passed validation.")
                    if f.frequency == ClaimFrequency.VOID
                    else _("Replacement claim file %(number)s is built and passed validation.")
                )
                % {"number": f.interchange_control_number}
            ),
        )
    except services.ClaimFileInvalid as error:
        invalid = error
        done = None
    if invalid is not None:
        return _invalid(request, line.batch, invalid)
    return done or render(
        request,
        "billing/claims/correct.html",
        {"form": form, "line": line, "batch": line.batch},
        status=400 if form.is_bound else 200,
    )


@rule_required(permissions.can_read_billing)
def remittances(request):
    page = Paginator(selectors.remittance_list(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "billing/claims/remittances.html",
        {"page": page, "may_upload": permissions.is_billing_staff(request.user)},
    )


@rule_required(permissions.is_billing_staff)
def remittance_upload(request):
    counties = County.objects.filter(pk__in=permissions.billing_county_ids(request.user)).order_by("name")
    form = RemittanceUploadForm(request.POST or None, request.FILES or None, counties=counties)

    def imported(result):
        return redirect("billing:remittance_detail", result[0].pk)

    done = run_form(
        request,
        form,
        lambda data: services.remittance_import(actor=request.user, county=data["county"], upload=data["file"]),
        on_success=imported,
        message=lambda result: (
            _("The 835 is posted.") if result[1] else _("This 835 was imported before; nothing was added.")
        ),
    )
    return done or render(
        request, "billing/claims/remittance_upload.html", {"form": form}, status=400 if form.is_bound else 200
    )


@rule_required(permissions.can_read_billing)
def remittance_detail(request, remittance_id):
    remittance = selectors.access_remittance(request.user, remittance_id)
    status = request.GET.get("status", "")
    if status not in {c.value for c in PaymentOutcome if c.value}:
        status = ""
    page = Paginator(selectors.remittance_lines(remittance, status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "billing/claims/remittance_detail.html",
        {
            "remittance": remittance,
            "page": page,
            "status": status,
            "statuses": [c for c in PaymentOutcome if c.value],
            "query": f"status={status}" if status else "",
        },
    )


@rule_required(permissions.can_read_billing)
def denials(request):
    worked = request.GET.get("worked") == "1"
    page = Paginator(selectors.denial_list(request.user, worked=worked), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "billing/claims/denials.html",
        {"page": page, "worked": worked, "may_work": permissions.is_billing_staff(request.user)},
    )


@rule_required(permissions.is_billing_staff)
def denial_work(request, denial_id):
    row = selectors.access_denial(request.user, denial_id)
    form = DenialWorkForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.denial_work(actor=request.user, remittance_line=row, note=data["note"]),
        success_url=reverse("billing:denials"),
        message=_("The denial is marked worked."),
    )
    return done or render(
        request, "billing/claims/denial_work.html", {"form": form, "row": row}, status=400 if form.is_bound else 200
    )


urlpatterns = [
    path("batches/<int:batch_id>/claims/", claims_batch, name="claims_batch"),
    path("batches/<int:batch_id>/claims/build/", claims_build, name="claims_build"),
    path("batches/<int:batch_id>/claims/submit/", claims_submit, name="claims_submit"),
    path("claim-files/<int:claim_file_id>/download/", claims_download, name="claims_download"),
    path("lines/<int:line_id>/correct/", claims_correct, name="claims_correct"),
    path("remittances/", remittances, name="remittances"),
    path("remittances/upload/", remittance_upload, name="remittance_upload"),
    path("remittances/<int:remittance_id>/", remittance_detail, name="remittance_detail"),
    path("denials/", denials, name="denials"),
    path("denials/<int:denial_id>/work/", denial_work, name="denial_work"),
]
