"""The payload of every command of registration: ids, argon2 hashes and a
keyed proof of the typed birth date, never the date itself (see
rules.birth_date_proof)."""

from __future__ import annotations

from typing import Literal

from app.domain.core.payloads import Digest, Id, Payload, ShortText


class OpenInvitation(Payload, frozen=True):
    invitation_id: Id


class VerifyIdentity(Payload, frozen=True):
    invitation_id: Id
    proof: Digest


class CompleteRegistration(Payload, frozen=True):
    invitation_id: Id
    proof: Digest
    language: Literal["nl", "fr", "en"]
    # The version of the privacy notice the person accepted, and when.
    privacy_version: ShortText
    accepted_at: ShortText | None = None
    # A new account needs at least one of them; an account that accepts the
    # invitation (the actor) keeps its own.
    password_hash: Digest | None = None
    pin_hash: Digest | None = None


class IssuePinReset(Payload, frozen=True):
    person_id: Id


class ResetPin(Payload, frozen=True):
    token_id: Id
    pin_hash: Digest
