"""Reading an upload in a child process, never on the event loop.

A spreadsheet reader parses hostile bytes with the whole process at stake:
calamine aborts the process when an allocation fails, and a zip bomb takes
gigabytes and minutes. So the web upload and `werkpas import-staff` both
call `read_upload`, which

- waits for one of READERS_PER_PROCESS slots (parallel uploads cannot add
  up to more than that many children), refusing with "busy" after
  QUEUE_SECONDS;
- starts `python -I` running child.main with a memory cap (RLIMIT_AS) and
  an empty environment, feeds it the bytes on stdin and reads at most
  MAX_OUTPUT bytes of MessagePack back (wire: no pickle);
- kills it at READ_SECONDS of wall clock;
- turns every way it can end into a ParsedFile or a FileProblem: a refusal
  from the reader as such, a timeout as "timeout", a crash, a kill or a
  malformed answer as "failed". Never an exception the user sees as a 500.

The digest is computed here, from the bytes the server holds.
"""

from __future__ import annotations

import asyncio
import sys
import time
import weakref
from pathlib import Path

import structlog

import app
from app.domain.invitations.imports import wire
from app.domain.invitations.imports.limits import (
    MAX_BYTES,
    QUEUE_SECONDS,
    READ_MEMORY_BYTES,
    READ_SECONDS,
    READERS_PER_PROCESS,
    FileProblem,
)
from app.domain.invitations.imports.problems import FILE_PROBLEMS
from app.domain.invitations.imports.reading import ParsedFile, digest

log = structlog.get_logger("werkpas.imports")

ROOT = str(Path(app.__file__).resolve().parents[1])  # the folder that holds the `app` package
BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from app.domain.invitations.imports.child import main; main(sys.argv[2:])"
)
ENVIRONMENT = {"LC_ALL": "C.UTF-8"}  # nothing of the server's: no key, no database address
MAX_OUTPUT = 256 * 1024 * 1024  # the reader stops far below (MAX_TEXT_CHARS); a child that does not is broken
CHUNK = 1024 * 1024

_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def _semaphore() -> asyncio.Semaphore:
    # One per event loop: a semaphore belongs to the loop it first waits on
    # (the CLI and the tests run several loops in one process).
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(READERS_PER_PROCESS)
    return _slots[loop]


async def read_upload(
    data: bytes,
    *,
    memory_bytes: int = READ_MEMORY_BYTES,
    seconds: float = READ_SECONDS,
    queue_seconds: float = QUEUE_SECONDS,
) -> ParsedFile:
    """The rows of an uploaded list, or FileProblem."""
    if not data:
        raise FileProblem("empty")
    if len(data) > MAX_BYTES:
        raise FileProblem("too_big")
    slots = _semaphore()
    try:
        async with asyncio.timeout(queue_seconds):
            await slots.acquire()
    except TimeoutError:
        log.warning("import reader busy", bytes=len(data))
        raise FileProblem("busy") from None
    started = time.perf_counter()
    outcome = "failed"
    try:
        output = await _run_child(data, memory_bytes, seconds)
        # Decoding 50,000 rows takes a few hundred milliseconds: not on the event loop.
        kind, names, rows = await asyncio.to_thread(wire.decode, output, FILE_PROBLEMS.keys())
        outcome = "read"
        return ParsedFile(kind=kind, digest=await asyncio.to_thread(digest, data), rows=rows, columns=tuple(names))
    except wire.WireError as error:
        log.error("import reader answered nonsense", reason=str(error))
        raise FileProblem("failed") from None
    except FileProblem as problem:
        outcome = problem.code
        raise
    finally:
        slots.release()
        log.info("import read", outcome=outcome, bytes=len(data), seconds=round(time.perf_counter() - started, 3))


async def _run_child(data: bytes, memory_bytes: int, seconds: float) -> bytes:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-I",
        "-c",
        BOOT,
        ROOT,
        str(memory_bytes),
        str(seconds),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,  # a crash report could quote the file
        env=ENVIRONMENT,
        cwd="/",
    )
    feeding = asyncio.create_task(_feed(process, data))
    try:
        async with asyncio.timeout(seconds):
            output = await _collect(process)
            status = await process.wait()
            await feeding
    except TimeoutError:
        raise FileProblem("timeout") from None
    finally:
        feeding.cancel()
        if process.returncode is None:
            process.kill()
            await process.wait()
    if status != 0:
        # Negative: killed by a signal (SIGABRT when the memory cap refused
        # an allocation, SIGXCPU, SIGSEGV); 3: MemoryError in Python.
        log.warning("import reader crashed", status=status)
        raise FileProblem("failed")
    return output


async def _feed(process: asyncio.subprocess.Process, data: bytes) -> None:
    assert process.stdin is not None  # started with stdin=PIPE
    try:
        process.stdin.write(data)
        await process.stdin.drain()
        process.stdin.close()
    except (BrokenPipeError, ConnectionResetError):
        pass  # the child ended early; its status tells why


async def _collect(process: asyncio.subprocess.Process) -> bytes:
    assert process.stdout is not None  # started with stdout=PIPE
    chunks, size = [], 0
    while chunk := await process.stdout.read(CHUNK):
        size += len(chunk)
        if size > MAX_OUTPUT:
            log.error("import reader answered too much", bytes=size)
            raise FileProblem("failed")
        chunks.append(chunk)
    return b"".join(chunks)
