from django.utils import translation

from peercert.core.errors import ApplicationError


def test_values_are_filled_in_after_the_message_is_translated():
    message = "Age %(age)s; the minimum is %(min)s."  # in the certification catalogue
    assert ApplicationError(message, params={"age": 17, "min": 18}).message == "Age 17; the minimum is 18."
    with translation.override("es"):
        spanish = ApplicationError(message, params={"age": 17, "min": 18}).message
    assert spanish != "Age 17; the minimum is 18." and "17" in spanish and "18" in spanish


def test_a_message_without_params_keeps_a_percent_sign():
    assert ApplicationError("Fees are 100% refundable.").message == "Fees are 100% refundable."
