"""Start-up wiring for oversight's dashboards part: the public dashboard's cache follows certifications."""


def connect() -> None:
    from peercert.certification import signals
    from peercert.oversight.services.dashboards import public_dashboard_invalidate

    signals.certification_status_changed.connect(
        public_dashboard_invalidate, dispatch_uid="oversight.public_dashboard.status_changed"
    )
    signals.certification_issued.connect(public_dashboard_invalidate, dispatch_uid="oversight.public_dashboard.issued")
