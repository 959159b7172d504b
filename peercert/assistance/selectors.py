"""Reads for technical assistance, each scoped to what the actor may see."""

import datetime

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.http import Http404

from peercert.accounts.roles import Role
from peercert.assistance.models import AssistanceRequest, AssistanceStatus, FaqEntry, SavedAnswer
from peercert.assistance.permissions import can_answer_assistance
from peercert.core import clock


def faq_published(language: str = "en") -> list[FaqEntry]:
    """The public FAQ in the English entries' order, each shown in `language` when a published
    translation exists, else in English. Two queries whatever the number of entries."""
    language = (language or "en").split("-")[0]
    entries = (
        FaqEntry.objects.filter(is_published=True, translation_of__isnull=True)
        .order_by("category", "order", "pk")
        .prefetch_related(
            Prefetch(
                "translations",
                queryset=FaqEntry.objects.filter(is_published=True, language=language),
                to_attr="in_language",
            )
        )
    )
    return [entry.in_language[0] if entry.in_language else entry for entry in entries]


def assistance_queue(*, actor, status: str = "", category: str = "", mine: bool = False) -> QuerySet[AssistanceRequest]:
    if not can_answer_assistance(actor):
        return AssistanceRequest.objects.none()
    qs = AssistanceRequest.objects.select_related("assigned_to")
    qs = qs.filter(status=status) if status else qs.exclude(status=AssistanceStatus.CLOSED)
    if category:
        qs = qs.filter(category=category)
    if mine:
        qs = qs.filter(assigned_to=actor)
    return qs.order_by("respond_by", "pk")


def assistance_staff_users():
    """People who may be given a question: active program reviewers and managers."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, role_assignments__role__in=[Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER])
        .distinct()
        .order_by("display_name", "email")
    )


def assistance_response_stats(*, actor, days: int = 90) -> dict:
    """How fast questions were first answered over the last `days` days, and how many were late."""
    if not can_answer_assistance(actor):
        return {}
    since = clock.now() - datetime.timedelta(days=days)
    answered = AssistanceRequest.objects.filter(received_at__gte=since, first_response_at__isnull=False)
    figures = answered.aggregate(
        average=Avg(ExpressionWrapper(F("first_response_at") - F("received_at"), output_field=DurationField())),
        count=Count("pk"),
        late=Count("pk", filter=Q(first_response_at__date__gt=F("respond_by"))),
    )
    average = figures["average"]
    return {
        "days": days,
        "answered": figures["count"],
        "late": figures["late"],
        "average_hours": round(average.total_seconds() / 3600, 1) if average else None,
    }


def access_assistance_request(actor, request_id: int) -> AssistanceRequest:
    if not can_answer_assistance(actor):
        raise Http404
    try:
        return AssistanceRequest.objects.select_related("assigned_to", "requester").get(pk=request_id)
    except AssistanceRequest.DoesNotExist:
        raise Http404 from None


def my_assistance_requests(*, actor) -> QuerySet[AssistanceRequest]:
    if not getattr(actor, "is_authenticated", False):
        return AssistanceRequest.objects.none()
    return AssistanceRequest.objects.filter(requester=actor).order_by("-received_at")


def access_my_assistance_request(actor, request_id: int) -> AssistanceRequest:
    try:
        return my_assistance_requests(actor=actor).get(pk=request_id)
    except AssistanceRequest.DoesNotExist:
        raise Http404 from None


def saved_answers(*, active_only: bool = False) -> QuerySet[SavedAnswer]:
    qs = SavedAnswer.objects.order_by("title")
    return qs.filter(is_active=True) if active_only else qs


def access_saved_answer(actor, answer_id: int) -> SavedAnswer:
    if not can_answer_assistance(actor):
        raise Http404
    try:
        return SavedAnswer.objects.get(pk=answer_id)
    except SavedAnswer.DoesNotExist:
        raise Http404 from None


def faq_all(*, actor) -> QuerySet[FaqEntry]:
    if not can_answer_assistance(actor):
        return FaqEntry.objects.none()
    return FaqEntry.objects.order_by("category", "order", "pk")


def access_faq_entry(actor, entry_id: int) -> FaqEntry:
    try:
        return faq_all(actor=actor).get(pk=entry_id)
    except FaqEntry.DoesNotExist:
        raise Http404 from None
