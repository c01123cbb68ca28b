"""The payloads of the api area's commands. The key itself is never part of
a payload: the handler makes it, and only its hash is stored."""

from __future__ import annotations

from app.domain.core.payloads import Id, Payload, Text


class CreateKey(Payload, frozen=True, kw_only=True):
    organisation_id: Id
    name: Text


class RevokeKey(Payload, frozen=True, kw_only=True):
    api_key_id: Id
