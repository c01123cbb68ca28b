"""Sentences of the audit log and the job list as HTML: the translated
message with its names put in, each name a link to the object it names when
the reader may open it (app.domain.admin.audit_names decides whether; this
module knows the addresses)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from markupsafe import Markup, escape

from app.domain.admin.audit_names import Part
from app.i18n import _, format_date

PLACEHOLDER = re.compile(r"%\((\w+)\)s")

ADDRESSES = {
    "user": "/admin/users/{id}",
    "invitation": "/invitations/{id}",
    "unit": "/admin/units/{id}",
    "organisation": "/admin/organisations/{id}",
    "import_run": "/invitations/imports/{id}",
    "job": "/admin/jobs?status=failed#job-{id}",
}


def _plain(part: Part) -> str:
    if part.day is not None:
        return format_date(part.day)
    if not part.translate:
        return part.text
    text = _(part.text)
    if part.values:
        text = text % {key: _(value) for key, value in part.values.items()}
    return text


def _part(part: Part, parts: Mapping[str, Part], depth: int) -> Markup:
    if part.translate and not part.values and PLACEHOLDER.search(part.text) and depth < 2:
        return render(part.text, parts, depth + 1)  # a sentence inside a sentence
    text = escape(_plain(part))
    address = ADDRESSES.get(part.kind)
    if address and part.id is not None:
        return Markup('<a href="{}">{}</a>').format(address.format(id=part.id), text)
    return Markup(text)


def render(message_id: str, parts: Mapping[str, Part], depth: int = 0) -> Markup:
    """The translated message with every %(name)s replaced by its part; the
    sentence starts with a capital even when it starts with "someone"."""
    pieces: list[Markup] = []
    translated = _(message_id)
    position = 0
    for match in PLACEHOLDER.finditer(translated):
        pieces.append(escape(translated[position : match.start()]))
        part = parts.get(match.group(1))
        pieces.append(_part(part, parts, depth) if part is not None else Markup(""))
        position = match.end()
    pieces.append(escape(translated[position:]))
    html = Markup("").join(pieces)
    return _capitalised(html) if depth == 0 else html


def _capitalised(html: Markup) -> Markup:
    """The first letter of the text (after any opening tag) in capitals."""
    match = re.match(r"^((?:<[^>]+>)*)([a-zà-ÿ])", str(html))
    if not match:
        return html
    start = match.end(1)
    return Markup(str(html)[:start] + str(html)[start].upper() + str(html)[start + 1 :])
