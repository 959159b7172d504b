"""The NPI check: 10 digits, Luhn check digit over the 80840 prefix and the first nine digits."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peercert.benefit.npi import npi_check_digit, npi_problem
from peercert.benefit.tests.factories import valid_npi


@pytest.mark.parametrize("npi", ["1234567893", "1245319599", "1003000126"])
def test_known_good_numbers_check(npi):
    assert npi_problem(npi) is None


@pytest.mark.parametrize("npi", ["1234567890", "1234567894", "1245319598"])
def test_a_bad_check_digit_is_refused_with_the_number(npi):
    problem = npi_problem(npi)
    assert problem == (
        f"An NPI is 10 digits and its last digit checks the others; {npi} does not check. Copy it again from NPPES."
    )


@pytest.mark.parametrize(
    "npi", ["", "123456789", "12345678930", "12345-6789", "abcdefghij", "１２３４５６７８９３", None]
)
def test_anything_but_ten_digits_is_refused(npi):
    assert "10 digits" in npi_problem(npi)


@given(st.integers(min_value=0, max_value=10**8 - 1))
def test_the_factory_and_the_check_agree(seed):
    assert npi_problem(valid_npi(seed)) is None


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(min_value=1, max_value=9))
def test_exactly_one_last_digit_checks(first_nine, shift):
    good = npi_check_digit(first_nine)
    assert npi_problem(first_nine + str(good)) is None
    assert npi_problem(first_nine + str((good + shift) % 10)) is not None


@given(st.text(alphabet="0123456789", min_size=10, max_size=10), st.integers(min_value=0, max_value=8))
def test_swapping_two_neighbouring_different_digits_is_caught(npi, i):
    # Luhn catches every single-digit error and almost every transposition of neighbours (not 09/90).
    if npi_problem(npi) is not None or npi[i] == npi[i + 1] or {npi[i], npi[i + 1]} == {"0", "9"}:
        return
    swapped = npi[:i] + npi[i + 1] + npi[i] + npi[i + 2 :]
    assert npi_problem(swapped) is not None
