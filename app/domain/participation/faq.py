"""An organisation's FAQ, per language, with search.

The reader gets the organisation's own questions in their language; when
the organisation wrote none in that language, the default set below (nl,
fr, en; written in code, not stored) is shown, filled in with the
organisation's own numbers (prices, coins, chairs). A reader whose
language is none of those falls back to the organisation's language.
An org_admin (or ambassador) adds, edits, removes and reorders questions
per language, and can copy the default set to start from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import msgspec

from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.payloads import NO_NUL, Id, Payload
from app.domain.core.reasons import declare
from app.domain.participation.setup import PERIODS, Settings, manager_of
from app.domain.participation.text import one_line
from app.i18n import LANGUAGES, lazy
from app.storage.participation import FaqEntry
from app.storage.tables import Organisation

Question = Annotated[str, msgspec.Meta(max_length=300, pattern=NO_NUL)]
Answer = Annotated[str, msgspec.Meta(max_length=4000, pattern=NO_NUL)]
Language = Annotated[str, msgspec.Meta(max_length=5, pattern=NO_NUL)]

FAQ_CODES = declare(
    "participation",
    {
        "question_missing": lazy("Write the question."),
        "answer_missing": lazy("Write the answer."),
        "language_unknown": lazy("Choose Dutch, French or English."),
    },
)


@dataclass(frozen=True)
class Entry:
    question: str
    answer: str
    id: int | None = None  # None: a default question (not stored)
    position: int = 0


PERIOD_WORDS = {
    "nl": {"month": "maand", "quarter": "kwartaal"},
    "fr": {"month": "mois", "quarter": "trimestre"},
    "en": {"month": "month", "quarter": "quarter"},
}

# (question, answer) per language; %(name)s is filled in from the settings.
DEFAULTS: dict[str, list[tuple[str, str]]] = {
    "nl": [
        (
            "Wat zijn munten en hoe krijg ik ze?",
            "Met munten open je een tafel of koop je een stoel. Je krijgt er %(coins)s per %(period)s. "
            "Munten zijn geen geld en je kunt ze niet inwisselen.",
        ),
        (
            "Wat is een tafel?",
            "Een tafel is een voorstel om samen over iets te praten, in een kamer (een thema). "
            "Een tafel openen kost %(table_price)s munten, in elke kamer evenveel.",
        ),
        (
            "Wat is een stoel?",
            "Met een stoel schuif je aan bij de tafel van een collega. Een stoel kost %(chair_price)s munt(en). "
            "Je kunt een stoel kopen tot het overleg begint, ook als de datum al vastligt.",
        ),
        (
            "Wanneer gaat een tafel door?",
            "Een tafel heeft minstens %(min_chairs)s stoelen nodig naast die van wie de tafel opende, "
            "en er zijn er hoogstens %(max_chairs)s. Dat minimum is een keuze van Werkpas, niet van het proefproject.",
        ),
        (
            "Wat doet de gespreksleider?",
            "De gespreksleider kiest met de deelnemers een datum, leidt het overleg, zorgt dat iedereen aan bod komt "
            "en dat jullie bij het onderwerp blijven en actiepunten afspreken. Is er 48 uur voor het overleg nog "
            "geen gespreksleider, dan neemt de ambassadeur het over.",
        ),
        (
            "Wat doet de verslaggever?",
            "De verslaggever schrijft het verslag tijdens het overleg, volgens een sjabloon. De anderen zien het "
            "meteen verschijnen. Het verslag wordt vanzelf gepubliceerd als het overleg gesloten wordt.",
        ),
        (
            "Krijg ik mijn munten terug?",
            "Ja: als het overleg is afgerond, krijgen wie de tafel opende en wie een stoel kocht hun munten terug. "
            "Die munten tellen ook mee voor het gezamenlijke doel.",
        ),
        (
            "Wat is de evaluatie?",
            "Na het overleg beantwoord je een paar korte vragen: hoe vlot het ging, of je tevreden bent, "
            "of iedereen gehoord werd. Je antwoord kun je 7 dagen aanpassen. Cijfers worden pas getoond vanaf "
            "3 antwoorden, zodat niemand herkenbaar is.",
        ),
        (
            "Wat zijn oefentafels?",
            "Op een introductiesessie oefen je met speelmunten (%(practice_coins)s per %(period)s). "
            "Speelmunten en echte munten raken nooit gemengd: een oefentafel betaal je met speelmunten.",
        ),
        (
            "Wat is het gezamenlijke doel?",
            "Het doel telt de munten die terugkomen via afgeronde overleggen in een periode. Haalt de organisatie "
            "het doel, dan volgt de beloning die bij het doel staat.",
        ),
        (
            "Hoeveel mails krijg ik?",
            "Uitnodigingen voor een overleg en wijzigingen komen meteen. De rest bundelen we in één overzicht per "
            "week. Op de pagina 'Mails' kies je per soort: meteen, dagelijks, wekelijks of nooit. Elke mail heeft "
            "een link om je met één klik af te melden.",
        ),
    ],
    "fr": [
        (
            "Que sont les jetons et comment les recevoir ?",
            "Avec des jetons, vous ouvrez une table ou achetez une chaise. Vous en recevez %(coins)s par %(period)s. "
            "Les jetons ne sont pas de l'argent et ne s'échangent pas.",
        ),
        (
            "Qu'est-ce qu'une table ?",
            "Une table est une proposition de parler ensemble d'un sujet, dans une salle (un thème). "
            "Ouvrir une table coûte %(table_price)s jetons, le même prix dans chaque salle.",
        ),
        (
            "Qu'est-ce qu'une chaise ?",
            "Avec une chaise, vous rejoignez la table d'un collègue. Une chaise coûte %(chair_price)s jeton(s). "
            "Vous pouvez acheter une chaise jusqu'au début de la réunion, même quand la date est fixée.",
        ),
        (
            "Quand une table a-t-elle lieu ?",
            "Une table a besoin d'au moins %(min_chairs)s chaises en plus de celle de la personne qui l'a ouverte, "
            "et de %(max_chairs)s au plus. Ce minimum est un choix de Werkpas, pas du projet pilote.",
        ),
        (
            "Que fait l'animateur ?",
            "L'animateur choisit une date avec les participants, anime la réunion, veille à ce que chacun puisse "
            "parler, que l'on reste dans le sujet et que l'on convienne de points d'action. S'il n'y a pas "
            "d'animateur 48 heures avant la réunion, l'ambassadeur prend le relais.",
        ),
        (
            "Que fait le secrétaire de séance ?",
            "Le secrétaire de séance rédige le compte rendu pendant la réunion, à partir d'un modèle. Les autres "
            "le voient s'afficher en direct. Le compte rendu est publié automatiquement à la clôture.",
        ),
        (
            "Est-ce que je récupère mes jetons ?",
            "Oui : quand la réunion est terminée, la personne qui a ouvert la table et celles qui ont acheté une "
            "chaise récupèrent leurs jetons. Ces jetons comptent aussi pour l'objectif commun.",
        ),
        (
            "Qu'est-ce que l'évaluation ?",
            "Après la réunion, vous répondez à quelques questions courtes : la réunion s'est-elle bien déroulée, "
            "êtes-vous satisfait, chacun a-t-il été entendu. Vous pouvez modifier votre réponse pendant 7 jours. "
            "Les chiffres ne s'affichent qu'à partir de 3 réponses, pour que personne ne soit reconnaissable.",
        ),
        (
            "Que sont les tables d'entraînement ?",
            "Lors d'une séance d'introduction, vous vous entraînez avec des jetons de jeu (%(practice_coins)s par "
            "%(period)s). Jetons de jeu et vrais jetons ne se mélangent jamais.",
        ),
        (
            "Qu'est-ce que l'objectif commun ?",
            "L'objectif compte les jetons rendus par les réunions terminées pendant une période. Si l'organisation "
            "atteint l'objectif, la récompense indiquée suit.",
        ),
        (
            "Combien de mails vais-je recevoir ?",
            "Les invitations à une réunion et leurs changements arrivent tout de suite. Le reste est regroupé dans "
            "un aperçu par semaine. Sur la page « Mails », vous choisissez par type : tout de suite, chaque jour, "
            "chaque semaine ou jamais. Chaque mail contient un lien de désinscription en un clic.",
        ),
    ],
    "en": [
        (
            "What are coins and how do I get them?",
            "With coins you open a table or buy a chair. You get %(coins)s per %(period)s. "
            "Coins are not money and cannot be exchanged.",
        ),
        (
            "What is a table?",
            "A table is a proposal to talk something over together, in a room (a theme). "
            "Opening a table costs %(table_price)s coins, the same in every room.",
        ),
        (
            "What is a chair?",
            "With a chair you join a colleague's table. A chair costs %(chair_price)s coin(s). "
            "You can buy a chair until the meeting starts, also once the date is set.",
        ),
        (
            "When does a table go ahead?",
            "A table needs at least %(min_chairs)s chairs besides the one of the person who opened it, and has at "
            "most %(max_chairs)s. That minimum is Werkpas's choice, not the pilot's.",
        ),
        (
            "What does the moderator do?",
            "The moderator picks a date with the participants, leads the meeting, makes sure everyone is heard, "
            "that you keep to the topic and agree on action points. If there is no moderator 48 hours before the "
            "meeting, the ambassador takes over.",
        ),
        (
            "What does the note-taker do?",
            "The note-taker writes the minutes during the meeting, from a template. The others see them appear "
            "live. The minutes are published automatically when the meeting is closed.",
        ),
        (
            "Do I get my coins back?",
            "Yes: when the meeting is completed, the person who opened the table and those who bought a chair get "
            "their coins back. Those coins also count toward the collective goal.",
        ),
        (
            "What is the evaluation?",
            "After the meeting you answer a few short questions: how smoothly it went, whether you are satisfied, "
            "whether everyone was heard. You can change your answer for 7 days. Numbers are shown only from 3 "
            "answers on, so nobody can be recognised.",
        ),
        (
            "What are practice tables?",
            "At an introduction session you practise with play coins (%(practice_coins)s per %(period)s). "
            "Play coins and real coins never mix: a practice table is paid with play coins.",
        ),
        (
            "What is the collective goal?",
            "The goal counts the coins returned by completed meetings in a period. When the organisation reaches "
            "the goal, the reward shown with it follows.",
        ),
        (
            "How many mails will I get?",
            "Meeting invitations and their changes come at once. Everything else is bundled in one overview a "
            "week. On the 'Mails' page you choose per kind: at once, daily, weekly or never. Every mail has a "
            "link to unsubscribe with one click.",
        ),
    ],
}


def defaults(language: str, settings: Settings) -> list[Entry]:
    """The default questions in `language`, with the organisation's numbers."""
    period = settings.period if settings.period in PERIODS else "month"
    values = {
        "coins": settings.coins_per_period,
        "period": PERIOD_WORDS[language][period],
        "table_price": settings.table_price,
        "chair_price": settings.chair_price,
        "min_chairs": settings.min_chairs,
        "max_chairs": settings.max_chairs,
        "practice_coins": settings.practice_coins,
    }
    return [
        Entry(question, answer % values, position=index) for index, (question, answer) in enumerate(DEFAULTS[language])
    ]


