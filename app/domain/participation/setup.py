"""An organisation's participation set-up and its defaults.

Every organisation works the day it is created: without a stored
ParticipationSettings row the defaults below hold, and its default rooms
are added when it is created (participation.set_up_defaults, run by
admin.create_organisation) or by migration 0013 for older organisations.

Numbers that seed 002 does not give are our choice, and the help text says
so: a table needs 2 chairs besides the opener (MIN_CHAIRS), at most 10
chairs, 10 coins a month, topped up at the start of each month.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, handler, utcnow
from app.domain.core.payloads import Id, Payload
from app.i18n import lazy
from app.storage.participation import ParticipationSettings, Room
from app.storage.tables import Organisation

PERIODS = ("month", "quarter")
REFILLS = ("top_up", "add")


@dataclass(frozen=True)
class Settings:
    organisation_id: int
    table_price: int = 3
    chair_price: int = 1
    coins_per_period: int = 10
    period: str = "month"
    refill: str = "top_up"
    min_chairs: int = 2
    max_chairs: int = 10
    practice_coins: int = 10


FIELDS = (
    "table_price",
    "chair_price",
    "coins_per_period",
    "period",
    "refill",
    "min_chairs",
    "max_chairs",
    "practice_coins",
)


async def settings_of(organisation_id: int) -> Settings:
    row = await ParticipationSettings.select().where(ParticipationSettings.organisation == organisation_id).first()
    if row is None:
        return Settings(organisation_id)
    return Settings(organisation_id, **{name: row[name] for name in FIELDS})


# The default rooms, per language of the organisation (seed 002: the
# organisation adds, removes and renames rooms at its intake).
DEFAULT_ROOMS = {
    "nl": [
        ("Werkplek en veiligheid", "Materiaal, werkplek, veilig en gezond werken."),
        ("Planning en uurroosters", "Uren, ploegen, verlof en vervangingen."),
        ("Samenwerking en sfeer", "Hoe we met elkaar en met leidinggevenden omgaan."),
        ("Opleiding en groei", "Leren, opleidingen en doorgroeien."),
        ("Ideeën en verbeteringen", "Wat beter, sneller of slimmer kan."),
    ],
    "fr": [
        ("Poste de travail et sécurité", "Matériel, poste de travail, travailler en sécurité et en bonne santé."),
        ("Planning et horaires", "Heures, équipes, congés et remplacements."),
        ("Collaboration et ambiance", "Comment nous travaillons ensemble et avec les responsables."),
        ("Formation et évolution", "Apprendre, se former et évoluer."),
        ("Idées et améliorations", "Ce qui peut se faire mieux, plus vite ou plus simplement."),
    ],
    "en": [
        ("Workplace and safety", "Equipment, the workplace, working safely and healthily."),
        ("Planning and rosters", "Hours, shifts, leave and replacements."),
        ("Working together", "How we work with each other and with managers."),
        ("Training and growth", "Learning, courses and moving up."),
        ("Ideas and improvements", "What could be better, faster or smarter."),
    ],
}


async def add_default_rooms(organisation_id: int) -> int:
    """Adds the default rooms when the organisation has none; returns how many."""
    if await Room.exists().where(Room.organisation == organisation_id):
        return 0
    row = await Organisation.select(Organisation.default_language).where(Organisation.id == organisation_id).first()
    if row is None:
        return 0
    rooms = DEFAULT_ROOMS.get(row["default_language"], DEFAULT_ROOMS["nl"])
    now = utcnow()
    await Room.insert(
        *[
            Room(organisation=organisation_id, name=name, description=text, position=index, created_at=now)
            for index, (name, text) in enumerate(rooms)
        ]
    )
    return len(rooms)


class SetUpDefaults(Payload, frozen=True, kw_only=True):
    """participation.set_up_defaults: the default rooms of a new organisation."""

    organisation_id: Id


@handler("participation.set_up_defaults", SetUpDefaults)
async def set_up_defaults(command: Command[SetUpDefaults]) -> Effect:
    """Add the default rooms of an organisation that has none."""
    await acting(command, "admin.organisations")
    added = await add_default_rooms(command.payload.organisation_id)
    return Effect(
        target_type="organisation",
        target_id=command.payload.organisation_id,
        organisation_id=command.payload.organisation_id,
        ids={"rooms_added": added},
    )


PERIOD_LABELS = {"month": lazy("month"), "quarter": lazy("quarter")}
