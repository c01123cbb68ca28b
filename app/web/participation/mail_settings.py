"""/participation/mail: how often each kind of participation mail comes;
/participation/unsubscribe/...: the one-click unsubscribe of every
participation mail (RFC 8058). GET shows a confirm button; POST switches
the kind off without a login, also straight from a mail program (no CSRF
token: the path is exempt in app/web/csrf.py, the signature is the proof;
a forged signature answers 404)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.domain.participation.mail_settings import valid_signature
from app.domain.participation.notify import FREQUENCIES, KINDS, frequencies
from app.i18n import _, lazy
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import form_data
from app.web.core.guards import PUBLIC
from app.web.core.pages import page, redirect
from app.web.participation.help import GUARD

FREQUENCY_LABELS = {
    "instant": lazy("Right away"),
    "daily": lazy("Once a day"),
    "weekly": lazy("Once a week"),
    "off": lazy("Never"),
}
UNSUBSCRIBE_PATH = "/participation/unsubscribe/{user_id:int}/{kind:str}/{signature:str}"


async def _page(request: Request, errors: dict | None = None, chosen: dict | None = None, status_code: int = 200):
    user = signed_in_user(request)
    context = {
        "kinds": [(kind, _(label)) for kind, (_default, label) in KINDS.items()],
        "chosen": chosen or await frequencies(user.id),
        "frequency_labels": [(code, _(label)) for code, label in FREQUENCY_LABELS.items()],
        "errors": errors or {},
    }
    return page(request, "participation/mail/settings.html", context, status_code=status_code)


@get("/participation/mail", opt=GUARD, include_in_schema=False)
async def mail_page(request: Request) -> Response:
    return await _page(request)


@post("/participation/mail", opt=GUARD, include_in_schema=False)
async def save_mail(request: Request) -> Response:
    data = await form_data(request)
    chosen = {kind: data.get(kind, "") for kind in KINDS if kind in data}
    outcome = await run(request, "participation.set_mail_settings", {"frequencies": chosen}, data)
    if not outcome.applied:
        return await _page(request, messages(outcome), {**await frequencies(signed_in_user(request).id), **chosen}, 422)
    flash(request, _("Saved: your mail settings."), "success")
    return redirect(request, "/participation/mail")


def _checked(user_id: int, kind: str, signature: str) -> None:
    if not valid_signature(user_id, kind, signature[:128]):
        raise NotFoundException()


@get(UNSUBSCRIBE_PATH, opt=PUBLIC, include_in_schema=False)
async def unsubscribe_page(
    request: Request, user_id: FromPath[int], kind: FromPath[str], signature: FromPath[str]
) -> Response:
    _checked(user_id, kind, signature)
    context = {"kind_label": _(KINDS[kind][1]), "done": False}
    return page(request, "participation/mail/unsubscribe.html", context)


@post(UNSUBSCRIBE_PATH, opt=PUBLIC, include_in_schema=False)
async def unsubscribe(
    request: Request, user_id: FromPath[int], kind: FromPath[str], signature: FromPath[str]
) -> Response:
    _checked(user_id, kind, signature)
    payload = {"user_id": user_id, "kind": kind, "signature": signature}
    outcome = await run(request, "participation.unsubscribe", payload, {}, actor_id=None)
    if not outcome.applied:
        raise NotFoundException()
    context = {"kind_label": _(KINDS[kind][1]), "done": True}
    return page(request, "participation/mail/unsubscribe.html", context)


handlers = [mail_page, save_mail, unsubscribe_page, unsubscribe]
__all__ = ["FREQUENCIES", "UNSUBSCRIBE_PATH", "handlers"]
