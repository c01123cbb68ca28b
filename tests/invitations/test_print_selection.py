"""Printing from the list (issue 9, point 3): the ticked invitations are
sorted into printable and skipped ones, the list says so ("2 sheets ready to
print, 3 skipped: 1 revoked, 1 expired, 1 already registered.") and offers
the PDF of the printable ones; nothing ticked is a message on the list, and
another organisation's ids answer 404 and reveal nothing."""

from __future__ import annotations

import re
import uuid
from html import unescape

from app.storage.people import Badge
from tests.invitations.test_print_support import close, csrf, invite, make_org, pages, qr_codes, staff, url_of


async def _print(client, ids=(), kind: str = "sheets", **fields):
    data = {
        "_csrf_token": csrf(client),
        "command_id": str(uuid.uuid4()),
        "kind": kind,
        "ids": [str(number) for number in ids],
        **fields,
    }
    return await client.post("/invitations/print", data=data, follow_redirects=False)


def _summary(html: str) -> str:
    found = re.search(r'<section class="card print-result[^"]*"[^>]*>(.*?)</section>', html, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else ""


async def _five(org: int) -> list[int]:
    """Two open invitations, then one revoked, one expired, one registered."""
    ids = [await invite(org, first, last) for first, last in (("An", "Open"), ("Bo", "Open"), ("Cas", "Revoked"))]
    ids += [await invite(org, "Dirk", "Expired"), await invite(org, "Els", "Registered")]
    await close(ids[2], "revoked")
    await close(ids[3], "sent", expired=True)
    await close(ids[4], "registered")
    return ids


async def test_the_list_says_what_was_printed_and_skipped(client, tmp_path):
    org = await staff(client)
    ids = await _five(org)
    response = await _print(client, ids, q="Open", status="", page="1")
    assert response.status_code == 303 and response.headers["location"] == "/invitations?q=Open"
    html = (await client.get(response.headers["location"])).text
    assert _summary(html) == (
        "Invitation sheets 2 sheets ready to print, 3 skipped: 1 revoked, 1 expired, 1 already registered. "
        "Download the PDF (2 sheets)"
    )
    link = re.search(r'href="(/invitations/sheets\.pdf\?ids=[^"]+)"', html).group(1)
    assert link == f"/invitations/sheets.pdf?ids={ids[0]},{ids[1]}"
    pdf = await client.get(link)
    assert pdf.status_code == 200 and pdf.headers["cache-control"] == "no-store"
    decoded = sorted(code for image in pages(pdf.content, tmp_path) for code in qr_codes(image))
    assert decoded == sorted([await url_of(ids[0]), await url_of(ids[1])])
    # Shown once: a reload does not repeat it.
    assert _summary((await client.get("/invitations")).text) == ""


async def test_nothing_printable_says_why_without_a_download(client):
    org = await staff(client)
    ids = await _five(org)
    response = await _print(client, ids[2:])
    html = (await client.get(response.headers["location"])).text
    assert _summary(html) == "Invitation sheets Nothing to print: 1 revoked, 1 expired, 1 already registered."
    assert "sheets.pdf?ids" not in html


async def test_nothing_ticked_is_a_message_on_the_list(client):
    await staff(client)
    for fields in ({}, {"ids": [""]}):
        response = await _print(client, status="revoked", page="2", **fields)
        assert response.status_code == 303
        assert response.headers["location"] == "/invitations?status=revoked&page=2"
        html = (await client.get(response.headers["location"])).text
        assert "Nothing was printed: tick at least one invitation first." in html
        assert "Printing is not possible" not in html  # not the error page
    response = await _print(client, ["12", "abc"])
    html = (await client.get(response.headers["location"])).text
    assert "The selection could not be read" in html


async def test_the_way_back_keeps_only_a_real_list_address(client):
    org = await staff(client)
    one = await invite(org, "Ann", "Peeters")
    for fields, location in (
        ({"q": "  Ann   Peeters ", "status": "sent", "page": "3"}, "/invitations?q=Ann+Peeters&status=sent&page=3"),
        ({"q": "", "status": "nonsense", "page": "-1"}, "/invitations"),
        ({"status": "https://evil.example/", "page": "//evil"}, "/invitations"),
    ):
        response = await _print(client, [one], **fields)
        assert response.headers["location"] == location, fields


async def test_select_all_on_this_page_works_without_javascript(client):
    org = await staff(client)
    ids = await _five(org)
    response = await _print(client, [], all_on_page="1", page_ids=[str(i) for i in ids])
    html = (await client.get(response.headers["location"])).text
    assert "2 sheets ready to print, 3 skipped" in _summary(html)


async def test_another_organisations_ids_are_not_found_and_reveal_nothing(client):
    org = await staff(client)
    mine = await invite(org, "Is", "Mine")
    foreign = await invite(await make_org(name="Elsewhere"), "Not", "Yours")
    revoked_foreign = await invite(await make_org(name="Further"), "Also", "Theirs")
    await close(revoked_foreign, "revoked")
    answers = []
    for ids in ([foreign], [mine, foreign], [mine, revoked_foreign], [999999]):
        for kind in ("sheets", "badges"):
            response = await _print(client, ids, kind)
            assert response.status_code == 404, (ids, kind)
            answers.append(response.text)
    assert len(set(answers)) == 1  # the same answer whatever the foreign id is
    assert _summary((await client.get("/invitations")).text) == ""
    assert await Badge.count() == 0


async def test_badges_from_the_list_are_issued_once_and_downloaded(client):
    org = await staff(client)
    ids = await _five(org)
    response = await _print(client, ids, "badges")
    html = (await client.get(response.headers["location"])).text
    # Badges are for people on the roster: only the revoked invitation is skipped.
    assert "4 badges ready to print, 1 skipped: 1 revoked." in _summary(html)
    assert await Badge.count() == 4
    form = re.search(r'<form method="post" action="/invitations/badges.pdf">(.*?)</form>', html, re.S).group(1)
    fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form))
    assert "renew" not in fields and fields["ids"] == ",".join(str(i) for i in ids if i != ids[2])
    pdf = await client.post("/invitations/badges.pdf", data={**fields, "_csrf_token": csrf(client)})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert await Badge.count() == 4  # the download issues nothing more
    renewed = await _print(client, ids[:1], "badges", renew="1")
    assert renewed.status_code == 303
    assert await Badge.count() == 5 and await Badge.count().where(Badge.revoked_at.is_null()) == 4


async def test_the_list_offers_the_selection_with_labels(client):
    org = await staff(client)
    ids = await _five(org)
    html = (await client.get("/invitations")).text
    assert html.count("data-select-row") == 5
    assert 'name="all_on_page"' in html and "Select all on this page" in html
    for invitation_id in ids:
        assert f'name="page_ids" value="{invitation_id}"' in html
    assert "Select An Open" in html  # each box has its own label
    assert "Print sheets for selected" in html and "Print badges for selected" in html
    assert 'data-many="Print sheets for {count} selected"' in html
