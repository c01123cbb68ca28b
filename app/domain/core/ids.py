"""Ids from forms, URLs and payloads."""

from __future__ import annotations

from typing import Any

from app.domain.core.payloads import MAX_ID

__all__ = ["MAX_ID", "is_number", "parse_id"]


def is_number(text: str) -> bool:
    """ASCII digits only: str.isdigit() also accepts "²" and Arabic-Indic digits, which int()
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
