import datetime

from django.db import transaction

from peercert.core import clock
from peercert.core.audit import CoreAuditAction, audit_record
from peercert.core.errors import ApplicationError
from peercert.core.models import ProgramRuleSet
from peercert.core.rules import RULE_SPEC, _convert


@transaction.atomic
def program_rules_publish(
    *, actor, version: str, effective_from: datetime.date, rules: dict, notes: str = "", allow_past: bool = False
) -> ProgramRuleSet:
    """Publish a new version of the program rules.

    Preconditions: every rule named and of its kind; the version name unused; the date
    after every existing version and not in the past (a new rule never reaches back to
    change decisions already made), unless a data migration seeds history (allow_past).
    The caller checks the actor's role (core knows no roles). Audited.
    """
    missing = sorted(set(RULE_SPEC) - set(rules))
    unknown = sorted(set(rules) - set(RULE_SPEC))
    if missing:
        raise ApplicationError(
            "Every rule needs a value. Missing: %(names)s.", params={"names": ", ".join(missing)}, field="rules"
        )
    if unknown:
        raise ApplicationError("Unknown rules: %(names)s.", params={"names": ", ".join(unknown)}, field="rules")
    for name, value in rules.items():
        try:
            _convert(RULE_SPEC[name][0], value)
        except (TypeError, ValueError, ArithmeticError):
            raise ApplicationError(
                "The rule %(name)s needs a %(kind)s value; got %(value)s.",
                params={"name": name, "kind": RULE_SPEC[name][0], "value": repr(value)},
                field="rules",
            ) from None
    if ProgramRuleSet.objects.filter(version=version).exists():
        raise ApplicationError(
            "Version %(version)s already exists. Choose a new version name.",
            params={"version": version},
            code="duplicate",
            field="version",
        )
    latest = ProgramRuleSet.objects.order_by("-effective_from").first()
    if not allow_past:
        if effective_from < clock.today():
            raise ApplicationError("New rules cannot take effect in the past.", field="effective_from")
        if latest and effective_from <= latest.effective_from:
            raise ApplicationError(
                "New rules must take effect after %(day)s, when version %(version)s did.",
                params={"day": latest.effective_from, "version": latest.version},
                field="effective_from",
            )
    row = ProgramRuleSet.objects.create(version=version, effective_from=effective_from, rules=rules, notes=notes)
    audit_record(
        actor=actor,
        action=CoreAuditAction.PROGRAM_RULES_PUBLISH,
        obj=row,
        after={"version": version, "effective_from": effective_from, "rules": rules},
        reason=notes,
    )
    return row
