"""Pages for providers, employments, hires, supervision and the statewide workforce view.

Thin: each parses input, calls one selector or service, and renders. County users read and change
their own county's records (another county's by id is a 404); DHCS and auditors read every county.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from peercert.accounts.permissions import rule_required
from peercert.benefit import selectors, services
from peercert.benefit.audit import AuditAction
from peercert.benefit.forms.workforce import (
    AssignmentEndForm,
    AssignmentForm,
    CeilingForm,
    DirectionForm,
    EmploymentEditForm,
    EmploymentEndForm,
    EmploymentForm,
    HireCorrectForm,
    HireForm,
    PolicyForm,
    ProviderForm,
)
from peercert.benefit.models import AssignmentStatus, EmploymentStatus
from peercert.benefit.permissions import (
    can_manage_county,
    can_read_benefit,
    can_set_supervision_ceiling,
    is_county_staff,
    is_dhcs,
    readable_county_ids,
)
from peercert.core import clock
from peercert.core.views import run_form

HISTORY_LABELS = dict(AuditAction.choices)
PAGE_SIZE = 25


def _is_statewide_reader(user) -> bool:
    return can_read_benefit(user) and readable_county_ids(user) is None


def _can_read_ceiling(user) -> bool:
    return is_dhcs(user) or _is_statewide_reader(user)


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# ---- Providers -------------------------------------------------------------------------------


@rule_required(can_read_benefit)
def provider_list(request):
    query = request.GET.get("q", "")[:100]
    page = _page(request, selectors.provider_list(request.user, query=query))
    return render(
        request,
        "benefit/workforce/provider_list.html",
        {
            "page": page,
            "q": query,
            "query": _query_without_page(request),
            "can_add": bool(selectors.writable_counties(request.user).exists()),
            "today": clock.today(),
        },
    )


def _provider_data(data: dict) -> dict:
    return {k: data.get(k) for k in ProviderForm.base_fields}


@rule_required(is_county_staff)
def provider_add(request):
    counties = list(selectors.writable_counties(request.user))
    if not counties:
        raise Http404
    county = counties[0]
    form = ProviderForm(request.POST or None, initial={"active_from": clock.today()}, counties=counties)
    done = run_form(
        request,
        form,
        lambda data: services.provider_create(
            actor=request.user, county=data.get("county") or county, **_provider_data(data)
        ),
        success_url=lambda provider: reverse("benefit:provider_detail", args=[provider.pk]),
        message=_("Provider added."),
    )
    return done or render(
        request,
        "benefit/workforce/provider_form.html",
        {"form": form, "county": county if len(counties) == 1 else None, "provider": None},
        status=400 if form.is_bound else 200,
    )


@rule_required(can_read_benefit)
def provider_detail(request, provider_id: int):
    provider = selectors.access_provider(request.user, provider_id)
    employments = selectors.employment_list(request.user, provider_id=provider.pk, status="open")
    return render(
        request,
        "benefit/workforce/provider_detail.html",
        {
            "provider": provider,
            "employments": employments[:50],
            "employment_count": employments.count(),
            "can_manage": can_manage_county(request.user, provider.county_id),
        },
    )


@rule_required(is_county_staff)
def provider_edit(request, provider_id: int):
    provider = selectors.access_provider(request.user, provider_id)
    if not can_manage_county(request.user, provider.county_id):
        raise Http404
    form = ProviderForm(request.POST or None, initial=ProviderForm.initial_for(provider))
    done = run_form(
        request,
        form,
        lambda data: services.provider_update(actor=request.user, provider=provider, **_provider_data(data)),
        success_url=reverse("benefit:provider_detail", args=[provider.pk]),
        message=_("Provider saved."),
    )
    return done or render(
        request,
        "benefit/workforce/provider_form.html",
        {"form": form, "county": provider.county, "provider": provider},
        status=400 if form.is_bound else 200,
    )


# ---- Employments -----------------------------------------------------------------------------


STATUS_FILTERS = [("open", gettext_lazy("Open (recorded or hired)")), *EmploymentStatus.choices]


@rule_required(can_read_benefit)
def employment_list(request):
    status = request.GET.get("status", "")
    status = status if status in dict(STATUS_FILTERS) else ""
    query = request.GET.get("q", "")[:100]
    providers = selectors.provider_list(request.user)
    provider_ids = {str(p.pk) for p in providers}
    provider = request.GET.get("provider", "")
    provider = provider if provider in provider_ids else ""
    qs = selectors.employment_list(request.user, status=status, provider_id=provider or None, query=query)
    return render(
        request,
        "benefit/workforce/employment_list.html",
        {
            "page": _page(request, qs),
            "status": status,
            "statuses": [(v, str(label)) for v, label in STATUS_FILTERS],
            "provider": provider,
            "providers": providers,
            "q": query,
            "query": _query_without_page(request),
            "can_add": bool(selectors.writable_counties(request.user).exists()),
        },
    )


def _record(actor, data):
    person = selectors.find_peer(
        number=data.get("certification_number", ""),
        legal_name=data.get("legal_name", ""),
        date_of_birth=data.get("date_of_birth"),
    )
    return services.employment_record(
        actor=actor,
        provider=data["provider"],
        person=person,
        position_title=data["position_title"],
        fte=data["fte"],
        start_on=data["start_on"],
        delivery_systems=data["delivery_systems"],
        individual_npi=data.get("individual_npi", ""),
    )


@rule_required(is_county_staff)
def employment_add(request):
    providers = selectors.writable_providers(request.user)
    form = EmploymentForm(
        request.POST or None,
        providers=providers,
        initial={"start_on": clock.today(), "fte": "1.00", "position_title": _("Peer Support Specialist")},
    )
    done = run_form(
        request,
        form,
        lambda data: _record(request.user, data),
        success_url=lambda employment: reverse("benefit:employment_detail", args=[employment.pk]),
        message=_("Employment recorded. Record the formal hire when it happens."),
    )
    return done or render(
        request,
        "benefit/workforce/employment_form.html",
        {"form": form, "employment": None, "has_providers": providers.exists()},
        status=400 if form.is_bound else 200,
    )


def _render_employment(request, employment, status=200, **forms):
    can_manage = can_manage_county(request.user, employment.county_id)
    open_ = employment.is_open
    assignments = list(
        employment.supervisor_assignments.select_related("supervisor").order_by("-status", "-start_on", "-id")
    )
    history = [
        {"event": e, "label": HISTORY_LABELS.get(e.action, e.action)}
        for e in selectors.employment_history(employment).select_related("actor")
    ]
    context = {
        "employment": employment,
        "cert": selectors.employment_certification_status(employment),
        "direction": selectors.current_direction(employment),
        "directions": employment.directing_professionals.order_by("-start_on", "-id"),
        "assignments": assignments,
        "trained_now": selectors.trained_supervisor_on(employment, clock.today()),
        "history": history,
        "can_manage": can_manage,
        "is_open": open_,
        "today": clock.today(),
    }
    if can_manage and employment.hired_on is not None:
        context["hire_correct_form"] = forms.get("hire_correct_form") or HireCorrectForm(
            prefix="fixhire", initial={"hired_on": employment.hired_on}
        )
    if can_manage and open_:
        if employment.status == EmploymentStatus.RECORDED:
            context["hire_form"] = forms.get("hire_form") or HireForm(
                prefix="hire", initial={"hired_on": clock.today()}
            )
        context["end_form"] = forms.get("end_form") or EmploymentEndForm(prefix="end")
        context["direction_form"] = forms.get("direction_form") or DirectionForm(
            prefix="dir", initial={"start_on": max(employment.start_on, clock.today())}
        )
        context["assignment_form"] = forms.get("assignment_form") or AssignmentForm(
            prefix="sup", initial={"start_on": max(employment.start_on, clock.today())}
        )
        bound_end = forms.get("assignment_end_form")
        context["assignment_end_forms"] = [
            (
                a,
                bound_end
                if bound_end is not None and bound_end.prefix == f"aend-{a.pk}"
                else AssignmentEndForm(prefix=f"aend-{a.pk}", initial={"end_on": clock.today()}),
            )
            for a in assignments
            if a.status == AssignmentStatus.ACTIVE
        ]
    else:
        context["refusals"] = [
            error for form in forms.values() if form is not None for errors in form.errors.values() for error in errors
        ]
    return render(request, "benefit/workforce/employment_detail.html", context, status=status)


@rule_required(can_read_benefit)
def employment_detail(request, employment_id: int):
    employment = selectors.access_employment(request.user, employment_id)
    return _render_employment(request, employment)


def _detail_url(employment) -> str:
    return reverse("benefit:employment_detail", args=[employment.pk])


@rule_required(is_county_staff)
def employment_edit(request, employment_id: int):
    employment = selectors.access_employment(request.user, employment_id)
    if not can_manage_county(request.user, employment.county_id):
        raise Http404
    form = EmploymentEditForm(request.POST or None, initial=EmploymentEditForm.initial_for(employment))
    done = run_form(
        request,
        form,
        lambda data: services.employment_update(actor=request.user, employment=employment, **data),
        success_url=_detail_url(employment),
        message=_("Employment saved."),
    )
    return done or render(
        request,
        "benefit/workforce/employment_form.html",
        {"form": form, "employment": employment},
        status=400 if form.is_bound else 200,
    )


def _managed_employment(request, employment_id: int):
    employment = selectors.access_employment(request.user, employment_id)
    if not can_manage_county(request.user, employment.county_id):
        raise Http404
    return employment


def _employment_step(request, employment_id: int, form_class, prefix: str, form_key: str, act, message):
    """One step on an employment (hire, correct the hire, end, direction, supervisor): the form posted from
    the employment page, the service, and the page again with the bound form when it is refused."""
    employment = _managed_employment(request, employment_id)
    form = form_class(request.POST, prefix=prefix)
    done = run_form(
        request,
        form,
        lambda data: act(request.user, employment, data),
        success_url=_detail_url(employment),
        message=message,
    )
    return done or _render_employment(request, employment, status=400, **{form_key: form})


@require_POST
@rule_required(is_county_staff)
def employment_hire(request, employment_id: int):
    return _employment_step(
        request,
        employment_id,
        HireForm,
        "hire",
        "hire_form",
        lambda actor, e, data: services.employment_hire(actor=actor, employment=e, hired_on=data["hired_on"]),
        _("Formal hire recorded."),
    )


@require_POST
@rule_required(is_county_staff)
def employment_hire_correct(request, employment_id: int):
    return _employment_step(
        request,
        employment_id,
        HireCorrectForm,
        "fixhire",
        "hire_correct_form",
        lambda actor, e, data: services.employment_hire_correct(actor=actor, employment=e, **data),
        _("Hire date corrected. Billing reads the corrected date from now on."),
    )


@require_POST
@rule_required(is_county_staff)
def employment_end(request, employment_id: int):
    return _employment_step(
        request,
        employment_id,
        EmploymentEndForm,
        "end",
        "end_form",
        lambda actor, e, data: services.employment_end(actor=actor, employment=e, **data),
        _("Employment ended. Its supervisors and directing professional ended the same day."),
    )


@require_POST
@rule_required(is_county_staff)
def employment_direction(request, employment_id: int):
    return _employment_step(
        request,
        employment_id,
        DirectionForm,
        "dir",
        "direction_form",
        lambda actor, e, data: services.direction_record(actor=actor, employment=e, **data),
        _("Directing professional recorded."),
    )


def _assign(actor, employment, data):
    supervisor = selectors.find_supervisor(
        number=data.get("supervisor_number", ""),
        legal_name=data.get("supervisor_name", ""),
        date_of_birth=data.get("supervisor_birth"),
        email=data.get("supervisor_email", ""),
    )
    return services.assignment_create(
        actor=actor, employment=employment, supervisor=supervisor, start_on=data["start_on"]
    )


@require_POST
@rule_required(is_county_staff)
def employment_assign(request, employment_id: int):
    return _employment_step(
        request, employment_id, AssignmentForm, "sup", "assignment_form", _assign, _("Supervisor assigned.")
    )


@require_POST
@rule_required(is_county_staff)
def assignment_end(request, assignment_id: int):
    assignment = selectors.access_assignment(request.user, assignment_id)
    if not can_manage_county(request.user, assignment.county_id):
        raise Http404
    employment = selectors.access_employment(request.user, assignment.employment_id)
    form = AssignmentEndForm(request.POST, prefix=f"aend-{assignment.pk}")
    done = run_form(
        request,
        form,
        lambda data: services.assignment_end(actor=request.user, assignment=assignment, **data),
        success_url=_detail_url(employment),
        message=_("Supervision ended."),
    )
    return done or _render_employment(request, employment, status=400, assignment_end_form=form)


# ---- Supervision -----------------------------------------------------------------------------


def _chosen_county(request, source):
    """The county a page is about: the one asked for if the user may read it, else the user's own."""
    counties = selectors.readable_counties(request.user)
    wanted = source.get("county", "")
    if wanted and str(wanted).isdigit() and len(str(wanted)) < 10:
        found = counties.filter(pk=int(wanted)).first()
        if found is not None:
            return found
    if readable_county_ids(request.user) is None:
        return None  # a statewide reader picks a county
    return counties.first()


