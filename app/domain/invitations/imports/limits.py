"""What an uploaded staff list may be, and the refusal raised when it is not.

Nothing here imports the rest of the app: the sandboxed reader (a child
process, see sandbox) imports this module and must start fast and small.
The messages are in problems.FILE_PROBLEMS (translated in the parent).
"""

from __future__ import annotations

MAX_BYTES = 10 * 1024 * 1024  # the upload itself
MAX_ROWS = 50_000  # people: non-empty rows below the header
# Only columns A to AD are read. A value further right refuses the file
# (too_many_columns): a list that wide is an export of something else
# (payroll, addresses, bank accounts) and should be cut down to what
# Werkpas needs, not half-read in silence. Formatting alone does not count.
MAX_COLUMNS = 30
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
# All text of the columns Werkpas uses, together: about 50 characters per
# field for 50,000 people. A list that holds more is a shared-strings bomb.
MAX_TEXT_CHARS = 20_000_000

# The XLSX archive, checked from its central directory before any parsing.
MAX_ZIP_ENTRIES = 1_000
MAX_PART_BYTES = 128 * 1024 * 1024  # one part (a sheet, the shared strings) unpacked
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # every part together
# Sheet XML compresses 5 to 30 times; a part over RATIO_FLOOR that shrank more
# than MAX_RATIO times is filler made to inflate.
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
# The grid a reader allocates (rows x columns up to the last cell, empty
# cells included), by the sheet's own <dimension> and again by what was read.
MAX_GRID_CELLS = 5_000_000
DIMENSION_PEEK_BYTES = 64 * 1024  # <dimension> comes before the cells

# The child process that reads (see sandbox).
READ_MEMORY_BYTES = 1024 * 1024 * 1024  # address space (RLIMIT_AS)
READ_SECONDS = 30.0  # wall clock, then the child is killed
READERS_PER_PROCESS = 2  # children at once per server process
QUEUE_SECONDS = 30.0  # waiting for a free reader before "busy"


class FileProblem(Exception):
    """The file cannot be used at all (CLI exit status 2). `code` is a key
    of problems.FILE_PROBLEMS."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)

    def message(self) -> str:
        from app.domain.invitations.imports.problems import file_problem_message

        return file_problem_message(self.code, self.params)
