"""The passport area's refusals, declared once (app.domain.core.reasons);
the national number and IBAN codes are declared in identifiers.py."""

from __future__ import annotations

from app.domain.core.reasons import declare
from app.domain.passport.identifiers import CODES as IDENTIFIER_CODES
from app.i18n import lazy

FIELD_CODES = declare(
    "passport",
    {
        "first_name_missing": lazy("Enter your first name."),
        "last_name_missing": lazy("Enter your last name."),
        "name_too_long": lazy("A name has at most 100 characters."),
        "name_invalid": lazy("A name contains letters."),
        "birth_date_missing": lazy("Enter your birth date."),
        "date_format": lazy("Write the date as dd/mm/yyyy, for example 31/01/1990."),
        "date_no_such_day": lazy("%(day)d %(month_name)s does not exist: check the day and the month."),
        "birth_date_age": lazy("This birth date cannot be right: a worker is between 15 and 100 years old."),
        "date_future": lazy("This date is in the future."),
        "expiry_before_issue": lazy("The expiry date comes before the date it was issued."),
        "email_syntax": lazy("Enter a valid e-mail address, like name@example.be."),
        "mobile_invalid": lazy("Enter a valid mobile number, like 0470 12 34 56 or +32 470 12 34 56."),
        "street_missing": lazy("Enter the street."),
        "house_number_missing": lazy("Enter the house number."),
        "house_number_invalid": lazy("Enter a house number, like 12 or 12B."),
        "postcode_range": lazy("A Belgian postcode has four digits, from 1000 to 9999."),
        "town_missing": lazy("Enter the town."),
        "text_too_long": lazy("This is too long."),
        "value_unknown": lazy("Choose one of the options."),
    },
)

CONSENT_CODES = declare(
    "passport",
    {
        "categories_unknown": lazy("Choose what this organisation may see from the list."),
        "purpose_unknown": lazy("Choose a purpose from the list."),
        "request_answered": lazy("This request was already answered."),
        "not_due": lazy("This consent is not past its expiry."),
    },
)

IDENTITY_CODES = (
    "first_name_missing",
    "last_name_missing",
    "name_too_long",
    "name_invalid",
    "birth_date_missing",
    "date_format",
    "date_no_such_day",
    "birth_date_age",
    *IDENTIFIER_CODES,
)
