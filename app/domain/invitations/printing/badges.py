"""Kiosk login badges: the command that issues one, and the credit-card
layout (85.6 x 54 mm, ten per A4 in two columns of five, with cut marks).

The badge QR holds `WERKPAS-BADGE:<token>` (token = secrets.token_for(BADGE,
badge id, salt)), not a URL: a badge is for the kiosk's scanner, and a phone
that scans it should not open a web page with the login token in its history.
The short badge code (secrets.badge_code_for(salt): 12 characters in groups
of four) is for typing at a kiosk whose camera fails; it looks different from
the 9-character invitation code on purpose. Next to the QR the card says
"scan here, then type your PIN" in the worker's language; /badge shows a
drawing of this card (templates/registration/_badge_card.html) with the code
where it is printed, so keep the two in step.

Reprinting reuses the person's current badge: token and code derive from its
salt, so the new print is identical and the old card keeps working. Only an
explicit renewal (a lost card) issues a new badge, which revokes the old one.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Outcome, Rejected, execute, handler, utcnow
from app.domain.invitations import secrets
from app.domain.invitations.payloads import IssueBadge
from app.domain.invitations.printing import qr
from app.domain.invitations.printing.fonts import fonts, printable
from app.domain.invitations.printing.layout import cut_marks, draw_fitted, fit_size, language
from app.domain.invitations.printing.queries import person_on_roster
from app.i18n import _
from app.storage import db
from app.storage.people import Badge, Person
from app.storage.tables import Organisation

PERMISSION = "invitations.print"
QR_PREFIX = secrets.BADGE_QR_PREFIX
CARD_W, CARD_H = 85.6 * mm, 54 * mm
COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
PAGE_W, PAGE_H = A4
LEFT = (PAGE_W - COLUMNS * CARD_W) / 2
BOTTOM = (PAGE_H - ROWS * CARD_H) / 2
INK = (0.08, 0.12, 0.2)
GREY = (0.33, 0.36, 0.42)


def qr_text(badge_id: int, salt: str) -> str:
    return QR_PREFIX + secrets.token_for(secrets.BADGE, badge_id, salt)


# -- issuing -----------------------------------------------------------------


@handler("invitations.issue_badge", IssueBadge)
async def issue_badge(command: Command[IssueBadge]) -> Effect:
    """A new kiosk badge for the organisation's record of a person on its roster, within the actor's
    reach (their unit and below, or the whole organisation); the previous
    badge is revoked. Renewals of one person take turns (a row lock), and a
    unique index allows one current badge per person in any case."""
    actor = await acting(command, PERMISSION)
    person_id, organisation_id = command.payload.person_id, command.payload.organisation_id
    if not actor.reach.touches(organisation_id):
        raise Rejected("not_found")
    if not await person_on_roster(person_id, organisation_id, actor.reach):
        raise Rejected("not_found", organisation_id=organisation_id)
    await db.lock(Person, person_id)
    now = utcnow()
    previous = await Badge.select(Badge.id).where((Badge.person == person_id) & Badge.revoked_at.is_null())
    if previous:
        await Badge.update({Badge.revoked_at: now}).where(Badge.id.is_in([row["id"] for row in previous]))
    salt = secrets.new_salt()
    rows = await Badge.insert(
        Badge(
            person=person_id,
            salt=salt,
            code_lookup=secrets.code_lookup(secrets.BADGE, secrets.badge_code_for(salt)),
            issued_by=actor.id,
            issued_at=now,
        )
    )
    badge_id = rows[0]["id"]
    return Effect(
        target_type="badge",
        target_id=badge_id,
        organisation_id=organisation_id,
        ids={"badge_id": badge_id, "person_id": person_id, "revoked": [row["id"] for row in previous]},
    )


async def current_badges(person_ids: list[int]) -> dict[int, dict]:
    rows = (
        await Badge.select(Badge.id, Badge.person, Badge.salt, Badge.code_lookup).where(
            Badge.person.is_in(person_ids) & Badge.revoked_at.is_null()
        )
        if person_ids
        else []
    )
    return {row["person"]: row for row in rows}


async def ensure_badges(
    people: list[tuple[int, int]], *, actor_id: int | None, channel: str, request_id: uuid.UUID, renew: bool = False
) -> Outcome | None:
    """Issues a badge (command invitations.issue_badge) for each (person,
    organisation) without a current one, or for all of them when `renew`.
    Command ids derive from `request_id`, so sending the same print form
    twice issues each badge once. Returns the first refusal, or None."""
    done = set() if renew else set(await current_badges([person for person, _org in people]))
    for person_id, organisation_id in people:
        if person_id in done:
            continue
        done.add(person_id)
        outcome = await execute(
            Command(
                type="invitations.issue_badge",
                payload=IssueBadge(person_id=person_id, organisation_id=organisation_id),
                actor_id=actor_id,
                channel=channel,
                id=uuid.uuid5(request_id, f"badge:{person_id}:{organisation_id}"),
            )
        )
        if not outcome.applied:
            return outcome
    return None


# -- cards -------------------------------------------------------------------


@dataclass(frozen=True)
class BadgeCard:
    badge_id: int
    first_name: str
    last_name: str
    language: str
    organisation: str
    qr_text: str
    code: str  # grouped: K7PA-4QX9-MA2C (K7P-4QX-9MA on a badge of the old format)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


async def badge_cards(people: list[tuple[int, int]]) -> list[BadgeCard]:
    """Cards of the current badges of `people`, ordered by name."""
    person_ids = [person for person, _org in people]
    badges = await current_badges(person_ids)
    persons = (
        {
            row["id"]: row
            for row in await Person.select(Person.id, Person.first_name, Person.last_name, Person.language).where(
                Person.id.is_in(person_ids)
            )
        }
        if person_ids
        else {}
    )
    org_ids = sorted({org for _person, org in people})
    names = (
        {
            row["id"]: row["name"]
            for row in await Organisation.select(Organisation.id, Organisation.name).where(
                Organisation.id.is_in(org_ids)
            )
        }
        if org_ids
        else {}
    )
    cards = []
    for person_id, organisation_id in people:
        badge, person = badges.get(person_id), persons.get(person_id)
        if badge is None or person is None:
            continue
        cards.append(
            BadgeCard(
                badge_id=badge["id"],
                first_name=person["first_name"],
                last_name=person["last_name"],
                language=person["language"],
                organisation=names.get(organisation_id, ""),
                qr_text=qr_text(badge["id"], badge["salt"]),
                code=secrets.display(secrets.badge_code(badge["salt"], badge["code_lookup"])),
            )
        )
    return sorted(cards, key=lambda card: (card.last_name.casefold(), card.first_name.casefold(), card.badge_id))


def render_badges(cards: list[BadgeCard]) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle("Werkpas")
    canvas.setAuthor("Werkpas")
    xs = [LEFT + column * CARD_W for column in range(COLUMNS + 1)]
    ys = [BOTTOM + row * CARD_H for row in range(ROWS + 1)]
    for index, card in enumerate(cards):
        slot = index % PER_PAGE
        if slot == 0 and index:
            canvas.showPage()
        if slot == 0:
            cut_marks(canvas, xs, ys)
        column, row = slot % COLUMNS, slot // COLUMNS
        with language(card.language):
            _draw_card(canvas, card, xs[column], ys[ROWS - row - 1])
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


NAME_SIZE = 12.5


def name_lines(card: BadgeCard, font: str, size: float, width: float) -> list[str]:
    """First name on one line, the last name after it, broken after a hyphen
    or space when it is too wide (at most three lines)."""

    def join(left: str, right: str) -> str:
        return left + ("" if not left or left.endswith("-") else " ") + right

    lines = [printable(card.first_name)]
    current = ""
    for piece in re.findall(r"[^\s-]+-?", printable(card.last_name)):
        if current and stringWidth(join(current, piece), font, size) > width:
            lines.append(current)
            current = piece
        else:
            current = join(current, piece)
    lines.append(current)
    while len(lines) > 3:  # the last line shrinks to fit instead
        lines[-2:] = [join(lines[-2], lines[-1])]
    return lines


def _draw_card(canvas: Canvas, card: BadgeCard, x: float, y: float) -> None:
    f = fonts()
    pad = 4.5 * mm
    qr_size = 44 * mm  # with its quiet zone, which may reach into the padding
    qr_x, qr_y = x + CARD_W - pad - qr_size + 2 * mm, y + pad - 2 * mm
    qr_top = qr_y + qr_size
    qr.draw(canvas, card.qr_text, qr_x, qr_y, qr_size)
    text_w = CARD_W - qr_size - pad - 1 * mm
    top = y + CARD_H - pad
    canvas.setFillColorRGB(*INK)
    canvas.rect(x, y + CARD_H - 2.5 * mm, CARD_W, 2.5 * mm, stroke=0, fill=1)  # a band to tell front from back
    draw_fitted(canvas, "Werkpas", f.bold, 11, x + pad, top - 5 * mm, text_w)
    canvas.setFillColorRGB(*GREY)
    draw_fitted(canvas, card.organisation, f.regular, 8, x + pad, top - 10 * mm, text_w, smallest=6)
    canvas.setFillColorRGB(*INK)
    for number, line in enumerate(name_lines(card, f.bold, NAME_SIZE, text_w)):
        draw_fitted(canvas, line, f.bold, NAME_SIZE, x + pad, top - (17 + 5.2 * number) * mm, text_w, smallest=7)
    canvas.setFillColorRGB(*GREY)
    draw_fitted(canvas, _("Badge code"), f.regular, 7.5, x + pad, y + pad + 6 * mm, text_w, smallest=6)
    canvas.setFillColorRGB(*INK)
    draw_fitted(canvas, card.code, f.mono, 11, x + pad, y + pad + 1 * mm, text_w, smallest=8)
    # Between the QR square and the band: right above what it tells the
    # worker to scan, leaving the QR's quiet zone white.
    draw_centred(
        canvas, _("Scan here, then type your PIN"), f.bold, 7, qr_x + qr_size / 2, qr_top + 1.3 * mm, qr_size - 1 * mm
    )


def draw_centred(canvas: Canvas, text: str, font: str, size: float, centre: float, y: float, width: float) -> None:
    text = printable(text)
    size = fit_size(text, font, size, width, 5)
    canvas.setFont(font, size)
    canvas.drawCentredString(centre, y, text)
