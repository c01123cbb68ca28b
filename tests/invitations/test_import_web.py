"""Bulk registration over HTTP: upload, dry run, apply, results, downloads,
permissions, and proof that the upload leaves no copy anywhere."""

from __future__ import annotations

import io
import re
import subprocess
import uuid
from datetime import UTC

from openpyxl import load_workbook

from app.storage import db
from app.storage.people import ImportRow, ImportRun, Invitation, Person
from app.storage.registry import all_tables
from tests.conftest import csrf
from tests.invitations.fixtures import messy
from tests.support.factories import login, make_org, make_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def hr_client(client, slug="brouwerij-de-klok"):
    org = await make_org(slug=slug)
    await make_user("hr@deklok.example", role="hr", org=org, language="en")
    await login(client, "hr@deklok.example")
    return org


async def send(client, data: bytes, name="list.xlsx", kind=XLSX, headers=None, **fields):
    form = {"_csrf_token": csrf(client), "mode": "create", **fields}
    return await client.post(
        "/invitations/imports",
        data=form,
        files={"file": (name, data, kind)},
        headers=headers or {},
        follow_redirects=False,
    )


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


async def test_upload_page_for_hr(client):
    await hr_client(client)
    response = await client.get("/invitations/imports")
    assert response.status_code == 200
    assert 'type="file"' in response.text and 'enctype="multipart/form-data"' in response.text


async def test_dry_run_then_apply(client, settings):
    await hr_client(client)
    await client.get("/invitations/imports")
    data = messy.messy_xlsx()
    dry = await send(client, data)
    assert dry.status_code == 200
    assert "Maes" in dry.text and "Wouters" in dry.text  # the file's own values, this response only
    assert await Person.count() == 0 and await ImportRun.count() == 0
    apply = await send(
        client,
        data,
        action="apply",
        command_id=hidden(dry.text, "command_id"),
        file_sha256=hidden(dry.text, "file_sha256"),
    )
    assert apply.status_code == 303
    run_id = int(apply.headers["location"].rsplit("/", 1)[1])
    assert await Invitation.count().where(Invitation.import_run == run_id) == 3
    page = await client.get(f"/invitations/imports/{run_id}")
    assert page.status_code == 200 and "Maes" in page.text  # the run's invitations, from the database
    # The same click again (double submit) applies once.
    again = await send(
        client,
        data,
        action="apply",
        command_id=hidden(dry.text, "command_id"),
        file_sha256=hidden(dry.text, "file_sha256"),
    )
    assert again.status_code == 303 and await ImportRun.count() == 1


async def test_htmx_dry_run_returns_the_result_fragment_and_apply_redirects(client):
    await hr_client(client)
    await client.get("/invitations/imports")
    headers = {"HX-Request": "true", "x-csrftoken": csrf(client)}
    dry = await send(client, messy.semicolon_bom_csv(), "list.csv", "text/csv", headers=headers)
    assert dry.status_code == 200
    assert dry.text.lstrip().startswith('<div id="import-result"') and "<html" not in dry.text
    assert 'type="file"' not in dry.text  # the chosen file stays in the page's form
    apply = await send(
        client,
        messy.semicolon_bom_csv(),
        "list.csv",
        "text/csv",
        headers=headers,
        action="apply",
        command_id=str(uuid.uuid4()),
    )
    assert apply.headers["hx-redirect"].startswith("/invitations/imports/")


async def test_apply_with_another_file_than_the_dry_run_shows_the_new_dry_run(client):
    await hr_client(client)
    await client.get("/invitations/imports")
    response = await send(
        client,
        messy.semicolon_bom_csv(),
        "list.csv",
        "text/csv",
        action="apply",
        command_id=str(uuid.uuid4()),
        file_sha256="a" * 64,
    )
    assert response.status_code == 422 and "not the file of the dry run" in response.text
    assert await ImportRun.count() == 0


async def test_unusable_files_get_a_clear_message(client):
    await hr_client(client)
    await client.get("/invitations/imports")
    cases = [
        (messy.protected_xlsx(), "protected with a password"),
        (messy.corrupt_xlsx(), "damaged"),
        (messy.missing_column_csv(), "Required column missing: birth date"),
        (b"%PDF-1.4 not a list", "not a CSV or XLSX file"),
    ]
    for data, message in cases:
        response = await send(client, data)
        assert response.status_code == 422, message
        assert message in response.text
        assert 'aria-invalid="true"' in response.text
    assert await ImportRun.count() == 0


