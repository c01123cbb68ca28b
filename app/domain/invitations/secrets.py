"""Invitation links, short codes and badge tokens.

Everything secret is an HMAC of a random per-row salt with the server key:
the database keeps the salt and a keyed lookup hash of the short code, so a
copy of the database can neither reveal nor forge a link or a code, while
sheets and badges can be printed again later from the same row.

Short codes are 8 characters plus 1 check character from an alphabet without
look-alikes (no 0/O, 1/I/L), shown grouped as K7P-4QX-9MA. Typing is forgiving
(case, spaces and dashes are ignored) and the check character (a weighted sum modulo 31)
tells a typo apart from a code that does not exist.

Badge codes look different on purpose, so that a worker holding an
invitation sheet and a badge cannot mix the two up: 11 characters plus 1
check character, shown in three groups of four (K7PA-4QX9-MA2C). Badges
printed before this format carry a 9-character code (K7P-4QX-9MA) that keeps
working: its lookup hash is the one stored on those rows (see `badge_code`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets as _random

from app.config import get_settings

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BODY_LENGTH = 8
CODE_LENGTH = BODY_LENGTH + 1
BADGE_BODY_LENGTH = 11
BADGE_CODE_LENGTH = BADGE_BODY_LENGTH + 1
INVITATION = "invitation"
BADGE = "badge"
# What a badge QR holds before its token (printing.badges, registration.badge_login).
BADGE_QR_PREFIX = "WERKPAS-BADGE:"


class CodeProblem(Exception):
    """`reason`: "format" (not 9 characters of the alphabet), "typo"
    (the check character does not match: a character was mistyped) or
    "badge_code" (a badge code or scanned badge QR where a 9-character code
    was asked for)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def new_salt() -> str:
    return _random.token_hex(16)


def _mac(message: str) -> bytes:
    return hmac.new(get_settings().secret_key.encode(), message.encode(), hashlib.sha256).digest()


# -- short codes -------------------------------------------------------------


def check_character(body: str) -> str:
    """Weighted sum modulo 31 (a prime, the alphabet's size), positions
    weighted 1..9 (1..12 for a badge code) so that the whole code sums to 0: every single mistyped
    character and every swap of two neighbours changes the sum."""
    n = len(ALPHABET)
    total = sum((position + 1) * ALPHABET.index(char) for position, char in enumerate(body))
    return ALPHABET[(-total * pow(len(body) + 1, -1, n)) % n]


def _code(message: str, length: int) -> str:
    number = int.from_bytes(_mac(message), "big")
    body = ""
    for _ in range(length):
        number, index = divmod(number, len(ALPHABET))
        body += ALPHABET[index]
    return body + check_character(body)


def code_for(kind: str, salt: str) -> str:
    """The 9-character code of a row (invitation, PIN reset; for a badge: the
    format printed before badge codes got their own, see `badge_code`)."""
    return _code(f"{kind}-code|{salt}", BODY_LENGTH)


def badge_code_for(salt: str) -> str:
    """The 12-character badge code of a badge issued in the current format."""
    return _code(f"{BADGE}-code-12|{salt}", BADGE_BODY_LENGTH)


def badge_code(salt: str, lookup: str) -> str:
    """The code printed on a badge row: the 9-character one for a badge
    issued before the 12-character format (its stored lookup says which), so
    a reprint stays identical to the card in the worker's pocket."""
    old = code_for(BADGE, salt)
    return old if hmac.compare_digest(lookup, code_lookup(BADGE, old)) else badge_code_for(salt)


def _compact(typed: str) -> str:
    return "".join(ch for ch in (typed or "").upper() if ch not in " -\t\u00a0\u2010\u2011\u2013")


def _checked(code: str) -> str:
    if check_character(code[:-1]) != code[-1]:
        raise CodeProblem("typo")
    return code


def is_badge_text(typed: str) -> bool:
    """Whether `typed` is a badge code (12 characters, check character right)
    or the text of a scanned badge QR: what a worker who mixed up their
    badge and their invitation sheet types on /register."""
    text = (typed or "").strip()
    if text[: len(BADGE_QR_PREFIX)].upper() == BADGE_QR_PREFIX:
        return True
    code = _compact(text)
    return (
        len(code) == BADGE_CODE_LENGTH and all(ch in ALPHABET for ch in code) and check_character(code[:-1]) == code[-1]
    )


def normalise(typed: str) -> str:
    """The 9-character code as typed, upper-cased, without spaces and dashes;
    raises CodeProblem when it cannot be one."""
    if is_badge_text(typed):
        raise CodeProblem("badge_code")
    code = _compact(typed)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        raise CodeProblem("format")
    return _checked(code)


def normalise_badge(typed: str) -> str:
    """A typed badge code, normalised: 12 characters, or 9 (a badge of the
    old format, or an invitation code typed in the wrong place: the caller
    tells them apart). Raises CodeProblem ("format", "typo")."""
    code = _compact(typed)
    if len(code) not in (CODE_LENGTH, BADGE_CODE_LENGTH) or any(ch not in ALPHABET for ch in code):
        raise CodeProblem("format")
    return _checked(code)


def display(code: str) -> str:
    """K7P4QX9MA -> K7P-4QX-9MA; a badge code K7PA4QX9MA2C -> K7PA-4QX9-MA2C."""
    size = 4 if len(code) == BADGE_CODE_LENGTH else 3
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def code_lookup(kind: str, code: str) -> str:
    """The keyed hash under which a code is found (the database never holds the code)."""
    return hmac.new(get_settings().secret_key.encode(), f"{kind}-lookup|{code}".encode(), hashlib.sha256).hexdigest()


# -- link and badge tokens ---------------------------------------------------


def token_for(kind: str, row_id: int, salt: str) -> str:
    """`<id>.<signature>`: 192 bits of HMAC, URL-safe."""
    signature = base64.urlsafe_b64encode(_mac(f"{kind}-link|{row_id}|{salt}")[:24]).decode()
    return f"{row_id}.{signature}"


def split_token(token: str) -> tuple[int, str] | None:
    """(row id, signature) of a well-formed token, else None."""
    row_id, _sep, signature = (token or "").partition(".")
    if not (row_id.isascii() and row_id.isdigit()) or len(row_id) > 10 or len(signature) != 32:
        return None
    return int(row_id), signature


def token_matches(kind: str, token: str, salt: str) -> bool:
    parts = split_token(token)
    return parts is not None and hmac.compare_digest(token, token_for(kind, parts[0], salt))


def invitation_url(invitation_id: int, salt: str) -> str:
    return f"{get_settings().base_url}/i/{token_for(INVITATION, invitation_id, salt)}"
