"""Validation vectors (issue 10, tests): national numbers before and after
2000, BIS numbers, wrong check digits and birth dates that do not exist;
IBANs; phone numbers, stored E.164."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.passport.fields import check_contact, check_identity
from app.domain.passport.identifiers import check_iban, check_national_number

NATIONAL_NUMBERS = [
    # typed, birth date, expected (stored or reason code)
    ("90.02.14-003.26", date(1990, 2, 14), "90021400326"),  # born before 2000
    ("01.05.17-123.34", date(2001, 5, 17), "01051712334"),  # from 2000 on: 2 before the number for the checksum
    ("01.05.17-123.34", date(1901, 5, 17), "national_number_birth_date"),  # the checksum says 2001
    ("90.22.14-003.69", date(1990, 2, 14), "90221400369"),  # BIS, sex unknown (month + 20)
    ("90.42.14-003.15", date(1990, 2, 14), "90421400315"),  # BIS, sex known (month + 40)
    ("90.02.14-003.27", date(1990, 2, 14), "national_number_checksum"),  # wrong check digits
    ("90.02.14-003.62", date(1990, 2, 14), "national_number_checksum"),  # swapped check digits
    ("90.02.30-005.29", None, "national_number_no_such_day"),  # 30 February, right check digits
    ("90.02.14-003.26", date(1990, 2, 15), "national_number_birth_date"),  # someone else's
    ("90021400326", date(1990, 2, 14), "90021400326"),  # typed without dots
    ("9002140032", date(1990, 2, 14), "national_number_format"),  # ten digits
]


@pytest.mark.parametrize(("typed", "born", "expected"), NATIONAL_NUMBERS)
def test_national_number_vectors(typed, born, expected):
    stored, problem = check_national_number(typed, born)
    assert (stored or problem) == expected


IBANS = [
    ("BE71 0961 2345 6769", "BE71096123456769"),
    ("be71096123456769", "BE71096123456769"),
    ("NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"),
    ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
    ("BE71 0961 2345 6768", "iban_checksum"),
    ("BE17 0961 2345 6769", "iban_checksum"),
    ("0961 2345 6769", "iban_format"),
    ("BE71", "iban_format"),
]


@pytest.mark.parametrize(("typed", "expected"), IBANS)
def test_iban_vectors(typed, expected):
    stored, problem = check_iban(typed)
    assert (stored or problem) == expected


PHONES = [
    ("0470 12 34 56", "+32470123456"),
    ("+32 470 12 34 56", "+32470123456"),
    ("0032 470 12 34 56", "+32470123456"),
    ("+31 6 12345678", "+31612345678"),
    ("09 266 11 11", "+3292661111"),  # a landline is a phone number too
    ("12", None),
    ("0470 12 34", None),
    ("+32 470 12 34 56 78 90", None),
    ("phone me", None),
]


@pytest.mark.parametrize(("typed", "expected"), PHONES)
def test_phone_vectors(typed, expected):
    values, problems = check_contact({"email": "", "mobile": typed})
    if expected is None:
        assert problems == {"mobile": "mobile_invalid"} and values["mobile"] == ""
    else:
        assert problems == {} and values["mobile"] == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [("31/02/1990", "date_no_such_day"), ("29/02/2023", "date_no_such_day"), ("1990-13-01", "date_format")],
)
def test_birth_dates_that_do_not_exist(typed, code):
    _values, problems, _params = check_identity(
        {"first_name": "A", "last_name": "B", "birth_date": typed, "national_number": ""}, date(2026, 12, 2)
    )
    assert problems == {"birth_date": code}


def test_a_leap_day_exists_in_a_leap_year():
    _values, problems, _params = check_identity(
        {"first_name": "A", "last_name": "B", "birth_date": "29/02/2000", "national_number": ""}, date(2026, 12, 2)
    )
    assert problems == {}
