"""The header row: which column holds which field. Names in Dutch, French or
English, in any order and case, with or without accents, spaces or hyphens."""

from __future__ import annotations

import unicodedata

REQUIRED = ("last_name", "first_name", "postcode", "birth_date", "email")
OPTIONAL = ("language", "unit")
HEADER_SCAN_ROWS = 20  # a title or notes above the header are skipped

ALIASES = {
    "last_name": (
        "naam",
        "achternaam",
        "familienaam",
        "nom",
        "nomdefamille",
        "lastname",
        "surname",
        "familyname",
        "name",
    ),
    "first_name": ("voornaam", "prenom", "firstname", "givenname", "forename"),
    "postcode": ("postcode", "postnummer", "codepostal", "postalcode", "zip", "zipcode", "cp"),
    "birth_date": (
        "geboortedatum",
        "geboortedag",
        "datedenaissance",
        "naissance",
        "birthdate",
        "dateofbirth",
        "dob",
        "birthday",
    ),
    "email": (
        "email",
        "emailadres",
        "mail",
        "mailadres",
        "courriel",
        "adresseemail",
        "adressemail",
        "adressecourriel",
        "emailaddress",
    ),
    "language": ("taal", "langue", "language", "lang"),
    "unit": ("eenheid", "unite", "unit", "afdeling", "vestiging", "service"),
}
_BY_ALIAS = {alias: field for field, aliases in ALIASES.items() for alias in aliases}


def fold(value: object) -> str:
    """Lower case, no accents, letters and digits only: "E-mail" -> "email"."""
    decomposed = unicodedata.normalize("NFKD", "" if value is None else str(value))
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch)).casefold()


def field_for(header: object) -> str | None:
    return _BY_ALIAS.get(fold(header))


def map_header(cells: list) -> dict[str, int]:
    """field -> column index; the first column wins when a name repeats."""
    mapping: dict[str, int] = {}
    for index, cell in enumerate(cells):
        field = field_for(cell)
        if field and field not in mapping:
            mapping[field] = index
    return mapping


def find_header(rows: list[tuple[int, list]]) -> tuple[int, dict[str, int]] | None:
    """(position in `rows`, mapping) of the first row naming at least three
    required fields, looking at the first non-empty rows only."""
    for position, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping = map_header(cells)
        if sum(field in mapping for field in REQUIRED) >= 3:
            return position, mapping
    return None


def missing(mapping: dict[str, int]) -> list[str]:
    return [field for field in REQUIRED if field not in mapping]
