"""Billing's background tasks: the gate over a large batch, with its progress committed step by step."""

import logging

from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def run_gate(batch_id: int, actor_id: int | None = None) -> dict:
    """Run the gate's steps over a batch being checked, committing after each so its page shows the
    progress, then land it checked with its counts (one audit event). On failure it goes back to open."""
    from django.contrib.auth import get_user_model

    from peercert.billing import gate, services
    from peercert.billing.models import BatchStatus, ServiceBatch
    from peercert.core import metrics

    batch = ServiceBatch.objects.get(pk=batch_id)
    if batch.status != BatchStatus.CHECKING:
        return {"skipped": batch.status}
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        all_steps = gate.steps(batch_id)
        with metrics.timed("billing_gate"):
            for done, (_name, step) in enumerate(all_steps, start=1):
                with transaction.atomic():
                    step()
                    ServiceBatch.objects.filter(pk=batch_id).update(progress_done=done, progress_total=len(all_steps))
        batch = services.batch_run_gate(actor=actor, batch=batch, evaluated=True)
    except Exception:
        # No line or beneficiary in the log: the batch id says where to look.
        logger.exception("The gate failed on batch %s", batch_id)
        services.batch_gate_failed(batch_id=batch_id)
        raise
    return batch.counts.get("by_status", {})