def _render_supervision(request, county, policy_form=None, status=200):
    today = clock.today()
    context = {
        "county": county,
        "counties": selectors.readable_counties(request.user) if readable_county_ids(request.user) is None else [],
        "rows": selectors.supervision_rows(request.user, county) if county else [],
        "today": today,
    }
    if county is not None:
        context["limit"] = selectors.supervision_limit_on(county, today)
        context["ceiling"] = selectors.ceiling_in_force(today)
        context["policies"] = selectors.policy_list(county)[:20]
        context["overdue"] = selectors.overdue_training_assignments([county.pk])[:50]
        if can_manage_county(request.user, county.pk):
            context["policy_form"] = policy_form or PolicyForm(prefix="policy", initial={"effective_from": today})
    return render(request, "benefit/workforce/supervision.html", context, status=status)


@rule_required(can_read_benefit)
def supervision(request):
    return _render_supervision(request, _chosen_county(request, request.GET))


@require_POST
@rule_required(is_county_staff)
def supervision_policy(request):
    county = _chosen_county(request, request.POST)
    if county is None or not can_manage_county(request.user, county.pk):
        raise Http404
    form = PolicyForm(request.POST, prefix="policy")
    done = run_form(
        request,
        form,
        lambda data: services.supervision_policy_set(actor=request.user, county=county, **data),
        success_url=reverse("benefit:supervision") + f"?county={county.pk}",
        message=_("Supervision policy saved."),
    )
    return done or _render_supervision(request, county, policy_form=form, status=400)


