"""Reads of the calendar feed for the web layer: the person's address and
the feed behind a token."""

from __future__ import annotations

from app.domain.participation.calendar import feed_ics, feed_token, meetings_of, user_of_token


async def my_feed(user_id: int) -> dict:
    """{token or None, meetings}: what the calendar page shows."""
    return {"token": await feed_token(user_id), "meetings": await meetings_of(user_id)}


async def feed_for_token(token: str) -> str | None:
    """The iCalendar feed the token opens, or None (unknown, reset, mangled)."""
    user_id = await user_of_token(token)
    if user_id is None:
        return None
    return feed_ics(await meetings_of(user_id))
