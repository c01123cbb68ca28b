"""Dates of meetings: fixed consultation moments, the .ics invitation and
each person's subscribable calendar feed.

- A consultation moment recurs on a weekday at a Brussels time: every week
  (nth 0), the nth such weekday of the month (1..4) or the last one (5).
  `occurrences()` lists the next dates a moderator may take.
- The invitation is an iCalendar REQUEST with one UID per table
  (`table-<id>@<host>`) and the table's SEQUENCE, raised on every change of
  date or place, so calendar programs update the event instead of adding a
  second one. Everyone at the table (opener, chair holders, guests) gets it,
  unless they turned invitation mail off (notify.frequency == "off").
- The feed address carries a token: the user id and an HMAC of the id and
  the person's CalendarFeed salt with the app's secret. A new salt (reset)
  makes the old address answer 404.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import date, datetime, time, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vCalAddress, vText

from app import i18n
from app.config import get_settings
from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.ids import parse_id
from app.domain.mail import queue_mail
from app.domain.participation import notify
from app.domain.participation.meeting_payloads import ResetCalendarFeed
from app.i18n import TIMEZONE
from app.storage.participation import CalendarFeed, ConsultationMoment, ParticipationTable, Seat
from app.storage.tables import User

PRODID = "-//Werkpas//Participation//NL"


# -- consultation moments --------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    first = date(year, month, 1)
    days = [first + timedelta(days=n) for n in range(31) if (first + timedelta(days=n)).month == month]
    matching = [day for day in days if day.weekday() == weekday]
    if nth == 5:
        return matching[-1]
    return matching[nth - 1] if 1 <= nth <= len(matching) else None


def _clock(text: str) -> time:
    hour, minute = (int(part) for part in text.split(":", 1))
    return time(hour, minute)


def occurrences(moment: dict, after: datetime, count: int = 6) -> list[datetime]:
    """The next `count` starts of a moment strictly after `after` (aware, UTC)."""
    at = _clock(moment["time"])
    local = after.astimezone(TIMEZONE)
    found: list[datetime] = []
    if moment["nth"] == 0:
        day = local.date()
        while len(found) < count:
            if day.weekday() == moment["weekday"]:
                start = datetime.combine(day, at, tzinfo=TIMEZONE)
                if start > after:
                    found.append(start)
            day += timedelta(days=1)
        return found
    year, month = local.year, local.month
    for _ in range(count * 2 + 2):
        found_day = _nth_weekday(year, month, moment["weekday"], moment["nth"])
        if found_day is not None:
            start = datetime.combine(found_day, at, tzinfo=TIMEZONE)
            if start > after:
                found.append(start)
                if len(found) == count:
                    break
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return found


def is_occurrence(moment: dict, starts_at: datetime) -> bool:
    """Whether `starts_at` is one of the moment's dates."""
    local = starts_at.astimezone(TIMEZONE)
    if local.weekday() != moment["weekday"] or local.time().replace(second=0, microsecond=0) != _clock(moment["time"]):
        return False
    if moment["nth"] == 0:
        return True
    return _nth_weekday(local.year, local.month, moment["weekday"], moment["nth"]) == local.date()


async def moments_of(organisation_id: int, unit_id: int | None = None) -> list[dict]:
    """The organisation's active moments (of the whole organisation, or of `unit_id`)."""
    rows = await (
        ConsultationMoment.select()
        .where((ConsultationMoment.organisation == organisation_id) & (ConsultationMoment.active == True))  # noqa: E712
        .order_by(ConsultationMoment.id)
    )
    return [row for row in rows if row["unit"] is None or row["unit"] == unit_id]


# -- the invitation ----------------------------------------------------------


def _host() -> str:
    return urlsplit(get_settings().base_url).hostname or "werkpas.local"


def uid_of(table_id: int) -> str:
    return f"table-{table_id}@{_host()}"


def meeting_url(table_id: int) -> str:
    return f"{get_settings().base_url.rstrip('/')}/participation/tables/{table_id}/meeting"


def _event(table: dict, *, attendee: str | None = None, stamp: datetime | None = None) -> Event:
    event = Event()
    event.add("uid", uid_of(table["id"]))
    event.add("dtstamp", stamp or utcnow())
    start = table["starts_at"]
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=table["duration_minutes"] or 60))
    event.add("summary", table["title"])
    if table["place"]:
        event.add("location", table["place"])
    event.add("description", meeting_url(table["id"]))
    event.add("url", meeting_url(table["id"]))
    event.add("sequence", table["sequence"])
    event.add("status", "CANCELLED" if table["phase"] == "cancelled" else "CONFIRMED")
    # MAIL_FROM may carry a name ("Werkpas <noreply@...>"): the address only.
    organizer = vCalAddress(f"mailto:{parseaddr(get_settings().mail_from)[1] or 'noreply@' + _host()}")
    organizer.params["cn"] = vText("Werkpas")
    event.add("organizer", organizer)
    if attendee:
        address = vCalAddress(f"mailto:{attendee}")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address)
    return event


