from django.utils import translation

from peercert.core.vocabulary import CECategory, Specialization


def test_shared_vocabulary_in_spanish():
    with translation.override("es"):
        assert str(Specialization.CRISIS.label) == "Servicios de crisis"
        assert str(CECategory.LAW_AND_ETHICS.label) == "Leyes y ética"
