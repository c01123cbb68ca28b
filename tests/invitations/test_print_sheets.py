"""Invitation sheets: every QR code on the PDF decodes to its invitation's
link; names, codes, organisation and expiry date are on the sheet, in the
invited person's language; other organisations' invitations answer 404."""

from __future__ import annotations

from app import i18n
from app.domain.core.access import Reach
from app.domain.invitations.printing import queries, sheets
from tests.invitations.test_print_support import (
    close,
    code_of,
    csrf,
    invite,
    make_org,
    make_run,
    pages,
    qr_codes,
    row,
    staff,
    text,
    url_of,
)
from tests.support.factories import make_user


class Catalog:
    """A translation for one message, to see which language a sheet used."""

    def __init__(self, translations: dict[str, str]):
        self.translations = translations

    def gettext(self, message: str) -> str:
        return self.translations.get(message, message)


async def test_every_qr_code_is_its_invitations_link(client, tmp_path):
    org = await staff(client)
    ids = [
        await invite(org, "Amira", "Vandenbroucke-Çelik", "nl"),
        await invite(org, "Jean", "Dupré", "fr"),
        await invite(org, "Ayşe", "Yılmaz", "en"),  # noqa: RUF001
    ]
    response = await client.get("/invitations/sheets.pdf", params={"ids": ",".join(map(str, ids))})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('attachment; filename="werkpas-invitations-')
    assert response.headers["cache-control"] == "no-store"
    images = pages(response.content, tmp_path)
    assert len(images) == 2  # two invitations per A4
    decoded = [code for image in images for code in qr_codes(image)]
    assert sorted(decoded) == sorted([await url_of(i) for i in ids])
    content = text(response.content, tmp_path)
    for invitation_id, name in zip(ids, ("Amira Vandenbroucke-Çelik", "Jean Dupré", "Ayşe Yılmaz"), strict=True):  # noqa: RUF001
        assert name in content
        assert await code_of(invitation_id) in content
    assert "Brouwerij De Klok" in content


async def test_text_and_dates_in_each_persons_language(monkeypatch, tmp_path):
    org = await make_org(name="Flexa")
    dutch, french = await invite(org, "Els", "Peeters", "nl"), await invite(org, "Luc", "Lambert", "fr")
    monkeypatch.setitem(i18n._catalogs, "nl", Catalog({"Type your date of birth.": "Typ je geboortedatum."}))
    monkeypatch.setitem(i18n._catalogs, "fr", Catalog({"Type your date of birth.": "Tapez votre date de naissance."}))
    i18n.set_language("en")
    pdf = sheets.render_sheets(await queries.sheets_for_invitations([dutch, french], Reach.all()))
    assert i18n.current_language() == "en"  # the caller's language is back
    content = " ".join(text(pdf, tmp_path).split())
    assert "Typ je geboortedatum." in content and "Tapez votre date de naissance." in content
    assert "Type your date of birth." not in content
    for invitation_id, language in ((dutch, "nl"), (french, "fr")):
        i18n.set_language(language)
        assert i18n.format_date((await row(invitation_id))["expires_at"], "long") in content
    i18n.set_language("nl")


async def test_post_selection_and_only_open_invitations(client, tmp_path):
    org = await staff(client, role="consultant")
    open_one, revoked, expired = (
        await invite(org, "Open", "Een"),
        await invite(org, "Revoked", "Twee"),
        await invite(org, "Expired", "Drie"),
    )
    await close(revoked)
    await close(expired, status="sent", expired=True)
    response = await client.post(
        "/invitations/sheets.pdf",
        data={"ids": [str(open_one), str(revoked), str(expired)], "_csrf_token": csrf(client)},
    )
    assert response.status_code == 200
    assert [code for image in pages(response.content, tmp_path) for code in qr_codes(image)] == [await url_of(open_one)]
    response = await client.get("/invitations/sheets.pdf", params={"ids": f"{revoked},{expired}"})
    assert response.status_code == 422 and "registered, revoked or expired" in response.text


async def test_one_invitation_revoked_meanwhile_is_a_message_on_its_own_page(client):
    org = await staff(client)
    invitation_id = await invite(org, "Later", "Ingetrokken")
    await client.get(f"/invitations/{invitation_id}")
    await close(invitation_id)  # revoked in another tab, after this page was opened
    response = await client.post(
        "/invitations/sheets.pdf", data={"ids": str(invitation_id), "_csrf_token": csrf(client)}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == f"/invitations/{invitation_id}"
    page = await client.get(response.headers["location"])
    assert page.status_code == 200 and "registered, revoked or expired" in page.text
    assert "flash-error" in page.text


async def test_bad_selections_get_a_message(client):
    await staff(client)
    for params, message in (
        ({"ids": "12,abc"}, "could not be read"),
        ({}, "Choose at least one"),
        ({"ids": "0"}, "could not be read"),
        ({"ids": ",".join(["1"] * 5001)}, "at most 5000"),
    ):
        response = await client.get("/invitations/sheets.pdf", params=params)
        assert response.status_code == 422 and message in response.text, params


async def test_other_organisations_invitations_are_not_found(client):
    org = await staff(client)
    foreign = await invite(await make_org(name="Elsewhere"), "Not", "Yours")
    mine = await invite(org, "Is", "Mine")
    assert (await client.get("/invitations/sheets.pdf", params={"ids": str(mine)})).status_code == 200
    for ids in (str(foreign), f"{mine},{foreign}", "999999"):
        response = await client.get("/invitations/sheets.pdf", params={"ids": ids})
        assert response.status_code == 404 and b"%PDF" not in response.content


async def test_import_run_sheets(client, tmp_path):
    org = await staff(client)
    run = await make_run(org)
    in_run = [await invite(org, "Run", f"Person{n}", run=run) for n in range(3)]
    await invite(org, "Not", "InRun")
    response = await client.get(f"/invitations/imports/{run}/sheets.pdf")
    assert (
        response.status_code == 200
        and response.headers["content-disposition"] == f'attachment; filename="werkpas-import-{run}-invitations.pdf"'
    )
    assert sorted(code for image in pages(response.content, tmp_path) for code in qr_codes(image)) == sorted(
        [await url_of(i) for i in in_run]
    )
    other_run = await make_run(await make_org())
    assert (await client.get(f"/invitations/imports/{other_run}/sheets.pdf")).status_code == 404
    assert (await client.get("/invitations/imports/424242/sheets.pdf")).status_code == 404
    assert (await client.get("/invitations/imports/99999999999/sheets.pdf")).status_code == 404


async def test_printing_needs_the_print_permission(client):
    org = await make_org()
    invitation_id = await invite(org, "Some", "One")
    await make_user("lead@example.be", role="team_lead", org=org)
    from tests.support.factories import login

    await login(client, "lead@example.be")
    assert (await client.get("/invitations/sheets.pdf", params={"ids": str(invitation_id)})).status_code == 403


def test_site_name_points_at_the_code_entry_page(settings):
    assert sheets.site_name() == settings.base_url.split("://", 1)[1] + "/register"


async def test_long_instructions_are_set_smaller_never_cut(tmp_path):
    """The French first step needs three lines at full size; every word must
    still be on the sheet."""
    org = await make_org(name="Flexa")
    french = await invite(org, "Luc", "Lambert", "fr")
    pdf = sheets.render_sheets(await queries.sheets_for_invitations([french], Reach.all()))
    i18n.set_language("fr")
    expected = " ".join(i18n._("Scan the QR code with the camera of your phone.").split())
    i18n.set_language("nl")
    assert expected in " ".join(text(pdf, tmp_path).split())