@rule_required(_can_read_ceiling)
def supervision_ceiling(request, form=None, status=200):
    if form is None and can_set_supervision_ceiling(request.user):
        form = CeilingForm(prefix="ceiling", initial={"effective_from": clock.today()})
    return render(
        request,
        "benefit/workforce/ceiling.html",
        {
            "ceilings": selectors.ceiling_list()[:50],
            "current": selectors.ceiling_in_force(clock.today()),
            "form": form,
        },
        status=status,
    )


@require_POST
@rule_required(can_set_supervision_ceiling)
def supervision_ceiling_set(request):
    form = CeilingForm(request.POST, prefix="ceiling")
    done = run_form(
        request,
        form,
        lambda data: services.supervision_ceiling_set(actor=request.user, **data),
        success_url=reverse("benefit:supervision_ceiling"),
        message=_("Statewide ceiling saved."),
    )
    return done or supervision_ceiling(request, form=form, status=400)


@rule_required(_is_statewide_reader)
def workforce_by_county(request):
    rows = selectors.workforce_by_county(request.user)
    totals = {
        key: sum(r[key] for r in rows)
        for key in ("open", "hired", "recorded", "ended_this_year", "supervisors", "overdue_training")
    }
    return render(
        request,
        "benefit/workforce/by_county.html",
        {"rows": rows, "totals": totals, "year": clock.today().year},
    )


