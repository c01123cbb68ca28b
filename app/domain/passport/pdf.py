"""A small builder for the worker's readable PDFs (the access log, the data
export): a title, headings, paragraphs, label/value lists and tables, on A4,
with DejaVu Sans when it is installed (every accent of a Belgian name) and
Helvetica otherwise (Latin-1; other characters lose their accent).

Text is escaped before reportlab's paragraph markup sees it: a name like
"<b>" or "&" in the data is printed as typed.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    unicode: bool


@lru_cache(maxsize=1)
def _fonts() -> _Fonts:
    files = {"WerkpasPdfSans": "DejaVuSans.ttf", "WerkpasPdfSans-Bold": "DejaVuSans-Bold.ttf"}
    if not all((DEJAVU_DIR / name).is_file() for name in files.values()):
        return _Fonts("Helvetica", "Helvetica-Bold", unicode=False)
    for font_name, file_name in files.items():
        pdfmetrics.registerFont(TTFont(font_name, str(DEJAVU_DIR / file_name)))
    return _Fonts("WerkpasPdfSans", "WerkpasPdfSans-Bold", unicode=True)


def _printable(text: str) -> str:
    if _fonts().unicode:
        return text
    out = []
    for char in text:
        base = char if ord(char) < 256 else unicodedata.normalize("NFKD", char)[0]
        out.append(base if ord(base) < 256 else "?")
    return "".join(out)


def _markup(text: object) -> str:
    # Control characters would break the PDF's text; line breaks become <br/>.
    cleaned = "".join(ch for ch in str(text) if ch in "\n" or unicodedata.category(ch)[0] != "C")
    return escape(_printable(cleaned)).replace("\n", "<br/>")


class Document:
    def __init__(self, title: str) -> None:
        fonts = _fonts()
        self.title = title
        self.body = ParagraphStyle("body", fontName=fonts.regular, fontSize=10, leading=14, spaceAfter=6)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8.5, leading=11, spaceAfter=0)
        self.small_bold = ParagraphStyle("small_bold", parent=self.small, fontName=fonts.bold)
        self.h1 = ParagraphStyle("h1", fontName=fonts.bold, fontSize=18, leading=22, spaceAfter=10)
        self.h2 = ParagraphStyle("h2", fontName=fonts.bold, fontSize=13, leading=17, spaceBefore=10, spaceAfter=6)
        self.h3 = ParagraphStyle("h3", fontName=fonts.bold, fontSize=11, leading=14, spaceBefore=6, spaceAfter=4)
        self.flow: list = [Paragraph(_markup(title), self.h1)]

    def heading(self, text: str, level: int = 2) -> None:
        self.flow.append(Paragraph(_markup(text), self.h2 if level == 2 else self.h3))

    def paragraph(self, text: str) -> None:
        self.flow.append(Paragraph(_markup(text), self.body))

    def pairs(self, pairs: list[tuple[str, str]]) -> None:
        """Label and value, one per line."""
        if not pairs:
            return
        data = [
            [Paragraph(_markup(label), self.small_bold), Paragraph(_markup(value), self.small)]
            for label, value in pairs
        ]
        table = Table(data, colWidths=(WIDTH * 0.32, WIDTH * 0.68))
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d5dae1")),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        self.flow.append(KeepTogether(table) if len(data) < 12 else table)
        self.flow.append(Spacer(0, 4))

    def table(self, header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        """A table with a header row repeated on every page; `widths` in
        percent of the text width."""
        data = [[Paragraph(_markup(cell), self.small_bold) for cell in header]]
        data += [[Paragraph(_markup(cell), self.small) for cell in row] for row in rows]
        table = Table(data, colWidths=[WIDTH * w / 100 for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d5dae1")),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        self.flow.append(table)
        self.flow.append(Spacer(0, 6))

    def build(self) -> bytes:
        buffer = io.BytesIO()
        fonts = _fonts()

        def footer(canvas, doc) -> None:
            canvas.saveState()
            canvas.setFont(fonts.regular, 8)
            canvas.setFillColor(colors.HexColor("#5a6473"))
            canvas.drawString(MARGIN, 10 * mm, _printable(f"Werkpas · {self.title}"))
            canvas.drawRightString(A4[0] - MARGIN, 10 * mm, str(doc.page))
            canvas.restoreState()

        template = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=_printable(self.title),
            author="Werkpas",
        )
        template.build(self.flow, onFirstPage=footer, onLaterPages=footer)
        return buffer.getvalue()
