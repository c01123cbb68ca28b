"""Indexes of the consultant's search (issue 10, point 6; bench point 11).

- consent_in_force: the workers of one organisation whose consent to one
  category is in force, read from the index alone. 0007 meant this one as
  "consent_organisation", but Piccolo's own index on the foreign key has that
  name, so its CREATE ... IF NOT EXISTS did nothing.
- consent_by_worker: the workers with any consent in force, in id order (the
  unfiltered list and its count, without a sort of all rows).
- passport_field_search / passport_item_search: the filters' value matches
  (town, name, mobility, availability; certificate, skill, language) read
  from the index alone. On PostgreSQL the field index leaves `value` out: a
  btree entry holds at most about 2.7 kB and a field's text may be longer.
- passport_item_owner: a page's items by worker and category (the read
  path's load). Without it SQLite, having no statistics, reads a category's
  items of every worker through the index on (category, kind, ...) instead
  of the 25 workers' own: 50 ms instead of 4 for a page of 100,000 workers.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-02T18:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "consultant search indexes"

COMMON = (
    'CREATE INDEX IF NOT EXISTS consent_in_force ON "consent" ("organisation", "category", "expires_at", "user")',
    'CREATE INDEX IF NOT EXISTS consent_by_worker ON "consent" ("organisation", "user", "expires_at")',
    'CREATE INDEX IF NOT EXISTS passport_item_search ON "passport_item" ("category", "kind", "name", "user")',
    'CREATE INDEX IF NOT EXISTS passport_item_owner ON "passport_item" ("user", "category")',
)
SQLITE = ('CREATE INDEX IF NOT EXISTS passport_field_search ON "passport_field" ("category", "name", "value", "user")',)
POSTGRES = ('CREATE INDEX IF NOT EXISTS passport_field_search ON "passport_field" ("category", "name", "user")',)


async def _create_indexes():
    from piccolo.apps.migrations.auto.migration_manager import engine_finder
    from piccolo.querystring import QueryString

    engine = engine_finder()
    extra = POSTGRES if engine.engine_type in ("postgres", "cockroach") else SQLITE
    for sql in COMMON + extra:
        await engine.run_querystring(QueryString(sql))


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="werkpas", description=DESCRIPTION)
    manager.add_raw(_create_indexes)
    return manager
