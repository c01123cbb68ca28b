"""`werkpas apikey create --org SLUG --name NAME` and `werkpas apikey revoke KEY`:
API keys from the command line, through the same commands as the admin
panel (channel `cli`, audited).

`create` prints the new key alone on standard output (so a script can keep
it: `KEY=$(werkpas apikey create ...)`), once; what it is goes to standard
error. `revoke` takes the key's id, its prefix or the key itself.

Exit status: 0 done; 1 refused (a name that does not fit, too many keys, a
key already revoked); 2 no such organisation or key.
"""

from __future__ import annotations

import contextlib
import sys
import uuid

from app.domain import api
from app.domain.core.commands import Command, execute
from app.domain.core.reasons import message_id
from app.domain.registry import load_handlers

DONE, REFUSED, UNKNOWN = 0, 1, 2


def _refusal(outcome) -> str:
    # The terminal has no locale: the messages' English ids, with their numbers.
    texts = []
    for reason in outcome.reasons:
        text = message_id(reason.code, "api") or reason.code
        with contextlib.suppress(KeyError, TypeError, ValueError):
            text = text % dict(reason.params) if reason.params else text
        texts.append(text)
    return " ".join(texts)


async def create_key(slug: str, name: str, out=sys.stdout, err=sys.stderr) -> int:
    load_handlers()
    organisation = await api.organisation_by_slug(slug)
    if organisation is None:
        print(f"werkpas: no organisation with the short name {slug!r}", file=err)
        return UNKNOWN
    command = Command(
        type="api.create_key",
        payload={"organisation_id": organisation["id"], "name": name},
        actor_id=None,
        channel="cli",
        id=uuid.uuid4(),
    )
    with api.revealing() as made:
        outcome = await execute(command)
    if not outcome.applied:
        print(f"werkpas: {_refusal(outcome)}", file=err)
        return REFUSED
    api_key_id = outcome.ids["api_key_id"]
    print(
        f"API key {api_key_id} ({name.strip()}) made for {organisation['name']} ({organisation['slug']}). "
        "It is shown only this once: keep it in a safe place.",
        file=err,
    )
    print(made[api_key_id], file=out)
    return DONE


async def revoke_key(reference: str, out=sys.stdout, err=sys.stderr) -> int:
    load_handlers()
    found = await api.key_by_prefix_or_id(reference)
    if found is None:
        print("werkpas: no API key with this id or prefix", file=err)
        return UNKNOWN
    outcome = await execute(
        Command(
            type="api.revoke_key", payload={"api_key_id": found["id"]}, actor_id=None, channel="cli", id=uuid.uuid4()
        )
    )
    if not outcome.applied:
        print(f"werkpas: {_refusal(outcome)}", file=err)
        return REFUSED
    print(f"API key {found['id']} ({found['name']}) revoked.", file=out)
    return DONE
