"""Staff users: created by an admin without a password; a set-password link
goes out by mail (job `accounts.send_set_password_mail`, queued in the same
transaction, so a rolled-back command sends nothing).

A changed e-mail address takes effect only once it is confirmed from the new
address (app/domain/accounts/email_change.py). A registered worker's login
(e-mail, phone) is theirs: only a platform admin may set another address.
Accounts holding a role the admin may not grant are out of reach (grants.py).
"""

from __future__ import annotations

from piccolo.columns.combination import Where, WhereRaw

from app.domain.accounts import (
    SET_PASSWORD,
    cancel_email_change,
    is_registered_worker,
    issue_token,
    request_email_change,
)
from app.domain.admin.grants import (
    GRANT_CODES,
    add_grant,
    check_grant,
    out_of_reach,
    require_within_reach,
    user_in_scope,
)
from app.domain.admin.payloads import CreateStaffUser, ResendSetPassword, UpdateStaffUser, chosen
from app.domain.admin.rules import email_code, name_code
from app.domain.core.actor import Actor, acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.domain.core.pagination import Page, clamp, contains
from app.domain.jobs import enqueue
from app.i18n import LANGUAGES
from app.storage.tables import Organisation, User

PER_PAGE = 25
PAGE_SIZES = (25, 50, 100)
SET_PASSWORD_JOB = "accounts.send_set_password_mail"
PERSON_CODES = ("name_missing", "name_too_long", "email_missing", "email_invalid", "language_missing", "email_taken")


def _person_fields(name: str, email: str, language: str) -> tuple[dict, dict]:
    """The columns and {field: code} for what is wrong."""
    values = {"display_name": name.strip(), "email": email.strip().lower(), "language": language.strip()}
    errors = {}
    if code := name_code(values["display_name"]):
        errors["name"] = code
    if code := email_code(values["email"]):
        errors["email"] = code
    if values["language"] not in LANGUAGES:
        errors["language"] = "language_missing"
    return values, errors


async def _email_taken(email: str, other_than: int | None = None) -> bool:
    query = User.exists().where(User.email == email)
    return await (query.where(User.id != other_than) if other_than is not None else query)


async def _organisation_for(actor: Actor, organisation_id: int | None, role: str) -> int | None:
    """The new user's organisation (None or 0: none chosen, or none listed)."""
    if organisation_id is None and role == "platform_admin" and actor.is_platform_admin:
        return None  # platform admins need not belong to an organisation
    if not organisation_id or not actor.covers(organisation_id):
        raise Rejected("organisation_missing", "organisation_id")
    if not await Organisation.exists().where(Organisation.id == organisation_id):
        raise Rejected("organisation_missing", "organisation_id")
    return organisation_id


async def send_set_password_link(user_id: int) -> int:
    """A fresh set-password token and the job that mails it; returns the token id."""
    token_id = await issue_token(user_id, SET_PASSWORD)
    await enqueue(SET_PASSWORD_JOB, {"user_id": user_id, "token_id": token_id})
    return token_id


@handler(
    "admin.create_staff_user",
    CreateStaffUser,
    codes=(*PERSON_CODES, "organisation_missing", "role_for_unit", "already_granted", *GRANT_CODES),
)
async def create_staff_user(command: Command[CreateStaffUser]) -> Effect:
    actor = await acting(command, "admin.users")
    payload = command.payload
    values, errors = _person_fields(payload.name, payload.email, payload.language)
    role, unit_id = (payload.role or "").strip(), chosen(payload.unit_id)
    organisation_id = grant = None
    try:
        organisation_id = await _organisation_for(actor, chosen(payload.organisation_id), role)
    except Rejected as rejection:
        errors.update(rejection.codes)
    if role or unit_id is not None:
        if not role:
            errors["role"] = "role_for_unit"
        elif "organisation_id" not in errors:
            try:
                grant = await check_grant(actor, organisation_id, role, unit_id)
            except Rejected as rejection:
                errors.update(rejection.codes)
    if "email" not in errors and await _email_taken(values["email"]):
        errors["email"] = "email_taken"
    if errors:
        raise Rejected.each(errors, organisation_id=organisation_id)
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
        errors["email"] = "worker_login"
    elif "email" not in errors and await _email_taken(email, other_than=user["id"]):
        errors["email"] = "email_taken"


@handler("admin.update_staff_user", UpdateStaffUser, codes=("protected", "worker_login", *PERSON_CODES))
async def update_staff_user(command: Command[UpdateStaffUser]) -> Effect:
    """Name and language change at once; a new e-mail address waits for
    confirmation. A payload without "email" leaves the address alone (the
    form offers no e-mail field for a worker's own login)."""
    actor = await acting(command, "admin.users")
    payload = command.payload
    user = await user_in_scope(actor, payload.user_id)
    await require_within_reach(actor, user)
    keeps_email = payload.email is None
    email = (user["email"] or "") if keeps_email else payload.email
    values, errors = _person_fields(payload.name, email or "", payload.language)
    if keeps_email:
        errors.pop("email", None)
    new_email = values.pop("email")
    changes_email = not keeps_email and new_email != (user["email"] or "")
    if changes_email:
        await _email_errors(actor, user, new_email, errors)
    if errors:
        raise Rejected.each(errors, organisation_id=user["organisation"])
    await User.update({getattr(User, key): value for key, value in values.items()}).where(User.id == user["id"])
    ids, detail = {"user_id": user["id"]}, ""
    if changes_email:
        ids["token_id"] = await request_email_change(
            {**user, "display_name": values["display_name"], "language": values["language"]}, new_email
        )
        detail = "email_change_requested"
    elif not keeps_email and user["pending_email"]:
        await cancel_email_change(user["id"])  # the current address was saved again
        detail = "email_change_cancelled"
    return Effect(
        target_type="user", target_id=user["id"], organisation_id=user["organisation"], ids=ids, detail=detail
    )


@handler("admin.resend_set_password", ResendSetPassword, codes=("protected", "deactivated", "password_set"))
async def resend_set_password(command: Command[ResendSetPassword]) -> Effect:
    actor = await acting(command, "admin.users")
    user = await user_in_scope(actor, command.payload.user_id)
    await require_within_reach(actor, user)
    if not user["is_active"]:
        raise Rejected("deactivated", organisation_id=user["organisation"])
    if user["password_hash"]:
        raise Rejected("password_set", organisation_id=user["organisation"])
    token_id = await send_set_password_link(user["id"])
    return Effect(
        target_type="user",
        target_id=user["id"],
        organisation_id=user["organisation"],
        ids={"user_id": user["id"], "token_id": token_id},
    )


async def account_limits(actor_user, user_id: int) -> dict[str, str | None]:
    """What the admin user page may offer `actor_user` (a CurrentUser) for
    this account, as the reason codes that say why not: "locked" (nothing can
    be changed), "email_locked" (the login e-mail and phone) and "deactivate"
    (their own account)."""
    actor = Actor(
        user=actor_user, scope=actor_user.organisations_with("admin.users"), reach=actor_user.reach("admin.users")
    )
    if await out_of_reach(actor, user_id):
        return {"locked": "protected", "email_locked": None, "deactivate": None}
    return {
        "locked": None,
        "email_locked": "worker_login" if await _worker_login_locked(actor, user_id) else None,
        # accounts.deactivate_user refuses the same (no admin locks themselves out)
        "deactivate": "own_account" if actor_user.id == user_id else None,
    }


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
    wheres: list[Where | WhereRaw] = []
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
