"""Each person's mail settings per kind (instant, daily, weekly, off), and
the one-click unsubscribe of every participation mail (RFC 8058).

Every participation mail carries `List-Unsubscribe` with a signed address
and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`: a mail program
POSTs to that address without a login, and the kind of mail is off. The
address is signed with an HMAC of the user id and the kind under the app's
secret key, so nobody can switch off another person's mail by guessing.
Use `unsubscribe_headers(user_id, kind)` for the headers and
`unsubscribe_url(user_id, kind)` for the visible link in the mail body.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

import msgspec

from app.config import get_settings
from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.payloads import NO_NUL, Id, Payload
from app.domain.core.reasons import declare
from app.domain.participation.notify import FREQUENCIES, KINDS, frequencies
from app.i18n import lazy
from app.storage import db
from app.storage.participation import MailSetting
from app.storage.tables import User

Word = Annotated[str, msgspec.Meta(max_length=20, pattern=NO_NUL)]
Signature = Annotated[str, msgspec.Meta(max_length=128, pattern=NO_NUL)]

MAIL_CODES = declare(
    "participation",
    {
        "mail_kind_unknown": lazy("This kind of mail does not exist."),
        "frequency_unknown": lazy("Choose right away, once a day, once a week or never."),
        "unsubscribe_link_invalid": lazy("This unsubscribe link is not valid."),
    },
)


def signature(user_id: int, kind: str) -> str:
    message = f"werkpas-unsubscribe:{user_id}:{kind}".encode()
    return hmac.new(get_settings().secret_key.encode(), message, hashlib.sha256).hexdigest()[:40]


def valid_signature(user_id: int, kind: str, sent: str) -> bool:
    return kind in KINDS and sent.isascii() and hmac.compare_digest(signature(user_id, kind), sent)


def unsubscribe_path(user_id: int, kind: str) -> str:
    return f"/participation/unsubscribe/{user_id}/{kind}/{signature(user_id, kind)}"


def unsubscribe_url(user_id: int, kind: str) -> str:
    """The absolute, signed address that switches this kind of mail off."""
    return get_settings().base_url.rstrip("/") + unsubscribe_path(user_id, kind)


def unsubscribe_headers(user_id: int, kind: str) -> dict[str, str]:
    """The RFC 8058 headers for a participation mail of `kind` to `user_id`."""
    if kind not in KINDS:
        raise ValueError(kind)
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


async def _store(user_id: int, kind: str, frequency: str) -> None:
    await db.lock(User, user_id)  # one row per user and kind, also in parallel
    now = utcnow()
    where = (MailSetting.user == user_id) & (MailSetting.kind == kind)
    if await MailSetting.exists().where(where):
        await MailSetting.update({"frequency": frequency, "updated_at": now}).where(where)
    else:
        await MailSetting.insert(MailSetting(user=user_id, kind=kind, frequency=frequency, updated_at=now))


class SetMailSettings(Payload, frozen=True, kw_only=True):
    """participation.set_mail_settings: {kind: instant | daily | weekly | off};
    kinds not named keep their setting."""

    frequencies: Annotated[dict[Word, Word], msgspec.Meta(max_length=20)]


@handler("participation.set_mail_settings", SetMailSettings, codes=tuple(MAIL_CODES))
async def set_mail_settings(command: Command[SetMailSettings]) -> Effect:
    """Choose, per kind of participation mail, how often it comes."""
    actor = await acting(command, "participation.take_part")
    if actor.user is None:
        raise Rejected("not_allowed")
    errors: dict[str, str] = {}
    for kind, frequency in command.payload.frequencies.items():
        if kind not in KINDS:
            errors[kind] = "mail_kind_unknown"
        elif frequency not in FREQUENCIES:
            errors[kind] = "frequency_unknown"
    if errors:
        raise Rejected.each(errors)
    for kind, frequency in command.payload.frequencies.items():
        await _store(actor.user.id, kind, frequency)
    chosen = await frequencies(actor.user.id)
    return Effect(
        target_type="user",
        target_id=actor.user.id,
        detail=" ".join(f"{kind}={value}" for kind, value in chosen.items()),
    )


class Unsubscribe(Payload, frozen=True, kw_only=True):
    """participation.unsubscribe: the one-click link of a mail (no login)."""

    user_id: Id
    kind: Word
    signature: Signature


@handler("participation.unsubscribe", Unsubscribe, codes=tuple(MAIL_CODES))
async def unsubscribe(command: Command[Unsubscribe]) -> Effect:
    """Switch one kind of participation mail off, from the signed link in a
    mail (the signature is the proof; no login)."""
    payload = command.payload
    if not valid_signature(payload.user_id, payload.kind, payload.signature):
        raise Rejected("not_found")
    if not await User.exists().where(User.id == payload.user_id):
        raise Rejected("not_found")
    await _store(payload.user_id, payload.kind, "off")
    return Effect(target_type="user", target_id=payload.user_id, detail=f"{payload.kind}=off")


__all__ = ["signature", "unsubscribe_headers", "unsubscribe_path", "unsubscribe_url", "valid_signature"]
