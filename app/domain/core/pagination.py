"""Pages of a list, and searching in it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw

from app.domain.core.ids import is_number


@dataclass(frozen=True)
class Page:
    items: list[Any]  # rows as dicts, or an area's row objects (import results: StoredRow)
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
