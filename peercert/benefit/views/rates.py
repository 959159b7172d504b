"""Pages for the benefit's rates: the code table, county rates and DHCS decisions, interim DMC
rates, federal authorities."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from peercert.accounts.models import County
from peercert.accounts.permissions import rule_required
from peercert.benefit import permissions, selectors, services
from peercert.benefit.audit import AuditAction
from peercert.benefit.forms.rates import (
    AuthorityEndForm,
    AuthorityForm,
    DecisionForm,
    InterimRateForm,
    RateFilterForm,
    RateForm,
)
from peercert.benefit.models import RateKind, RateStatus
from peercert.core import clock
from peercert.core.downloads import serve_upload
from peercert.core.views import run_action, run_form

# The order a county reads its own rates in: what needs it first.
COUNTY_SECTIONS = (
    RateStatus.RETURNED,
    RateStatus.DRAFT,
    RateStatus.SUBMITTED,
    RateStatus.APPROVED,
    RateStatus.REJECTED,
    RateStatus.WITHDRAWN,
)
DECIDERS = {
    DecisionForm.APPROVE: (services.rate_approve, gettext_lazy("Rate approved.")),
    DecisionForm.RETURN: (services.rate_return, gettext_lazy("Rate returned with your comments.")),
    DecisionForm.REJECT: (services.rate_reject, gettext_lazy("Rate rejected.")),
}


def _rate_url(rate) -> str:
    return reverse("benefit:rate_detail", args=[rate.pk])


def _history(events) -> list[dict]:
    labels = dict(AuditAction.choices)
    return [
        {"at": e.at, "label": labels.get(e.action, e.action), "who": e.actor or _("system"), "reason": e.reason}
        for e in events.select_related("actor")
    ]


def _codes_labels() -> dict[str, str]:
    return dict(selectors.code_choices())


# ---- Codes -------------------------------------------------------------------------------------


@rule_required(permissions.can_read_benefit)
def codes(request):
    today = clock.today()
    rows = list(selectors.billing_codes())
    in_force = {row.pk for row in selectors.codes_on(today)}
    return render(request, "benefit/rates/codes.html", {"rows": rows, "in_force": in_force, "today": today})


# ---- County rates ------------------------------------------------------------------------------


@rule_required(permissions.can_read_benefit)
def rates(request):
    """County users: their county's rates by state. DHCS and the auditor: every county's, filtered
    (awaiting decision unless another status is asked for)."""
    if permissions.is_statewide_reader(request.user):
        data = request.GET.copy()
        if "status" not in data:
            data["status"] = RateStatus.SUBMITTED
        form = RateFilterForm(data, counties=County.objects.order_by("name"))
        filters = form.values()
        page = Paginator(selectors.rate_list(request.user, **filters), 25).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "benefit/rates/rate_queue.html",
            {
                "form": form,
                "page": page,
                "query": query.urlencode(),
                "awaiting": filters["status"] == RateStatus.SUBMITTED,
                "can_decide": permissions.can_decide_rate(request.user),
                "is_dhcs": permissions.is_dhcs(request.user),
            },
        )
    rows = list(selectors.rate_list(request.user))
    # The approved interim DMC rates a county user may read are the ones that apply to their county.
    interim = list(selectors.interim_rate_list(request.user))
    sections = [
        {"status": status, "label": RateStatus(status).label, "rates": [r for r in rows if r.status == status]}
        for status in COUNTY_SECTIONS
    ]
    return render(
        request,
        "benefit/rates/rate_list.html",
        {
            "sections": sections,
            "interim": interim,
            "count": len(rows),
            "can_propose": permissions.can_propose_county_rate(request.user),
            "many_counties": len({r.county_id for r in rows}) > 1,
        },
    )


def _writable_counties(user):
    return list(County.objects.filter(pk__in=permissions.writable_county_ids(user)).order_by("name"))


@rule_required(permissions.can_propose_county_rate)
def rate_propose(request):
    form = RateForm(request.POST or None, counties=_writable_counties(request.user), codes=selectors.code_choices())
    done = run_form(
        request,
        form,
        lambda data: services.rate_propose(
            actor=request.user,
            county=form.chosen_county(),
            delivery_system=data["delivery_system"],
            code=data["code"],
            amount=data["amount"],
            effective_from=data["effective_from"],
            effective_to=data["effective_to"],
            justification=data["justification"],
        ),
        success_url=_rate_url,
        message=_("Rate saved as a draft. Submit it to DHCS when it is ready."),
    )
    return done or render(
        request,
        "benefit/rates/rate_form.html",
        {"form": form, "title": _("Propose a county rate"), "back": reverse("benefit:rates")},
        status=400 if form.is_bound else 200,
    )


@rule_required(permissions.can_propose_interim_rate)
def interim_rate_propose(request):
    form = InterimRateForm(
        request.POST or None,
        counties=County.objects.filter(opts_in_dmc=True) | County.objects.filter(opts_in_dmc_ods=True),
        codes=selectors.code_choices(),
    )
    done = run_form(
        request,
        form,
        lambda data: services.interim_rate_propose(
            actor=request.user,
            county=form.chosen_county(),
            delivery_system=data["delivery_system"],
            code=data["code"],
            amount=data["amount"],
            effective_from=data["effective_from"],
            effective_to=data["effective_to"],
            justification=data["justification"],
        ),
        success_url=_rate_url,
        message=_("Interim rate saved as a draft. Submit it for another approver's decision when it is ready."),
    )
    return done or render(
        request,
        "benefit/rates/rate_form.html",
        {"form": form, "title": _("Propose an interim DMC rate"), "back": reverse("benefit:interim_rates")},
        status=400 if form.is_bound else 200,
    )


def _render_rate(request, rate, *, status: int = 200, decision_form=None):
    user = request.user
    may_change = permissions.can_change_rate(user, rate)
    changeable = rate.status in (RateStatus.DRAFT, RateStatus.RETURNED)
    may_decide = (
        permissions.can_decide_rate(user) and rate.status == RateStatus.SUBMITTED and rate.proposed_by_id != user.pk
    )
    in_force = None
    if rate.status == RateStatus.APPROVED and rate.county_id:
        in_force = selectors.rate_in_force(rate.county_id, rate.delivery_system, rate.code, clock.today())
    return render(
        request,
        "benefit/rates/rate_detail.html",
        {
            "rate": rate,
            "code_label": _codes_labels().get(rate.code, rate.code),
            "history": _history(selectors.rate_history(rate)),
            "may_edit": may_change and changeable,
            "may_submit": may_change and changeable,
            "may_withdraw": may_change and rate.status in (RateStatus.DRAFT, RateStatus.SUBMITTED, RateStatus.RETURNED),
            "may_decide": may_decide,
            "decision_form": decision_form or (DecisionForm(prefix="decide") if may_decide else None),
            "in_force_today": in_force is not None and in_force.pk == rate.pk,
            "list_url": reverse(
                "benefit:interim_rates"
                if rate.kind == RateKind.INTERIM and permissions.is_statewide_reader(user)
                else "benefit:rates"
            ),
            "is_statewide": permissions.is_statewide_reader(user),
        },
        status=status,
    )


@rule_required(permissions.can_read_benefit)
def rate_detail(request, rate_id: int):
    return _render_rate(request, selectors.access_rate(request.user, rate_id))


@rule_required(permissions.can_read_benefit)
def rate_edit(request, rate_id: int):
    rate = selectors.access_rate(request.user, rate_id)
    if not permissions.can_change_rate(request.user, rate):
        raise PermissionDenied
    initial = {
        "delivery_system": rate.delivery_system,
        "code": rate.code,
        "amount": rate.amount,
        "effective_from": rate.effective_from,
        "effective_to": rate.effective_to,
        "justification": rate.justification,
    }
    form_class = InterimRateForm if rate.kind == RateKind.INTERIM else RateForm
    form = form_class(request.POST or None, initial=initial, codes=selectors.code_choices())
    if rate.kind == RateKind.INTERIM:
        del form.fields["county"]  # the county of a rate does not change; propose another instead
    done = run_form(
        request,
        form,
        lambda data: services.rate_update(
            actor=request.user,
            rate=rate,
            delivery_system=data["delivery_system"],
            code=data["code"],
            amount=data["amount"],
            effective_from=data["effective_from"],
            effective_to=data["effective_to"],
            justification=data["justification"],
        ),
        success_url=_rate_url(rate),
        message=_("Rate changed."),
    )
    return done or render(
        request,
        "benefit/rates/rate_form.html",
        {"form": form, "title": _("Change rate %(id)s") % {"id": rate.pk}, "rate": rate, "back": _rate_url(rate)},
        status=400 if form.is_bound else 200,
    )


def _changer_action(request, rate_id: int, service, message: str):
    rate = selectors.access_rate(request.user, rate_id)
    if not permissions.can_change_rate(request.user, rate):
        raise PermissionDenied
    return run_action(
        request, lambda: service(actor=request.user, rate=rate), success_url=_rate_url(rate), message=message
    )


@require_POST
@rule_required(permissions.can_read_benefit)
def rate_submit(request, rate_id: int):
    return _changer_action(request, rate_id, services.rate_submit, _("Rate submitted to DHCS for a decision."))


@require_POST
@rule_required(permissions.can_read_benefit)
def rate_withdraw(request, rate_id: int):
    return _changer_action(request, rate_id, services.rate_withdraw, _("Rate withdrawn."))


@require_POST
@rule_required(permissions.can_decide_rate)
def rate_decide(request, rate_id: int):
    rate = selectors.access_rate(request.user, rate_id)
    form = DecisionForm(request.POST, prefix="decide")

    def decide(data):
        service, _message = DECIDERS[data["decision"]]
        return service(actor=request.user, rate=rate, comment=data["comment"])

    done = run_form(
        request,
        form,
        decide,
        success_url=_rate_url(rate),
        message=lambda decided: DECIDERS[form.cleaned_data["decision"]][1],
    )
    return done or _render_rate(request, rate, status=400, decision_form=form)


# ---- Interim rates -----------------------------------------------------------------------------


@rule_required(permissions.is_statewide_reader)
def interim_rates(request):
    form = RateFilterForm(request.GET or None)
    filters = form.values()
    page = Paginator(
        selectors.interim_rate_list(request.user, status=filters["status"], system=filters["system"]), 25
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    del form.fields["county"]
    return render(
        request,
        "benefit/rates/interim_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_propose": permissions.can_propose_interim_rate(request.user),
        },
    )


# ---- Federal authorities -----------------------------------------------------------------------


@rule_required(permissions.can_read_benefit)
def authorities(request):
    today = clock.today()
    rows = list(selectors.authority_list())
    return render(
        request,
        "benefit/rates/authority_list.html",
        {
            "rows": rows,
            "today": today,
            "can_record": permissions.can_record_federal_authority(request.user),
        },
    )


@rule_required(permissions.can_record_federal_authority)
def authority_record(request):
    form = AuthorityForm(request.POST or None, request.FILES or None, codes=selectors.code_choices())
    done = run_form(
        request,
        form,
        lambda data: services.authority_record(
            actor=request.user,
            number=data["number"],
            kind=data["kind"],
            title=data["title"],
            delivery_systems=data["delivery_systems"],
            codes=data["codes"],
            approved_on=data["approved_on"],
            effective_from=data["effective_from"],
            effective_to=data["effective_to"],
            document=data["document"],
        ),
        success_url=lambda authority: reverse("benefit:authority_detail", args=[authority.pk]),
        message=_("Federal authority recorded."),
    )
    return done or render(
        request, "benefit/rates/authority_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _render_authority(request, authority, *, status: int = 200, end_form=None):
    can_record = permissions.can_record_federal_authority(request.user)
    today = clock.today()
    codes = _codes_labels()
    return render(
        request,
        "benefit/rates/authority_detail.html",
        {
            "authority": authority,
            "codes": [codes.get(row.code, row.code) for row in authority.code_rows.all()],
            "in_force": authority.effective_from <= today
            and (authority.effective_to is None or authority.effective_to >= today),
            "history": _history(selectors.authority_history(authority)),
            "end_form": (end_form or AuthorityEndForm(prefix="end")) if can_record else None,
        },
        status=status,
    )


@rule_required(permissions.can_read_benefit)
def authority_detail(request, authority_id: int):
    return _render_authority(request, selectors.access_authority(request.user, authority_id))


@require_POST
@rule_required(permissions.can_record_federal_authority)
def authority_end(request, authority_id: int):
    authority = selectors.access_authority(request.user, authority_id)
    form = AuthorityEndForm(request.POST, prefix="end")
    done = run_form(
        request,
        form,
        lambda data: services.authority_end(
            actor=request.user, authority=authority, effective_to=data["effective_to"], reason=data["reason"]
        ),
        success_url=reverse("benefit:authority_detail", args=[authority.pk]),
        message=_("End date set."),
    )
    return done or _render_authority(request, authority, status=400, end_form=form)


@rule_required(permissions.can_read_benefit)
def authority_document(request, authority_id: int):
    authority = selectors.access_authority(request.user, authority_id)
    # Always an attachment: a document from outside is saved and opened, never run as a page here.
    return serve_upload(
        authority.document, kind=authority.document_type, download_name=authority.document_name or "authority.pdf"
    )


urlpatterns = [
    path("codes/", codes, name="codes"),
    path("rates/", rates, name="rates"),
    path("rates/propose/", rate_propose, name="rate_propose"),
    path("rates/<int:rate_id>/", rate_detail, name="rate_detail"),
    path("rates/<int:rate_id>/edit/", rate_edit, name="rate_edit"),
    path("rates/<int:rate_id>/submit/", rate_submit, name="rate_submit"),
    path("rates/<int:rate_id>/withdraw/", rate_withdraw, name="rate_withdraw"),
    path("rates/<int:rate_id>/decide/", rate_decide, name="rate_decide"),
    path("interim-rates/", interim_rates, name="interim_rates"),
    path("interim-rates/propose/", interim_rate_propose, name="interim_rate_propose"),
    path("federal-authorities/", authorities, name="authorities"),
    path("federal-authorities/record/", authority_record, name="authority_record"),
    path("federal-authorities/<int:authority_id>/", authority_detail, name="authority_detail"),
    path("federal-authorities/<int:authority_id>/end/", authority_end, name="authority_end"),
    path("federal-authorities/<int:authority_id>/document/", authority_document, name="authority_document"),
]
