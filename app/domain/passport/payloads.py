"""The payloads of the passport area's commands (frozen msgspec structs,
checked before any handler runs). The structs hold the structural limits;
the rules with their own messages stay in fields.py and the handlers."""

from __future__ import annotations

from typing import Annotated

import msgspec

from app.domain.core.payloads import NO_NUL, Id, Payload

Typed = Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]
Code = Annotated[str, msgspec.Meta(max_length=40, pattern=r"^[a-z0-9_]*$")]


class SaveIdentity(Payload, frozen=True, kw_only=True):
    """passport.save_identity: the identity form."""

    first_name: Typed = ""
    last_name: Typed = ""
    birth_date: Typed = ""
    national_number: Typed = ""


class SaveContact(Payload, frozen=True, kw_only=True):
    """passport.save_contact: the contact form."""

    email: Annotated[str, msgspec.Meta(max_length=400, pattern=NO_NUL)] = ""
    mobile: Typed = ""


class SaveAddress(Payload, frozen=True, kw_only=True):
    """passport.save_address: the address form (all empty: no address)."""

    street: Typed = ""
    house_number: Typed = ""
    postcode: Typed = ""
    town: Typed = ""


class SaveBank(Payload, frozen=True, kw_only=True):
    """passport.save_bank: the bank account form (empty: no account)."""

    iban: Typed = ""


class SetConsent(Payload, frozen=True, kw_only=True):
    """passport.set_consent: what this organisation may see, for which
    purpose (an empty list withdraws every category)."""

    organisation_id: Id
    categories: Annotated[list[Code], msgspec.Meta(max_length=20)] = msgspec.field(default_factory=list)
    purpose: Code = "staffing"


class WithdrawConsent(Payload, frozen=True, kw_only=True):
    """passport.withdraw_consent: this organisation sees nothing any more."""

    organisation_id: Id


class ExpireConsent(Payload, frozen=True, kw_only=True):
    """passport.expire_consent (the daily job): consent past its expiry."""

    user_id: Id
    organisation_id: Id


class AnswerRequest(Payload, frozen=True, kw_only=True):
    """passport.answer_request: the worker accepts (all or some of the asked
    categories: "narrowed") or refuses an organisation's request."""

    request_id: Id
    answer: Annotated[str, msgspec.Meta(max_length=10, pattern=r"^[a-z]*$")]
    categories: Annotated[list[Code], msgspec.Meta(max_length=20)] = msgspec.field(default_factory=list)


# -- the worker's rights (rights.py): close, erase; the retention job


class CloseAccount(Payload, frozen=True, kw_only=True):
    """passport.close_account: the actor closes their own account.
    `checked_hash` is the stored hash the password (or PIN) typed on the
    confirmation page was verified against; empty for an account with
    neither."""

    confirmed: bool = False
    checked_hash: Annotated[str, msgspec.Meta(max_length=256, pattern=NO_NUL)] = ""


class EraseData(Payload, frozen=True, kw_only=True):
    """passport.erase: the actor erases their own personal data (and so
    closes the account). Confirmed like CloseAccount."""

    confirmed: bool = False
    checked_hash: Annotated[str, msgspec.Meta(max_length=256, pattern=NO_NUL)] = ""


class CloseInactive(Payload, frozen=True, kw_only=True):
    """passport.close_inactive (the retention job): an account without
    consent in force and without a login for 15 months."""

    user_id: Id


class EraseClosed(Payload, frozen=True, kw_only=True):
    """passport.erase_closed (the retention job): an account closed 12
    months ago, whose data is now erased."""

    user_id: Id


class EndMembership(Payload, frozen=True, kw_only=True):
    """passport.end_membership: the worker's worker role in the organisation
    was revoked; what they shared with it is withdrawn."""

    user_id: Id
    organisation_id: Id
