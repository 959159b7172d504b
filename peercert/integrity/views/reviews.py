"""integrity: DHCS monitoring review pages. DHCS opens and runs reviews; the reviewed party reads its own
and answers the corrective action plan; another party's review is a 404."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.models import RoleAssignment
from peercert.accounts.permissions import rule_required
from peercert.core.downloads import serve_upload
from peercert.core.views import run_action, run_form
from peercert.integrity import permissions, selectors, services
from peercert.integrity.forms.reviews import (
    CloseForm,
    CorrectiveActionForm,
    DecisionForm,
    FindingForm,
    ResponseForm,
    ReviewOpenForm,
)
from peercert.integrity.models.reviews import (
    AWAITING_PARTY,
    CorrectiveActionStatus,
    FindingOutcome,
    RecordKind,
    ReviewParty,
    ReviewStatus,
)
from peercert.integrity.permissions import REVIEW_COUNTY_PARTY, REVIEW_PROGRAM_PARTY


def _detail_url(review_id) -> str:
    return reverse("integrity:monitoring_detail", args=[review_id])


def _runs(user, review) -> bool:
    return permissions.can_run_reviews(user) and not permissions.is_party_to_review(user, review)


@rule_required(permissions.can_see_reviews)
def monitoring_list(request):
    status = request.GET.get("status") or ""
    if status not in ReviewStatus.values:
        status = ""
    page = Paginator(selectors.review_list(request.user, status=status or None), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "integrity/reviews/list.html",
        {
            "page": page,
            "status": status,
            "statuses": ReviewStatus.choices,
            "may_open": permissions.can_run_reviews(request.user),
        },
    )


@rule_required(permissions.can_run_reviews)
def monitoring_new(request):
    form = ReviewOpenForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda d: services.review_open(
            actor=request.user,
            party=d["party"],
            county=d["county"] if d["party"] == ReviewParty.COUNTY else None,
            program=d["program"] if d["party"] == ReviewParty.PROGRAM else None,
            title=d["title"],
            scope=d["scope"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            seed=d["seed"],
        ),
        success_url=lambda review: _detail_url(review.pk),
        message=_("The review is open. Draw its sample next."),
    )
    return done or render(request, "integrity/reviews/new.html", {"form": form}, status=400 if form.is_bound else 200)


@rule_required(permissions.can_see_reviews)
def monitoring_detail(request, review_id):
    review = selectors.access_review(request.user, review_id)
    records = selectors.review_records(request.user, review)
    items = selectors.review_items(review)
    runs = _runs(request.user, review)
    answers = permissions.can_answer_review(request.user, review) and not permissions.can_run_reviews(request.user)
    pending = sum(1 for r in records if r.outcome == FindingOutcome.PENDING)
    not_compliant = sum(1 for r in records if r.outcome == FindingOutcome.NOT_COMPLIANT)
    return render(
        request,
        "integrity/reviews/detail.html",
        {
            "review": review,
            "scope_labels": [RecordKind(kind).label for kind in review.scope],
            "records": records,
            "items": items,
            "runs": runs,
            "answers": answers,
            "pending": pending,
            "not_compliant": not_compliant,
            "awaiting": AWAITING_PARTY,
            "responded": CorrectiveActionStatus.RESPONDED,
            "may_sample": runs and review.status == ReviewStatus.PLANNED,
            "may_find": runs and review.status == ReviewStatus.SAMPLED,
            "may_add_item": runs and review.status in (ReviewStatus.SAMPLED, ReviewStatus.CORRECTIVE_ACTION),
            "may_issue": runs and review.status == ReviewStatus.SAMPLED and not pending and not_compliant,
            "may_close": runs
            and (
                (review.status == ReviewStatus.SAMPLED and records and not pending and not not_compliant)
                or (
                    review.status == ReviewStatus.CORRECTIVE_ACTION
                    and all(i.status == CorrectiveActionStatus.ACCEPTED for i in items)
                )
            ),
            "may_cancel": runs and review.status in (ReviewStatus.PLANNED, ReviewStatus.SAMPLED),
            "decision_form": DecisionForm(prefix="decide"),
            "close_form": CloseForm(prefix="close"),
        },
    )


@require_POST
@rule_required(permissions.can_run_reviews)
def monitoring_sample(request, review_id):
    review = selectors.access_review(request.user, review_id)
    return run_action(
        request,
        lambda: services.review_sample(actor=request.user, review=review),
        success_url=_detail_url(review.pk),
        message=lambda counts: _("%(n)s records sampled. Record a finding on each.") % {"n": sum(counts.values())},
    )


@rule_required(permissions.can_run_reviews)
def monitoring_finding(request, record_id):
    record = selectors.access_review_record(request.user, record_id)
    review = record.review
    initial = {"outcome": record.outcome, "category": record.category, "note": record.note}
    form = FindingForm(request.POST or None, initial=initial if record.outcome != FindingOutcome.PENDING else None)
    done = run_form(
        request,
        form,
        lambda d: services.review_record_finding(
            actor=request.user,
            review=review,
            kind=record.kind,
            record_id=record.record_id,
            outcome=d["outcome"],
            category=d["category"],
            note=d["note"],
        ),
        success_url=_detail_url(review.pk) + "#records",
        message=_("Finding recorded."),
    )
    return done or render(
        request,
        "integrity/reviews/finding.html",
        {"form": form, "record": record, "review": review},
        status=400 if form.is_bound else 200,
    )


def _owners(review):
    roles, scope = (
        (REVIEW_COUNTY_PARTY, {"county_id": review.county_id})
        if review.county_id
        else (REVIEW_PROGRAM_PARTY, {"program_id": review.program_id})
    )
    users = RoleAssignment.objects.filter(role__in=roles, **scope).values("user_id")
    return get_user_model().objects.filter(pk__in=users, is_active=True).order_by("email")


@rule_required(permissions.can_run_reviews)
def monitoring_item_new(request, review_id):
    review = selectors.access_review(request.user, review_id)
    form = CorrectiveActionForm(
        request.POST or None,
        owners=_owners(review),
        findings=review.records.filter(outcome=FindingOutcome.NOT_COMPLIANT).order_by("kind", "position"),
    )
    done = run_form(
        request,
        form,
        lambda d: services.corrective_action_add(
            actor=request.user,
            review=review,
            description=d["description"],
            owner=d["owner"],
            due_on=d["due_on"],
            finding=d["finding"],
        ),
        success_url=_detail_url(review.pk) + "#plan",
        message=_("Corrective action added."),
    )
    return done or render(
        request,
        "integrity/reviews/item_new.html",
        {"form": form, "review": review},
        status=400 if form.is_bound else 200,
    )


@require_POST
@rule_required(permissions.can_run_reviews)
def monitoring_issue_plan(request, review_id):
    review = selectors.access_review(request.user, review_id)
    return run_action(
        request,
        lambda: services.review_issue_plan(actor=request.user, review=review),
        success_url=_detail_url(review.pk),
        message=_("The corrective action plan is sent to the reviewed party."),
    )


@rule_required(permissions.is_reviewed_party)
def monitoring_item_respond(request, item_id):
    item = selectors.access_corrective_action(request.user, item_id)
    if not permissions.can_answer_review(request.user, item.review):
        raise PermissionDenied
    form = ResponseForm(request.POST or None, request.FILES or None)
    done = run_form(
        request,
        form,
        lambda d: services.corrective_action_respond(
            actor=request.user, item=item, response=d["response"], files=d["evidence"]
        ),
        success_url=_detail_url(item.review_id) + "#plan",
        message=_("Your response is sent to DHCS."),
    )
    return done or render(
        request,
        "integrity/reviews/respond.html",
        {"form": form, "item": item, "review": item.review, "open": item.status in AWAITING_PARTY},
        status=400 if form.is_bound else 200,
    )


@require_POST
@rule_required(permissions.can_run_reviews)
def monitoring_item_decide(request, item_id):
    item = selectors.access_corrective_action(request.user, item_id)
    form = DecisionForm(request.POST, prefix="decide")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if request.POST.get("decision") == "return":
        service = services.corrective_action_return
        message = _("The response is sent back.")
    else:
        service = services.corrective_action_accept
        message = _("The response is accepted.")
    return run_action(
        request,
        lambda: service(actor=request.user, item=item, note=note),
        success_url=_detail_url(item.review_id) + "#plan",
        message=message,
    )


@rule_required(permissions.can_see_reviews)
def monitoring_evidence(request, evidence_id):
    evidence = selectors.access_review_evidence(request.user, evidence_id)
    return serve_upload(evidence.file, kind=evidence.kind, download_name=evidence.original_name)


@require_POST
@rule_required(permissions.can_run_reviews)
def monitoring_close(request, review_id):
    review = selectors.access_review(request.user, review_id)
    form = CloseForm(request.POST, prefix="close")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return run_action(
        request,
        lambda: services.review_close(actor=request.user, review=review, note=note),
        success_url=_detail_url(review.pk),
        message=_("The review is closed."),
    )


@require_POST
@rule_required(permissions.can_run_reviews)
def monitoring_cancel(request, review_id):
    review = selectors.access_review(request.user, review_id)
    return run_action(
        request,
        lambda: services.review_cancel(actor=request.user, review=review, reason=request.POST.get("reason", "")[:2000]),
        success_url=_detail_url(review.pk),
        message=_("The review is cancelled."),
    )


urlpatterns: list = [
    path("monitoring/", monitoring_list, name="monitoring_list"),
    path("monitoring/new/", monitoring_new, name="monitoring_new"),
    path("monitoring/<int:review_id>/", monitoring_detail, name="monitoring_detail"),
    path("monitoring/<int:review_id>/sample/", monitoring_sample, name="monitoring_sample"),
    path("monitoring/records/<int:record_id>/finding/", monitoring_finding, name="monitoring_finding"),
    path("monitoring/<int:review_id>/plan/new/", monitoring_item_new, name="monitoring_item_new"),
    path("monitoring/<int:review_id>/plan/issue/", monitoring_issue_plan, name="monitoring_issue_plan"),
    path("monitoring/plan/<int:item_id>/respond/", monitoring_item_respond, name="monitoring_item_respond"),
    path("monitoring/plan/<int:item_id>/decide/", monitoring_item_decide, name="monitoring_item_decide"),
    path("monitoring/evidence/<int:evidence_id>/", monitoring_evidence, name="monitoring_evidence"),
    path("monitoring/<int:review_id>/close/", monitoring_close, name="monitoring_close"),
    path("monitoring/<int:review_id>/cancel/", monitoring_cancel, name="monitoring_cancel"),
]
