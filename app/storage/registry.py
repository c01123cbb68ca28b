"""Every Piccolo table of the application, so one place binds them all."""

from piccolo.table import Table


def all_tables() -> list[type[Table]]:
    from app.storage import people, tables

    return [*tables.TABLES, *people.TABLES]
