"""The three pictograms of the instruction (scan, birth date, PIN), drawn
as vectors in a 100 x 100 box. Each is defined once per PDF as a form
XObject and placed by reference, so a 1,000-card PDF stays small.

Dark outlines on white with a pale fill: clear on a black-and-white printer
and for people who read little."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

INK = (0.08, 0.12, 0.2)
PALE = (0.85, 0.9, 0.97)
ACCENT = (0.12, 0.32, 0.65)
NAMES = ("picto-scan", "picto-birth", "picto-pin")


def define(canvas: Canvas) -> None:
    """Registers the three forms on `canvas` (call once per document)."""
    for name, draw in zip(NAMES, (_scan, _birth, _pin), strict=True):
        canvas.beginForm(name, lowerx=0, lowery=0, upperx=100, uppery=100)
        canvas.saveState()
        canvas.setStrokeColorRGB(*INK)
        canvas.setLineJoin(1)
        canvas.setLineCap(1)
        draw(canvas)
        canvas.restoreState()
        canvas.endForm()


def place(canvas: Canvas, step: int, x: float, y: float, size: float) -> None:
    """Pictogram of step 1, 2 or 3 in the square (x, y, size)."""
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / 100, size / 100)
    canvas.doForm(NAMES[step - 1])
    canvas.restoreState()


def _finder(canvas: Canvas, x: float, y: float, size: float) -> None:
    canvas.setFillColorRGB(*INK)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x + size / 7, y + size / 7, size * 5 / 7, size * 5 / 7, stroke=0, fill=1)
    canvas.setFillColorRGB(*INK)
    canvas.rect(x + size * 2 / 7, y + size * 2 / 7, size * 3 / 7, size * 3 / 7, stroke=0, fill=1)


def _scan(canvas: Canvas) -> None:
    """A phone whose screen shows a QR code, inside scan brackets."""
    canvas.setLineWidth(5)
    canvas.setFillColorRGB(*PALE)
    canvas.roundRect(26, 4, 48, 92, 9, stroke=1, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(31, 16, 38, 68, stroke=0, fill=1)
    canvas.setFillColorRGB(*INK)
    canvas.circle(50, 10, 2.6, stroke=0, fill=1)
    # a small QR code on the screen
    for fx, fy in ((35, 55), (53, 55), (35, 37)):
        _finder(canvas, fx, fy, 12)
    for dx, dy in ((53, 37), (59, 43), (53, 47), (61, 37), (47, 43), (47, 37), (41, 31)):
        canvas.rect(dx, dy, 4, 4, stroke=0, fill=1)
    # scan line across the screen
    canvas.setStrokeColorRGB(*ACCENT)
    canvas.setLineWidth(3)
    canvas.line(20, 50, 80, 50)
    # corner brackets: "point the camera here"
    canvas.setLineWidth(4)
    for cx, cy, sx, sy in ((6, 8, 1, 1), (94, 8, -1, 1), (6, 92, 1, -1), (94, 92, -1, -1)):
        corner = canvas.beginPath()
        corner.moveTo(cx + 12 * sx, cy)
        corner.lineTo(cx, cy)
        corner.lineTo(cx, cy + 12 * sy)
        canvas.drawPath(corner, stroke=1, fill=0)


def _birth(canvas: Canvas) -> None:
    """A birthday cake with candles: "your date of birth"."""
    canvas.setLineWidth(5)
    canvas.setFillColorRGB(*PALE)
    canvas.roundRect(14, 12, 72, 30, 4, stroke=1, fill=1)
    canvas.roundRect(24, 42, 52, 22, 4, stroke=1, fill=1)
    canvas.line(6, 10, 94, 10)
    # icing
    canvas.setLineWidth(3)
    path = canvas.beginPath()
    path.moveTo(14, 32)
    for index in range(6):
        x = 14 + index * 12
        path.curveTo(x + 3, 24, x + 9, 24, x + 12, 32)
    canvas.drawPath(path, stroke=1, fill=0)
    # candles and flames
    canvas.setLineWidth(4)
    for x in (36, 50, 64):
        canvas.setFillColorRGB(1, 1, 1)
        canvas.rect(x - 3, 64, 6, 14, stroke=1, fill=1)
        canvas.setFillColorRGB(*ACCENT)
        flame = canvas.beginPath()
        flame.moveTo(x, 82)
        flame.curveTo(x - 6, 88, x - 1, 94, x, 98)
        flame.curveTo(x + 1, 94, x + 6, 88, x, 82)
        canvas.drawPath(flame, stroke=0, fill=1)


def _pin(canvas: Canvas) -> None:
    """A padlock with four PIN dots."""
    canvas.setLineWidth(8)
    shackle = canvas.beginPath()
    shackle.moveTo(32, 50)
    shackle.lineTo(32, 70)
    shackle.curveTo(32, 94, 68, 94, 68, 70)
    shackle.lineTo(68, 50)
    canvas.drawPath(shackle, stroke=1, fill=0)
    canvas.setLineWidth(5)
    canvas.setFillColorRGB(*PALE)
    canvas.roundRect(14, 6, 72, 52, 7, stroke=1, fill=1)
    canvas.setFillColorRGB(*INK)
    for index in range(4):
        canvas.circle(27 + index * 15.3, 32, 5, stroke=0, fill=1)
    canvas.setLineWidth(3)
    canvas.line(22, 18, 78, 18)
