"""The rules of the passport's field forms: each `check_<category>` takes the
typed values and returns (the values as stored, problem codes by field).
Nothing is stored unless every field of the form passes."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from app.domain.core.text import EMAIL, normalise_phone
from app.domain.passport.identifiers import check_iban, check_national_number

MIN_AGE, MAX_AGE = 15, 100

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$", re.ASCII)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)

Problems = dict[str, str]
# A problem's parameters by field (the day and month of a date that does not exist).
Params = dict[str, dict[str, int]]


def clean(value: object) -> str:
    """One line of text: spaces folded, NUL and other control characters gone."""
    text = "" if value is None else str(value)
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    return " ".join(text.replace("\u00a0", " ").split())


def parse_date(value: str) -> tuple[date | None, str | None, dict[str, int]]:
    """dd/mm/yyyy (or yyyy-mm-dd from a date input): (date, None, {}) or
    (None, problem, params); an empty value is (None, None, {})."""
    value = value.strip()
    if not value:
        return None, None, {}
    if match := _ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_FIRST.match(value):
        day, month, year = (int(part) for part in match.groups())
    else:
        return None, "date_format", {}
    try:
        return date(year, month, day), None, {}
    except ValueError:
        if 1 <= month <= 12 and 1 <= day <= 31:
            return None, "date_no_such_day", {"day": day, "month": month}
        return None, "date_format", {}


def _name(value: str, missing: str) -> str | None:
    if not value:
        return missing
    if len(value) > 100:
        return "name_too_long"
    if not any(ch.isalpha() for ch in value):
        return "name_invalid"
    return None


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def check_identity(raw: dict[str, str], today: date) -> tuple[dict[str, str], Problems, Params]:
    problems: Problems = {}
    params: Params = {}
    first, last = clean(raw.get("first_name")), clean(raw.get("last_name"))
    if problem := _name(first, "first_name_missing"):
        problems["first_name"] = problem
    if problem := _name(last, "last_name_missing"):
        problems["last_name"] = problem
    born, problem, day = parse_date(raw.get("birth_date", ""))
    if problem:
        problems["birth_date"] = problem
        params["birth_date"] = day
    elif born is None:
        problems["birth_date"] = "birth_date_missing"
    elif born > today or not MIN_AGE <= age_on(born, today) <= MAX_AGE:
        problems["birth_date"] = "birth_date_age"
    number = None
    typed = raw.get("national_number", "").strip()
    if typed:
        number, problem = check_national_number(typed, born if "birth_date" not in problems else None)
        if problem:
            problems["national_number"] = problem
    values = {
        "first_name": first,
        "last_name": last,
        "birth_date": born.isoformat() if born else "",
        "national_number": number or "",
    }
    return values, problems, params


def check_contact(raw: dict[str, str]) -> tuple[dict[str, str], Problems]:
    problems: Problems = {}
    email = clean(raw.get("email")).lower()
    if email and (len(email) > 254 or not EMAIL.match(email)):
        problems["email"] = "email_syntax"
    typed = clean(raw.get("mobile"))
    mobile = normalise_phone(typed) if typed else ""
    if typed and (len(typed) > 40 or not mobile):
        problems["mobile"] = "mobile_invalid"
    return {"email": email, "mobile": mobile or ""}, problems


def check_address(raw: dict[str, str]) -> tuple[dict[str, str], Problems]:
    problems: Problems = {}
    values = {name: clean(raw.get(name)) for name in ("street", "house_number", "postcode", "town")}
    if not any(values.values()):
        return values, problems  # no address at all: the category is emptied
    if not values["street"]:
        problems["street"] = "street_missing"
    elif len(values["street"]) > 120:
        problems["street"] = "text_too_long"
    if not values["house_number"]:
        problems["house_number"] = "house_number_missing"
    elif len(values["house_number"]) > 12 or not values["house_number"][0].isascii():
        problems["house_number"] = "house_number_invalid"
    postcode = values["postcode"]
    if not (postcode.isascii() and postcode.isdigit() and len(postcode) == 4 and 1000 <= int(postcode) <= 9999):
        problems["postcode"] = "postcode_range"
    if not values["town"]:
        problems["town"] = "town_missing"
    elif len(values["town"]) > 80:
        problems["town"] = "text_too_long"
    return values, problems


def check_bank(raw: dict[str, str]) -> tuple[dict[str, str], Problems]:
    typed = raw.get("iban", "").strip()
    if not typed:
        return {"iban": ""}, {}
    number, problem = check_iban(typed)
    return {"iban": number or ""}, ({"iban": problem} if problem else {})
