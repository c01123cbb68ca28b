"""The passport's official numbers, checked with python-stdnum: the Belgian
national number (INSZ, rijksregisternummer) or BIS number, which must agree
with the birth date, and the bank account (IBAN).

Each check returns (the number as stored, None) or (None, a reason code of
the passport area). Stored forms are compact: 11 digits for INSZ/BIS, the
IBAN without spaces in capitals. Formatting for reading is `shown_*`.
"""

from __future__ import annotations

from datetime import date

from stdnum import iban as stdnum_iban
from stdnum.be import bis as stdnum_bis
from stdnum.be import nn as stdnum_nn
from stdnum.exceptions import InvalidChecksum, ValidationError

from app.domain.core.reasons import declare
from app.i18n import lazy

# Longer input is not a number somebody typed: refused before any parsing.
MAX_TYPED = 40

CODES = declare(
    "passport",
    {
        "national_number_format": lazy(
            "A national number has 11 digits, for example 85.07.30-033.28. "
            "You find it on the back of your identity card."
        ),
        "national_number_checksum": lazy(
            "This national number is not right: one of the digits is mistyped. Check it on your identity card."
        ),
        "national_number_birth_date": lazy("This national number belongs to another birth date than yours."),
        "national_number_no_such_day": lazy(
            "This national number starts with a birth date that does not exist. Check it on your identity card."
        ),
        "iban_format": lazy("An account number (IBAN) starts with two letters, for example BE71 0961 2345 6769."),
        "iban_checksum": lazy("This account number is not right: one of the characters is mistyped."),
    },
)


def _compact(value: str) -> str | None:
    if len(value) > MAX_TYPED or not value.isascii():
        return None  # other scripts' digits ("٣") are not a national number
    return stdnum_nn.compact(value)


def check_national_number(value: str, birth_date: date | None) -> tuple[str | None, str | None]:
    """An INSZ or BIS number; when the birth date is known, the number's
    (for people born from 2000 on, the checksum tells the century) must be it.
    A number whose birth date is unknown (month or day 00) passes that test."""
    number = _compact(value.strip())
    if number is None or len(number) != 11 or not number.isdigit():
        return None, "national_number_format"
    module = stdnum_bis if int(number[2:4]) >= 20 else stdnum_nn
    try:
        module.validate(number)
    except InvalidChecksum:
        return None, "national_number_checksum"
    except ValidationError:
        return None, "national_number_format"
    born = _born(module, number)
    if born is None and _birth_date_known(number):
        # stdnum answers None for "unknown" (month or day 00) and for a day
        # that is not in the calendar alike; only the first is a real number.
        return None, "national_number_no_such_day"
    if birth_date is not None and born not in (None, birth_date):
        return None, "national_number_birth_date"
    return number, None


def _birth_date_known(number: str) -> bool:
    """Whether the number claims a full birth date (BIS numbers add 20 or 40
    to the month; 00 stands for an unknown month or day)."""
    month, day = int(number[2:4]) % 20, int(number[4:6])
    return month != 0 and day != 0


def _born(module, number: str) -> date | None:
    try:
        return module.get_birth_date(number)
    except ValidationError:
        return None  # partly unknown birth date: nothing to compare


def shown_national_number(number: str) -> str:
    """85073003328 -> 85.07.30-033.28"""
    return stdnum_nn.format(number)


def masked_national_number(number: str) -> str:
    """Only the last two digits, for a viewer who does not need the number."""
    return "••.••.••-•••." + number[-2:]


def check_iban(value: str) -> tuple[str | None, str | None]:
    value = value.strip()
    if len(value) > MAX_TYPED or not value.isascii():
        return None, "iban_format"
    number = stdnum_iban.compact(value)
    if len(number) < 15 or not number[:2].isalpha() or not number[2:4].isdigit():
        return None, "iban_format"
    try:
        # Without the country rules: stdnum's list of Belgian bank codes lags
        # behind new banks, and the IBAN's own check digits catch typos.
        stdnum_iban.validate(number, check_country=False)
    except InvalidChecksum:
        return None, "iban_checksum"
    except ValidationError:
        return None, "iban_format"
    return number, None


def shown_iban(number: str) -> str:
    """BE71096123456769 -> BE71 0961 2345 6769"""
    return stdnum_iban.format(number)


def masked_iban(number: str) -> str:
    return number[:2] + " •••• " + number[-4:]
