"""Message catalogs: extract every translatable string from the code and the
templates, and merge it into the .po files (`make i18n`).

The test suite uses `extract()` too, to fail when a catalog lacks a
translation."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from app.i18n import LANGUAGES, po_path

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy": None}
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
OPTIONS = {
    "templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"},
    "templates/**.txt": {"extensions": "jinja2.ext.i18n", "trimmed": "true"},
}


def extract() -> Catalog:
    catalog = Catalog(project="Werkpas", charset="utf-8")
    for subdir in ("app", "templates"):
        for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT / subdir),
            method_map=[(m.split("/", 1)[1], kind) for m, kind in METHODS if m.startswith(subdir)],
            options_map={k.split("/", 1)[1]: v for k, v in OPTIONS.items() if k.startswith(subdir)},
            keywords=KEYWORDS,
        ):
            if subdir == "app" and filename.startswith("i18n"):
                continue  # the gettext wrappers themselves
            catalog.add(message, locations=[(f"{subdir}/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, project="Werkpas", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def _translated(message) -> bool:
    if isinstance(message.string, tuple):  # plural forms
        return all(message.string)
    return bool(message.string)


def update() -> dict[str, int]:
    """Merge extracted messages into each language; returns untranslated counts."""
    template = extract()
    missing = {}
    for language in LANGUAGES:
        catalog = read(language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, sort_output=True, omit_header=False, ignore_obsolete=True)
        missing[language] = sum(1 for m in catalog if m.id and not _translated(m))
    return missing


if __name__ == "__main__":
    counts = update()
    for language, count in counts.items():
        print(f"{language}: {count} untranslated")
    sys.exit(0)
