"""Mail: render a template in the recipient's language, then deliver it by
SMTP (SMTP_URL) or, without SMTP, as an .eml file under <data dir>/mail."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from app import i18n
from app.config import Settings, get_settings
from app.domain.jobs import enqueue, job_handler
from app.templating import mail_environment

MAIL_ATTEMPTS = 10


def render(template: str, language: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of templates/mail/<template>.txt/.html, with
    gettext in `language`. The subject is the `{% set subject = _("...") %}`
    at the top of the .txt template. Both templates also get `language`,
    `base_url` and (the HTML one) `subject`."""
    env = mail_environment()
    language = language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    values = {"base_url": get_settings().base_url, **context, "language": language}
    previous = i18n.current_language()
    i18n.set_language(language)
    try:
        text_module = env.get_template(f"mail/{template}.txt").make_module(values)
        # One line, whatever the template's whitespace: a header cannot span lines.
        subject = " ".join(str(getattr(text_module, "subject", "")).split()) or "Werkpas"
        text = str(text_module).strip() + "\n"
        html = env.get_template(f"mail/{template}.html").render({**values, "subject": subject})
    finally:
        i18n.set_language(previous)
    return subject, text, html


def build_message(
    settings: Settings,
    to: str,
    subject: str,
    text: str,
    html: str,
    language: str | None = None,
    *,
    attachments: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=urlsplit(settings.base_url).hostname or "werkpas.local")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for attachment in attachments or ():
        _attach(message, attachment)
    # Last: set_content and add_attachment move every Content-* header into
    # the parts they make.
    if language:
        message["Content-Language"] = language
    for name, value in (headers or {}).items():
        if name.lower() in _OWN_HEADERS or "\n" in value or "\r" in value:
            raise ValueError(f"header {name!r} cannot be set here")
        message[name] = value
    return message


# Headers build_message sets itself; extra headers (List-Unsubscribe) may not replace them.
_OWN_HEADERS = {"from", "to", "subject", "date", "message-id", "content-language", "content-type"}


def _attach(message: EmailMessage, attachment: dict) -> None:
    """An attachment {"filename", "content_type" ("text/calendar; method=REQUEST"),
    "text"}: text only, so it travels through the job queue as JSON."""
    maintype, _, rest = attachment["content_type"].partition("/")
    subtype, _, params_text = rest.partition(";")
    params = dict(part.strip().split("=", 1) for part in params_text.split(";") if "=" in part)
    message.add_attachment(
        attachment["text"].encode("utf-8"),
        maintype=maintype,
        subtype=subtype.strip(),
        filename=attachment["filename"],
        params=params,
    )


async def deliver(settings: Settings, message: EmailMessage) -> None:
    if settings.smtp_url:
        from app.domain.mail.smtp import send_smtp

        await send_smtp(settings.smtp_url, message)
        return
    settings.mail_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = settings.mail_dir / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(bytes(message))
    tmp.replace(path)


async def send_mail(
    *,
    to: str,
    template: str,
    language: str,
    context: dict,
    attachments: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Render and deliver now (call it from a job handler, not a request).
    `attachments`: [{"filename", "content_type", "text"}] (an .ics invitation);
    `headers`: extra headers such as List-Unsubscribe."""
    settings = get_settings()
    subject, text, html = render(template, language, context)
    message = build_message(settings, to, subject, text, html, language, attachments=attachments, headers=headers)
    await deliver(settings, message)


async def queue_mail(
    *,
    to: str,
    template: str,
    language: str,
    context: dict,
    attachments: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> int | None:
    """Deliver later through the job queue (retried on failure). The context
    ends up in the jobs table, so put no secrets in it."""
    # More attempts than the default: an SMTP outage of a few hours must not
    # lose mail (the backoff reaches an hour per retry).
    payload: dict = {"to": to, "template": template, "language": language, "context": context}
    if attachments:
        payload["attachments"] = attachments
    if headers:
        payload["headers"] = headers
    return await enqueue("mail.send", payload, max_attempts=MAIL_ATTEMPTS)


@job_handler("mail.send")
async def _send_job(payload: dict, job_id: int) -> None:
    await send_mail(
        to=payload["to"],
        template=payload["template"],
        language=payload["language"],
        context=payload["context"],
        attachments=payload.get("attachments"),
        headers=payload.get("headers"),
    )


def outbox(settings: Settings | None = None) -> list[EmailMessage]:
    """The .eml files written so far, oldest first (for tests and support)."""
    settings = settings or get_settings()
    if not settings.mail_dir.exists():
        return []
    parser = BytesParser(policy=default_policy)
    return [parser.parsebytes(path.read_bytes()) for path in sorted(settings.mail_dir.glob("*.eml"))]
