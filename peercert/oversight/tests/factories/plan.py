"""Factories for oversight's plan part."""

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core import clock, samples
from peercert.oversight.models.plan import PLAN_SECTIONS, PlanSection, PlanStatus, PlanVersion

__all__ = ["PlanVersionFactory", "plan_pdf", "plan_sections"]


def plan_pdf(name="plan-appendix.pdf"):
    return SimpleUploadedFile(name, samples.PDF, content_type="application/pdf")


def plan_sections(prefix: str = "", attachment=None) -> dict[str, dict]:
    """Text for every section, as plan_submit takes it (an attachment on the first section if given)."""
    out = {}
    for i, (code, heading) in enumerate(PLAN_SECTIONS):
        out[code] = {
            "body": f"{prefix}How the program handles {heading}.",
            "attachment": attachment if i == 0 else None,
        }
    return out


class PlanVersionFactory(factory.django.DjangoModelFactory):
    """A version written straight to the table (for worlds and lists); services are tested through services."""

    class Meta:
        model = PlanVersion
        skip_postgeneration_save = True

    class Params:
        approved = factory.Trait(
            status=PlanStatus.APPROVED,
            decided_at=factory.LazyFunction(clock.now),
            decided_by=factory.LazyFunction(lambda: user_with_role(Role.DHCS_APPROVER)),
            in_force_from=factory.LazyFunction(clock.today),
        )

    number = factory.Sequence(lambda n: n + 1)
    status = PlanStatus.SUBMITTED
    submitted_by = factory.LazyFunction(lambda: user_with_role(Role.PROGRAM_MANAGER))
    submitted_at = factory.LazyFunction(clock.now)

    @factory.post_generation
    def attachment(self, create, extracted, **kwargs):
        for position, (code, heading) in enumerate(PLAN_SECTIONS):
            section = PlanSection(
                version=self,
                code=code,
                position=position,
                heading=str(heading),
                body=f"How the program handles {heading}.",
            )
            if extracted and position == 0:
                section.attachment_kind, section.attachment_name = "pdf", "appendix.pdf"
                section.attachment_size = len(samples.PDF)
                section.attachment.save("appendix.pdf", ContentFile(samples.PDF), save=False)
            section.save()
