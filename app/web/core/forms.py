"""Reading forms, for every area.

One parser for every request body (url-encoded and multipart), in memory and
without a cache: Litestar's own url-encoded parser keeps an lru_cache keyed
by the body bytes, so distinct large bodies would pile up in memory. The CSRF
middleware (app/web/csrf.py) parses the form when the token comes in a form
field and keeps it on the request scope; `read_form` and `read_fields` reuse
it instead of parsing again. A body that cannot be decoded (bad UTF-8, an
unknown charset, a broken multipart stream) is answered with 400.

Controllers read fields as text without NUL characters (PostgreSQL refuses
them in text, which would turn a stray byte into a server error), cut to a
sane length, and the command id a rendered form carries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import parse_qsl

from litestar import Request
from litestar.exceptions import ClientException, NotFoundException
from multipart import MultipartError, MultipartSegment, PushMultipartParser, parse_options_header

from app.domain.core.ids import parse_id
from app.i18n import _

MAX_FIELD = 1000
# Fields per form: a print selection may name 5000 rows one field each.
MAX_FIELDS = 10_000
URL_ENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
# Charsets a browser may declare for form text; anything else is refused
# (Python would also "decode" with base64, rot13 or a codec that is missing).
TEXT_CHARSETS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "iso-8859-1": "latin-1",
    "latin-1": "latin-1",
    "latin1": "latin-1",
    "windows-1252": "cp1252",
    "cp1252": "cp1252",
}
SCOPE_KEY = "werkpas.form"


class UnreadableForm(ClientException):
    """The body cannot be read as a form: answered with 400."""

    status_code = 400


@dataclass
class UploadedFile:
    filename: str
    data: bytes


@dataclass
class Form:
    """The fields of a body, every value of every field in order of arrival."""

    values: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def first(self, name: str, default: str = "") -> str:
        found = self.values.get(name)
        return found[0] if found else default

    def all(self, name: str) -> list[str]:
        return list(self.values.get(name, []))

    def keys(self) -> list[str]:
        return list(self.values)


def _codec(charset: str | None) -> str:
    codec = TEXT_CHARSETS.get((charset or "utf-8").strip().strip('"').lower())
    if codec is None:
        raise UnreadableForm("unknown charset")
    return codec


def parse_body(body: bytes, content_type: str, keep_files: bool = False, max_parts: int = MAX_FIELDS) -> Form:
    """The form in `body`; an empty form for a body that is no form (JSON,
    text): controllers then see missing fields and say so."""
    kind, options = parse_options_header(content_type or "")
    if kind == URL_ENCODED:
        return _url_encoded(body, options.get("charset"))
    if kind == MULTIPART:
        return _multipart(body, options.get("boundary") or "", keep_files, max_parts)
    return Form()


def _url_encoded(body: bytes, charset: str | None) -> Form:
    codec = _codec(charset)
    form = Form()
    try:
        pairs = parse_qsl(
            body.decode(codec),
            keep_blank_values=True,
            encoding=codec,
            errors="strict",
            max_num_fields=MAX_FIELDS,
            separator="&",
        )
    except (UnicodeDecodeError, ValueError):  # ValueError: too many fields
        raise UnreadableForm("undecodable form") from None
    for name, value in pairs:
        form.add(name, value)
    return form


def _multipart(body: bytes, boundary: str, keep_files: bool, max_parts: int) -> Form:
    if not boundary:
        raise UnreadableForm("multipart boundary missing")
    form = Form()
    segment: MultipartSegment | None = None
    buffer = bytearray()
    try:
        with PushMultipartParser(boundary, max_segment_count=max_parts) as parser:
            for chunk in (body, b""):
                for event in parser.parse(chunk):
                    if isinstance(event, MultipartSegment):  # a part's headers
                        segment, buffer = event, bytearray()
                    elif event is not None:  # a piece of its body
                        buffer.extend(event)
                    elif segment is not None:  # its end
                        _keep(form, segment, bytes(buffer), keep_files)
                        segment, buffer = None, bytearray()
    except (MultipartError, UnicodeDecodeError):  # the headers of a part are not UTF-8
        raise UnreadableForm("unreadable multipart form") from None
    return form


def _keep(form: Form, segment: MultipartSegment, data: bytes, keep_files: bool) -> None:
    if segment.filename is not None:
        # Files only where a route asks for them (the upload); elsewhere a
        # file part is not a field.
        if keep_files:
            form.files[segment.name or ""] = UploadedFile(segment.filename, data)
        return
    try:
        form.add(segment.name or "", data.decode(_codec(segment.charset)))
    except UnicodeDecodeError:
        raise UnreadableForm("undecodable form field") from None


async def parsed_form(request: Request) -> Form:
    """The request's form: the one the CSRF check already parsed, or parsed
    now from the body (at most the route's body limit) and kept."""
    form = cast("Form | None", request.scope.get(SCOPE_KEY))
    if form is None:
        form = parse_body(await request.body(), request.headers.get("content-type", ""))
        request.scope[SCOPE_KEY] = form  # type: ignore[literal-required]
    return form


def without_nul(text: str) -> str:
    return text.replace("\x00", "")


def clean(value: str | None, limit: int = MAX_FIELD) -> str:
    """Text from a request, trimmed and cut to a sane length (every field is
    validated on far shorter limits)."""
    return without_nul(value or "").strip()[:limit]


async def read_form(request: Request) -> dict[str, str]:
    """First value of every field, as text, cut to a sane length; not trimmed,
    so a password keeps exactly what was typed."""
    form = await parsed_form(request)
    return {name: without_nul(values[0])[:MAX_FIELD] for name, values in form.values.items()}


async def read_fields(request: Request, *names: str) -> dict[str, list[str]]:
    """Every value of the named fields (repeated checkboxes), without NUL.
    Values are not cut (a comma-separated id list may be long; cutting it
    could change an id): the body limit bounds them."""
    form = await parsed_form(request)
    return {name: [without_nul(value) for value in form.all(name)] for name in names}


def command_id(data: dict[str, str]) -> uuid.UUID:
    """The id minted when the form was rendered: sending it twice (double
    click, retry after a lost answer) applies the command once; a missing or
    mangled one gets a fresh id (the command then simply is not deduplicated)."""
    try:
        return uuid.UUID(data.get("command_id", ""))
    except ValueError:
        return uuid.uuid4()


async def form_data(request: Request) -> dict[str, str]:
    """First value of every field, trimmed (the admin forms hold no secrets)."""
    return {key: clean(value) for key, value in (await read_form(request)).items()}


def query_value(request: Request, key: str, limit: int = 200) -> str:
    return clean(request.query_params.get(key), limit)


def path_id(value: int) -> int:
    """An id from the URL that can exist, else 404."""
    number = parse_id(value)
    if number is None:
        raise NotFoundException()
    return number


def options(labels: dict[str, str]) -> list[tuple[str, str]]:
    """(value, translated label) pairs for a <select>."""
    return [(value, _(label)) for value, label in labels.items()]
