"""Settings read from the environment, validated once at start-up.

A bad value raises ConfigError whose message is one line naming the variable,
so `werkpas serve` can stop with that line instead of a traceback.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field
from email.utils import parseaddr
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from pathlib import Path
from urllib.parse import urlsplit


class ConfigError(Exception):
    """A configuration value is wrong; str(error) is the one line to show."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str
    base_url: str
    smtp_url: str | None
    redis_url: str | None
    host: str
    port: int
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = field(default_factory=tuple)
    run_jobs_in_server: bool = True
    mail_from: str = "Werkpas <no-reply@werkpas.local>"
    security_contact: str = "mailto:security@werkpas.local"
    privacy_contact: str = "privacy@werkpas.local"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def sqlite_path(self) -> Path:
        return sqlite_path(self.database_url)

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"


def sqlite_path(url: str) -> Path:
    # sqlite:///relative/path.db -> relative/path.db ; sqlite:////abs/path.db -> /abs/path.db
    rest = url[len("sqlite:") :]
    if not rest.startswith("///") or len(rest) <= 3:
        raise ConfigError("DATABASE_URL: use sqlite:///relative/path.db or sqlite:////absolute/path.db")
    return Path(rest[3:])


def _env(environ, name: str) -> str | None:
    value = environ.get(name)
    return value.strip() if value and value.strip() else None


def _database_url(environ, data_dir: Path) -> str:
    url = _env(environ, "DATABASE_URL")
    if url is None:
        return f"sqlite:///{data_dir / 'werkpas.db'}"
    if url.startswith("sqlite:"):
        sqlite_path(url)
        return url
    if url.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        if not parts.hostname and not parts.path.strip("/"):
            raise ConfigError("DATABASE_URL: a postgresql:// URL needs a host or a database name")
        return url
    raise ConfigError("DATABASE_URL: must start with sqlite:/// or postgresql://")


def _secret_key(environ, data_dir: Path) -> str:
    key = _env(environ, "WERKPAS_SECRET_KEY")
    if key is not None:
        if len(key) < 32:
            raise ConfigError("WERKPAS_SECRET_KEY: must be at least 32 characters long")
        return key
    # First run without a key: generate one and keep it, so sessions and
    # tokens survive restarts and are shared by every process on this machine.
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(key)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return key


def _base_url(environ) -> str:
    url = _env(environ, "WERKPAS_BASE_URL") or "http://127.0.0.1:8000"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError("WERKPAS_BASE_URL: must be an absolute http:// or https:// URL")
    return url.rstrip("/")


def _url_with_scheme(environ, name: str, schemes: tuple[str, ...]) -> str | None:
    url = _env(environ, name)
    if url is not None and urlsplit(url).scheme not in schemes:
        raise ConfigError(f"{name}: must start with {' or '.join(s + '://' for s in schemes)}")
    return url


def _port(environ) -> int:
    raw = _env(environ, "PORT") or "8000"
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < 65536:
        raise ConfigError("PORT: must be a number between 1 and 65535")
    return int(raw)


def _trusted_proxies(environ) -> tuple:
    raw = _env(environ, "WERKPAS_TRUSTED_PROXIES")
    if raw is None:
        return ()
    try:
        return tuple(ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip())
    except ValueError:
        raise ConfigError(
            "WERKPAS_TRUSTED_PROXIES: must be a comma-separated list of IP addresses or networks"
        ) from None


def _mail_from(environ) -> str:
    value = _env(environ, "WERKPAS_MAIL_FROM") or "Werkpas <no-reply@werkpas.local>"
    _name, address = parseaddr(value)
    if "@" not in address or any(c in value for c in "\r\n"):
        raise ConfigError(
            "WERKPAS_MAIL_FROM: must be an e-mail address, optionally with a name: Werkpas <no-reply@example.be>"
        )
    return value


_CONTACT = re.compile(
    r"(mailto:[^@\s]{1,64}@[^@\s/]+\.[^@\s/]+|https://[^\s/]+\.[^\s]+|tel:\+?[0-9 ()\-]{6,20})", re.ASCII
)


def _security_contact(environ, base_url: str) -> str:
    """Where vulnerabilities are reported (security.txt, RFC 9116): a
    mailto:, https:// or tel: URI; by default security@ the host of the base URL."""
    value = _env(environ, "WERKPAS_SECURITY_CONTACT")
    if value is None:
        return f"mailto:security@{urlsplit(base_url).hostname}"
    if not _CONTACT.fullmatch(value):
        raise ConfigError(
            "WERKPAS_SECURITY_CONTACT: must be a mailto:, https:// or tel: URI, like mailto:security@example.be"
        )
    return value


_EMAIL = re.compile(r"[^@\s<>\":]{1,64}@[^@\s/<>\"]+\.[^@\s/<>\"]+", re.ASCII)


def _privacy_contact(environ, base_url: str) -> str:
    """The address the privacy notice gives for questions and GDPR requests;
    by default privacy@ the host of the base URL."""
    value = _env(environ, "WERKPAS_PRIVACY_CONTACT")
    if value is None:
        return f"privacy@{urlsplit(base_url).hostname}"
    if not _EMAIL.fullmatch(value):
        raise ConfigError("WERKPAS_PRIVACY_CONTACT: must be an e-mail address, like privacy@example.be")
    return value


def _bool(environ, name: str, default: bool) -> bool:
    raw = _env(environ, name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}: must be true or false")


def load_settings(environ=None) -> Settings:
    environ = os.environ if environ is None else environ
    data_dir = Path(_env(environ, "WERKPAS_DATA_DIR") or "./var")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"WERKPAS_DATA_DIR: cannot create {data_dir}: {exc.strerror}") from None
    host = _env(environ, "HOST") or "127.0.0.1"
    try:
        ip_address(host)
    except ValueError:
        if host != "localhost":
            raise ConfigError("HOST: must be an IP address such as 127.0.0.1 or 0.0.0.0") from None
    base_url = _base_url(environ)
    return Settings(
        data_dir=data_dir,
        database_url=_database_url(environ, data_dir),
        secret_key=_secret_key(environ, data_dir),
        base_url=base_url,
        smtp_url=_url_with_scheme(environ, "SMTP_URL", ("smtp", "smtps")),
        redis_url=_url_with_scheme(environ, "REDIS_URL", ("redis", "rediss", "unix")),
        host=host,
        port=_port(environ),
        trusted_proxies=_trusted_proxies(environ),
        run_jobs_in_server=_bool(environ, "WERKPAS_RUN_JOBS", True),
        mail_from=_mail_from(environ),
        security_contact=_security_contact(environ, base_url),
        privacy_contact=_privacy_contact(environ, base_url),
    )


_settings: Settings | None = None


def get_settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = load_settings()
    return _settings


def set_settings(settings: Settings | None) -> None:
    """Tests and the CLI install explicit settings."""
    global _settings
    _settings = settings
