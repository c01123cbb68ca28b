"""Security review of issue 10 (branch `attack`): forged ids, consent
timing, who may change whom, parallel requests, hostile input.

Tests marked DEFECT fail on main: each documents a real defect (see the
review report). Every other test passes and documents a defence that holds."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.storage.passport import (
    AccessLogEntry,
    Consent,
    ConsentRecord,
    ConsentRequest,
    Document,
    PassportField,
    PassportItem,
)
from app.storage.tables import RoleGrant, User
from tests.admin import helpers as h
from tests.conftest import csrf
from tests.passport.test_documents import pdf, upload
from tests.support.accounts import another_client
from tests.support.factories import login, make_user
from tests.support.passport import IDENTITY, agency, consent_to, do, worker

ADDRESS = {"street": "Veldstraat", "house_number": "1", "postcode": "9000", "town": "Gent"}


def _now() -> datetime:
    return datetime.now(UTC)


async def _world():
    flexa = await agency("Flexa Interim", "flexa")
    jobwerk = await agency("Jobwerk", "jobwerk")
    wout = await worker("wout@example.be", org=flexa, onboarded_at=_now())
    lotte = await worker("lotte@example.be", org=jobwerk, display_name="Lotte Vermeulen", onboarded_at=_now())
    assert (await do("passport.save_identity", IDENTITY, wout)).applied
    assert (await do("passport.save_address", ADDRESS, wout)).applied
    assert (await do("passport.save_bank", {"iban": "BE71 0961 2345 6769"}, wout)).applied
    return flexa, jobwerk, wout, lotte


async def _form(client, url: str, data: dict | list, **kwargs):
    if not client.cookies.get("werkpas_csrf"):
        await client.get("/login")
    if isinstance(data, dict):
        data = {**data, "_csrf_token": csrf(client), "command_id": str(uuid.uuid4())}
    else:
        merged: dict[str, list[str]] = {}
        for key, value in [*data, ("_csrf_token", csrf(client)), ("command_id", str(uuid.uuid4()))]:
            merged.setdefault(key, []).append(value)
        data = merged
    return await client.post(url, data=data, follow_redirects=False, **kwargs)


async def _snapshot() -> tuple:
    return (
        await Consent.select().order_by(Consent.id),
        await ConsentRecord.count(),
        await ConsentRequest.select().order_by(ConsentRequest.id),
        await PassportItem.select().order_by(PassportItem.id),
        await Document.select().order_by(Document.id),
    )


# -- another organisation's / another worker's ids ----------------------------------


async def test_another_agencys_consultant_gets_404_everywhere_and_learns_nothing(client):
    flexa, jobwerk, wout, _lotte = await _world()
    await consent_to(wout, flexa, ["identity", "documents", "address"])
    await h.as_role(client, "consultant", jobwerk)
    before = await _snapshot()
    logged = await AccessLogEntry.count()
    for url in (
        f"/consultant/workers/{wout}",
        f"/consultant/workers/{wout}?organisation={flexa}",
        f"/consultant/workers?organisation={flexa}",
        f"/consultant/workers/{wout}/documents/1",
        f"/consultant/workers/{wout}/documents/1?organisation={flexa}",
        "/consultant/workers/99999999",
        "/consultant/workers/0",
    ):
        response = await client.get(url)
        assert response.status_code == 404, url
        assert "Wout" not in response.text and "Gent" not in response.text
    listing = await client.get("/consultant/workers?name=wout")
    assert listing.status_code == 200 and "Wout" not in listing.text
    for org_field in (str(flexa), str(jobwerk), ""):
        response = await _form(
            client,
            f"/consultant/workers/{wout}/requests",
            [("organisation_id", org_field), ("categories", "bank"), ("purpose", "staffing")],
        )
        assert response.status_code == 404, org_field
    assert await _snapshot() == before
    assert await AccessLogEntry.count() == logged


async def test_a_consultant_cannot_download_a_document_of_another_worker_through_a_consenting_one(client):
    flexa, _jobwerk, wout, _lotte = await _world()
    other = await worker("other@example.be", org=flexa, onboarded_at=_now())
    await consent_to(wout, flexa, ["documents"])
    await consent_to(other, flexa, ["identity"])  # not documents
    await h.as_role(client, "consultant", flexa)
    # Upload a document for the non-sharing worker, then ask for it through Wout's id.
    async with another_client(client._transport.app, 50002) as browser:  # type: ignore[attr-defined]
        assert (await login(browser, "other@example.be")).status_code == 303
        await browser.get("/passport")
        assert (await upload(browser, "secret.pdf", pdf(b"secret"))).status_code == 303
    secret = (await Document.select(Document.id).where(Document.user == other).first())["id"]
    assert (await client.get(f"/consultant/workers/{wout}/documents/{secret}")).status_code == 404
    assert (await client.get(f"/consultant/workers/{other}/documents/{secret}")).status_code == 404


async def test_a_worker_cannot_touch_another_workers_items_documents_requests_or_receipts(client, app):
    flexa, jobwerk, wout, lotte = await _world()
    await consent_to(wout, flexa, ["identity"])
    item = await do(
        "passport.add_item", {"category": "skills", "name": "Welding", "kind": "", "level": "beginner"}, wout
    )
    item_id = item.ids.get("item_id") if item.applied else None
    asked = await do(
        "passport.request_consent",
        {"user_id": wout, "organisation_id": flexa, "categories": ["bank"], "purpose": "staffing"},
        None,
        channel="cli",
    )
    assert asked.applied, asked.errors
    request_id = asked.ids["request_id"]
    receipt = (await ConsentRecord.select(ConsentRecord.receipt).first())["receipt"]
    async with another_client(app, 50003) as browser:
        assert (await login(browser, "wout@example.be")).status_code == 303
        await browser.get("/passport")
        assert (await upload(browser, "mine.pdf", pdf(b"mine"))).status_code == 303
    doc_id = (await Document.select(Document.id).where(Document.user == wout).first())["id"]

    assert (await login(client, "lotte@example.be")).status_code == 303
    await client.get("/passport")
    before = await _snapshot()
    gets = [
        f"/passport/documents/{doc_id}/file",
        f"/passport/documents/{doc_id}/remove",
        f"/passport/consent/receipts/{receipt}",
        f"/passport/consent/receipts/{receipt}/json",
    ]
    if item_id:
        gets += [f"/passport/items/{item_id}/edit", f"/passport/items/{item_id}/remove"]
    for url in gets:
        assert (await client.get(url)).status_code == 404, url
    posts = [
        (f"/passport/documents/{doc_id}/remove", {}),
        (f"/passport/requests/{request_id}", {"answer": "accept"}),
        (f"/passport/requests/{request_id}", {"answer": "refuse"}),
        (f"/passport/consent/{flexa}", {"categories": "bank", "purpose": "staffing"}),
        (f"/passport/consent/{flexa}/withdraw", {}),
    ]
    if item_id:
        posts += [
            (f"/passport/items/{item_id}/edit", {"name": "Hacked"}),
            (f"/passport/items/{item_id}/remove", {}),
        ]
    for url, data in posts:
        response = await _form(client, url, data)
        assert response.status_code in (303, 404, 422), (url, response.status_code)
    # An item pointing at Wout's document: refused.
    response = await _form(client, "/passport/training/new", {"name": "Course", "document_id": str(doc_id)})
    assert response.status_code in (404, 422)
    assert await _snapshot() == before
    assert (await ConsentRequest.select(ConsentRequest.status).first())["status"] == "open"
    del jobwerk, lotte


async def test_a_worker_cannot_consent_to_an_organisation_they_did_not_join(client):
    _flexa, jobwerk, _wout, _lotte = await _world()
    assert (await login(client, "wout@example.be")).status_code == 303
    await client.get("/passport")
    before = await _snapshot()
    for org in (jobwerk, 99999999, 0):
        response = await _form(client, f"/passport/consent/{org}", {"categories": "identity", "purpose": "staffing"})
        assert response.status_code == 404, org
        assert "Jobwerk" not in response.text
    assert await _snapshot() == before


async def test_an_org_admin_or_consultant_cannot_act_on_a_workers_consent_or_passport(client):
    flexa, _jobwerk, wout, _lotte = await _world()
    await consent_to(wout, flexa, ["identity"])
    before = await _snapshot()
    fields_before = await PassportField.select().order_by(PassportField.id)
    for role in ("org_admin", "consultant"):
        async with another_client(client._transport.app, 50004 if role == "org_admin" else 50005) as browser:  # type: ignore[attr-defined]
            await h.as_role(browser, role, flexa)
            for url, data in (
                (f"/passport/consent/{flexa}", {"categories": "bank", "purpose": "payroll", "user_id": str(wout)}),
                (f"/passport/consent/{flexa}/withdraw", {"user_id": str(wout)}),
                ("/passport/identity", {**IDENTITY, "first_name": "Hacked", "user_id": str(wout)}),
                ("/passport/data/erase", {"confirm": "ERASE", "secret": "x", "user_id": str(wout)}),
                ("/passport/data/close", {"confirm": "yes", "secret": "x", "user_id": str(wout)}),
            ):
                response = await _form(browser, url, data)
                assert response.status_code < 500, (role, url)
    assert await _snapshot() == before
    assert await PassportField.select().order_by(PassportField.id) == fields_before
    assert (await User.select(User.is_active).where(User.id == wout).first())["is_active"]


async def test_a_platform_admin_sees_no_workers_passport_and_cannot_erase_one(client):
    flexa, _jobwerk, wout, _lotte = await _world()
    await consent_to(wout, flexa, ["identity", "bank"])
    await h.as_role(client, "platform_admin")
    for url in (f"/consultant/workers/{wout}", f"/consultant/workers?organisation={flexa}"):
        assert (await client.get(url)).status_code in (403, 404), url
    export = await client.get("/passport/data/export.json")
    assert "De Smet" not in export.text and "0961" not in export.text
    assert (await User.select(User.is_active).where(User.id == wout).first())["is_active"]
    assert await AccessLogEntry.count() == 0


# -- consent: withdrawal, expiry, filters -------------------------------------------


async def _consultant_with_doc(client, app):
    flexa, _jobwerk, wout, _lotte = await _world()
    await consent_to(wout, flexa, ["identity", "documents", "address"])
    async with another_client(app, 50006) as browser:
        assert (await login(browser, "wout@example.be")).status_code == 303
        await browser.get("/passport")
        assert (await upload(browser, "vca.pdf", pdf(b"vca"))).status_code == 303
    doc_id = (await Document.select(Document.id).where(Document.user == wout).first())["id"]
    await h.as_role(client, "consultant", flexa)
    urls = {
        "detail": f"/consultant/workers/{wout}",
        "doc": f"/consultant/workers/{wout}/documents/{doc_id}",
        "list": "/consultant/workers",
        "town": "/consultant/workers?town=Gent",
    }
    for name, url in urls.items():
        response = await client.get(url)
        assert response.status_code == 200, name
    assert "Wout" in (await client.get(urls["list"])).text
    assert "Wout" in (await client.get(urls["town"])).text
    return flexa, wout, urls


@pytest.mark.parametrize("how", ["withdraw", "narrow", "expire"])
async def test_withdrawal_or_expiry_counts_at_the_very_next_request(client, app, how):
    flexa, wout, urls = await _consultant_with_doc(client, app)
    if how == "withdraw":
        assert (await do("passport.withdraw_consent", {"organisation_id": flexa}, wout)).applied
    elif how == "narrow":
        await consent_to(wout, flexa, ["availability"])
    else:
        await Consent.update({Consent.expires_at: _now() - timedelta(seconds=1)}).where(Consent.user == wout)
    logged = await AccessLogEntry.count()
    detail = await client.get(urls["detail"])
    if how == "narrow":
        assert detail.status_code == 200
        assert "De Smet" not in detail.text and "Gent" not in detail.text and "vca.pdf" not in detail.text
    else:
        assert detail.status_code == 404
    assert (await client.get(urls["doc"])).status_code == 404
    assert "De Smet" not in (await client.get(urls["list"])).text
    assert "Wout" not in (await client.get(urls["town"])).text
    assert "Wout" not in (await client.get("/consultant/workers?name=wout")).text
    # Only the narrowed read (availability) was logged.
    assert await AccessLogEntry.count() - logged <= (2 if how == "narrow" else 0)
    for entry in await AccessLogEntry.select().where(AccessLogEntry.id > logged):
        assert entry["categories"] == "availability"


async def test_filters_never_reveal_an_unconsented_value_in_count_or_order(client):
    flexa, _jobwerk, wout, _lotte = await _world()
    other = await worker("other@example.be", org=flexa, display_name="Ann Peeters")
    assert (await do("passport.save_identity", {**IDENTITY, "first_name": "Ann", "national_number": ""}, other)).applied
    await consent_to(wout, flexa, ["identity"])  # lives in Gent, shares no address
    await consent_to(other, flexa, ["identity"])
    await h.as_role(client, "consultant", flexa, language="en")
    for query in (
        "town=Gent",
        "town=ge",  # short: the non-selective path
        "town=G",
        "town=gent&name=wout",
        "name=wout&town=9000",
        "town=%25",
        "town=_",
        "town=Gent&page=2",
        "name=w&town=g",
        "town=veldstraat",
    ):
        response = await client.get(f"/consultant/workers?{query}")
        assert response.status_code == 200, query
        assert "Wout" not in response.text, query
        assert "1 worker" not in response.text, query


async def test_a_worker_whose_membership_ended_is_no_longer_visible(client, app):
    """Found by this review (fixed): the Consent rows outlived the worker's
    role in the organisation. Now consent counts only while the worker
    belongs to it, even when the role row vanishes some other way than
    admin.revoke_role (which also withdraws it, tested below)."""
    flexa, _jobwerk, wout, _lotte = await _world()
    await consent_to(wout, flexa, ["identity", "bank"])
    await RoleGrant.delete().where((RoleGrant.user == wout) & (RoleGrant.organisation == flexa))
    assert (await login(client, "wout@example.be")).status_code == 303
    await client.get("/passport")
    withdrawn = await _form(client, f"/passport/consent/{flexa}/withdraw", {})
    async with another_client(app, 50007) as consultant:
        await h.as_role(consultant, "consultant", flexa)
        seen = await consultant.get(f"/consultant/workers/{wout}")
    # Either the worker could withdraw, or the consent ended with the membership.
    assert withdrawn.status_code == 303 or seen.status_code == 404, (withdrawn.status_code, seen.status_code)
    assert seen.status_code == 404, "the agency still reads the passport of a worker who left it"


async def test_accepting_a_payroll_request_for_one_category_does_not_unmask_the_others(client):
    """Found by this review (fixed): answer_request re-consented every
    category already shared under the request's purpose. Wout shares identity for staffing (national number
    masked); Flexa asks for bank with purpose payroll; accepting it turns
    identity's purpose into payroll too, and the national number is then
    shown in full to the consultant and the API, though the worker never
    agreed to that for identity."""
    flexa, _jobwerk, wout, _lotte = await _world()
    await consent_to(wout, flexa, ["identity"], purpose="staffing")
    asked = await do(
        "passport.request_consent",
        {"user_id": wout, "organisation_id": flexa, "categories": ["bank"], "purpose": "payroll"},
        None,
        channel="cli",
    )
    assert asked.applied, asked.errors
    answered = await do("passport.answer_request", {"request_id": asked.ids["request_id"], "answer": "accept"}, wout)
    assert answered.applied, answered.errors
    purposes = {row["category"]: row["purpose"] for row in await Consent.select().where(Consent.user == wout)}
    await h.as_role(client, "consultant", flexa)
    detail = await client.get(f"/consultant/workers/{wout}")
    assert detail.status_code == 200
    assert "90021400326" not in detail.text.replace(".", "").replace("-", "").replace(" ", "")
    assert purposes["identity"] == "staffing", purposes
    assert purposes["bank"] == "payroll", purposes


async def test_revoking_the_worker_role_withdraws_the_consent_with_a_receipt(client):
    from app.storage.passport import ConsentRecord

    flexa, _jobwerk, wout, _lotte = await _world()
    await consent_to(wout, flexa, ["identity", "bank"])
    [grant_row] = await RoleGrant.select().where((RoleGrant.user == wout) & (RoleGrant.organisation == flexa))
    await User.update({User.organisation: flexa}).where(User.id == wout)  # the account Flexa made
    admin = await make_user("orgadmin@flexa.test", role="org_admin", org=flexa)
    revoked = await do("admin.revoke_role", {"grant_id": grant_row["id"]}, admin)
    assert revoked.applied, revoked.errors
    assert await Consent.count().where(Consent.user == wout) == 0
    [last] = (
        await ConsentRecord.select()
        .where(ConsentRecord.subject_id == wout)
        .order_by(ConsentRecord.id, ascending=False)
        .limit(1)
    )
    assert last["action"] == "withdraw" and last["categories"] == "identity,bank"


# -- parallel requests ---------------------------------------------------------------


async def _signed_in_worker(client, flexa: int) -> None:
    assert (await login(client, "wout@example.be")).status_code == 303
    await client.get("/passport")


async def test_30_parallel_consent_changes_keep_one_consistent_consent(client):
    flexa, _jobwerk, wout, _lotte = await _world()
    await _signed_in_worker(client, flexa)
    choices = [["identity"], ["identity", "contact"], [], ["address", "skills"], ["bank"]]
    responses = await asyncio.gather(
        *(
            _form(
                client,
                f"/passport/consent/{flexa}",
                [("purpose", "staffing"), *(("categories", c) for c in choices[n % len(choices)])],
            )
            for n in range(30)
        )
    )
    assert all(r.status_code in (303, 409, 422) for r in responses), [r.status_code for r in responses]
    rows = await Consent.select().where(Consent.user == wout)
    assert len({row["receipt"] for row in rows}) <= 1
    assert len({row["category"] for row in rows}) == len(rows)
    if rows:
        receipt = await ConsentRecord.select().where(ConsentRecord.receipt == rows[0]["receipt"]).first()
        assert sorted(receipt["categories"].split(",")) == sorted(row["category"] for row in rows)


async def test_30_parallel_answers_to_one_request_apply_once(client):
    flexa, _jobwerk, wout, _lotte = await _world()
    await consent_to(wout, flexa, ["identity"])
    asked = await do(
        "passport.request_consent",
        {"user_id": wout, "organisation_id": flexa, "categories": ["bank", "contact"], "purpose": "staffing"},
        None,
        channel="cli",
    )
    await _signed_in_worker(client, flexa)
    records = await ConsentRecord.count()
    responses = await asyncio.gather(
        *(
            _form(client, f"/passport/requests/{asked.ids['request_id']}", {"answer": "accept" if n % 2 else "refuse"})
            for n in range(30)
        )
    )
    assert all(r.status_code in (303, 409) for r in responses), [r.status_code for r in responses]
    request = await ConsentRequest.select().first()
    assert request["status"] in ("accepted", "refused")
    assert await ConsentRecord.count() - records == (1 if request["status"] == "accepted" else 0)


async def test_30_parallel_requests_for_consent_leave_one_open_request(client):
    flexa, _jobwerk, wout, _lotte = await _world()
    await consent_to(wout, flexa, ["identity"])
    await h.as_role(client, "consultant", flexa)
    await client.get(f"/consultant/workers/{wout}")
    cats = ["bank", "contact", "address", "skills"]
    responses = await asyncio.gather(
        *(
            _form(
                client,
                f"/consultant/workers/{wout}/requests",
                [("organisation_id", str(flexa)), ("purpose", "staffing"), ("categories", cats[n % 4])],
            )
            for n in range(30)
        )
    )
    assert all(r.status_code in (303, 409, 422) for r in responses), [r.status_code for r in responses]
    assert await ConsentRequest.count().where(ConsentRequest.status == "open") == 1


async def test_30_parallel_item_adds_stop_at_the_limit_of_50(client):
    flexa, _jobwerk, wout, _lotte = await _world()
    for n in range(40):
        assert (
            await do(
                "passport.add_item", {"category": "skills", "name": f"Skill {n}", "kind": "", "level": "beginner"}, wout
            )
        ).applied
    await _signed_in_worker(client, flexa)
    responses = await asyncio.gather(
        *(_form(client, "/passport/skills/new", {"name": f"Parallel {n}", "level": "beginner"}) for n in range(30))
    )
    assert all(r.status_code in (303, 409, 422) for r in responses), [r.status_code for r in responses]
    assert await PassportItem.count().where(PassportItem.user == wout) == 50


async def test_30_parallel_erasures_erase_once_without_error(client):
    flexa, _jobwerk, wout, _lotte = await _world()
    await consent_to(wout, flexa, ["identity"])
    await _signed_in_worker(client, flexa)
    responses = await asyncio.gather(
        *(
            _form(client, "/passport/data/erase", {"confirm": "WISSEN", "secret": "correct horse battery staple"})
            for _ in range(30)
        )
    )
    assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]
    assert any(r.status_code == 303 for r in responses), [r.status_code for r in responses]
    assert await Consent.count().where(Consent.user == wout) == 0
    assert await PassportField.count().where(PassportField.user == wout) == 0
    assert not (await User.select(User.is_active).where(User.id == wout).first())["is_active"]


# -- hostile input -------------------------------------------------------------------

ODD = [
    "a\x00b",
    "x" * 100_000,
    "\u202eevil\u202c",
    "\u200b\u200b",
    "e\u0301" * 50,
    "😀" * 300,
    "\ufeff",
    "<script>alert(1)</script>",
    "\r\n\t",
]
FORMS = {
    "/passport/identity": ["first_name", "last_name", "birth_date", "national_number"],
    "/passport/contact": ["email", "mobile"],
    "/passport/address": ["street", "house_number", "postcode", "town"],
    "/passport/bank": ["iban"],
    "/passport/skills/new": ["name", "level", "kind"],
    "/passport/preferences": ["jobs", "sectors", "regimes", "max_distance_km"],
    "/passport/availability": ["days", "from_date", "note"],
}


async def test_hostile_text_in_every_passport_form_is_refused_or_stored_clean(client):
    flexa, _jobwerk, _wout, _lotte = await _world()
    await _signed_in_worker(client, flexa)
    for url, names in FORMS.items():
        for name in names:
            for value in ODD:
                response = await _form(client, url, {name: value})
                assert response.status_code in (303, 400, 413, 422), (url, name, value[:10], response.status_code)
    for value in ("categories", "purpose"):
        for odd in ODD:
            response = await _form(client, f"/passport/consent/{flexa}", {value: odd})
            assert response.status_code in (303, 400, 413, 422), (value, odd[:10], response.status_code)
    for row in await PassportField.select():
        assert "\x00" not in row["value"] and len(row["value"]) <= 1000
    for row in await PassportItem.select():
        assert "\x00" not in row["name"] and len(row["name"]) <= 1000
    assert await Consent.count() == 0


async def test_invalid_utf8_and_broken_bodies_get_no_500(client):
    flexa, _jobwerk, wout, _lotte = await _world()
    await _signed_in_worker(client, flexa)
    token = csrf(client)
    bodies = [
        b"first_name=%FF%FE&_csrf_token=" + token.encode(),
        b"first_name=\xff\xfe\xfd&_csrf_token=" + token.encode(),
        b"first_name=%ED%A0%80&_csrf_token=" + token.encode(),  # a lone surrogate
        b"first_name=%C0%AF&_csrf_token=" + token.encode(),  # overlong
        b"%%%%&&&===&_csrf_token=" + token.encode(),
        b"_csrf_token=" + token.encode() + b"&" + b"a=1&" * 5000,
    ]
    for url in ("/passport/identity", f"/passport/consent/{flexa}", "/passport/skills/new", "/passport/data/erase"):
        for body in bodies:
            response = await client.post(
                url,
                content=body,
                headers={"content-type": "application/x-www-form-urlencoded"},
                follow_redirects=False,
            )
            assert response.status_code < 500, (url, body[:30], response.status_code)
    for row in await PassportField.select():
        assert "\ufffd" not in row["value"] and "\udc80" not in row["value"]
    assert (await User.select(User.is_active).where(User.id == wout).first())["is_active"]


def _zip_bomb() -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", b"\0" * (50 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bomb.pdf", _zip_bomb()),
        ("empty.pdf", b""),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("page.png", b"%PDF-1.7\n<html><script>alert(1)</script>\n%%EOF\n"),
        ("fake.jpg", b"\xff\xd8\xff\xe0"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40),
        ("nul\x00name.pdf", pdf()),
        ("../../etc/passwd.pdf", pdf(b"traversal")),
        ("x" * 5000 + ".pdf", pdf(b"long")),
    ],
)
async def test_lying_uploads_are_refused_or_kept_safely(client, name, data):
    flexa, _jobwerk, _wout, _lotte = await _world()
    await _signed_in_worker(client, flexa)
    response = await upload(client, name, data, "application/pdf")
    assert response.status_code in (303, 400, 413, 422), response.status_code
    for row in await Document.select():
        assert "/" not in row["name"] and "\x00" not in row["name"] and len(row["name"]) <= 200
        assert row["media_type"] in ("application/pdf", "image/jpeg", "image/png")
    if name in ("bomb.pdf", "empty.pdf", "page.pdf", "page.png", "fake.jpg", "fake.png"):
        assert await Document.count() == 0


async def test_an_11_mb_upload_is_refused_and_not_kept(client):
    flexa, _jobwerk, _wout, _lotte = await _world()
    await _signed_in_worker(client, flexa)
    response = await upload(client, "big.pdf", pdf(b"x" * (11 * 1024 * 1024)), "application/pdf")
    assert response.status_code in (400, 413, 422)
    assert await Document.count() == 0
