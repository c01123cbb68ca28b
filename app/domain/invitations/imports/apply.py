"""The command `invitations.import_apply`: carry out a plan in the command's
single transaction (all rows or none), in batches so 10,000 rows take
seconds. No password is hashed: the invitation code is the start secret.

Payload: payloads.ImportApply {"organisation_id", "unit_id" (optional: the
unit the upload is for), "mode", "file_sha256", "file_kind", "columns",
"rows"}, built from a parsed upload by payloads.import_payload. The rows
live in the request only: the command log keeps the payload's hash and the
result codes, never a value of a row. Applies of one organisation take turns
(a row lock on the organisation); the unique indexes on people, memberships
and open invitations refuse what a race would still slip through.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import msgspec

from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, handler
from app.domain.invitations.imports import plan as planning
from app.domain.invitations.imports.bulk import insert_many
from app.domain.invitations.imports.reading import ParsedFile, Row
from app.domain.invitations.payloads import ImportApply, Moment
from app.domain.invitations.people import expire_lapsed, invitation_values
from app.domain.invitations.reasons import CODES  # noqa: F401  (declares the codes answered here)
from app.domain.mail import queue_mail
from app.storage import db
from app.storage.people import ImportRow, ImportRun, Invitation, Membership, Person
from app.storage.tables import Job, Organisation, User

PERMISSION = "invitations.import"
SEND_MAIL_JOB = "invitations.send_mail"
# `insert_many` writes columns Piccolo would fill with defaults; those defaults
# are spelled out in each row (phone None, failed_attempts 0, ...).


def _moment(cell: Moment) -> object:
    parse = datetime.fromisoformat if cell.kind == "datetime" else date.fromisoformat
    return parse(cell.iso)


def parsed_rows(payload: ImportApply) -> ParsedFile:
    """The payload's rows as the plan reads them; Rejected (invalid_value
    on rows or columns) when they cannot be rows of one list."""
    names = payload.columns
    if len(set(names)) != len(names):
        raise Rejected("invalid_value", "columns")
    rows, previous, width = [], 0, len(names)
    for row in payload.rows:
        if row.number <= previous or len(row.cells) != width:
            raise Rejected("invalid_value", "rows")
        previous = row.number
        try:
            cells = [_moment(cell) if cell.__class__ is Moment else cell for cell in row.cells]
        except ValueError:
            raise Rejected("invalid_value", "rows") from None
        rows.append(Row(row.number, dict(zip(names, cells, strict=True))))
    return ParsedFile(kind=payload.file_kind, digest=payload.file_sha256, rows=rows, columns=tuple(names))


@handler("invitations.import_apply", ImportApply, codes=("unit_not_yours", "mode_unknown"))
async def import_apply(command: Command[ImportApply]) -> Effect:
    """Apply a staff list: people, roster memberships and invitations, with a
    result code per row, all in one transaction."""
    actor = await acting(command, PERMISSION)
    payload = command.payload
    organisation_id = payload.organisation_id
    if not actor.reach.touches(organisation_id) or not await Organisation.exists().where(
        Organisation.id == organisation_id
    ):
        raise Rejected("not_found")
    target = await planning.target_for(actor.reach, organisation_id, payload.unit_id)
    if target is None:
        raise Rejected("unit_not_yours", "unit_id", organisation_id=organisation_id)
    mode = payload.mode.strip()
    if mode not in planning.MODES:
        raise Rejected("mode_unknown", "mode", organisation_id=organisation_id)
    try:
        parsed = parsed_rows(payload)
    except Rejected as rejection:
        rejection.organisation_id = organisation_id
        raise
    await db.lock(Organisation, organisation_id)
    plan = await planning.make_plan(parsed, target, mode)
    run_id = await _new_run(plan, command, parsed.kind)
    # Only people known before may hold an invitation that lapsed.
    await expire_lapsed(organisation_id, [r.person_id for r in plan.results if r.code == 1 and r.person_id])
    await _create_people(organisation_id, plan.results)
    await _memberships(organisation_id, plan.results)
    await _invitations(plan, run_id, actor.id)
    await _store_rows(run_id, plan.results)
    await _mail_uploader(run_id, actor.id, plan)
    counts = plan.counts()
    return Effect(
        target_type="import_run",
        target_id=run_id,
        organisation_id=organisation_id,
        ids={"run_id": run_id, **{f"code_{code}": count for code, count in counts.items()}},
        detail=f"rows={len(plan.results)} " + " ".join(f"code{code}={count}" for code, count in counts.items()),
    )


def _now() -> datetime:
    return datetime.now(UTC)


async def _new_run(plan: planning.Plan, command: Command[ImportApply], kind: str) -> int:
    counts = plan.counts()
    rows = await ImportRun.insert(
        ImportRun(
            organisation=plan.organisation["id"],
            unit=plan.target.unit_id if plan.target else None,
            uploaded_by=command.actor_id,
            channel=command.channel,
            mode=plan.mode,
            file_kind=kind,
            rows_total=len(plan.results),
            done=counts[1],
            not_needed=counts[2],
            not_found=counts[3],
            invalid=counts[4],
            created_at=_now(),
        )
    )
    return rows[0]["id"]


async def _create_people(organisation_id: int, results: list[planning.Result]) -> None:
    """New people in batches; a known person keeps their data, except that a
    missing e-mail is filled in (as people.ensure_person does)."""
    new = {r.key: r for r in results if r.code == 1 and r.person_id is None}
    now = _now()
    await insert_many(
        Person,
        [
            {
                "organisation": organisation_id,
                "last_name": r.person.last_name,
                "first_name": r.person.first_name,
                "birth_date": r.person.birth_date,
                "postcode": r.person.postcode,
                "email": r.person.email,
                "phone": None,
                "language": r.person.language,
                "match_key": r.key,
                "created_at": now,
            }
            for r in new.values()
        ],
    )
    # The rows just written carry this very `now`: one query finds them (a
    # match-key IN list right after a big insert makes PostgreSQL's planner,
    # whose statistics still think the table empty, scan it for every list).
    rows = (
        await Person.select(Person.id, Person.match_key).where(
            (Person.organisation == organisation_id) & (Person.created_at == now)
        )
        if new
        else []
    )
    created = {row["match_key"]: row["id"] for row in rows if row["match_key"] in new}
    for result in results:
        if result.person_id is None and result.key in created:  # done rows and their duplicates
            result.person_id = created[result.key]
    linked = [r for r in results if r.code == 1 and r.key not in new and r.person.email]
    for part in planning.chunks(linked):
        without = await Person.select(Person.id).where(
            Person.id.is_in([r.person_id for r in part]) & Person.email.is_null()
        )
        missing = {row["id"] for row in without}
        for result in part:
            if result.person_id in missing:
                await Person.update({Person.email: result.person.email}).where(Person.id == result.person_id)


async def _memberships(organisation_id: int, results: list[planning.Result]) -> None:
    wanted = {r.linked_id: r.unit_id for r in results if r.code == 1}
    existing = await planning._members(organisation_id, list(wanted))
    now = _now()
    rows = [
        {"person": pid, "organisation": organisation_id, "unit": unit, "source": "import", "created_at": now}
        for pid, unit in wanted.items()
        if pid not in existing
    ]
    await insert_many(Membership, rows)


async def _invitations(plan: planning.Plan, run_id: int, issued_by: int | None) -> None:
    """One invitation per done row: by e-mail when the row (or the known
    person) has an address, on paper otherwise; the mail is a queued job."""
    organisation = plan.organisation
    done = [r for r in plan.results if r.code == 1]
    emails = await _known_emails([r.linked_id for r in done if not r.person.email])
    now = _now()
    rows = [
        invitation_values(
            organisation_id=organisation["id"],
            unit_id=result.unit_id,
            person_id=result.linked_id,
            issued_by=issued_by,
            import_run_id=run_id,
            delivery="email" if result.person.email or emails.get(result.linked_id) else "paper",
            language=result.person.language,
            valid_days=organisation["invitation_days"],
            now=now,
        )
        for result in done
    ]
    await insert_many(Invitation, rows)
    await _queue_invitation_mails(run_id)


async def _known_emails(person_ids: list[int]) -> dict[int, str]:
    emails: dict[int, str] = {}
    for part in planning.chunks(person_ids):
        rows = await Person.select(Person.id, Person.email).where(Person.id.is_in(part) & Person.email.is_not_null())
        emails.update({row["id"]: row["email"] for row in rows})
    return emails


async def _queue_invitation_mails(run_id: int) -> None:
    """The job `invitations.send_mail` per e-mail invitation, inserted in
    batches (queue.enqueue row by row would dominate a 10,000-row import)."""
    rows = (
        await Invitation.select(Invitation.id)
        .where((Invitation.import_run == run_id) & (Invitation.delivery == "email"))
        .order_by(Invitation.id)
    )
    now = _now()
    jobs = [
        {
            "kind": SEND_MAIL_JOB,
            "payload": msgspec.json.encode({"invitation_id": row["id"]}).decode(),
            "status": "queued",
            "due_at": now,
            "attempts": 0,
            "max_attempts": 10,
            "created_at": now,
        }
        for row in rows
    ]
    await insert_many(Job, jobs)


async def _store_rows(run_id: int, results: list[planning.Result]) -> None:
    rows = [
        {
            "run": run_id,
            "row_number": r.number,
            "code": r.code,
            "person": r.person_id,
            "problems": msgspec.json.encode(r.problems, order="sorted").decode(),
        }
        for r in results
    ]
    await insert_many(ImportRow, rows)


async def _mail_uploader(run_id: int, user_id: int | None, plan: planning.Plan) -> None:
    """Counts and a link, never names: the mail may be forwarded."""
    if user_id is None:
        return
    user = await User.select(User.email, User.language, User.display_name).where(User.id == user_id).first()
    if user is None or not user["email"]:
        return
    counts = plan.counts()
    await queue_mail(
        to=user["email"],
        template="import_result",
        language=user["language"],
        context={
            "name": user["display_name"],
            "organisation": plan.organisation["name"],
            "run_id": run_id,
            "rows": len(plan.results),
            "counts": {str(code): count for code, count in counts.items()},
        },
    )
