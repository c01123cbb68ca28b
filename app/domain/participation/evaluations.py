"""The evaluation after a meeting: seed 002's adapted list (section 4.5).

After the meeting (phase held) every participant answers once: the opener
and the chair holders, not a guest (an outside facilitator). The questions:

1. process: how smoothly did it go (slider 0 not smooth .. 100 very smooth);
2. satisfaction with the result (five faces, 1 very unhappy .. 5 very happy);
3. the meeting in one sentence (open);
4. was everyone heard enough (yes/no);
5. did you have enough chance to give your opinion (yes/no);
6. is this the outcome you expected (yes/no);
7. did the meeting drift from the topic (yes/no), and if so, did that help
   (yes/no: asked, and required, only when it drifted);
8. duration (slider 0 too short .. 100 too long; 50 is right);
9. anything else (open).

Rules (issue 11; the numbers are our choice, not the pilot's):
- one answer per participant: a second `participation.submit_evaluation`
  is refused with `already_evaluated` (the unique index evaluation_one
  settles parallel sends; the command layer runs the handler again once,
  which then sees the winner's row);
- `participation.update_evaluation` changes the answer for EDIT_DAYS (7)
  days after it was first given, then refuses with `evaluation_closed`;
- a meeting that is not held yet answers `meeting_not_held`; someone who
  is not (or no longer) at the table answers `not_participant`; another
  organisation's table is not found.

Answers are never shown with a name. A person who leaves participation
keeps their answers in the barometer, anonymous (the row's user is cleared).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.domain.core.access import CurrentUser
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.payloads import Id, Payload
from app.domain.core.reasons import declare
from app.domain.participation.payloads import Answers, SubmitEvaluation
from app.domain.participation.people import member
from app.domain.participation.reasons import CODES
from app.domain.participation.tables import load_table, participant, seat_of
from app.i18n import lazy
from app.storage.participation import Evaluation, ParticipationTable

EDIT_DAYS = 7
EVALUATING_ROLES = ("opener", "chair")
SENTENCE_MAX = 300
OTHER_MAX = 2000
# The five faces, 1..5: the value and its accessible name (a message id).
FACES = (
    (1, lazy("Very unhappy")),
    (2, lazy("Unhappy")),
    (3, lazy("Neither happy nor unhappy")),
    (4, lazy("Happy")),
    (5, lazy("Very happy")),
)
YES_NO = ("heard", "opinion", "expected", "drifted", "drift_helped")
SLIDERS = ("process", "duration")

EVALUATION_CODES = declare(
    "participation",
    {
        "meeting_not_held": lazy("You can answer the evaluation once the meeting has been held."),
        "evaluation_closed": lazy(
            "You can no longer change your answer: answers can be changed for %(days)d days after you gave them."
        ),
        "not_evaluated": lazy("You have not answered this evaluation yet."),
        "drift_helped_missing": lazy("Say whether drifting from the topic helped the meeting."),
        "face_missing": lazy("Choose the face that fits best."),
        "yes_no_missing": lazy("Answer yes or no."),
        "slider_invalid": lazy("Give a number from 0 to 100."),
        "answer_too_long": lazy("Use at most %(max)d characters."),
    },
)


class UpdateEvaluation(Payload, frozen=True, kw_only=True):
    """participation.update_evaluation: change one's answers (for 7 days)."""

    table_id: Id
    answers: Answers


@dataclass(frozen=True)
class Place:
    """Where the acting person stands towards one table's evaluation."""

    table: dict
    user_id: int
    seated: bool  # opener or chair holder now
    evaluation: dict | None

    @property
    def held(self) -> bool:
        return self.table["phase"] == "held"

    @property
    def may_answer(self) -> bool:
        return self.held and self.seated

    @property
    def edit_until(self) -> datetime | None:
        if self.evaluation is None:
            return None
        return self.evaluation["created_at"] + timedelta(days=EDIT_DAYS)

    @property
    def may_edit(self) -> bool:
        until = self.edit_until
        return until is not None and utcnow() < until


def _seated(seat: dict | None) -> bool:
    return seat is not None and seat["role"] in EVALUATING_ROLES


