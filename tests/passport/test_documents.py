"""The worker's documents over HTTP: PDF, JPEG or PNG up to 10 MB, the type
read from the content, kept once in the content-addressed store, a Document
row per upload; only the owner downloads or removes one."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from datetime import UTC, datetime

import pytest
from PIL import Image

from app.domain.passport import files
from app.storage.passport import Document, PassportItem
from tests.conftest import csrf
from tests.support.factories import login
from tests.support.passport import agency, do, worker
from tests.support.registration import english


def pdf(extra: bytes = b"") -> bytes:
    body = b"1 0 obj << /Type /Catalog >> endobj\n" + (extra or os.urandom(16).hex().encode())
    return b"%PDF-1.7\n" + body + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), tuple(os.urandom(3))).save(out, format=kind)
    return out.getvalue()


async def signed_in(client, email: str = "wout@example.be") -> int:
    user_id = await worker(email, org=await agency(slug=f"org-{email.split('@')[0]}"), onboarded_at=datetime.now(UTC))
    assert (await login(client, email)).status_code == 303
    english(client)
    await client.get("/passport")
    return user_id


async def upload(client, name: str, data: bytes, content_type: str = "application/octet-stream"):
    form = {"_csrf_token": csrf(client), "command_id": str(uuid.uuid4())}
    return await client.post(
        "/passport/documents", data=form, files={"file": (name, data, content_type)}, follow_redirects=False
    )


def stored(data: bytes) -> bool:
    return files.path_of(hashlib.sha256(data).hexdigest()).exists()


async def documents_of(user_id: int) -> list[dict]:
    return await Document.select().where(Document.user == user_id).order_by(Document.id)


@pytest.mark.parametrize(
    ("name", "kind", "media_type"),
    [("Attest VCA.pdf", "pdf", "application/pdf"), ("rijbewijs.JPG", "JPEG", "image/jpeg"),
     ("diploma.png", "PNG", "image/png")],
)  # fmt: skip
async def test_a_document_is_uploaded_kept_once_and_downloaded_by_its_owner(client, name, kind, media_type):
    user_id = await signed_in(client)
    data = pdf() if kind == "pdf" else image(kind)
    response = await upload(client, name, data, "text/plain")  # the browser's type is not believed
    assert response.status_code == 303 and response.headers["location"] == "/passport#documents"
    rows = await documents_of(user_id)
    assert len(rows) == 1 and rows[0]["media_type"] == media_type and rows[0]["size"] == len(data)
    digest = hashlib.sha256(data).hexdigest()
    path = files.path_of(digest)
    assert rows[0]["digest"] == digest and path.read_bytes() == data
    assert path.parent.name == digest[:2] and path.parent.parent.name == "files"
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]

    # The same file again: a second row, one file.
    assert (await upload(client, "again" + name[name.rindex(".") :], data)).status_code == 303
    rows = await documents_of(user_id)
    assert len(rows) == 2 and rows[0]["digest"] == rows[1]["digest"]

    download = await client.get(f"/passport/documents/{rows[0]['id']}/file")
    assert download.status_code == 200 and download.content == data
    assert download.headers["content-type"].startswith(media_type)
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in download.headers["cache-control"]

    page = (await client.get("/passport")).text
    assert name in page and "Manage documents" in page


DISGUISED = [
    ("report.pdf", b"MZ\x90\x00 this is a program" * 10, "not a PDF, JPEG or PNG"),
    ("photo.png", None, "does not match what it contains"),  # a real PDF named .png
    ("scan.pdf", b"%PDF-1.4\n no end marker at all", "not a PDF, JPEG or PNG"),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 3, "not a PDF, JPEG or PNG"),
    ("picture.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a PDF, JPEG or PNG"),
    ("virus.exe", None, "does not match what it contains"),
    ("noextension", None, "does not match what it contains"),
    ("page.html", b"<html><script>alert(1)</script></html>", "not a PDF, JPEG or PNG"),
]


@pytest.mark.parametrize(("name", "data", "message"), DISGUISED)
async def test_a_file_that_is_not_what_it_says_is_refused_and_not_kept(client, name, data, message):
    user_id = await signed_in(client)
    data = data or pdf()
    response = await upload(client, name, data, "application/pdf")
    assert response.status_code == 422
    assert message in response.text and 'href="#document-file"' in response.text
    assert 'id="document-file-error"' in response.text
    assert await documents_of(user_id) == [] and not stored(data)


async def test_an_empty_upload_asks_for_a_file(client):
    user_id = await signed_in(client)
    response = await upload(client, "", b"")
    assert response.status_code == 422 and "Choose a file." in response.text
    assert await documents_of(user_id) == []


async def test_an_oversized_file_gets_a_message_and_is_not_kept(client):
    user_id = await signed_in(client)
    data = pdf(b"0" * (files.MAX_BYTES + 1))
    response = await upload(client, "big.pdf", data)
    assert response.status_code == 422 and "larger than 10 MB" in response.text
    assert await documents_of(user_id) == [] and not stored(data)


async def test_a_body_over_the_routes_limit_is_refused_before_it_is_read(client):
    user_id = await signed_in(client)
    data = pdf(b"0" * (files.MAX_BYTES + 3 * 1024 * 1024))
    response = await upload(client, "huge.pdf", data)
    assert response.status_code == 413 and "The upload is too large" in response.text
    assert await documents_of(user_id) == [] and not stored(data)
    # Other passport routes keep the small limit.
    big = await client.post(
        "/passport/identity", data={"_csrf_token": csrf(client), "first_name": "x" * 70_000}, follow_redirects=False
    )
    assert big.status_code == 413


async def test_the_upload_checks_the_csrf_token(client):
    user_id = await signed_in(client)
    data = pdf()
    response = await client.post(
        "/passport/documents", data={"_csrf_token": "forged"}, files={"file": ("a.pdf", data, "application/pdf")}
    )
    assert response.status_code == 403
    assert await documents_of(user_id) == [] and not stored(data)


async def test_another_workers_document_answers_404(client):
    other = await worker("anna@example.be", org=await agency(slug="anna-org"), display_name="Anna")
    data = pdf()
    digest = files.put(data)
    payload = {"digest": digest, "media_type": "application/pdf", "size": len(data), "name": "anna.pdf"}
    assert (await do("passport.add_document", payload, other)).applied
    theirs = (await documents_of(other))[0]["id"]
    mine = await signed_in(client)
    for path in (f"/passport/documents/{theirs}/file", f"/passport/documents/{theirs}/remove",
                 "/passport/documents/424242/file"):  # fmt: skip
        assert (await client.get(path)).status_code == 404, path
    removed = await client.post(
        f"/passport/documents/{theirs}/remove", data={"_csrf_token": csrf(client)}, follow_redirects=False
    )
    assert removed.status_code == 404
    assert len(await documents_of(other)) == 1 and stored(data)
    # Nor can an entry of mine point to it.
    response = await client.post(
        "/passport/training/new",
        data={"_csrf_token": csrf(client), "name": "Safe lifting", "issued_on": "12/01/2025", "document_id": theirs},
        follow_redirects=False,
    )
    assert response.status_code == 422 and "Choose one of your documents." in response.text
    assert await PassportItem.count().where(PassportItem.user == mine) == 0
    outcome = await do("passport.remove_document", {"document_id": theirs}, mine)
    assert outcome.code() == "not_found"


async def test_a_course_points_to_its_attendance_certificate_and_removal_detaches_it(client):
    user_id = await signed_in(client)
    data = pdf()
    assert (await upload(client, "attest.pdf", data)).status_code == 303
    document_id = (await documents_of(user_id))[0]["id"]
    form = (await client.get("/passport/training/new")).text
    assert f'<option value="{document_id}">attest.pdf</option>' in form
    response = await client.post(
        "/passport/training/new",
        data={
            "_csrf_token": csrf(client),
            "name": "Safe lifting",
            "issued_on": "12/01/2025",
            "document_id": document_id,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    item = await PassportItem.select().where(PassportItem.user == user_id).first()
    assert item["document"] == document_id
    assert "Certificate: attest.pdf" in (await client.get("/passport")).text

    question = await client.get(f"/passport/documents/{document_id}/remove")
    assert "Do you want to remove attest.pdf" in question.text
    response = await client.post(
        f"/passport/documents/{document_id}/remove", data={"_csrf_token": csrf(client)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert await documents_of(user_id) == [] and not stored(data)
    item = await PassportItem.select().where(PassportItem.user == user_id).first()
    assert item["document"] is None and item["name"] == "Safe lifting"


async def test_a_file_kept_by_two_documents_stays_until_the_last_goes(client):
    user_id = await signed_in(client)
    data = pdf()
    await upload(client, "a.pdf", data)
    await upload(client, "b.pdf", data)
    first, second = (row["id"] for row in await documents_of(user_id))
    assert (await do("passport.remove_document", {"document_id": first}, user_id)).applied
    assert stored(data)
    assert (await do("passport.remove_document", {"document_id": second}, user_id)).applied
    assert not stored(data)


async def test_the_command_checks_the_stored_file_itself(client):
    user_id = await worker("wout@example.be", org=await agency(slug="wout-org"))
    missing = {"digest": "ab" * 32, "media_type": "application/pdf", "size": 10, "name": "x.pdf"}
    assert (await do("passport.add_document", missing, user_id)).code("file") == "document_missing"
    fake = b"not a pdf at all"
    digest = files.put(fake)
    lying = {"digest": digest, "media_type": "application/pdf", "size": len(fake), "name": "x.pdf"}
    assert (await do("passport.add_document", lying, user_id)).code("file") == "document_type"
    assert await documents_of(user_id) == []


def test_names_are_cut_to_their_own_name():
    assert files.safe_name("C:\\Users\\wout\\..\\attest.pdf") == "attest.pdf"
    assert files.safe_name("../../etc/passwd") == "passwd"
    assert files.safe_name("a\x00b\r\nc.pdf") == "abc.pdf"
    long = files.safe_name("x" * 500 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")
    assert files.safe_name("") == "document"


async def test_the_upload_guard_refuses_before_the_body_is_read(app, client):
    from tests.core.asgi import call, cookie_header
    from tests.support.factories import make_user

    KB = 1024
    await client.get("/login")
    multipart = {"content-type": "multipart/form-data; boundary=xyz", "content-length": str(2048 * KB)}
    chunks = [b"x" * (256 * KB)] * 8
    anonymous = await call(app, "POST", "/passport/documents", {**multipart, "cookie": cookie_header(client)}, chunks)
    assert anonymous.status == 303 and anonymous.headers["location"].startswith("/login")
    assert anonymous.body_reads == 0
    await make_user("hr@example.be", role="hr", org=await agency(slug="hr-org"))
    await login(client, "hr@example.be")
    staff = await call(app, "POST", "/passport/documents", {**multipart, "cookie": cookie_header(client)}, chunks)
    assert staff.status == 403 and staff.body_reads == 0


async def test_a_broken_or_crowded_multipart_body_is_refused(client):
    user_id = await signed_in(client)
    crowded = {"_csrf_token": csrf(client), **{f"field{n}": "x" for n in range(20)}}
    response = await client.post(
        "/passport/documents", data=crowded, files={"file": ("a.pdf", pdf(), "application/pdf")}
    )
    assert response.status_code == 400
    plain = await client.post("/passport/documents", data={"_csrf_token": csrf(client)})
    assert plain.status_code == 400
    assert await documents_of(user_id) == []
