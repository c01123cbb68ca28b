"""The werkpas command, run as a real process against a fresh data dir."""

import os
import re
import subprocess
import sys
from pathlib import Path

WERKPAS = [sys.executable, "-m", "app.cli"]
ROOT = Path(__file__).resolve().parents[2]


def run(args, data_dir, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "WERKPAS_TEST_DATABASE")}
    env.update({"WERKPAS_DATA_DIR": str(data_dir), "WERKPAS_ARGON2_PROFILE": "test", **extra})
    return subprocess.run([*WERKPAS, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_unmigrated_database_is_refused_with_one_line(tmp_path):
    result = run(["worker", "--once"], tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert re.fullmatch(r"werkpas: the database is missing \d+ migration\(s\): run `werkpas migrate` first", line)


def test_migrate_then_demo_twice_then_worker(tmp_path):
    assert run(["migrate"], tmp_path).returncode == 0
    first = run(["demo"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert "admin@werkpas.example" in first.stdout and "Werkpas-demo-2026" in first.stdout
    second = run(["demo"], tmp_path)
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "werkpas.db").exists()
    assert run(["worker", "--once"], tmp_path).returncode == 0
