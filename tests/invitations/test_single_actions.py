"""Resend, extend and revoke: each a command, audited, refused when it makes
no sense, and 404 for another organisation's invitation."""

from datetime import timedelta

from app.domain.core.commands import utcnow
from app.storage.tables import Job, Organisation
from tests.invitations.test_single_support import (
    Invitation,
    create,
    events,
    invitation,
    make_org,
    post_form,
    run,
    signed_in,
    staff,
)


async def test_resend_queues_a_mail(client):
    org, user = await signed_in(client, "hr")
    invitation_id = (await create(user, org))["invitation_id"]
    response = await post_form(client, f"/invitations/{invitation_id}/resend")
    assert response.status_code == 303 and response.headers["location"] == f"/invitations/{invitation_id}"
    assert await Job.count().where(Job.kind == "invitations.send_mail") == 2
    [event] = await events("invitations.resend")
    assert (event["outcome"], event["actor_id"], event["organisation_id"], event["target_id"]) == (
        "applied",
        user,
        org,
        str(invitation_id),
    )
    assert "being sent again" in (await client.get(response.headers["location"])).text


async def test_resend_needs_an_email_and_an_open_invitation(client):
    org, user = await signed_in(client, "hr")
    paper = (await create(user, org, email="", delivery="paper"))["invitation_id"]
    response = await post_form(client, f"/invitations/{paper}/resend")
    assert response.status_code == 422 and "has no e-mail address" in response.text
    late = (await create(user, org, last_name="Late"))["invitation_id"]
    await Invitation.update({Invitation.expires_at: utcnow() - timedelta(hours=1)}).where(Invitation.id == late)
    response = await post_form(client, f"/invitations/{late}/resend")
    assert response.status_code == 422 and "Extend it first" in response.text
    await Invitation.update({Invitation.status: "registered"}).where(Invitation.id == late)
    response = await post_form(client, f"/invitations/{late}/resend")
    assert response.status_code == 422 and "still open" in response.text
    assert await Job.count().where(Job.kind == "invitations.send_mail") == 1  # only the first creation's


async def test_extend_reopens_an_expired_invitation(client):
    org, user = await signed_in(client, "hr")
    await Organisation.update({Organisation.invitation_days: 10}).where(Organisation.id == org)
    invitation_id = (await create(user, org))["invitation_id"]
    await Invitation.update(
        {
            Invitation.status: "expired",
            Invitation.sent_at: utcnow() - timedelta(days=20),
            Invitation.expires_at: utcnow() - timedelta(days=1),
        }
    ).where(Invitation.id == invitation_id)
    response = await post_form(client, f"/invitations/{invitation_id}/extend")
    assert response.status_code == 303
    row = await invitation(invitation_id)
    assert row["status"] == "sent"
    assert timedelta(days=9, hours=23) < row["expires_at"] - utcnow() <= timedelta(days=10)
    [event] = await events("invitations.extend")
    assert event["outcome"] == "applied" and event["organisation_id"] == org


async def test_revoke_then_nothing_more(client):
    org, user = await signed_in(client, "consultant")
    invitation_id = (await create(user, org))["invitation_id"]
    response = await post_form(client, f"/invitations/{invitation_id}/revoke")
    assert response.status_code == 303
    row = await invitation(invitation_id)
    assert row["status"] == "revoked" and row["revoked_at"] is not None
    page = await client.get(f"/invitations/{invitation_id}")
    assert (
        "Revoked" in page.text
        and "Send the e-mail again" not in page.text
        and f'action="/invitations/{invitation_id}/extend"' not in page.text
    )
    for action in ("revoke", "extend", "resend"):
        response = await post_form(client, f"/invitations/{invitation_id}/{action}")
        assert response.status_code == 422, action
    assert (await invitation(invitation_id))["status"] == "revoked"
    assert [e["outcome"] for e in await events("invitations.revoke")] == ["applied", "rejected"]


async def test_actions_on_another_organisations_invitation_are_404(client):
    _org, _user = await signed_in(client, "hr")
    other_org, other_user = await staff("hr", await make_org())
    theirs = (await create(other_user, other_org))["invitation_id"]
    for action in ("resend", "extend", "revoke"):
        assert (await post_form(client, f"/invitations/{theirs}/{action}")).status_code == 404
    assert (await invitation(theirs))["status"] == "created"
    # The same through the command itself (another channel, same rule).
    outcome = await run("invitations.revoke", {"invitation_id": theirs}, _user)
    assert not outcome.applied and (await invitation(theirs))["status"] == "created"


async def test_actions_need_the_permission(client):
    org, user = await staff("hr")
    invitation_id = (await create(user, org))["invitation_id"]
    _org, worker = await signed_in(client, "worker", org)
    assert (await post_form(client, f"/invitations/{invitation_id}/revoke")).status_code == 403
    assert not (await run("invitations.revoke", {"invitation_id": invitation_id}, worker)).applied
    assert (await invitation(invitation_id))["status"] == "created"
