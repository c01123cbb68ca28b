"""How a person wants each kind of participation mail.

By default only meeting invitations and their changes are instant; the
rest waits for the weekly digest (the pilot's per-event mails overloaded
people, seed 002 section 4.5). Each person may choose per kind: instant,
daily, weekly or off (MailSetting rows; no row is the default).
"""

from __future__ import annotations

from app.i18n import lazy
from app.storage.participation import MailSetting

FREQUENCIES = ("instant", "daily", "weekly", "off")

# kind -> (default frequency, label)
KINDS = {
    "invitation": ("instant", lazy("Meeting invitations and changes of date or place")),
    "digest": ("weekly", lazy("Overview of new tables, minutes, meetings and action points")),
    "announcement": ("weekly", lazy("Announcements of the organisation or your subgroup")),
    "reminder": ("weekly", lazy("Reminders: evaluations waiting, action points due")),
}


async def frequency(user_id: int, kind: str) -> str:
    """The person's choice for this kind of mail, or its default."""
    if kind not in KINDS:
        raise ValueError(kind)
    row = (
        await MailSetting.select(MailSetting.frequency)
        .where((MailSetting.user == user_id) & (MailSetting.kind == kind))
        .first()
    )
    return row["frequency"] if row else KINDS[kind][0]


async def frequencies(user_id: int) -> dict[str, str]:
    rows = await MailSetting.select(MailSetting.kind, MailSetting.frequency).where(MailSetting.user == user_id)
    chosen = {row["kind"]: row["frequency"] for row in rows}
    return {kind: chosen.get(kind, default) for kind, (default, _label) in KINDS.items()}
