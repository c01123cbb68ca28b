"""`werkpas invitations print --org SLUG [--run ID] --out FILE.pdf`: invitation
sheets from the terminal. Without --run: every open invitation of the
organisation (created, sent or opened, and not expired).

Exit status: 0 the file is written; 1 nothing to print (no file written);
2 the organisation or run does not exist, or the file cannot be written."""

from __future__ import annotations

import os
from pathlib import Path

from app.config import Settings
from app.domain.core.access import Reach
from app.domain.invitations.printing import queries, sheets
from app.storage import db


async def print_invitations(settings: Settings, org_slug: str, run_id: int | None, out: Path) -> int:
    db.configure(settings)
    await db.connect()
    try:
        organisation = await queries.organisation_by_slug(org_slug)
        if organisation is None:
            print(f"werkpas: no organisation with slug {org_slug!r}")
            return 2
        scope = Reach(organisations=frozenset({organisation["id"]}))
        if run_id is not None:
            cards = await queries.sheets_for_run(run_id, scope)
            if cards is None:
                print(f"werkpas: organisation {org_slug!r} has no import run {run_id}")
                return 2
        else:
            cards = await queries.open_sheets_for_organisation(organisation["id"])
    finally:
        await db.disconnect()
    if not cards:
        print("werkpas: no open invitations to print; no file written")
        return 1
    return _write(out, sheets.render_sheets(cards), len(cards))


def _write(out: Path, pdf: bytes, count: int) -> int:
    # Written next to the target and renamed, so a half-written file never
    # stands under the requested name.
    partial = out.with_name(out.name + ".partial")
    try:
        partial.write_bytes(pdf)
        os.replace(partial, out)
    except OSError as error:
        partial.unlink(missing_ok=True)
        print(f"werkpas: cannot write {out}: {error.strerror or error}")
        return 2
    pages = -(-count // sheets.PER_PAGE)
    print(f"Wrote {out}: {count} invitation sheet(s) on {pages} page(s).")
    return 0
