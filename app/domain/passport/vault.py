"""Encryption at rest for the passport's sensitive fields (national number,
bank account), with Fernet from the `cryptography` package.

The key lives in the data dir (`passport.key`, created on first use, mode
0600), not in the database: a copy of the database alone does not reveal
the numbers. Losing the key loses those fields, so backups take both.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from app.config import get_settings

KEY_FILE = "passport.key"


def _key_path() -> Path:
    return get_settings().data_dir / KEY_FILE


@cache
def _fernet(path: Path) -> Fernet:
    if not path.exists():
        key = Fernet.generate_key()
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(key)
        os.chmod(tmp, 0o600)
        try:
            # Two processes starting at once: the first key written wins.
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return Fernet(path.read_bytes().strip())


def encrypt(value: str) -> str:
    return _fernet(_key_path()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str | None:
    """The value, or None when it cannot be read with this key."""
    try:
        return _fernet(_key_path()).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None
