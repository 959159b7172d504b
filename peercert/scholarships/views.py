import io

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.permissions import rule_required
from peercert.accounts.selectors import person_for_user
from peercert.core import clock, csvexport
from peercert.core.views import run_action, run_form
from peercert.scholarships import permissions as perms
from peercert.scholarships import selectors, services
from peercert.scholarships.forms import ApplyForm, AwardForm, DisburseForm, FundForm, NominationForm, ReasonForm
from peercert.scholarships.models import ApplicationStatus, AwardStatus, NominationStatus
from peercert.training import selectors as training_selectors


def _page(request, qs, per=25):
    return Paginator(qs, per).get_page(request.GET.get("page"))


def _choice(request, name, allowed) -> str:
    value = request.GET.get(name, "")
    return value if value in allowed else ""


@login_required
def my_scholarships(request):
    person = person_for_user(request.user)
    return render(
        request,
        "scholarships/my_scholarships.html",
        {
            "person": person,
            "funds": selectors.funds_open_to(person),
            "nominations": selectors.live_nominations_for(person) if person else [],
            "applications": selectors.applications_of(person) if person else [],
            "awards": selectors.awards_of(person) if person else [],
            "can_apply": perms.can_apply(request.user),
            "staff": perms.can_read_ledgers(request.user),
        },
    )


@rule_required(perms.can_read_ledgers)
def fund_list(request):
    funds = selectors.fund_rows(selectors.funds_with_figures(selectors.fund_list(actor=request.user)))
    rows = [{"fund": f, "figures": perms.can_read_fund(request.user, f)} for f in funds]
    return render(
        request,
        "scholarships/fund_list.html",
        {"rows": rows, "can_create": perms.can_manage_funds(request.user), "today": clock.today()},
    )


@rule_required(perms.can_manage_funds)
def fund_create(request):
    form = FundForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.fund_create(actor=request.user, **data),
        success_url=lambda fund: reverse("scholarships:fund_detail", args=[fund.pk]),
        message=_("Fund opened."),
    )
    return done or render(request, "scholarships/fund_form.html", {"form": form}, status=400 if form.is_bound else 200)


@rule_required(perms.can_read_ledgers)
def fund_detail(request, fund_id: int):
    fund = selectors.access_fund(request.user, fund_id)
    return render(
        request,
        "scholarships/fund_detail.html",
        {
            "fund": fund,
            "ledger": selectors.fund_ledger(fund),
            "fees": selectors.fee_names(fund.fee_codes),
            "awards": selectors.fund_awards(fund)[:100],
            "nominations": selectors.nomination_list(actor=request.user, fund_id=fund.pk)[:100],
            "can_nominate": perms.can_nominate(request.user, fund),
            "open": fund.is_open_on(clock.today()),
        },
    )


@rule_required(perms.is_county_staff)
def nominate(request, fund_id: int):
    fund = selectors.access_nominating_fund(request.user, fund_id)
    form = NominationForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.nomination_create(actor=request.user, fund=fund, **data),
        success_url=reverse("scholarships:nominations"),
        message=lambda n: _("%(name)s is nominated and has been told how to apply.") % {"name": n.name},
    )
    return done or render(
        request, "scholarships/nominate.html", {"fund": fund, "form": form}, status=400 if form.is_bound else 200
    )


@rule_required(perms.can_read_ledgers)
def nomination_list(request):
    status = _choice(request, "status", NominationStatus.values)
    page = _page(request, selectors.nomination_list(actor=request.user, status=status))
    return render(
        request,
        "scholarships/nomination_list.html",
        {
            "page": page,
            "status": status,
            "statuses": NominationStatus.choices,
            "withdraw_form": ReasonForm(prefix="withdraw"),
            "county_staff": perms.is_county_staff(request.user),
            "funds": [f for f in selectors.fund_list(actor=request.user) if perms.can_nominate(request.user, f)],
        },
    )


