from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "peercert.council"
    label = "council"
    verbose_name = "Stakeholder Advisory Council"

    def ready(self):
        from peercert.core.jobs import register_daily_job
        from peercert.council import services
        from peercert.council.worklists import register_all

        register_all()
        register_daily_job(
            "council_terms_end",
            lambda today: {"ended": services.member_terms_end(today=today)},
            order=70,
            description="End council members' terms whose last day has passed.",
        )
