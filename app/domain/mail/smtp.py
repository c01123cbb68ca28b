"""Delivery through an SMTP server named by SMTP_URL:

- `smtp://[user:password@]host[:port]` (port 25 by default): STARTTLS
  whenever the server offers it, plain otherwise (a relay on localhost);
- `smtps://[user:password@]host[:port]` (port 465 by default): TLS from the
  first byte.

User and password are percent-decoded, so they may contain `@` or `:`.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib

from app.domain.jobs import PermanentFailure

TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    implicit_tls: bool
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpTarget:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("SMTP_URL needs a host name")
    implicit_tls = parts.scheme == "smtps"
    try:
        port = parts.port or (465 if implicit_tls else 25)
    except ValueError:
        raise ValueError("SMTP_URL has an invalid port") from None
    return SmtpTarget(
        host=parts.hostname,
        port=port,
        implicit_tls=implicit_tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


async def send_smtp(url: str, message: EmailMessage, *, timeout: float = TIMEOUT_SECONDS) -> None:
    """Send one message. Raises aiosmtplib's errors, which the mail job
    retries, except PermanentFailure when every recipient is refused with a
    5xx code: that answer will not change, so retrying would only delay the
    moment an admin sees it."""
    target = parse_smtp_url(url)
    try:
        await _send(target, message, timeout)
    except aiosmtplib.SMTPRecipientsRefused as error:
        codes = [refusal.code for refusal in error.recipients]
        if codes and all(code >= 500 for code in codes):
            raise PermanentFailure(f"the SMTP server refused the recipient for good (code {codes[0]})") from error
        raise


async def _send(target: SmtpTarget, message: EmailMessage, timeout: float) -> None:
    await aiosmtplib.send(
        message,
        hostname=target.host,
        port=target.port,
        username=target.username,
        password=target.password,
        use_tls=target.implicit_tls,
        # None: upgrade when the server offers STARTTLS. With implicit TLS
        # the connection is already encrypted.
        start_tls=False if target.implicit_tls else None,
        timeout=timeout,
    )
