"""The sandboxed reader (issue 7, point 1): hostile spreadsheets are read
in a child process with a memory cap and a time limit, and every way it can
end is a FileProblem with a code, never a dead server.

These tests run the real child. The hostile files are never parsed in the
test process itself: the first of them aborted the server that read it.
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import date, datetime
from pathlib import Path

import msgspec
import pytest

from app.domain.invitations.imports import sandbox, wire
from app.domain.invitations.imports.limits import MAX_ROWS, READERS_PER_PROCESS, FileProblem
from app.domain.invitations.imports.problems import FILE_PROBLEMS
from app.domain.invitations.imports.reading import read
from tests.invitations.fixtures import hostile, messy


async def _code(data: bytes, **limits) -> str:
    with pytest.raises(FileProblem) as caught:
        await sandbox.read_upload(data, **limits)
    return caught.value.code


def _children() -> list[int]:
    """Reading children of this test process that still exist (other tests
    may leave processes of their own, a live server for instance)."""
    pid = os.getpid()
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children = [int(child) for child in (task / "children").read_text().split()]
        except OSError:  # a thread that just ended
            continue
        for child in children:
            try:
                if b"imports.child" in Path(f"/proc/{child}/cmdline").read_bytes():
                    found.append(child)
            except OSError:  # it just ended
                continue
    return found


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (hostile.xfd_xlsx, "too_many_columns"),  # 5 KB, a cell at XFD1048576
        (lambda: hostile.declared_dimension_xlsx("A1:E1048576"), "too_many_rows"),
        (lambda: hostile.declared_dimension_xlsx("A1:ZZ200000"), "too_many_columns"),
        (lambda: hostile.bomb_xlsx(600_000_000), "too_large_unpacked"),  # 2.5 MB on disk
        (hostile.ratio_bomb_xlsx, "too_large_unpacked"),
        (lambda: hostile.wide_xlsx(31, 31), "too_many_columns"),
        (lambda: hostile.wide_xlsx(30, 40), "too_many_columns"),
        (hostile.zip_of_text, "wrong_type"),
        (messy.zip_without_workbook, "wrong_type"),
        (hostile.many_parts_zip, "too_large_unpacked"),
        (hostile.billion_laughs_xlsx, "corrupt"),
        (hostile.gigantic_field_csv, "cell_too_long"),  # over the csv module's own bound
        (lambda: hostile.gigantic_field_csv(40_000), "cell_too_long"),  # over a spreadsheet cell's
        (hostile.invalid_utf8_csv, "unreadable"),
        (lambda: messy.big_csv(MAX_ROWS + 1), "too_many_rows"),
    ],
    ids=[
        "xfd",
        "dimension-rows",
        "dimension-columns",
        "zip-bomb",
        "ratio-bomb",
        "31-columns",
        "value-in-AN",
        "zip-of-text",
        "docx",
        "20000-parts",
        "billion-laughs",
        "csv-9mb-field",
        "csv-40k-field",
        "invalid-utf8",
        "csv-50001",
    ],
)
async def test_hostile_files_are_refused_with_their_code(build, code):
    data = build()
    started = time.monotonic()
    assert await _code(data) == code
    assert time.monotonic() - started < 20
    assert _children() == []  # the child is gone


async def test_more_than_50000_rows_in_an_xlsx():
    assert await _code(hostile.many_rows_xlsx(MAX_ROWS + 1)) == "too_many_rows"
    parsed = await sandbox.read_upload(hostile.many_rows_xlsx(MAX_ROWS))
    assert len(parsed.rows) == MAX_ROWS and parsed.rows[-1].number == MAX_ROWS + 1


async def test_a_grid_larger_than_declared_is_refused_after_reading():
    """Sizes and ratio within the limits, no <dimension>: 90 MB of cells
    without positions (5.6 million cells) pass the archive check; the grid
    the reader built is checked before a row is used."""
    assert await _code(hostile.bomb_xlsx(90_000_000, level=1)) == "too_many_rows"


async def test_the_memory_cap_turns_a_crash_into_a_message():
    """No <dimension> and a cell at XFD1048576: calamine asks for 512 GiB,
    the cap refuses, the child aborts, the server answers."""
    assert await _code(hostile.xfd_without_dimension_xlsx()) == "failed"
    # The same cap, lower: a normal 50,000-row list does not fit in 64 MB.
    assert await _code(hostile.heavy_xlsx(people=MAX_ROWS), memory_bytes=64 * 1024 * 1024) == "failed"


async def test_a_shared_strings_bomb_meets_the_memory_cap():
    """180 KB, every size and ratio within the limits: one 32,000-character
    string in a million cells. The reader copies it into each; the cap ends
    the child within seconds."""
    data = hostile.shared_strings_bomb_xlsx()
    assert len(data) < 1024 * 1024
    started = time.monotonic()
    assert await _code(data) == "failed"
    assert time.monotonic() - started < 15


async def test_a_lying_zip_directory_is_refused():
    """The sheet claims 5 MB once unpacked and holds 600 MB: the reader
    stops at the claimed size and finds a broken sheet."""
    assert await _code(hostile.lying_bomb_xlsx(600_000_000, 5_000_000)) in ("corrupt", "failed")


async def test_the_time_limit_kills_the_child():
    data = hostile.heavy_xlsx()
    started = time.monotonic()
    assert await _code(data, seconds=0.5) == "timeout"
    assert time.monotonic() - started < 2
    assert _children() == []


@pytest.mark.parametrize(
    "build",
    [
        messy.messy_xlsx,
        messy.semicolon_bom_csv,
        messy.windows_1252_csv,
        lambda: messy.messy_xlsx([["Peeters", "Jan", 9000, datetime(1985, 2, 1, 0, 0), "", None, ""]]),
    ],
)
async def test_the_sandbox_reads_what_the_reader_reads(build):
    """Trusted fixtures: the child's answer, decoded, is the in-process
    result, dates and numbers included, and the digest is the server's."""
    data = build()
    expected, got = read(data), await sandbox.read_upload(data)
    assert (got.kind, got.digest, got.columns) == (expected.kind, expected.digest, expected.columns)
    assert [(row.number, row.cells) for row in got.rows] == [(row.number, row.cells) for row in expected.rows]
    kinds = {type(cell) for row in got.rows for cell in row.cells.values()}
    if got.kind == "xlsx":
        assert date in kinds and float in kinds