urlpatterns = [
    path("providers/", provider_list, name="provider_list"),
    path("providers/add/", provider_add, name="provider_add"),
    path("providers/<int:provider_id>/", provider_detail, name="provider_detail"),
    path("providers/<int:provider_id>/edit/", provider_edit, name="provider_edit"),
    path("employments/", employment_list, name="employment_list"),
    path("employments/add/", employment_add, name="employment_add"),
    path("employments/<int:employment_id>/", employment_detail, name="employment_detail"),
    path("employments/<int:employment_id>/edit/", employment_edit, name="employment_edit"),
    path("employments/<int:employment_id>/hire/", employment_hire, name="employment_hire"),
    path("employments/<int:employment_id>/hire/correct/", employment_hire_correct, name="employment_hire_correct"),
    path("employments/<int:employment_id>/end/", employment_end, name="employment_end"),
    path("employments/<int:employment_id>/direction/", employment_direction, name="employment_direction"),
    path("employments/<int:employment_id>/supervisor/", employment_assign, name="employment_assign"),
    path("supervision/", supervision, name="supervision"),
    path("supervision/policy/", supervision_policy, name="supervision_policy"),
    path("supervision/assignments/<int:assignment_id>/end/", assignment_end, name="assignment_end"),
    path("supervision/ceiling/", supervision_ceiling, name="supervision_ceiling"),
    path("supervision/ceiling/set/", supervision_ceiling_set, name="supervision_ceiling_set"),
    path("workforce/", workforce_by_county, name="workforce_by_county"),
]
