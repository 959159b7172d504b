from django.apps import AppConfig


class ScholarshipsConfig(AppConfig):
    name = "peercert.scholarships"
    label = "scholarships"
    verbose_name = "Scholarships"

    def ready(self):
        from peercert.core.jobs import register_daily_job
        from peercert.scholarships.services import awards_expire_due
        from peercert.scholarships.worklists import register_all

        register_all()
        register_daily_job(
            "scholarships.expire_awards",
            awards_expire_due,
            order=60,
            description="Expire scholarship awards past their date and release what is left to their funds.",
        )
