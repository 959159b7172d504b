from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "peercert.discipline"
    label = "discipline"
    verbose_name = "Complaints, discipline, appeals and help"

    def ready(self):
        from peercert.core.jobs import register_daily_job
        from peercert.discipline import services
        from peercert.discipline.worklists import register_all

        register_all()
        # After certification's own expiry sweep, so an ended suspension sees today's expiry.
        register_daily_job(
            "discipline_execute_due",
            services.discipline_execute_due,
            order=60,
            description="Start suspensions, revocations and withdrawals on their effective date; "
            "end suspensions after their last day.",
        )
        register_daily_job(
            "corrective_actions_escalate",
            lambda today: {"escalated": services.corrective_actions_escalate(today)},
            order=61,
            description="Escalate corrective actions whose classes are overdue.",
        )
