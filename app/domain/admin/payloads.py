"""The payload of every admin command: a frozen struct, decoded and checked
by app.domain.core before the handler runs.

The structs hold the structural limits (types, lengths, id ranges). Domain
rules with their own messages ("Enter a name.", "Choose a kind of
organisation.") stay in the handlers, which check every field of a form at
once, so a person sees every problem of the form in one go. That is why
choices from a list (kind, language, role) are short text here and not
enums, and why what people type (names, e-mail addresses) takes the form
reader's 1000 characters (app.web.core.forms): it never fails the struct,
only the rules. Codes and choices (slug, kind, language, role) are at most
254 characters: a longer one is no typing, and is refused as too long.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from app.domain.core.payloads import MAX_ID, Id, Payload, ShortText, Text

# A choice from a list a form offered (a unit, a parent unit, an
# organisation): an id; "" (the form's empty choice) or None for none; 0 for
# a value that names none of the listed rows (the web sends 0 for a choice
# that is no id at all, so the person reads "Choose ... from the list" next
# to the form's other problems). The handler answers with the field's code.
Choice = Annotated[int, msgspec.Meta(ge=0, le=MAX_ID, description="An id from the list; 0 names none")] | Literal[""]

# A number of days as a form sends it; the rule (1 to 365) is the handler's.
Days = Annotated[int, msgspec.Meta(ge=0, le=MAX_ID)]


def chosen(value: int | str | None) -> int | None:
    """The id of a choice, None for no choice (0 stays: a choice not listed)."""
    return None if value is None or value == "" else int(value)


class OrganisationFields(Payload, frozen=True, kw_only=True):
    name: Text
    slug: ShortText
    kind: ShortText
    default_language: ShortText
    invitation_days: Days


class CreateOrganisation(OrganisationFields, frozen=True, kw_only=True):
    pass


class UpdateOrganisation(OrganisationFields, frozen=True, kw_only=True):
    organisation_id: Id


class CreateUnit(Payload, frozen=True, kw_only=True):
    organisation_id: Id
    name: Text
    kind: ShortText
    parent_id: Choice | None = None


class UpdateUnit(Payload, frozen=True, kw_only=True):
    unit_id: Id
    name: Text


class DeleteUnit(Payload, frozen=True, kw_only=True):
    unit_id: Id


class CreateStaffUser(Payload, frozen=True, kw_only=True):
    name: Text
    email: Text
    language: ShortText
    # None: no organisation (a platform admin only).
    organisation_id: Choice | None = None
    # A first role, on the whole organisation or on `unit_id`.
    role: ShortText | None = None
    unit_id: Choice | None = None


class UpdateStaffUser(Payload, frozen=True, kw_only=True):
    user_id: Id
    name: Text
    language: ShortText
    # None leaves the address as it is (a worker's own login has no field).
    email: Text | None = None


class ResendSetPassword(Payload, frozen=True, kw_only=True):
    user_id: Id


class GrantRole(Payload, frozen=True, kw_only=True):
    user_id: Id
    role: ShortText
    # None: the whole organisation (or nothing, for platform_admin).
    unit_id: Choice | None = None


class RevokeRole(Payload, frozen=True, kw_only=True):
    grant_id: Id


class MoveRole(Payload, frozen=True, kw_only=True):
    """admin.move_role: the same role on another unit of the organisation
    (a worker moves to another subgroup); no unit: the whole organisation."""

    grant_id: Id
    unit_id: Id | None = None


class RetryJob(Payload, frozen=True, kw_only=True):
    job_id: Id
