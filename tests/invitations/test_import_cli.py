"""`werkpas import-staff`: the same codes as the web, and exit status
0 (rows 1 or 2) / 1 (some rows 3 or 4) / 2 (file or organisation unusable)."""

from __future__ import annotations

import io

from app.cli import build_parser
from app.cli_import import import_staff
from app.storage.people import ImportRun, Invitation, Person
from tests.invitations.fixtures import messy
from tests.support.factories import make_org


async def run(tmp_path, data: bytes, *flags: str, name="list.xlsx", slug="brouwerij-de-klok"):
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    status = await import_staff(str(path), slug, "--dry-run" in flags, "--match" in flags, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_parser_knows_the_command():
    args = build_parser().parse_args(["import-staff", "list.xlsx", "--org", "flexa", "--dry-run", "--match"])
    assert (args.file, args.org, args.dry_run, args.match) == ("list.xlsx", "flexa", True, True)


async def test_dry_run_changes_nothing_and_exits_0(tmp_path):
    await make_org(slug="brouwerij-de-klok", language="en")
    status, out, _err = await run(tmp_path, messy.messy_xlsx(), "--dry-run")
    assert status == 0
    assert "Dry run" in out and "1=3 2=0 3=0 4=0 (3)" in out
    assert await Person.count() == 0 and await ImportRun.count() == 0


async def test_apply_then_reapply_exits_0_with_code_2(tmp_path):
    await make_org(slug="brouwerij-de-klok", language="en")
    status, out, _ = await run(tmp_path, messy.windows_1252_csv(), name="list.csv")
    assert status == 0 and "1=2 2=0" in out
    run_row = await ImportRun.select().first()
    assert (run_row["channel"], run_row["uploaded_by"]) == ("cli", None)
    status, out, _ = await run(tmp_path, messy.windows_1252_csv(), name="list.csv")
    assert status == 0 and "1=0 2=2" in out
    assert await Person.count() == 2 and await Invitation.count() == 2


async def test_invalid_or_unmatched_rows_exit_1(tmp_path):
    await make_org(slug="brouwerij-de-klok", language="en")
    data = messy.csv_bytes([messy.DUTCH, ["Peeters", "Jan", "12", "01/02/1985", ""]])
    status, out, _ = await run(tmp_path, data, name="l.csv")
    assert status == 1 and "four digits" in out
    status, out, _ = await run(tmp_path, messy.semicolon_bom_csv(), "--match", name="l.csv")
    assert status == 1 and "1=0 2=0 3=3 4=0" in out


async def test_unusable_file_or_organisation_exits_2(tmp_path):
    await make_org(slug="brouwerij-de-klok", language="en")
    status, _out, err = await run(tmp_path, messy.missing_column_csv(), name="l.csv")
    assert status == 2 and "birth date" in err
    status, _out, err = await run(tmp_path, messy.protected_xlsx())
    assert status == 2 and "password" in err
    status, _out, err = await run(tmp_path, b"%PDF-1.4", name="l.pdf")
    assert status == 2
    status, _out, err = await run(tmp_path, messy.semicolon_bom_csv(), slug="nobody")
    assert status == 2 and "nobody" in err
    out, err = io.StringIO(), io.StringIO()
    assert await import_staff(str(tmp_path / "missing.csv"), "brouwerij-de-klok", False, False, out=out, err=err) == 2
    assert await ImportRun.count() == 0
