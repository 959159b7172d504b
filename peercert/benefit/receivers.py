"""What benefit does when the apps below it announce a change."""

import logging

from peercert.certification.signals import certification_status_changed

logger = logging.getLogger(__name__)


def _status_changed(sender, changes, **kwargs) -> None:
    # Runs after the certification's transaction committed: the change stands whatever happens here.
    # A failure is logged, not raised into the request that made the change, and the daily job
    # workforce_alerts_catch_up raises the missing alerts, so none is lost.
    from peercert.benefit.services import workforce_alerts_raise

    try:
        workforce_alerts_raise(changes=changes)
    except Exception:  # noqa: BLE001 - see above: caught up by the daily job
        logger.exception("Could not raise workforce alerts; the daily catch-up will")


def connect_all() -> None:
    from peercert.benefit.services import workforce_alerts_catch_up
    from peercert.core.jobs import register_daily_job

    certification_status_changed.connect(_status_changed, dispatch_uid="benefit.workforce_alerts")
    register_daily_job(
        "workforce_alerts_catch_up",
        workforce_alerts_catch_up,
        # After the expiry and vacate sweeps (renewal, 10 and 11), whose own alerts are raised on commit.
        order=40,
        description="Raise workforce alerts for the last week's certification status changes that have none.",
    )
