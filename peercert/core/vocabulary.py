"""Program vocabulary that several apps share and none owns."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Specialization(models.TextChoices):
    """The optional 40-hour specializations on top of core certification."""

    PARENT_CAREGIVER_FAMILY = "parent_caregiver_family", _("Parent, caregiver and family member peer")
    CRISIS = "crisis", _("Crisis services")
    JUSTICE_INVOLVED = "justice_involved", _("Justice-involved (forensic)")
    UNHOUSED = "unhoused", _("Unhoused (homelessness)")


class CECategory(models.TextChoices):
    """Continuing-education categories the renewal rules count."""

    GENERAL = "general", _("General")
    LAW_AND_ETHICS = "law_ethics", _("Law and ethics")


class ExamContentArea(models.TextChoices):
    """The eight content areas of the certification exam."""

    ADMINISTRATIVE = "administrative", _("Administrative responsibilities")
    FOUNDATIONS = "foundations", _("Behavioral health foundations")
    INTERPERSONAL = "interpersonal", _("Interpersonal skills")
    RECOVERY_SUPPORT = "recovery_support", _("Recovery support")
    ADVOCACY = "advocacy", _("Advocacy")
    COMMUNITY_INCLUSION = "community_inclusion", _("Community inclusion")
    RESOURCE_LINKAGE = "resource_linkage", _("Resource linkage")
    CRISIS_MANAGEMENT = "crisis_management", _("Crisis management")
