"""Participation demo for Brouwerij De Klok: the set-up (the default rooms
and prices, an ambassador post with a deputy for Ploeg Vroeg, a goal, a
fixed consultation moment, an announcement) and tables in every phase,
played by worker@deklok.example (Wout) and his colleagues worker01 to
worker12@deklok.example of Gent > Productie > Ploeg Vroeg, with
ambassador@deklok.example (Amina):

- proposed: "Fietsenstalling aan de poort" (one chair taken, one more needed);
- planned: "Zomeruren voor Ploeg Vroeg" (date next week at the canteen,
  moderator and note-taker chosen, two agenda points);
- running: "Nieuwe werkkledij" (started, minutes being written);
- held with 2 evaluations: "Koffie in de refter" (too few answers for a
  barometer score);
- held with 5 evaluations: "Veiligheidsschoenen die passen" (published
  minutes, action points, an outcome, a barometer score);
- a practice table from an introduction session, and a table Amina opened
  on behalf of worker02, who brought the idea on paper.

Idempotent: each table is looked up by its title first and only played when
it is missing; every command has an id derived from its table and step.
Dates are relative to the day the demo first runs.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from app.config import Settings
from app.domain.core.commands import Command, execute, utcnow
from app.domain.registry import load_handlers
from app.i18n import TIMEZONE
from app.storage.participation import AmbassadorPost, Announcement, ConsultationMoment, Goal, ParticipationTable, Room
from app.storage.tables import Organisation, RoleGrant, Unit, User

ORGANISATION = "brouwerij-de-klok"
_NAMESPACE = uuid.UUID("a3c7e2d4-5b1f-4e8a-9c6d-7f2e1b3a4c5d")


def _id(*key: object) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, "|".join(str(part) for part in key))


async def _run(type: str, payload: dict, actor_id: int | None, *key: object, channel: str = "web") -> dict:
    command = Command(type=type, payload=payload, actor_id=actor_id, channel=channel, id=_id(type, *key))
    outcome = await execute(command)
    if not outcome.applied:
        raise RuntimeError(f"participation demo: {type} {key} was refused: {outcome.errors}")
    return outcome.ids


async def _user(email: str) -> int | None:
    row = await User.select(User.id).where(User.email == email).first()
    return row["id"] if row else None


def _worker(number: int) -> str:
    return f"worker{number:02d}@deklok.example"


def _at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute), tzinfo=TIMEZONE).isoformat()


def _next_weekday(weekday: int, after: date) -> date:
    days = (weekday - after.weekday()) % 7 or 7
    return after + timedelta(days=days)


ANSWERS = [
    {
        "process": 80,
        "satisfaction": 5,
        "sentence": "Eindelijk schoenen die niet knellen.",
        "heard": True,
        "opinion": True,
        "expected": True,
        "drifted": False,
        "duration": 50,
        "other": "",
    },
    {
        "process": 70,
        "satisfaction": 4,
        "sentence": "Goed overleg, iedereen kwam aan bod.",
        "heard": True,
        "opinion": True,
        "expected": True,
        "drifted": True,
        "drift_helped": True,
        "duration": 60,
        "other": "",
    },
    {
        "process": 60,
        "satisfaction": 4,
        "sentence": "Wat lang, maar we hebben een plan.",
        "heard": True,
        "opinion": True,
        "expected": False,
        "drifted": False,
        "duration": 75,
        "other": "Volgende keer een timer.",
    },
    {
        "process": 90,
        "satisfaction": 5,
        "sentence": "Duidelijke afspraken.",
        "heard": True,
        "opinion": True,
        "expected": True,
        "drifted": False,
        "duration": 45,
        "other": "",
    },
    {
        "process": 50,
        "satisfaction": 3,
        "sentence": "Niet iedereen kon zijn zegje doen.",
        "heard": False,
        "opinion": True,
        "expected": True,
        "drifted": True,
        "drift_helped": False,
        "duration": 55,
        "other": "",
    },
]

COFFEE = """Aanwezig: {present}

