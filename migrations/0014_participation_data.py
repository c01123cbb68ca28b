"""Participation's indexes and default rooms.

- Unique: one wallet per organisation, person and kind; one refill per
  wallet and period; one current seat per table and person (a chair given
  back may be bought again); one evaluation per table and person; one
  invite per table and person; one mail setting per person and kind; one
  digest per person and period.
- The barometer's and the ledger's lookups.
- Every organisation that existed before participation gets the default
  rooms (new ones get them from participation.set_up_defaults), in its
  default language. The names are copied here, not imported: a migration
  keeps meaning what it meant when it was written.
"""

from datetime import UTC, datetime

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T14:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "participation indexes and default rooms"

INDEXES = (
    'CREATE UNIQUE INDEX IF NOT EXISTS wallet_one ON "wallet" ("organisation", "user", "kind")',
    'CREATE UNIQUE INDEX IF NOT EXISTS coin_entry_one_refill ON "coin_entry" ("wallet", "period") '
    'WHERE "period" IS NOT NULL',
    'CREATE UNIQUE INDEX IF NOT EXISTS seat_one_current ON "seat" ("table", "user") '
    'WHERE "refunded_at" IS NULL AND "left_at" IS NULL',
    'CREATE UNIQUE INDEX IF NOT EXISTS evaluation_one ON "evaluation" ("table", "user")',
    'CREATE UNIQUE INDEX IF NOT EXISTS table_invite_one ON "table_invite" ("table", "user")',
    'CREATE UNIQUE INDEX IF NOT EXISTS mail_setting_one ON "mail_setting" ("user", "kind")',
    'CREATE UNIQUE INDEX IF NOT EXISTS digest_sent_one ON "digest_sent" ("user", "period")',
    'CREATE INDEX IF NOT EXISTS evaluation_organisation_at ON "evaluation" ("organisation", "created_at")',
    'CREATE INDEX IF NOT EXISTS participation_table_phase ON "participation_table" ("organisation", "phase", "unit")',
    'CREATE INDEX IF NOT EXISTS seat_user ON "seat" ("user", "table")',
)

ROOMS = {
    "nl": [
        ("Werkplek en veiligheid", "Materiaal, werkplek, veilig en gezond werken."),
        ("Planning en uurroosters", "Uren, ploegen, verlof en vervangingen."),
        ("Samenwerking en sfeer", "Hoe we met elkaar en met leidinggevenden omgaan."),
        ("Opleiding en groei", "Leren, opleidingen en doorgroeien."),
        ("Ideeën en verbeteringen", "Wat beter, sneller of slimmer kan."),
    ],
    "fr": [
        ("Poste de travail et sécurité", "Matériel, poste de travail, travailler en sécurité et en bonne santé."),
        ("Planning et horaires", "Heures, équipes, congés et remplacements."),
        ("Collaboration et ambiance", "Comment nous travaillons ensemble et avec les responsables."),
        ("Formation et évolution", "Apprendre, se former et évoluer."),
        ("Idées et améliorations", "Ce qui peut se faire mieux, plus vite ou plus simplement."),
    ],
    "en": [
        ("Workplace and safety", "Equipment, the workplace, working safely and healthily."),
        ("Planning and rosters", "Hours, shifts, leave and replacements."),
        ("Working together", "How we work with each other and with managers."),
        ("Training and growth", "Learning, courses and moving up."),
        ("Ideas and improvements", "What could be better, faster or smarter."),
    ],
}


async def _run(sql: str, *args):
    from piccolo.apps.migrations.auto.migration_manager import engine_finder
    from piccolo.querystring import QueryString

    return await engine_finder().run_querystring(QueryString(sql, *args))


async def _apply():
    for sql in INDEXES:
        await _run(sql)
    now = datetime.now(UTC)
    organisations = await _run(
        'SELECT "id", "default_language" FROM "organisation" '
        'WHERE NOT EXISTS (SELECT 1 FROM "room" WHERE "room"."organisation" = "organisation"."id")'
    )
    for organisation in organisations:
        rooms = ROOMS.get(organisation["default_language"], ROOMS["nl"])
        for position, (name, description) in enumerate(rooms):
            await _run(
                'INSERT INTO "room" ("organisation", "name", "description", "position", "archived", "created_at") '
                "VALUES ({}, {}, {}, {}, {}, {})",
                organisation["id"],
                name,
                description,
                position,
                False,
                now,
            )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="werkpas", description=DESCRIPTION)
    manager.add_raw(_apply)
    return manager
