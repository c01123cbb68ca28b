"""The api area's commands: make a key (shown once) and revoke one.

Neither the key nor its hash goes into the command record or the audit
event: the record keeps the key's id, the audit event names the key row.
"""

from __future__ import annotations

from app.domain.api import (
    keys,
    reasons,  # noqa: F401 (declares the codes the handlers answer)
)
from app.domain.api.payloads import CreateKey, RevokeKey
from app.domain.core.actor import acting
from app.domain.core.commands import Command, Effect, Rejected, handler, utcnow
from app.storage import db
from app.storage.api import ApiKey
from app.storage.tables import Organisation

PERMISSION = "api.keys"
MAX_NAME = 200
# Keys in use per organisation (our own number): one per system is plenty.
MAX_KEYS = 20


@handler("api.create_key", CreateKey, codes=("name_missing", "name_too_long", "too_many_keys"))
async def create_key(command: Command[CreateKey]) -> Effect:
    """Makes a read-only API key for an organisation; the key is shown once."""
    actor = await acting(command, PERMISSION)
    organisation_id = command.payload.organisation_id
    if not actor.covers(organisation_id) or not await Organisation.exists().where(Organisation.id == organisation_id):
        raise Rejected("not_found")
    name = command.payload.name.strip()
    if not name:
        raise Rejected("name_missing", "name", organisation_id=organisation_id)
    if len(name) > MAX_NAME:
        raise Rejected("name_too_long", "name", organisation_id=organisation_id)
    # Parallel creations for one organisation take turns, so the cap holds.
    await db.lock(Organisation, organisation_id)
    in_use = await ApiKey.count().where((ApiKey.organisation == organisation_id) & ApiKey.revoked_at.is_null())
    if in_use >= MAX_KEYS:
        raise Rejected("too_many_keys", organisation_id=organisation_id, max=MAX_KEYS)
    prefix, key = keys.new_key()
    rows = await ApiKey.insert(
        ApiKey(
            organisation=organisation_id,
            name=name,
            prefix=prefix,
            secret_hash=keys.digest(key),
            created_by=actor.id,
            created_at=utcnow(),
        )
    )
    api_key_id = rows[0]["id"]
    keys.reveal(api_key_id, key)
    return Effect(
        target_type="api_key",
        target_id=api_key_id,
        organisation_id=organisation_id,
        ids={"api_key_id": api_key_id, "organisation_id": organisation_id},
    )


@handler("api.revoke_key", RevokeKey, codes=("key_revoked",))
async def revoke_key(command: Command[RevokeKey]) -> Effect:
    """Revokes an API key: its next request is refused."""
    actor = await acting(command, PERMISSION)
    row = await ApiKey.select(ApiKey.organisation).where(ApiKey.id == command.payload.api_key_id).first()
    if row is None or not actor.covers(row["organisation"]):
        raise Rejected("not_found")
    organisation_id = row["organisation"]
    # One statement decides: of parallel revocations, one finds the key in use.
    revoked = (
        await ApiKey.update({ApiKey.revoked_at: utcnow(), ApiKey.revoked_by: actor.id})
        .where((ApiKey.id == command.payload.api_key_id) & ApiKey.revoked_at.is_null())
        .returning(ApiKey.id)
    )
    if not revoked:
        raise Rejected("key_revoked", organisation_id=organisation_id)
    return Effect(
        target_type="api_key",
        target_id=command.payload.api_key_id,
        organisation_id=organisation_id,
        ids={"api_key_id": command.payload.api_key_id, "organisation_id": organisation_id},
    )
