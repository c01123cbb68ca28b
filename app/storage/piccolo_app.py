from pathlib import Path

from piccolo.conf.apps import AppConfig

from app.storage.registry import all_tables

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"

APP_CONFIG = AppConfig(
    app_name="werkpas",
    migrations_folder_path=str(MIGRATIONS),
    table_classes=all_tables(),
    migration_dependencies=[],
    commands=[],
)
