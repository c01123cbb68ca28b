"""Our retention rule for workers' accounts (documented in the privacy
notice): an account with no valid consent and no login for 15 months is
closed, after two reminder mails.

On calendar dates in Europe/Brussels. The account's last activity (the
"anchor") is the latest of: its last login (else its creation), its latest
consent receipt (a grant, a change, a withdrawal or an expiry: the end of a
valid consent counts as the last moment it had one), the expiry of a consent
that ran out, and an administrator's reactivation. Then:

- 13 months after the anchor: the first reminder;
- 14 months after the anchor, and at least a month after the first: the
  second reminder;
- 15 months after the anchor, and at least a month after the second: the
  account is closed (passport.close_inactive: see rights.py).

A closed account (closed by the worker or by this rule) keeps its data for
12 months, so the worker can still ask for a copy; then it is erased
(passport.erase_closed). An account an administrator reactivated since is
left alone.

An account with a consent in force is left alone; a login or a new consent
moves the anchor, and the count starts again (reminders name their anchor).
Only worker accounts: staff accounts follow the six months + one day rule of
the accounts area. An account without an e-mail address cannot be mailed:
its reminders are recorded all the same and it is closed on the same days.

Idempotent: a reminder is claimed by inserting its unique key
"<user>:<stage>:<anchor>" before its mail is queued (in one transaction),
so a job that runs twice, or two workers at once, sends each mail once; the
closure is a command whose id derives from the account and the anchor.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app import i18n
from app.config import get_settings
from app.domain.core.access import STAFF_ROLES
from app.domain.core.commands import Command, execute, utcnow
from app.domain.jobs import daily, periodic
from app.domain.mail import queue_mail
from app.domain.passport.payloads import CloseInactive, EraseClosed
from app.i18n import TIMEZONE, local_time
from app.storage import db
from app.storage.passport import Consent, ConsentRecord
from app.storage.rights import AccountEnd, RetentionNotice
from app.storage.tables import AuditEvent, RoleGrant, User

KIND = "passport.retention"
SCHEDULE = daily(3, 30)
FIRST_REMINDER_MONTHS = 13
SECOND_REMINDER_MONTHS = 14
CLOSE_MONTHS = 15
# At least this many months between a reminder and the next step.
GAP_MONTHS = 1
# A closed account's data is erased this many months after the closure.
KEEP_CLOSED_MONTHS = 12
# 13 calendar months are never fewer than 393 days: this coarse bound
# narrows the query, the exact rule is applied per account.
COARSE_DAYS = 390
COMMAND_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "werkpas:passport.close_inactive")
REACTIVATE = "accounts.reactivate_user"


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def brussels_today() -> date:
    return datetime.now(TIMEZONE).date()


def _day(moment: datetime) -> date:
    return local_time(moment).date()


@dataclass(frozen=True)
class State:
    user_id: int
    anchor: datetime
    first: datetime | None  # when the first reminder for this anchor went out
    second: datetime | None

    @property
    def anchor_day(self) -> date:
        return _day(self.anchor)

    def next_step(self, today: date) -> str | None:
        """ "remind1", "remind2", "close" or None (nothing due today)."""
        if self.first is None:
            return "remind1" if today >= add_months(self.anchor_day, FIRST_REMINDER_MONTHS) else None
        if self.second is None:
            due = max(add_months(self.anchor_day, SECOND_REMINDER_MONTHS), add_months(_day(self.first), GAP_MONTHS))
            return "remind2" if today >= due else None
        due = max(add_months(self.anchor_day, CLOSE_MONTHS), add_months(_day(self.second), GAP_MONTHS))
        return "close" if today >= due else None


def closes_on(state: State, stage: int, today: date) -> date:
    """The day the account will be closed if nothing happens, said in the
    reminder of `stage` sent today."""
    second = today
    if stage == 1:
        second = max(add_months(state.anchor_day, SECOND_REMINDER_MONTHS), add_months(today, GAP_MONTHS))
    return max(add_months(state.anchor_day, CLOSE_MONTHS), add_months(second, GAP_MONTHS))


def notice_key(user_id: int, stage: int, anchor: datetime) -> str:
    return f"{user_id}:{stage}:{anchor.astimezone(UTC).isoformat()}"


async def _latest(rows: list[dict], key: str, value: str) -> dict[int, datetime]:
    latest: dict[int, datetime] = {}
    for row in rows:
        user_id, moment = row[key], row[value]
        if moment is not None and (user_id not in latest or moment > latest[user_id]):
            latest[user_id] = moment
    return latest


async def states(today: date, user_ids: list[int] | None = None) -> list[State]:
    """The worker accounts the rule applies to today (active, no staff role,
    no consent in force, no login near), with their anchor and reminders.
    `user_ids` limits it to those accounts."""
    now = utcnow()
    bound = datetime.combine(today - timedelta(days=COARSE_DAYS), time(), TIMEZONE).astimezone(UTC)
    staff = RoleGrant.select(RoleGrant.user).where(RoleGrant.role.is_in(list(STAFF_ROLES)))
    in_force = Consent.select(Consent.user).where(Consent.expires_at > now)
    query = User.select(User.id, User.last_login_at, User.created_at).where(
        (User.is_active == True)  # noqa: E712 (Piccolo builds SQL from ==)
        & User.id.not_in(staff)
        & User.id.not_in(in_force)
        & ((User.last_login_at < bound) | (User.last_login_at.is_null() & (User.created_at < bound)))
    )
    if user_ids is not None:
        query = query.where(User.id.is_in(user_ids or [-1]))
    users = await query
    if not users:
        return []
    ids = [row["id"] for row in users]
    receipts = await _latest(
        await ConsentRecord.select(ConsentRecord.subject_id, ConsentRecord.at).where(
            ConsentRecord.subject_id.is_in(ids)
        ),
        "subject_id",
        "at",
    )
    expired = await _latest(
        await Consent.select(Consent.user, Consent.expires_at).where(Consent.user.is_in(ids)), "user", "expires_at"
    )
    reactivations = await AuditEvent.select(AuditEvent.target_id, AuditEvent.at).where(
        (AuditEvent.type == REACTIVATE)
        & (AuditEvent.outcome == "applied")
        & (AuditEvent.target_type == "user")
        & AuditEvent.target_id.is_in([str(user_id) for user_id in ids])
    )
    reactivated = await _latest(
        [{"user": int(row["target_id"]), "at": row["at"]} for row in reactivations], "user", "at"
    )
    notices = await RetentionNotice.select(
        RetentionNotice.user, RetentionNotice.stage, RetentionNotice.anchor, RetentionNotice.sent_at
    ).where(RetentionNotice.user.is_in(ids))
    found = []
    for row in users:
        user_id = row["id"]
        moments = [row["last_login_at"] or row["created_at"], receipts.get(user_id), expired.get(user_id)]
        moments.append(reactivated.get(user_id))
        anchor = max(moment for moment in moments if moment is not None)
        sent = {
            notice["stage"]: notice["sent_at"]
            for notice in notices
            if notice["user"] == user_id and notice["anchor"] == anchor
        }
        found.append(State(user_id, anchor, sent.get(1), sent.get(2)))
    return found


async def due_for_closure(user_id: int, today: date) -> bool:
    found = await states(today, [user_id])
    return bool(found) and found[0].next_step(today) == "close"


async def closed_to_erase(today: date, user_ids: list[int] | None = None) -> list[int]:
    """Accounts closed KEEP_CLOSED_MONTHS ago or longer, not erased yet, still
    closed (no reactivation since the closure)."""
    bound = datetime.combine(retention_bound(today), time(), TIMEZONE).astimezone(UTC)
    query = AccountEnd.select(AccountEnd.user, AccountEnd.closed_at, AccountEnd.user.is_active).where(
        AccountEnd.erased_at.is_null() & (AccountEnd.closed_at < bound)
    )
    if user_ids is not None:
        query = query.where(AccountEnd.user.is_in(user_ids or [-1]))
    rows = [row for row in await query if not row["user.is_active"]]
    if not rows:
        return []
    reactivations = await AuditEvent.select(AuditEvent.target_id, AuditEvent.at).where(
        (AuditEvent.type == REACTIVATE)
        & (AuditEvent.outcome == "applied")
        & (AuditEvent.target_type == "user")
        & AuditEvent.target_id.is_in([str(row["user"]) for row in rows])
    )
    later = {
        int(r["target_id"])
        for r in reactivations
        for row in rows
        if str(row["user"]) == r["target_id"] and r["at"] > row["closed_at"]
    }
    return sorted(
        row["user"]
        for row in rows
        if row["user"] not in later and add_months(_day(row["closed_at"]), KEEP_CLOSED_MONTHS) <= today
    )


def retention_bound(today: date) -> date:
    """No account closed on or after this day is due for erasure (coarse)."""
    return today - timedelta(days=28 * KEEP_CLOSED_MONTHS) + timedelta(days=1)


def closure_command_id(state: State) -> uuid.UUID:
    return uuid.uuid5(COMMAND_NAMESPACE, notice_key(state.user_id, 0, state.anchor))


def _formatted(day: date, language: str) -> str:
    previous = i18n.current_language()
    i18n.set_language(language)
    try:
        return i18n.format_date(day, "long")
    finally:
        i18n.set_language(previous)


async def _remind(state: State, stage: int, today: date) -> bool:
    """Claims reminder `stage` for this anchor and queues its mail, in one
    transaction; False when it was already claimed (nothing sent)."""
    user = await User.select(User.email, User.display_name, User.language).where(User.id == state.user_id).first()
    if user is None:
        return False
    async with db.transaction():
        claimed = await (
            RetentionNotice.insert(
                RetentionNotice(
                    user=state.user_id,
                    stage=stage,
                    anchor=state.anchor,
                    key=notice_key(state.user_id, stage, state.anchor),
                    sent_at=utcnow(),
                    mailed=bool(user["email"]),
                )
            )
            .on_conflict(target=RetentionNotice.key, action="DO NOTHING")
            .returning(RetentionNotice.id)
        )
        if not claimed:
            return False
        if user["email"]:
            await queue_mail(
                to=user["email"],
                template="retention_reminder",
                language=user["language"],
                context={
                    "name": user["display_name"],
                    "stage": stage,
                    "closes_on": _formatted(closes_on(state, stage, today), user["language"]),
                    "login_link": f"{get_settings().base_url}/login",
                    "privacy_link": f"{get_settings().base_url}/privacy#retention",
                },
            )
    return True


async def run(today: date) -> dict[str, list[int]]:
    """One pass of the rule: {"reminded1": [...], "reminded2": [...],
    "closed": [...], "erased": [...]} (account ids)."""
    done: dict[str, list[int]] = {"reminded1": [], "reminded2": [], "closed": [], "erased": []}
    for state in await states(today):
        step = state.next_step(today)
        if step == "remind1" and await _remind(state, 1, today):
            done["reminded1"].append(state.user_id)
        elif step == "remind2" and await _remind(state, 2, today):
            done["reminded2"].append(state.user_id)
        elif step == "close":
            outcome = await execute(
                Command(
                    type="passport.close_inactive",
                    payload=CloseInactive(user_id=state.user_id),
                    actor_id=None,
                    channel="job",
                    id=closure_command_id(state),
                )
            )
            if outcome.applied and not outcome.replayed:
                done["closed"].append(state.user_id)
    for user_id in await closed_to_erase(today):
        outcome = await execute(
            Command(
                type="passport.erase_closed",
                payload=EraseClosed(user_id=user_id),
                actor_id=None,
                channel="job",
                id=uuid.uuid5(COMMAND_NAMESPACE, f"erase:{user_id}:{today.isoformat()}"),
            )
        )
        if outcome.applied and not outcome.replayed:
            done["erased"].append(user_id)
    return done


@periodic(KIND, SCHEDULE)
async def retention_job(payload: dict, job_id: int) -> None:
    await run(brussels_today())
