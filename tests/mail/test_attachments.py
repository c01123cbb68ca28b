"""Mail carries attachments (an .ics invitation) and extra headers
(List-Unsubscribe), through the job queue too."""

from __future__ import annotations

import pytest

from app.config import get_settings
from app.domain.mail import build_message

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def test_an_attachment_and_a_header_reach_the_message():
    message = build_message(
        get_settings(),
        "an@example.be",
        "Uitnodiging",
        "Tekst",
        "<p>Tekst</p>",
        "nl",
        attachments=[{"filename": "overleg.ics", "content_type": "text/calendar; method=REQUEST", "text": ICS}],
        headers={"List-Unsubscribe": "<https://werkpas.example/u/abc>"},
    )
    assert message["List-Unsubscribe"] == "<https://werkpas.example/u/abc>"
    assert message["Content-Language"] == "nl"  # kept on the message itself, beside the attachment
    parts = [part for part in message.iter_attachments()]
    assert [part.get_filename() for part in parts] == ["overleg.ics"]
    assert parts[0].get_content_type() == "text/calendar"
    assert parts[0].get_param("method") == "REQUEST"
    assert parts[0].get_content().replace("\r\n", "\n") == ICS.replace("\r\n", "\n")


@pytest.mark.parametrize("name", ["To", "subject", "From"])
def test_extra_headers_cannot_replace_the_own_ones(name):
    with pytest.raises(ValueError):
        build_message(get_settings(), "an@example.be", "S", "T", "<p>T</p>", headers={name: "x@example.be"})


def test_a_header_value_cannot_hold_a_line_break():
    with pytest.raises(ValueError):
        build_message(get_settings(), "an@example.be", "S", "T", "<p>T</p>", headers={"List-Id": "a\r\nBcc: x"})
