"""Fonts for the PDFs. DejaVu Sans (Debian's fonts-dejavu-core) covers every
accent a Belgian roster holds (Ç, ş, ő...); reportlab's built-in Helvetica
only covers Latin-1, so it is the fallback when DejaVu is not installed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    mono: str
    unicode: bool  # False: Helvetica, Latin-1 only


FALLBACK = Fonts("Helvetica", "Helvetica-Bold", "Courier-Bold", unicode=False)


@lru_cache(maxsize=1)
def fonts() -> Fonts:
    files = {
        "WerkpasSans": "DejaVuSans.ttf",
        "WerkpasSans-Bold": "DejaVuSans-Bold.ttf",
        "WerkpasMono-Bold": "DejaVuSansMono-Bold.ttf",
    }
    if not all((DEJAVU_DIR / name).is_file() for name in files.values()):
        return FALLBACK
    for font_name, file_name in files.items():
        pdfmetrics.registerFont(TTFont(font_name, str(DEJAVU_DIR / file_name)))
    return Fonts("WerkpasSans", "WerkpasSans-Bold", "WerkpasMono-Bold", unicode=True)


def printable(text: str) -> str:
    """Text the chosen font can draw: with the Helvetica fallback, characters
    outside Latin-1 lose their accent (Ç stays, ş becomes s) instead of
    turning into black boxes."""
    if fonts().unicode:
        return text
    import unicodedata

    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char)[0]
            out.append(base if ord(base) < 256 else "?")
    return "".join(out)
