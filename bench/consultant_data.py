"""Bulk data for the consultant-search bench: workers with passports and
consents, written with raw sqlite3 in one transaction (a few seconds for
100,000 workers), in the shapes the passport commands write.

Deterministic (a seeded random): every run searches the same data."""

from __future__ import annotations

import random
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

FIRST = [
    "Wout",
    "Lotte",
    "Emma",
    "Noah",
    "Liam",
    "Louise",
    "Olivia",
    "Arthur",
    "Jules",
    "Mila",
    "Lucas",
    "Nora",
    "Victor",
    "Elise",
    "Amina",
    "Youssef",
    "Mohamed",
    "Fatima",
    "Sarah",
    "Thomas",
    "Lena",
    "Adam",
    "Marie",
    "Lars",
    "Ines",
    "Sem",
    "Zofia",
    "Piotr",
    "Ana",
    "Ion",
]
LAST = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "DeSmet",
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Simon",
    "Leclercq",
    "Diallo",
    "ElAmrani",
    "Nowak",
    "Kowalski",
    "Popescu",
    "Yilmaz",
    "Vermeulen",
    "Hermans",
    "Aerts",
]
TOWNS = [
    "Gent",
    "Antwerpen",
    "Brussel",
    "Leuven",
    "Brugge",
    "Aalst",
    "Mechelen",
    "Kortrijk",
    "Hasselt",
    "Genk",
    "Luik",
    "Namen",
    "Charleroi",
    "Bergen",
    "Oostende",
    "Sint-Niklaas",
    "Roeselare",
    "Turnhout",
    "Lokeren",
    "Beveren",
    "Zele",
    "Eeklo",
    "Wetteren",
    "Ninove",
]
CERTIFICATES = (
    "vca_basic",
    "vca_vol",
    "forklift",
    "reach_truck",
    "aerial_platform",
    "first_aid",
    "code_95",
    "driving_c",
    "driving_ce",
    "adr",
)
SKILLS = (
    "order picking",
    "welding",
    "cleaning",
    "cooking",
    "machine operation",
    "packing",
    "bookkeeping",
    "customer service",
    "painting",
    "carpentry",
    "quality control",
    "stacking",
)
LANGUAGES = ("nl", "fr", "en", "de", "ar", "tr", "pl", "ro", "es", "it")
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The categories the consultant's list shows (and the bench's workers share some of).
LISTED = ("identity", "address", "certificates", "skills", "languages", "availability", "mobility")


def ts(moment: datetime) -> str:
    """A timestamp as Piccolo's SQLite adapter writes it (UTC, str())."""
    return str(moment.astimezone(UTC))


def populate(path: Path, agency_id: int, other_id: int, workers: int = 100_000, seed: int = 2026) -> dict[str, int]:
    """Adds `workers` worker accounts that joined the agency (and a third the
    other agency), each with a passport; 90% consent to the agency for a
    random part of the listed categories (and contact), 5% of those consents
    expired. Returns row counts."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    stamp = ts(now)
    expires, expired = ts(now + timedelta(days=300)), ts(now - timedelta(days=3))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    counts = dict.fromkeys(("users", "fields", "items", "consents"), 0)
    try:
        with conn:
            first_id = (conn.execute('SELECT coalesce(max(id), 0) FROM "app_user"').fetchone()[0]) + 1
            ids = range(first_id, first_id + workers)
            conn.executemany(
                'INSERT INTO "app_user" (id, email, display_name, language, is_active, created_at, session_version)'
                " VALUES (?, ?, ?, ?, 1, ?, 0)",
                (
                    (uid, f"worker{uid}@bench.werkpas.test", f"Worker {uid}", rng.choice(("nl", "fr", "en")), stamp)
                    for uid in ids
                ),
            )
            grants = [(uid, "worker", agency_id, stamp) for uid in ids]
            grants += [(uid, "worker", other_id, stamp) for uid in ids if uid % 3 == 0]
            conn.executemany(
                'INSERT INTO "role_grant" ("user", role, organisation, created_at) VALUES (?, ?, ?, ?)', grants
            )
            conn.executemany(
                'INSERT INTO "passport" ("user", updated_at, created_at) VALUES (?, ?, ?)',
                ((uid, stamp, stamp) for uid in ids),
            )
            fields, items, consents = [], [], []
            for uid in ids:
                town = rng.choice(TOWNS)
                values = {
                    ("identity", "first_name"): rng.choice(FIRST),
                    ("identity", "last_name"): rng.choice(LAST),
                    ("identity", "birth_date"): f"{rng.randint(1960, 2005)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                    ("contact", "email"): f"worker{uid}@bench.werkpas.test",
                    ("address", "postcode"): str(rng.randint(1000, 9999)),
                    ("address", "town"): town,
                    ("mobility", "own_car"): rng.choice(("1", "")),
                    ("mobility", "driving_licence"): rng.choice(("1", "1", "")),
                    ("availability", "days"): ",".join(d for d in DAYS if rng.random() < 0.55),
                }
                fields += [(uid, cat, name, value, stamp) for (cat, name), value in values.items() if value]
                for kind in rng.sample(CERTIFICATES, rng.randint(0, 3)):
                    items.append((uid, "certificates", kind, "", "", stamp, stamp))
                for kind in rng.sample(SKILLS, rng.randint(0, 3)):
                    items.append((uid, "skills", kind, kind, rng.choice(("self", "verified")), stamp, stamp))
                for kind in rng.sample(LANGUAGES, rng.randint(1, 3)):
                    items.append((uid, "languages", kind, "", rng.choice(LEVELS), stamp, stamp))
                if rng.random() < 0.9:
                    shared = [code for code in LISTED if rng.random() < 0.6] or ["identity"]
                    receipt = str(uuid.UUID(int=rng.getrandbits(128)))
                    until = expired if rng.random() < 0.05 else expires
                    consents += [(uid, agency_id, code, "staffing", stamp, until, receipt) for code in shared]
                if uid % 3 == 0:
                    receipt = str(uuid.UUID(int=rng.getrandbits(128)))
                    consents += [(uid, other_id, code, "staffing", stamp, expires, receipt) for code in LISTED]
            conn.executemany(
                'INSERT INTO "passport_field" ("user", category, name, value, encrypted, updated_at)'
                " VALUES (?, ?, ?, ?, 0, ?)",
                fields,
            )
            conn.executemany(
                'INSERT INTO "passport_item" ("user", category, kind, name, level, created_at, updated_at)'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                items,
            )
            conn.executemany(
                'INSERT INTO "consent" ("user", organisation, category, purpose, granted_at, expires_at, receipt)'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                consents,
            )
            counts.update(users=workers, fields=len(fields), items=len(items), consents=len(consents))
    finally:
        conn.close()
    return counts
