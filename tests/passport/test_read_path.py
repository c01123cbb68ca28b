"""The one read path: consent per organisation and category decides what
another organisation reads, every read is logged, withdrawal and expiry take
effect at the very next read, and sensitive numbers are stored encrypted."""

from __future__ import annotations

from datetime import timedelta

from app.domain.core.commands import utcnow
from app.domain.passport import Viewer, read_shared
from app.storage.passport import AccessLogEntry, Consent, ConsentRecord, PassportField
from tests.support.passport import IDENTITY, agency, consent_to, do, worker


async def _viewer(org: int) -> Viewer:
    return Viewer(organisation_id=org, organisation_name="Flexa Interim", user_id=None, name="Test", channel="web")


async def test_an_organisation_reads_only_the_consented_categories_and_each_read_is_logged():
    flexa = await agency()
    wout = await worker(org=flexa)
    assert (await do("passport.save_identity", IDENTITY, wout)).applied
    assert (await do("passport.save_bank", {"iban": "BE71 0961 2345 6769"}, wout)).applied
    assert (await read_shared(await _viewer(flexa), [wout], "staffing")) == {}
    assert await AccessLogEntry.count() == 0  # nothing read, nothing logged

    await consent_to(wout, flexa, ["identity", "contact"])
    shared = (await read_shared(await _viewer(flexa), [wout], "staffing"))[wout]
    assert shared.categories == ["identity", "contact"]
    assert shared.contents.value("identity", "first_name") == "Wout"
    # Masked under the staffing purpose; the bank account is not there at all.
    assert shared.contents.value("identity", "national_number").endswith("26")
    assert "900214" not in shared.contents.value("identity", "national_number")
    assert "bank" not in shared.contents.fields and "bank" in shared.not_shared
    [entry] = await AccessLogEntry.select()
    assert entry["subject_id"] == wout and entry["categories"] == "identity,contact"
    assert entry["legal_basis"] == "consent" and entry["purpose"] == "staffing"


async def test_withdrawal_and_expiry_take_effect_at_the_next_read_and_receipts_stay():
    flexa = await agency()
    wout = await worker(org=flexa)
    await do("passport.save_identity", IDENTITY, wout)
    await consent_to(wout, flexa, ["identity"])
    assert wout in await read_shared(await _viewer(flexa), [wout], "staffing")
    assert (await do("passport.withdraw_consent", {"organisation_id": flexa}, wout)).applied
    assert await read_shared(await _viewer(flexa), [wout], "staffing") == {}
    actions = [row["action"] for row in await ConsentRecord.select().order_by(ConsentRecord.id)]
    assert actions == ["grant", "withdraw"]

    await consent_to(wout, flexa, ["identity"])
    await Consent.update({Consent.expires_at: utcnow() - timedelta(seconds=1)}).where(Consent.user == wout)
    assert await read_shared(await _viewer(flexa), [wout], "staffing") == {}


async def test_consent_only_to_an_organisation_one_joined():
    flexa, other = await agency(), await agency("Other Interim")
    wout = await worker(org=flexa)
    outcome = await do("passport.set_consent", {"organisation_id": other, "categories": ["identity"]}, wout)
    assert outcome.code() == "not_found"
    assert await Consent.count() == 0 and await ConsentRecord.count() == 0


async def test_sensitive_numbers_are_encrypted_at_rest():
    wout = await worker(org=await agency())
    assert (await do("passport.save_identity", IDENTITY, wout)).applied
    assert (await do("passport.save_bank", {"iban": "BE71096123456769"}, wout)).applied
    rows = {row["name"]: row for row in await PassportField.select()}
    assert rows["national_number"]["encrypted"] and "90021400326" not in rows["national_number"]["value"]
    assert rows["iban"]["encrypted"] and "BE71" not in rows["iban"]["value"]
    assert rows["first_name"]["value"] == "Wout" and not rows["first_name"]["encrypted"]


async def test_an_invalid_identity_saves_nothing():
    wout = await worker(org=await agency())
    outcome = await do("passport.save_identity", {**IDENTITY, "national_number": "90.02.14-003.27"}, wout)
    assert outcome.code("national_number") == "national_number_checksum"
    outcome = await do("passport.save_identity", {**IDENTITY, "birth_date": "31/02/1990"}, wout)
    assert outcome.code("birth_date") == "date_no_such_day"
    outcome = await do("passport.save_identity", {**IDENTITY, "birth_date": "14/02/2020"}, wout)
    assert outcome.code("birth_date") == "birth_date_age"
    assert await PassportField.count() == 0


async def test_an_account_without_a_worker_role_has_no_passport_to_write():
    nobody = await worker()
    assert (await do("passport.save_identity", IDENTITY, nobody)).code() == "not_allowed"


async def test_the_contract_basis_gives_the_planner_of_the_unit_name_and_availability_only():
    from app.domain.core.access import Reach
    from app.storage.people import Membership, Person
    from tests.support.factories import make_unit

    employer = await agency("Brouwerij")
    gent, aalst = await make_unit(employer, "Gent"), await make_unit(employer, "Aalst")
    placed, elsewhere = await worker("a@example.be", org=employer), await worker("b@example.be", org=employer)
    for user_id, unit in ((placed, gent), (elsewhere, aalst)):
        await do("passport.save_identity", IDENTITY, user_id)
        rows = await Person.insert(
            Person(
                organisation=employer,
                user=user_id,
                last_name="X",
                first_name="Y",
                birth_date=utcnow().date().replace(year=1990),
                postcode="9000",
                match_key=f"x|y|{user_id}",
                created_at=utcnow(),
            )
        )
        await Membership.insert(
            Membership(person=rows[0]["id"], organisation=employer, unit=unit, source="admin", created_at=utcnow())
        )
    gent_path = f"/{gent}/"
    reach = Reach(units=frozenset({(employer, gent_path)}))
    shared = await read_shared(await _viewer(employer), [placed, elsewhere], "planning", work_reach=reach)
    assert list(shared) == [placed]
    assert shared[placed].categories == ["availability"] and shared[placed].name == "Wout De Smet"
    assert "identity" not in shared[placed].contents.fields  # no consent: identity stays out
    [entry] = await AccessLogEntry.select()
    assert entry["subject_id"] == placed and entry["legal_basis"] == "contract"
    assert entry["categories"] == "name,availability"