async def own_entries(organisation_id: int, language: str) -> list[Entry]:
    rows = await (
        FaqEntry.select()
        .where((FaqEntry.organisation == organisation_id) & (FaqEntry.language == language))
        .order_by(FaqEntry.position)
        .order_by(FaqEntry.id)
    )
    return [Entry(row["question"], row["answer"], id=row["id"], position=row["position"]) for row in rows]


async def reading_language(organisation_id: int, language: str) -> str:
    if language in LANGUAGES:
        return language
    row = await Organisation.select(Organisation.default_language).where(Organisation.id == organisation_id).first()
    found = row["default_language"] if row else None
    return found if found in LANGUAGES else "nl"


@dataclass(frozen=True)
class Faq:
    language: str
    entries: list[Entry]
    is_default: bool


async def faq_for(organisation_id: int, language: str, settings: Settings, query: str = "") -> Faq:
    """The FAQ a reader of `language` sees, filtered by the words of `query`
    (every word must occur in the question or the answer, any case)."""
    language = await reading_language(organisation_id, language)
    entries = await own_entries(organisation_id, language)
    is_default = not entries
    if is_default:
        entries = defaults(language, settings)
    return Faq(language, search(entries, query), is_default)


def search(entries: list[Entry], query: str) -> list[Entry]:
    words = [word.casefold() for word in query.replace("\x00", "").split()][:20]
    if not words:
        return entries
    return [entry for entry in entries if all(word in f"{entry.question} {entry.answer}".casefold() for word in words)]


