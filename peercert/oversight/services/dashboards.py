"""oversight: the dashboards part's services. The dashboards change nothing; the one thing done here is
forgetting the public dashboard's cached copy when the figures under it change."""

from peercert.oversight.selectors.dashboards import public_dashboard_generation_bump

__all__: list[str] = ["public_dashboard_invalidate"]


def public_dashboard_invalidate(**_signal_kwargs) -> None:
    """Rebuild the public dashboard on its next request (a certification's status changed, one was issued,
    or the members per county were updated). Receives signals' keyword arguments and ignores them."""
    public_dashboard_generation_bump()
