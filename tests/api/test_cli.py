"""`werkpas apikey create` prints the key once (alone on standard output)
and `werkpas apikey revoke` takes an id, a prefix or the key: run as real
processes against a fresh data dir, as tests/core/test_cli.py does."""

from __future__ import annotations

import re
import sqlite3

from tests.core.test_cli import run


def _org(data_dir) -> None:
    with sqlite3.connect(data_dir / "werkpas.db") as db:
        db.execute(
            "INSERT INTO organisation (name, slug, kind, default_language, invitation_days, created_at) "
            "VALUES ('Flexa Interim', 'flexa', 'agency', 'nl', 30, '2026-01-01 00:00:00+00:00')"
        )


def _keys(data_dir) -> list[tuple]:
    with sqlite3.connect(data_dir / "werkpas.db") as db:
        return db.execute("SELECT id, name, prefix, secret_hash, revoked_at FROM api_key ORDER BY id").fetchall()


def _audit(data_dir) -> list[tuple]:
    with sqlite3.connect(data_dir / "werkpas.db") as db:
        return db.execute(
            "SELECT type, outcome, channel FROM audit_event WHERE type LIKE 'api.%' ORDER BY id"
        ).fetchall()


def test_create_prints_the_key_once_and_revoke_takes_an_id_or_a_prefix(tmp_path):
    assert run(["migrate"], tmp_path).returncode == 0
    _org(tmp_path)
    made = run(["apikey", "create", "--org", "flexa", "--name", "Payroll sync"], tmp_path)
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    assert re.fullmatch(r"wpk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", key)
    assert "shown only this once" in made.stderr and key not in made.stderr
    [(key_id, name, prefix, secret_hash, revoked_at)] = _keys(tmp_path)
    assert name == "Payroll sync" and key.startswith(f"wpk_{prefix}_") and revoked_at is None
    assert key[17:] not in secret_hash
    with sqlite3.connect(tmp_path / "werkpas.db") as db:
        dump = "\n".join(db.iterdump())
    assert key[17:] not in dump  # nowhere in the database

    second = run(["apikey", "create", "--org", "flexa", "--name", "Planning"], tmp_path)
    assert second.returncode == 0 and second.stdout.strip() != key

    revoked = run(["apikey", "revoke", prefix], tmp_path)
    assert revoked.returncode == 0, revoked.stderr
    assert f"API key {key_id} (Payroll sync) revoked." in revoked.stdout
    again = run(["apikey", "revoke", str(key_id)], tmp_path)
    assert again.returncode == 1 and "already revoked" in again.stderr
    other_id = _keys(tmp_path)[1][0]
    assert run(["apikey", "revoke", str(other_id)], tmp_path).returncode == 0
    assert _audit(tmp_path) == [
        ("api.create_key", "applied", "cli"),
        ("api.create_key", "applied", "cli"),
        ("api.revoke_key", "applied", "cli"),
        ("api.revoke_key", "rejected", "cli"),
        ("api.revoke_key", "applied", "cli"),
    ]


def test_unknown_organisations_and_keys_and_bad_names(tmp_path):
    assert run(["migrate"], tmp_path).returncode == 0
    _org(tmp_path)
    unknown = run(["apikey", "create", "--org", "nope", "--name", "X"], tmp_path)
    assert unknown.returncode == 2 and "no organisation" in unknown.stderr and unknown.stdout == ""
    empty = run(["apikey", "create", "--org", "flexa", "--name", "  "], tmp_path)
    assert empty.returncode == 1 and "Enter a name" in empty.stderr and empty.stdout == ""
    missing = run(["apikey", "revoke", "wpk_000000000000_" + "A" * 43], tmp_path)
    assert missing.returncode == 2 and "A" * 43 not in missing.stderr
    assert _keys(tmp_path) == []
