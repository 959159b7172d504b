"""Pages for billing's gate: batches (upload, enter by hand), the gate's result with filters and its CSV,
the progress of a background run, a held line's correction and override."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.permissions import rule_required
from peercert.billing import gate, permissions, selectors, services
from peercert.billing.forms.gate import LineCorrectForm, LineForm, OverrideForm, ServiceFileForm
from peercert.billing.models import AccessChannel, BatchStatus, LineStatus
from peercert.billing.selectors.gate import EXPORT_HEADER
from peercert.core import csvexport
from peercert.core.errors import ApplicationError, add_to_form
from peercert.core.views import run_action, run_form

MAX_UPLOAD = services.MAX_FILE_BYTES


def _own_county(request) -> int | None:
    counties = sorted(permissions.billing_county_ids(request.user))
    return counties[0] if counties else None


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@rule_required(permissions.can_read_billing)
def batch_list(request):
    status = request.GET.get("status", "")
    status = status if status in BatchStatus.values else ""
    page = Paginator(selectors.batch_list(request.user, status=status), 25).get_page(request.GET.get("page"))
    county_id = _own_county(request)
    form = ServiceFileForm(request.POST or None, request.FILES or None, prefix="upload") if county_id else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD:
                form.add_error("file", _("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD // 2**20})
            else:
                try:
                    batch = services.batch_import(
                        actor=request.user,
                        county=county_id,
                        content=upload.read(),
                        filename=upload.name,
                        delivery_system=form.cleaned_data["delivery_system"],
                    )
                except ApplicationError as error:
                    add_to_form(form, error)
                else:
                    return redirect("billing:batch_detail", batch_id=batch.pk)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "billing/gate/batch_list.html",
        {
            "page": page,
            "status": status,
            "statuses": BatchStatus.choices,
            "form": form,
            "can_work": county_id is not None,
            "query": query.urlencode(),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@require_POST
@rule_required(permissions.is_billing_staff)
def batch_new(request):
    county_id = _own_county(request)
    return run_action(
        request,
        lambda: services.batch_create(actor=request.user, county=county_id),
        success_url=lambda batch: reverse("billing:batch_detail", args=[batch.pk]),
        failure_url=reverse("billing:batch_list"),
        message=_("Batch created: add its lines."),
    )


def _filters(request, batch):
    status = request.GET.get("status", "")
    reason = request.GET.get("reason", "")
    return {
        "status": status if status in LineStatus.values else "",
        "reason": reason if reason in gate.all_reasons() else "",
        "provider": _int(request.GET.get("provider")),
        "person": _int(request.GET.get("person")),
    }


@rule_required(permissions.can_read_billing)
def batch_detail(request, batch_id: int):
    batch = selectors.access_batch(request.user, batch_id)
    can_work = permissions.can_work_county(request.user, batch.county_id)
    editable = can_work and batch.status in (BatchStatus.OPEN, BatchStatus.CHECKED)
    form = None
    if editable:
        form = LineForm(
            request.POST or None, prefix="line", employments=selectors.county_employment_choices(batch.county_id)
        )
        done = run_form(
            request,
            form,
            lambda data: services.line_add(actor=request.user, batch=batch, data=data),
            success_url=reverse("billing:batch_detail", args=[batch.pk]),
            message=_("Line added. Check the batch when every line is in."),
        )
        if done:
            return done
    elif request.method == "POST":
        raise PermissionDenied
    flt = _filters(request, batch)
    lines = selectors.batch_lines(batch, **flt)
    page = Paginator(lines, 50).get_page(request.GET.get("page"))
    # The page names each line's beneficiary by CIN: each is a read of that beneficiary's record.
    selectors.log_beneficiary_reads(
        request.user, [line.beneficiary_id for line in page.object_list], what=f"service batch {batch.pk}"
    )
    query = request.GET.copy()
    query.pop("page", None)
    counts = batch.counts or {}
    by_reason = [(code, gate.reason_label(code), n) for code, n in (counts.get("by_reason") or {}).items()]
    return render(
        request,
        "billing/gate/batch_detail.html",
        {
            "batch": batch,
            "can_work": can_work,
            "editable": editable,
            "form": form,
            "page": page,
            "flt": flt,
            "statuses": LineStatus.choices,
            "reasons": gate.reason_choices(),
            "by_status": counts.get("by_status") or {},
            "by_reason": by_reason,
            "by_provider": counts.get("by_provider") or [],
            "by_peer": counts.get("by_peer") or [],
            "query": query.urlencode(),
            "percent": int(100 * batch.progress_done / batch.progress_total) if batch.progress_total else 0,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@rule_required(permissions.can_read_billing)
def batch_progress(request, batch_id: int):
    """The progress bar alone, which the batch page reloads (htmx) while the gate runs."""
    batch = selectors.access_batch(request.user, batch_id)
    percent = int(100 * batch.progress_done / batch.progress_total) if batch.progress_total else 0
    return render(request, "billing/gate/_progress.html", {"batch": batch, "percent": percent})


@require_POST
@rule_required(permissions.is_billing_staff)
def batch_check(request, batch_id: int):
    batch = selectors.access_batch(request.user, batch_id)
    return run_action(
        request,
        lambda: services.batch_check(actor=request.user, batch=batch),
        success_url=reverse("billing:batch_detail", args=[batch.pk]),
        message=lambda b: (
            _("The gate is checking the batch.") if b.status == BatchStatus.CHECKING else _("Batch checked.")
        ),
    )


@rule_required(permissions.is_billing_staff)
def batch_export(request, batch_id: int):
    batch = selectors.access_batch(request.user, batch_id)
    if not permissions.can_work_county(request.user, batch.county_id):
        raise Http404
    selectors.log_beneficiary_reads(
        request.user,
        batch.lines.values_list("beneficiary_id", flat=True).distinct(),
        what=f"service batch {batch.pk} export",
        channel=AccessChannel.EXPORT,
    )
    rows = csvexport.stream_rows(EXPORT_HEADER, selectors.export_rows(batch))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="batch-{batch.pk}-gate.csv"'
    return response


def _line_page(request, line, *, correct_form=None, override_form=None, status=200):
    batch = line.batch
    selectors.log_beneficiary_reads(request.user, [line.beneficiary_id], what=f"service line {line.pk}")
    can_work = permissions.can_work_county(request.user, line.county_id)
    correctable = (
        can_work
        and line.status in (LineStatus.HELD, LineStatus.OVERRIDDEN)
        and batch.status
        in (
            BatchStatus.OPEN,
            BatchStatus.CHECKED,
        )
    )
    if correctable and correct_form is None:
        correct_form = LineCorrectForm(
            prefix="fix",
            employments=selectors.county_employment_choices(line.county_id),
            initial={
                "employment": line.employment_id,
                "cin": line.cin,
                "service_date": line.service_date,
                "minutes": line.minutes,
                "code": line.code,
                "delivery_system": line.delivery_system,
            },
        )
    can_override = line.status == LineStatus.HELD and permissions.can_override_hold(request.user, line.county_id)
    if can_override and override_form is None:
        override_form = OverrideForm(prefix="override")
    return render(
        request,
        "billing/gate/line_detail.html",
        {
            "line": line,
            "batch": batch,
            "holds": selectors.line_holds(line),
            "correct_form": correct_form if correctable else None,
            "override_form": override_form if can_override else None,
        },
        status=status,
    )


@rule_required(permissions.can_read_billing)
def line_detail(request, line_id: int):
    line = selectors.access_line(request.user, line_id)
    return _line_page(request, line)


@require_POST
@rule_required(permissions.is_billing_staff)
def line_correct(request, line_id: int):
    line = selectors.access_line(request.user, line_id)
    form = LineCorrectForm(request.POST, prefix="fix", employments=selectors.county_employment_choices(line.county_id))
    done = run_form(
        request,
        form,
        lambda data: services.line_correct(actor=request.user, line=line, data=data),
        success_url=reverse("billing:batch_detail", args=[line.batch_id]),
        message=_("Line corrected. Check the batch again to decide it."),
    )
    return done or _line_page(request, line, correct_form=form, status=400)


@require_POST
@rule_required(permissions.is_billing_supervisor)
def line_override(request, line_id: int):
    line = selectors.access_line(request.user, line_id)
    form = OverrideForm(request.POST, prefix="override")
    done = run_form(
        request,
        form,
        lambda data: services.line_override(actor=request.user, line=line, reason=data["reason"]),
        success_url=reverse("billing:batch_detail", args=[line.batch_id]),
        message=_("Hold overridden: the line is billable."),
    )
    return done or _line_page(request, line, override_form=form, status=400)


urlpatterns: list = [
    path("batches/", batch_list, name="batch_list"),
    path("batches/new/", batch_new, name="batch_new"),
    path("batches/<int:batch_id>/", batch_detail, name="batch_detail"),
    path("batches/<int:batch_id>/progress/", batch_progress, name="batch_progress"),
    path("batches/<int:batch_id>/check/", batch_check, name="batch_check"),
    path("batches/<int:batch_id>/lines.csv", batch_export, name="batch_export"),
    path("lines/<int:line_id>/", line_detail, name="line_detail"),
    path("lines/<int:line_id>/correct/", line_correct, name="line_correct"),
    path("lines/<int:line_id>/override/", line_override, name="line_override"),
]
