"""The audit log and the organisation's history read as sentences with the
names of people and things, linked; nothing of another organisation shows."""

import re
from datetime import UTC, datetime

from app.domain.admin import audit_names
from app.storage.tables import AuditEvent
from tests.admin import helpers as h
from tests.support.registration import invite


def _body(html: str) -> str:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


async def _story():
    """De Klok: Hanne Maes invites and revokes Zofia Nowak, grants and takes
    back a role, adds and deletes a unit."""
    klok = await h.org("De Klok", "de-klok")
    hanne = await h.user("org_admin", klok, name="Hanne Maes", email="hanne@klok.example")
    piet = await h.user(organisation=klok, name="Piet Peeters", email="piet@klok.example")
    zofia = await invite(klok, last="Nowak", first="Zofia", email="zofia@example.be")
    assert (await h.run("invitations.revoke", {"invitation_id": zofia.id}, hanne)).applied
    granted = await h.run("admin.grant_role", {"user_id": piet, "role": "hr"}, hanne)
    assert granted.applied
    assert (await h.run("admin.revoke_role", {"grant_id": granted.ids["grant_id"]}, hanne)).applied
    unit = await h.run("admin.create_unit", {"organisation_id": klok, "name": "Magazijn", "kind": "site"}, hanne)
    assert (await h.run("admin.delete_unit", {"unit_id": unit.ids["unit_id"]}, hanne)).applied
    return klok, hanne, piet, zofia


async def test_the_platform_admin_reads_sentences_with_links(client):
    _klok, hanne, piet, zofia = await _story()
    await h.as_role(client, "platform_admin", name="Bea Boss")
    page = await client.get("/admin/audit")
    assert page.status_code == 200
    body = _body(page.text)
    text = _text(body)
    assert "Hanne Maes revoked the invitation of Zofia Nowak" in text
    assert "Hanne Maes gave Piet Peeters the role HR" in text
    assert "Hanne Maes took the role HR away from Piet Peeters" in text
    assert "Hanne Maes added the unit Magazijn" in text
    assert "Hanne Maes deleted the unit Magazijn" in text
    assert f'<a href="/admin/users/{hanne}">Hanne Maes</a>' in body
    assert f'<a href="/invitations/{zofia.id}">Zofia Nowak</a>' in body
    assert f'<a href="/admin/users/{piet}">Piet Peeters</a>' in body
    # No raw codes, no "user 9".
    assert "invitations.revoke" not in body and "admin.grant_role" not in body
    assert not re.search(r"\b[Uu]ser \d+", text)
    # The type filter names types in words.
    assert re.search(r'<option value="invitations.revoke"[^>]*>Revoke an invitation</option>', page.text)
    assert ">invitations.revoke<" not in page.text


async def test_unknown_types_read_as_a_generic_sentence(client):
    klok = await h.org("De Klok", "de-klok")
    hanne = await h.user("org_admin", klok, name="Hanne Maes")
    for kind in ("invitations.frobnicate", "zzz.something_new"):
        await AuditEvent.insert(
            AuditEvent(
                at=datetime.now(UTC), actor_id=hanne, organisation_id=klok, type=kind, outcome="applied", channel="web"
            )
        )
    await h.as_role(client, "platform_admin")
    page = await client.get("/admin/audit")
    text = _text(_body(page.text))
    assert "Hanne Maes made a change in invitations" in text
    assert "Hanne Maes made a change" in text
    assert "frobnicate" not in text and "zzz" not in text
    assert re.search(r'<option value="invitations.frobnicate"[^>]*>Other change: invitations</option>', page.text)


async def test_refusals_and_system_events_say_what_was_refused(client):
    klok = await h.org("De Klok", "de-klok")
    hanne = await h.user("org_admin", klok, name="Hanne Maes")
    refused = await h.run("invitations.revoke", {"invitation_id": 999999}, hanne)
    assert not refused.applied
    zofia = await invite(klok, last="Nowak", first="Zofia")
    assert (await h.run("invitations.mark_sent", {"invitation_id": zofia.id}, None, channel="job")).applied
    await h.as_role(client, "platform_admin")
    text = _text(_body((await client.get("/admin/audit")).text))
    assert "Hanne Maes was refused: Revoke an invitation" in text
    assert "The invitation of Zofia Nowak was sent by e-mail" in text


