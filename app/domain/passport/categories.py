"""The passport's categories: what a worker keeps, and what consent is given
for. A category is either a set of named fields (one value each, a form of
its own) or a list of items (diplomas, courses, certificates, skills,
languages) or the worker's documents.

Codes are contracts (consent receipts, the API, access-log entries name
them); labels are message ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import lazy


@dataclass(frozen=True)
class Category:
    code: str
    label: str  # message id
    kind: str  # fields | items | documents
    fields: tuple[str, ...] = ()
    # Fields stored encrypted and shown masked unless the viewer needs them.
    sensitive: tuple[str, ...] = ()


CATEGORIES: tuple[Category, ...] = (
    Category(
        "identity",
        lazy("Identity"),
        "fields",
        ("first_name", "last_name", "birth_date", "national_number"),
        sensitive=("national_number",),
    ),
    Category("contact", lazy("Contact"), "fields", ("email", "mobile")),
    Category("address", lazy("Address"), "fields", ("street", "house_number", "postcode", "town")),
    Category("bank", lazy("Bank account"), "fields", ("iban",), sensitive=("iban",)),
    Category("education", lazy("Education"), "items"),
    Category("training", lazy("Training"), "items"),
    Category("certificates", lazy("Certificates and licences"), "items"),
    Category("skills", lazy("Skills"), "items"),
    Category("languages", lazy("Languages"), "items"),
    Category("preferences", lazy("Work preferences"), "fields", ("jobs", "sectors", "regimes", "max_distance_km")),
    Category(
        "mobility",
        lazy("Mobility"),
        "fields",
        ("own_car", "driving_licence", "bicycle", "public_transport", "sector_bus"),
    ),
    Category("availability", lazy("Availability"), "fields", ("days", "from_date", "note")),
    Category("documents", lazy("Documents"), "documents"),
)

BY_CODE: dict[str, Category] = {category.code: category for category in CATEGORIES}
CODES: tuple[str, ...] = tuple(BY_CODE)


def category(code: str) -> Category | None:
    return BY_CODE.get(code)


def known(codes) -> list[str]:
    """The known category codes among `codes`, in the passport's order."""
    wanted = set(codes)
    return [code for code in CODES if code in wanted]
