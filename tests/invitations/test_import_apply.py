"""The apply command: result codes 1-4 as seed 004 defines them, one
transaction for the whole file, idempotent re-upload, roster matching."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import msgspec
import pytest

from app.domain.core.commands import Command, execute
from app.domain.invitations.imports import apply as applying
from app.domain.invitations.imports import plan as planning
from app.domain.invitations.imports.reading import read
from app.domain.invitations.payloads import import_payload
from app.domain.invitations.people import match_key
from app.domain.registry import load_handlers
from app.storage.people import ImportRow, ImportRun, Invitation, Membership, Person
from app.storage.tables import Job
from tests.invitations.fixtures import messy
from tests.support.factories import make_org, make_unit, make_user

load_handlers()


async def apply_file(data: bytes, org: int, mode: str = "create", actor: int | None = None, channel: str = "cli"):
    parsed = read(data)
    payload = import_payload(parsed, org, None, mode)
    return await execute(Command(type="invitations.import_apply", payload=payload, actor_id=actor, channel=channel))


async def codes(run_id: int) -> dict[int, int]:
    rows = await ImportRow.select(ImportRow.row_number, ImportRow.code).where(ImportRow.run == run_id)
    return {row["row_number"]: row["code"] for row in rows}


async def add_person(last: str, first: str, born: date, user: int | None = None, org: int | None = None) -> int:
    """A person record of `org`, on its roster (no organisation: a record no
    organisation keeps)."""
    rows = await Person.insert(
        Person(
            organisation=org,
            last_name=last,
            first_name=first,
            birth_date=born,
            postcode="9000",
            user=user,
            match_key=match_key(last, first, born),
            created_at=datetime.now(UTC),
        )
    )
    if org is not None:
        await Membership.insert(
            Membership(person=rows[0]["id"], organisation=org, source="admin", created_at=datetime.now(UTC))
        )
    return rows[0]["id"]


def csv(*rows: list[str]) -> bytes:
    return messy.csv_bytes([messy.DUTCH, *rows])


async def test_dry_run_changes_nothing():
    org = await make_org()
    plan = await planning.make_plan(read(messy.semicolon_bom_csv()), org, "create")
    assert [r.code for r in plan.results] == [1, 1, 1]
    assert await Person.count() == 0 and await Invitation.count() == 0 and await ImportRun.count() == 0


async def test_apply_creates_people_invitations_and_mail_jobs():
    org = await make_org()
    outcome = await apply_file(messy.semicolon_bom_csv(), org)
    assert outcome.applied
    run = await ImportRun.select().where(ImportRun.id == outcome.ids["run_id"]).first()
    assert (run["rows_total"], run["done"], run["channel"], run["mode"], run["file_kind"]) == (
        3,
        3,
        "cli",
        "create",
        "csv",
    )
    assert await codes(run["id"]) == {2: 1, 3: 1, 4: 1}
    invitations = await Invitation.select(
        Invitation.delivery, Invitation.person.last_name.as_alias("last"), Invitation.status
    ).where(Invitation.import_run == run["id"])
    deliveries = {row["last"]: row["delivery"] for row in invitations}
    assert deliveries == {"Peeters": "email", "Dupré": "paper", "Janssens": "email"}  # no e-mail -> paper
    assert {row["status"] for row in invitations} == {"created"}
    memberships = await Membership.select(Membership.source).where(Membership.organisation == org)
    assert [m["source"] for m in memberships] == ["import"] * 3
    jobs = await Job.select(Job.payload).where(Job.kind == "invitations.send_mail")
    invited = {row["id"] for row in await Invitation.select(Invitation.id).where(Invitation.delivery == "email")}
    assert {json.loads(job["payload"])["invitation_id"] for job in jobs} == invited
    # Nobody got a password: the invitation code is the start secret.
    assert await Person.count().where(Person.user.is_not_null()) == 0


async def test_invalid_rows_get_code_4_with_problem_codes_and_nothing_personal():
    org = await make_org()
    data = csv(
        ["", "Jan", "9000", "01/02/1985", "jan@example.be"],
        ["Peeters", "Jan", "900", "31/02/1985", "not-an-email"],
        ["Maes", "An", "9000", "01/02/2020", ""],
    )
    outcome = await apply_file(data, org)
    rows = await ImportRow.select().where(ImportRow.run == outcome.ids["run_id"]).order_by(ImportRow.row_number)
    assert [row["code"] for row in rows] == [4, 4, 4]
    assert json.loads(rows[0]["problems"]) == {"last_name": "last_name_missing"}
    assert json.loads(rows[1]["problems"]) == {
        "postcode": "postcode_range",
        "birth_date": "birth_date_format",
        "email": "email_syntax",
    }
    assert json.loads(rows[2]["problems"]) == {"birth_date": "birth_date_impossible"}
    assert await Person.count() == 0
    assert "Peeters" not in str(rows) and "not-an-email" not in str(rows)


async def test_duplicate_row_in_the_same_file_gets_code_2():
    org = await make_org()
    same = ["Peeters", "Jan", "9000", "01/02/1985", "jan@example.be"]
    outcome = await apply_file(csv(same, ["PEETERS", "jan", "9000", "1985-02-01", ""]), org)
    assert await codes(outcome.ids["run_id"]) == {2: 1, 3: 2}
    assert await Person.count() == 1 and await Invitation.count() == 1
    duplicate = await ImportRow.select().where(ImportRow.row_number == 3).first()
    assert json.loads(duplicate["problems"]) == {"row": "duplicate_in_file"}
    assert duplicate["person"] is not None


async def test_reupload_of_the_corrected_file_is_idempotent():
    org = await make_org()
    first = await apply_file(
        csv(["Peeters", "Jan", "9000", "01/02/1985", "jan@example.be"], ["Maes", "An", "99", "01/02/1985", ""]), org
    )
    assert await codes(first.ids["run_id"]) == {2: 1, 3: 4}
    corrected = await apply_file(
        csv(["Peeters", "Jan", "9000", "01/02/1985", "jan@example.be"], ["Maes", "An", "9999", "01/02/1985", ""]), org
    )
    assert await codes(corrected.ids["run_id"]) == {2: 2, 3: 1}
    again = await apply_file(
        csv(["Peeters", "Jan", "9000", "01/02/1985", "jan@example.be"], ["Maes", "An", "9999", "01/02/1985", ""]), org
    )
    assert await codes(again.ids["run_id"]) == {2: 2, 3: 2}
    assert await Person.count() == 2 and await Invitation.count() == 2 and await Membership.count() == 2


async def test_person_with_an_active_account_gets_code_2():
    org = await make_org()
    user = await make_user("jan@example.be")
    await add_person("Peeters", "Jan", date(1985, 2, 1), user=user, org=org)
    outcome = await apply_file(csv(["Peeters", "Jan", "9000", "01/02/1985", "jan@example.be"]), org)
    assert await codes(outcome.ids["run_id"]) == {2: 2}
    assert await Invitation.count() == 0


async def test_an_account_in_another_organisation_is_code_1_and_untouched():
    """Code 2 means "already registered or invited in this organisation":
    a person registered elsewhere is new here, and their record there is
    neither read nor linked (an upload would otherwise reveal their birth
    date one guess at a time)."""
    org, other = await make_org(), await make_org()
    user = await make_user("jan@example.be", role="worker", org=other)
    theirs = await add_person("Peeters", "Jan", date(1985, 2, 1), user=user, org=other)
    await Invitation.insert(
        Invitation(
            organisation=other,
            person=theirs,
            delivery="paper",
            language="nl",
            salt="x",
            code_lookup="other-org",
            expires_at=datetime.now(UTC) + timedelta(days=5),
            created_at=datetime.now(UTC),
        )
    )
    outcome = await apply_file(csv(["Peeters", "Jan", "9000", "01/02/1985", "jan.p@example.be"]), org)
    assert await codes(outcome.ids["run_id"]) == {2: 1}
    mine = await Person.select().where(Person.organisation == org).first()
    assert mine["id"] != theirs and mine["user"] is None and mine["email"] == "jan.p@example.be"
    assert (await Person.select(Person.email, Person.user).where(Person.id == theirs).first()) == {
        "email": None,
        "user": user,
    }
    assert {m["organisation"] for m in await Membership.select().where(Membership.person == theirs)} == {other}
    assert (await Invitation.select(Invitation.person).where(Invitation.organisation == org).first())["person"] == mine[
        "id"
    ]


async def test_known_person_without_account_is_linked_not_duplicated():
    org = await make_org()
    person = await add_person("Peeters", "Jan", date(1985, 2, 1), org=org)
    outcome = await apply_file(csv(["Peeters", "Jan", "9000", "01/02/1985", "jan@example.be"]), org)
    assert await codes(outcome.ids["run_id"]) == {2: 1}
    assert await Person.count() == 1
    assert (await Person.select(Person.email).first())["email"] == "jan@example.be"  # filled in
    assert (
        await Invitation.select(Invitation.person, Invitation.delivery).where(Invitation.organisation == org).first()
    ) == {"person": person, "delivery": "email"}


async def test_match_mode_finds_roster_members_only():
    org, other = await make_org(), await make_org()
    member = await add_person("Peeters", "Jan", date(1985, 2, 1), org=org)
    await add_person("Maes", "An", date(1990, 5, 5), org=other)  # known, but not to this organisation
    data = csv(
        ["Peeters", "Jan", "9000", "01/02/1985", ""],
        ["Maes", "An", "9000", "05/05/1990", ""],
        ["Nieuw", "Iemand", "9000", "05/05/1990", ""],
    )
    outcome = await apply_file(data, org, mode="match")
    assert await codes(outcome.ids["run_id"]) == {2: 1, 3: 3, 4: 3}
    assert await Person.count() == 2 and await Membership.count().where(Membership.organisation == org) == 1
    invitation = await Invitation.select(Invitation.person, Invitation.delivery).first()
    assert invitation == {"person": member, "delivery": "paper"}


async def test_unit_and_language_columns():
    org = await make_org(language="fr")
    unit = await make_unit(org, "Gent Productie")
    data = messy.csv_bytes(
        [
            [*messy.DUTCH, "Eenheid", "Taal"],
            ["Peeters", "Jan", "9000", "01/02/1985", "", "gent productie", "Nederlands"],
            ["Maes", "An", "9000", "01/02/1985", "", "Antwerpen", ""],
            ["Smet", "Bo", "9000", "01/02/1985", "", "", "xx"],
            ["Wouters", "Lies", "9000", "01/02/1985", "", "", ""],
        ]
    )
    outcome = await apply_file(data, org)
    assert await codes(outcome.ids["run_id"]) == {2: 1, 3: 4, 4: 4, 5: 1}
    rows = await ImportRow.select(ImportRow.problems).where(ImportRow.code == 4).order_by(ImportRow.row_number)
    assert [json.loads(r["problems"]) for r in rows] == [{"unit": "unit_unknown"}, {"language": "language_unknown"}]
    invitations = await Invitation.select(
        Invitation.unit, Invitation.language, Invitation.person.last_name.as_alias("last")
    )
    assert {i["last"]: (i["unit"], i["language"]) for i in invitations} == {
        "Peeters": (unit, "nl"),
        "Wouters": (None, "fr"),
    }


async def test_failure_midway_leaves_the_database_as_before(monkeypatch):
    org = await make_org()

    async def broken(run_id, results):
        raise RuntimeError("disk full")

    monkeypatch.setattr(applying, "_store_rows", broken)
    with pytest.raises(RuntimeError):
        await apply_file(messy.semicolon_bom_csv(), org)
    for table in (Person, Membership, Invitation, ImportRun, ImportRow, Job):
        assert await table.count() == 0, table


async def test_apply_without_the_rows_is_refused():
    """The rows travel in the payload: an apply without them (the old
    payload, which named only the file) is refused before the handler runs."""
    org = await make_org()
    payload = {"organisation_id": org, "file_sha256": "0" * 64, "mode": "create", "file_kind": "csv"}
    outcome = await execute(Command(type="invitations.import_apply", payload=payload, actor_id=None, channel="cli"))
    assert not outcome.applied and outcome.code("columns") == "missing_field"
    assert await ImportRun.count() == 0


async def test_apply_with_rows_that_cannot_be_one_list_is_refused():
    org = await make_org()
    parsed = read(messy.semicolon_bom_csv())
    good = msgspec.to_builtins(import_payload(parsed, org, None, "create"))
    widths = {**good, "rows": [[2, ["Peeters"]]]}  # fewer cells than columns
    order = {**good, "rows": [good["rows"][1], good["rows"][0]]}  # row numbers going back
    twice = {**good, "columns": [good["columns"][0]] * 2, "rows": []}
    for payload, field in ((widths, "rows"), (order, "rows"), (twice, "columns")):
        outcome = await execute(Command(type="invitations.import_apply", payload=payload, actor_id=None, channel="cli"))
        assert not outcome.applied and outcome.code(field) == "invalid_value", payload
    assert await ImportRun.count() == 0 and await Person.count() == 0


async def test_payload_and_command_log_hold_no_personal_values():
    from app.storage.tables import AuditEvent, CommandRecord

    org = await make_org()
    await apply_file(messy.semicolon_bom_csv(), org)
    logged = str(await CommandRecord.select()) + str(await AuditEvent.select())
    for value in ("Peeters", "Dupré", "jan.peeters@example.be", "1985"):
        assert value not in logged


async def test_uploader_is_mailed_the_result():
    from app.domain.jobs.worker import run_due_jobs
    from app.domain.mail import outbox

    org = await make_org(slug="de-klok")
    hr = await make_user("hr@example.be", role="hr", org=org, language="en")
    outcome = await apply_file(messy.semicolon_bom_csv(), org, actor=hr, channel="web")
    run_id = outcome.ids["run_id"]
    assert (await ImportRun.select(ImportRun.uploaded_by).first())["uploaded_by"] == hr
    await Job.delete().where(Job.kind == "invitations.send_mail")  # the invitations engineer's job
    await run_due_jobs(10)
    mails = [m for m in outbox() if m["To"] == "hr@example.be"]
    assert len(mails) == 1
    body = mails[0].get_body(("plain",)).get_content()
    assert f"/invitations/imports/{run_id}" in body and "Peeters" not in body


async def test_ten_thousand_rows_apply_in_under_ten_seconds():
    import time

    org = await make_org()
    data = messy.big_csv(10_000)
    started = time.perf_counter()
    outcome = await apply_file(data, org)
    elapsed = time.perf_counter() - started
    assert outcome.ids["code_1"] == 10_000
    assert await Invitation.count() == 10_000 and await Job.count().where(Job.kind == "invitations.send_mail") == 6_666
    assert elapsed < 10, elapsed
