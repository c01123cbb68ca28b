"""The passport introduction, remembered per account (`User.onboarded_at`):
"done" and "skip" both mean "do not show it by itself again". A kiosk is
shared, so a session cannot remember it for the person."""

from __future__ import annotations

from app.domain.accounts.payloads import FinishIntroduction
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.storage.tables import User


@handler("accounts.finish_introduction", FinishIntroduction, codes=("not_found", "not_allowed"))
async def finish_introduction(command: Command[FinishIntroduction]) -> Effect:
    """The person finished or skipped the passport introduction; it is not
    shown by itself again on any device.

    Only the person themself may say so. Finishing it again keeps the first
    moment."""
    user = await User.select(User.id, User.organisation, User.is_active).where(User.id == command.actor_id).first()
    if user is None:
        raise Rejected("not_found")
    if not user["is_active"] or command.payload.user_id != user["id"]:
        raise Rejected("not_allowed", organisation_id=user["organisation"])
    await User.update({User.onboarded_at: utcnow()}).where((User.id == user["id"]) & User.onboarded_at.is_null())
    return Effect(
        target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids={"user_id": user["id"]}
    )
