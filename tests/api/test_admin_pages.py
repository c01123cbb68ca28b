"""The admin panel's API keys: made (shown once), listed (prefix only) and
revoked by the organisation admin of that organisation and by the platform
admin; another organisation's keys answer 404."""

from __future__ import annotations

import re

from app.storage.api import ApiKey
from tests.admin import helpers as h
from tests.api.helpers import bearer, make_key
from tests.support.passport import agency

EN = {"accept-language": "en"}


def _shown_key(html: str) -> str:
    [key] = re.findall(r'value="(wpk_[0-9a-f]{12}_[A-Za-z0-9_-]{43})"', html)
    return key


async def test_an_organisation_admin_makes_a_key_sees_it_once_and_revokes_it(client):
    flexa = await agency("Flexa Interim", "flexa")
    await h.as_role(client, "org_admin", flexa)
    listing = await client.get("/admin/api-keys", headers=EN)
    assert listing.status_code == 200
    assert "This organisation has no API keys yet." in listing.text
    assert 'href="/admin/api-keys"' in (await client.get("/admin", headers=EN)).text  # in the menu

    made = await h.post_form(client, "/admin/api-keys", {"organisation_id": str(flexa), "name": "Payroll sync"})
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    key = _shown_key(made.text)
    assert "shown only this once" in made.text
    assert (await client.get("/api/v1/workers", headers=bearer(key))).status_code == 200

    listing = await client.get("/admin/api-keys", headers=EN)
    [row] = await ApiKey.select()
    assert "Payroll sync" in listing.text and f"wpk_{row['prefix']}_" in listing.text
    assert key not in listing.text

    confirm = await client.get(f"/admin/api-keys/{row['id']}/revoke", headers=EN)
    assert confirm.status_code == 200 and "Revoke the API key Payroll sync?" in confirm.text
    # Without the confirmation step, the page asks first.
    asked = await h.post_form(client, f"/admin/api-keys/{row['id']}/revoke", {"command_id": _command_id(confirm.text)})
    assert asked.status_code == 200 and (await ApiKey.select(ApiKey.revoked_at).first())["revoked_at"] is None
    revoked = await h.post_form(
        client,
        f"/admin/api-keys/{row['id']}/revoke",
        {"confirm": "yes", "command_id": _command_id(confirm.text)},
    )
    assert revoked.status_code == 303
    assert "was revoked" in (await client.get(revoked.headers["location"], headers=EN)).text
    assert (await client.get("/api/v1/workers", headers=bearer(key))).status_code == 401


def _command_id(html: str) -> str:
    return re.search(r'name="command_id" value="([^"]+)"', html).group(1)


async def test_the_same_form_sent_twice_makes_one_key_and_shows_it_once(client):
    flexa = await agency()
    await h.as_role(client, "org_admin", flexa)
    page = await client.get("/admin/api-keys", headers=EN)
    form = {"organisation_id": str(flexa), "name": "Sync", "command_id": _command_id(page.text)}
    first = await h.post_form(client, "/admin/api-keys", form)
    second = await h.post_form(client, "/admin/api-keys", form, headers=EN)
    assert _shown_key(first.text)
    assert second.status_code == 200 and "The key was already made" in second.text
    assert "wpk_" not in second.text.replace(f"wpk_{(await ApiKey.select().first())['prefix']}", "")
    assert await ApiKey.count() == 1


async def test_a_name_is_needed(client):
    flexa = await agency()
    await h.as_role(client, "org_admin", flexa)
    response = await h.post_form(client, "/admin/api-keys", {"organisation_id": str(flexa), "name": " "}, headers=EN)
    assert response.status_code == 422
    assert "Enter a name for the key" in response.text and 'aria-invalid="true"' in response.text
    assert await ApiKey.count() == 0


async def test_another_organisations_keys_answer_404(client):
    flexa, jobwerk = await agency("Flexa Interim", "flexa"), await agency("Jobwerk", "jobwerk")
    foreign_id, foreign_key = await make_key(flexa)
    await h.as_role(client, "org_admin", jobwerk)
    assert (await client.get(f"/admin/api-keys?organisation={flexa}")).status_code == 404
    assert (await client.get("/admin/api-keys?organisation=abc")).status_code == 404
    assert (await client.get(f"/admin/api-keys/{foreign_id}/revoke")).status_code == 404
    response = await h.post_form(client, f"/admin/api-keys/{foreign_id}/revoke", {"confirm": "yes"})
    assert response.status_code == 404
    response = await h.post_form(client, "/admin/api-keys", {"organisation_id": str(flexa), "name": "Mine now"})
    assert response.status_code == 404
    assert (await client.get(f"/admin/api-keys/{2**40}/revoke")).status_code == 404
    listing = await client.get("/admin/api-keys", headers=EN)
    assert "Jobwerk" in listing.text and "Flexa" not in listing.text
    assert (await client.get("/api/v1/workers", headers=bearer(foreign_key))).status_code == 200
    assert await ApiKey.count() == 1


async def test_only_admins_reach_the_page(client):
    flexa = await agency()
    await h.as_role(client, "consultant", flexa)
    assert (await client.get("/admin/api-keys")).status_code == 403


async def test_the_platform_admin_chooses_the_organisation(client):
    flexa, jobwerk = await agency("Flexa Interim", "flexa"), await agency("Jobwerk", "jobwerk")
    await make_key(jobwerk, "Jobwerk sync")
    await h.as_role(client, "platform_admin")
    first = await client.get("/admin/api-keys", headers=EN)
    assert 'name="organisation"' in first.text and "Keys of Flexa Interim" in first.text
    chosen = await client.get(f"/admin/api-keys?organisation={jobwerk}", headers=EN)
    assert "Keys of Jobwerk" in chosen.text and "Jobwerk sync" in chosen.text
    made = await h.post_form(client, "/admin/api-keys", {"organisation_id": str(flexa), "name": "Flexa sync"})
    assert _shown_key(made.text)


async def test_thirty_parallel_revocations_through_the_page_leave_one_audit_event(client):
    import asyncio
    import uuid

    from app.storage.tables import AuditEvent

    flexa = await agency()
    api_key_id, key = await make_key(flexa)
    await h.as_role(client, "org_admin", flexa)
    responses = await asyncio.gather(
        *(
            h.post_form(
                client, f"/admin/api-keys/{api_key_id}/revoke", {"confirm": "yes", "command_id": str(uuid.uuid4())}
            )
            for _ in range(30)
        )
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses.count(303) == 1 and statuses.count(422) == 29
    applied = await AuditEvent.select().where((AuditEvent.type == "api.revoke_key") & (AuditEvent.outcome == "applied"))
    assert len(applied) == 1
    assert (await client.get("/api/v1/workers", headers=bearer(key))).status_code == 401


async def test_the_history_tells_who_made_and_revoked_a_key(client):
    flexa = await agency()
    admin = await h.as_role(client, "org_admin", flexa, name="Ann Admin")
    made = await h.post_form(client, "/admin/api-keys", {"organisation_id": str(flexa), "name": "Sync"})
    key = _shown_key(made.text)
    [row] = await ApiKey.select(ApiKey.id)
    await h.post_form(client, f"/admin/api-keys/{row['id']}/revoke", {"confirm": "yes"})
    history = await client.get("/admin/audit", headers=EN)
    assert history.status_code == 200
    assert f'<a href="/admin/users/{admin}">Ann Admin</a> made an API key' in history.text
    assert f'<a href="/admin/users/{admin}">Ann Admin</a> revoked an API key' in history.text
    assert key[17:] not in history.text
