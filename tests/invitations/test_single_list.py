"""The invitation list and detail page: scope, status filter, name search,
pagination, the HTMX fragment, and the code and link on the detail page."""

from datetime import timedelta

from app.domain.core.commands import utcnow
from app.domain.invitations import secrets
from tests.invitations.test_single_support import Invitation, create, make_org, signed_in, staff


async def _many(user, org, count, **fields):
    ids = []
    for number in range(count):
        ids.append(
            (
                await create(
                    user, org, last_name=f"Person{number:03d}", first_name="Test", email="", delivery="paper", **fields
                )
            )["invitation_id"]
        )
    return ids


async def test_list_shows_only_own_organisation(client):
    org, user = await signed_in(client, "hr")
    _other_org, other_user = await staff("hr", await make_org())
    await create(user, org, last_name="Mine")
    theirs = (await create(other_user, _other_org, last_name="Theirs"))["invitation_id"]
    page = await client.get("/invitations")
    assert page.status_code == 200
    assert "Mine" in page.text and "Theirs" not in page.text
    assert (await client.get(f"/invitations/{theirs}")).status_code == 404
    assert (await client.get("/invitations/999999")).status_code == 404
    assert (await client.get("/invitations/99999999999")).status_code == 404


async def test_status_filter_uses_effective_status(client):
    org, user = await signed_in(client, "hr")
    _created, late, revoked = await _many(user, org, 3)
    await Invitation.update({Invitation.expires_at: utcnow() - timedelta(minutes=1)}).where(Invitation.id == late)
    await Invitation.update({Invitation.status: "revoked"}).where(Invitation.id == revoked)

    async def names(status):
        text = (await client.get(f"/invitations?status={status}")).text
        return {number for number in ("Person000", "Person001", "Person002") if number in text}

    assert await names("created") == {"Person000"}
    assert await names("expired") == {"Person001"}
    assert await names("revoked") == {"Person002"}
    assert await names("sent") == set()
    assert await names("nonsense") == {"Person000", "Person001", "Person002"}
    assert "Expired" in (await client.get("/invitations?status=expired")).text


async def test_search_by_name(client):
    org, user = await signed_in(client, "hr")
    await create(user, org, last_name="Vandenbroucke-Çelik", first_name="Ayşe", email="", delivery="paper")
    await create(user, org, last_name="Peeters", first_name="Jan", email="", delivery="paper")
    text = (await client.get("/invitations", params={"q": "çelik ayşe"})).text
    assert "Vandenbroucke" in text and "Peeters" not in text
    text = (await client.get("/invitations", params={"q": "jan"})).text
    assert "Peeters" in text and "Vandenbroucke" not in text
    text = (await client.get("/invitations", params={"q": "100%_"})).text
    assert "No invitations match your search." in text


async def test_pagination_and_htmx_fragment(client):
    org, user = await signed_in(client, "consultant")
    await _many(user, org, 27)
    first = await client.get("/invitations")
    assert "27 invitations" in first.text and "Page 1 of 2" in first.text
    assert first.text.count("/invitations/") >= 25
    second = await client.get("/invitations?page=2")
    assert "Person000" in second.text and "Person001" in second.text and "Person026" not in second.text
    fragment = await client.get("/invitations?page=2", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "Person000" in fragment.text and "<table" in fragment.text
    assert (await client.get("/invitations?page=abc")).status_code == 200
    assert "Page 2 of 2" in (await client.get("/invitations?page=999")).text


async def test_detail_shows_code_link_and_history(client):
    org, user = await signed_in(client, "hr")
    invitation_id = (await create(user, org))["invitation_id"]
    row = await Invitation.select().where(Invitation.id == invitation_id).first()
    page = await client.get(f"/invitations/{invitation_id}")
    assert page.status_code == 200
    code = secrets.code_for(secrets.INVITATION, row["salt"])
    assert secrets.display(code) in page.text and len(secrets.display(code)) == 11
    assert secrets.invitation_url(invitation_id, row["salt"]) in page.text
    assert row["salt"] not in page.text
    for label in (
        "Created",
        "Sent by e-mail",
        "Opened",
        "Registered",
        "Expires",
        "Send the e-mail again",
        "You can extend it from",  # a fresh invitation runs its full period
        "Revoke",
    ):
        assert label in page.text
    assert page.text.count("<h1") == 1
