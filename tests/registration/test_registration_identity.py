"""The birth date check: 5 wrong tries lock the invitation for 15 minutes."""

from __future__ import annotations

from datetime import timedelta

from app.domain.core.commands import utcnow
from app.storage.people import Invitation
from app.storage.tables import AuditEvent, CommandRecord
from tests.support.factories import make_org
from tests.support.registration import confirm_birth_date, enter_code, invitation_row, invite


async def test_wrong_birth_dates_count_down_then_lock_for_15_minutes(client):
    org = await make_org()
    inv = await invite(org)
    await enter_code(client, inv.code)
    for left in (4, 3, 2, 1):
        response = await confirm_birth_date(client, "24", "3", "1990")
        assert response.status_code == 422
        assert f"This is not the birth date we know. You can try {left} more time" in response.text
        assert 'aria-invalid="true"' in response.text and 'value="24"' in response.text
    before = utcnow()
    response = await confirm_birth_date(client, "24", "3", "1990")
    assert response.status_code == 429
    assert "The birth date was wrong 5 times" in response.text
    row = await invitation_row(inv.id)
    assert before + timedelta(minutes=14) < row["locked_until"] <= utcnow() + timedelta(minutes=15)
    # Even the right birth date waits, on this device and any other.
    response = await confirm_birth_date(client)
    assert response.status_code == 429
    other = await enter_code(client, inv.code)
    assert other.status_code == 429 and "you can try again at" in other.text
    # Nothing personal in the command log or audit trail.
    logged = str(await CommandRecord.select()) + str(await AuditEvent.select())
    assert "1990-03" not in logged and "24/3" not in logged and "1990, 3" not in logged


async def test_lock_message_shows_brussels_time_in_the_users_language(client):
    org = await make_org()
    inv = await invite(org)
    await enter_code(client, inv.code)
    for _ in range(5):
        await confirm_birth_date(client, "1", "1", "1980")
    row = await invitation_row(inv.id)
    from app.i18n import local_time

    brussels = local_time(row["locked_until"]).strftime("%H:%M")
    client.cookies.set("werkpas_lang", "fr")
    response = await client.get("/register/identity")
    assert response.status_code == 429 and brussels in response.text
    assert '<html lang="fr">' in response.text


async def test_after_the_lock_a_correct_answer_goes_on_and_resets_the_count(client):
    org = await make_org()
    inv = await invite(org)
    await enter_code(client, inv.code)
    for _ in range(5):
        await confirm_birth_date(client, "1", "1", "1980")
    # Fifteen minutes later (moved in the database instead of waiting).
    await Invitation.update({Invitation.locked_until: utcnow() - timedelta(seconds=1)}).where(Invitation.id == inv.id)
    assert (await confirm_birth_date(client, "1", "1", "1980")).status_code == 422
    assert (await invitation_row(inv.id))["failed_attempts"] == 1
    response = await confirm_birth_date(client, "25/03/1990", "", "")
    assert response.status_code == 303 and response.headers["location"] == "/register/language"
    assert (await invitation_row(inv.id))["failed_attempts"] == 0


async def test_a_date_that_cannot_be_read_is_not_counted(client):
    org = await make_org()
    inv = await invite(org)
    await enter_code(client, inv.code)
    unreadable = {
        ("31", "2", "1990"): "31 February does not exist.",
        ("", "", ""): "Type your birth date: the day, the month and the year.",
        ("abc", "3", "1990"): "Type the day with the digits 0 to 9 only",
        ("25", "3", "90"): "Type the year in full, with 4 digits",
    }
    for (day, month, year), message in unreadable.items():
        response = await confirm_birth_date(client, day, month, year)
        assert response.status_code == 422 and message in response.text, (day, month, year)
        assert "dd/mm/yyyy" not in response.text
    assert (await invitation_row(inv.id))["failed_attempts"] == 0


async def test_typed_dates_in_several_forms_are_accepted(client):
    org = await make_org()
    for typed in (("25", "03", "1990"), ("25-3-1990", "", ""), ("25.03.1990", "", "")):
        inv = await invite(org, first=f"Anna{len(typed[0])}{typed[0][-5:]}")
        await enter_code(client, inv.code)
        response = await confirm_birth_date(client, *typed)
        assert response.headers.get("location") == "/register/language", typed
