"""QR codes as vector graphics: `qrcode` computes the module matrix, each run
of dark modules in a row becomes one rectangle of a single filled path.

The mask pattern is fixed instead of searched: the search builds the matrix
eight times (about 7 ms a code against 1 ms), which would dominate a
1,000-card print, and any of the eight masks gives a standard, decodable code
(the tests decode every printed code with zxing-cpp)."""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

MASK_PATTERN = 2  # vertical stripes every third column: breaks up long runs
QUIET_ZONE = 4  # modules of white around the code, as the standard asks


# Byte mode only (no mixed-mode optimisation), so the smallest version depends
# on the length alone and is searched once per length, not once per code.
_versions: dict[int, int] = {}


def matrix(text: str) -> list[list[bool]]:
    data = text.encode()
    version = _versions.get(len(data))
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=0, mask_pattern=MASK_PATTERN)
    code.add_data(data, optimize=0)
    code.make(fit=version is None)
    _versions.setdefault(len(data), code.version)
    return code.get_matrix()


def draw(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The code for `text` filling the square (x, y, size), quiet zone
    included, so leave the square white around it.

    Written as literal PDF operators in module units (one `re` per run of
    dark modules, one fill for the whole code): reportlab's path objects
    format every coordinate through a pure-Python float formatter, which made
    the QR codes most of a 1,000-card print's time."""
    modules = matrix(text)
    count = len(modules)
    step = size / (count + 2 * QUIET_ZONE)
    left, top = x + QUIET_ZONE * step, y + size - QUIET_ZONE * step
    # Module (column, row) is the unit square at (column, row) below the top-left corner.
    operators = [f"q {step:.4f} 0 0 {-step:.4f} {left:.3f} {top:.3f} cm 0 g"]
    for row_index, row in enumerate(modules):
        col = 0
        while col < count:
            if not row[col]:
                col += 1
                continue
            start = col
            while col < count and row[col]:
                col += 1
            operators.append(f"{start} {row_index} {col - start} 1 re")
    operators.append("f Q")
    canvas.addLiteral("\n".join(operators))
