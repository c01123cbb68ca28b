"""Configuration: defaults, parsing, and one clear line per bad value."""

import pytest

from app.config import ConfigError, load_settings


def env(tmp_path, **values):
    return {"WERKPAS_DATA_DIR": str(tmp_path), **values}


def test_defaults(tmp_path):
    settings = load_settings(env(tmp_path))
    assert settings.database_url == f"sqlite:///{tmp_path / 'werkpas.db'}"
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.host == "127.0.0.1" and settings.port == 8000
    assert settings.smtp_url is None and settings.redis_url is None
    assert not settings.secure_cookies


def test_mail_from(tmp_path):
    assert load_settings(env(tmp_path)).mail_from == "Werkpas <no-reply@werkpas.local>"
    assert (
        load_settings(env(tmp_path, WERKPAS_MAIL_FROM="HR De Klok <hr@deklok.example>")).mail_from
        == "HR De Klok <hr@deklok.example>"
    )


def test_secret_key_generated_once_and_kept(tmp_path):
    first = load_settings(env(tmp_path)).secret_key
    second = load_settings(env(tmp_path)).secret_key
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_sqlite_urls(tmp_path):
    assert str(load_settings(env(tmp_path, DATABASE_URL="sqlite:///var/x.db")).sqlite_path) == "var/x.db"
    assert str(load_settings(env(tmp_path, DATABASE_URL="sqlite:////tmp/x.db")).sqlite_path) == "/tmp/x.db"


def test_https_base_url_makes_cookies_secure(tmp_path):
    assert load_settings(env(tmp_path, WERKPAS_BASE_URL="https://werkpas.example/")).secure_cookies
    assert (
        load_settings(env(tmp_path, WERKPAS_BASE_URL="https://werkpas.example/")).base_url == "https://werkpas.example"
    )


@pytest.mark.parametrize(
    "name, value",
    [
        ("DATABASE_URL", "mysql://x"),
        ("DATABASE_URL", "sqlite:/x.db"),
        ("WERKPAS_SECRET_KEY", "short"),
        ("WERKPAS_BASE_URL", "werkpas.example"),
        ("SMTP_URL", "http://mail"),
        ("REDIS_URL", "memcache://x"),
        ("PORT", "eighty"),
        ("PORT", "70000"),
        ("HOST", "not a host"),
        ("WERKPAS_TRUSTED_PROXIES", "10.0.0.1, nonsense"),
        ("WERKPAS_RUN_JOBS", "maybe"),
        ("WERKPAS_MAIL_FROM", "not an address"),
    ],
)
def test_bad_values_name_the_variable(tmp_path, name, value):
    with pytest.raises(ConfigError) as error:
        load_settings(env(tmp_path, **{name: value}))
    message = str(error.value)
    assert message.startswith(f"{name}:")
    assert "\n" not in message


def test_cli_stops_with_one_line(tmp_path, monkeypatch, capsys):
    from app.cli import main

    monkeypatch.setenv("WERKPAS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PORT", "not-a-port")
    with pytest.raises(SystemExit) as exit_info:
        main(["migrate"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["werkpas: configuration error: PORT: must be a number between 1 and 65535"]
