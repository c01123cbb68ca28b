"""The worker's rights: export everything (JSON, PDF), close the account,
erase one's data. Nothing of another worker in an export; erasure removes
personal data and keeps receipts and the access log, pseudonymised;
closure and erasure end every session; parallel erasures apply once."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess

import pytest

from app.domain.passport.categories import CODES
from app.storage.passport import (
    AccessLogEntry,
    Consent,
    ConsentRecord,
    ConsentRequest,
    Document,
    Passport,
    PassportField,
    PassportItem,
)
from app.storage.people import Badge, Person
from app.storage.rights import AccountEnd
from app.storage.tables import AuditEvent, Job, RoleGrant, User
from tests.conftest import PASSWORD, csrf
from tests.passport.rights_helpers import IBAN, agency, agency_reads, consent_to, full_worker, now, sign_in
from tests.support.accounts import another_client, signed_in
from tests.support.factories import grant, login, make_user


async def _post(client, path: str, data: dict):
    page = await client.get(path)
    assert page.status_code == 200
    return await client.post(path, data={**data, "_csrf_token": csrf(client)}, follow_redirects=False)


async def test_the_json_export_holds_every_category_and_nothing_of_anyone_else(client):
    flexa = await agency()
    wout = await full_worker(org=flexa)
    eva = await full_worker("eva@example.be", org=flexa, name="Eva Claes")
    await consent_to(wout, flexa, ["identity", "contact"])
    await consent_to(eva, flexa, ["identity"])
    await agency_reads(flexa, wout, "Lotte")
    await agency_reads(flexa, eva, "Viewer of Eva")
    await ConsentRequest.insert(
        ConsentRequest(user=wout, organisation=flexa, categories="bank", purpose="payroll", created_at=now())
    )
    await sign_in(client)
    response = await client.get("/passport/data/export.json")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    data = json.loads(response.content)
    assert data["format"] == "werkpas.export/1"
    assert data["account"]["email"] == "wout@example.be" and data["account"]["has_password"] is True
    assert [c["category"] for c in data["passport"]] == list(CODES)
    fields = {c["category"]: {f["name"]: f["value"] for f in c["fields"]} for c in data["passport"]}
    # Their own numbers in full.
    assert fields["identity"]["national_number"] == "90021400326"
    assert fields["bank"]["iban"].replace(" ", "") == IBAN.replace(" ", "")
    assert fields["address"]["town"] == "Gent"
    items = {c["category"]: c["items"] for c in data["passport"]}
    assert items["certificates"][0]["name"] == "VCA basis"
    documents = next(c for c in data["passport"] if c["category"] == "documents")["documents"]
    assert documents[0]["name"] == "vca.pdf" and documents[0]["sha256"] == "a" * 64
    assert {c["category"] for c in data["consents"]} == {"identity", "contact"}
    assert [r["action"] for r in data["consent_receipts"]] == ["grant"]
    assert data["consent_requests"][0]["categories"] == ["bank"]
    assert [a["viewer"] for a in data["access_log"]] == ["Lotte"]
    assert data["organisations"][0]["name"] == "Flexa Interim" and data["organisations"][0]["roles"] == ["worker"]
    assert {e["type"] for e in data["audit_events"]} >= {"passport.save_identity", "passport.set_consent"}
    text = response.text
    assert "eva@example.be" not in text and "Viewer of Eva" not in text and "Eva" not in text


async def test_the_pdf_export_is_readable_with_a_heading_per_category(client):
    await full_worker()
    await sign_in(client)
    response = await client.get("/passport/data/export.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True)
    words = " ".join(text.stdout.decode().split())
    for heading in (
        "Your data in Werkpas",
        "Identity",
        "Contact",
        "Address",
        "Bank account",
        "Certificates and licences",
    ):
        assert heading in words, heading
    assert "Veldstraat" in words and "VCA basis" in words and "wout@example.be" in words


async def test_the_data_page_offers_everything(client):
    await full_worker()
    await sign_in(client)
    page = (await client.get("/passport/data")).text
    for link in (
        "/passport/data/export.json",
        "/passport/data/export.pdf",
        "/passport/access-log",
        "/passport/data/close",
        "/passport/data/erase",
    ):
        assert f'href="{link}"' in page, link


async def test_closing_needs_the_box_and_the_password_and_ends_every_session(client, app):
    flexa = await agency()
    wout = await full_worker(org=flexa)
    await consent_to(wout, flexa, ["identity", "contact"])
    await sign_in(client)
    async with another_client(app) as other:
        other.cookies.set("werkpas_lang", "en")
        assert (await login(other, "wout@example.be")).status_code == 303
        assert await signed_in(other, "/passport")

        refused = await _post(client, "/passport/data/close", {"secret": PASSWORD})
        assert refused.status_code == 422 and "Tick the box to confirm." in refused.text
        wrong = await _post(client, "/passport/data/close", {"confirm": "yes", "secret": "not it"})
        assert wrong.status_code == 422 and "This is not your password." in wrong.text
        assert (await User.select(User.is_active).where(User.id == wout).first())["is_active"]

        done = await _post(client, "/passport/data/close", {"confirm": "yes", "secret": PASSWORD})
        assert done.status_code == 303 and done.headers["location"] == "/login"
        assert "Your account is closed" in (await client.get("/login")).text
        # The old session of the other browser no longer works, and neither does a login.
        assert not await signed_in(other, "/passport")
    assert (await login(client, "wout@example.be")).status_code != 303
    assert await Consent.count().where(Consent.user == wout) == 0
    actions = [row["action"] for row in await ConsentRecord.select().order_by(ConsentRecord.id)]
    assert actions == ["grant", "withdraw"]
    # The data is kept.
    assert await PassportField.count().where(PassportField.user == wout) > 0
    end = await AccountEnd.select().where(AccountEnd.user == wout).first()
    assert end["closed_by"] == "self" and end["erased_at"] is None


async def test_erasure_removes_personal_data_and_keeps_receipts_and_the_log(client):
    flexa = await agency()
    wout = await full_worker(org=flexa)
    eva = await full_worker("eva@example.be", org=flexa, name="Eva Claes")
    # Wout's own file; his "a" * 64 (vca.pdf) is also one of Eva's documents.
    await Document.insert(
        Document(user=wout, digest="e" * 64, media_type="image/png", size=10, name="own.png", created_at=now())
    )
    await consent_to(wout, flexa, ["identity"])
    await agency_reads(flexa, wout, "Lotte")
    await sign_in(client)
    wrong = await _post(client, "/passport/data/erase", {"confirm": "delete", "secret": PASSWORD})
    assert wrong.status_code == 422 and "Type ERASE to confirm" in wrong.text
    assert await PassportField.count().where(PassportField.user == wout) > 0

    done = await _post(client, "/passport/data/erase", {"confirm": " erase ", "secret": PASSWORD})
    assert done.status_code == 303
    for table in (PassportField, PassportItem, Document, Passport, Consent, ConsentRequest):
        assert await table.count().where(table.user == wout) == 0, table
    user = await User.select().where(User.id == wout).first()
    assert user["display_name"] == "Erased account" and user["email"] is None and user["phone"] is None
    assert user["password_hash"] is None and user["pin_hash"] is None and not user["is_active"]
    assert await Person.count().where(Person.user == wout) == 0
    person = await Person.select().where(Person.email == "wout@example.be").first()
    assert person is not None and person["last_name"] == "De Smet"  # the organisation's own record stays
    assert await Badge.count().where((Badge.person == person["id"]) & Badge.revoked_at.is_null()) == 0
    assert await RoleGrant.count().where(RoleGrant.user == wout) == 0
    # Receipts and the access log stay, by id.
    assert [r["action"] for r in await ConsentRecord.select().where(ConsentRecord.subject_id == wout)] == [
        "grant",
        "withdraw",
    ]
    assert await AccessLogEntry.count().where(AccessLogEntry.subject_id == wout) == 1
    # The file is removed after the commit, by a job, only when no other document uses it.
    job = await Job.select().where(Job.kind == "passport.remove_files").first()
    assert json.loads(job["payload"]) == {"digests": ["e" * 64]}
    assert await Document.count().where(Document.digest == "a" * 64) == 1  # Eva's
    # Eva is untouched.
    assert await PassportField.count().where(PassportField.user == eva) > 0
    assert (await User.select(User.email).where(User.id == eva).first())["email"] == "eva@example.be"
    assert (await AccountEnd.select().where(AccountEnd.user == wout).first())["erased_at"] is not None
    assert (await login(client, "wout@example.be")).status_code != 303


async def test_the_file_job_removes_only_files_no_document_uses(settings):
    from app.domain.passport.rights import remove_files, stored_file

    kept, gone = "c" * 64, "d" * 64
    for digest in (kept, gone):
        stored_file(digest).parent.mkdir(parents=True, exist_ok=True)
        stored_file(digest).write_bytes(b"x")
    wout = await full_worker()
    await Document.insert(
        Document(user=wout, digest=kept, media_type="image/png", size=1, name="k.png", created_at=now())
    )
    await remove_files({"digests": [kept, gone, "../../etc/passwd"]}, 1)
    assert stored_file(kept).exists() and not stored_file(gone).exists()


async def test_thirty_parallel_erasures_erase_once_and_never_fail(client):
    flexa = await agency()
    wout = await full_worker(org=flexa)
    await consent_to(wout, flexa, ["identity"])
    await sign_in(client)
    await client.get("/passport/data/erase")
    token = csrf(client)

    async def one(number: int):
        data = {
            "confirm": "ERASE",
            "secret": PASSWORD,
            "_csrf_token": token,
            "command_id": f"00000000-0000-4000-8000-{number:012d}",
        }
        return await client.post("/passport/data/erase", data=data, follow_redirects=False)

    responses = await asyncio.gather(*(one(n) for n in range(30)))
    codes = sorted(r.status_code for r in responses)
    assert all(code < 500 for code in codes), codes
    print("parallel erase answers", codes)
    applied = await AuditEvent.count().where(
        (AuditEvent.type == "passport.erase") & (AuditEvent.outcome == "applied") & AuditEvent.command_id.is_not_null()
    )
    assert applied == 1
    assert [r["action"] for r in await ConsentRecord.select().order_by(ConsentRecord.id)] == ["grant", "withdraw"]


async def test_a_kiosk_only_account_confirms_with_its_pin(client):
    from app.domain.passport import rights

    wout = await full_worker()
    from app.domain.accounts import hash_secret

    await User.update({User.password_hash: None, User.pin_hash: hash_secret("2580")}).where(User.id == wout)
    assert await rights.secret_kind(wout) == "pin"
    assert await rights.check_secret(wout, "0000") is None
    assert await rights.check_secret(wout, "2580")


async def test_staff_accounts_are_closed_by_their_organisation_not_here(client):
    flexa = await agency()
    wout = await full_worker(org=flexa)
    await grant(wout, "hr", flexa)
    await sign_in(client)
    refused = await _post(client, "/passport/data/close", {"confirm": "yes", "secret": PASSWORD})
    assert refused.status_code == 422 and "staff account" in refused.text
    assert (await User.select(User.is_active).where(User.id == wout).first())["is_active"]


async def test_an_organisation_admin_sees_the_event_but_no_personal_data(client, app):
    flexa = await agency()
    wout = await full_worker(org=flexa)
    await consent_to(wout, flexa, ["identity", "bank"])
    await sign_in(client)
    assert (await _post(client, "/passport/data/erase", {"confirm": "ERASE", "secret": PASSWORD})).status_code == 303
    await make_user("admin@flexa.example", role="org_admin", org=flexa, display_name="Frieda Admin")
    async with another_client(app) as admin:
        admin.cookies.set("werkpas_lang", "en")
        assert (await login(admin, "admin@flexa.example")).status_code == 303
        page = await admin.get("/admin/audit")
        assert page.status_code == 200
        text = page.text
        assert "erased their Werkpas account" in text
        for secret in ("90021400326", "90.02.14", "BE71", "0961", "Veldstraat", "wout@example.be", "+32470"):
            assert secret not in text, secret


async def test_staff_never_reach_a_workers_rights_pages(client):
    flexa = await agency()
    await full_worker(org=flexa)
    await make_user("consultant@flexa.example", role="consultant", org=flexa)
    client.cookies.set("werkpas_lang", "en")
    assert (await login(client, "consultant@flexa.example")).status_code == 303
    for path in ("/passport/access-log", "/passport/access-log.csv", "/passport/data", "/passport/data/export.json"):
        response = await client.get(path, follow_redirects=False)
        assert response.status_code in (403, 404), (path, response.status_code)
        assert "wout@example.be" not in response.text and "Veldstraat" not in response.text


async def test_a_form_sent_twice_erases_once(client):
    wout = await full_worker()
    await sign_in(client)
    await client.get("/passport/data/erase")
    data = {
        "confirm": "ERASE",
        "secret": PASSWORD,
        "_csrf_token": csrf(client),
        "command_id": "6f1c2f43-0e4e-4a53-9d65-3b8f1c1b2a10",
    }
    first = await client.post("/passport/data/erase", data=data, follow_redirects=False)
    assert first.status_code == 303
    again = await client.post("/passport/data/erase", data=data, follow_redirects=False)
    assert again.status_code < 500
    assert (
        await AuditEvent.count().where((AuditEvent.type == "passport.erase") & AuditEvent.command_id.is_not_null()) == 1
    )
    assert (await User.select(User.display_name).where(User.id == wout).first())["display_name"] == "Erased account"
