"""Invitation sheets: A4, two invitations per page (one per A5 half), with
cut marks and a dashed line between the halves.

Each half, in the invited person's language: who it is from and until when
it is valid, the person's name in large type, the QR code with the link,
the short code to type, and three numbered steps with pictograms."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import urlsplit

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.config import get_settings
from app.domain.invitations.printing import pictograms, qr
from app.domain.invitations.printing.fonts import fonts, printable
from app.domain.invitations.printing.layout import MARK, draw_fitted, draw_wrapped, language
from app.domain.invitations.printing.queries import SheetCard
from app.i18n import _, format_date

PER_PAGE = 2
PAGE_W, PAGE_H = A4
PART_H = PAGE_H / PER_PAGE
MARGIN = 12 * mm
QR_SIZE = 60 * mm
INK = pictograms.INK
GREY = (0.33, 0.36, 0.42)


CODE_ENTRY_PATH = "/register"  # the page where a short code is typed (registration area)


def site_name() -> str:
    """Where to type the code, as people read it (no scheme)."""
    parts = urlsplit(get_settings().base_url)
    return parts.netloc + parts.path.rstrip("/") + CODE_ENTRY_PATH


def _texts() -> dict[str, str]:
    """The texts every sheet has, in the current language."""
    return {
        "title": _("Your Werkpas invitation"),
        "code_label": _("Your code"),
        "private": _("This sheet is only for you. Do not give the code to anyone."),
        "step1": _("Scan the QR code with the camera of your phone."),
        "step1_more": _("No phone? Type your code at a Werkpas kiosk or on %(site)s.", site=site_name()),
        "step2": _("Type your date of birth."),
        "step3": _("Choose your PIN code or password."),
        "step3_more": _("Then you can log in to Werkpas."),
    }


def render_sheets(cards: list[SheetCard]) -> bytes:
    """The PDF for `cards` (already checked and ordered by the caller)."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle("Werkpas")
    canvas.setAuthor("Werkpas")
    pictograms.define(canvas)
    # What is the same on every sheet in one language is drawn once, as a form.
    for code in sorted({card.language for card in cards}):
        with language(code):
            _define_common(canvas, code)
    for index, card in enumerate(cards):
        slot = index % PER_PAGE
        if slot == 0 and index:
            canvas.showPage()
        if slot == 0:
            _page_furniture(canvas)
        with language(card.language):
            _draw_part(canvas, card, PAGE_H - (slot + 1) * PART_H)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _define_common(canvas: Canvas, code: str) -> None:
    texts = _texts()
    f = fonts()
    left, right, top = MARGIN, PAGE_W - MARGIN, PART_H - MARGIN
    canvas.beginForm(f"sheet-{code}", lowerx=0, lowery=0, upperx=PAGE_W, uppery=PART_H)
    canvas.setFillColorRGB(*INK)
    draw_fitted(canvas, texts["title"], f.regular, 13, left, top - 11 * mm, right - left)
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(1.2)
    canvas.line(left, top - 25 * mm, right, top - 25 * mm)
    qr_top = top - 28 * mm
    _draw_code_box(canvas, texts, left, qr_top - QR_SIZE - 4 * mm)
    _draw_steps(canvas, texts, left + QR_SIZE + 2 * mm, right, qr_top)
    canvas.setFillColorRGB(*GREY)
    draw_fitted(canvas, texts["private"], f.regular, 9, left, 7 * mm, right - left, smallest=7)
    canvas.endForm()


def _page_furniture(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setLineWidth(0.6)
    for x in (3 * mm, PAGE_W - 3 * mm - MARK):
        canvas.line(x, PART_H, x + MARK, PART_H)
    canvas.restoreState()
    # a light dashed line between the halves, for scissors
    canvas.saveState()
    canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
    canvas.setLineWidth(0.4)
    canvas.setDash(3, 3)
    canvas.line(MARGIN, PART_H, PAGE_W - MARGIN, PART_H)
    canvas.restoreState()


def _draw_part(canvas: Canvas, card: SheetCard, bottom: float) -> None:
    f = fonts()
    left, right, top = MARGIN, PAGE_W - MARGIN, bottom + PART_H - MARGIN
    canvas.saveState()
    canvas.translate(0, bottom)
    canvas.doForm(f"sheet-{card.language}")
    canvas.restoreState()
    canvas.setFillColorRGB(*GREY)
    draw_fitted(
        canvas,
        _("Invitation from %(organisation)s", organisation=card.organisation),
        f.regular,
        10.5,
        left,
        top - 3 * mm,
        (right - left) * 0.58,
    )
    canvas.setFont(f.bold, 10.5)
    canvas.drawRightString(
        right, top - 3 * mm, printable(_("Valid until %(date)s", date=format_date(card.expires_at, "long")))
    )
    canvas.setFillColorRGB(*INK)
    draw_fitted(canvas, card.name, f.bold, 24, left, top - 21 * mm, right - left, smallest=12)
    qr_top = top - 28 * mm
    qr.draw(canvas, card.url, left - 3 * mm, qr_top - QR_SIZE, QR_SIZE)
    box_w, box_bottom = QR_SIZE - 6 * mm, qr_top - QR_SIZE - 8 * mm - CODE_BOX_H
    canvas.setFont(f.mono, 19)
    canvas.drawCentredString(left + box_w / 2, box_bottom + 3.6 * mm, card.code)


CODE_BOX_H = 12 * mm


def _draw_code_box(canvas: Canvas, texts: dict[str, str], left: float, top: float) -> None:
    f = fonts()
    canvas.setFillColorRGB(*INK)
    draw_fitted(canvas, texts["code_label"], f.regular, 10, left, top - 1 * mm, QR_SIZE - 6 * mm)
    canvas.setLineWidth(1.2)
    canvas.setStrokeColorRGB(*INK)
    canvas.roundRect(left, top - 4 * mm - CODE_BOX_H, QR_SIZE - 6 * mm, CODE_BOX_H, 2 * mm, stroke=1, fill=0)


def _draw_steps(canvas: Canvas, texts: dict[str, str], left: float, right: float, top: float) -> None:
    f = fonts()
    row_h, picto = 28 * mm, 22 * mm
    steps = ((texts["step1"], texts["step1_more"]), (texts["step2"], ""), (texts["step3"], texts["step3_more"]))
    for number, (main, more) in enumerate(steps, start=1):
        row_top = top - (number - 1) * row_h
        # the step number in a dark disc
        canvas.setFillColorRGB(*INK)
        canvas.circle(left + 5.5 * mm, row_top - 8 * mm, 5.5 * mm, stroke=0, fill=1)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setFont(f.bold, 18)
        canvas.drawCentredString(left + 5.5 * mm, row_top - 10.4 * mm, str(number))
        pictograms.place(canvas, number, left + 13 * mm, row_top - picto - 1 * mm, picto)
        text_left = left + 13 * mm + picto + 4 * mm
        canvas.setFillColorRGB(*INK)
        below = draw_wrapped(canvas, main, f.bold, 14, text_left, row_top - 6.5 * mm, right - text_left, max_lines=2)
        if more:
            canvas.setFillColorRGB(*GREY)
            draw_wrapped(canvas, more, f.regular, 10, text_left, below - 0.5 * mm, right - text_left, max_lines=2)
