"""Staff actions tell the truth (issue 9, point 4): "Extend" really gives
more time and says until when; "Revoke" asks first (a page, no JavaScript
needed); a revoked or expired invitation offers "Invite again", which makes a
fresh invitation for the same person in one click. An action on an
invitation that changed meanwhile is a message on its page; nothing changes."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import timedelta
from html import unescape

from app import i18n
from app.domain.core.commands import Command, execute, utcnow
from app.storage.people import Invitation
from app.storage.tables import Job, Organisation, User
from tests.invitations.test_single_support import create, events, invitation, make_org, post_form, run, signed_in, staff


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


async def _expire(invitation_id: int, days_ago: int = 1) -> None:
    await Invitation.update(
        {Invitation.status: "expired", Invitation.expires_at: utcnow() - timedelta(days=days_ago)}
    ).where(Invitation.id == invitation_id)


async def test_extend_says_the_new_expiry_which_is_later(client):
    org, user = await signed_in(client, "hr")
    await Organisation.update({Organisation.invitation_days: 14}).where(Organisation.id == org)
    invitation_id = (await create(user, org))["invitation_id"]
    await _expire(invitation_id, days_ago=3)
    before = (await invitation(invitation_id))["expires_at"]
    page = _text((await client.get(f"/invitations/{invitation_id}")).text)
    i18n.set_language("en")
    until = i18n.format_date(utcnow() + timedelta(days=14), "long")
    assert f"Extend: the invitation then runs until {until}." in page
    response = await post_form(client, f"/invitations/{invitation_id}/extend")
    assert response.status_code == 303
    after = (await invitation(invitation_id))["expires_at"]
    assert after - before > timedelta(days=16)
    shown = _text((await client.get(response.headers["location"])).text)
    assert (
        f"The invitation was extended: it now runs until {until} "
        f"(it ran until {i18n.format_date(before, 'long')})." in shown
    )
    i18n.set_language("nl")


async def test_extend_that_would_not_give_more_time_is_not_offered_nor_done(client):
    org, user = await signed_in(client, "hr")
    invitation_id = (await create(user, org))["invitation_id"]  # runs its full period
    page = (await client.get(f"/invitations/{invitation_id}")).text
    assert f'action="/invitations/{invitation_id}/extend"' not in page and "You can extend it from" in page
    before = (await invitation(invitation_id))["expires_at"]
    response = await post_form(client, f"/invitations/{invitation_id}/extend")
    assert response.status_code == 422 and "would not give more time" in response.text
    assert (await invitation(invitation_id))["expires_at"] == before


async def test_thirty_parallel_extends_end_with_one_extension():
    org, hr = await staff("hr")
    invitation_id = (await create(hr, org))["invitation_id"]
    await _expire(invitation_id)
    outcomes = await asyncio.gather(
        *(
            execute(
                Command(
                    type="invitations.extend", payload={"invitation_id": invitation_id}, actor_id=hr, id=uuid.uuid4()
                )
            )
            for _ in range(30)
        )
    )
    applied = [outcome for outcome in outcomes if outcome.applied]
    assert len(applied) == 1
    assert {outcome.code() for outcome in outcomes if not outcome.applied} == {"not_later"}
    row = await invitation(invitation_id)
    assert row["status"] == "created" and row["expires_at"].isoformat() == applied[0].ids["expires_at"]
    assert [e["outcome"] for e in await events("invitations.extend")].count("applied") == 1


async def test_revoke_asks_first_and_cancel_changes_nothing(client):
    org, user = await signed_in(client, "consultant")
    invitation_id = (await create(user, org))["invitation_id"]
    detail = (await client.get(f"/invitations/{invitation_id}")).text
    assert f'href="/invitations/{invitation_id}/revoke"' in detail
    assert f'<form method="post" action="/invitations/{invitation_id}/revoke"' not in detail
    question = await client.get(f"/invitations/{invitation_id}/revoke")
    assert question.status_code == 200
    assert "Revoke the invitation for Anaïs Dupré?" in question.text
    assert f'<form method="post" action="/invitations/{invitation_id}/revoke"' in question.text
    assert f'href="/invitations/{invitation_id}">No, keep it' in question.text
    assert (await invitation(invitation_id))["status"] == "created"  # asking changes nothing
    response = await post_form(client, f"/invitations/{invitation_id}/revoke")
    assert response.status_code == 303 and (await invitation(invitation_id))["status"] == "revoked"
    # Revoked meanwhile (another tab): the question page says so, nothing changes.
    again = await client.get(f"/invitations/{invitation_id}/revoke")
    assert again.status_code == 422 and "already registered or revoked" in again.text


async def test_thirty_parallel_invite_agains_make_one_new_invitation():
    org, hr = await staff("hr")
    old = (await create(hr, org))["invitation_id"]
    assert (await run("invitations.revoke", {"invitation_id": old}, hr)).applied
    outcomes = await asyncio.gather(
        *(
            execute(Command(type="invitations.reinvite", payload={"invitation_id": old}, actor_id=hr, id=uuid.uuid4()))
            for _ in range(30)
        )
    )
    assert all(outcome.applied for outcome in outcomes), {outcome.code() for outcome in outcomes}
    assert await Invitation.count().where(Invitation.status == "created") == 1
    made = {outcome.ids["invitation_id"] for outcome in outcomes}
    assert len(made) == 1 and old not in made  # the others were pointed at that one
    assert await Job.count().where(Job.kind == "invitations.send_mail") == 2  # the first one's and the new one's


async def test_invite_again_after_revoking_makes_a_fresh_invitation(client):
    org, user = await signed_in(client, "hr")
    old = (await create(user, org))["invitation_id"]
    assert (await run("invitations.revoke", {"invitation_id": old}, user)).applied
    detail = (await client.get(f"/invitations/{old}")).text
    assert f'action="/invitations/{old}/again"' in detail and "Invite again" in detail
    response = await post_form(client, f"/invitations/{old}/again")
    assert response.status_code == 303
    new = int(response.headers["location"].rsplit("/", 1)[1])
    assert new != old
    old_row, new_row = await invitation(old), await invitation(new)
    assert old_row["status"] == "revoked" and old_row["salt"] != new_row["salt"]
    for key in ("person", "organisation", "unit", "language", "delivery"):
        assert new_row[key] == old_row[key], key
    assert new_row["status"] == "created" and new_row["issued_by"] == user
    assert await Job.count().where(Job.kind == "invitations.send_mail") == 2
    page = await client.get(response.headers["location"])
    assert "A new invitation was made and is being sent by e-mail to Anaïs Dupré." in page.text
    # The old one now points at the new one and offers no second new one.
    detail = (await client.get(f"/invitations/{old}")).text
    assert f'href="/invitations/{new}"' in detail and f'action="/invitations/{old}/again"' not in detail
    # Sent again anyway (an old tab): the open invitation is the answer, no third one.
    response = await post_form(client, f"/invitations/{old}/again")
    assert response.headers["location"] == f"/invitations/{new}" and await Invitation.count() == 2


async def test_invite_again_after_expiry_and_the_old_one_cannot_be_extended_any_more(client):
    org, user = await signed_in(client, "hr")
    old = (await create(user, org, email="", delivery="paper"))["invitation_id"]
    await Invitation.update({Invitation.expires_at: utcnow() - timedelta(days=2)}).where(Invitation.id == old)
    response = await post_form(client, f"/invitations/{old}/again")
    assert response.status_code == 303
    new = int(response.headers["location"].rsplit("/", 1)[1])
    assert (await invitation(old))["status"] == "expired" and (await invitation(new))["delivery"] == "paper"
    assert "Print the sheet and hand it to" in (await client.get(response.headers["location"])).text
    # Extending the old one would make two open invitations for one person.
    response = await post_form(client, f"/invitations/{old}/extend")
    assert response.status_code == 422 and "has a newer invitation" in response.text
    assert (await invitation(old))["status"] == "expired"


async def test_invite_again_is_refused_when_it_makes_no_sense(client):
    org, user = await signed_in(client, "hr")
    open_one = (await create(user, org))["invitation_id"]
    response = await post_form(client, f"/invitations/{open_one}/again")
    assert response.status_code == 422 and "Only a revoked or expired invitation" in response.text
    registered = (await create(user, org, last_name="Maes", first_name="Hanne"))["invitation_id"]
    account = await User.insert(User(email="hanne@example.be", display_name="Hanne", password_hash="x", language="nl"))
    from app.storage.people import Person

    person = (await invitation(registered))["person"]
    await Person.update({Person.user: account[0]["id"]}).where(Person.id == person)
    assert (await run("invitations.revoke", {"invitation_id": registered}, user)).applied
    response = await post_form(client, f"/invitations/{registered}/again")
    assert response.status_code == 422 and "already registered" in response.text
    assert await Invitation.count() == 2


async def test_invite_again_for_another_organisation_is_404(client):
    await signed_in(client, "hr")
    other_org, other_user = await staff("hr", await make_org())
    theirs = (await create(other_user, other_org))["invitation_id"]
    assert (await run("invitations.revoke", {"invitation_id": theirs}, other_user)).applied
    assert (await post_form(client, f"/invitations/{theirs}/again")).status_code == 404
    assert (await client.get(f"/invitations/{theirs}/revoke")).status_code == 404
    assert await Invitation.count() == 1


async def test_empty_lists_say_which_case_it_is(client):
    org, user = await signed_in(client, "hr")
    empty = (await client.get("/invitations")).text
    assert "There are no invitations yet." in empty and "No invitations match your search." not in empty
    await create(user, org)
    for query in ("?q=Nobody", "?status=revoked"):
        page = (await client.get(f"/invitations{query}")).text
        assert "No invitations match your search." in page and "There are no invitations yet." not in page, query
        assert 'href="/invitations">Show all invitations' in page


async def test_the_email_label_follows_the_delivery(client):
    org, _user = await signed_in(client, "hr")
    form = (await client.get("/invitations/new")).text
    label = re.search(r'<label for="invite-email"[^>]*>([^<]*)</label>', form)
    assert label.group(1) == "E-mail"  # delivery by e-mail is the default
    assert 'data-optional="E-mail (optional)"' in form and 'aria-required="true"' in form
    assert form.index('name="delivery"') < form.index('id="invite-email"')  # the choice comes first
    response = await post_form(
        client, "/invitations", {"organisation_id": str(org), "delivery": "paper", "last_name": ""}
    )
    label = re.search(r'<label for="invite-email"[^>]*>([^<]*)</label>', response.text)
    assert response.status_code == 422 and label.group(1) == "E-mail (optional)"
