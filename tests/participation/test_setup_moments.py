"""When fixed consultation moments occur: the nth or last weekday of the
month, or every week, at a Brussels time (also across summer time)."""

from __future__ import annotations

from datetime import UTC, datetime

from app.domain.participation.moments import day_in_month, next_occurrences, parse_time
from app.i18n import TIMEZONE


def _moment(weekday: int, nth: int, at: str = "14:00") -> dict:
    return {"weekday": weekday, "nth": nth, "time": at}


def test_every_first_tuesday_at_two():
    # 3 December 2026 is a Thursday; the first Tuesday of December was the 1st.
    after = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    found = next_occurrences(_moment(1, 1), after, 3)
    assert [d.date().isoformat() for d in found] == ["2027-01-05", "2027-02-02", "2027-03-02"]
    assert all(d.hour == 14 and d.minute == 0 and d.tzinfo == TIMEZONE for d in found)


def test_the_same_day_counts_only_when_the_time_is_still_to_come():
    moment = _moment(1, 1, "14:00")
    morning = datetime(2026, 12, 1, 9, 0, tzinfo=TIMEZONE)
    assert next_occurrences(moment, morning, 1)[0].date().isoformat() == "2026-12-01"
    exactly = datetime(2026, 12, 1, 14, 0, tzinfo=TIMEZONE)
    assert next_occurrences(moment, exactly, 1)[0].date().isoformat() == "2027-01-05"


def test_last_friday_and_every_week():
    after = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    last = next_occurrences(_moment(4, 5, "09:30"), after, 3)
    assert [d.date().isoformat() for d in last] == ["2026-12-25", "2027-01-29", "2027-02-26"]
    weekly = next_occurrences(_moment(3, 0, "16:00"), after, 3)  # Thursdays; today at 16:00 is still to come
    assert [d.date().isoformat() for d in weekly] == ["2026-12-03", "2026-12-10", "2026-12-17"]


def test_fourth_weekday_exists_in_every_month_and_the_year_wraps():
    assert day_in_month(2027, 2, 0, 4).isoformat() == "2027-02-22"
    found = next_occurrences(_moment(0, 4), datetime(2026, 12, 29, tzinfo=UTC), 2)
    assert [d.date().isoformat() for d in found] == ["2027-01-25", "2027-02-22"]


def test_brussels_time_holds_across_summer_time():
    found = next_occurrences(_moment(6, 5, "14:00"), datetime(2027, 2, 1, tzinfo=UTC), 2)
    # Last Sunday of March 2027 is the change to summer time: still 14:00 local.
    assert [d.date().isoformat() for d in found] == ["2027-02-28", "2027-03-28"]
    assert [d.hour for d in found] == [14, 14]
    assert [d.astimezone(UTC).hour for d in found] == [13, 12]


def test_bad_moments_have_no_occurrences():
    after = datetime(2026, 12, 3, tzinfo=UTC)
    assert next_occurrences(_moment(1, 1, "25:00"), after) == []
    assert next_occurrences(_moment(7, 1), after) == []
    assert next_occurrences(_moment(1, 6), after) == []
    assert next_occurrences(_moment(1, 1), after, 0) == []
    assert (
        parse_time("7:00") is None
        and parse_time("07:00\x00") is None
        and parse_time("07:00\n") is None
        and parse_time("23:59").minute == 59
    )
