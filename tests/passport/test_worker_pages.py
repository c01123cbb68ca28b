"""The worker's own passport pages over HTTP: the overview (sources,
masked numbers, expiry marks), the single-valued forms and the list
categories. Every invalid form answers 422 with inline errors and stores
nothing; another worker's entry answers 404 and changes nothing."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from app.storage.passport import PassportField, PassportItem
from tests.conftest import csrf
from tests.support.factories import login
from tests.support.passport import IDENTITY, agency, do, worker
from tests.support.registration import english


async def signed_in(client, email: str = "wout@example.be") -> int:
    org = await agency(slug=f"org-{email.split('@')[0]}")
    user_id = await worker(email, org=org, onboarded_at=datetime.now(UTC))
    assert (await login(client, email)).status_code == 303
    english(client)
    await client.get("/passport")
    return user_id


async def send(client, path: str, data: dict | list):
    pairs = list(data.items()) if isinstance(data, dict) else list(data)
    pairs.append(("_csrf_token", csrf(client)))
    return await client.post(path, data=pairs, follow_redirects=False)


async def fields_of(user_id: int, category: str) -> dict[str, str]:
    rows = await PassportField.select().where((PassportField.user == user_id) & (PassportField.category == category))
    return {row["name"]: row["value"] for row in rows}


async def items_of(user_id: int, category: str | None = None) -> list[dict]:
    where = PassportItem.user == user_id
    if category:
        where = where & (PassportItem.category == category)
    return await PassportItem.select().where(where).order_by(PassportItem.id)


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


# -- the overview ---------------------------------------------------------


async def test_every_page_of_the_worker_opens(client):
    await signed_in(client)
    for path in (
        "/passport",
        "/passport/identity",
        "/passport/contact",
        "/passport/address",
        "/passport/bank",
        "/passport/preferences",
        "/passport/mobility",
        "/passport/availability",
        "/passport/documents",
        *(f"/passport/{category}/new" for category in ("education", "training", "certificates", "skills", "languages")),
    ):
        response = await client.get(path)
        assert response.status_code == 200, path
    assert (await client.get("/passport/identity/new")).status_code == 404
    assert (await client.get("/passport/nothing/new")).status_code == 404


async def test_the_overview_shows_sources_and_masks_the_numbers(client):
    user_id = await signed_in(client)
    assert (await do("passport.save_identity", IDENTITY, user_id)).applied
    assert (await do("passport.save_bank", {"iban": "BE71 0961 2345 6769"}, user_id)).applied
    verifier = await agency("Flexa Interim", slug="flexa")
    await PassportField.update(
        {PassportField.verified_by: verifier, PassportField.verified_at: datetime(2026, 3, 5, 10, tzinfo=UTC)}
    ).where((PassportField.user == user_id) & (PassportField.name == "last_name"))

    page = (await client.get("/passport")).text
    assert "Wout" in page and "De Smet" in page and "14/02/1990" in page
    # Masked, with the last digits; never the full number on the overview.
    assert "••.••.••-•••.26" in page and "BE •••• 6769" in page
    for full in ("90.02.14-003.26", "90021400326", "BE71 0961 2345 6769", "BE71096123456769"):
        assert full not in page
    assert "Source: You" in page
    assert "Verified by Flexa Interim, 05/03/2026" in page
    # Edit for a filled category, Add for an empty one.
    assert re.search(r'href="/passport/identity">Edit', page)
    assert re.search(r'href="/passport/contact">Add', page)
    assert "Your passport is still empty" not in page


async def test_the_overview_marks_expired_and_soon_expiring_certificates(client):
    user_id = await signed_in(client)
    today = date.today()
    for kind, expires in (("forklift", today - timedelta(days=1)), ("vca_basic", today + timedelta(days=20)),
                          ("adr", today + timedelta(days=400))):  # fmt: skip
        outcome = await do(
            "passport.add_item",
            {"category": "certificates", "kind": kind, "issued_on": "01/01/2020", "expires_on": day(expires)},
            user_id,
        )
        assert outcome.applied, outcome.errors
    page = (await client.get("/passport")).text
    forklift = page[page.index("Forklift") :][:600]
    assert "Expired" in forklift and f"Expired on {day(today - timedelta(days=1))}" in forklift
    vca = page[page.index("VCA basic") :][:600]
    assert "Expires soon" in vca and "Expired" not in vca
    adr = page[page.index("ADR (dangerous goods)") :][:600]
    assert "Expires soon" not in adr and "Expired" not in adr and "Valid until" in adr