1. Wat loopt er mis met de automaat
- Hij is 's nachts vaak leeg; niemand weet wie hem bijvult.

Beslissingen
- De facilitaire dienst zet het bijvullen op de planning van de late ploeg.
"""

MINUTES = """Aanwezig: {present}

1. Welke schoenen knellen en waarom
- De maten 38 en 46 zijn vaak niet op voorraad.
- Het model met stalen neus is te smal voor wie lang staat.

2. Wat we voorstellen
- Twee modellen laten passen in de refter, op een vaste dag.

Beslissingen
- HR vraagt een pasdag aan bij de leverancier.
"""


async def demo(settings: Settings) -> None:
    load_handlers()
    organisation = await Organisation.select(Organisation.id).where(Organisation.slug == ORGANISATION).first()
    if organisation is None:
        return
    org = organisation["id"]
    ids = {number: await _user(_worker(number)) for number in range(1, 13)}
    wout = await _user("worker@deklok.example")
    amina = await _user("ambassador@deklok.example")
    admin = await _user("orgadmin@deklok.example")
    if None in ids.values() or wout is None or amina is None or admin is None:
        return  # the registration demo makes the workers first
    w: dict[int, int] = {number: user_id for number, user_id in ids.items() if user_id is not None}
    subgroup = await _ploeg_vroeg(org)
    if subgroup is None:
        return
    await _place_wout(org, wout, subgroup)
    await _set_up(org, admin, amina, w[5], subgroup)
    rooms = [row["id"] for row in await Room.select(Room.id).where(Room.organisation == org).order_by(Room.position)]
    today = utcnow().astimezone(TIMEZONE).date()
    await _proposed(org, rooms, w)
    await _planned(org, rooms, wout, w, today)
    await _running(org, rooms, w, today)
    await _held(
        org,
        rooms,
        w,
        today,
        "Koffie in de refter",
        opener=6,
        chairs=(7, 8),
        answers=2,
        about="De koffieautomaat in de refter is vaak leeg of stuk tijdens de nachtploeg.",
        minutes=COFFEE,
    )
    await _held(org, rooms, w, today, "Veiligheidsschoenen die passen", opener=9, chairs=(10, 11, 12, 1), answers=5)
    await _practice(org, rooms, amina, w)
    await _on_behalf(org, rooms, amina, w)


async def _ploeg_vroeg(org: int) -> int | None:
    parent = None
    for name in ("Gent", "Productie", "Ploeg Vroeg"):
        query = Unit.select(Unit.id).where((Unit.organisation == org) & (Unit.name == name))
        query = query.where(Unit.parent.is_null() if parent is None else Unit.parent == parent)
        row = await query.first()
        if row is None:
            return None
        parent = row["id"]
    return parent


async def _place_wout(org: int, wout: int, subgroup: int) -> None:
    """Wout registered before subgroups mattered: his worker role moves to Ploeg Vroeg."""
    grant = await (
        RoleGrant.select(RoleGrant.id, RoleGrant.unit)
        .where((RoleGrant.user == wout) & (RoleGrant.organisation == org) & (RoleGrant.role == "worker"))
        .first()
    )
    if grant is not None and grant["unit"] is None:
        await _run("admin.move_role", {"grant_id": grant["id"], "unit_id": subgroup}, None, "wout", channel="cli")


async def _set_up(org: int, admin: int, amina: int, deputy: int, subgroup: int) -> None:
    """The ambassador post of Ploeg Vroeg (Amina, with worker05 as deputy),
    a goal for this quarter, the first Tuesday of the month at 14:00 in the
    canteen, and an announcement."""
    has_role = await RoleGrant.exists().where(
        (RoleGrant.user == deputy) & (RoleGrant.organisation == org) & (RoleGrant.role == "ambassador")
    )
    if not has_role:
        payload = {"user_id": deputy, "role": "ambassador", "unit_id": subgroup}
        await _run("admin.grant_role", payload, None, "deputy", channel="cli")
    if not await AmbassadorPost.exists().where(AmbassadorPost.unit == subgroup):
        payload = {"organisation_id": org, "unit_id": subgroup, "ambassador_id": amina, "deputy_id": deputy}
        await _run("participation.set_ambassador_post", payload, admin, "post")
    if not await Goal.exists().where(Goal.organisation == org):
        today = utcnow().astimezone(TIMEZONE).date()
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        end = (date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)) - timedelta(days=1)
        payload = {
            "organisation_id": org,
            "title": "Samen 40 munten terugverdienen",
            "target_coins": 40,
            "reward": "Een ontbijt voor de hele ploeg op vrijdag.",
            "starts_on": start.isoformat(),
            "ends_on": end.isoformat(),
        }
        await _run("participation.set_goal", payload, admin, "goal")
    if not await ConsultationMoment.exists().where(ConsultationMoment.organisation == org):
        payload = {
            "organisation_id": org,
            "weekday": 1,
            "nth": 1,
            "time": "14:00",
            "duration_minutes": 60,
            "place": "Refter Gent",
        }
        await _run("participation.save_moment", payload, admin, "moment")
    if not await Announcement.exists().where(Announcement.organisation == org):
        payload = {
            "organisation_id": org,
            "unit_id": subgroup,
            "title": "Nieuw: overleg aan tafel",
            "body": "Heb je een idee voor de ploeg? Open een tafel of koop een stoel. Vragen? Spreek Amina aan.",
        }
        await _run("participation.post_announcement", payload, amina, "announcement")


async def _table(org: int, title: str) -> dict[str, Any] | None:
    return await (
        ParticipationTable.select()
        .where((ParticipationTable.organisation == org) & (ParticipationTable.title == title))
        .first()
    )


async def _open(key: str, actor: int, room: int, title: str, about: str, why: str = "", **extra) -> int:
    payload = {"room_id": room, "title": title, "about": about, "why": why, **extra}
    return (await _run("participation.open_table", payload, actor, key))["table_id"]


async def _chairs(key: str, table_id: int, buyers: list[int]) -> None:
    for buyer in buyers:
        await _run("participation.buy_chair", {"table_id": table_id}, buyer, key, "chair", buyer)


async def _proposed(org: int, rooms: list[int], w: dict[int, int]) -> None:
    title = "Fietsenstalling aan de poort"
    if await _table(org, title):
        return
    table_id = await _open(
        "proposed",
        w[1],
        rooms[0],
        title,
        "De fietsenstalling is te klein en staat ver van de poort.",
        "Wie met de fiets komt, zet hem nu tegen de gevel.",
        preferred_moments="Liefst na de vroege ploeg, rond 14:30.",
    )
    await _chairs("proposed", table_id, [w[2]])


async def _prepared(key: str, table_id: int, opener: int, chairs: list[int], starts: str, place: str) -> None:
    await _chairs(key, table_id, chairs)
    await _run(
        "participation.choose_roles",
        {"table_id": table_id, "moderator_id": chairs[0], "note_taker_id": chairs[1]},
        opener,
        key,
        "roles",
    )
    await _run(
        "participation.schedule_meeting",
        {"table_id": table_id, "starts_at": starts, "place": place},
        chairs[0],
        key,
        "schedule",
    )


async def _planned(org: int, rooms: list[int], wout: int, w: dict[int, int], today: date) -> None:
    title = "Zomeruren voor Ploeg Vroeg"
    if await _table(org, title):
        return
    table_id = await _open(
        "planned",
        wout,
        rooms[1],
        title,
        "In juli en augustus vroeger beginnen, om de hitte in de brouwzaal voor te zijn.",
        "Vorige zomer liep het tegen 14 uur boven de 30 graden.",
    )
    day = _next_weekday(1, today + timedelta(days=1))
    await _prepared("planned", table_id, wout, [w[3], w[4], w[5]], _at(day, 14), "Refter Gent")
    for number, text in enumerate(("Welke uren passen voor iedereen", "Wat met de bus van 5u30"), start=1):
        await _run(
            "participation.add_agenda_point", {"table_id": table_id, "text": text}, wout, "planned", "point", number
        )


async def _running(org: int, rooms: list[int], w: dict[int, int], today: date) -> None:
    title = "Nieuwe werkkledij"
    if await _table(org, title):
        return
    table_id = await _open("running", w[2], rooms[0], title, "De nieuwe broeken scheuren na een week.")
    await _prepared("running", table_id, w[2], [w[3], w[4]], _at(today + timedelta(days=1), 10), "Vergaderzaal 1")
    await _run(
        "participation.add_agenda_point",
        {"table_id": table_id, "text": "Wat scheurt en waar"},
        w[2],
        "running",
        "point",
    )
    await _run("participation.start_meeting", {"table_id": table_id}, w[3], "running", "start")
    body = "Aanwezig: Ruben, Elif, Lotte\n\n1. Wat scheurt en waar\n- De naden aan de knie.\n"
    await _run(
        "participation.save_minutes", {"table_id": table_id, "body": body, "version": 0}, w[4], "running", "minutes"
    )


async def _held(
    org: int,
    rooms: list[int],
    w: dict[int, int],
    today: date,
    title: str,
    *,
    opener: int,
    chairs: tuple,
    answers: int,
    about: str = "Veel collega's hebben pijnlijke voeten na de shift.",
    minutes: str = MINUTES,
) -> None:
    if await _table(org, title):
        return
    key = f"held-{answers}"
    table_id = await _open(key, w[opener], rooms[0], title, about)
    seated = [w[number] for number in chairs]
    await _prepared(key, table_id, w[opener], seated, _at(today + timedelta(days=2), 9), "Refter Gent")
    await _run("participation.start_meeting", {"table_id": table_id}, seated[0], key, "start")
    people_rows = await User.select(User.display_name).where(User.id.is_in([w[opener], *seated])).order_by(User.id)
    names = ", ".join(row["display_name"] for row in people_rows)
    body = {"table_id": table_id, "body": minutes.format(present=names), "version": 0}
    await _run("participation.save_minutes", body, seated[1], key, "minutes")
    action = {
        "table_id": table_id,
        "what": "Pasdag aanvragen bij de leverancier",
        "who_id": seated[0],
        "due_on": (today + timedelta(days=14)).isoformat(),
    }
    await _run("participation.add_action_point", action, seated[1], key, "action")
    await _run("participation.close_meeting", {"table_id": table_id}, seated[0], key, "close")
    people = [w[opener], *seated]
    for index, person in enumerate(people[:answers]):
        payload = {"table_id": table_id, "answers": ANSWERS[index]}
        await _run("participation.submit_evaluation", payload, person, key, "evaluation", person)
    if answers >= 5:
        outcome = {"table_id": table_id, "outcome": "Er komt een pasdag in de refter; twee modellen liggen klaar."}
        await _run("participation.record_outcome", outcome, seated[0], key, "outcome")


async def _practice(org: int, rooms: list[int], amina: int, w: dict[int, int]) -> None:
    title = "Oefentafel: onze eerste tafel"
    if await _table(org, title):
        return
    table_id = await _open(
        "practice", amina, rooms[4], title, "Zo open je een tafel en koop je een stoel.", practice=True
    )
    await _chairs("practice", table_id, [w[6], w[7]])


async def _on_behalf(org: int, rooms: list[int], amina: int, w: dict[int, int]) -> None:
    title = "Parking voor wie vroeg begint"
    if await _table(org, title):
        return
    await _open(
        "on-behalf",
        amina,
        rooms[1],
        title,
        "Om 5u45 is de kleine parking al vol met bezoekers.",
        author_id=w[2],
        channel="paper",
    )
