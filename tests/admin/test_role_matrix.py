"""Each role against each admin route: allowed, 403, or (anonymous) off to /login."""

import pytest

from app.storage.tables import Job
from tests.admin import helpers as h

# name: (method, path, status when allowed). POSTs send forms that are
# refused on their content (422), so an allowed request proves it reached
# the handler without depending on earlier requests.
ROUTES = {
    "panel": ("GET", "/admin", 200),
    "organisations": ("GET", "/admin/organisations", 200),
    "organisation_new": ("GET", "/admin/organisations/new", 200),
    "organisation": ("GET", "/admin/organisations/{org}", 200),
    "organisation_create": ("POST", "/admin/organisations", 422),
    "organisation_update": ("POST", "/admin/organisations/{org}", 422),
    "units": ("GET", "/admin/units", 200),
    "unit": ("GET", "/admin/units/{unit}", 200),
    "unit_delete_confirm": ("GET", "/admin/units/{unit}/delete", 303),
    "unit_create": ("POST", "/admin/units", 422),
    "unit_rename": ("POST", "/admin/units/{unit}", 422),
    "unit_delete": ("POST", "/admin/units/{unit}/delete", 422),
    "users": ("GET", "/admin/users", 200),
    "user_new": ("GET", "/admin/users/new", 200),
    "user": ("GET", "/admin/users/{user}", 200),
    "user_create": ("POST", "/admin/users", 422),
    "user_update": ("POST", "/admin/users/{user}", 422),
    "grant": ("POST", "/admin/users/{user}/grants", 422),
    # Without "confirm" both ask first (a page, 200).
    "revoke_confirm": ("GET", "/admin/users/{user}/grants/{grant}/revoke", 200),
    "revoke": ("POST", "/admin/users/{user}/grants/{grant}/revoke", 200),
    "deactivate_confirm": ("GET", "/admin/users/{user}/deactivate", 200),
    "deactivate": ("POST", "/admin/users/{user}/deactivate", 200),
    "reactivate": ("POST", "/admin/users/{user}/reactivate", 422),
    "resend": ("POST", "/admin/users/{user}/resend", 422),
    "audit": ("GET", "/admin/audit", 200),
    "jobs": ("GET", "/admin/jobs", 200),
    "job_retry": ("POST", "/admin/jobs/{job}/retry", 303),
    # The command catalogue (not one of Litestar's public /schema pages).
    "commands_schema": ("GET", "/schema/commands.json", 200),
}

PLATFORM_ONLY = {
    "organisations",
    "organisation_new",
    "organisation",
    "organisation_create",
    "organisation_update",
    "jobs",
    "job_retry",
    "commands_schema",
}
ALLOWED = {
    "platform_admin": set(ROUTES),
    "org_admin": set(ROUTES) - PLATFORM_ONLY,
    "consultant": set(),
    "hr": set(),
    "team_lead": set(),
    "planner": set(),
    "ambassador": set(),
    "worker": set(),
    "anonymous": set(),
}


async def _world():
    organisation = await h.org("Acme", "acme")
    site = await h.unit(organisation, "Gent")
    target = await h.user(organisation=organisation, email="target@example.be")
    grant = await h.grant(target, "hr", organisation, site)
    job = (
        await Job.insert(Job(kind="mail.send", payload="{}", status="queued", due_at=h._now(), created_at=h._now()))
    )[0]["id"]
    return {"org": organisation, "unit": site, "user": target, "grant": grant, "job": job}


@pytest.mark.parametrize("role", list(ALLOWED))
async def test_role_matrix(client, role):
    world = await _world()
    if role != "anonymous":
        await h.as_role(
            client, role, world["org"], unit_id=world["unit"] if role in ("team_lead", "ambassador") else None
        )
    results = {}
    for name, (method, template, allowed_status) in ROUTES.items():
        path = template.format(**world)
        if method == "GET":
            response = await client.get(path, follow_redirects=False)
        else:
            response = await h.post_form(client, path, {"organisation_id": world["org"], "name": ""})
        if name in ALLOWED[role]:
            expected = allowed_status
        elif role == "anonymous":
            expected = 303
            assert response.headers["location"].startswith("/login?next="), name
        else:
            expected = 403
        results[name] = (response.status_code, expected)
    wrong = {name: got for name, got in results.items() if got[0] != got[1]}
    assert wrong == {}, f"{role}: (got, expected) {wrong}"