def when_text(moment: datetime, language: str | None) -> str:
    """The meeting's date and time as the recipient reads it (mail is rendered in a job)."""
    previous = i18n.current_language()
    i18n.set_language(language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE)
    try:
        return i18n.format_datetime(moment, "full")
    finally:
        i18n.set_language(previous)


def invitation_ics(table: dict, attendee: str | None = None) -> str:
    """The table's meeting as an iCalendar REQUEST for one attendee."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    calendar.add_component(_event(table, attendee=attendee))
    return calendar.to_ical().decode("utf-8")


def feed_ics(tables: list[dict]) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Werkpas")
    for table in tables:
        calendar.add_component(_event(table))
    return calendar.to_ical().decode("utf-8")


async def people_at(table_id: int) -> list[int]:
    """Everyone invited to the meeting: the opener, chair holders and guests."""
    rows = await Seat.select(Seat.user).where(
        (Seat.table == table_id) & Seat.refunded_at.is_null() & Seat.left_at.is_null() & Seat.user.is_not_null()
    )
    return sorted({row["user"] for row in rows})


async def send_invitation(table_id: int, user_id: int, *, changed: bool = False) -> bool:
    """Queue the current invitation (.ics) of the table's meeting for one
    person; joins the caller's transaction. False when there is nothing to
    send (no date yet, no address, invitation mail turned off)."""
    table = await ParticipationTable.select().where(ParticipationTable.id == table_id).first()
    if table is None or table["starts_at"] is None or table["phase"] not in ("planned", "running"):
        return False
    person = (
        await User.select(User.email, User.display_name, User.language, User.is_active)
        .where(User.id == user_id)
        .first()
    )
    if person is None or not person["email"] or not person["is_active"]:
        return False
    if await notify.frequency(user_id, "invitation") == "off":
        return False
    ics = invitation_ics(table, attendee=person["email"])
    await queue_mail(
        to=person["email"],
        template="participation_invitation",
        language=person["language"] or "nl",
        context={
            "name": person["display_name"],
            "title": table["title"],
            "when": when_text(table["starts_at"], person["language"]),
            "place": table["place"],
            "duration": table["duration_minutes"],
            "link": meeting_url(table_id),
            "changed": changed,
        },
        attachments=[{"filename": "overleg.ics", "content_type": "text/calendar; method=REQUEST", "text": ics}],
    )
    return True


async def send_invitations(table_id: int, *, changed: bool = False) -> int:
    sent = 0
    for user_id in await people_at(table_id):
        sent += await send_invitation(table_id, user_id, changed=changed)
    return sent


# -- the calendar feed -------------------------------------------------------


def _mac(user_id: int, salt: str) -> str:
    key = get_settings().secret_key.encode("utf-8")
    digest = hmac.new(key, f"calendar:{user_id}:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode("ascii")


def token_for(user_id: int, salt: str) -> str:
    return f"{user_id}-{_mac(user_id, salt)}"


async def feed_token(user_id: int) -> str | None:
    """The person's current feed token, or None before they made one."""
    row = await CalendarFeed.select(CalendarFeed.salt).where(CalendarFeed.user == user_id).first()
    return token_for(user_id, row["salt"]) if row else None


async def user_of_token(token: str) -> int | None:
    """The person whose feed the token opens, or None (wrong, old or mangled)."""
    head, _, mac = (token or "")[:80].partition("-")
    user_id = parse_id(head)
    if user_id is None or not mac:
        return None
    row = await CalendarFeed.select(CalendarFeed.salt).where(CalendarFeed.user == user_id).first()
    if row is None or not hmac.compare_digest(_mac(user_id, row["salt"]), mac):
        return None
    active = await User.select(User.is_active).where(User.id == user_id).first()
    return user_id if active and active["is_active"] else None


async def meetings_of(user_id: int) -> list[dict]:
    """The dated meetings of the tables where the person has a seat."""
    seats = await Seat.select(Seat.table).where(
        (Seat.user == user_id) & Seat.refunded_at.is_null() & Seat.left_at.is_null()
    )
    ids = sorted({seat["table"] for seat in seats})
    if not ids:
        return []
    return await (
        ParticipationTable.select()
        .where(
            ParticipationTable.id.is_in(ids)
            & ParticipationTable.starts_at.is_not_null()
            & (ParticipationTable.phase != "cancelled")
        )
        .order_by(ParticipationTable.starts_at)
    )


# -- the command that makes (or remakes) the feed's secret ---------------------


@handler("participation.reset_calendar_feed", ResetCalendarFeed)
async def reset_calendar_feed(command: Command[ResetCalendarFeed]) -> Effect:
    """Make a new secret calendar address for oneself; the old one stops working."""
    actor = await acting(command, "participation.take_part")
    if actor.user is None:
        raise Rejected("not_allowed")
    salt = secrets.token_hex(16)
    existing = await CalendarFeed.select(CalendarFeed.id).where(CalendarFeed.user == actor.user.id).first()
    if existing:
        await CalendarFeed.update({CalendarFeed.salt: salt}).where(CalendarFeed.id == existing["id"])
    else:
        await CalendarFeed.insert(CalendarFeed(user=actor.user.id, salt=salt, created_at=utcnow()))
    return Effect(target_type="calendar_feed", target_id=actor.user.id, ids={"reset": bool(existing)})
