import gettext

import pytest

from app import i18n
from app.domain.mail import outbox, render, send_mail


class Marked(gettext.NullTranslations):
    """A catalog that shows which language translated each message."""

    def __init__(self, language: str):
        super().__init__()
        self.language = language

    def gettext(self, message):
        return f"[{self.language}] {message}"


@pytest.fixture
def marked_catalogs(monkeypatch):
    for language in i18n.LANGUAGES:
        monkeypatch.setitem(i18n._catalogs, language, Marked(language))


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_mail_is_rendered_in_the_recipients_language(marked_catalogs, language):
    i18n.set_language("nl")
    subject, text, html = render("test_message", language, {"name": "Ann"})
    assert subject == f"[{language}] Werkpas test message"
    assert f"[{language}] Hello Ann," in text
    assert f"[{language}] Hello Ann," in html
    assert f'<html lang="{language}">' in html
    assert f"<title>[{language}] Werkpas test message</title>" in html
    assert f"[{language}] This e-mail was sent by Werkpas." in html  # the layout too
    assert i18n.current_language() == "nl"  # the caller's language is left alone


def test_unknown_language_falls_back_to_dutch(marked_catalogs):
    subject, _text, html = render("test_message", "xx", {"name": "Ann"})
    assert subject == "[nl] Werkpas test message"
    assert '<html lang="nl">' in html


def test_html_part_escapes_values_and_text_part_keeps_them():
    _subject, text, html = render("test_message", "en", {"name": "<b>Ann & Bob</b>"})
    assert "Hello <b>Ann & Bob</b>," in text
    assert "Hello &lt;b&gt;Ann &amp; Bob&lt;/b&gt;," in html
    assert "<b>Ann" not in html


def test_subject_set_line_leaves_no_blank_line_at_the_top_of_the_text():
    subject, text, _html = render("test_message", "en", {"name": "Ann"})
    assert subject == "Werkpas test message"
    assert text.startswith("Hello Ann,")
    assert "subject" not in text


def test_html_part_uses_the_mail_layout_with_inline_styles():
    _subject, _text, html = render("test_message", "en", {"name": "Ann"})
    assert html.lstrip().startswith("<!doctype html>")
    assert "<style" not in html and "stylesheet" not in html
    assert 'style="' in html
    assert "http://testserver.local" in html  # base_url from the settings


async def test_send_mail_without_smtp_writes_an_eml_with_both_parts(settings):
    await send_mail(to="Ann Peeters <ann@example.be>", template="test_message", language="fr", context={"name": "Ann"})
    files = list(settings.mail_dir.glob("*.eml"))
    assert len(files) == 1
    [message] = outbox(settings)
    assert message["To"] == "Ann Peeters <ann@example.be>"
    assert message["From"] == settings.mail_from
    assert message["Subject"] == "Message de test Werkpas"
    assert message["Content-Language"] == "fr"
    assert message["Message-ID"].endswith("@testserver.local>")
    assert message.get_content_type() == "multipart/alternative"
    assert "Langue : fr" in message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert '<html lang="fr">' in html and "Langue : fr" in html


async def test_translated_subject_is_encoded_in_the_eml(settings, marked_catalogs, monkeypatch):
    class Accented(gettext.NullTranslations):
        def gettext(self, message):
            return "Message d'essai de Werkpas : ça marche" if message == "Werkpas test message" else message

    monkeypatch.setitem(i18n._catalogs, "fr", Accented())
    await send_mail(to="ann@example.be", template="test_message", language="fr", context={"name": "Ann"})
    [message] = outbox(settings)
    assert message["Subject"] == "Message d'essai de Werkpas : ça marche"
    raw = next(settings.mail_dir.glob("*.eml")).read_bytes()
    assert b"=?utf-8?" in raw  # a non-ASCII header is MIME-encoded
