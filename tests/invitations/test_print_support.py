"""Helpers for the printing tests (no tests here): invitations made with the
shared people rules, and PDFs turned into page images, decoded QR codes and
text with poppler-utils and zxing-cpp."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import zxingcpp
from PIL import Image

from app.domain.core.commands import utcnow
from app.domain.invitations import people, secrets
from app.storage import db
from app.storage.people import ImportRun, Invitation
from tests.conftest import csrf
from tests.support.factories import login, make_org, make_user

__all__ = ["csrf", "make_org"]


async def invite(
    org: int, first: str, last: str, language: str = "nl", *, run: int | None = None, birth: date = date(1990, 5, 17)
) -> int:
    fields, problems = people.validate_person(
        {"last_name": last, "first_name": first, "birth_date": birth, "postcode": "9000", "language": language}, "nl"
    )
    assert not problems, problems
    async with db.transaction():
        person_id, _created = await people.ensure_person(fields, org)
        await people.ensure_membership(person_id, org, None, "invitation")
        return await people.issue_invitation(
            organisation_id=org,
            unit_id=None,
            person_id=person_id,
            issued_by=None,
            delivery="paper",
            language=language,
            valid_days=30,
            import_run_id=run,
        )


async def make_run(org: int) -> int:
    rows = await ImportRun.insert(
        ImportRun(organisation=org, channel="web", mode="create", file_kind="csv", created_at=utcnow())
    )
    return rows[0]["id"]


async def row(invitation_id: int) -> dict:
    return await Invitation.select().where(Invitation.id == invitation_id).first()


async def url_of(invitation_id: int) -> str:
    return secrets.invitation_url(invitation_id, (await row(invitation_id))["salt"])


async def code_of(invitation_id: int) -> str:
    return secrets.display(secrets.code_for(secrets.INVITATION, (await row(invitation_id))["salt"]))


async def close(invitation_id: int, status: str = "revoked", expired: bool = False) -> None:
    values = {Invitation.status: status}
    if expired:
        values[Invitation.expires_at] = utcnow() - timedelta(hours=1)
    await Invitation.update(values).where(Invitation.id == invitation_id)


async def staff(client, role: str = "hr", org: int | None = None, email: str = "print@example.be") -> int:
    org = org or await make_org(name="Brouwerij De Klok")
    await make_user(email, role=role, org=org, language="en")
    await login(client, email)
    return org


def pages(pdf: bytes, folder: Path) -> list[Path]:
    """Every page as a PNG at 150 dpi (pdftoppm, as a person's printer sees it)."""
    source = folder / "print.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(source), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def qr_codes(page: Path) -> list[str]:
    with Image.open(page) as image:
        return [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def text(pdf: bytes, folder: Path) -> str:
    source = folder / "text.pdf"
    source.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-raw", str(source), "-"], check=True, capture_output=True).stdout.decode()
