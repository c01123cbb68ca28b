"""The worker's own passport pages over HTTP: the overview (sources,
masked numbers, expiry marks), the single-valued forms and the list
categories. Every invalid form answers 422 with inline errors and stores
nothing; another worker's entry answers 404 and changes nothing."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from app.storage.passport import PassportField, PassportItem
from tests.conftest import csrf
from tests.support.factories import login
from tests.support.passport import IDENTITY, agency, do, worker
from tests.support.registration import english


async def signed_in(client, email: str = "wout@example.be") -> int:
    org = await agency(slug=f"org-{email.split('@')[0]}")
    user_id = await worker(email, org=org, onboarded_at=datetime.now(UTC))
    assert (await login(client, email)).status_code == 303
    english(client)
    await client.get("/passport")
    return user_id


async def send(client, path: str, data: dict | list):
    form: dict[str, list[str]] = {}
    for name, value in data.items() if isinstance(data, dict) else data:
        form.setdefault(name, []).append(value)
    form["_csrf_token"] = [csrf(client)]
    return await client.post(path, data=form, follow_redirects=False)


async def fields_of(user_id: int, category: str) -> dict[str, str]:
    rows = await PassportField.select().where((PassportField.user == user_id) & (PassportField.category == category))
    return {row["name"]: row["value"] for row in rows}


async def items_of(user_id: int, category: str | None = None) -> list[dict]:
    where = PassportItem.user == user_id
    if category:
        where = where & (PassportItem.category == category)
    return await PassportItem.select().where(where).order_by(PassportItem.id)


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


# -- the overview ---------------------------------------------------------


async def test_every_page_of_the_worker_opens(client):
    await signed_in(client)
    for path in (
        "/passport",
        "/passport/identity",
        "/passport/contact",
        "/passport/address",
        "/passport/bank",
        "/passport/preferences",
        "/passport/mobility",
        "/passport/availability",
        "/passport/documents",
        *(f"/passport/{category}/new" for category in ("education", "training", "certificates", "skills", "languages")),
    ):
        response = await client.get(path)
        assert response.status_code == 200, path
    assert (await client.get("/passport/identity/new")).status_code == 404
    assert (await client.get("/passport/nothing/new")).status_code == 404


async def test_the_overview_shows_sources_and_masks_the_numbers(client):
    user_id = await signed_in(client)
    assert (await do("passport.save_identity", IDENTITY, user_id)).applied
    assert (await do("passport.save_bank", {"iban": "BE71 0961 2345 6769"}, user_id)).applied
    verifier = await agency("Flexa Interim", slug="flexa")
    await PassportField.update(
        {PassportField.verified_by: verifier, PassportField.verified_at: datetime(2026, 3, 5, 10, tzinfo=UTC)}
    ).where((PassportField.user == user_id) & (PassportField.name == "last_name"))

    page = (await client.get("/passport")).text
    assert "Wout" in page and "De Smet" in page and "14/02/1990" in page
    # Masked, with the last digits; never the full number on the overview.
    assert "••.••.••-•••.26" in page and "BE •••• 6769" in page
    for full in ("90.02.14-003.26", "90021400326", "BE71 0961 2345 6769", "BE71096123456769"):
        assert full not in page
    assert "Source: You" in page
    assert "Verified by Flexa Interim, 05/03/2026" in page
    # Edit for a filled category, Add for an empty one.
    assert re.search(r'href="/passport/identity">Edit', page)
    assert re.search(r'href="/passport/contact">Add', page)
    assert "Your passport is still empty" not in page


async def test_the_overview_marks_expired_and_soon_expiring_certificates(client):
    user_id = await signed_in(client)
    today = date.today()
    for kind, expires in (("forklift", today - timedelta(days=1)), ("vca_basic", today + timedelta(days=20)),
                          ("adr", today + timedelta(days=400))):  # fmt: skip
        outcome = await do(
            "passport.add_item",
            {"category": "certificates", "kind": kind, "issued_on": "01/01/2020", "expires_on": day(expires)},
            user_id,
        )
        assert outcome.applied, outcome.errors
    page = (await client.get("/passport")).text
    forklift = page[page.index("Forklift") :][:600]
    assert "Expired" in forklift and f"Expired on {day(today - timedelta(days=1))}" in forklift
    vca = page[page.index("VCA basic") :][:600]
    assert "Expires soon" in vca and "Expired" not in vca
    adr = page[page.index("ADR (dangerous goods)") :][:600]
    assert "Expires soon" not in adr and "Expired" not in adr and "Valid until" in adr


# -- the single-valued forms ---------------------------------------------------


async def test_the_identity_form_saves_and_shows_the_own_number_in_full(client):
    user_id = await signed_in(client)
    response = await send(client, "/passport/identity", {**IDENTITY, "national_number": "90021400326"})
    assert response.status_code == 303 and response.headers["location"] == "/passport"
    stored = await fields_of(user_id, "identity")
    assert stored["first_name"] == "Wout" and stored["birth_date"] == "1990-02-14"
    assert stored["national_number"] != "90021400326"  # encrypted at rest
    page = (await client.get("/passport")).text
    assert "Saved: Identity." in page
    form = (await client.get("/passport/identity")).text
    assert 'value="14/02/1990"' in form and 'value="90.02.14-003.26"' in form and 'name="first_name"' in form


IDENTITY_PROBLEMS = [
    ({"first_name": ""}, "first_name", "Enter your first name."),
    ({"last_name": "1234"}, "last_name", "A name contains letters."),
    ({"birth_date": "1990-02-14x"}, "birth_date", "Write the date as dd/mm/yyyy"),
    ({"birth_date": "31/02/1990"}, "birth_date", "31 February does not exist"),
    ({"birth_date": day(date.today() + timedelta(days=3))}, "birth_date", "between 15 and 100 years old"),
    ({"national_number": "90.02.14-003.27"}, "national_number", "one of the digits is mistyped"),
    ({"national_number": "85.07.30-033.28"}, "national_number", "belongs to another birth date"),
    ({"national_number": "12345"}, "national_number", "A national number has 11 digits"),
]


@pytest.mark.parametrize(("change", "field", "message"), IDENTITY_PROBLEMS)
async def test_an_invalid_identity_saves_nothing(client, change, field, message):
    user_id = await signed_in(client)
    response = await send(client, "/passport/identity", {**IDENTITY, **change})
    assert response.status_code == 422
    assert message in response.text
    assert f'id="passport-{field}-error"' in response.text  # inline
    assert f'href="#passport-{field}"' in response.text  # and in the summary
    assert 'aria-invalid="true"' in response.text
    assert await fields_of(user_id, "identity") == {}
    # What was typed stays in the form.
    assert f'value="{IDENTITY["first_name"] if field != "first_name" else ""}"' in response.text


FORMS = [
    ("/passport/contact", {"email": "wout@example.be", "mobile": "0470 12 34 56"}, "contact",
     {"email": "wout@example.be", "mobile": "+32470123456"}),
    ("/passport/address", {"street": "Kerkstraat", "house_number": "12B", "postcode": "9000", "town": "Gent"},
     "address", {"street": "Kerkstraat", "house_number": "12B", "postcode": "9000", "town": "Gent"}),
    ("/passport/preferences", [("jobs", "Forklift driver"), ("sectors", "port"), ("sectors", "logistics"),
                               ("regimes", "night"), ("max_distance_km", "25")], "preferences",
     {"jobs": "Forklift driver", "sectors": "logistics,port", "regimes": "night", "max_distance_km": "25"}),
    ("/passport/mobility", {"bicycle": "1", "sector_bus": "1"}, "mobility", {"bicycle": "1", "sector_bus": "1"}),
    ("/passport/availability",
     [("days", "mon"), ("days", "sat"), ("from_date", "01/03/2027"), ("note", "No Wednesdays")], "availability",
     {"days": "mon,sat", "from_date": "2027-03-01", "note": "No Wednesdays"}),
]  # fmt: skip


@pytest.mark.parametrize(("path", "data", "category", "stored"), FORMS)
async def test_each_form_saves(client, path, data, category, stored):
    user_id = await signed_in(client)
    response = await send(client, path, data)
    assert response.status_code == 303 and response.headers["location"] == "/passport"
    assert await fields_of(user_id, category) == stored
    assert (await client.get(path)).status_code == 200


async def test_the_bank_form_keeps_the_iban_encrypted_and_shows_it_in_full_to_the_worker(client):
    user_id = await signed_in(client)
    assert (await send(client, "/passport/bank", {"iban": "be71096123456769"})).status_code == 303
    assert "BE71096123456769" not in (await fields_of(user_id, "bank"))["iban"]
    assert 'value="BE71 0961 2345 6769"' in (await client.get("/passport/bank")).text


INVALID = [
    ("/passport/contact", {"email": "wout@", "mobile": ""}, "email", "Enter a valid e-mail address"),
    ("/passport/contact", {"email": "", "mobile": "12"}, "mobile", "Enter a valid mobile number"),
    ("/passport/bank", {"iban": "BE71 0961 2345 6768"}, "iban", "one of the characters is mistyped"),
    ("/passport/bank", {"iban": "12345"}, "iban", "starts with two letters"),
    ("/passport/address", {"street": "Kerkstraat", "house_number": "1", "postcode": "900", "town": "Gent"},
     "postcode", "four digits"),
    ("/passport/address", {"street": "Kerkstraat", "house_number": "1", "postcode": "9000", "town": ""},
     "town", "Enter the town."),
    ("/passport/preferences", [("sectors", "port"), ("sectors", "moon")], "sectors", "Choose one of the options."),
    ("/passport/preferences", [("regimes", "<b>")], "regimes", "This value is not valid."),
    ("/passport/preferences", {"max_distance_km": "9999"}, "max_distance_km", "from 1 to 500"),
    ("/passport/preferences", {"jobs": "x" * 201}, "jobs", "This is too long."),
    ("/passport/availability", [("days", "mon"), ("days", "someday")], "days", "Choose one of the options."),
    ("/passport/availability", {"from_date": "30/02/2027"}, "from_date", "30 February does not exist"),
    ("/passport/availability", {"from_date": "01/01/3000"}, "from_date", "between 1920 and 2100"),
    ("/passport/availability", {"note": "y" * 301}, "note", "This is too long."),
]  # fmt: skip


@pytest.mark.parametrize(("path", "data", "field", "message"), INVALID)
async def test_each_invalid_form_saves_nothing(client, path, data, field, message):
    user_id = await signed_in(client)
    response = await send(client, path, data)
    assert response.status_code == 422
    assert message in response.text and f'href="#passport-{field}"' in response.text
    assert await PassportField.count().where(PassportField.user == user_id) == 0


async def test_a_verified_value_saved_unchanged_keeps_its_verifier(client):
    user_id = await signed_in(client)
    assert (await send(client, "/passport/contact", {"email": "wout@example.be", "mobile": ""})).status_code == 303
    verifier = await agency("Flexa Interim", slug="flexa")
    await PassportField.update(
        {PassportField.verified_by: verifier, PassportField.verified_at: datetime.now(UTC)}
    ).where(PassportField.user == user_id)
    assert (await send(client, "/passport/contact", {"email": "wout@example.be", "mobile": ""})).status_code == 303
    assert "Verified by Flexa Interim" in (await client.get("/passport")).text
    assert (await send(client, "/passport/contact", {"email": "wout@other.be", "mobile": ""})).status_code == 303
    assert "Verified by Flexa Interim" not in (await client.get("/passport")).text


# -- the list categories -----------------------------------------------------


VALID_ITEMS = [
    ("education", {"kind": "secondary", "name": "Electricity", "issued_on": "30/06/2008"},
     {"kind": "secondary", "name": "Electricity", "issued_on": date(2008, 6, 30)}),
    ("training", {"name": "Safe lifting", "issued_on": "12/01/2025"},
     {"kind": "course", "name": "Safe lifting", "issued_on": date(2025, 1, 12)}),
    ("certificates", {"kind": "forklift", "name": "ignored", "issued_on": "01/02/2024", "expires_on": "01/02/2029"},
     {"kind": "forklift", "name": "", "expires_on": date(2029, 2, 1)}),
    ("certificates", {"kind": "other", "name": "Welding EN 287", "issued_on": "", "expires_on": ""},
     {"kind": "other", "name": "Welding EN 287", "issued_on": None}),
    ("skills", {"name": "Pallet truck", "level": "expert"},
     {"kind": "skill", "name": "Pallet truck", "level": "expert"}),
    ("languages", {"kind": "nl", "level": "native"}, {"kind": "nl", "level": "native"}),
    ("languages", {"kind": "other", "name": "Tigrinya", "level": "B1"}, {"kind": "other", "name": "Tigrinya"}),
]  # fmt: skip


@pytest.mark.parametrize(("category", "data", "stored"), VALID_ITEMS)
async def test_each_list_category_adds_an_entry(client, category, data, stored):
    user_id = await signed_in(client)
    response = await send(client, f"/passport/{category}/new", data)
    assert response.status_code == 303 and response.headers["location"] == f"/passport#{category}"
    rows = await items_of(user_id, category)
    assert len(rows) == 1
    assert {key: rows[0][key] for key in stored} == stored
    assert rows[0]["verified_by"] is None


FUTURE = day(date.today() + timedelta(days=2))
INVALID_ITEMS = [
    ("education", {"kind": "phd_on_the_moon", "name": "X"}, "kind", "Choose one of the options."),
    ("education", {"kind": "master", "name": ""}, "name", "Enter a name."),
    ("education", {"kind": "master", "name": "X", "issued_on": FUTURE}, "issued_on", "This date is in the future."),
    ("training", {"name": "Safe lifting", "issued_on": ""}, "issued_on", "Enter the date you took the course."),
    ("training", {"name": "Safe lifting", "issued_on": "2025/01/12"}, "issued_on", "Write the date as dd/mm/yyyy"),
    ("training", {"name": "z" * 101, "issued_on": "12/01/2025"}, "name", "This is too long."),
    ("certificates", {"kind": "pilot"}, "kind", "Choose one of the options."),
    ("certificates", {"kind": "other", "name": ""}, "name", "Enter a name."),
    ("certificates", {"kind": "adr", "issued_on": "01/02/2024", "expires_on": "01/01/2024"}, "expires_on",
     "The expiry date comes before the date it was issued."),
    ("certificates", {"kind": "adr", "issued_on": FUTURE}, "issued_on", "This date is in the future."),
    ("certificates", {"kind": "adr", "expires_on": "31/04/2030"}, "expires_on", "31 April does not exist"),
    ("certificates", {"kind": "adr", "issued_on": "01/01/1900"}, "issued_on", "between 1920 and 2100"),
    ("skills", {"name": "Welding", "level": "guru"}, "level", "Choose one of the options."),
    ("skills", {"name": "", "level": "expert"}, "name", "Enter a name."),
    ("languages", {"kind": "xx", "level": "B1"}, "kind", "Choose one of the options."),
    ("languages", {"kind": "fr", "level": "C3"}, "level", "Choose one of the options."),
    ("languages", {"kind": "other", "level": "B1"}, "name", "Enter a name."),
]  # fmt: skip


@pytest.mark.parametrize(("category", "data", "field", "message"), INVALID_ITEMS)
async def test_each_invalid_entry_saves_nothing(client, category, data, field, message):
    user_id = await signed_in(client)
    response = await send(client, f"/passport/{category}/new", data)
    assert response.status_code == 422
    assert message in response.text and f'href="#passport-{field}"' in response.text
    assert await items_of(user_id) == []


async def test_an_entry_is_changed_and_removed_after_a_confirmation(client):
    user_id = await signed_in(client)
    await send(client, "/passport/skills/new", {"name": "Welding", "level": "beginner"})
    item_id = (await items_of(user_id))[0]["id"]
    form = (await client.get(f"/passport/items/{item_id}/edit")).text
    assert 'value="Welding"' in form and '<option value="beginner" selected>' in form
    response = await send(client, f"/passport/items/{item_id}/edit", {"name": "Welding", "level": "expert"})
    assert response.status_code == 303
    assert (await items_of(user_id))[0]["level"] == "expert"
    bad = await send(client, f"/passport/items/{item_id}/edit", {"name": "Welding", "level": "god"})
    assert bad.status_code == 422 and (await items_of(user_id))[0]["level"] == "expert"

    question = await client.get(f"/passport/items/{item_id}/remove")
    assert "Do you want to remove Welding from Skills?" in question.text
    assert (await items_of(user_id)) != []  # asking removes nothing
    assert (await send(client, f"/passport/items/{item_id}/remove", {})).status_code == 303
    assert await items_of(user_id) == []


async def test_a_verified_skill_keeps_its_verifier_until_it_is_changed(client):
    user_id = await signed_in(client)
    await send(client, "/passport/skills/new", {"name": "Welding", "level": "expert"})
    item_id = (await items_of(user_id))[0]["id"]
    verifier = await agency("Flexa Interim", slug="flexa")
    await PassportItem.update(
        {PassportItem.verified_by: verifier, PassportItem.verified_at: datetime(2026, 1, 9, 12, tzinfo=UTC)}
    ).where(PassportItem.id == item_id)
    assert "Verified by Flexa Interim, 09/01/2026" in (await client.get("/passport")).text
    form = (await client.get(f"/passport/items/{item_id}/edit")).text
    assert "Flexa Interim verified this entry" in form
    await send(client, f"/passport/items/{item_id}/edit", {"name": "Welding", "level": "expert"})
    assert (await items_of(user_id))[0]["verified_by"] == verifier
    await send(client, f"/passport/items/{item_id}/edit", {"name": "Welding", "level": "beginner"})
    assert (await items_of(user_id))[0]["verified_by"] is None


async def test_another_workers_entry_answers_404_and_changes_nothing(client):
    other = await worker("anna@example.be", org=await agency(slug="anna-org"), display_name="Anna")
    assert (await do("passport.add_item", {"category": "skills", "name": "Baking", "level": "expert"}, other)).applied
    theirs = (await items_of(other))[0]["id"]
    await signed_in(client)
    for path in (f"/passport/items/{theirs}/edit", f"/passport/items/{theirs}/remove", "/passport/items/99999/edit",
                 "/passport/items/99999999999999/edit"):  # fmt: skip
        assert (await client.get(path)).status_code == 404, path
    assert (
        await send(client, f"/passport/items/{theirs}/edit", {"name": "Mine", "level": "beginner"})
    ).status_code == 404
    assert (await send(client, f"/passport/items/{theirs}/remove", {})).status_code == 404
    # The command itself, from any channel, says the same.
    me = (await PassportItem.select(PassportItem.user).where(PassportItem.id == theirs).first())["user"]
    assert me == other
    rows = await items_of(other)
    assert len(rows) == 1 and rows[0]["name"] == "Baking" and rows[0]["level"] == "expert"


async def test_the_commands_refuse_another_workers_entry(client):
    mine = await worker("wout@example.be", org=await agency(slug="wout-org"))
    other = await worker("anna@example.be", org=await agency(slug="anna-org"), display_name="Anna")
    await do("passport.add_item", {"category": "skills", "name": "Baking", "level": "expert"}, other)
    theirs = (await items_of(other))[0]["id"]
    changed = await do("passport.change_item", {"item_id": theirs, "name": "X", "level": "beginner"}, mine)
    removed = await do("passport.remove_item", {"item_id": theirs}, mine)
    assert changed.code() == "not_found" and removed.code() == "not_found"
    assert (await items_of(other))[0]["name"] == "Baking"


async def test_a_category_holds_at_most_50_entries_even_under_parallel_requests(client):
    user_id = await worker("wout@example.be", org=await agency(slug="wout-org"))
    for number in range(48):
        assert (await do("passport.add_item", {"category": "skills", "name": f"Skill {number}", "level": "expert"},
                         user_id)).applied  # fmt: skip
    outcomes = await asyncio.gather(
        *(do("passport.add_item", {"category": "skills", "name": f"Extra {n}", "level": "beginner"}, user_id)
          for n in range(30))
    )  # fmt: skip
    assert sum(outcome.applied for outcome in outcomes) == 2
    assert {outcome.code() for outcome in outcomes if not outcome.applied} == {"item_limit"}
    assert len(await items_of(user_id, "skills")) == 50
    # Another category is not full.
    assert (await do("passport.add_item", {"category": "languages", "kind": "fr", "level": "B1"}, user_id)).applied


async def test_a_non_worker_cannot_open_the_passport_forms(client):
    from tests.support.factories import make_user

    await make_user("hr@example.be", role="hr", org=await agency(slug="hr-org"))
    await login(client, "hr@example.be")
    assert (await client.get("/passport/identity")).status_code == 403
    assert (await client.get("/passport/skills/new")).status_code == 403


async def test_hostile_input_gets_a_message_and_saves_nothing(client):
    user_id = await signed_in(client)
    long = await send(client, "/passport/identity", {**IDENTITY, "first_name": "W" * 300})
    assert long.status_code == 422 and "Use at most 200 characters." in long.text
    nul = await send(client, "/passport/skills/new", {"name": "\x00\x00", "level": "expert"})
    assert nul.status_code == 422 and "Enter a name." in nul.text
    script = await send(client, "/passport/skills/new", {"name": "<script>alert(1)</script>", "level": "expert"})
    assert script.status_code == 303
    page = (await client.get("/passport")).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    forged = await send(client, "/passport/training/new", {"name": "X", "issued_on": "01/01/2020", "document_id": "-1"})
    assert forged.status_code == 422
    unknown_field = await send(client, "/passport/skills/new", {"name": "Y", "level": "expert", "category": "identity"})
    assert unknown_field.status_code == 303  # the category comes from the URL, never from the form
    assert {row["category"] for row in await items_of(user_id)} == {"skills"}
    assert await fields_of(user_id, "identity") == {}
