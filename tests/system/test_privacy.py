"""The full privacy notice: complete in every language (who, what and why,
legal basis, who sees it, retention, rights, complaint, contact), in plain
words, and its periods are the ones the app really applies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.domain.accounts.tokens import CONFIRM_EMAIL, LIFETIME, RESET_PASSWORD, SET_PASSWORD
from app.domain.admin.organisations import MAX_DAYS
from app.domain.core.limits import WINDOW_SECONDS
from app.domain.registration.commands import PIN_RESET_LIFETIME
from app.domain.registration.rules import LOCK_TIME, MAX_FAILED_ATTEMPTS
from app.storage.tables import Organisation
from app.web.system.privacy import RETENTION

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("who", "data", "basis", "access", "retention", "rights", "contact")

# Per language: each section's heading, and words each section must hold.
EXPECTED = {
    "nl": {
        "who": ("Wie verantwoordelijk is voor je gegevens", "verwerkingsverantwoordelijke"),
        "data": ("Welke gegevens we bewaren, en waarom", "geboortedatum"),
        "basis": ("Waarom we ze mogen gebruiken", "AVG artikel 6.1.b"),
        "access": ("Wie je gegevens ziet", "Een andere werkgever"),
        "retention": ("Hoe lang we ze bewaren", "30 dagen"),
        "rights": ("Je rechten", "Gegevensbeschermingsautoriteit"),
        "contact": ("Contact", "mailto:privacy@testserver.local"),
    },
    "fr": {
        "who": ("Qui est responsable de vos données", "responsable du traitement"),
        "data": ("Quelles données nous gardons, et pourquoi", "date de naissance"),
        "basis": ("Ce qui nous permet de les utiliser", "RGPD article 6.1.b"),
        "access": ("Qui voit vos données", "Un autre employeur"),
        "retention": ("Combien de temps nous les gardons", "30 jours"),
        "rights": ("Vos droits", "Autorité de protection des données"),
        "contact": ("Contact", "mailto:privacy@testserver.local"),
    },
    "en": {
        "who": ("Who is responsible for your data", "controller"),
        "data": ("Which data we keep, and why", "birth date"),
        "basis": ("What allows us to use it", "GDPR article 6.1.b"),
        "access": ("Who sees your data", "Another employer"),
        "retention": ("How long we keep it", "30 days"),
        "rights": ("Your rights", "Data Protection Authority"),
        "contact": ("Contact", "mailto:privacy@testserver.local"),
    },
}

RIGHTS = {
    "nl": ("te zien", "te verbeteren", "te wissen", "bezwaar", "klacht"),
    "fr": ("de voir", "de corriger", "d'effacer", "vous opposez", "plainte"),
    "en": ("to see", "to correct", "to delete", "object", "complain"),
}


def _section(page: str, section: str) -> str:
    match = re.search(rf'<section id="{section}".*?</section>', page, re.S)
    assert match, f"no section {section}"
    return match.group(0)


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
async def test_every_language_has_every_section(client, language):
    client.cookies.set("werkpas_lang", language)
    page = (await client.get("/privacy")).text
    assert f'lang="{language}"' in page
    for section in SECTIONS:
        heading, words = EXPECTED[language][section]
        body = _section(page, section)
        assert heading in body, (language, section)
        assert words in body, (language, section, words)
        assert f'href="#{section}"' in page  # listed under "On this page"
    rights = _section(page, "rights")
    for right in RIGHTS[language]:
        assert right in rights, (language, right)


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
async def test_the_notice_has_no_jargon(client, language):
    client.cookies.set("werkpas_lang", language)
    page = (await client.get("/privacy")).text.lower()
    for word in ("hash", "irreversib", "onomkeerbaar", "argon", "audit log", "hmac"):
        assert word not in page, (language, word)


def test_the_periods_are_the_ones_the_app_applies():
    assert RETENTION.invitation_days == Organisation.invitation_days.default
    assert RETENTION.invitation_max_days == MAX_DAYS
    assert RETENTION.birth_date_tries == MAX_FAILED_ATTEMPTS
    assert RETENTION.lock_minutes * 60 == LOCK_TIME.total_seconds()
    assert RETENTION.set_password_days * 86400 == LIFETIME[SET_PASSWORD].total_seconds()
    assert RETENTION.reset_password_hours * 3600 == LIFETIME[RESET_PASSWORD].total_seconds()
    assert RETENTION.confirm_email_days * 86400 == LIFETIME[CONFIRM_EMAIL].total_seconds()
    assert RETENTION.pin_reset_hours * 3600 == PIN_RESET_LIFETIME.total_seconds()
    assert RETENTION.attempt_minutes * 60 == WINDOW_SECONDS
    # The session and the language cookie are set in the web layer's code.
    app_source = (ROOT / "app/web/app.py").read_text()
    assert f"max_age={RETENTION.session_hours} * 3600" in app_source
    context_source = (ROOT / "app/web/core/context.py").read_text()
    assert f"max_age={RETENTION.language_cookie_days} * 24 * 3600" in context_source


async def test_the_notice_says_which_periods_apply(client):
    client.cookies.set("werkpas_lang", "en")
    retention = _section((await client.get("/privacy")).text, "retention")
    assert "30 days unless they chose otherwise, at most 365 days" in retention
    assert "After 5 wrong birth dates the invitation is locked for 15 minutes" in retention
    assert "for 7 days, a link to reset a forgotten password for 2 hours" in retention
    assert "a code to choose a new PIN for 24 hours" in retention
    assert "After about 12 hours you are logged out" in retention
    assert "six months and one day" in retention
