import datetime

import pytest
from django.utils import translation

from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on, seeded_rules
from peercert.core.services import program_rules_publish
from peercert.core.vocabulary import CECategory, Specialization


def test_shared_vocabulary_in_spanish():
    with translation.override("es"):
        assert str(Specialization.CRISIS.label) == "Servicios de crisis"
        assert str(CECategory.LAW_AND_ETHICS.label) == "Leyes y ética"


def test_a_refused_rule_change_is_explained_in_spanish(db, time_machine):
    time_machine.move_to(datetime.date(2026, 6, 1))
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        program_rules_publish(actor=None, version="x", effective_from=datetime.date(2026, 5, 1), rules=seeded_rules())
    assert refused.value.message == "Las reglas nuevas no pueden entrar en vigor en una fecha pasada."


def test_a_refusal_with_a_value_reads_in_spanish_with_the_value(db, time_machine):
    time_machine.move_to(datetime.date(2026, 6, 1))
    rules = {k: v for k, v in seeded_rules().items() if k != "fee_exam"}
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        program_rules_publish(actor=None, version="x", effective_from=datetime.date(2026, 7, 1), rules=rules)
    assert refused.value.message == "Cada regla necesita un valor. Faltan: fee_exam."


def test_a_date_in_a_refusal_is_written_as_spanish_writes_it(db, time_machine):
    time_machine.move_to(datetime.date(2026, 6, 1))
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        rules_on(datetime.date(1999, 11, 30))
    assert refused.value.message == "No hay reglas del programa vigentes el 30 de noviembre de 1999."
