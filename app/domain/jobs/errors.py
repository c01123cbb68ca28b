"""A job's `last_error`: short enough to read in the admin panel, useful
enough to find the bug, and free of personal data.

Only code locations and the exception's type and message are kept (never
local variables). Messages can still quote what a handler worked on, such as
an SMTP server refusing a recipient's address, so e-mail addresses and long
digit runs (national numbers, bank accounts, phone numbers) are masked.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path

MAX_FRAMES = 5
MAX_MESSAGE = 300
ROOT = str(Path(__file__).resolve().parents[3]) + "/"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT_RUN = re.compile(r"\d[\d .\-/]{7,}\d")


def scrub(text: str) -> str:
    text = _EMAIL.sub("<email>", text)
    # Dates and addresses like 127.0.0.1 stay readable; 9+ digits do not.
    return _DIGIT_RUN.sub(lambda m: "<number>" if sum(c.isdigit() for c in m.group()) >= 9 else m.group(), text)


def describe(error: BaseException) -> str:
    """'Type: message' followed by the innermost frames, newest last."""
    message = scrub(str(error))[:MAX_MESSAGE]
    head = f"{type(error).__name__}: {message}" if message else type(error).__name__
    frames = traceback.extract_tb(error.__traceback__)[-MAX_FRAMES:]
    lines = [f"  at {frame.filename.removeprefix(ROOT)}:{frame.lineno} in {frame.name}" for frame in frames]
    return "\n".join([head, *lines])