async def test_missing_file(client):
    await hr_client(client)
    await client.get("/invitations/imports")
    response = await client.post(
        "/invitations/imports",
        data={"_csrf_token": csrf(client), "mode": "create"},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert response.status_code == 422 and "Choose a CSV or XLSX file." in response.text


async def test_upload_without_csrf_token_is_refused(client):
    await hr_client(client)
    await client.get("/invitations/imports")
    response = await client.post(
        "/invitations/imports",
        data={"mode": "create"},
        files={"file": ("a.csv", messy.semicolon_bom_csv(), "text/csv")},
    )
    assert response.status_code == 403
    assert await ImportRun.count() == 0


async def test_permissions(client):
    org = await make_org()
    await make_user("consultant@example.be", role="consultant", org=org)
    await login(client, "consultant@example.be")
    assert (await client.get("/invitations/imports")).status_code == 403


async def test_run_of_another_organisation_is_404(client):
    other = await make_org(slug="flexa")
    run = await ImportRun.insert(
        ImportRun(organisation=other, channel="cli", mode="create", file_kind="csv", created_at=db_now())
    )
    await hr_client(client)
    run_id = run[0]["id"]
    for path in (
        f"/invitations/imports/{run_id}",
        f"/invitations/imports/{run_id}/results.csv",
        f"/invitations/imports/{run_id}/results.xlsx",
    ):
        assert (await client.get(path)).status_code == 404


def db_now():
    from datetime import datetime

    return datetime.now(UTC)


async def test_platform_admin_chooses_the_organisation(client):
    org = await make_org(name="De Klok")
    await make_org(name="Flexa")
    await make_user("admin@example.be", role="platform_admin", language="en")
    await login(client, "admin@example.be")
    await client.get("/invitations/imports")
    missing = await send(client, messy.semicolon_bom_csv(), "l.csv", "text/csv")
    assert missing.status_code == 422 and "Choose an organisation." in missing.text
    ok = await send(client, messy.semicolon_bom_csv(), "l.csv", "text/csv", organisation_id=str(org))
    assert ok.status_code == 200 and "De Klok" in ok.text


async def test_result_downloads(client):
    await hr_client(client)
    await client.get("/invitations/imports")
    data = messy.csv_bytes(
        [messy.DUTCH, ["Peeters", "Jan", "9000", "01/02/1985", ""], ["Maes", "An", "12", "01/02/1985", ""]]
    )
    apply = await send(client, data, "l.csv", "text/csv", action="apply", command_id=str(uuid.uuid4()))
    run_id = apply.headers["location"].rsplit("/", 1)[1]
    as_csv = await client.get(f"/invitations/imports/{run_id}/results.csv")
    assert as_csv.status_code == 200 and "attachment" in as_csv.headers["content-disposition"]
    lines = as_csv.content.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("2;1;") and lines[2].startswith("3;4;") and "four digits" in lines[2]
    assert "Peeters" not in as_csv.text  # from stored rows: no names
    as_xlsx = await client.get(f"/invitations/imports/{run_id}/results.xlsx")
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][:2] == [2, 1] and values[2][:2] == [3, 4]
    filtered = await client.get(f"/invitations/imports/{run_id}?code=4")
    assert filtered.status_code == 200 and "four digits" in filtered.text


async def test_no_copy_of_the_upload_remains(client, settings, monkeypatch):
    """A marker that only the file holds (an extra column and an invalid row)
    is nowhere afterwards: not in the data dir, not in the database. A 2 MB
    upload (over Litestar's 1 MB spool size) must not touch a temp file."""
    import tempfile

    import litestar.datastructures.upload_file as upload_file

    def no_disk(*args, **kwargs):
        raise AssertionError("the upload was spooled to a temporary file")

    monkeypatch.setattr(upload_file, "SpooledTemporaryFile", no_disk)
    monkeypatch.setattr(tempfile, "TemporaryFile", no_disk)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", no_disk)
    marker = "ZZMARKER" + uuid.uuid4().hex.upper()
    rows = [
        [*messy.DUTCH, "Opmerking"],
        ["Peeters", "Jan", "9000", "01/02/1985", "jan@example.be", marker],
        [marker, "X", "12", "99/99/1985", "", marker],
    ]
    rows += [[f"Naam{i}", "Voornaam", "9000", "01/02/1985", "", marker + "-" + "x" * 1100] for i in range(2000)]
    data = messy.csv_bytes(rows)
    assert len(data) > 2 * 1024 * 1024
    await hr_client(client)
    await client.get("/invitations/imports")
    apply = await send(client, data, "l.csv", "text/csv", action="apply", command_id=str(uuid.uuid4()))
    assert apply.status_code == 303
    assert await ImportRow.count() == len(rows) - 1
    # Searched by another process: opening the SQLite file here and closing it
    # would drop this process's POSIX locks on it (an SQLite pitfall), and the
    # next process to close the database would delete the live WAL.
    found = subprocess.run(
        ["grep", "-rlaF", marker, str(settings.data_dir)], capture_output=True, text=True, timeout=60
    )
    assert found.returncode == 1 and found.stdout == "", found.stdout
    if not db.is_postgres():
        await db.engine().run_ddl("PRAGMA wal_checkpoint(TRUNCATE)")
    for table in all_tables():
        assert marker not in str(await table.select()), table


async def test_example_list_downloads_and_reads_back(client):
    from app.domain.invitations.imports.reading import read

    await hr_client(client)
    response = await client.get("/invitations/imports/example.xlsx")
    assert response.status_code == 200
    parsed = read(response.content)
    assert parsed.columns == ("last_name", "first_name", "postcode", "birth_date", "email", "language", "unit")
    assert len(parsed.rows) == 1


async def test_file_over_10_mb_gets_a_clear_message_and_a_huge_body_413(client):
    from app.domain.invitations.imports.problems import MAX_BYTES

    await hr_client(client)
    await client.get("/invitations/imports")
    over = messy.csv_bytes([messy.DUTCH]) + b"x" * MAX_BYTES
    response = await send(client, over, "big.csv", "text/csv")
    assert response.status_code == 422 and "larger than 10 MB" in response.text
    huge = await send(client, b"x" * (MAX_BYTES + 1024 * 1024), "huge.csv", "text/csv")
    assert huge.status_code == 413
    assert await ImportRun.count() == 0
