"""Text the participation area stores as one line (a table's title): control
and format characters gone (NUL, zero-width spaces, bidi overrides that would
turn the text around it on a page), spaces folded."""

from __future__ import annotations

import unicodedata


def one_line(text: str) -> str:
    """The line without control or format characters, spaces folded."""
    kept = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    return " ".join(kept.split())


__all__ = ["one_line"]