@require_POST
@rule_required(perms.may_withdraw_nominations)
def nomination_withdraw(request, nomination_id: int):
    nomination = selectors.access_nomination(request.user, nomination_id)
    # The service refuses an empty or missing reason with a message saying what to write.
    reason = request.POST.get("withdraw-reason", "")[:2000]
    return run_action(
        request,
        lambda: services.nomination_withdraw(actor=request.user, nomination=nomination, reason=reason),
        success_url=reverse("scholarships:nominations"),
        message=_("Nomination withdrawn."),
    )


@rule_required(perms.can_apply)
def apply(request, fund_id: int):
    fund = selectors.access_fund_to_apply(request.user, fund_id)
    form = ApplyForm(request.POST or None, fund=fund)
    done = run_form(
        request,
        form,
        lambda data: services.application_submit(actor=request.user, fund=fund, **data),
        success_url=lambda a: reverse("scholarships:application_detail", args=[a.pk]),
        message=_("Your application is sent. Program staff will review it and tell you their decision."),
    )
    return done or render(
        request,
        "scholarships/apply.html",
        {"fund": fund, "form": form, "fees": selectors.fee_names(fund.fee_codes)},
        status=400 if form.is_bound else 200,
    )


@rule_required(perms.reads_everything)
def application_list(request):
    status = _choice(request, "status", ApplicationStatus.values)
    page = _page(request, selectors.application_list(actor=request.user, status=status))
    return render(
        request,
        "scholarships/application_list.html",
        {"page": page, "status": status, "statuses": ApplicationStatus.choices},
    )


def _render_application(request, application, status=200, **forms):
    waiting = application.status == ApplicationStatus.SUBMITTED
    decider = perms.can_decide(request.user) and not perms.is_applicant(request.user, application)
    context = {
        "application": application,
        "fees": selectors.fee_names(application.fee_codes),
        "fund_fees": selectors.fee_names(application.fund.fee_codes),
        "award": getattr(application, "award", None) if application.status == ApplicationStatus.AWARDED else None,
        "is_applicant": perms.is_applicant(request.user, application),
        "waiting": waiting,
    }
    if waiting and decider:
        context["ledger"] = selectors.fund_ledger(application.fund)
        context["award_form"] = forms.get("award_form") or AwardForm(
            prefix="award",
            fund=application.fund,
            initial={
                "fee_codes": application.fee_codes,
                "covers_tuition": application.wants_tuition,
                "expires_on": application.fund.closes_on,
            },
        )
        context["decline_form"] = forms.get("decline_form") or ReasonForm(prefix="decline")
    return render(request, "scholarships/application_detail.html", context, status=status)


@login_required
def application_detail(request, application_id: int):
    return _render_application(request, selectors.access_application(request.user, application_id))


def _application_url(application):
    return reverse("scholarships:application_detail", args=[application.pk])


@require_POST
@rule_required(perms.can_decide)
def application_award(request, application_id: int):
    application = selectors.access_application(request.user, application_id)
    form = AwardForm(request.POST, prefix="award", fund=application.fund)
    done = run_form(
        request,
        form,
        lambda data: services.application_award(actor=request.user, application=application, **data),
        success_url=lambda award: reverse("scholarships:award_detail", args=[award.pk]),
        message=_("Scholarship awarded. The applicant has been told."),
    )
    return done or _render_application(request, application, status=400, award_form=form)


@require_POST
@rule_required(perms.can_decide)
def application_decline(request, application_id: int):
    application = selectors.access_application(request.user, application_id)
    form = ReasonForm(request.POST, prefix="decline")
    done = run_form(
        request,
        form,
        lambda data: services.application_decline(actor=request.user, application=application, reason=data["reason"]),
        success_url=_application_url(application),
        message=_("Application declined. The applicant has been told why."),
    )
    return done or _render_application(request, application, status=400, decline_form=form)


