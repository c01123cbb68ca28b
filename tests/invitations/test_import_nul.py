"""NUL characters inside import cells (issue 7, point 8): a CSV with NUL
beyond its first 8 KB (the binary sniff looks no further) and an XLSX with
`_x0000_` (OOXML's escape for NUL) passed the dry run as code 1, and the
apply failed with a 500 on PostgreSQL, which refuses NUL in text. The reader
drops NUL from every text cell, so dry run and apply give every row the same
code, on both databases."""

from __future__ import annotations

import io
import re
import uuid

import pytest

from app.cli_import import import_staff
from app.domain.invitations.imports.reading import read
from app.storage.people import ImportRow, Person
from tests.conftest import csrf
from tests.invitations.fixtures import hostile, messy
from tests.support.factories import login, make_org, make_user

# Padding so the NUL rows start after the first 8 KB.
PADDING = messy.people_rows(200)
NUL_ROWS = [
    ["Pee\x00ters", "Jan", "9000", "01/02/1985", "jan\x00@example.be"],
    ["Maes", "An\x00", "90\x0000", "0\x001/02/1985", ""],
    ["\x00", "\x00", "\x00", "\x00", "\x00"],  # nothing but NUL: an empty row
]


def nul_csv() -> bytes:
    data = messy.csv_bytes([messy.DUTCH, *PADDING, *NUL_ROWS])
    assert data.index(b"\x00") > 8192
    return data


def nul_xlsx() -> bytes:
    return hostile.fast_xlsx(
        [messy.DUTCH], PADDING, [[cell.replace("\x00", "_x0000_") for cell in row] for row in NUL_ROWS]
    )


FILES = {"csv": nul_csv, "xlsx": nul_xlsx}


@pytest.mark.parametrize("kind", list(FILES))
def test_the_reader_drops_nul_from_every_text_cell(kind):
    parsed = read(FILES[kind]())
    assert len(parsed.rows) == len(PADDING) + 2  # the all-NUL row is empty, so skipped
    peeters, maes = parsed.rows[-2:]
    assert (peeters.cells["last_name"], peeters.cells["email"]) == ("Peeters", "jan@example.be")
    assert (maes.cells["first_name"], maes.cells["postcode"], maes.cells["birth_date"]) == ("An", "9000", "01/02/1985")
    assert not any("\x00" in str(cell) for row in parsed.rows for cell in row.cells.values())


def _dry_run_codes(html: str) -> dict[int, int]:
    found = re.findall(r'data-label="Row">(\d+)</td>.*?import-code-(\d)', html, re.S)
    return {int(number): int(code) for number, code in found}


@pytest.mark.parametrize("kind", list(FILES))
async def test_web_dry_run_and_apply_agree(client, kind):
    data = FILES[kind]()
    org = await make_org(slug="brouwerij-de-klok")
    await make_user("hr@deklok.example", role="hr", org=org, language="en")
    await login(client, "hr@deklok.example")
    await client.get("/invitations/imports")
    form = {"_csrf_token": csrf(client), "mode": "create"}
    upload = {"file": (f"list.{kind}", data, "application/octet-stream")}
    dry = await client.post("/invitations/imports", data=form, files=upload)
    assert dry.status_code == 200
    dry_codes = _dry_run_codes(dry.text)
    assert len(dry_codes) == len(PADDING) + 2 and set(dry_codes.values()) == {1}
    digest = re.search(r'name="file_sha256" value="([^"]+)"', dry.text).group(1)
    apply = await client.post(
        "/invitations/imports",
        data={**form, "action": "apply", "command_id": str(uuid.uuid4()), "file_sha256": digest},
        files=upload,
        follow_redirects=False,
    )
    assert apply.status_code == 303
    stored = {row["row_number"]: row["code"] for row in await ImportRow.select(ImportRow.row_number, ImportRow.code)}
    assert stored == dry_codes
    people = await Person.select(Person.last_name, Person.first_name, Person.email, Person.postcode)
    assert len(people) == len(PADDING) + 2
    assert {"last_name": "Peeters", "first_name": "Jan", "email": "jan@example.be", "postcode": "9000"} in people
    assert not any("\x00" in str(value) for person in people for value in person.values())


@pytest.mark.parametrize("kind", list(FILES))
async def test_cli_dry_run_and_apply_agree(tmp_path, kind):
    await make_org(slug="brouwerij-de-klok", language="en")
    path = tmp_path / f"list.{kind}"
    path.write_bytes(FILES[kind]())

    async def run(dry_run: bool) -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        status = await import_staff(str(path), "brouwerij-de-klok", dry_run, False, out=out, err=err)
        assert err.getvalue() == ""
        return status, out.getvalue()

    total = len(PADDING) + 2
    status, dry = await run(True)
    assert status == 0 and f"1={total} 2=0 3=0 4=0 ({total})" in dry
    status, applied = await run(False)
    assert status == 0 and f"1={total} 2=0 3=0 4=0 ({total})" in applied
    assert await Person.count() == total
    assert await Person.exists().where(Person.email == "jan@example.be")


async def test_a_nul_in_an_email_is_no_500_on_apply(client):
    """The case of the issue: valid in the dry run, refused by PostgreSQL
    in the apply."""
    data = messy.csv_bytes([messy.DUTCH, *PADDING, ["Peeters", "Jan", "9000", "01/02/1985", "jan\x00@example.be"]])
    org = await make_org(slug="brouwerij-de-klok")
    await make_user("hr@deklok.example", role="hr", org=org, language="en")
    await login(client, "hr@deklok.example")
    await client.get("/invitations/imports")
    form = {"_csrf_token": csrf(client), "mode": "create", "action": "apply", "command_id": str(uuid.uuid4())}
    apply = await client.post(
        "/invitations/imports", data=form, files={"file": ("list.csv", data, "text/csv")}, follow_redirects=False
    )
    assert apply.status_code == 303
    assert await Person.exists().where(Person.email == "jan@example.be")
