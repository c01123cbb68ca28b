"""The passport's official numbers: an INSZ or BIS number is valid and
agrees with the birth date (also for people born from 2000 on, whose
checksum starts from a 2), and an IBAN's check digits catch typos."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.passport.identifiers import (
    check_iban,
    check_national_number,
    masked_iban,
    masked_national_number,
    shown_iban,
    shown_national_number,
)

born = st.dates(min_value=date(1920, 1, 1), max_value=date(2011, 12, 31))
serials = st.integers(1, 997)


def national_number(birth: date, serial: int, bis: int = 0) -> str:
    """What the National Register hands out: yymmdd (the month raised by 20
    or 40 for a BIS number), a serial and the check digits."""
    base = f"{birth:%y}{birth.month + bis:02d}{birth:%d}{serial:03d}"
    checked = ("2" + base) if birth.year >= 2000 else base
    return base + f"{97 - int(checked) % 97:02d}"


@given(birth=born, serial=serials, bis=st.sampled_from([0, 20, 40]))
def test_a_real_number_is_accepted_with_its_birth_date(birth, serial, bis):
    number = national_number(birth, serial, bis)
    typed = shown_national_number(number) if not bis else number
    assert check_national_number(typed, birth) == (number, None)
    assert check_national_number(f"  {number} ", None) == (number, None)


@given(birth=born, serial=serials, days=st.integers(1, 3650))
def test_another_birth_date_is_refused(birth, serial, days):
    number = national_number(birth, serial)
    other = birth - timedelta(days=days)
    assert check_national_number(number, other) == (None, "national_number_birth_date")


@given(birth=born, serial=serials, position=st.integers(0, 10), change=st.integers(1, 9))
def test_one_mistyped_digit_is_never_accepted(birth, serial, position, change):
    number = national_number(birth, serial)
    digits = list(number)
    digits[position] = str((int(digits[position]) + change) % 10)
    typo = "".join(digits)
    # Checked against the person's birth date, as the form does: without it,
    # a typo in the year can make a valid number of the other century
    # (23.01.01 for 1929 is someone born on 1 January 2023).
    found, problem = check_national_number(typo, birth)
    assert found is None
    assert problem in (
        "national_number_checksum",
        "national_number_format",
        "national_number_birth_date",
        "national_number_no_such_day",
    )


def test_the_century_is_read_from_the_checksum():
    born_2001 = national_number(date(2001, 5, 17), 123)
    assert check_national_number(born_2001, date(2001, 5, 17)) == (born_2001, None)
    assert check_national_number(born_2001, date(1901, 5, 17)) == (None, "national_number_birth_date")


NOT_NUMBERS = [
    "",
    "123",
    "850730033280",
    "85.07.30-033.2x",
    "٨٥٠٧٣٠٠٣٣٢٨",  # Arabic-Indic digits
    "8" * 41,
    "85073003328\x00",
    "\U0001d7d65073003328",  # a mathematical bold 8 first
]


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_what_is_not_a_national_number_says_so(typed):
    assert check_national_number(typed, None) == (None, "national_number_format")


def test_numbers_are_shown_and_masked():
    assert shown_national_number("85073003328") == "85.07.30-033.28"
    assert masked_national_number("85073003328") == "••.••.••-•••.28"
    assert shown_iban("BE71096123456769") == "BE71 0961 2345 6769"
    assert masked_iban("BE71096123456769") == "BE •••• 6769"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("BE71 0961 2345 6769", "BE71096123456769"),
        ("be71096123456769", "BE71096123456769"),
        ("BE68 5390 0754 7034", "BE68539007547034"),  # a bank stdnum's list does not know yet
        ("NL91ABNA0417164300", "NL91ABNA0417164300"),
    ],
)
def test_a_valid_iban_is_stored_compact(typed, stored):
    assert check_iban(typed) == (stored, None)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("BE71096123456760", "iban_checksum"),
        ("BE17096123456769", "iban_checksum"),
        ("0961 2345 6769", "iban_format"),
        ("", "iban_format"),
        ("BE71 0961 2345 6769 " + "0" * 30, "iban_format"),
        ("\u0412\u041571096123456769", "iban_format"),  # Cyrillic look-alikes of B and E
        ("BE71\x0096123456769", "iban_format"),
    ],
)
def test_a_wrong_iban_says_what_is_wrong(typed, problem):
    assert check_iban(typed) == (None, problem)
