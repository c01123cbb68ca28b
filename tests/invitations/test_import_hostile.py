"""Hostile lists through the real entry points (issue 7, point 1): the web
upload answers 422 with the refusal in the user's language and the CLI
exits 2 with it; nothing is written, and the server answers the next
request. The reading itself happens in the sandbox's child process."""

from __future__ import annotations

import io

import pytest

from app.cli_import import import_staff
from app.storage.people import ImportRow, ImportRun, Invitation, Person
from tests.conftest import csrf
from tests.invitations.fixtures import hostile, messy
from tests.support.factories import login, make_org, make_user

# The refusal as each language says it (a piece of the translated message).
MESSAGES = {
    "too_many_columns": {"nl": "meer dan 30 kolommen", "fr": "plus de 30 colonnes", "en": "more than 30 columns"},
    "too_many_rows": {"nl": "meer dan 50.000 rijen", "fr": "plus de 50\u00a0000 lignes", "en": "more than 50,000 rows"},
    "too_large_unpacked": {
        "nl": "te groot eenmaal uitgepakt",
        "fr": "trop volumineux une fois décompressé",
        "en": "too large once unpacked",
    },
    "wrong_type": {
        "nl": "geen CSV- of XLSX-bestand",
        "fr": "pas un fichier CSV ou XLSX",
        "en": "not a CSV or XLSX file",
    },
    "cell_too_long": {
        "nl": "meer dan 32.767 tekens",
        "fr": "plus de 32\u00a0767 caractères",
        "en": "more than 32,767 characters",
    },
    "unreadable": {
        "nl": "De tekst van het bestand is niet leesbaar",
        "fr": "Le texte du fichier est illisible",
        "en": "The text of the file cannot be read",
    },
    "failed": {"nl": "kon niet gelezen worden", "fr": "n'a pas pu être lu", "en": "could not be read"},
}

CASES = {
    "xfd": (hostile.xfd_xlsx, "too_many_columns"),
    "zip-bomb": (lambda: hostile.bomb_xlsx(600_000_000), "too_large_unpacked"),
    "dimension": (lambda: hostile.declared_dimension_xlsx("A1:E1048576"), "too_many_rows"),
    "50001-rows": (lambda: hostile.many_rows_xlsx(50_001), "too_many_rows"),
    "31-columns": (lambda: hostile.wide_xlsx(31, 31), "too_many_columns"),
    "zip-of-text": (hostile.zip_of_text, "wrong_type"),
    "gigantic-field": (hostile.gigantic_field_csv, "cell_too_long"),
    "invalid-utf8": (hostile.invalid_utf8_csv, "unreadable"),
    "no-dimension-xfd": (hostile.xfd_without_dimension_xlsx, "failed"),
}
LANGUAGES = ["nl", "fr", "en"]


@pytest.fixture(scope="module")
def files():
    """Built once: some take a second or two to write."""
    return {name: (build(), code) for name, (build, code) in CASES.items()}


async def _nothing_written() -> None:
    assert await ImportRun.count() == 0
    assert await ImportRow.count() == 0
    assert await Person.count() == 0
    assert await Invitation.count() == 0


def _translated(code: str, language: str) -> str:
    return MESSAGES[code][language].replace("'", "&#39;")


@pytest.mark.parametrize("case", list(CASES))
async def test_web_upload_refuses_in_the_users_language(client, files, case):
    data, code = files[case]
    language = LANGUAGES[list(CASES).index(case) % 3]
    org = await make_org(slug="brouwerij-de-klok")
    await make_user("hr@deklok.example", role="hr", org=org, language=language)
    await login(client, "hr@deklok.example")
    await client.get("/invitations/imports")
    for action in ("dry_run", "apply"):
        response = await client.post(
            "/invitations/imports",
            data={
                "_csrf_token": csrf(client),
                "mode": "create",
                "action": action,
                "command_id": "00000000-0000-4000-8000-000000000001",
            },
            files={"file": ("lijst.xlsx", data, "application/octet-stream")},
            follow_redirects=False,
        )
        assert response.status_code == 422, (case, action)
        assert _translated(code, language) in response.text, (case, action, language)
        assert 'aria-invalid="true"' in response.text
    await _nothing_written()
    assert (await client.get("/healthz")).status_code == 200
    assert (await client.get("/invitations/imports")).status_code == 200


@pytest.mark.parametrize("case", list(CASES))
async def test_cli_exits_2_with_the_refusal(tmp_path, files, case):
    data, code = files[case]
    language = LANGUAGES[(list(CASES).index(case) + 1) % 3]
    await make_org(slug="brouwerij-de-klok", language=language)
    path = tmp_path / "lijst.xlsx"
    path.write_bytes(data)
    for dry_run in (True, False):
        out, err = io.StringIO(), io.StringIO()
        status = await import_staff(str(path), "brouwerij-de-klok", dry_run, False, out=out, err=err)
        assert status == 2, (case, dry_run)
        assert MESSAGES[code][language] in err.getvalue(), (case, language, err.getvalue())
        assert out.getvalue() == ""
    await _nothing_written()


async def test_a_good_list_still_goes_through_after_hostile_ones(client, files):
    """The refusals leave nothing behind that stops the next upload."""
    org = await make_org(slug="brouwerij-de-klok")
    await make_user("hr@deklok.example", role="hr", org=org, language="en")
    await login(client, "hr@deklok.example")
    await client.get("/invitations/imports")
    for data, _code in files.values():
        await client.post(
            "/invitations/imports",
            data={"_csrf_token": csrf(client), "mode": "create"},
            files={"file": ("l.xlsx", data, "application/octet-stream")},
        )
    response = await client.post(
        "/invitations/imports",
        data={"_csrf_token": csrf(client), "mode": "create"},
        files={"file": ("l.xlsx", messy.messy_xlsx(), "application/octet-stream")},
    )
    assert response.status_code == 200 and "Wouters" in response.text
