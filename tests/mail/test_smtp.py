from urllib.parse import quote

import pytest

from app.domain.jobs.worker import run_due_jobs
from app.domain.mail import outbox, queue_mail, send_mail
from app.domain.mail.smtp import SmtpTarget, parse_smtp_url
from app.storage.tables import Job
from tests.mail.conftest import PASSWORD, USER, free_port
from tests.support.jobs import job_row, make_due


def test_smtp_urls_are_parsed():
    assert parse_smtp_url("smtp://mail.example.be") == SmtpTarget("mail.example.be", 25, False)
    assert parse_smtp_url("smtps://mail.example.be") == SmtpTarget("mail.example.be", 465, True)
    assert parse_smtp_url(f"smtp://{quote(USER, safe='')}:{quote(PASSWORD, safe='')}@127.0.0.1:2525") == SmtpTarget(
        "127.0.0.1", 2525, False, USER, PASSWORD
    )
    for bad in ("http://mail.example.be", "smtp://", "smtp://host:99999"):
        with pytest.raises(ValueError):
            parse_smtp_url(bad)


async def test_queued_mail_goes_through_a_real_smtp_server(settings, start_smtp, use_smtp):
    server, port = start_smtp()
    use_smtp(f"smtp://127.0.0.1:{port}")
    job_id = await queue_mail(to="ann@example.be", template="test_message", language="en", context={"name": "Ann"})
    assert server.envelopes == []  # queued, not sent during the request
    assert await run_due_jobs() == 1
    [envelope] = server.envelopes
    assert envelope.mail_from == "no-reply@werkpas.local"
    assert envelope.rcpt_tos == ["ann@example.be"]
    [message] = server.messages()
    assert message["Subject"] == "Werkpas test message"
    assert message["To"] == "ann@example.be"
    assert message["Content-Language"] == "en"
    assert "Hello Ann," in message.get_body(("plain",)).get_content()
    assert '<html lang="en">' in message.get_body(("html",)).get_content()
    assert (await job_row(job_id))["status"] == "done"
    assert outbox(settings) == []  # SMTP replaces the .eml files


async def test_starttls_is_used_when_the_server_offers_it_and_login_works(start_smtp, use_smtp, server_tls):
    server, port = start_smtp(tls_context=server_tls, require_starttls=True, with_auth=True)
    use_smtp(f"smtp://{quote(USER, safe='')}:{quote(PASSWORD, safe='')}@127.0.0.1:{port}")
    await send_mail(to="ann@example.be", template="test_message", language="nl", context={"name": "Ann"})
    assert server.tls == [True]
    assert server.logins == [USER]
    assert server.messages()[0]["To"] == "ann@example.be"


async def test_smtps_uses_tls_from_the_start(start_smtp, use_smtp, server_tls):
    server, port = start_smtp(ssl_context=server_tls)
    use_smtp(f"smtps://127.0.0.1:{port}")
    await send_mail(to="ann@example.be", template="test_message", language="nl", context={"name": "Ann"})
    assert server.tls == [True]
    assert len(server.messages()) == 1


async def test_unreachable_smtp_server_fails_the_job_which_is_retried_and_nothing_is_lost(
    settings, start_smtp, use_smtp
):
    port = free_port()  # nobody listens here yet
    use_smtp(f"smtp://127.0.0.1:{port}")
    job_id = await queue_mail(to="ann@example.be", template="test_message", language="fr", context={"name": "Ann"})
    await run_due_jobs()
    row = await job_row(job_id)
    assert (row["status"], row["attempts"]) == ("queued", 1)
    assert "SMTPConnectError" in row["last_error"]
    assert "ann@example.be" not in row["last_error"]
    assert outbox(settings) == []

    server, _port = start_smtp(port=port)  # the server comes back
    await make_due(job_id)
    await run_due_jobs()
    assert [m["To"] for m in server.messages()] == ["ann@example.be"]
    row = await job_row(job_id)
    assert (row["status"], row["attempts"]) == ("done", 2)
    assert await Job.count() == 1


@pytest.mark.parametrize("code, retried", [(450, True), (550, False)])
async def test_refused_recipient_is_retried_only_when_the_refusal_is_temporary(start_smtp, use_smtp, code, retried):
    server, port = start_smtp()

    async def refuse(server_, session, envelope, address, rcpt_options):
        return f"{code} Mailbox {address} unavailable"

    server.handle_RCPT = refuse
    use_smtp(f"smtp://127.0.0.1:{port}")
    job_id = await queue_mail(to="nobody@example.be", template="test_message", language="en", context={"name": "X"})
    await run_due_jobs()
    row = await job_row(job_id)
    assert (row["status"], row["attempts"]) == (("queued" if retried else "failed"), 1)
    assert ("SMTPRecipientsRefused" if retried else f"refused the recipient for good (code {code})") in row[
        "last_error"
    ]
    assert "nobody@example.be" not in row["last_error"]
