"""The birth date entry says exactly what to fix, in the person's language:
"31/02/1990" is "31 February does not exist", not "write it as dd/mm/yyyy";
odd input (other digits, NUL bytes, control characters) gets a message, not
a 500, and is not counted as a wrong birth date."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.registration.rules import DateProblem, read_birth_date
from tests.support.factories import make_org
from tests.support.registration import confirm_birth_date, enter_code, invitation_row, invite

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("typed", "reason", "part"),
    [
        (("", "", ""), "missing", "day"),
        (("25", "", "1990"), "missing_part", "month"),
        (("25", "3", ""), "missing_part", "year"),
        (("2x", "3", "1990"), "not_number", "day"),
        (("25", "٠٣", "1990"), "not_number", "month"),
        (("25", "3", "\uff11\uff19\uff19\uff10"), "not_number", "year"),
        (("25", "3", "19\x0190"), "not_number", "year"),
        (("32", "1", "1990"), "day_range", "day"),
        (("0", "1", "1990"), "day_range", "day"),
        (("25", "13", "1990"), "month_range", "month"),
        (("25", "3", "90"), "year_short", "year"),
        (("25", "3", "0090"), "year_short", "year"),
        (("25", "3", "1850"), "year_range", "year"),
        (("25", "3", "2027"), "year_range", "year"),
        (("3", "12", "2026"), "year_range", "year"),
        (("31", "2", "1990"), "no_such_day", "day"),
        (("29", "2", "1991"), "no_such_day", "day"),
        (("31", "4", "1990"), "no_such_day", "day"),
    ],
)
def test_the_first_thing_to_fix_is_named(typed, reason, part):
    problem = read_birth_date(*typed, today=TODAY)
    assert isinstance(problem, DateProblem)
    assert (problem.reason, problem.part) == (reason, part)


@pytest.mark.parametrize(
    "typed", [("25", "03", "1990"), ("25/03/1990", "", ""), ("25-3-1990", "", ""), (" 25 ", " 3 ", " 1990 ")]
)
def test_real_dates_are_read(typed):
    assert read_birth_date(*typed, today=TODAY) == date(1990, 3, 25)


def test_29_february_of_a_leap_year_and_today_are_real():
    assert read_birth_date("29", "2", "1992", today=TODAY) == date(1992, 2, 29)
    assert read_birth_date("2", "12", "2026", today=TODAY) == TODAY


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "31 February does not exist."),
        ("nl", "31 februari bestaat niet."),
        ("fr", "Le 31 février n\u2019existe pas."),
    ],
)
async def test_31_february_is_named_in_the_persons_language(client, language, text):
    org = await make_org()
    inv = await invite(org, first=f"Feb{language}")
    await enter_code(client, inv.code)
    client.cookies.set("werkpas_lang", language)
    response = await confirm_birth_date(client, "31", "02", "1990")
    assert response.status_code == 422
    assert text in response.text
    assert "dd/mm" not in response.text and "jj/mm" not in response.text
    # The error is linked from the summary to the day box, which is marked.
    assert 'href="#day"' in response.text and 'id="day"' in response.text
    assert response.text.count('aria-invalid="true"') == 1
    assert (await invitation_row(inv.id))["failed_attempts"] == 0


async def test_leap_day_message_names_the_year(client):
    org = await make_org()
    inv = await invite(org)
    await enter_code(client, inv.code)
    response = await confirm_birth_date(client, "29", "2", "1991")
    assert response.status_code == 422 and "1991 had no 29 February: it was not a leap year." in response.text


@pytest.mark.parametrize(
    "typed",
    [
        ("\x00", "3", "1990"),
        ("\x00", "\x00", "\x00"),
        ("25", "3", "1990\u202e"),
        ("٢٥", "٣", "١٩٩٠"),
        ("\U0001d7d0\U0001d7d3", "3", "1990"),
        ("25", "3", "1990" * 40),
        ("'; DROP TABLE invitation; --", "", ""),
    ],
)
async def test_odd_input_gets_a_message_and_counts_nothing(client, typed):
    org = await make_org()
    inv = await invite(org)
    await enter_code(client, inv.code)
    response = await confirm_birth_date(client, *typed)
    assert response.status_code == 422
    assert 'class="field-error" id="birth-date-error"' in response.text
    assert "This is not the birth date we know" not in response.text
    assert (await invitation_row(inv.id))["failed_attempts"] == 0


async def test_the_boxes_say_what_they_take(client):
    org = await make_org()
    inv = await invite(org)
    await enter_code(client, inv.code)
    page = (await client.get("/register/identity")).text
    assert "Day, month and year in numbers, for example 25 3 1990." in page
    assert "in the first box" not in page
    assert 'class="field reg-date-two"' in page and 'class="field reg-date-four"' in page
    for name in ("day", "month", "year"):
        assert f'<label for="{name}">' in page
