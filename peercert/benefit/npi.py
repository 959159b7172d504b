"""The National Provider Identifier check: 10 digits whose last digit is a Luhn check digit.

CMS computes the check digit over the prefix 80840 (the NPI's issuer number) followed by the first
nine digits, so 123456789 has the check digit 3 (1234567893).
"""

from django.utils.translation import gettext

NPI_PREFIX = "80840"


def npi_check_digit(first_nine: str) -> int:
    """The Luhn check digit for nine digits under the 80840 prefix."""
    total = 0
    for i, ch in enumerate(reversed(NPI_PREFIX + first_nine)):
        d = int(ch)
        if i % 2 == 0:  # every second digit from the right, starting with the one beside the check digit
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def npi_problem(value) -> str | None:
    """What is wrong with an NPI, as a sentence a person can act on; None when it checks."""
    text = str(value or "").strip()
    if len(text) != 10 or not text.isascii() or not text.isdigit():
        return gettext("An NPI is 10 digits, with no spaces or dashes. Copy it again from NPPES.")
    if npi_check_digit(text[:9]) != int(text[9]):
        return gettext(
            "An NPI is 10 digits and its last digit checks the others; %(npi)s does not check. Copy it again from NPPES."
        ) % {"npi": text}
    return None
