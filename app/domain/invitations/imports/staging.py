"""Hands the parsed upload to the apply command without putting it in the
payload: the command log keeps the payload's hash, and the rows are personal
data that must not outlive the request.

    async with staged(parsed):
        outcome = await execute(Command("invitations.import_apply", {... "file_sha256": parsed.digest}))
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from contextvars import ContextVar

from app.domain.invitations.imports.reading import ParsedFile

_staged: ContextVar[ParsedFile | None] = ContextVar("import_staged", default=None)


@asynccontextmanager
async def staged(parsed: ParsedFile):
    token = _staged.set(parsed)
    try:
        yield parsed
    finally:
        _staged.reset(token)


def staged_file(file_sha256: str) -> ParsedFile | None:
    parsed = _staged.get()
    return parsed if parsed is not None and parsed.digest == file_sha256 else None
