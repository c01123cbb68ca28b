"""The index the API's consent-events feed pages by: an organisation's
receipts in id order. In a migration of its own, as 0007: raw statements run
before the tables of the same migration exist.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-02T18:31:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "api indexes"


INDEXES = ('CREATE INDEX IF NOT EXISTS consent_record_organisation ON "consent_record" ("organisation_id", "id")',)


async def _create_indexes():
    from piccolo.apps.migrations.auto.migration_manager import engine_finder
    from piccolo.querystring import QueryString

    for sql in INDEXES:
        await engine_finder().run_querystring(QueryString(sql))


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="werkpas", description=DESCRIPTION)
    manager.add_raw(_create_indexes)
    return manager
