"""Hardening, data and constraints: every person record belongs to one
organisation, and the database itself refuses what parallel requests used
to slip through.

- person.organisation is filled in: the organisation of the record's first
  membership (else its first invitation). A record that several
  organisations shared (the old matching linked people across
  organisations) is split: each other organisation gets a copy with its
  memberships, invitations and import rows; the copy keeps the account link
  only where the account holds a role in that organisation.
- Unique indexes: one record per organisation and match key, one membership
  per person and organisation, one open invitation per person and
  organisation, one current badge per person. Rows that break them (left by
  races before this migration) are resolved first: the newest open
  invitation and the newest badge stay current.

Partial unique indexes are written in SQL: Piccolo cannot declare them. The
SQL is the same on SQLite and PostgreSQL.
"""

from datetime import datetime, timezone

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-01T21:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "hardening data and unique indexes"

OPEN = "('created', 'sent', 'opened')"

INDEXES = (
    'CREATE UNIQUE INDEX IF NOT EXISTS person_organisation_match_key ON "person" ("organisation", "match_key")',
    'CREATE UNIQUE INDEX IF NOT EXISTS membership_person_organisation ON "membership" ("person", "organisation")',
    f'CREATE UNIQUE INDEX IF NOT EXISTS invitation_one_open ON "invitation" ("person", "organisation") WHERE "status" IN {OPEN}',
    'CREATE UNIQUE INDEX IF NOT EXISTS badge_one_current ON "badge" ("person") WHERE "revoked_at" IS NULL',
)


async def _run(sql: str, *args):
    from piccolo.apps.migrations.auto.migration_manager import engine_finder
    from piccolo.querystring import QueryString

    return await engine_finder().run_querystring(QueryString(sql, *args))


async def _organisations_of(person_id: int) -> list[int]:
    """The person's organisations, the one of the oldest link first."""
    links = await _run(
        'SELECT "organisation" AS org, "created_at" AS at, 0 AS kind, "id" AS id FROM "membership" WHERE "person" = {} '
        'UNION ALL SELECT "organisation" AS org, "created_at" AS at, 1 AS kind, "id" AS id FROM "invitation" WHERE "person" = {}',
        person_id,
        person_id,
    )
    ordered: list[int] = []
    for link in sorted(links, key=lambda row: (row["kind"], str(row["at"]), row["id"])):
        if link["org"] is not None and link["org"] not in ordered:
            ordered.append(link["org"])
    return ordered


async def _copy_for(person: dict, organisation_id: int) -> int:
    user_id = person["user"]
    if user_id is not None:
        grants = await _run('SELECT 1 AS found FROM "role_grant" WHERE "user" = {} AND "organisation" = {}', user_id, organisation_id)
        user_id = user_id if grants else None
    rows = await _run(
        'INSERT INTO "person" ("organisation", "user", "last_name", "first_name", "birth_date", "postcode", "email", "phone", "language", "match_key", "created_at") '
        'VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}) RETURNING "id"',
        organisation_id, user_id, person["last_name"], person["first_name"], person["birth_date"], person["postcode"],
        person["email"], person["phone"], person["language"], person["match_key"], person["created_at"],
    )
    copy_id = rows[0]["id"]
    await _run('UPDATE "membership" SET "person" = {} WHERE "person" = {} AND "organisation" = {}', copy_id, person["id"], organisation_id)
    await _run('UPDATE "invitation" SET "person" = {} WHERE "person" = {} AND "organisation" = {}', copy_id, person["id"], organisation_id)
    await _run(
        'UPDATE "import_row" SET "person" = {} WHERE "person" = {} AND "run" IN (SELECT "id" FROM "import_run" WHERE "organisation" = {})',
        copy_id, person["id"], organisation_id,
    )
    return copy_id


async def _assign_organisations() -> None:
    people = await _run('SELECT * FROM "person" WHERE "organisation" IS NULL ORDER BY "id"')
    for person in people:
        organisations = await _organisations_of(person["id"])
        if not organisations:
            continue  # a record nobody links to; nothing to scope
        await _run('UPDATE "person" SET "organisation" = {} WHERE "id" = {}', organisations[0], person["id"])
        for organisation_id in organisations[1:]:
            await _copy_for(person, organisation_id)


async def _resolve_duplicates() -> None:
    # Records of one organisation with one match key: the oldest keeps them.
    groups = await _run(
        'SELECT "organisation" AS org, "match_key" AS key, MIN("id") AS keep FROM "person" '
        'WHERE "organisation" IS NOT NULL GROUP BY "organisation", "match_key" HAVING COUNT(*) > 1'
    )
    for group in groups:
        others = await _run(
            'SELECT "id" FROM "person" WHERE "organisation" = {} AND "match_key" = {} AND "id" <> {}', group["org"], group["key"], group["keep"]
        )
        for other in others:
            for table in ("invitation", "badge", "consent_receipt", "import_row"):
                await _run(f'UPDATE "{table}" SET "person" = {{}} WHERE "person" = {{}}', group["keep"], other["id"])
            await _run('DELETE FROM "membership" WHERE "person" = {}', other["id"])
            await _run('DELETE FROM "person" WHERE "id" = {}', other["id"])
    # Memberships: the oldest of each person and organisation stays.
    await _run(
        'DELETE FROM "membership" WHERE "id" NOT IN (SELECT MIN("id") FROM "membership" GROUP BY "person", "organisation")'
    )
    # Open invitations: the newest stays open, older ones are revoked.
    now = datetime.now(timezone.utc)
    await _run(
        f'UPDATE "invitation" SET "status" = \'revoked\', "revoked_at" = {{}} WHERE "status" IN {OPEN} AND "id" NOT IN '
        f'(SELECT MAX("id") FROM "invitation" WHERE "status" IN {OPEN} GROUP BY "person", "organisation")',
        now,
    )
    # Badges: the newest current badge stays.
    await _run(
        'UPDATE "badge" SET "revoked_at" = {} WHERE "revoked_at" IS NULL AND "id" NOT IN '
        '(SELECT MAX("id") FROM "badge" WHERE "revoked_at" IS NULL GROUP BY "person")',
        now,
    )


async def _create_indexes() -> None:
    for sql in INDEXES:
        await _run(sql)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="werkpas", description=DESCRIPTION)
    manager.add_raw(_assign_organisations)
    manager.add_raw(_resolve_duplicates)
    manager.add_raw(_create_indexes)
    return manager
