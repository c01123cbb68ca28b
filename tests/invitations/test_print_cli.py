"""`werkpas invitations print --org SLUG [--run ID] --out FILE.pdf`."""

from __future__ import annotations

import os
import subprocess
import sys

from app.cli_print import print_invitations
from tests.invitations.test_print_support import close, invite, make_org, make_run, pages, qr_codes, url_of


def _werkpas(settings, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("WERKPAS_", "DATABASE_URL"))}
    env.update(
        WERKPAS_DATA_DIR=str(settings.data_dir),
        DATABASE_URL=settings.database_url,
        WERKPAS_SECRET_KEY=settings.secret_key,
        WERKPAS_BASE_URL=settings.base_url,
        WERKPAS_RUN_JOBS="0",
    )
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


async def test_cli_writes_every_open_invitation(settings, tmp_path):
    org = await make_org(slug="brouwerij-de-klok", name="Brouwerij De Klok")
    open_ids = [await invite(org, "Open", f"Persoon{n}", language) for n, language in enumerate(("nl", "fr", "en"))]
    await close(await invite(org, "Revoked", "Persoon"))
    await close(await invite(org, "Late", "Persoon"), status="sent", expired=True)
    await invite(await make_org(slug="flexa"), "Other", "Organisation")
    out = tmp_path / "sheets.pdf"
    result = _werkpas(settings, "invitations", "print", "--org", "brouwerij-de-klok", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 invitation sheet(s) on 2 page(s)" in result.stdout
    decoded = [code for image in pages(out.read_bytes(), tmp_path) for code in qr_codes(image)]
    assert sorted(decoded) == sorted([await url_of(i) for i in open_ids])


async def test_cli_one_run(settings, tmp_path):
    org = await make_org(slug="run-org")
    run = await make_run(org)
    in_run = await invite(org, "In", "Run", run=run)
    await invite(org, "Not", "InRun")
    out = tmp_path / "run.pdf"
    assert await print_invitations(settings, "run-org", run, out) == 0
    assert [code for image in pages(out.read_bytes(), tmp_path) for code in qr_codes(image)] == [await url_of(in_run)]


async def test_cli_refuses_unknown_organisation_run_or_nothing_to_print(settings, tmp_path, capsys):
    org = await make_org(slug="empty-org")
    other_run = await make_run(await make_org(slug="other-org"))
    out = tmp_path / "none.pdf"
    assert await print_invitations(settings, "no-such-org", None, out) == 2
    assert await print_invitations(settings, "empty-org", other_run, out) == 2
    assert await print_invitations(settings, "empty-org", None, out) == 1
    assert "no open invitations" in capsys.readouterr().out
    assert not out.exists()
    await invite(org, "Some", "One")
    assert await print_invitations(settings, "empty-org", None, tmp_path / "missing-folder" / "x.pdf") == 2
