"""`werkpas import-staff FILE --org SLUG [--dry-run] [--match]`: bulk
registration from the command line, with the web's result codes.

Exit status: 0 every row is done or not needed (codes 1, 2); 1 some rows
are not found or invalid (codes 3, 4); 2 the file (or the organisation)
cannot be used at all.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app import i18n
from app.domain.core.commands import Command, execute
from app.domain.core.reasons import message
from app.domain.invitations.imports import plan as planning
from app.domain.invitations.imports.problems import MAX_BYTES, FileProblem, meaning, row_problem_text
from app.domain.invitations.imports.results import organisation_by_slug
from app.domain.invitations.imports.sandbox import read_upload
from app.domain.invitations.payloads import import_payload
from app.domain.registry import load_handlers
from app.i18n import _


def _load(path: Path) -> bytes:
    """At most one byte more than the limit, so a huge file is not read whole."""
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FileProblem("too_big")
    return data


def _print_table(plan: planning.Plan, out) -> None:
    print(f"{_('Row'):>6}  {_('Code'):>4}  {_('Meaning')}", file=out)
    for result in plan.results:
        line = f"{result.number:>6}  {result.code:>4}  {meaning(result.code)}"
        if result.problems:
            line += " - " + "; ".join(row_problem_text(field, code) for field, code in result.problems.items())
        print(line, file=out)
    counts = plan.counts()
    print(" ".join(f"{code}={counts[code]}" for code in (1, 2, 3, 4)) + f" ({len(plan.results)})", file=out)


async def import_staff(path: str, org: str, dry_run: bool, match: bool, out=sys.stdout, err=sys.stderr) -> int:
    load_handlers()
    organisation = await organisation_by_slug(org)
    if organisation is None:
        print(f"werkpas: {_('No organisation with this short name: %(slug)s', slug=org)}", file=err)
        return 2
    i18n.set_language(organisation["default_language"])  # messages as the organisation reads them
    try:
        parsed = await read_upload(_load(Path(path)))
    except OSError as error:
        print(f"werkpas: {_('The file cannot be read: %(reason)s', reason=error.strerror or str(error))}", file=err)
        return 2
    except FileProblem as problem:
        print(f"werkpas: {problem.message()}", file=err)
        return 2
    mode = "match" if match else "create"
    plan = await planning.make_plan(parsed, organisation["id"], mode)
    if not dry_run:
        payload = import_payload(parsed, organisation["id"], None, mode)
        outcome = await execute(Command(type="invitations.import_apply", payload=payload, actor_id=None, channel="cli"))
        if not outcome.applied:
            print("werkpas: " + "; ".join(message(reason, "invitations") for reason in outcome.reasons), file=err)
            return 2
        # The table printed is the one the command applied (the same file).
        plan = await _applied_plan(outcome.ids["run_id"], plan)
        print(_("Applied as import %(run)s.", run=outcome.ids["run_id"]), file=out)
    else:
        print(_("Dry run: nothing was changed."), file=out)
    _print_table(plan, out)
    return 0 if all(result.code in (1, 2) for result in plan.results) else 1


async def _applied_plan(run_id: int, plan: planning.Plan) -> planning.Plan:
    """Codes as stored by the apply (computed in its transaction)."""
    from app.storage.people import ImportRow

    stored = {
        row["row_number"]: row["code"]
        for row in await ImportRow.select(ImportRow.row_number, ImportRow.code).where(ImportRow.run == run_id)
    }
    for result in plan.results:
        result.code = stored.get(result.number, result.code)
    return plan
