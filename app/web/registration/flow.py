"""What the registration pages share: the progress (the verified invitation
never travels in a hidden field) and the page that explains why an
invitation cannot be used. Commands run through app.web.core.commands.run,
like everywhere: a form sent before with other values is shown again.

The progress lives in the signed visitor cookie (app/web/visitor.py), not in
the server-side session: registering is anonymous, and anonymous requests
create no session. The signature keeps the browser from changing it."""

from __future__ import annotations

import unicodedata

from litestar import Request, Response

from app import i18n
from app.domain.registration.queries import invitation, problem_of
from app.domain.registration.reasons import INVITATION_CODES
from app.i18n import _
from app.web import visitor
from app.web.core.commands import messages
from app.web.core.context import current_user, remember_language
from app.web.core.pages import page
from app.web.middleware import LANGUAGE_COOKIE

KEY = "reg"
# The secret is in the URL or the form: no copies in browser or proxy caches.
NO_STORE = {"Cache-Control": "no-store"}

STATUS = {
    "unknown": 404,
    "bad_link": 404,
    "revoked": 410,
    "expired": 410,
    "registered": 410,
    "locked": 429,
    "limited": 429,
}


def typed_code(text: str) -> str:
    """A typed or pasted code as the code checks read it: full-width letters
    and digits (a phone keyboard in Asian languages) become plain ones, and
    invisible characters that copying from an e-mail brings along (zero
    width spaces, direction marks) are dropped."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(char for char in text if unicodedata.category(char) not in ("Cf", "Cc")).strip()


def no_store(response: Response) -> Response:
    for name, value in NO_STORE.items():
        response.headers[name] = value
    return response


def _progress(request: Request) -> visitor.VisitorState:
    return visitor.of(request.scope)


def state(request: Request) -> dict:
    value = _progress(request).get(KEY)
    return dict(value) if isinstance(value, dict) else {}


def save(request: Request, **changes) -> None:
    _progress(request).set(KEY, {**state(request), **changes})


def begin(request: Request, invitation_id: int, *, by_link: bool = False) -> None:
    """A new registration; `by_link`: the birth date page is the first the
    person sees, so it offers the language choice."""
    _progress(request).set(KEY, {"inv": invitation_id, **({"link": True} if by_link else {})})


def language_choices() -> list[dict]:
    """The language choice of a first screen: each language named in itself,
    and the question asked in every language (who cannot read this one
    still finds theirs)."""
    return [
        {"code": code, "name": name, "prompt": i18n.translations(code).gettext("Choose your language")}
        for code, name in i18n.LANGUAGE_NAMES.items()
    ]


def forget(request: Request) -> None:
    _progress(request).discard(KEY)


def chose_language(request: Request) -> bool:
    """Whether the person already chose a language on purpose: the switch's
    cookie, or the language of the account they are logged in with."""
    return request.cookies.get(LANGUAGE_COOKIE) in i18n.LANGUAGES or current_user(request) is not None


def adopt_language(request: Request, row: dict) -> str | None:
    """The invitation's language (the one its sheet or e-mail is in) for the
    pages from now on, unless the person chose one: the language to remember
    on the response, or None. Only an invitation found by its secret link or
    code gets here, so a bad link changes nothing."""
    language = row.get("language")
    if language not in i18n.LANGUAGES or chose_language(request):
        return None
    i18n.set_language(language)
    return language


def keep_language(request: Request, response: Response, language: str | None) -> Response:
    if language is not None:
        remember_language(request, response, language)
    return response


def problem_message(reason: str, locked_until=None) -> str:
    """Why the invitation cannot be used: a reason code of registration
    (unknown, revoked, expired, registered, locked), or one of the pages'
    own (bad_link, limited)."""
    if reason == "bad_link":
        return _("This link does not work. Type the code from your letter or e-mail instead.")
    if reason == "limited":
        return _("Too many wrong codes were typed here. Wait 15 minutes and try again.")
    if reason == "locked" and locked_until is not None:
        return _(
            "The birth date was wrong 5 times. For your safety you can try again at %(time)s.",
            time=i18n.format_datetime(locked_until, "short"),
        )
    return messages({"_": reason if reason in INVITATION_CODES else "unknown"}, "registration")["_"]


def problem_page(request: Request, reason: str, locked_until=None) -> Response:
    context = {"reason": reason, "message": problem_message(reason, locked_until)}
    response = page(request, "registration/problem.html", context, status_code=STATUS.get(reason, 410))
    no_store(response)
    return response


async def current(request: Request, *, verified: bool) -> dict | Response:
    """The invitation this browser is registering with, or the response to
    send instead (back to the start, or why it cannot be used)."""
    from app.web.core.pages import redirect

    progress = state(request)
    invitation_id = progress.get("inv")
    if not isinstance(invitation_id, int) or (verified and not progress.get("proof")):
        return redirect(request, "/register" if not isinstance(invitation_id, int) else "/register/identity")
    row = await invitation(invitation_id)
    if row is None:
        forget(request)
        return redirect(request, "/register")
    problem = problem_of(row)
    if problem:
        return problem_page(request, problem, row["locked_until"])
    return row
