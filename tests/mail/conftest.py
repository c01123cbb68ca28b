"""A real SMTP server (aiosmtpd) on 127.0.0.1, and settings pointing at it."""

from __future__ import annotations

import dataclasses
import socket
import ssl
import subprocess
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from app.config import set_settings

USER, PASSWORD = "mailer@werkpas.test", "p@ss:word"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    """aiosmtpd handler keeping what it received."""

    def __init__(self):
        self.envelopes = []
        self.logins: list[str] = []
        self.tls: list[bool] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.tls.append(server.transport.get_extra_info("ssl_object") is not None)
        return "250 Message accepted"

    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(envelope.content, policy=default_policy) for envelope in self.envelopes]

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == USER
            and auth_data.password.decode() == PASSWORD
        )
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)


@pytest.fixture(autouse=True)
def empty_outbox(settings):
    for path in settings.mail_dir.glob("*.eml"):
        path.unlink()


@pytest.fixture
def use_smtp(settings):
    """Point SMTP_URL somewhere for one test, then restore the settings."""

    def install(url: str | None):
        set_settings(dataclasses.replace(settings, smtp_url=url))

    yield install
    set_settings(settings)


@pytest.fixture
def start_smtp():
    controllers = []

    def start(port: int | None = None, **kwargs) -> tuple[Recorder, int]:
        handler = Recorder()
        port = port or free_port()
        if kwargs.pop("with_auth", False):
            kwargs["authenticator"] = handler.authenticate
        controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        controllers.append(controller)
        return handler, port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (trusted via SSL_CERT_FILE)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def server_tls(certificate, monkeypatch) -> ssl.SSLContext:
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context
