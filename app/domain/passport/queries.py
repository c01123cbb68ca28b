"""What the worker's passport page shows while the passport itself is still
to come: whether the introduction was seen, how the person logs in, how
they can be reached, and the organisations they are registered with."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.registration import worker_organisations
from app.storage.people import Badge, Person
from app.storage.tables import User


@dataclass(frozen=True)
class Overview:
    introduction_seen: bool
    email: str | None
    phone: str | None
    language: str
    has_password: bool
    has_pin: bool
    has_badge: bool
    organisations: list[str]


async def overview(user_id: int) -> Overview:
    user = await (
        User.select(
            User.email,
            User.phone,
            User.language,
            User.password_hash,
            User.pin_hash,
            User.onboarded_at,
        )
        .where(User.id == user_id)
        .first()
    )
    assert user is not None, "a signed-in user's row exists"
    # A current badge on any of the person's records (one per organisation).
    has_badge = await Badge.exists().where(
        Badge.person.is_in(Person.select(Person.id).where(Person.user == user_id)) & Badge.revoked_at.is_null()
    )
    return Overview(
        introduction_seen=user["onboarded_at"] is not None,
        email=user["email"],
        phone=user["phone"],
        language=user["language"],
        has_password=bool(user["password_hash"]),
        has_pin=bool(user["pin_hash"]),
        has_badge=has_badge,
        organisations=await worker_organisations(user_id),
    )