# -- editing -------------------------------------------------------------------


class AddFaq(Payload, frozen=True, kw_only=True):
    organisation_id: Id
    language: Language
    question: Question
    answer: Answer


class UpdateFaq(Payload, frozen=True, kw_only=True):
    entry_id: Id
    question: Question
    answer: Answer


class FaqId(Payload, frozen=True, kw_only=True):
    entry_id: Id


class MoveFaq(Payload, frozen=True, kw_only=True):
    entry_id: Id
    direction: Literal["up", "down"]


class CopyDefaultFaq(Payload, frozen=True, kw_only=True):
    organisation_id: Id
    language: Language


def _text_errors(question: str, answer: str) -> dict[str, str]:
    errors = {}
    if not one_line(question):
        errors["question"] = "question_missing"
    if not answer.strip():
        errors["answer"] = "answer_missing"
    return errors


async def _entry(command: Command, entry_id: int) -> dict:
    row = await FaqEntry.select().where(FaqEntry.id == entry_id).first()
    if row is None:
        raise Rejected("not_found")
    await manager_of(command, row["organisation"])
    return row


def _effect(row: dict) -> Effect:
    return Effect(
        target_type="faq_entry",
        target_id=row["id"],
        organisation_id=row["organisation"],
        ids={"entry_id": row["id"]},
        detail=f"language={row['language']}",
    )