async def _own(table_id: int, user_id: int) -> dict | None:
    return await Evaluation.select().where((Evaluation.table == table_id) & (Evaluation.user == user_id)).first()


async def place_of(user: CurrentUser, table_id: int) -> Place | None:
    """The signed-in person's place for the evaluation page; None when the
    table does not exist or belongs to an organisation they are not part of."""
    table = await ParticipationTable.select().where(ParticipationTable.id == table_id).first()
    if table is None:
        return None
    me = await member(user.id, table["organisation"], user=user)
    if me is None:
        return None
    seat = await seat_of(table_id, user.id)
    return Place(table=table, user_id=user.id, seated=_seated(seat), evaluation=await _own(table_id, user.id))


async def _evaluator(command: Command, table_id: int) -> tuple[dict, int]:
    table = await load_table(table_id)
    me = await participant(command, table["organisation"])  # another organisation: not_found
    organisation_id = table["organisation"]
    if not _seated(await seat_of(table_id, me.user_id)):
        raise Rejected("not_participant", organisation_id=organisation_id)
    if table["phase"] != "held":
        raise Rejected("meeting_not_held", organisation_id=organisation_id)
    return table, me.user_id


def _checked(answers: Answers, organisation_id: int) -> dict[str, Any]:
    """The answers as columns; the drift question's follow-up only counts
    when the meeting drifted."""
    if answers.drifted and answers.drift_helped is None:
        raise Rejected("drift_helped_missing", "drift_helped", organisation_id=organisation_id)
    return {
        "process": answers.process,
        "satisfaction": answers.satisfaction,
        "sentence": answers.sentence.strip(),
        "heard": answers.heard,
        "opinion": answers.opinion,
        "expected": answers.expected,
        "drifted": answers.drifted,
        "drift_helped": answers.drift_helped if answers.drifted else None,
        "duration": answers.duration,
        "other": answers.other.strip(),
    }


@handler(
    "participation.submit_evaluation",
    SubmitEvaluation,
    codes=("already_evaluated", "not_participant", "meeting_not_held", "drift_helped_missing"),
)
async def submit_evaluation(command: Command[SubmitEvaluation]) -> Effect:
    """Answer the evaluation of a held meeting (once per participant)."""
    table, user_id = await _evaluator(command, command.payload.table_id)
    organisation_id = table["organisation"]
    if await _own(table["id"], user_id) is not None:
        raise Rejected("already_evaluated", organisation_id=organisation_id)
    columns = _checked(command.payload.answers, organisation_id)
    now = utcnow()
    rows = await Evaluation.insert(
        Evaluation(
            table=table["id"], user=user_id, organisation=organisation_id, created_at=now, updated_at=now, **columns
        )
    )
    return Effect(
        target_type="participation_table",
        target_id=table["id"],
        organisation_id=organisation_id,
        ids={"table_id": table["id"], "evaluation_id": rows[0]["id"]},
    )


@handler(
    "participation.update_evaluation",
    UpdateEvaluation,
    codes=("not_evaluated", "evaluation_closed", "not_participant", "meeting_not_held", "drift_helped_missing"),
)
async def update_evaluation(command: Command[UpdateEvaluation]) -> Effect:
    """Change one's answers to a meeting's evaluation (for 7 days after answering)."""
    table, user_id = await _evaluator(command, command.payload.table_id)
    organisation_id = table["organisation"]
    own = await _own(table["id"], user_id)
    if own is None:
        raise Rejected("not_evaluated", organisation_id=organisation_id)
    if utcnow() >= own["created_at"] + timedelta(days=EDIT_DAYS):
        raise Rejected("evaluation_closed", organisation_id=organisation_id, days=EDIT_DAYS)
    columns = _checked(command.payload.answers, organisation_id)
    values = {getattr(Evaluation, name): value for name, value in columns.items()}
    values[Evaluation.updated_at] = utcnow()
    await Evaluation.update(values).where(Evaluation.id == own["id"])
    return Effect(
        target_type="participation_table",
        target_id=table["id"],
        organisation_id=organisation_id,
        ids={"table_id": table["id"], "evaluation_id": own["id"]},
    )


