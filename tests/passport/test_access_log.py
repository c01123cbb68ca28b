"""The worker's access log: newest first, only their own entries, in their
language, paginated; CSV (BOM, semicolons, formula-safe) and PDF."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import timedelta

import pytest

from tests.passport.rights_helpers import agency, agency_reads, consent_to, full_worker, log_entry, now, sign_in, worker


async def test_the_page_shows_who_looked_newest_first_and_only_ones_own_entries(client):
    flexa = await agency()
    wout = await full_worker(org=flexa)
    other = await full_worker("eva@example.be", org=flexa, name="Eva Claes")
    await consent_to(wout, flexa, ["identity", "contact"])
    await consent_to(other, flexa, ["identity"])
    await log_entry(wout, now() - timedelta(days=3), viewer_name="Oldest Viewer")
    await agency_reads(flexa, wout, "Newest Viewer")
    await agency_reads(flexa, other, "Only Eva Viewer")
    await sign_in(client)
    page = await client.get("/passport/access-log")
    assert page.status_code == 200
    text = page.text
    assert text.index("Newest Viewer") < text.index("Oldest Viewer")
    assert "Only Eva Viewer" not in text
    assert "Identity, Contact" in text  # translated category labels
    assert "Finding and offering you work" in text and "Your consent" in text
    assert "2 looks at your data" in text


async def test_the_page_is_in_the_users_language_with_brussels_time(client):
    wout = await full_worker()
    await log_entry(wout, now().replace(month=7, day=1, hour=10, minute=5, second=0, microsecond=0))
    await sign_in(client)
    client.cookies.set("werkpas_lang", "nl")
    page = (await client.get("/passport/access-log")).text
    assert 'lang="nl"' in page and "Wanneer" in page and "Organisatie" in page  # labels the catalog holds
    assert "12:05" in page  # 10:05 UTC is 12:05 in Brussels in summer


async def test_api_key_reads_are_named_by_their_key(client):
    wout = await full_worker()
    await log_entry(wout, now(), viewer_name="Payroll sync", api_key_id=7, channel="api")
    await sign_in(client)
    assert "API key Payroll sync" in (await client.get("/passport/access-log")).text


async def test_pages_of_the_log(client):
    wout = await full_worker()
    start = now() - timedelta(hours=100)
    for number in range(30):
        await log_entry(wout, start + timedelta(hours=number), viewer_name=f"Viewer {number:02d}")
    await sign_in(client)
    first = (await client.get("/passport/access-log")).text
    assert "Viewer 29" in first and "Viewer 04" not in first and "Page 1 of 2" in first
    second = (await client.get("/passport/access-log?page=2")).text
    assert "Viewer 04" in second and "Viewer 29" not in second
    fragment = await client.get("/passport/access-log?page=2", headers={"hx-request": "true"})
    assert "<html" not in fragment.text and "Viewer 00" in fragment.text
    assert (await client.get("/passport/access-log?page=%00x")).status_code == 200


async def test_csv_is_semicolon_separated_utf8_with_bom_and_formula_safe(client):
    wout = await full_worker()
    await log_entry(wout, now() - timedelta(minutes=5), viewer_name='=HYPERLINK("http://evil","x")')
    await log_entry(wout, now(), viewer_name="@SUM(A1)", organisation_name="-Flexa é")
    await log_entry(await worker("eva@example.be"), now(), viewer_name="Not for Wout")
    await sign_in(client)
    response = await client.get("/passport/access-log.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["When", "Who", "Organisation"]
    assert len(rows) == 3
    assert rows[1][1] == "'@SUM(A1)" and rows[1][2] == "'-Flexa é"  # newest first
    assert rows[2][1].startswith("'=HYPERLINK")
    assert "Not for Wout" not in body.decode("utf-8-sig")
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


async def test_pdf_is_a_pdf_with_the_entries(client):
    wout = await full_worker()
    await log_entry(wout, now(), viewer_name="Lotte Peeters", organisation_name="Flexa Interim")
    await sign_in(client)
    response = await client.get("/passport/access-log.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    text = text.decode()
    assert "Who looked at your data" in text and "Lotte Peeters" in text and "Flexa Interim" in text


async def test_only_workers_see_an_access_log(client):
    assert (await client.get("/passport/access-log", follow_redirects=False)).status_code in (302, 303, 401)
