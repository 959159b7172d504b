"""integrity: the overpayments part's pages: the list (a county's own, or statewide for DHCS with totals),
one overpayment with its lines and 60-day clock, the void claims, the report (prepare, sign, CSV, PDF)
and the return."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.permissions import rule_required
from peercert.core.views import run_action, run_form
from peercert.integrity import overpayments_report, permissions, selectors, services
from peercert.integrity.forms.overpayments import OverpaymentFilterForm, ReportPrepareForm, ReportSignForm, ReturnForm
from peercert.integrity.models import OverpaymentStatus


def _detail_url(overpayment) -> str:
    return reverse("integrity:overpayment_detail", args=[overpayment.pk])


@rule_required(permissions.can_read_overpayments)
def overpayments(request):
    form = OverpaymentFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    qs = selectors.overpayment_list(request.user, status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    statewide = permissions.overpayment_county_ids(request.user) is None
    return render(
        request,
        "integrity/overpayments/list.html",
        {
            "form": form,
            "page": page,
            "statewide": statewide,
            "totals": selectors.overpayment_totals(request.user),
        },
    )


@rule_required(permissions.can_read_overpayments)
def overpayment_detail(request, overpayment_id):
    overpayment = selectors.access_overpayment(request.user, overpayment_id)
    lines = Paginator(selectors.overpayment_lines(overpayment), 100).get_page(request.GET.get("page"))
    for line in lines:
        line.reason = services.overpaid_reason_label(line.reason_code)
    works = permissions.can_work_overpayment(request.user, overpayment)
    unresolved = overpayment.status != OverpaymentStatus.RETURNED
    return render(
        request,
        "integrity/overpayments/detail.html",
        {
            "op": overpayment,
            "lines": lines,
            "works": works,
            "may_void": works and overpayment.status == OverpaymentStatus.OPEN,
            "may_prepare": works and overpayment.status in (OverpaymentStatus.OPEN, OverpaymentStatus.VOIDED),
            "may_sign": permissions.can_sign_overpayment(request.user, overpayment)
            and overpayment.prepared_at is not None
            and overpayment.status in (OverpaymentStatus.OPEN, OverpaymentStatus.VOIDED),
            "may_return": works and overpayment.status == OverpaymentStatus.REPORTED,
            "void_files": sorted(
                {line.void_claim_file_id for line in overpayment.lines.all() if line.void_claim_file_id}
            ),
            "unresolved": unresolved,
        },
    )


@require_POST
@rule_required(permissions.is_overpayment_worker)
def overpayment_voids(request, overpayment_id):
    overpayment = selectors.access_overpayment(request.user, overpayment_id)
    return run_action(
        request,
        lambda: services.overpayment_voids_build(actor=request.user, overpayment=overpayment),
        success_url=_detail_url(overpayment),
        message=lambda files: (
            _("%(count)s void claims are built and passed validation. Download them and send them to the state.")
            % {"count": len(files)}
        ),
    )


@rule_required(permissions.is_overpayment_worker)
def overpayment_prepare(request, overpayment_id):
    overpayment = selectors.access_overpayment(request.user, overpayment_id)
    initial = {"reason_category": overpayment.reason_category, "explanation": overpayment.explanation}
    form = ReportPrepareForm(request.POST or None, initial=initial)
    done = run_form(
        request,
        form,
        lambda data: services.overpayment_report_prepare(actor=request.user, overpayment=overpayment, **data),
        success_url=_detail_url(overpayment),
        message=_("The report is ready. The county's authorized signer has been asked to sign it."),
    )
    if done:
        return done
    return render(
        request,
        "integrity/overpayments/prepare.html",
        {"op": overpayment, "form": form},
        status=400 if form.is_bound else 200,
    )


@rule_required(permissions.is_overpayment_signer)
def overpayment_sign(request, overpayment_id):
    overpayment = selectors.access_overpayment(request.user, overpayment_id)
    form = ReportSignForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.overpayment_report_sign(actor=request.user, overpayment=overpayment, **data),
        success_url=_detail_url(overpayment),
        message=_("You signed the report. Billing staff record the return once the money is sent."),
    )
    if done:
        return done
    return render(
        request,
        "integrity/overpayments/sign.html",
        {"op": overpayment, "form": form, "attestation": _(services.ATTESTATION)},
        status=400 if form.is_bound else 200,
    )


@rule_required(permissions.is_overpayment_worker)
def overpayment_return(request, overpayment_id):
    overpayment = selectors.access_overpayment(request.user, overpayment_id)
    form = ReturnForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.overpayment_return_record(actor=request.user, overpayment=overpayment, **data),
        success_url=_detail_url(overpayment),
        message=_("The return is recorded and the overpayment is closed."),
    )
    if done:
        return done
    return render(
        request,
        "integrity/overpayments/return.html",
        {"op": overpayment, "form": form},
        status=400 if form.is_bound else 200,
    )


@rule_required(permissions.can_read_overpayments)
def overpayment_report_csv(request, overpayment_id):
    overpayment = selectors.access_overpayment(request.user, overpayment_id)
    response = HttpResponse(
        overpayments_report.report_csv(request.user, overpayment), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="overpayment-{overpayment.pk}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@rule_required(permissions.can_read_overpayments)
def overpayment_report_pdf(request, overpayment_id):
    overpayment = selectors.access_overpayment(request.user, overpayment_id)
    response = HttpResponse(overpayments_report.report_pdf(request.user, overpayment), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="overpayment-{overpayment.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns: list = [
    path("overpayments/", overpayments, name="overpayments"),
    path("overpayments/<int:overpayment_id>/", overpayment_detail, name="overpayment_detail"),
    path("overpayments/<int:overpayment_id>/voids/", overpayment_voids, name="overpayment_voids"),
    path("overpayments/<int:overpayment_id>/report/", overpayment_prepare, name="overpayment_prepare"),
    path("overpayments/<int:overpayment_id>/sign/", overpayment_sign, name="overpayment_sign"),
    path("overpayments/<int:overpayment_id>/return/", overpayment_return, name="overpayment_return"),
    path("overpayments/<int:overpayment_id>/report.csv", overpayment_report_csv, name="overpayment_report_csv"),
    path("overpayments/<int:overpayment_id>/report.pdf", overpayment_report_pdf, name="overpayment_report_pdf"),
]
