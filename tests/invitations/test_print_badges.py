"""Kiosk badges: ten credit cards per A4, each QR decodes to the badge's
token, the badge code differs from the invitation code, a reprint reuses
the current badge and a new badge revokes the old one."""

from __future__ import annotations

import uuid

from app.domain.core.commands import Command, execute
from app.domain.invitations import secrets
from app.domain.invitations.printing import badges
from app.storage.people import Badge
from app.storage.tables import AuditEvent
from tests.invitations.test_print_support import (
    close,
    code_of,
    csrf,
    invite,
    make_org,
    make_run,
    pages,
    qr_codes,
    row,
    staff,
    text,
)
from tests.support.factories import make_user


async def _badge_texts() -> dict[int, str]:
    rows = await Badge.select().where(Badge.revoked_at.is_null())
    return {row["person"]: badges.QR_PREFIX + secrets.token_for(secrets.BADGE, row["id"], row["salt"]) for row in rows}


async def _post(client, **fields):
    return await client.post(
        "/invitations/badges.pdf", data={"_csrf_token": csrf(client), "command_id": str(uuid.uuid4()), **fields}
    )


async def test_ten_badges_per_page_each_qr_is_its_token(client, tmp_path):
    org = await staff(client)
    invitations = [await invite(org, f"Naam{n}", f"Achternaam{n}") for n in range(12)]
    persons = [(await row(i))["person"] for i in invitations]
    response = await _post(client, person_ids=",".join(map(str, persons)))
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('attachment; filename="werkpas-badges-')
    images = pages(response.content, tmp_path)
    per_page = [qr_codes(image) for image in images]
    assert [len(codes) for codes in per_page] == [10, 2]
    tokens = await _badge_texts()
    assert sorted(tokens) == sorted(persons)
    assert sorted(code for codes in per_page for code in codes) == sorted(tokens.values())
    content = text(response.content, tmp_path)
    for badge in await Badge.select():
        code = secrets.badge_code_for(badge["salt"])
        assert len(code) == secrets.BADGE_CODE_LENGTH and secrets.display(code) in content
        assert badge["code_lookup"] == secrets.code_lookup(secrets.BADGE, code)
    assert await code_of(invitations[0]) not in content  # the invitation code is not on a badge
    assert "Naam0" in content and "Achternaam0" in content


async def test_reprint_reuses_and_renew_revokes(client, tmp_path):
    org = await staff(client)
    person = (await row(await invite(org, "Ayşe", "Yılmaz", "en")))["person"]  # noqa: RUF001
    first = await _post(client, person_ids=str(person))
    again = await _post(client, person_ids=str(person))
    assert first.status_code == again.status_code == 200
    [badge] = await Badge.select()
    renewed = await _post(client, person_ids=str(person), renew="1")
    assert renewed.status_code == 200
    old, new = await Badge.select().order_by(Badge.id)
    assert old["id"] == badge["id"] and old["revoked_at"] is not None and new["revoked_at"] is None
    assert qr_codes(pages(renewed.content, tmp_path)[0]) == [
        badges.QR_PREFIX + secrets.token_for(secrets.BADGE, new["id"], new["salt"])
    ]


async def test_same_form_sent_twice_issues_once(client):
    org = await staff(client)
    person = (await row(await invite(org, "Jan", "Peeters")))["person"]
    fields = {"_csrf_token": csrf(client), "command_id": str(uuid.uuid4()), "person_ids": str(person), "renew": "1"}
    for _ in range(2):
        assert (await client.post("/invitations/badges.pdf", data=fields)).status_code == 200
    assert await Badge.count() == 1


async def test_badges_for_invitations_and_runs(client, tmp_path):
    org = await staff(client)
    run = await make_run(org)
    in_run = [await invite(org, "Run", f"P{n}", run=run) for n in range(2)]
    earlier = await invite(org, "Chosen", "One")
    await close(earlier)
    chosen = await invite(org, "Chosen", "One")  # the same person invited twice gets one badge
    response = await _post(client, ids=f"{earlier},{chosen}", run_id=str(run))
    assert response.status_code == 200
    persons = {(await row(i))["person"] for i in (*in_run, chosen)}
    assert {badge["person"] for badge in await Badge.select()} == persons
    assert len([code for image in pages(response.content, tmp_path) for code in qr_codes(image)]) == 3


async def test_people_of_other_organisations_are_not_found(client):
    await staff(client)
    other = await make_org(name="Elsewhere")
    foreign_invitation = await invite(other, "Not", "Yours")
    foreign_person = (await row(foreign_invitation))["person"]
    for fields in (
        {"person_ids": str(foreign_person)},
        {"ids": str(foreign_invitation)},
        {"run_id": str(await make_run(other))},
        {"person_ids": "987654"},
    ):
        response = await _post(client, **fields)
        assert response.status_code == 404, fields
    assert await Badge.count() == 0
    assert (await _post(client, person_ids="x")).status_code == 422
    assert (await _post(client)).status_code == 422


async def test_issue_badge_command_revokes_the_previous_badge():
    org = await make_org()
    person = (await row(await invite(org, "Els", "Claes")))["person"]
    first = await execute(
        Command(
            type="invitations.issue_badge",
            payload={"person_id": person, "organisation_id": org},
            actor_id=None,
            channel="cli",
        )
    )
    second = await execute(
        Command(
            type="invitations.issue_badge",
            payload={"person_id": person, "organisation_id": org},
            actor_id=None,
            channel="cli",
        )
    )
    assert first.applied and second.applied and second.ids["revoked"] == [first.ids["badge_id"]]
    rows = {badge["id"]: badge for badge in await Badge.select()}
    assert rows[first.ids["badge_id"]]["revoked_at"] is not None and rows[second.ids["badge_id"]]["revoked_at"] is None
    assert await AuditEvent.count().where(AuditEvent.type == "invitations.issue_badge") == 2


async def test_issue_badge_is_refused_outside_the_actors_organisation():
    mine, other = await make_org(), await make_org()
    actor = await make_user("hr@example.be", role="hr", org=mine)
    person = (await row(await invite(other, "Not", "Mine")))["person"]
    outcome = await execute(
        Command(type="invitations.issue_badge", payload={"person_id": person, "organisation_id": other}, actor_id=actor)
    )
    assert not outcome.applied
    outcome = await execute(
        Command(type="invitations.issue_badge", payload={"person_id": person, "organisation_id": mine}, actor_id=actor)
    )
    assert not outcome.applied  # not on this organisation's roster
    assert await Badge.count() == 0
