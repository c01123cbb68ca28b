"""Jobs that mail a single-use link (set password, reset password, confirm
a new e-mail address: that one goes to the pending address).

The job payload holds only the user and token ids: the secret is derived
from the token row when the mail is written, so it never sits in the jobs
table. A link that is already used or expired by then is not sent.
"""

from __future__ import annotations

from app.config import get_settings
from app.domain.accounts import tokens
from app.domain.accounts.queries import user_for_mail
from app.domain.core.commands import utcnow
from app.domain.jobs import job_handler
from app.domain.mail import send_mail
from app.storage.tables import SecretToken, User


async def _send_link(payload: dict, purpose: str, template: str, path: str, to: str | None = None) -> bool:
    user = await user_for_mail(int(payload["user_id"]))
    token = await SecretToken.select().where(SecretToken.id == int(payload["token_id"])).first()
    recipient = to or (user["email"] if user else None)
    if user is None or not user["is_active"] or not recipient:
        return False
    if token is None or token["user"] != user["id"] or token["purpose"] != purpose:
        return False
    if token["used_at"] is not None or token["expires_at"] <= utcnow():
        return False
    secret = tokens.link_secret(token["id"], token["purpose"], token["salt"])
    await send_mail(
        to=recipient,
        template=template,
        language=user["language"],
        context={
            "language": user["language"],
            "name": user["display_name"],
            "link": f"{get_settings().base_url}{path}{secret}",
            "expires_at": token["expires_at"],
            "email": recipient,
        },
    )
    return True


@job_handler("accounts.send_set_password_mail")
async def send_set_password_mail(payload: dict, job_id: int) -> None:
    await _send_link(payload, tokens.SET_PASSWORD, "set_password", "/password/set/")


@job_handler("accounts.send_reset_password_mail")
async def send_reset_password_mail(payload: dict, job_id: int) -> None:
    await _send_link(payload, tokens.RESET_PASSWORD, "reset_password", "/password/reset/")


@job_handler("accounts.send_confirm_email_mail")
async def send_confirm_email_mail(payload: dict, job_id: int) -> None:
    row = await User.select(User.pending_email).where(User.id == int(payload["user_id"])).first()
    if row is not None and row["pending_email"]:
        await _send_link(payload, tokens.CONFIRM_EMAIL, "confirm_email", "/email/confirm/", to=row["pending_email"])
