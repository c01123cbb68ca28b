"""Bulk registration results read well (issue 9, point 7): column names in
the screen's language only, no empty labelled cells when stacked on a phone,
no text outside a cell's one value element, no developer wording; empty
lists say which case it is (point 12)."""

from __future__ import annotations

import re

from tests.conftest import csrf
from tests.invitations.test_import_web import hidden, hr_client, send

LIST = (
    b"naam;voornaam;postcode;geboortedatum;e-mail\n"
    b"Peeters;Jan;9000;01/02/1985;jan@example.be\n"
    b"Maes;Kobe;99;31/02/1990;\n"
)


def cells(html: str) -> list[str]:
    return re.findall(r"<td[^>]*>.*?</td>", html, re.S)


async def test_dry_run_rows_stack_cleanly_in_the_screens_language(client):
    await hr_client(client)
    await client.get("/invitations/imports")
    for language, column, others in (
        ("en", "birth date: ", ("geboortedatum", "date de naissance")),
        ("nl", "geboortedatum: ", ("birth date", "date de naissance")),
        ("fr", "date de naissance: ", ("geboortedatum", "birth date")),
    ):
        client.cookies.set("werkpas_lang", language)
        html = (await send(client, LIST, "list.csv", "text/csv")).text
        problems = re.findall(r"<li>([^<]*)</li>", html.split('id="import-preview-title"', 1)[1])
        assert any(problem.startswith(column) for problem in problems), (language, problems)
        assert not any(other in problem for problem in problems for other in others), (language, problems)
        assert "JavaScript" not in html
        for cell in cells(html):
            if 'data-label="' in cell:
                label = re.search(r'data-label="([^"]*)"', cell).group(1)
                assert label, cell  # no empty label
                body = re.sub(r"^<td[^>]*>|</td>$", "", cell, flags=re.S).strip()
                # Plain text, or one element: nothing spills into the label column.
                assert body and ("<" not in body or re.fullmatch(r"<(\w+)[^>]*>.*</\1>", body, re.S)), cell
            else:
                assert 'class="import-no-problems"' in cell, cell  # hidden when stacked
    client.cookies.set("werkpas_lang", "en")


async def test_a_full_page_dry_run_asks_for_the_file_again_in_plain_words(client):
    await hr_client(client)
    await client.get("/invitations/imports")
    page = (await send(client, LIST, "list.csv", "text/csv")).text
    assert "To apply, choose the same file again above" in page
    fragment = await send(
        client, LIST, "list.csv", "text/csv", headers={"HX-Request": "true", "x-csrftoken": csrf(client)}
    )
    assert "choose the same file again" not in fragment.text  # the file is still chosen in the page


async def test_no_imports_yet_says_so(client):
    await hr_client(client)
    page = (await client.get("/invitations/imports")).text
    assert "No lists were imported yet." in page


async def test_an_empty_filter_on_a_run_says_so(client):
    await hr_client(client)
    await client.get("/invitations/imports")
    dry = await send(client, LIST, "list.csv", "text/csv")
    applied = await send(
        client,
        LIST,
        "list.csv",
        "text/csv",
        action="apply",
        command_id=hidden(dry.text, "command_id"),
        file_sha256=hidden(dry.text, "file_sha256"),
    )
    location = applied.headers["location"]
    assert "No row has this result." in (await client.get(f"{location}?code=3")).text
    assert "No row has this result." not in (await client.get(location)).text
