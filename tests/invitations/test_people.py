"""Person rules shared by single and bulk invitations."""

from datetime import date

import pytest

from app.domain.invitations.people import ensure_person, match_key, validate_person
from app.storage.people import Person
from tests.support.factories import make_org

TODAY = date(2026, 11, 23)


def valid(**changes):
    raw = {
        "last_name": "Dupré",
        "first_name": "Anne-Marie",
        "birth_date": date(1990, 5, 17),
        "postcode": "9000",
        "email": "Anne@Example.be",
        "phone": "0470 12 34 56",
        "language": "",
    }
    raw.update(changes)
    return raw


def test_valid_person_is_cleaned():
    fields, problems = validate_person(valid(), "fr", TODAY)
    assert problems == {}
    assert fields.email == "anne@example.be" and fields.phone == "+32470123456" and fields.language == "fr"


@pytest.mark.parametrize(
    "changes, field, code",
    [
        ({"last_name": "  "}, "last_name", "last_name_missing"),
        ({"first_name": ""}, "first_name", "first_name_missing"),
        ({"birth_date": None}, "birth_date", "birth_date_missing"),
        ({"birth_date": date(2027, 1, 1)}, "birth_date", "birth_date_impossible"),
        ({"birth_date": date(2012, 1, 1)}, "birth_date", "birth_date_impossible"),
        ({"birth_date": date(1900, 1, 1)}, "birth_date", "birth_date_impossible"),
        ({"postcode": "999"}, "postcode", "postcode_range"),
        ({"postcode": "0999"}, "postcode", "postcode_range"),
        ({"postcode": "10000"}, "postcode", "postcode_range"),
        ({"postcode": ""}, "postcode", "postcode_missing"),
        ({"email": "anne@"}, "email", "email_syntax"),
        ({"phone": "12"}, "phone", "phone_invalid"),
        ({"language": "de"}, "language", "language_unknown"),
    ],
)
def test_problems_by_field(changes, field, code):
    fields, problems = validate_person(valid(**changes), "nl", TODAY)
    assert fields is None and problems == {field: code}


def test_match_key_ignores_case_accents_and_spaces():
    assert match_key("Dupré", "Anne-Marie", date(1990, 5, 17)) == match_key(" DUPRE ", "anne  marie", date(1990, 5, 17))
    assert match_key("Vandenbroucke-Çelik", "Ayşe", date(1990, 5, 17)) == match_key(
        "vandenbroucke celik", "AYSE", date(1990, 5, 17)
    )


async def test_ensure_person_links_instead_of_duplicating():
    org = await make_org()
    fields, _ = validate_person(valid(email=""), "nl", TODAY)
    first_id, created = await ensure_person(fields, org)
    again, _ = validate_person(valid(last_name="DUPRE", first_name="anne marie"), "nl", TODAY)
    second_id, created_again = await ensure_person(again, org)
    assert created and not created_again and first_id == second_id
    assert await Person.count() == 1
    assert (await Person.select(Person.email).first())["email"] == "anne@example.be"  # filled in


async def test_ensure_person_never_matches_another_organisations_record():
    mine, theirs = await make_org(), await make_org()
    fields, _ = validate_person(valid(), "nl", TODAY)
    theirs_id, _created = await ensure_person(fields, theirs)
    other, _ = validate_person(valid(email="other@example.be"), "nl", TODAY)
    mine_id, created = await ensure_person(other, mine)
    assert created and mine_id != theirs_id
    rows = {row["id"]: row for row in await Person.select()}
    assert rows[theirs_id]["organisation"] == theirs and rows[theirs_id]["email"] == "anne@example.be"  # untouched
    assert rows[mine_id]["organisation"] == mine and rows[mine_id]["email"] == "other@example.be"
