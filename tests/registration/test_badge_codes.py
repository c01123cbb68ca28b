"""Badge codes look different from invitation codes (12 characters in groups
of four against 9 in groups of three), each typed on the other's page is
recognised and pointed to the right place, badges of the old 9-character
format keep working, and a wrong PIN tells the tries left: the same for a
badge that does not exist, and never more tries than the limit, even 30 at
once."""

from __future__ import annotations

import asyncio
import re

import pytest

from app.domain.invitations import secrets
from app.domain.invitations.printing.badges import badge_cards
from app.domain.registration.badge_login import BADGE_LIMIT, check_badge_login
from app.storage.people import Badge
from app.storage.tables import AuditEvent
from tests.registration.test_badge_login import PIN, _badge, _lands_on_passport, _worker
from tests.support.factories import make_org
from tests.support.registration import enter_code, invite

TRIES = re.compile(r"Badge or PIN is not correct\.[^<]*")


def _summary(response) -> str:
    found = TRIES.search(response.text)
    assert found, response.text
    return found.group(0).strip()


def test_the_two_formats_cannot_be_mixed_up():
    salt = secrets.new_salt()
    badge, invitation = secrets.badge_code_for(salt), secrets.code_for(secrets.INVITATION, salt)
    assert len(badge) == 12 and len(invitation) == 9
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", secrets.display(badge))
    assert re.fullmatch(r"[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3}", secrets.display(invitation))
    assert secrets.normalise_badge(secrets.display(badge).lower()) == badge
    with pytest.raises(secrets.CodeProblem) as problem:
        secrets.normalise(secrets.display(badge))
    assert problem.value.reason == "badge_code"
    with pytest.raises(secrets.CodeProblem) as problem:
        secrets.normalise("WERKPAS-BADGE:12.abc")
    assert problem.value.reason == "badge_code"
    typo = ("3" if badge[0] != "3" else "4") + badge[1:]
    with pytest.raises(secrets.CodeProblem) as problem:
        secrets.normalise_badge(typo)
    assert problem.value.reason == "typo"
    assert not secrets.is_badge_text(typo)


async def test_a_badge_code_on_register_points_to_the_badge_page(client):
    _org, card = await _worker(client)
    for typed in (card.code, card.qr):
        response = await enter_code(client, typed)
        assert response.status_code == 422
        assert "This is the code of a badge, not of an invitation" in response.text and "/badge" in response.text


async def test_an_invitation_code_on_badge_points_to_register(client):
    org = await make_org(name="De Klok")
    inv = await invite(org)
    response = await _badge(client, inv.code, "")
    assert response.status_code == 422
    assert "This looks like the code from an invitation" in response.text
    assert f'value="{inv.code}"' in response.text  # kept, to correct or take along
    assert 'href="/register"' in response.text and "Register with your invitation code" in response.text
    # With a PIN: the usual answer, with the same pointer (whether or not an
    # old badge has that code).
    with_pin = await _badge(client, inv.code, "4729")
    assert with_pin.status_code == 422
    assert "Badge or PIN is not correct." in with_pin.text and "Register with your invitation code" in with_pin.text


async def test_badges_of_the_old_format_keep_working(client):
    _org, card = await _worker(client)
    badge = await Badge.select().where(Badge.id == card.badge_id).first()
    old = secrets.code_for(secrets.BADGE, badge["salt"])
    # A badge issued before badge codes had 12 characters.
    await Badge.update({Badge.code_lookup: secrets.code_lookup(secrets.BADGE, old)}).where(Badge.id == card.badge_id)
    (printed,) = await badge_cards([(card.person_id, _org)])
    assert printed.code == secrets.display(old)  # a reprint is the same card
    wrong = await _badge(client, secrets.display(old), "9157")
    assert "Register with your invitation code" in wrong.text  # 9 characters: perhaps an invitation
    response = await _badge(client, secrets.display(old))
    await _lands_on_passport(client, response, card.user_id)


async def test_wrong_pins_count_down_and_an_unknown_badge_answers_the_same(client):
    _org, card = await _worker(client)
    unknown = secrets.display(secrets.badge_code_for(secrets.new_salt()))
    known_answers, unknown_answers = [], []
    for _attempt in range(BADGE_LIMIT):
        known_answers.append(_summary(await _badge(client, card.code, "9157")))
        unknown_answers.append(_summary(await _badge(client, unknown, "9157")))
    assert known_answers == unknown_answers
    assert known_answers == [
        "Badge or PIN is not correct. You can try 4 more times before this badge is locked.",
        "Badge or PIN is not correct. You can try 3 more times before this badge is locked.",
        "Badge or PIN is not correct. You can try 2 more times before this badge is locked.",
        "Badge or PIN is not correct. You can try 1 more time before this badge is locked.",
        "Badge or PIN is not correct. This badge is now locked for 15 minutes.",
    ]
    for typed in (card.code, card.qr, unknown):
        locked = await _badge(client, typed)
        assert locked.status_code == 429 and "Try again in 15 minutes" in locked.text


@pytest.mark.parametrize("known", [True, False])
async def test_thirty_wrong_pins_at_once_never_pass_the_limit(client, known):
    _org, card = await _worker(client)
    typed = card.qr if known else secrets.display(secrets.badge_code_for(secrets.new_salt()))
    # Thirty kiosks at once (so the per-address limit is not what stops them).
    checks = await asyncio.gather(*(check_badge_login(typed, "9157", f"192.0.2.{number}") for number in range(1, 31)))
    wrong = [check for check in checks if check.problem == "wrong"]
    assert len(wrong) == BADGE_LIMIT
    assert all(check.problem == "limited" and check.wait > 0 for check in checks if check.problem != "wrong")
    assert all(check.tries_left is not None and 0 <= check.tries_left < BADGE_LIMIT for check in wrong)
    assert min(check.tries_left for check in wrong) == 0
    failed = await AuditEvent.select().where(AuditEvent.type == "accounts.login_failed")
    assert len(failed) == BADGE_LIMIT
    right = await check_badge_login(typed, PIN, "192.0.2.99")
    assert right.user_id is None and right.problem == "limited"
