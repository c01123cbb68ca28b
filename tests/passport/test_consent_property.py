"""The consent property (issue 10, one read path): random people, grants,
withdrawals, expiries and reads, in the domain and over HTTP (the
consultant's page of one worker; tests/api/test_property.py does the same
through the API). No read ever returns a field of a category without valid
consent at that moment, and every read that returns anything is in the
access log, with exactly the categories it returned."""

from __future__ import annotations

import itertools
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.core.commands import utcnow
from app.domain.passport import Viewer, read_shared
from app.domain.passport.categories import CODES
from app.storage.passport import AccessLogEntry, Consent
from tests.support.factories import PASSWORD, grant, login, make_user
from tests.support.passport import IDENTITY, agency, do, worker

WORKERS, ORGANISATIONS = 3, 2
_people = itertools.count(1)

subsets = st.lists(st.sampled_from(CODES), max_size=5, unique=True)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("grant"), st.integers(0, WORKERS - 1), st.integers(0, ORGANISATIONS - 1), subsets),
        st.tuples(st.just("withdraw"), st.integers(0, WORKERS - 1), st.integers(0, ORGANISATIONS - 1)),
        st.tuples(st.just("expire"), st.integers(0, WORKERS - 1), st.integers(0, ORGANISATIONS - 1)),
        st.tuples(st.just("read"), st.integers(0, ORGANISATIONS - 1), subsets),
        st.tuples(st.just("http"), st.integers(0, ORGANISATIONS - 1), st.integers(0, WORKERS - 1)),
    ),
    min_size=1,
    max_size=12,
)


# One value per category that the consultant's page shows only when shared.
MARKERS = {
    "contact": "marker-contact@example.be",
    "address": "Markerstraat",
    "skills": "Markerskill",
    "identity": "De Smet",
}


async def _world() -> tuple[list[int], list[int], list[str]]:
    organisations = [await agency(f"Agency {next(_people)}") for _ in range(ORGANISATIONS)]
    consultants = []
    for org in organisations:
        email = f"c{next(_people)}@example.be"
        await make_user(email, role="consultant", org=org)
        consultants.append(email)
    people = []
    for _ in range(WORKERS):
        user_id = await worker(f"w{next(_people)}@example.be", org=organisations[0])
        for org in organisations[1:]:
            await grant(user_id, "worker", org)
        assert (await do("passport.save_identity", IDENTITY, user_id)).applied
        contact = {"email": MARKERS["contact"], "mobile": "0470123456"}
        assert (await do("passport.save_contact", contact, user_id)).applied
        address = {"street": MARKERS["address"], "house_number": "1", "postcode": "9000", "town": "Gent"}
        assert (await do("passport.save_address", address, user_id)).applied
        skill = {"category": "skills", "kind": "", "name": MARKERS["skills"], "level": "expert"}
        assert (await do("passport.add_item", skill, user_id)).applied
        people.append(user_id)
    return people, organisations, consultants


async def _page_as(client, email: str, path: str, signed_in: list[str]):
    if signed_in != [email]:
        client.cookies.clear()
        assert (await login(client, email, PASSWORD)).status_code == 303
        signed_in[:] = [email]
    return await client.get(path)


def _returned(shared) -> set[str]:
    """The categories a read actually handed out, judged by the data itself."""
    found = set(shared.categories)
    assert set(shared.contents.fields) <= found and set(shared.contents.items) <= found
    return found


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(program=steps)
async def test_no_read_returns_a_category_without_consent_and_every_read_is_logged(client, program):
    people, organisations, consultants = await _world()
    model: dict[tuple[int, int], set[str]] = {}
    signed_in: list[str] = []
    for step in program:
        if step[0] == "grant":
            _, w, o, categories = step
            outcome = await do(
                "passport.set_consent",
                {"organisation_id": organisations[o], "categories": categories, "purpose": "staffing"},
                people[w],
            )
            assert outcome.applied
            model[(w, o)] = set(categories)
        elif step[0] == "withdraw":
            _, w, o = step
            assert (await do("passport.withdraw_consent", {"organisation_id": organisations[o]}, people[w])).applied
            model[(w, o)] = set()
        elif step[0] == "expire":
            _, w, o = step
            await Consent.update({Consent.expires_at: utcnow() - timedelta(seconds=1)}).where(
                (Consent.user == people[w]) & (Consent.organisation == organisations[o])
            )
            model[(w, o)] = set()
        elif step[0] == "http":
            _, o, w = step
            before = await AccessLogEntry.count()
            page = await _page_as(client, consultants[o], f"/consultant/workers/{people[w]}", signed_in)
            allowed = model.get((w, o), set())
            if not allowed:
                assert page.status_code == 404  # nothing in force: nothing learned
                assert await AccessLogEntry.count() == before
                continue
            assert page.status_code == 200
            for category, marker in MARKERS.items():
                assert (marker in page.text) == (category in allowed), (category, allowed)
            new = (await AccessLogEntry.select().order_by(AccessLogEntry.id))[before:]
            assert len(new) == 1 and new[0]["subject_id"] == people[w] and new[0]["channel"] == "web"
            assert set(new[0]["categories"].split(",")) == allowed
        else:
            _, o, wanted = step
            before = await AccessLogEntry.count()
            viewer = Viewer(organisation_id=organisations[o], organisation_name="Agency", channel="web")
            result = await read_shared(viewer, people, "staffing", wanted or None)
            entries = await AccessLogEntry.select().where(AccessLogEntry.id > 0).order_by(AccessLogEntry.id)
            new = entries[before:]
            for w, user_id in enumerate(people):
                allowed = model.get((w, o), set()) & (set(wanted) if wanted else set(CODES))
                if user_id not in result:
                    assert not allowed
                    continue
                assert _returned(result[user_id]) == allowed  # exactly the consented ones, nothing more
                logged = [e for e in new if e["subject_id"] == user_id]
                assert len(logged) == 1 and set(logged[0]["categories"].split(",")) == allowed
                assert logged[0]["organisation_id"] == organisations[o]
            assert len(new) == len(result)