@require_POST
@login_required
def application_withdraw(request, application_id: int):
    application = selectors.access_application(request.user, application_id)
    if not perms.is_applicant(request.user, application):
        raise Http404
    return run_action(
        request,
        lambda: services.application_withdraw(actor=request.user, application=application),
        success_url=_application_url(application),
        message=_("Application withdrawn."),
    )


def _render_award(request, award, status=200, **forms):
    staff = perms.can_disburse(request.user) and perms.is_program_staff(request.user)
    active = award.status == AwardStatus.ACTIVE
    context = {
        "award": award,
        "fees": selectors.fee_names(award.fee_codes),
        "payments": selectors.award_fee_payments(award),
        "disbursements": selectors.disbursements_of(award),
        "active": active,
        "staff": perms.reads_everything(request.user),
        "mine": award.person.user_id == request.user.pk,
    }
    if active and staff and award.covers_tuition and award.person.user_id != request.user.pk:
        offerings = [
            e.offering for e in training_selectors.enrollments_for_person(award.person).exclude(status="cancelled")
        ]
        context["disburse_form"] = forms.get("disburse_form") or DisburseForm(
            prefix="pay", offerings=offerings, initial={"paid_on": clock.today()}
        )
    if active and perms.can_decide(request.user) and award.person.user_id != request.user.pk:
        context["end_form"] = forms.get("end_form") or ReasonForm(prefix="end")
    return render(request, "scholarships/award_detail.html", context, status=status)


@login_required
def award_detail(request, award_id: int):
    return _render_award(request, selectors.access_award(request.user, award_id))


@require_POST
@rule_required(perms.is_program_staff)
def award_disburse(request, award_id: int):
    award = selectors.access_award(request.user, award_id)
    offerings = [
        e.offering for e in training_selectors.enrollments_for_person(award.person).exclude(status="cancelled")
    ]
    form = DisburseForm(request.POST, prefix="pay", offerings=offerings)
    done = run_form(
        request,
        form,
        lambda data: services.disbursement_record(actor=request.user, award=award, **data),
        success_url=reverse("scholarships:award_detail", args=[award.pk]),
        message=_("Tuition payment recorded."),
    )
    return done or _render_award(request, award, status=400, disburse_form=form)


@require_POST
@rule_required(perms.can_decide)
def award_end(request, award_id: int):
    award = selectors.access_award(request.user, award_id)
    form = ReasonForm(request.POST, prefix="end")
    done = run_form(
        request,
        form,
        lambda data: services.award_end(actor=request.user, award=award, reason=data["reason"]),
        success_url=reverse("scholarships:award_detail", args=[award.pk]),
        message=_("Award ended; what was left is back in the fund."),
    )
    return done or _render_award(request, award, status=400, end_form=form)


# --- reports --------------------------------------------------------------------------


def _report_header():
    return [
        _("Fund"),
        _("County"),
        _("Nominated"),
        _("Applied"),
        _("Awarded"),
        _("Amount awarded"),
        _("Disbursed"),
        _("Holders certified"),
    ]


def _report_cells(row):
    return [
        row["fund"],
        row["county"],
        row["nominated"],
        row["applied"],
        row["awarded"],
        row["awarded_amount"],
        row["disbursed"],
        row["certified"],
    ]


@rule_required(perms.can_read_ledgers)
def report(request):
    return render(request, "scholarships/report.html", {"rows": selectors.report_rows(actor=request.user)})


@rule_required(perms.can_read_ledgers)
def report_csv(request):
    rows = csvexport.stream_rows(
        _report_header(), (_report_cells(r) for r in selectors.report_rows(actor=request.user))
    )
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scholarships-{clock.today():%Y-%m-%d}.csv"'
    return response


@rule_required(perms.can_read_ledgers)
def report_xlsx(request):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Scholarships")[:31]
    sheet.append(_report_header())
    for r in selectors.report_rows(actor=request.user):
        sheet.append(csvexport.safe_row(_report_cells(r)))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="scholarships-{clock.today():%Y-%m-%d}.xlsx"'
    return response
