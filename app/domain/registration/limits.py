"""Rate limit on typed codes (invitation codes, PIN reset codes) and on
wrong invitation links, per client address.

It reuses the login limiter's sliding window in the "limits" store (same
window, same storage), under its own key and limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar.stores.base import Store

from app.domain.accounts.limits import LoginLimiter

CODE_LIMIT = 10


def _key(address: str) -> str:
    return "register:address:" + address[:64]


@dataclass
class CodeLimiter:
    store: Store

    def _window(self) -> LoginLimiter:
        return LoginLimiter(self.store)

    async def seconds_to_wait(self, address: str) -> int:
        return await self._window().wait(_key(address), CODE_LIMIT)

    async def record_failure(self, address: str) -> None:
        await self._window().add_failure(_key(address), CODE_LIMIT)
