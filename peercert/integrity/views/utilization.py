"""integrity: the utilization part's pages: utilization rules (list, add, end, supersede) and the county's
utilization reviews (the queue, a review, a line's finding, the findings)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.models import County
from peercert.accounts.permissions import rule_required
from peercert.billing import selectors as billing_selectors
from peercert.core import clock
from peercert.core.views import run_action, run_form
from peercert.integrity import permissions, selectors, services
from peercert.integrity.forms.utilization import (
    FindingForm,
    ReviewOpenForm,
    RuleEndForm,
    RuleForm,
    RuleSupersedeForm,
)
from peercert.integrity.models.utilization import LineFindingOutcome, RuleKind, RuleStatus, UtilizationReviewStatus


def _scopes(user) -> list[tuple[str, str]]:
    scopes = []
    if permissions.can_edit_statewide_rules(user):
        scopes.append(("statewide", _("Statewide")))
    for county in County.objects.filter(id__in=permissions.county_rule_editor_ids(user)).order_by("name"):
        scopes.append((str(county.pk), county.name))
    return scopes


@rule_required(permissions.can_read_utilization_rules)
def rule_list(request):
    today = clock.today()
    when = request.GET.get("when", "current")
    when = when if when in ("current", "past", "all") else "current"
    scope = request.GET.get("scope", "")
    scope = scope if scope == "statewide" or scope.isdigit() else ""
    rules = selectors.rule_list(request.user, scope=scope[:12], when=when, today=today)
    page = Paginator(rules, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "integrity/utilization/rule_list.html",
        {
            "page": page,
            "when": when,
            "scope": scope,
            "can_add": permissions.can_edit_some_rules(request.user),
            "query": query.urlencode(),
            "counties": County.objects.filter(
                id__in=selectors.rule_list(request.user).filter(county__isnull=False).values("county_id")
            ).order_by("name"),
        },
    )


@rule_required(permissions.can_edit_some_rules)
def rule_new(request):
    scopes = _scopes(request.user)
    form = RuleForm(request.POST or None, scopes=scopes, prefix="rule")

    def add(data):
        county = None if data["scope"] == "statewide" else int(data["scope"])
        return services.utilization_rule_add(actor=request.user, county=county, data=data)

    done = run_form(
        request,
        form,
        add,
        success_url=lambda rule: reverse("integrity:utilization_rule", args=[rule.pk]),
        message=_("Rule added. The gate applies it to lines checked from now on."),
    )
    return done or render(
        request, "integrity/utilization/rule_new.html", {"form": form}, status=400 if form.is_bound else 200
    )


@rule_required(permissions.can_read_utilization_rules)
def rule_detail(request, rule_id: int):
    rule = selectors.access_rule(request.user, rule_id)
    can_edit = rule.status == RuleStatus.CURRENT and permissions.can_edit_rule_scope(request.user, rule.county_id)
    history = []
    node = rule.supersedes
    while node is not None and len(history) < 50:
        history.append(node)
        node = node.supersedes
    return render(
        request,
        "integrity/utilization/rule_detail.html",
        {
            "rule": rule,
            "history": history,
            "later": _later(rule),
            "end_form": RuleEndForm(prefix="end") if can_edit else None,
            "supersede_form": RuleSupersedeForm(prefix="new", initial={"name": rule.name, "limit": rule.limit})
            if can_edit
            else None,
            "is_lockout": rule.kind == RuleKind.LOCKOUT,
        },
    )


def _later(rule):
    try:
        return rule.superseded_by
    except type(rule).superseded_by.RelatedObjectDoesNotExist:
        return None


def _edit_rule(request, rule_id: int):
    rule = selectors.access_rule(request.user, rule_id)
    if not permissions.can_edit_rule_scope(request.user, rule.county_id):
        raise PermissionDenied
    return rule


@require_POST
@rule_required(permissions.can_edit_some_rules)
def rule_end(request, rule_id: int):
    rule = _edit_rule(request, rule_id)
    form = RuleEndForm(request.POST, prefix="end")
    done = run_form(
        request,
        form,
        lambda data: services.utilization_rule_end(
            actor=request.user, rule=rule, last_day=data["last_day"], reason=data["reason"]
        ),
        success_url=reverse("integrity:utilization_rule", args=[rule.pk]),
        message=_("The rule is ended. Its history is kept."),
    )
    return done or render(
        request,
        "integrity/utilization/rule_detail.html",
        {"rule": rule, "history": [], "end_form": form, "supersede_form": None},
        status=400,
    )


@require_POST
@rule_required(permissions.can_edit_some_rules)
def rule_supersede(request, rule_id: int):
    rule = _edit_rule(request, rule_id)
    form = RuleSupersedeForm(request.POST, prefix="new")
    done = run_form(
        request,
        form,
        lambda data: services.utilization_rule_supersede(
            actor=request.user, rule=rule, data=data, reason=data["reason"]
        ),
        success_url=lambda new: reverse("integrity:utilization_rule", args=[new.pk]),
        message=_("The new version is saved; the old one ends the day before."),
    )
    return done or render(
        request,
        "integrity/utilization/rule_detail.html",
        {"rule": rule, "history": [], "end_form": None, "supersede_form": form},
        status=400,
    )


# ---- Reviews -------------------------------------------------------------------------------------


@rule_required(permissions.can_read_utilization_reviews)
def utilization_review_list(request):
    counties = sorted(permissions.utilization_county_ids(request.user))
    county_id = counties[0] if counties else None
    form = ReviewOpenForm(request.POST or None, prefix="review") if county_id else None
    if request.method == "POST" and form is None:
        raise PermissionDenied
    if form is not None:
        done = run_form(
            request,
            form,
            lambda data: services.utilization_review_open(
                actor=request.user,
                county=county_id,
                period_start=data["period_start"],
                period_end=data["period_end"],
                seed=data.get("seed"),
            ),
            success_url=lambda review: reverse("integrity:utilization_review", args=[review.pk]),
            message=_("Review opened: the sample and the outliers are in its queue."),
        )
        if done:
            return done
    page = Paginator(selectors.utilization_review_list(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "integrity/utilization/review_list.html",
        {"page": page, "form": form, "query": ""},
        status=400 if form is not None and form.is_bound else 200,
    )


@rule_required(permissions.can_read_utilization_reviews)
def review_detail(request, review_id: int):
    review = selectors.access_utilization_review(request.user, review_id)
    todo = request.GET.get("todo") == "1"
    rows = selectors.review_line_list(review, todo=todo)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    # The page names each line's beneficiary by CIN: each is a read of that beneficiary's record.
    selectors.log_review_reads(request.user, page.object_list, what=f"utilization review {review.pk}")
    can_close = (
        review.status == UtilizationReviewStatus.OPEN
        and review.county_id in permissions.county_rule_editor_ids(request.user)
    )
    return render(
        request,
        "integrity/utilization/review_detail.html",
        {
            "review": review,
            "page": page,
            "todo": todo,
            "can_close": can_close,
            "query": "todo=1" if todo else "",
        },
    )


@require_POST
@rule_required(permissions.can_read_utilization_reviews)
def review_close(request, review_id: int):
    review = selectors.access_utilization_review(request.user, review_id)
    if review.county_id not in permissions.county_rule_editor_ids(request.user):
        raise PermissionDenied
    url = reverse("integrity:utilization_review", args=[review.pk])
    return run_action(
        request,
        lambda: services.utilization_review_close(actor=request.user, review=review),
        success_url=url,
        failure_url=url,
        message=_("Review closed."),
    )


@rule_required(permissions.can_read_utilization_reviews)
def review_line(request, review_line_id: int):
    row = selectors.access_review_line(request.user, review_line_id)
    line = row.service_line
    finding = getattr(row, "finding", None)
    may_review = (
        finding is None
        and row.review.status == UtilizationReviewStatus.OPEN
        and permissions.can_review_line(request.user, line)
    )
    if request.method == "POST" and not may_review:
        raise PermissionDenied
    form = FindingForm(request.POST or None, prefix="finding") if may_review else None
    if form is not None:
        done = run_form(
            request,
            form,
            lambda data: services.line_finding_record(
                actor=request.user,
                review_line=row,
                outcome=data["outcome"],
                category=data.get("category") or "",
                note=data.get("note") or "",
            ),
            success_url=reverse("integrity:utilization_review", args=[row.review_id]) + "?todo=1",
            message=_("Finding recorded."),
        )
        if done:
            return done
    billing_selectors.log_beneficiary_reads(
        request.user, [line.beneficiary_id], what=f"utilization review line {row.pk}"
    )
    own_service = not permissions.can_review_line(request.user, line) and permissions.can_work_utilization_review(
        request.user, line.county_id
    )
    return render(
        request,
        "integrity/utilization/review_line.html",
        {"row": row, "line": line, "finding": finding, "form": form, "own_service": own_service},
        status=400 if form is not None and form.is_bound else 200,
    )


@rule_required(permissions.can_read_utilization_reviews)
def finding_list(request):
    outcome = request.GET.get("outcome", "")
    outcome = outcome if outcome in LineFindingOutcome.values else ""
    page = Paginator(selectors.finding_list(request.user, outcome=outcome), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "integrity/utilization/finding_list.html",
        {"page": page, "outcome": outcome, "outcomes": LineFindingOutcome.choices, "query": f"outcome={outcome}"},
    )


urlpatterns = [
    path("utilization/rules/", rule_list, name="utilization_rules"),
    path("utilization/rules/new/", rule_new, name="utilization_rule_new"),
    path("utilization/rules/<int:rule_id>/", rule_detail, name="utilization_rule"),
    path("utilization/rules/<int:rule_id>/end/", rule_end, name="utilization_rule_end"),
    path("utilization/rules/<int:rule_id>/supersede/", rule_supersede, name="utilization_rule_supersede"),
    path("utilization/reviews/", utilization_review_list, name="utilization_reviews"),
    path("utilization/reviews/<int:review_id>/", review_detail, name="utilization_review"),
    path("utilization/reviews/<int:review_id>/close/", review_close, name="utilization_review_close"),
    path("utilization/review-lines/<int:review_line_id>/", review_line, name="review_line"),
    path("utilization/findings/", finding_list, name="utilization_findings"),
]
