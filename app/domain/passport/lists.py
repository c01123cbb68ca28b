"""The rules of the passport's list categories (education, training,
certificates and licences, skills, languages) and of the single-valued
categories preferences, mobility and availability.

Each `check_*` takes the typed values and returns (the values as stored,
problem codes by field, their parameters). Nothing is stored unless every
field passes. Codes of kinds and levels are contracts (the API and the
consultant's filters name them); their labels are message ids.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.core.reasons import declare
from app.domain.passport.fields import Params, Problems, clean, parse_date
from app.i18n import lazy

ITEM_CATEGORIES = ("education", "training", "certificates", "skills", "languages")
# Our limits (DESIGN.md: numbers no seed gives).
MAX_ITEMS = 50  # per category
MAX_NAME = 100
MAX_NOTE = 300
MAX_JOBS = 200
MAX_DISTANCE_KM = 500
# A certificate expiring within this many days is "soon".
SOON_DAYS = 60
# Dates before this year are typing mistakes, not diplomas.
FIRST_YEAR = 1920
LAST_YEAR = 2100

EDUCATION_LEVELS = {
    "primary": lazy("Primary school"),
    "secondary_lower": lazy("Secondary school, first years"),
    "secondary": lazy("Secondary school"),
    "vocational": lazy("Vocational training"),
    "bachelor": lazy("Bachelor"),
    "master": lazy("Master"),
    "other": lazy("Other"),
}

CERTIFICATE_KINDS = {
    "vca_basic": lazy("VCA basic"),
    "vca_vol": lazy("VCA VOL"),
    "forklift": lazy("Forklift"),
    "reach_truck": lazy("Reach truck"),
    "aerial_platform": lazy("Aerial work platform"),
    "first_aid": lazy("First aid"),
    "driving_b": lazy("Driving licence B"),
    "driving_be": lazy("Driving licence BE"),
    "driving_c": lazy("Driving licence C"),
    "driving_ce": lazy("Driving licence CE"),
    "driving_d": lazy("Driving licence D"),
    "code_95": lazy("Code 95 (professional drivers)"),
    "adr": lazy("ADR (dangerous goods)"),
    "other": lazy("Other certificate"),
}

SKILL_LEVELS = {
    "beginner": lazy("Beginner"),
    "experienced": lazy("Experienced"),
    "expert": lazy("Expert"),
}

LANGUAGES = {
    "nl": lazy("Dutch"),
    "fr": lazy("French"),
    "en": lazy("English"),
    "de": lazy("German"),
    "ar": lazy("Arabic"),
    "tr": lazy("Turkish"),
    "pl": lazy("Polish"),
    "ro": lazy("Romanian"),
    "es": lazy("Spanish"),
    "it": lazy("Italian"),
    "pt": lazy("Portuguese"),
    "uk": lazy("Ukrainian"),
    "ru": lazy("Russian"),
    "other": lazy("Other language"),
}

LANGUAGE_LEVELS = {
    "A1": lazy("A1 (beginner)"),
    "A2": lazy("A2"),
    "B1": lazy("B1"),
    "B2": lazy("B2"),
    "C1": lazy("C1"),
    "C2": lazy("C2 (fluent)"),
    "native": lazy("Mother tongue"),
}

SECTORS = {
    "logistics": lazy("Logistics and warehouse"),
    "production": lazy("Production and industry"),
    "port": lazy("Port"),
    "construction": lazy("Construction"),
    "food": lazy("Food"),
    "cleaning": lazy("Cleaning"),
    "care": lazy("Care"),
    "hospitality": lazy("Hotels and restaurants"),
    "retail": lazy("Shops"),
    "office": lazy("Office"),
    "transport": lazy("Transport"),
}

REGIMES = {
    "full_time": lazy("Full-time"),
    "part_time": lazy("Part-time"),
    "weekend": lazy("Weekend"),
    "night": lazy("Night"),
    "shifts": lazy("Shifts"),
}

MOBILITY = {
    "own_car": lazy("I have my own car"),
    "driving_licence": lazy("I have a driving licence"),
    "bicycle": lazy("I can come by bicycle"),
    "public_transport": lazy("I can come by public transport"),
    "sector_bus": lazy("I can take a sector bus (to the port or an industrial zone)"),
}

DAYS = {
    "mon": lazy("Monday"),
    "tue": lazy("Tuesday"),
    "wed": lazy("Wednesday"),
    "thu": lazy("Thursday"),
    "fri": lazy("Friday"),
    "sat": lazy("Saturday"),
    "sun": lazy("Sunday"),
}

CODES = declare(
    "passport",
    {
        "item_name_missing": lazy("Enter a name."),
        "item_limit": lazy("You can keep at most 50 entries here. Remove one first."),
        "date_out_of_range": lazy("Enter a date between 1920 and 2100."),
        "attendance_missing": lazy("Enter the date you took the course."),
        "document_unknown": lazy("Choose one of your documents."),
        "distance_invalid": lazy("Enter a distance in whole kilometres, from 1 to 500."),
        "document_type": lazy(
            "This file is not a PDF, JPEG or PNG. Choose a PDF, a photo (JPEG) or a PNG image, and check it opens."
        ),
        "document_extension": lazy(
            "The file's name does not match what it contains. Give a PDF the ending .pdf, "
            "a JPEG .jpg or .jpeg, a PNG .png."
        ),
        "document_too_large": lazy("This file is larger than 10 MB. Choose a smaller file or a scan of lower quality."),
        "document_empty": lazy("Choose a file."),
        "document_limit": lazy("You can keep at most 50 documents. Remove one first."),
        "document_missing": lazy("This file could not be kept. Try to upload it again."),
    },
)

ITEM_CODES = (
    "item_name_missing",
    "item_limit",
    "date_format",
    "date_no_such_day",
    "date_future",
    "date_out_of_range",
    "expiry_before_issue",
    "attendance_missing",
    "document_unknown",
    "text_too_long",
    "value_unknown",
)


def _date(raw: str, name: str, problems: Problems, params: Params, *, past: bool, today: date) -> date | None:
    value, problem, day = parse_date(raw)
    if problem:
        problems[name] = problem
        if day:
            params[name] = day
        return None
    if value is None:
        return None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        problems[name] = "date_out_of_range"
        return None
    if past and value > today:
        problems[name] = "date_future"
        return None
    return value


def _text(raw: str, name: str, limit: int, problems: Problems, *, missing: str | None = None) -> str:
    value = clean(raw)
    if not value and missing:
        problems[name] = missing
    elif len(value) > limit:
        problems[name] = "text_too_long"
    return value


def check_item(category: str, raw: dict[str, str], today: date) -> tuple[dict, Problems, Params]:
    """One entry of a list category: {kind, name, level, issued_on,
    expires_on} as stored (dates as date or None)."""
    problems: Problems = {}
    params: Params = {}
    kind = (raw.get("kind") or "").strip()
    level = (raw.get("level") or "").strip()
    name = ""
    issued = expires = None
    if category == "education":
        if kind not in EDUCATION_LEVELS:
            problems["kind"] = "value_unknown"
        name = _text(raw.get("name", ""), "name", MAX_NAME, problems, missing="item_name_missing")
        issued = _date(raw.get("issued_on", ""), "issued_on", problems, params, past=True, today=today)
        level = ""
    elif category == "training":
        kind = "course"
        name = _text(raw.get("name", ""), "name", MAX_NAME, problems, missing="item_name_missing")
        issued = _date(raw.get("issued_on", ""), "issued_on", problems, params, past=True, today=today)
        if issued is None and "issued_on" not in problems:
            problems["issued_on"] = "attendance_missing"
        level = ""
    elif category == "certificates":
        if kind not in CERTIFICATE_KINDS:
            problems["kind"] = "value_unknown"
        name = _text(
            raw.get("name", ""), "name", MAX_NAME, problems, missing="item_name_missing" if kind == "other" else None
        )
        if kind != "other":
            name = ""  # the kind names it
        issued = _date(raw.get("issued_on", ""), "issued_on", problems, params, past=True, today=today)
        expires = _date(raw.get("expires_on", ""), "expires_on", problems, params, past=False, today=today)
        if issued and expires and expires < issued:
            problems["expires_on"] = "expiry_before_issue"
        level = ""
    elif category == "skills":
        kind = "skill"
        name = _text(raw.get("name", ""), "name", MAX_NAME, problems, missing="item_name_missing")
        if level not in SKILL_LEVELS:
            problems["level"] = "value_unknown"
    elif category == "languages":
        if kind not in LANGUAGES:
            problems["kind"] = "value_unknown"
        name = _text(
            raw.get("name", ""), "name", MAX_NAME, problems, missing="item_name_missing" if kind == "other" else None
        )
        if kind != "other":
            name = ""
        if level not in LANGUAGE_LEVELS:
            problems["level"] = "value_unknown"
    else:
        problems["category"] = "value_unknown"
    values = {"kind": kind, "name": name, "level": level, "issued_on": issued, "expires_on": expires}
    return values, problems, params


def item_status(expires_on: date | None, today: date) -> str:
    """ "expired", "soon" (within SOON_DAYS) or "" for a certificate."""
    if expires_on is None:
        return ""
    if expires_on < today:
        return "expired"
    if expires_on <= today + timedelta(days=SOON_DAYS):
        return "soon"
    return ""


def _codes(values: list[str], allowed: dict, name: str, problems: Problems) -> str:
    chosen = [value for value in allowed if value in set(values)]
    if len(set(values)) != len(chosen):
        problems[name] = "value_unknown"
    return ",".join(chosen)


def check_preferences(raw: dict, today: date) -> tuple[dict[str, str], Problems]:
    problems: Problems = {}
    jobs = _text(raw.get("jobs", ""), "jobs", MAX_JOBS, problems)
    sectors = _codes(list(raw.get("sectors", ())), SECTORS, "sectors", problems)
    regimes = _codes(list(raw.get("regimes", ())), REGIMES, "regimes", problems)
    typed = clean(raw.get("max_distance_km", ""))
    distance = ""
    if typed:
        if typed.isascii() and typed.isdigit() and len(typed) <= 4 and 1 <= int(typed) <= MAX_DISTANCE_KM:
            distance = str(int(typed))
        else:
            problems["max_distance_km"] = "distance_invalid"
    return {"jobs": jobs, "sectors": sectors, "regimes": regimes, "max_distance_km": distance}, problems


def check_mobility(raw: dict) -> tuple[dict[str, str], Problems]:
    return {name: "1" if raw.get(name) else "" for name in MOBILITY}, {}


def check_availability(raw: dict, today: date) -> tuple[dict[str, str], Problems, Params]:
    problems: Problems = {}
    params: Params = {}
    days = _codes(list(raw.get("days", ())), DAYS, "days", problems)
    start = _date(raw.get("from_date", ""), "from_date", problems, params, past=False, today=today)
    note = _text(raw.get("note", ""), "note", MAX_NOTE, problems)
    return {"days": days, "from_date": start.isoformat() if start else "", "note": note}, problems, params


def split(value: str) -> list[str]:
    """A stored comma-separated list of codes."""
    return [part for part in value.split(",") if part]