async def _next_position(organisation_id: int, language: str) -> int:
    last = (
        await FaqEntry.select(FaqEntry.position)
        .where((FaqEntry.organisation == organisation_id) & (FaqEntry.language == language))
        .order_by(FaqEntry.position, ascending=False)
        .first()
    )
    return last["position"] + 1 if last else 0


@handler("participation.add_faq", AddFaq, codes=tuple(FAQ_CODES))
async def add_faq(command: Command[AddFaq]) -> Effect:
    """Add a question and its answer to the organisation's FAQ in one language."""
    payload = command.payload
    await manager_of(command, payload.organisation_id)
    errors = _text_errors(payload.question, payload.answer)
    if payload.language not in LANGUAGES:
        errors["language"] = "language_unknown"
    if errors:
        raise Rejected.each(errors, organisation_id=payload.organisation_id)
    now = utcnow()
    rows = await FaqEntry.insert(
        FaqEntry(
            organisation=payload.organisation_id,
            language=payload.language,
            question=one_line(payload.question),
            answer=payload.answer.strip(),
            position=await _next_position(payload.organisation_id, payload.language),
            created_at=now,
            updated_at=now,
        )
    )
    return _effect({"id": rows[0]["id"], "organisation": payload.organisation_id, "language": payload.language})


@handler("participation.update_faq", UpdateFaq, codes=tuple(FAQ_CODES))
async def update_faq(command: Command[UpdateFaq]) -> Effect:
    """Change a question or its answer."""
    row = await _entry(command, command.payload.entry_id)
    errors = _text_errors(command.payload.question, command.payload.answer)
    if errors:
        raise Rejected.each(errors, organisation_id=row["organisation"])
    await FaqEntry.update(
        {
            "question": one_line(command.payload.question),
            "answer": command.payload.answer.strip(),
            "updated_at": utcnow(),
        }
    ).where(FaqEntry.id == row["id"])
    return _effect(row)


@handler("participation.remove_faq", FaqId, codes=tuple(FAQ_CODES))
async def remove_faq(command: Command[FaqId]) -> Effect:
    """Remove a question (with none left in a language, the defaults show again)."""
    row = await _entry(command, command.payload.entry_id)
    await FaqEntry.delete().where(FaqEntry.id == row["id"])
    return _effect(row)


@handler("participation.move_faq", MoveFaq, codes=tuple(FAQ_CODES))
async def move_faq(command: Command[MoveFaq]) -> Effect:
    """Move a question one place up or down."""
    row = await _entry(command, command.payload.entry_id)
    ids = [entry.id for entry in await own_entries(row["organisation"], row["language"])]
    index = ids.index(row["id"])
    other = index - 1 if command.payload.direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
        for position, entry_id in enumerate(ids):
            await FaqEntry.update({"position": position}).where(FaqEntry.id == entry_id)
    return _effect(row)


@handler("participation.copy_default_faq", CopyDefaultFaq, codes=tuple(FAQ_CODES))
async def copy_default_faq(command: Command[CopyDefaultFaq]) -> Effect:
    """Copy the default questions of one language into the organisation's
    own FAQ, to edit them (only when it has none of its own in that language)."""
    from app.domain.participation.setup import settings_of

    payload = command.payload
    await manager_of(command, payload.organisation_id)
    if payload.language not in LANGUAGES:
        raise Rejected("language_unknown", "language", organisation_id=payload.organisation_id)
    copied = 0
    if not await own_entries(payload.organisation_id, payload.language):
        now = utcnow()
        entries = defaults(payload.language, await settings_of(payload.organisation_id))
        await FaqEntry.insert(
            *[
                FaqEntry(
                    organisation=payload.organisation_id,
                    language=payload.language,
                    question=entry.question,
                    answer=entry.answer,
                    position=entry.position,
                    created_at=now,
                    updated_at=now,
                )
                for entry in entries
            ]
        )
        copied = len(entries)
    return Effect(
        target_type="organisation",
        target_id=payload.organisation_id,
        organisation_id=payload.organisation_id,
        ids={"copied": copied},
        detail=f"language={payload.language}",
    )
