"""Rate limits shared by every process and machine: a token bucket and a lease-based concurrency cap
kept in Redis, so four concurrent runs send the allowed requests per minute in all, not four times it.

The Redis client is passed in (anything with redis-py's ``eval``): this module stays a leaf. Both
limits are computed inside Redis by Lua scripts on Redis's own clock, so processes on machines with
different clocks agree. A slot taken by a process that dies is freed when its lease ends.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["RedisLike", "SharedRateLimiter"]

# KEYS[1] bucket; ARGV: tokens per second, capacity. Returns "0" (a token taken) or the wait in seconds.
_TAKE_TOKEN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1]) or capacity
local updated = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - updated) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'updated', now)
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 60)
return tostring(wait)
"""

# KEYS[1] holders (sorted set: holder -> lease end); ARGV: limit, lease seconds, holder id.
_TAKE_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 60)
  return 1
end
return 0
"""


class RedisLike(Protocol):
    def eval(self, script: str, numkeys: int, *keys_and_args: Any) -> Any: ...

    def zrem(self, name: str, *values: Any) -> Any: ...


class SharedRateLimiter:
    """Like :class:`RateLimiter` (same ``acquire``/``release`` and context manager), shared through Redis.

    ``name`` identifies the limited thing (an engine, an LLM endpoint): every limiter with the same
    name and Redis shares one budget. ``lease`` bounds how long a crashed holder keeps its slot.
    """

    def __init__(
        self,
        name: str,
        client: RedisLike,
        requests_per_minute: float | None = None,
        max_concurrent: int | None = None,
        *,
        burst: float = 1.0,
        lease: float = 300.0,
        poll: float = 0.05,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if requests_per_minute is not None and requests_per_minute <= 0:
            raise ValueError("requests_per_minute must be positive (or None for no limit)")
        if max_concurrent is not None and max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1 (or None for no limit)")
        self.client = client
        self.rate = None if requests_per_minute is None else requests_per_minute / 60.0
        self.capacity = max(1.0, float(burst))
        self.max_concurrent = max_concurrent
        self.lease = lease
        self.poll = poll
        self._sleep = sleep
        self._bucket = f"jobland:limit:{name}:tokens"
        self._slots = f"jobland:limit:{name}:slots"
        self._holders: list[str] = []

    def acquire(self) -> None:
        """Block until a request may start: a slot among all processes first, then a shared token."""
        if self.max_concurrent is not None:
            holder = uuid.uuid4().hex
            while not int(
                self.client.eval(_TAKE_SLOT, 1, self._slots, self.max_concurrent, self.lease, holder)
            ):
                self._sleep(self.poll)
            self._holders.append(holder)
        if self.rate is None:
            return
        try:
            while (
                wait := float(self.client.eval(_TAKE_TOKEN, 1, self._bucket, self.rate, self.capacity))
            ) > 0:
                self._sleep(wait)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        """Give this process's latest slot back (tokens are not returned: they measure starts)."""
        if self._holders:
            self.client.zrem(self._slots, self._holders.pop())

    def __enter__(self) -> SharedRateLimiter:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
