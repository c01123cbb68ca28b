"""Staff accounts without activity for 6 months + 1 day are deactivated
(seed 001: "toegang wordt ingetrokken na 6 maanden + 1 dag").

The rule, on calendar dates in Europe/Brussels: take the day of the last
activity (last login; else the latest reactivation; else the creation of the
account, whichever is latest), add six calendar months (a day that does not
exist in the target month becomes that month's last day), add one day: that
is the last day the account still counts as active. From the next day on the
daily job deactivates it. Example: last login 2026-01-31 -> 2026-07-31 + 1 day
= 2026-08-01 is the last active day; the job of 2026-08-02 deactivates.
"""

from __future__ import annotations

import calendar
import uuid
from datetime import UTC, date, datetime, time, timedelta

from app.domain.accounts.payloads import DeactivateUser
from app.domain.accounts.schedule import DAILY, KIND
from app.domain.core.access import STAFF_ROLES
from app.domain.core.commands import Command, execute
from app.domain.jobs import periodic
from app.i18n import TIMEZONE, local_time
from app.storage.tables import AuditEvent, RoleGrant, User

# Commands of one job run get ids derived from the job and the user, so a
# re-run of the same job applies nothing twice.
COMMAND_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "werkpas:accounts.deactivate_user")
REACTIVATE = "accounts.reactivate_user"
# Six calendar months + 1 day is never fewer than 182 days: this coarse
# bound narrows the query, the exact rule is applied per account.
COARSE_DAYS = 170


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_active_day(activity: datetime) -> date:
    return add_months(local_time(activity).date(), 6) + timedelta(days=1)


def is_inactive(activity: datetime, today: date) -> bool:
    return today > last_active_day(activity)


def brussels_today() -> date:
    return datetime.now(TIMEZONE).date()


def deactivation_command_id(job_id: int, user_id: int) -> uuid.UUID:
    return uuid.uuid5(COMMAND_NAMESPACE, f"{job_id}:{user_id}")


async def _candidates(today: date) -> list[dict]:
    bound = datetime.combine(today - timedelta(days=COARSE_DAYS), time(), TIMEZONE).astimezone(UTC)
    staff = RoleGrant.select(RoleGrant.user).where(RoleGrant.role.is_in(list(STAFF_ROLES)))
    return await User.select(User.id, User.last_login_at, User.created_at).where(
        (User.is_active == True)  # noqa: E712 (Piccolo builds SQL from ==)
        & User.id.is_in(staff)
        & ((User.last_login_at < bound) | (User.last_login_at.is_null() & (User.created_at < bound)))
    )


async def _reactivations(user_ids: list[int]) -> dict[int, datetime]:
    if not user_ids:
        return {}
    rows = await AuditEvent.select(AuditEvent.target_id, AuditEvent.at).where(
        (AuditEvent.type == REACTIVATE)
        & (AuditEvent.outcome == "applied")
        & (AuditEvent.target_type == "user")
        & AuditEvent.target_id.is_in([str(user_id) for user_id in user_ids])
    )
    latest: dict[int, datetime] = {}
    for row in rows:
        user_id = int(row["target_id"])
        latest[user_id] = max(latest.get(user_id, row["at"]), row["at"])
    return latest


async def inactive_staff(today: date) -> list[int]:
    candidates = await _candidates(today)
    reactivated = await _reactivations([row["id"] for row in candidates])
    inactive = []
    for row in candidates:
        moments = [row["last_login_at"] or row["created_at"], reactivated.get(row["id"])]
        if is_inactive(max(moment for moment in moments if moment is not None), today):
            inactive.append(row["id"])
    return sorted(inactive)


async def deactivate_inactive(today: date, job_id: int) -> list[int]:
    """Deactivate every inactive staff account; returns the ids deactivated."""
    done = []
    for user_id in await inactive_staff(today):
        outcome = await execute(
            Command(
                type="accounts.deactivate_user",
                payload=DeactivateUser(user_id=user_id),
                actor_id=None,
                channel="job",
                id=deactivation_command_id(job_id, user_id),
            )
        )
        if outcome.applied:
            done.append(user_id)
    return done


@periodic(KIND, DAILY)
async def deactivate_inactive_job(payload: dict, job_id: int) -> None:
    await deactivate_inactive(brussels_today(), job_id)
