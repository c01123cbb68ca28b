"""Staff users: created by an admin without a password; a set-password link
goes out by mail (job `accounts.send_set_password_mail`, queued in the same
transaction, so a rolled-back command sends nothing).

A changed e-mail address takes effect only once it is confirmed from the new
address (app/domain/accounts/email_change.py). A registered worker's login
(e-mail, phone) is theirs: only a platform admin may set another address.
Accounts holding a role the admin may not grant are out of reach (grants.py).
"""

from __future__ import annotations

from app.domain.accounts import email_change, is_registered_worker, tokens
from app.domain.admin.grants import PROTECTED as PROTECTED_MESSAGE
from app.domain.admin.grants import add_grant, check_grant, out_of_reach, require_within_reach, user_in_scope
from app.domain.core.actor import Actor, acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.ids import optional_id, require_id
from app.domain.core.pagination import Page, clamp, contains
from app.domain.core.text import email_problem, name_problem, text
from app.domain.jobs.queue import enqueue
from app.i18n import LANGUAGES, lazy
from app.storage.tables import Organisation, User

PER_PAGE = 25
PAGE_SIZES = (25, 50, 100)
SET_PASSWORD_JOB = "accounts.send_set_password_mail"
EMAIL_TAKEN = lazy("A user with this e-mail address already exists.")
WORKER_LOGIN = lazy("This is a worker's own login: only the worker can change this e-mail address or phone number.")


def _person_fields(payload: dict) -> tuple[dict, dict]:
    values = {
        "display_name": text(payload, "name"),
        "email": text(payload, "email").lower(),
        "language": text(payload, "language"),
    }
    errors = {}
    if problem := name_problem(values["display_name"]):
        errors["name"] = problem
    if problem := email_problem(values["email"]):
        errors["email"] = problem
    if values["language"] not in LANGUAGES:
        errors["language"] = lazy("Choose a language.")
    return values, errors


async def _email_taken(email: str, other_than: int | None = None) -> bool:
    query = User.exists().where(User.email == email)
    return await (query.where(User.id != other_than) if other_than is not None else query)


async def _organisation_for(actor: Actor, payload: dict, role: str) -> int | None:
    organisation_id = optional_id(payload, "organisation_id")
    if organisation_id is None and role == "platform_admin" and actor.is_platform_admin:
        return None  # platform admins need not belong to an organisation
    if not organisation_id or not actor.covers(organisation_id):
        raise Rejected({"organisation_id": lazy("Choose an organisation.")})
    if not await Organisation.exists().where(Organisation.id == organisation_id):
        raise Rejected({"organisation_id": lazy("Choose an organisation.")})
    return organisation_id


async def send_set_password_link(user_id: int) -> int:
    """A fresh set-password token and the job that mails it; returns the token id."""
    token_id = await tokens.issue(user_id, tokens.SET_PASSWORD)
    await enqueue(SET_PASSWORD_JOB, {"user_id": user_id, "token_id": token_id})
    return token_id


@handler("admin.create_staff_user")
async def create_staff_user(command: Command) -> Effect:
    actor = await acting(command, "admin.users")
    payload = command.payload
    values, errors = _person_fields(payload)
    role, unit_id = text(payload, "role"), optional_id(payload, "unit_id")
    organisation_id = grant = None
    try:
        organisation_id = await _organisation_for(actor, payload, role)
    except Rejected as rejection:
        errors.update(rejection.errors)
    if role or unit_id is not None:
        if not role:
            errors["role"] = lazy("Choose a role for this unit.")
        elif "organisation_id" not in errors:
            try:
                grant = await check_grant(actor, organisation_id, role, unit_id)
            except Rejected as rejection:
                errors.update(rejection.errors)
    if "email" not in errors and await _email_taken(values["email"]):
        errors["email"] = EMAIL_TAKEN
    if errors:
        raise Rejected(errors, organisation_id=organisation_id)
    rows = await User.insert(
        User(**values, organisation=organisation_id, is_active=True, password_hash=None, created_at=utcnow())
    )
    user_id = rows[0]["id"]
    ids = {"user_id": user_id}
    if grant is not None:
        ids["grant_id"] = await add_grant(user_id, role, *grant)
    ids["token_id"] = await send_set_password_link(user_id)
    return Effect(target_type="user", target_id=user_id, organisation_id=organisation_id, ids=ids)


async def _worker_login_locked(actor: Actor, user_id: int) -> bool:
    return not actor.is_platform_admin and await is_registered_worker(user_id)


async def _email_errors(actor: Actor, user: dict, email: str, errors: dict) -> None:
    if await _worker_login_locked(actor, user["id"]):
        errors["email"] = WORKER_LOGIN
    elif "email" not in errors and await _email_taken(email, other_than=user["id"]):
        errors["email"] = EMAIL_TAKEN


