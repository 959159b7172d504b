"""oversight: the plan part's pages: the plan in force (anyone signed in), its versions, a new version
(the program's manager), DHCS's decision, and each section's attachment."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from peercert.accounts.permissions import rule_required
from peercert.core.downloads import serve_upload
from peercert.core.views import run_form
from peercert.oversight import permissions, selectors, services
from peercert.oversight.audit import AuditAction
from peercert.oversight.forms.plan import PlanDecisionForm, PlanSubmitForm
from peercert.oversight.models.plan import PlanStatus

DECIDERS = {
    PlanDecisionForm.APPROVE: (services.plan_approve, gettext_lazy("Plan approved: it is in force from today.")),
    PlanDecisionForm.RETURN: (services.plan_return, gettext_lazy("Plan returned with your comments.")),
    PlanDecisionForm.REJECT: (services.plan_reject, gettext_lazy("Plan rejected.")),
}


def _version_url(version) -> str:
    return reverse("oversight:plan_version", args=[version.pk])


def _history(version) -> list[dict]:
    labels = dict(AuditAction.choices)
    return [
        {"at": e.at, "label": labels.get(e.action, e.action), "who": e.actor or _("system"), "reason": e.reason}
        for e in selectors.plan_history(version).select_related("actor")
    ]


def _sections(version) -> list[dict]:
    comments: dict[int, list] = {}
    for comment in version.comments.select_related("author"):
        comments.setdefault(comment.section_id, []).append(comment)
    return [{"section": s, "comments": comments.get(s.pk, [])} for s in version.sections.all()]


@login_required
def plan(request):
    version = selectors.plan_in_force()
    user = request.user
    return render(
        request,
        "oversight/plan/in_force.html",
        {
            "version": version,
            "sections": _sections(version) if version else [],
            "can_read_versions": permissions.can_read_plan_versions(user),
            "can_submit": permissions.can_submit_plan(user),
            "awaiting": selectors.plan_awaiting_decision() if permissions.can_read_plan_versions(user) else None,
        },
    )


@rule_required(permissions.can_read_plan_versions)
def plan_versions(request):
    return render(
        request,
        "oversight/plan/versions.html",
        {
            "versions": selectors.plan_versions(request.user),
            "can_submit": permissions.can_submit_plan(request.user),
            "awaiting": selectors.plan_awaiting_decision(),
        },
    )


@rule_required(permissions.can_submit_plan)
def plan_submit(request):
    latest = selectors.plan_versions(request.user).prefetch_related("sections").first()
    initial = {s.code: s.body for s in latest.sections.all()} if latest else {}
    form = PlanSubmitForm(request.POST or None, request.FILES or None, initial_sections=initial)
    done = run_form(
        request,
        form,
        lambda data: services.plan_submit(actor=request.user, sections=form.sections(), summary=data["summary"]),
        success_url=_version_url,
        message=_("Plan version submitted to DHCS for a decision."),
    )
    return done or render(
        request,
        "oversight/plan/submit.html",
        {"form": form, "latest": latest, "awaiting": selectors.plan_awaiting_decision()},
        status=400 if form.is_bound else 200,
    )


def _render_version(request, version, *, status: int = 200, decision_form=None):
    user = request.user
    may_decide = (
        permissions.can_decide_plan(user)
        and version.status == PlanStatus.SUBMITTED
        and version.submitted_by_id != user.pk
    )
    sections = list(version.sections.all())
    return render(
        request,
        "oversight/plan/version.html",
        {
            "version": version,
            "sections": _sections(version),
            "history": _history(version),
            "may_decide": may_decide,
            "decision_form": decision_form
            or (PlanDecisionForm(prefix="decide", sections=sections) if may_decide else None),
            "own_submission": version.status == PlanStatus.SUBMITTED and version.submitted_by_id == user.pk,
            "can_submit": permissions.can_submit_plan(user) and version.status == PlanStatus.RETURNED,
            "can_read_versions": permissions.can_read_plan_versions(user),
        },
        status=status,
    )


@login_required
def plan_version(request, version_id: int):
    return _render_version(request, selectors.access_plan_version(request.user, version_id))


@require_POST
@rule_required(permissions.can_decide_plan)
def plan_decide(request, version_id: int):
    version = selectors.access_plan_version(request.user, version_id)
    form = PlanDecisionForm(request.POST, prefix="decide", sections=list(version.sections.all()))

    def decide(data):
        service, _message = DECIDERS[data["decision"]]
        return service(
            actor=request.user, version=version, comment=data["comment"], section_comments=form.section_comments()
        )

    done = run_form(
        request,
        form,
        decide,
        success_url=_version_url(version),
        message=lambda decided: DECIDERS[form.cleaned_data["decision"]][1],
    )
    return done or _render_version(request, version, status=400, decision_form=form)


@login_required
def plan_attachment(request, section_id: int):
    section = selectors.access_plan_section(request.user, section_id)
    # Always an attachment, with the type found at upload: never opened as a page here.
    return serve_upload(
        section.attachment, kind=section.attachment_kind, download_name=section.attachment_name or "attachment.pdf"
    )


urlpatterns: list = [
    path("plan/", plan, name="plan"),
    path("plan/versions/", plan_versions, name="plan_versions"),
    path("plan/versions/new/", plan_submit, name="plan_submit"),
    path("plan/versions/<int:version_id>/", plan_version, name="plan_version"),
    path("plan/versions/<int:version_id>/decide/", plan_decide, name="plan_decide"),
    path("plan/sections/<int:section_id>/attachment/", plan_attachment, name="plan_attachment"),
]
