"""The reading child process (started by sandbox): the upload on stdin, one
wire message on stdout, exit status 0. Anything else (a crash, an abort when
the memory cap refuses an allocation, being killed) the server reports as a
file that could not be read.

It imports only the reader and its libraries, then caps itself before it
reads a byte of the upload. It has no database, no secrets in its
environment, and may write no file.
"""

from __future__ import annotations

import resource
import sys


def _cap(memory_bytes: int, seconds: float) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # The server kills the child at its wall-clock limit; the CPU limit ends
    # it on its own if the server is gone.
    cpu = int(seconds) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file full of personal data
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # no file written (pipes are not files)


def main(argv: list[str]) -> None:
    memory_bytes, seconds = int(argv[0]), float(argv[1])
    import python_calamine  # noqa: F401  loaded before the cap, like the rest

    from app.domain.invitations.imports import reading, wire
    from app.domain.invitations.imports.limits import MAX_BYTES, FileProblem

    _cap(memory_bytes, seconds)
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    try:
        message = wire.encode_parsed(reading.read(data))
    except FileProblem as problem:
        message = wire.encode_refused(problem)
    except MemoryError:
        sys.exit(3)
    sys.stdout.buffer.write(message)
    sys.stdout.buffer.flush()