async def waiting(user_id: int, organisation_id: int | None = None, limit: int = 20) -> list[dict]:
    """Held meetings the person sat at (opener or chair, still seated) and has
    not evaluated yet, the latest first ({id, title, organisation, closed_at}):
    for the home page and the digest ("evaluations waiting")."""
    from app.storage.participation import Seat

    seats = Seat.select(Seat.table).where(
        (Seat.user == user_id)
        & Seat.role.is_in(list(EVALUATING_ROLES))
        & Seat.refunded_at.is_null()
        & Seat.left_at.is_null()
    )
    answered = Evaluation.select(Evaluation.table).where(Evaluation.user == user_id)
    query = ParticipationTable.select(
        ParticipationTable.id,
        ParticipationTable.title,
        ParticipationTable.organisation,
        ParticipationTable.closed_at,
    ).where(
        (ParticipationTable.phase == "held")
        & ParticipationTable.id.is_in(seats)
        & ParticipationTable.id.not_in(answered)
    )
    if organisation_id is not None:
        query = query.where(ParticipationTable.organisation == organisation_id)
    return list(await query.order_by(ParticipationTable.closed_at, ascending=False).limit(limit))


# -- reading a form ------------------------------------------------------


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get((value or "").strip().lower())


def _slider(value: str | None) -> int | None:
    text = (value or "").strip()
    if not text.lstrip("-").isdigit() or len(text) > 4:
        return None
    number = int(text)
    return number if 0 <= number <= 100 else None


def read_answers(form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, tuple[str, dict]]]:
    """The answers of a filled-in form (text values as a browser sends them)
    and the problems per field ({field: (code, params)}). A slider's typed
    number (`<name>_typed`, the fallback for people who cannot use a slider)
    wins over the slider when it is filled in."""
    answers: dict[str, Any] = {}
    problems: dict[str, tuple[str, dict]] = {}
    for name in SLIDERS:
        typed = (form.get(f"{name}_typed") or "").strip()
        raw = typed if typed else form.get(name)
        number = _slider(raw)
        if number is None:
            problems[name] = ("slider_invalid", {})
        else:
            answers[name] = number
    face = (form.get("satisfaction") or "").strip()
    if face in {str(value) for value, _label in FACES}:
        answers["satisfaction"] = int(face)
    else:
        problems["satisfaction"] = ("face_missing", {})
    for name in YES_NO:
        value = _yes_no(form.get(name))
        if value is None:
            if name != "drift_helped":
                problems[name] = ("yes_no_missing", {})
        else:
            answers[name] = value
    if answers.get("drifted") is True and "drift_helped" not in answers:
        problems["drift_helped"] = ("drift_helped_missing", {})
    if answers.get("drifted") is False:
        answers.pop("drift_helped", None)
    for name, limit in (("sentence", SENTENCE_MAX), ("other", OTHER_MAX)):
        text = (form.get(name) or "").replace("\x00", "").strip()
        if len(text) > limit:
            problems[name] = ("answer_too_long", {"max": limit})
        answers[name] = text
    return answers, problems


def form_values(evaluation: Mapping[str, Any] | None) -> dict[str, str]:
    """A stored answer as the form's values (for changing it)."""
    if evaluation is None:
        return {}

    def yes_no(value: bool | None) -> str:
        return "" if value is None else ("yes" if value else "no")

    return {
        "process": str(evaluation["process"]),
        "satisfaction": str(evaluation["satisfaction"]),
        "sentence": evaluation["sentence"] or "",
        "heard": yes_no(evaluation["heard"]),
        "opinion": yes_no(evaluation["opinion"]),
        "expected": yes_no(evaluation["expected"]),
        "drifted": yes_no(evaluation["drifted"]),
        "drift_helped": yes_no(evaluation["drift_helped"]),
        "duration": str(evaluation["duration"]),
        "other": evaluation["other"] or "",
    }


__all__ = [
    "CODES",
    "EDIT_DAYS",
    "EVALUATION_CODES",
    "FACES",
    "Place",
    "UpdateEvaluation",
    "form_values",
    "place_of",
    "read_answers",
    "waiting",
]
