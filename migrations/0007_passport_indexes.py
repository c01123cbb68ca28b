"""The passport tables' indexes the domain relies on: one value per field,
one consent per organisation and category, one open request per worker and
organisation, and the consultant's filters. In a migration of its own: raw
statements run before the tables of the same migration exist.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-02T17:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "passport indexes"


INDEXES = (
    'CREATE UNIQUE INDEX IF NOT EXISTS passport_field_one ON "passport_field" ("user", "category", "name")',
    'CREATE INDEX IF NOT EXISTS passport_item_kind ON "passport_item" ("category", "kind", "user")',
    'CREATE UNIQUE INDEX IF NOT EXISTS consent_one ON "consent" ("user", "organisation", "category")',
    'CREATE INDEX IF NOT EXISTS consent_organisation ON "consent" ("organisation", "category", "expires_at", "user")',
    'CREATE UNIQUE INDEX IF NOT EXISTS consent_request_one_open ON "consent_request" ("user", "organisation") WHERE "status" = \'open\'',
    'CREATE INDEX IF NOT EXISTS access_log_subject ON "access_log_entry" ("subject_id", "at")',
    'CREATE INDEX IF NOT EXISTS consent_record_subject ON "consent_record" ("subject_id", "at")',
)


async def _create_indexes():
    from piccolo.apps.migrations.auto.migration_manager import engine_finder
    from piccolo.querystring import QueryString

    for sql in INDEXES:
        await engine_finder().run_querystring(QueryString(sql))


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="werkpas", description=DESCRIPTION)
    manager.add_raw(_create_indexes)
    return manager
