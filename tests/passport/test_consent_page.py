"""The worker's consent page ("who can see what"): grant, change and
withdraw per organisation, answer an organisation's request, receipts."""

from __future__ import annotations

import asyncio

from app.domain.core.commands import utcnow
from app.storage.passport import Consent, ConsentRecord, ConsentRequest
from tests.support.factories import login
from tests.support.passport import agency, consent_to, worker
from tests.support.registration import english, post

PASSWORD = "correct horse battery staple"


async def _signed_in(client, org: int, email: str = "wout@example.be") -> int:
    user_id = await worker(email, org=org, password=PASSWORD)
    english(client)
    assert (await login(client, email, PASSWORD)).status_code == 303
    return user_id


async def _categories(user_id: int, org: int) -> set[str]:
    rows = await Consent.select(Consent.category).where((Consent.user == user_id) & (Consent.organisation == org))
    return {row["category"] for row in rows}


async def test_the_page_lists_joined_organisations_and_saves_a_choice(client):
    flexa = await agency()
    wout = await _signed_in(client, flexa)
    page = await client.get("/passport/consent")
    assert page.status_code == 200 and "Flexa Interim" in page.text and "Sees nothing of your passport." in page.text

    response = await post(
        client, f"/passport/consent/{flexa}", {"categories": ["identity", "skills"], "purpose": "staffing"}
    )
    assert response.status_code == 303
    assert await _categories(wout, flexa) == {"identity", "skills"}
    page = await client.get("/passport/consent")
    assert "Sees now:" in page.text and "Identity, Skills" in page.text
    [receipt] = await ConsentRecord.select()
    assert receipt["action"] == "grant" and receipt["channel"] == "web" and receipt["notice_version"]
    detail = await client.get(f"/passport/consent/receipts/{receipt['receipt']}")
    assert detail.status_code == 200 and "Flexa Interim" in detail.text
    record = (await client.get(f"/passport/consent/receipts/{receipt['receipt']}/json")).json()
    assert record["state"] == "given" and record["pii_controller"]["name"] == "Flexa Interim"
    assert record["purposes"][0]["pii_categories"] == ["identity", "skills"]
    assert record["purposes"][0]["legal_basis"] == "consent" and record["notice"]["version"]

    # Change: untick identity; withdraw: nothing left; receipts are kept.
    await post(client, f"/passport/consent/{flexa}", {"categories": ["skills"], "purpose": "staffing"})
    assert await _categories(wout, flexa) == {"skills"}
    assert (await post(client, f"/passport/consent/{flexa}/withdraw")).status_code == 303
    assert await _categories(wout, flexa) == set()
    actions = [row["action"] for row in await ConsentRecord.select().order_by(ConsentRecord.id)]
    assert actions == ["grant", "change", "withdraw"]


async def test_unknown_category_or_purpose_is_refused_inline_and_saves_nothing(client):
    flexa = await agency()
    wout = await _signed_in(client, flexa)
    response = await post(client, f"/passport/consent/{flexa}", {"categories": ["salary"], "purpose": "staffing"})
    assert response.status_code == 422 and "from the list" in response.text
    response = await post(client, f"/passport/consent/{flexa}", {"categories": ["identity"], "purpose": "marketing"})
    assert response.status_code == 422 and "purpose" in response.text
    assert await _categories(wout, flexa) == set() and await ConsentRecord.count() == 0


async def test_an_organisation_one_did_not_join_is_404_and_nothing_stored(client):
    flexa, other = await agency(), await agency("Other Interim")
    await _signed_in(client, flexa)
    for path in (f"/passport/consent/{other}", f"/passport/consent/{other}/withdraw", "/passport/consent/99999999999"):
        response = await post(client, path, {"categories": ["identity"], "purpose": "staffing"})
        assert response.status_code == 404, path
    assert await Consent.count() == 0 and await ConsentRecord.count() == 0
    assert "Other Interim" not in (await client.get("/passport/consent")).text


async def test_another_workers_receipt_is_404(client):
    flexa = await agency()
    other = await worker("other@example.be", org=flexa)
    await consent_to(other, flexa, ["identity"])
    receipt = (await ConsentRecord.select().first())["receipt"]
    await _signed_in(client, flexa)
    assert (await client.get(f"/passport/consent/receipts/{receipt}")).status_code == 404
    assert (await client.get(f"/passport/consent/receipts/{receipt}/json")).status_code == 404
    assert (await client.get("/passport/consent/receipts/not-a-uuid")).status_code == 404


async def _request(user_id: int, org: int, categories: str) -> int:
    rows = await ConsentRequest.insert(
        ConsentRequest(user=user_id, organisation=org, categories=categories, purpose="staffing", created_at=utcnow())
    )
    return rows[0]["id"]


async def test_a_request_is_accepted_narrowed_or_refused(client):
    flexa = await agency()
    wout = await _signed_in(client, flexa)
    await consent_to(wout, flexa, ["identity"])
    request_id = await _request(wout, flexa, "contact,certificates")
    page = await client.get("/passport/consent")
    assert "Flexa Interim asks to see: Contact, Certificates and licences" in page.text

    await post(client, f"/passport/requests/{request_id}", {"answer": "accept", "categories": ["contact"]})
    assert await _categories(wout, flexa) == {"identity", "contact"}
    row = await ConsentRequest.select().where(ConsentRequest.id == request_id).first()
    assert row["status"] == "narrowed" and row["answered_at"] is not None
    # Answered once: a second answer changes nothing.
    await post(client, f"/passport/requests/{request_id}", {"answer": "accept", "categories": ["certificates"]})
    assert await _categories(wout, flexa) == {"identity", "contact"}

    refused = await _request(wout, flexa, "bank")
    await post(client, f"/passport/requests/{refused}", {"answer": "refuse"})
    assert (await ConsentRequest.select().where(ConsentRequest.id == refused).first())["status"] == "refused"
    assert await _categories(wout, flexa) == {"identity", "contact"}


async def test_accepting_more_than_was_asked_is_refused(client):
    flexa = await agency()
    wout = await _signed_in(client, flexa)
    request_id = await _request(wout, flexa, "contact")
    await post(client, f"/passport/requests/{request_id}", {"answer": "accept", "categories": ["contact", "bank"]})
    assert await _categories(wout, flexa) == set()
    assert (await ConsentRequest.select().where(ConsentRequest.id == request_id).first())["status"] == "open"


async def test_another_workers_request_is_404(client):
    flexa = await agency()
    other = await worker("other@example.be", org=flexa)
    request_id = await _request(other, flexa, "contact")
    await _signed_in(client, flexa)
    response = await post(client, f"/passport/requests/{request_id}", {"answer": "accept"})
    assert response.status_code == 404
    assert await Consent.count() == 0


async def test_thirty_parallel_grants_leave_one_consent_per_category(client):
    flexa = await agency()
    wout = await _signed_in(client, flexa)
    await client.get("/passport/consent")
    results = await asyncio.gather(
        *(
            post(client, f"/passport/consent/{flexa}", {"categories": ["identity", "contact"], "purpose": "staffing"})
            for _ in range(30)
        )
    )
    assert all(r.status_code in (303, 422) for r in results)
    assert await Consent.count() == 2 and await _categories(wout, flexa) == {"identity", "contact"}