async def test_organisation_admin_sees_their_history_and_nothing_else(client):
    _klok, hanne, _piet, _zofia = await _story()
    flexa = await h.org("Flexa", "flexa")
    stranger = await h.user("org_admin", flexa, name="Sven Stranger", email="sven@flexa.example")
    other = await invite(flexa, last="Verborgen", first="Vera", email="vera@example.be")
    assert (await h.run("invitations.revoke", {"invitation_id": other.id}, stranger)).applied
    # A refusal and a login in De Klok belong to the security log, not the history.
    assert not (await h.run("invitations.revoke", {"invitation_id": 999999}, hanne)).applied
    await h.sign_in(client, hanne)
    page = await client.get("/admin/audit")
    assert page.status_code == 200 and "History of De Klok" in page.text
    text = _text(_body(page.text))
    assert "Hanne Maes revoked the invitation of Zofia Nowak" in text
    assert "Hanne Maes gave Piet Peeters the role HR" in text
    assert "logged in" not in text and "refused" not in text
    assert "Vera" not in page.text and "Sven" not in page.text and "Flexa" not in page.text
    assert ">Log in<" not in page.text  # no security types in the filter
    # Another organisation's ids in the filters show nothing and name nothing.
    for query in (f"organisation={flexa}", f"actor={stranger}", "actor=sven@flexa.example"):
        response = await client.get(f"/admin/audit?{query}")
        assert response.status_code == 200, query
        assert _body(response.text) == "" and "Sven" not in response.text and "Vera" not in response.text
        assert "No events match these filters." in response.text


async def test_a_platform_admin_acting_in_an_organisation_is_not_named_to_it(client):
    klok = await h.org("De Klok", "de-klok")
    boss = await h.user("platform_admin", name="Bea Boss")
    unit = await h.run("admin.create_unit", {"organisation_id": klok, "name": "Hal", "kind": "site"}, boss)
    assert unit.applied
    await h.as_role(client, "org_admin", klok)
    text = _text(_body((await client.get("/admin/audit")).text))
    assert "A Werkpas administrator added the unit Hal" in text and "Bea" not in text


async def test_workers_and_consultants_never_see_the_log(client):
    klok = await h.org("De Klok", "de-klok")
    for role in ("consultant", "hr", "worker"):
        client.cookies.clear()
        await h.as_role(client, role, klok)
        response = await client.get("/admin/audit", follow_redirects=False)
        assert response.status_code in (403, 404), role


async def test_names_take_one_query_per_kind_not_per_row(monkeypatch):
    klok = await h.org("De Klok", "de-klok")
    hanne = await h.user("org_admin", klok, name="Hanne Maes")
    invites = [await invite(klok, last=f"Nowak{n}", first="Zofia", email=f"z{n}@example.be") for n in range(5)]
    rows = [
        {
            "actor_id": hanne,
            "organisation_id": klok,
            "type": "invitations.revoke",
            "target_type": "invitation",
            "target_id": str(invites[n % 5].id),
            "outcome": "applied",
            "channel": "web",
            "detail": "",
        }
        for n in range(50)
    ]
    calls: list[str] = []
    for name in ("_load_users", "_invitations", "_people", "_units", "_organisations"):
        original = getattr(audit_names.Names, name)

        async def counted(self, ids, _original=original, _name=name):
            calls.append(_name)
            return await _original(self, ids)

        monkeypatch.setattr(audit_names.Names, name, counted)
    await audit_names.describe(rows, frozenset({klok}))
    assert sorted(calls) == ["_invitations", "_load_users", "_organisations"]
    assert rows[0]["parts"]["target"].text == "Zofia Nowak0"


def test_every_command_type_has_its_own_sentence():
    """A command added without a wording would read as the generic "made a
    change" sentence: each one the app registers gets its own."""
    from app.domain.admin import history
    from app.domain.core.commands import specs
    from app.web.app import create_app

    create_app()  # registers every area's commands
    # Other tests register throwaway commands of their own; only the app's count.
    app_types = [spec.type for spec in specs() if spec.handler.__module__.startswith("app.")]
    assert len(app_types) > 20
    missing = [name for name in app_types if name not in history.WORDINGS]
    assert missing == []
