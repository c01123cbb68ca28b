"""Pieces shared by the admin commands and queries: who is acting and over
which organisations, form value clean-up, search and pagination."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw

from app.domain.access import CurrentUser, Reach, in_scope
from app.domain.accounts.identity import load_user
from app.domain.commands import Command, Rejected
from app.i18n import lazy

# A command naming an object the actor may not see is refused with this
# message; the web layer turns it into a 404 (never a 403, which would
# confirm that the object exists in another organisation).
NOT_FOUND = lazy("This item does not exist or you do not have access to it.")
NOT_ALLOWED = lazy("You may not do this.")


@dataclass(frozen=True)
class Actor:
    """The one who runs a command; `user` is None for the system (cli, job)."""

    user: CurrentUser | None
    scope: frozenset[int] | None  # organisations the actor may manage; None = all
    # Where the permission holds down to units (roles granted on a unit act on
    # that unit and below); the system (cli, job) reaches everything.
    reach: Reach

    @property
    def id(self) -> int | None:
        return self.user.id if self.user else None

    @property
    def is_platform_admin(self) -> bool:
        return self.user is None or self.user.is_platform_admin

    def covers(self, organisation_id: int | None) -> bool:
        return in_scope(self.scope, organisation_id)


async def acting(command: Command, permission: str) -> Actor:
    """The actor of `command`, refused unless they hold `permission`."""
    if command.actor_id is None:
        if command.channel in ("cli", "job"):
            return Actor(user=None, scope=None, reach=Reach.all())
        raise Rejected({"_": NOT_ALLOWED})
    user = await load_user(command.actor_id)
    if user is None or not user.has_permission(permission):
        raise Rejected({"_": NOT_ALLOWED})
    return Actor(user=user, scope=user.organisations_with(permission), reach=user.reach(permission))


def text(payload: dict, key: str) -> str:
    """A payload value as trimmed text; NUL characters (which PostgreSQL
    refuses in text) are dropped whatever channel the command came from."""
    value = payload.get(key)
    return ("" if value is None else str(value)).replace("\x00", "").strip()


# Ids are 32-bit serials; a bigger number cannot name a row (and would make
# PostgreSQL refuse the query instead of finding nothing).
MAX_ID = 2**31 - 1


def is_number(text: str) -> bool:
    """ASCII digits only: str.isdigit() also accepts "²" and "١", which int()
    then refuses or reads as a number nobody typed."""
    return text.isascii() and text.isdigit()


def parse_id(value: Any) -> int | None:
    """A positive id from a form or URL, or None when it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    raw = str(value or "").strip()
    if not is_number(raw) or len(raw) > 10:
        return None
    number = int(raw)
    return number if 0 < number <= MAX_ID else None


def optional_id(payload: dict, key: str) -> int | None | bool:
    """An id from a form: None when empty, False when it is not a valid id."""
    value = payload.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_id(value) or False


def require_id(payload: dict, key: str) -> int:
    value = optional_id(payload, key)
    if not value:
        raise Rejected({"_": NOT_FOUND})
    return value


EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def email_problem(email: str) -> str | None:
    if not email:
        return lazy("Enter an e-mail address.")
    if len(email) > 254 or not EMAIL.match(email):
        return lazy("Enter a valid e-mail address, like name@example.be.")
    return None


def name_problem(name: str) -> str | None:
    if not name:
        return lazy("Enter a name.")
    if len(name) > 200:
        return lazy("Use at most 200 characters.")
    return None


# -- reads ---------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(raw: Any) -> int:
    """A page number from a query string; anything odd means page 1."""
    text_value = str(raw or "").strip()
    return int(text_value) if is_number(text_value) and 0 < len(text_value) < 7 and int(text_value) > 0 else 1


def clamp(number: int, total: int, per_page: int) -> int:
    return min(number, max(1, math.ceil(total / per_page)))


def contains(columns: tuple[str, ...], needle: str) -> WhereRaw:
    """Case-insensitive substring search over `columns`, with the user's
    % and _ taken literally (same behaviour on SQLite and PostgreSQL)."""
    escaped = needle.lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
    pattern = f"%{escaped}%"
    sql = " OR ".join(f"lower({column}) LIKE {{}} ESCAPE '!'" for column in columns)
    return WhereRaw(f"({sql})", *([pattern] * len(columns)))
