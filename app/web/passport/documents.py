"""The worker's documents: the list with the upload form, the upload, the
download (only the owner) and removal with a confirmation.

The upload is the one passport route that takes more than 64 KB: it reads
its body itself, after the permission guard (as the bulk registration does,
app/web/invitations/imports.py), parses it in memory and checks the form's
CSRF token. The file's type is read from its content; a file that is not a
PDF, JPEG or PNG, or not what its name says, or over 10 MB, gets a message
on the page and nothing is kept. A body over the route's limit is refused
with 413 before it is read (app/web/body_limit.py)."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.exceptions import ClientException, NotFoundException
from litestar.params import FromPath

from app.config import get_settings
from app.domain.passport import files
from app.domain.passport.items import MAX_DOCUMENTS
from app.domain.passport.mine import contents, document
from app.domain.passport.store import DocumentInfo
from app.i18n import _, lazy
from app.web import csrf
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import MULTIPART, clean, form_data, parse_body, path_id
from app.web.core.guards import permission
from app.web.core.pages import page, redirect
from app.web.passport.views import MEDIA_LABELS, size_text

PERMISSION = "passport.view"
# The file may be 10 MB; a little more passes the body limit so that a file
# just over 10 MB gets the page's own message rather than the 413 page.
MAX_BODY = files.MAX_BYTES + 2 * 1024 * 1024
ADDED = lazy("Your document %(name)s was added.")
REMOVED = lazy("Your document %(name)s was removed.")


async def _page(request: Request, errors: dict[str, str], status_code: int = 200) -> Response:
    found = await contents(signed_in_user(request).id)
    context = {
        "documents": found.documents,
        "errors": errors,
        "media_labels": MEDIA_LABELS,
        "size_text": size_text,
        "max_documents": MAX_DOCUMENTS,
        "full": len(found.documents) >= MAX_DOCUMENTS,
    }
    return page(request, "passport/documents.html", context, status_code=status_code)


@get("/passport/documents", opt=permission(PERMISSION), include_in_schema=False)
async def list_documents(request: Request) -> Response:
    return await _page(request, {})


@post(
    "/passport/documents",
    opt={**permission(PERMISSION), **csrf.READS_OWN_BODY},
    include_in_schema=False,
    request_max_body_size=MAX_BODY,
)
async def upload_document(request: Request) -> Response:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(MULTIPART):
        raise ClientException("not a file upload")
    form = parse_body(await request.body(), content_type, keep_files=True, max_parts=10)
    csrf.check(
        request.headers.get(csrf.HEADER) or form.first(csrf.FIELD),
        csrf.cookie_value(request.headers),
        get_settings().secret_key,
    )
    data = {name: clean(form.first(name), 200) for name in form.keys()}  # noqa: SIM118 (Form has keys(), no __iter__)
    upload = form.files.get("file")
    content, filename = (upload.data, upload.filename) if upload else (b"", "")
    media_type, problem = files.problem(content, filename)
    if problem is None:
        found = await contents(signed_in_user(request).id)
        if len(found.documents) >= MAX_DOCUMENTS:
            problem = "document_limit"
    if problem or media_type is None:
        return await _page(request, messages({"file": problem or "document_type"}, "passport"), 422)
    digest = await asyncio.to_thread(files.put, content)
    name = files.safe_name(filename)
    payload = {"digest": digest, "media_type": media_type, "size": len(content), "name": name}
    outcome = await run(request, "passport.add_document", payload, data)
    if not outcome.applied:
        return await _page(request, messages(outcome), 422)
    flash(request, _(ADDED, name=name), "success")
    return redirect(request, "/passport#documents")


async def _own(request: Request, document_id: int, with_bytes: bool = False) -> tuple[DocumentInfo, bytes | None]:
    found = await document(signed_in_user(request).id, path_id(document_id), with_bytes=with_bytes)
    if found is None:
        raise NotFoundException()
    return found


def disposition(name: str, media_type: str) -> str:
    """attachment, with an ASCII name and the exact one (RFC 6266 / 5987);
    the ending always says the real type."""
    suffix = files.SUFFIX[media_type]
    if not name.lower().endswith(tuple(ext for ext, kind in files.EXTENSIONS.items() if kind == media_type)):
        name += suffix
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._- ") else "_" for ch in name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


@get("/passport/documents/{document_id:int}/file", opt=permission(PERMISSION), include_in_schema=False)
async def download_document(request: Request, document_id: FromPath[int]) -> Response:
    info, content = await _own(request, document_id, with_bytes=True)
    if content is None:
        raise NotFoundException()
    return Response(
        content=content,
        media_type=info.media_type,
        headers={
            "Content-Disposition": disposition(info.name, info.media_type),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@get("/passport/documents/{document_id:int}/remove", opt=permission(PERMISSION), include_in_schema=False)
async def confirm_remove_document(request: Request, document_id: FromPath[int]) -> Response:
    info, _content = await _own(request, document_id)
    context = {
        "what": info.name,
        "category_label": _("Documents"),
        "action": f"/passport/documents/{info.id}/remove",
        "errors": {},
    }
    return page(request, "passport/remove.html", context)


@post("/passport/documents/{document_id:int}/remove", opt=permission(PERMISSION), include_in_schema=False)
async def remove_document(request: Request, document_id: FromPath[int]) -> Response:
    info, _content = await _own(request, document_id)
    data = await form_data(request)
    outcome = await run(request, "passport.remove_document", {"document_id": info.id}, data)
    if not outcome.applied:
        return await _page(request, messages(outcome), 422)
    flash(request, _(REMOVED, name=info.name), "success")
    return redirect(request, "/passport#documents")


handlers: list = [list_documents, upload_document, download_document, confirm_remove_document, remove_document]
