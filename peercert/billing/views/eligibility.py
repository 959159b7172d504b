"""Pages for beneficiaries, their monthly eligibility, eligibility imports, the 270 inquiry and the
auditor's list of access events.

Thin: each parses input, calls one selector or service, and renders. Every read of a beneficiary goes
through a selector that writes its access event. County billing staff work their own county (another
county's beneficiary by id is a 404); DHCS and the auditor read every county; county staff (not
billing) are refused.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.permissions import can_view_audit, rule_required
from peercert.billing import selectors, services
from peercert.billing.forms.eligibility import (
    AccessEventFilterForm,
    BeneficiaryForm,
    BeneficiarySearchForm,
    EligibilityCorrectForm,
    EligibilityImportForm,
    EligibilityRecordForm,
    InquiryForm,
)
from peercert.billing.models import EligibilityMonth, EligibilitySource
from peercert.billing.permissions import (
    can_read_beneficiaries,
    can_read_beneficiary_access,
    can_work_county,
    is_billing_staff,
)
from peercert.core.errors import ApplicationError
from peercert.core.views import run_form

PAGE_SIZE = 50


def _county_or_404(request):
    counties = list(selectors.working_counties(request.user))
    if not counties:
        raise Http404
    return counties[0]


# ---- Beneficiaries -----------------------------------------------------------------------------


@rule_required(can_read_beneficiaries)
def beneficiary_list(request):
    # A search is posted, not a query string: a CIN or a name and birth date in a URL would end up in
    # server logs and browser history.
    form = BeneficiarySearchForm(request.POST or None)
    found = []
    searched = False
    if form.is_bound and form.is_valid() and (form.cleaned_data.get("cin") or form.cleaned_data.get("last_name")):
        searched = True
        found = selectors.beneficiary_search(
            request.user,
            cin=form.cleaned_data.get("cin", ""),
            last_name=form.cleaned_data.get("last_name", ""),
            date_of_birth=form.cleaned_data.get("date_of_birth"),
            what="beneficiary search",
        )
    return render(
        request,
        "billing/eligibility/beneficiary_list.html",
        {"form": form, "found": found, "searched": searched, "can_add": is_billing_staff(request.user)},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@rule_required(is_billing_staff)
def beneficiary_add(request):
    county = _county_or_404(request)
    form = BeneficiaryForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.beneficiary_create(actor=request.user, county=county, **data),
        success_url=lambda b: reverse("billing:beneficiary_detail", args=[b.pk]),
        message=_("Beneficiary added."),
    )
    return done or render(
        request,
        "billing/eligibility/beneficiary_form.html",
        {"form": form, "county": county, "beneficiary": None},
        status=400 if form.is_bound else 200,
    )


@rule_required(can_read_beneficiaries)
def beneficiary_detail(request, beneficiary_id: int):
    beneficiary = selectors.access_beneficiary(request.user, beneficiary_id, what="beneficiary detail")
    history = selectors.eligibility_history(beneficiary)
    return render(
        request,
        "billing/eligibility/beneficiary_detail.html",
        {
            "beneficiary": beneficiary,
            "current": [m for m in history if m.superseded_at is None],
            "superseded": [m for m in history if m.superseded_at is not None],
            "can_work": can_work_county(request.user, beneficiary.county_id),
        },
    )


@rule_required(is_billing_staff)
def beneficiary_edit(request, beneficiary_id: int):
    beneficiary = selectors.access_beneficiary(request.user, beneficiary_id, what="beneficiary edit")
    if not can_work_county(request.user, beneficiary.county_id):
        raise Http404
    form = BeneficiaryForm(request.POST or None, initial=BeneficiaryForm.initial_for(beneficiary))
    done = run_form(
        request,
        form,
        lambda data: services.beneficiary_update(actor=request.user, beneficiary=beneficiary, **data),
        success_url=reverse("billing:beneficiary_detail", args=[beneficiary.pk]),
        message=_("Beneficiary saved."),
    )
    return done or render(
        request,
        "billing/eligibility/beneficiary_form.html",
        {"form": form, "county": beneficiary.county, "beneficiary": beneficiary},
        status=400 if form.is_bound else 200,
    )


# ---- Months by hand ----------------------------------------------------------------------------


@rule_required(is_billing_staff)
def eligibility_add(request, beneficiary_id: int):
    beneficiary = selectors.access_beneficiary(request.user, beneficiary_id, what="eligibility record")
    if not can_work_county(request.user, beneficiary.county_id):
        raise Http404
    form = EligibilityRecordForm(request.POST or None)
    detail = reverse("billing:beneficiary_detail", args=[beneficiary.pk])
    done = run_form(
        request,
        form,
        lambda data: services.eligibility_record(actor=request.user, beneficiary=beneficiary, **data),
        success_url=detail,
        message=_("Eligibility month recorded."),
    )
    return done or render(
        request,
        "billing/eligibility/eligibility_form.html",
        {"form": form, "beneficiary": beneficiary, "verification": None, "back": detail},
        status=400 if form.is_bound else 200,
    )


@rule_required(is_billing_staff)
def eligibility_correct(request, month_id: int):
    verification = selectors.access_eligibility_month(request.user, month_id, what="eligibility correction")
    beneficiary = verification.beneficiary
    if not can_work_county(request.user, beneficiary.county_id):
        raise Http404
    detail = reverse("billing:beneficiary_detail", args=[beneficiary.pk])
    if verification.superseded_at is not None:
        messages.info(request, _("That verification was already corrected; this is the beneficiary's record now."))
        return redirect(detail)
    form = EligibilityCorrectForm(
        request.POST or None,
        initial={"eligible": "yes" if verification.eligible else "no", "aid_code": verification.aid_code},
    )
    done = run_form(
        request,
        form,
        lambda data: services.eligibility_correct(actor=request.user, verification=verification, **data),
        success_url=detail,
        message=_("Verification corrected; the earlier one is kept in the history."),
    )
    return done or render(
        request,
        "billing/eligibility/eligibility_form.html",
        {"form": form, "beneficiary": beneficiary, "verification": verification, "back": detail},
        status=400 if form.is_bound else 200,
    )


# ---- Imports and the 270 -----------------------------------------------------------------------


def _eligibility_page(request, *, import_form=None, inquiry_form=None, problems=None, unit="line", status=200):
    staff = is_billing_staff(request.user)
    page = Paginator(selectors.eligibility_import_list(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "billing/eligibility/eligibility.html",
        {
            "page": page,
            "can_import": staff,
            "import_form": import_form or (EligibilityImportForm() if staff else None),
            "inquiry_form": inquiry_form or (InquiryForm(prefix="inquiry") if staff else None),
            "problems": problems,
            "unit": unit,
        },
        status=status,
    )


@rule_required(can_read_beneficiaries)
def eligibility_home(request):
    return _eligibility_page(request)


@require_POST
@rule_required(is_billing_staff)
def eligibility_import(request):
    county = _county_or_404(request)
    form = EligibilityImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _eligibility_page(request, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    service = (
        services.eligibility_import_271
        if form.cleaned_data["kind"] == EligibilitySource.X12_271
        else services.eligibility_import_file
    )
    try:
        result = service(actor=request.user, county=county, upload=upload)
    except ApplicationError as exc:
        if "errors" in exc.extra:
            return _eligibility_page(
                request,
                import_form=form,
                problems={"message": exc.message, "rows": exc.extra["errors"], "count": exc.extra["error_count"]},
                unit=exc.extra.get("unit", "line"),
                status=400,
            )
        form.add_error("file" if exc.field in (None, "file") else None, exc.message)
        return _eligibility_page(request, import_form=form, status=400)
    if result.already:
        messages.info(
            request,
            _("This file was already imported on %(day)s; nothing was added.")
            % {"day": formats.date_format(result.record.created_at, "DATE_FORMAT")},
        )
    else:
        messages.success(
            request,
            _(
                "Imported: %(added)s month(s) added, %(changed)s changed, %(unchanged)s unchanged, %(new)s beneficiaries added."
            )
            % {
                "added": result.added,
                "changed": result.changed,
                "unchanged": result.unchanged,
                "new": result.beneficiaries_added,
            },
        )
    return redirect("billing:eligibility_import_detail", import_id=result.record.pk)


@rule_required(can_read_beneficiaries)
def eligibility_import_detail(request, import_id: int):
    record = selectors.access_eligibility_import(request.user, import_id)
    months = EligibilityMonth.objects.filter(imported_from=record)
    written = months.count()
    changed = months.filter(corrects__isnull=False).distinct().count()
    return render(
        request,
        "billing/eligibility/import_detail.html",
        {
            "record": record,
            "added": written - changed,
            "changed": changed,
            "unchanged": max(record.rows - written, 0),
        },
    )


@require_POST
@rule_required(is_billing_staff)
def eligibility_inquiry(request):
    county = _county_or_404(request)
    form = InquiryForm(request.POST, prefix="inquiry")
    if not form.is_valid():
        return _eligibility_page(request, inquiry_form=form, status=400)
    try:
        text, count = services.eligibility_inquiry_270(
            actor=request.user, county=county, month=form.cleaned_data["month"]
        )
    except ApplicationError as exc:
        form.add_error("month" if exc.field == "month" else None, exc.message)
        return _eligibility_page(request, inquiry_form=form, status=400)
    response = HttpResponse(text, content_type="application/edi-x12")
    name = f"270-{county.code}-{form.cleaned_data['month']:%Y-%m}.x12"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- Access events -----------------------------------------------------------------------------


@rule_required(can_read_beneficiary_access)
def access_events(request):
    form = AccessEventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = selectors.beneficiary_access_events(
        request.user,
        cin=filters.get("cin", ""),
        user_email=filters.get("user", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "billing/eligibility/access_events.html",
        {"form": form, "page": page, "query": query.urlencode(), "can_view_audit": can_view_audit(request.user)},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


urlpatterns = [
    path("beneficiaries/", beneficiary_list, name="beneficiary_list"),
    path("beneficiaries/add/", beneficiary_add, name="beneficiary_add"),
    path("beneficiaries/<int:beneficiary_id>/", beneficiary_detail, name="beneficiary_detail"),
    path("beneficiaries/<int:beneficiary_id>/edit/", beneficiary_edit, name="beneficiary_edit"),
    path("beneficiaries/<int:beneficiary_id>/eligibility/add/", eligibility_add, name="eligibility_add"),
    path("eligibility/", eligibility_home, name="eligibility"),
    path("eligibility/import/", eligibility_import, name="eligibility_import"),
    path("eligibility/imports/<int:import_id>/", eligibility_import_detail, name="eligibility_import_detail"),
    path("eligibility/inquiry/", eligibility_inquiry, name="eligibility_inquiry"),
    path("eligibility/<int:month_id>/correct/", eligibility_correct, name="eligibility_correct"),
    path("access-events/", access_events, name="access_events"),
]