async def test_formatting_beyond_column_ad_is_not_data():
    parsed = await sandbox.read_upload(hostile.formatted_beyond_xlsx())
    assert len(parsed.rows) == 3
    parsed = await sandbox.read_upload(hostile.wide_xlsx(30, 30))  # a value in AD, the 30th column
    assert len(parsed.rows) == 3


async def test_parallel_uploads_share_a_few_readers(monkeypatch):
    running, peak = 0, 0
    real = sandbox._run_child

    async def counted(*args):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        try:
            return await real(*args)
        finally:
            running -= 1

    monkeypatch.setattr(sandbox, "_run_child", counted)
    results = await asyncio.gather(*(sandbox.read_upload(messy.semicolon_bom_csv()) for _ in range(6)))
    assert [len(parsed.rows) for parsed in results] == [3] * 6
    assert peak == READERS_PER_PROCESS


async def test_a_full_queue_answers_busy(monkeypatch):
    gate = asyncio.Event()

    async def stuck(*args):
        await gate.wait()
        return wire.encode_refused(FileProblem("empty"))

    monkeypatch.setattr(sandbox, "_run_child", stuck)
    holders = [asyncio.create_task(sandbox.read_upload(b"x")) for _ in range(READERS_PER_PROCESS)]
    await asyncio.sleep(0.05)
    assert await _code(b"x", queue_seconds=0.1) == "busy"
    gate.set()
    for holder in holders:
        with pytest.raises(FileProblem):
            await holder


WRITE = "import sys, msgspec; sys.stdout.buffer.write(msgspec.msgpack.encode("


@pytest.mark.parametrize(
    "boot",
    [
        "import sys; sys.stdout.write('not msgpack at all')",
        "import pickle, sys; sys.stdout.buffer.write(pickle.dumps({'kind': 'csv'}))",
        "import sys; sys.exit(1)",
        "import os; os.abort()",
        WRITE + "{'type': 'refused', 'code': 'no_such_code'}))",
        WRITE + "{'type': 'parsed', 'kind': 'csv', 'columns': ['password'], 'rows': []}))",
        WRITE + "{'type': 'parsed', 'kind': 'csv', 'columns': ['email'], 'rows': [[2, ['a', 'b']]]}))",
        WRITE + "{'type': 'parsed', 'kind': 'csv', 'columns': ['email'], 'rows': [[3, ['a']], [2, ['b']]]}))",
        WRITE
        + "{'type': 'parsed', 'kind': 'xlsx', 'columns': ['birth_date'], 'rows': [[2, [['date', 'yesterday']]]]}))",
    ],
    ids=["garbage", "pickle", "exit-1", "abort", "unknown-code", "unknown-field", "width", "order", "bad-date"],
)
async def test_a_child_that_misbehaves_is_a_failed_read(monkeypatch, boot):
    monkeypatch.setattr(sandbox, "BOOT", boot)
    assert await _code(messy.semicolon_bom_csv()) == "failed"


async def test_the_child_is_capped_and_knows_no_secret(monkeypatch):
    """What the child runs under: its own limits and an environment without
    the server's key or database address."""
    os.environ["WERKPAS_SECRET_KEY_FOR_THIS_TEST"] = "do-not-leak"
    monkeypatch.setattr(
        sandbox,
        "BOOT",
        "import os, resource, sys, msgspec; sys.path.insert(0, sys.argv[1]);"
        "from app.domain.invitations.imports.child import _cap; _cap(int(sys.argv[2]), float(sys.argv[3]));"
        "limits = {name: resource.getrlimit(getattr(resource, name))[0]"
        " for name in ('RLIMIT_AS', 'RLIMIT_CORE', 'RLIMIT_FSIZE', 'RLIMIT_CPU')};"
        "sys.stdout.buffer.write(msgspec.json.encode({'env': dict(os.environ), 'limits': limits, 'cwd': os.getcwd()}))",
    )
    try:
        answer = msgspec.json.decode(await sandbox._run_child(b"", 512 * 1024 * 1024, 7.0))
    finally:
        del os.environ["WERKPAS_SECRET_KEY_FOR_THIS_TEST"]
    assert not any(key.startswith(("WERKPAS", "DATABASE", "REDIS", "SMTP")) for key in answer["env"])
    assert answer["limits"] == {"RLIMIT_AS": 512 * 1024 * 1024, "RLIMIT_CORE": 0, "RLIMIT_FSIZE": 0, "RLIMIT_CPU": 9}
    assert answer["cwd"] == "/"


def test_every_refusal_the_reader_raises_has_a_message():
    import re

    codes = set()
    for path in Path(sandbox.__file__).parent.glob("*.py"):
        for line in path.read_text().splitlines():
            if "FileProblem(" in line:
                codes |= set(re.findall(r'"(\w+)"(?!\s*:)', line.split("FileProblem(", 1)[1]))
    assert codes and codes <= set(FILE_PROBLEMS)