@handler("admin.update_staff_user")
async def update_staff_user(command: Command) -> Effect:
    """Name and language change at once; a new e-mail address waits for
    confirmation. A payload without "email" leaves the address alone (the
    form offers no e-mail field for a worker's own login)."""
    actor = await acting(command, "admin.users")
    user = await user_in_scope(actor, require_id(command.payload, "user_id"))
    await require_within_reach(actor, user)
    keeps_email = "email" not in command.payload
    values, errors = _person_fields(
        {**command.payload, "email": user["email"] or ""} if keeps_email else command.payload
    )
    if keeps_email:
        errors.pop("email", None)
    new_email = values.pop("email")
    changes_email = not keeps_email and new_email != (user["email"] or "")
    if changes_email:
        await _email_errors(actor, user, new_email, errors)
    if errors:
        raise Rejected(errors, organisation_id=user["organisation"])
    await User.update({getattr(User, key): value for key, value in values.items()}).where(User.id == user["id"])
    ids, detail = {"user_id": user["id"]}, ""
    if changes_email:
        ids["token_id"] = await email_change.request_change(
            {**user, "display_name": values["display_name"], "language": values["language"]}, new_email
        )
        detail = "email_change_requested"
    elif not keeps_email and user["pending_email"]:
        await email_change.cancel(user["id"])  # the current address was saved again
        detail = "email_change_cancelled"
    return Effect(
        target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids=ids, detail=detail
    )


@handler("admin.resend_set_password")
async def resend_set_password(command: Command) -> Effect:
    actor = await acting(command, "admin.users")
    user = await user_in_scope(actor, require_id(command.payload, "user_id"))
    await require_within_reach(actor, user)
    if not user["is_active"]:
        raise Rejected(
            {"_": lazy("This account is deactivated. Reactivate it first.")}, organisation_id=user["organisation"]
        )
    if user["password_hash"]:
        raise Rejected(
            {
                "_": lazy(
                    "This user has already set a password; they can use 'Forgot your password?' on the login page."
                )
            },
            organisation_id=user["organisation"],
        )
    token_id = await send_set_password_link(user["id"])
    return Effect(
        target_type="user",
        target_id=user["id"],
        organisation_id=user["organisation"],
        ids={"user_id": user["id"], "token_id": token_id},
    )


async def account_limits(actor_user, user_id: int) -> dict[str, str | None]:
    """What the admin user page may offer `actor_user` (a CurrentUser) for
    this account, as the message ids that say why not: "locked" (nothing can
    be changed) and "email_locked" (the login e-mail and phone)."""
    actor = Actor(
        user=actor_user, scope=actor_user.organisations_with("admin.users"), reach=actor_user.reach("admin.users")
    )
    if await out_of_reach(actor, user_id):
        return {"locked": PROTECTED_MESSAGE, "email_locked": None}
    return {"locked": None, "email_locked": WORKER_LOGIN if await _worker_login_locked(actor, user_id) else None}


# -- queries -------------------------------------------------------------

STATUSES = ("active", "inactive")


async def list_users(
    scope: frozenset[int] | None,
    search: str,
    status: str,
    organisation_id: int | None,
    number: int,
    per_page: int = PER_PAGE,
) -> Page:
    columns = (
        User.id,
        User.display_name,
        User.email,
        User.language,
        User.is_active,
        User.last_login_at,
        User.organisation,
        User.organisation.name.as_alias("organisation_name"),
    )
    query, count = User.select(*columns), User.count()
    wheres = []
    if scope is not None:
        wheres.append(User.organisation.is_in(list(scope)) if scope else User.id < 0)
    if search:
        wheres.append(contains(('"app_user"."display_name"', '"app_user"."email"'), search))
    if status in STATUSES:
        wheres.append(User.is_active == (status == "active"))
    if organisation_id is not None:
        wheres.append(User.organisation == organisation_id)
    for where in wheres:
        query, count = query.where(where), count.where(where)
    total = await count
    per_page = per_page if per_page in PAGE_SIZES else PER_PAGE
    number = clamp(number, total, per_page)
    rows = await query.order_by(User.display_name).order_by(User.id).limit(per_page).offset((number - 1) * per_page)
    return Page(items=rows, number=number, per_page=per_page, total=total)


async def get_user(user_id: int, scope: frozenset[int] | None) -> dict | None:
    user = await (
        User.select(
            User.id,
            User.display_name,
            User.email,
            User.pending_email,
            User.language,
            User.is_active,
            User.deactivated_at,
            User.last_login_at,
            User.created_at,
            User.organisation,
            User.organisation.name.as_alias("organisation_name"),
            User.password_hash,
        )
        .where(User.id == user_id)
        .first()
    )
    if user is None or (scope is not None and user["organisation"] not in scope):
        return None
    user["has_password"] = bool(user.pop("password_hash"))
    return user
