"""An organisation works the day it is created: creating it adds the default
rooms in its language, the settings' defaults hold without a stored row,
and a worker can open a table at once."""

from __future__ import annotations

from app.domain.participation.setup import DEFAULT_ROOMS, settings_of
from app.storage.participation import ParticipationSettings, Room
from tests.support.factories import make_user
from tests.support.participation import do, open_table, person


async def _create(slug: str, language: str) -> int:
    admin = await make_user(f"admin-{slug}@werkpas.example", role="platform_admin")
    payload = {"name": slug.title(), "slug": slug, "kind": "employer", "default_language": language}
    outcome = await do("admin.create_organisation", {**payload, "invitation_days": "30"}, admin)
    assert outcome.applied, outcome.errors
    return outcome.ids["organisation_id"]


async def test_a_new_organisation_has_rooms_in_its_language_and_works_at_once():
    org = await _create("nieuw", "fr")
    rooms = await Room.select(Room.name, Room.position).where(Room.organisation == org).order_by(Room.position)
    assert [room["name"] for room in rooms] == [name for name, _text in DEFAULT_ROOMS["fr"]]
    assert await ParticipationSettings.count() == 0
    settings = await settings_of(org)
    assert (settings.table_price, settings.chair_price, settings.coins_per_period, settings.min_chairs) == (3, 1, 10, 2)
    worker = await person("ann@example.be", org)
    room = (await Room.select(Room.id).where(Room.organisation == org).first())["id"]
    assert (await open_table(worker, room)).applied


async def test_adding_the_defaults_again_adds_nothing():
    org = await _create("tweemaal", "nl")
    admin = await make_user("again@werkpas.example", role="platform_admin")
    outcome = await do("participation.set_up_defaults", {"organisation_id": org}, admin)
    assert outcome.applied and outcome.ids["rooms_added"] == 0
    assert await Room.count().where(Room.organisation == org) == len(DEFAULT_ROOMS["nl"])


async def test_only_the_platform_admin_adds_defaults():
    org = await _create("alleen", "nl")
    worker = await person("ann@example.be", org)
    outcome = await do("participation.set_up_defaults", {"organisation_id": org}, worker)
    assert outcome.code() == "not_allowed"


async def test_the_migration_gives_older_organisations_their_rooms():
    """Organisations that existed before participation get the default rooms
    from migration 0014, in their language; ones with rooms keep theirs."""
    import importlib

    from tests.support.factories import make_org

    migration = importlib.import_module("migrations.0014_participation_data")
    older = await make_org(slug="ouder", language="en")
    kept = await make_org(slug="eigen")
    await Room.insert(Room(organisation=kept, name="Eigen kamer", created_at=_now()))
    await migration._apply()
    names = [
        row["name"] for row in await Room.select(Room.name).where(Room.organisation == older).order_by(Room.position)
    ]
    assert names == [name for name, _text in DEFAULT_ROOMS["en"]]
    assert [row["name"] for row in await Room.select(Room.name).where(Room.organisation == kept)] == ["Eigen kamer"]


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)
