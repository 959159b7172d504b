"""Issue 17, point 9: no mixed English and Spanish in the phrases people reported."""

from django.utils import translation
from django.utils.translation import gettext

from peercert.finance.selectors import fee_label
from peercert.renewal.models import RenewalStatus


def test_the_renewal_fee_is_named_in_spanish():
    with translation.override("es"):
        assert fee_label("fee_renewal") == "Cuota de renovación"
    with translation.override("en"):
        assert fee_label("fee_renewal") == "Renewal fee"


def test_a_started_renewal_reads_as_started_not_a_start_date():
    with translation.override("es"):
        assert str(RenewalStatus.IN_PROGRESS.label) == "Iniciada"
        assert gettext("Started") == "Iniciada"


def test_the_upload_widget_and_the_enrolment_speak_spanish():
    from peercert.web.context_processors import file_input_strings

    with translation.override("en"):
        assert file_input_strings() == {}
    with translation.override("es"):
        words = file_input_strings()
        assert words["Drag file here or"] == "Arrastre el archivo aquí o"
        assert words["Change file"] == "Cambiar el archivo"
        assert all(spanish != english for english, spanish in words.items())
        assert gettext("You are enrolled.") == "Su inscripción ya está confirmada."
