"""Page furniture shared by sheets and badges: cut marks, text that fits,
the current language switched per card."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app import i18n
from app.domain.invitations.printing.fonts import printable

MARK = 6 * mm  # length of a cut mark
MARK_GAP = 1.5 * mm  # marks stop short of the card so no ink is on the card's edge


def cut_marks(canvas: Canvas, xs: list[float], ys: list[float]) -> None:
    """Short lines outside the block of cards, at every cut line: vertical
    marks above and below each x, horizontal marks left and right of each y."""
    canvas.saveState()
    canvas.setLineWidth(0.5)
    canvas.setStrokeColorRGB(0, 0, 0)
    bottom, top, left, right = min(ys), max(ys), min(xs), max(xs)
    for x in xs:
        canvas.line(x, bottom - MARK_GAP, x, bottom - MARK_GAP - MARK)
        canvas.line(x, top + MARK_GAP, x, top + MARK_GAP + MARK)
    for y in ys:
        canvas.line(left - MARK_GAP, y, left - MARK_GAP - MARK, y)
        canvas.line(right + MARK_GAP, y, right + MARK_GAP + MARK, y)
    canvas.restoreState()


def fit_size(text: str, font: str, size: float, width: float, smallest: float) -> float:
    """The largest font size from `size` down to `smallest` at which `text` fits `width`."""
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def draw_fitted(
    canvas: Canvas, text: str, font: str, size: float, x: float, y: float, width: float, smallest: float = 9
) -> None:
    """One line of text, shrunk to fit and cut with an ellipsis if even the
    smallest size is too wide."""
    text = printable(text)
    size = fit_size(text, font, size, width, smallest)
    while len(text) > 1 and stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    canvas.setFont(font, size)
    canvas.drawString(x, y, text)


def draw_wrapped(
    canvas: Canvas,
    text: str,
    font: str,
    size: float,
    x: float,
    top: float,
    width: float,
    leading: float | None = None,
    max_lines: int = 4,
) -> float:
    """Text wrapped into `width` from baseline `top` downwards; returns the
    baseline below the last line. A text that needs more than `max_lines`
    lines is set smaller (down to 70 %) rather than cut: an instruction that
    loses its last words is worse than a smaller one."""
    text = printable(text)
    fitted = size
    lines = simpleSplit(text, font, fitted, width)
    while len(lines) > max_lines and fitted > size * 0.7:
        fitted -= 0.5
        lines = simpleSplit(text, font, fitted, width)
    leading = (leading or size * 1.22) * fitted / size
    canvas.setFont(font, fitted)
    y = top
    for line in lines:
        canvas.drawString(x, y, line)
        y -= leading
    return y


@contextmanager
def language(code: str) -> Iterator[None]:
    """Translate in `code` inside the block, then back to the caller's language."""
    previous = i18n.current_language()
    i18n.set_language(code)
    try:
        yield
    finally:
        i18n.set_language(previous)
