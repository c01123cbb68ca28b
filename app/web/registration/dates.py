"""What to say about a birth date that is not one: the first thing to fix,
in the person's language ("31 February does not exist", with the month
named as they would write it), never just "write it as dd/mm/yyyy"."""

from __future__ import annotations

from app import i18n
from app.domain.registration.rules import OLDEST_YEAR, DateProblem
from app.i18n import _


def message(problem: DateProblem) -> str:
    if problem.reason == "missing":
        return _("Type your birth date: the day, the month and the year.")
    if problem.reason == "missing_part":
        return {
            "day": _("Type the day you were born, for example 25."),
            "month": _("Type the month you were born as a number, for example 3 for March."),
            "year": _("Type the year you were born, for example 1990."),
        }[problem.part]
    if problem.reason == "not_number":
        return {
            "day": _("Type the day with the digits 0 to 9 only, for example 25."),
            "month": _("Type the month with the digits 0 to 9 only, for example 3 for March."),
            "year": _("Type the year with the digits 0 to 9 only, for example 1990."),
        }[problem.part]
    return _numbers_message(problem)


def _numbers_message(problem: DateProblem) -> str:
    if problem.reason == "day_range":
        return _("A day is a number from 1 to 31.")
    if problem.reason == "month_range":
        return _("A month is a number from 1 to 12.")
    if problem.reason == "year_short":
        return _("Type the year in full, with 4 digits, for example 1990.")
    if problem.reason == "no_such_day" and problem.month is not None and problem.day is not None:
        if problem.day == 29 and problem.month == 2:
            return _("%(year)d had no 29 February: it was not a leap year.", year=problem.year or 0)
        return _("%(day)d %(month)s does not exist.", day=problem.day, month=i18n.month_name(problem.month))
    return _(
        "Check the year: a birth date is between %(oldest)d and today.",
        oldest=OLDEST_YEAR,
    )
