"""An OpenAI-compatible chat client for the LLM engine: fallback chain, retries, breaker, validated JSON.

Works with anything that speaks the chat-completions wire format: OpenAI, Azure OpenAI (the ``/openai/v1``
endpoint), Ollama, vLLM and the llama.cpp server. Plain Python (no Dagster).

:meth:`LLMClient.complete` asks for one JSON object matching a pydantic model:

* **Fallback chain.** Endpoints are tried in order; the first whose circuit is closed gets the call; an
  endpoint that fails (after retries) or answers invalid JSON twice hands over to the next one. When
  none answers, :class:`LLMError` carries one :class:`LLMCall` per endpoint, so the caller can fall
  back to its offline engine and record why.
* **Output modes.** ``structured`` (``chat.completions.parse`` with the model's strict JSON schema)
  first; an endpoint that rejects ``response_format`` / ``json_schema`` (400/422) is remembered and
  gets ``json_object`` (schema appended to the system prompt), then ``prompted`` (a plain prompt asking
  for JSON). The answer is read as JSON (```json fences, ``<think>`` blocks and prose around the
  object are tolerated) and validated into the model.
* **One repair.** An invalid answer (not JSON, fails validation, a refusal, cut off) is sent back with
  the validation errors once, asking for corrected JSON only: ``repaired`` on success, else
  ``invalid``.
* **Retries.** The project's one :class:`~jobland_pipeline.net.RetryPolicy` wraps each SDK call:
  exponential backoff with full jitter on 429 (``Retry-After`` / ``retry-after-ms`` honoured), 5xx,
  time-outs and connection errors; no retry on other 4xx. The SDK's own retries are off
  (``max_retries=0``) so that every attempt is counted here. Each endpoint has a
  :class:`~jobland_pipeline.net.RateLimiter` (rpm + concurrency).
* **Time budget.** A wait before a retry is at most ``max_wait`` (60 s): an endpoint asking for longer
  (``Retry-After: 100000``) fails at once, the error naming the wait, and the chain moves on to the
  next endpoint (or the caller's offline engine); its circuit breaker counts the failure. One answer
  from one endpoint (every attempt and wait) is bounded by ``budget`` (300 s): no retry whose wait
  would end past it. Each attempt is bounded by the endpoint's ``timeout`` per network operation and
  for the whole body.
* **The HTTP exchange is net's.** The openai SDK is given net's client
  (:meth:`~jobland_pipeline.net.HttpClient.sdk_client`), so it makes no request of its own: the answer is capped at
  ``max_body_bytes`` (10 MB) counted on the *decompressed* bytes as they arrive (a 256 MB answer or a
  gzip bomb is refused at the cap, with memory to match), and a redirect is followed (at most 3) only
  on the endpoint's own host and never to a loopback, private, link-local or otherwise internal
  address (the SDK's own client would follow any redirect). A refused answer is an
  :class:`LLMCall` error naming why (``response too large (over 10000000 bytes once
  decompressed)``, ``a redirect to 127.0.0.1:8080 was refused: loopback address, not a public
  one``).
* **Answers are checked before they are read.** An empty body, HTML, malformed JSON, or JSON without
  a ``choices`` list holding a ``message`` object is an error naming what is missing (``HTTP 200: not
  a chat completion (no 'choices' list)``), never an exception from inside the SDK; a UTF-8
  byte-order mark before the JSON is tolerated.
* **Circuit breaker.** A :class:`~jobland_pipeline.net.CircuitBreaker` per endpoint:
  ``breaker_failures`` consecutive failed calls (errors after retries, not invalid content) open the
  circuit for ``breaker_cooldown`` seconds (the endpoint is skipped, with a ``circuit_open`` LLMCall
  of 0 attempts); then one trial call is let through (half-open): success closes the circuit,
  failure re-opens it.
* **No secrets, no text.** LLMCall, LLMError and log lines never hold the API key, the prompts or
  the completion text: errors are the HTTP status, the server's (redacted, truncated) error message,
  and pydantic's error locations and messages without the input values.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

import openai
import pydantic
from pydantic import BaseModel

from jobland_pipeline.net import (
    MAX_WAIT,
    CircuitBreaker,
    HttpClient,
    Limiter,
    NetError,
    RateLimiter,
    RetryEvent,
    RetryPolicy,
    parse_retry_after,
    redact,
)

__all__ = ["MODES", "Endpoint", "LLMCall", "LLMClient", "LLMError", "extract_json_text"]

log = logging.getLogger(__name__)

MODES = ("structured", "json_object", "prompted")
PLACEHOLDER_KEY = "not-needed"  # local servers ignore the key, the SDK insists on one
_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "structured output", "guided_json")
_NOT_SUPPORTED = ("not supported", "unsupported", "not implemented")
_TOKEN_PARAMS = ("max_tokens", "max_completion_tokens")
MAX_BODY_BYTES = 10_000_000  # a chat completion is kilobytes; this leaves room for any real answer
BUDGET = 300.0  # seconds for one answer from one endpoint, every attempt and wait included
MAX_REDIRECTS = 3
_BOM = b"\xef\xbb\xbf"

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Endpoint:
    """One OpenAI-compatible server and model (the api_key is never shown in its repr)."""

    name: str
    base_url: str
    api_key: str = field(repr=False)
    model: str
    rpm: float | None = None
    max_concurrent: int | None = None
    timeout: float = 60.0
    price_in_per_mtok: float = 0.0
    price_out_per_mtok: float = 0.0

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return (input_tokens * self.price_in_per_mtok + output_tokens * self.price_out_per_mtok) / 1e6


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class LLMCall:
    """One request sequence to one endpoint (attempts, repair and mode fall-backs included).

    Holds no API key, no prompt and no completion text.
    """

    endpoint: str
    model: str
    task: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    attempts: int = 1
    mode: str = "structured"  # structured | json_object | prompted
    status: str = "ok"  # ok | repaired | invalid | error | circuit_open
    error: str | None = None
    at: datetime = field(default_factory=_now)

    def as_dict(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "model": self.model,
            "task": self.task,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": self.cost_usd,
            "latency_ms": self.latency_ms,
            "attempts": self.attempts,
            "mode": self.mode,
            "status": self.status,
            "error": self.error,
            "at": self.at.isoformat(),
        }


class LLMError(Exception):
    """No endpoint produced a valid answer; ``calls`` says what each one did."""

    def __init__(self, message: str, calls: Sequence[LLMCall]) -> None:
        super().__init__(message)
        self.calls: list[LLMCall] = list(calls)


# --------------------------------------------------------------------------- JSON reading


_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```[ \t]*(?:json|JSON|json5)?[ \t]*\n?(.*?)```", re.DOTALL)


def extract_json_text(content: str) -> str:
    """The JSON part of a model's answer: without ``<think>`` blocks, code fences or surrounding prose."""
    text = _THINK.sub("", content).strip()
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    if not text.startswith(("{", "[")):
        start, end = text.find("{"), text.rfind("}")
        if 0 <= start < end:
            text = text[start : end + 1]
    return text


def _describe_validation(exc: pydantic.ValidationError, limit: int = 6) -> str:
    """``loc: message`` for each error, without the input values (they are completion text)."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False)[:limit]:
        loc = ".".join(str(p) for p in error.get("loc", ())) or "(root)"
        parts.append(f"{loc}: {error.get('msg', 'invalid')}")
    more = exc.error_count() - limit
    if more > 0:
        parts.append(f"... {more} more")
    return "; ".join(parts)


def _validate(content: str | None, schema: type[M]) -> tuple[M | None, str | None]:
    """(model, None) or (None, why the answer is not valid) — the reason holds no completion text."""
    if content is None or not content.strip():
        return None, "empty answer"
    try:
        return schema.model_validate_json(extract_json_text(content)), None
    except pydantic.ValidationError as exc:
        return None, _describe_validation(exc)


# --------------------------------------------------------------------------- per endpoint state


class _Failure(NetError):
    """One failed request (already redacted), with the server's own error text for the fall-backs."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        status: int | None = None,
        retry_after: float | None = None,
        server_message: str = "",
    ) -> None:
        super().__init__(message, retryable=retryable, status=status, retry_after=retry_after)
        self.server_message = server_message

    @classmethod
    def of(cls, error: NetError) -> _Failure:
        """net's error (a refused redirect, a body over the cap, a time-out) as a _Failure."""
        return cls(
            error.message, retryable=error.retryable, status=error.status, retry_after=error.retry_after
        )


@dataclass
class _Answer:
    content: str | None
    refusal: str | None
    finish_reason: str | None
    parsed: BaseModel | None
    input_tokens: int
    output_tokens: int


@dataclass
class _Fallbacks:
    """The request changes one answer has made so far (the token parameter is swapped at most once)."""

    token_param_swapped: bool = False


class _Slot:
    """An endpoint with its SDK client, limiter, breaker and remembered quirks."""

    def __init__(
        self, endpoint: Endpoint, breaker: CircuitBreaker, limiter: Limiter, max_body_bytes: int
    ) -> None:
        self.endpoint = endpoint
        self.breaker = breaker
        self.limiter = limiter
        self.lock = threading.Lock()
        self.mode = MODES[0]
        host = (urlsplit(endpoint.base_url).hostname or "").lower()
        azure = host.endswith((".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com"))
        # OpenAI's newer models refuse max_tokens; most local servers only know max_tokens.
        self.token_param = "max_completion_tokens" if azure or host == "api.openai.com" else "max_tokens"
        key = endpoint.api_key or PLACEHOLDER_KEY
        net = HttpClient(
            timeout=endpoint.timeout,
            max_body_bytes=max_body_bytes,
            keepalive=True,
            max_redirects=MAX_REDIRECTS,
        )
        self.client = openai.OpenAI(
            base_url=endpoint.base_url,
            api_key=key,
            max_retries=0,
            timeout=endpoint.timeout,
            default_headers={"api-key": key} if azure else None,
            # The SDK takes an httpx.Client as well as its own httpx2 one (openai._httpx2).
            http_client=cast(Any, net.sdk_client()),
        )

    def downgrade(self, rejected: str) -> str:
        """After ``rejected`` was refused: the next mode (once per endpoint, even with threads)."""
        with self.lock:
            if self.mode == rejected and rejected != MODES[-1]:
                self.mode = MODES[MODES.index(rejected) + 1]
                log.info("llm %s: %s output not supported; using %s", self.endpoint.name, rejected, self.mode)
            return self.mode

    def swap_token_param(self, rejected: str) -> None:
        with self.lock:
            if self.token_param == rejected:
                self.token_param = _TOKEN_PARAMS[1 - _TOKEN_PARAMS.index(rejected)]


# --------------------------------------------------------------------------- the client


_JSON_OBJECT_INSTRUCTION = (
    "\n\nAnswer with one JSON object that matches this JSON schema (no other text):\n{schema}"
)
_PROMPTED_INSTRUCTION = (
    "\n\nReply with only one JSON object, with no prose before or after it and no code fences. "
    "It must match this JSON schema:\n{schema}"
)
_REPAIR = (
    "Your previous answer is not valid: {problem}. Reply again with only the corrected JSON object "
    "matching the requested schema, with no other text."
)


class LLMClient:
    """Fallback chain of OpenAI-compatible endpoints (see the module docstring). Close it when done."""

    def __init__(
        self,
        endpoints: Sequence[Endpoint],
        *,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        breaker_failures: int = 3,
        breaker_cooldown: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        limiter: Callable[[Endpoint], Limiter] | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
        max_wait: float = MAX_WAIT,
        budget: float = BUDGET,
    ) -> None:
        """``limiter`` makes each endpoint's limiter (a shared one, for limits across runs and workers);
        by default a limiter of this process from the endpoint's rpm and concurrency. ``max_body_bytes``,
        ``max_wait`` and ``budget``: see the module docstring."""
        if not endpoints:
            raise ValueError("LLMClient needs at least one endpoint")
        names = [e.name for e in endpoints]
        if len(set(names)) != len(names):
            raise ValueError(f"endpoint names must be unique: {names}")
        self.retry = RetryPolicy(
            max(0, int(max_retries)),
            float(backoff_base),
            float(backoff_max),
            max_wait=float(max_wait),
            budget=float(budget),
            sleep=sleep,
            rng=rng or random.Random(),
        )
        self._slots: list[_Slot] = []
        try:
            for endpoint in endpoints:
                own = (
                    limiter(endpoint)
                    if limiter is not None
                    else RateLimiter(endpoint.rpm, endpoint.max_concurrent, clock=clock, sleep=sleep)
                )
                breaker = CircuitBreaker(breaker_failures, breaker_cooldown, clock=clock)
                self._slots.append(_Slot(endpoint, breaker, own, int(max_body_bytes)))
        except BaseException:
            self.close()
            raise

    # -- public ----------------------------------------------------------------------------------

    @property
    def max_retries(self) -> int:
        return self.retry.max_retries

    @property
    def endpoints(self) -> list[Endpoint]:
        return [slot.endpoint for slot in self._slots]

    def mode(self, endpoint: str) -> str:
        """The output mode currently used for this endpoint."""
        return self._slot(endpoint).mode

    def circuit(self, endpoint: str) -> str:
        """closed | open | half_open."""
        return self._slot(endpoint).breaker.state

    def complete(
        self,
        *,
        task: str,
        system: str,
        user: str,
        schema: type[M],
        max_output_tokens: int | None = None,
    ) -> tuple[M, list[LLMCall]]:
        """One JSON answer validated into ``schema``, and one LLMCall per endpoint tried.

        Raises LLMError (with those calls) when no endpoint produced a valid answer.
        """
        calls: list[LLMCall] = []
        for slot in self._slots:
            endpoint = slot.endpoint
            if not slot.breaker.allow():
                calls.append(
                    LLMCall(
                        endpoint=endpoint.name,
                        model=endpoint.model,
                        task=task,
                        attempts=0,
                        mode=slot.mode,
                        status="circuit_open",
                        error="circuit open: endpoint skipped after repeated failures",
                    )
                )
                continue
            result, call = self._complete_on(slot, task, system, user, schema, max_output_tokens)
            calls.append(call)
            if result is not None:
                return result, calls
        summary = "; ".join(f"{c.endpoint}: {c.status}" + (f" ({c.error})" if c.error else "") for c in calls)
        raise LLMError(f"LLM task {task!r} failed on every endpoint: {summary}", calls)

    def close(self) -> None:
        for slot in self._slots:
            slot.client.close()

    def __enter__(self) -> LLMClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one endpoint ----------------------------------------------------------------------------

    def _slot(self, name: str) -> _Slot:
        for slot in self._slots:
            if slot.endpoint.name == name:
                return slot
        raise KeyError(name)

    def _complete_on(
        self,
        slot: _Slot,
        task: str,
        system: str,
        user: str,
        schema: type[M],
        max_output_tokens: int | None,
    ) -> tuple[M | None, LLMCall]:
        endpoint = slot.endpoint
        call = LLMCall(endpoint=endpoint.name, model=endpoint.model, task=task, attempts=0, mode=slot.mode)
        started = time.perf_counter()
        result: M | None = None
        reachable = False
        try:
            answer = self._send(slot, call, system, user, schema, max_output_tokens, [])
            reachable = True
            result, problem = self._read(answer, schema)
            if problem is not None:
                log.info(
                    "llm %s: invalid answer for %s (%s); asking for a repair", endpoint.name, task, problem
                )
                previous = answer.content if answer.content else (answer.refusal or "(empty answer)")
                extra = [
                    {"role": "assistant", "content": previous},
                    {"role": "user", "content": _REPAIR.format(problem=problem)},
                ]
                answer = self._send(slot, call, system, user, schema, max_output_tokens, extra)
                result, second = self._read(answer, schema)
                if second is None:
                    call.status = "repaired"
                else:
                    call.status = "invalid"
                    call.error = f"invalid answer after one repair: {second}"
                    log.warning("llm %s: %s: %s", endpoint.name, task, call.error)
        except _Failure as failure:
            call.status = "error"
            call.error = failure.message
            log.warning("llm %s: %s failed: %s", endpoint.name, task, failure.message)
        except Exception as exc:  # an SDK surprise must not take the pipeline down; no text in the record
            call.status = "error"
            call.error = f"unexpected {type(exc).__name__}"
            log.warning("llm %s: %s failed: unexpected %s", endpoint.name, task, type(exc).__name__)
        finally:
            call.latency_ms = round((time.perf_counter() - started) * 1000, 3)
            call.cost_usd = round(endpoint.cost(call.input_tokens, call.output_tokens), 8)
            # The breaker counts endpoints that cannot be reached or refuse; an answer (even an invalid
            # one) means the endpoint works.
            if reachable:
                slot.breaker.success()
            else:
                slot.breaker.failure()
        return result, call

    @staticmethod
    def _read(answer: _Answer, schema: type[M]) -> tuple[M | None, str | None]:
        if isinstance(answer.parsed, schema):
            return answer.parsed, None
        if answer.refusal:
            return None, "the model refused"
        if answer.finish_reason == "length":
            model, problem = _validate(answer.content, schema)
            return (model, None) if model is not None else (None, f"answer cut off ({problem})")
        return _validate(answer.content, schema)

    def _messages(
        self, mode: str, system: str, user: str, schema: type[BaseModel], extra: list[dict[str, str]]
    ) -> list[dict[str, str]]:
        if mode != "structured":
            template = _JSON_OBJECT_INSTRUCTION if mode == "json_object" else _PROMPTED_INSTRUCTION
            system = system + template.format(
                schema=json.dumps(schema.model_json_schema(), ensure_ascii=False)
            )
        return [{"role": "system", "content": system}, {"role": "user", "content": user}, *extra]

    def _send(
        self,
        slot: _Slot,
        call: LLMCall,
        system: str,
        user: str,
        schema: type[BaseModel],
        max_output_tokens: int | None,
        extra: list[dict[str, str]],
    ) -> _Answer:
        """One answer from this endpoint: net's retry policy around :meth:`_attempt`."""
        endpoint = slot.endpoint
        fallbacks = _Fallbacks()  # kept across retries: each fall-back is made once per answer

        def attempt() -> _Answer:
            return self._attempt(slot, call, system, user, schema, max_output_tokens, extra, fallbacks)

        def report(event: RetryEvent) -> None:
            log.info(
                "llm %s: %s; retry %d/%d in %.2fs",
                endpoint.name,
                event.error,
                event.attempt,
                self.retry.max_retries,
                event.delay,
            )

        try:
            answer = self.retry.call(attempt, on_retry=report)
        except _Failure as failure:
            if failure.retryable and call.attempts > 1:
                failure.message += f" (after {call.attempts} attempts)"
            raise
        call.input_tokens += answer.input_tokens
        call.output_tokens += answer.output_tokens
        return answer

    def _attempt(
        self,
        slot: _Slot,
        call: LLMCall,
        system: str,
        user: str,
        schema: type[BaseModel],
        max_output_tokens: int | None,
        extra: list[dict[str, str]],
        fallbacks: _Fallbacks,
    ) -> _Answer:
        """One try, with the parameter and output-mode fall-backs an endpoint's 400/422 asks for.

        Those re-sends are not retries (the request changes), so they happen here, inside one try.
        """
        while True:
            mode = slot.mode
            token_param = slot.token_param
            call.mode = mode
            call.attempts += 1
            try:
                with slot.limiter:
                    return self._request(
                        slot, mode, token_param, system, user, schema, max_output_tokens, extra
                    )
            except openai.OpenAIError as exc:
                failure = _classify(exc, slot.endpoint, [slot.endpoint.api_key])
            except _Failure:
                raise
            except NetError as exc:  # from net's client under the SDK: cap, redirect, time-out
                raise _Failure.of(exc) from None
            text = failure.server_message.lower()
            if failure.status not in (400, 422):
                raise failure
            if (
                not fallbacks.token_param_swapped
                and max_output_tokens is not None
                and _rejects_token_param(text, token_param)
            ):
                slot.swap_token_param(token_param)
                fallbacks.token_param_swapped = True
            elif mode != MODES[-1] and _rejects_format(text):
                slot.downgrade(mode)
            else:
                raise failure

    def _request(
        self,
        slot: _Slot,
        mode: str,
        token_param: str,
        system: str,
        user: str,
        schema: type[BaseModel],
        max_output_tokens: int | None,
        extra: list[dict[str, str]],
    ) -> _Answer:
        endpoint = slot.endpoint
        messages: Any = self._messages(mode, system, user, schema, extra)
        kwargs: dict[str, Any] = {"model": endpoint.model, "messages": messages}
        if max_output_tokens is not None:
            kwargs[token_param] = int(max_output_tokens)
        completions = slot.client.chat.completions.with_raw_response
        parsed: BaseModel | None = None
        if mode == "structured":
            raw = completions.parse(response_format=schema, **kwargs)
        elif mode == "json_object":
            raw = completions.create(response_format={"type": "json_object"}, **kwargs)
        else:
            raw = completions.create(**kwargs)
        body, choice, message = _chat_completion(raw.http_response)
        if mode == "structured":
            try:
                parsed = raw.parse().choices[0].message.parsed
            except (
                Exception
            ):  # the SDK's reading; judged below, where the problem is described without the text
                parsed = None
        usage = body.get("usage")
        usage = usage if isinstance(usage, dict) else {}
        content = message.get("content")
        if isinstance(content, list):  # content parts
            content = "".join(str(p.get("text") or "") for p in content if isinstance(p, dict))
        refusal = message.get("refusal")
        return _Answer(
            content=content if isinstance(content, str) else None,
            refusal=str(refusal) if refusal else None,
            finish_reason=str(choice.get("finish_reason") or "") or None,
            parsed=parsed,
            input_tokens=_int(usage.get("prompt_tokens")),
            output_tokens=_int(usage.get("completion_tokens")),
        )


# --------------------------------------------------------------------------- helpers


def _chat_completion(response: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(the answer, its first choice, that choice's message) of the SDK's raw HTTP answer; a _Failure
    naming what is wrong otherwise."""
    status = response.status_code
    data = response.content
    head = data[:512].removeprefix(_BOM).lstrip()
    content_type = response.headers.get("content-type", "").lower()

    def refused(why: str) -> _Failure:
        return _Failure(f"HTTP {status}: {why}", retryable=False, status=status)

    if not head:
        raise refused("empty body, not a chat completion")
    if "html" in content_type or head.startswith(b"<"):
        raise refused("HTML instead of a JSON chat completion")
    try:
        body = json.loads(data)  # bytes: json reads a UTF-8 byte-order mark (and UTF-16/32) itself
    except (ValueError, RecursionError):  # RecursionError: nested deeper than json recurses
        raise refused("malformed JSON, not a chat completion") from None
    if not isinstance(body, dict):
        raise refused("not a chat completion (not a JSON object)")
    choices = body.get("choices")
    if not isinstance(choices, list) or not choices:
        raise refused("not a chat completion (no 'choices' list)")
    choice = choices[0]
    message = choice.get("message") if isinstance(choice, dict) else None
    if not isinstance(choice, dict) or not isinstance(message, dict):
        raise refused("not a chat completion (no 'message' object in the first choice)")
    return body, choice, message


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _rejects_token_param(text: str, param: str) -> bool:
    """A 400/422 message refusing ``max_tokens`` (or ``max_completion_tokens``) for this model."""
    other = _TOKEN_PARAMS[1 - _TOKEN_PARAMS.index(param)]
    mentioned = re.search(rf"\b{param}\b", text) is not None
    return mentioned and (any(w in text for w in _NOT_SUPPORTED) or other in text)


def _rejects_format(text: str) -> bool:
    """A 400/422 message saying the server cannot do the requested output format."""
    if any(word in text for word in _FORMAT_WORDS):
        return True
    return "not supported" in text and not any(p in text for p in _TOKEN_PARAMS)


def _server_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            for key in ("message", "detail", "msg"):
                if isinstance(inner.get(key), str):
                    return inner[key]
        elif isinstance(inner, str):
            return inner
        if isinstance(body.get("detail"), str):
            return body["detail"]
        return ""
    if isinstance(body, str):
        return body
    return ""


def _retry_after(exc: openai.APIStatusError) -> float | None:
    headers = exc.response.headers
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    return parse_retry_after(headers.get("retry-after"))


def _classify(exc: openai.OpenAIError, endpoint: Endpoint, secrets: list[str]) -> _Failure:
    """An SDK exception as a _Failure whose message holds no secret and no prompt."""
    if isinstance(exc, openai.APITimeoutError):
        return _Failure(f"timed out after {endpoint.timeout:g}s", retryable=True)
    if isinstance(exc, openai.APIConnectionError) and isinstance(exc.__cause__, NetError):
        return _Failure.of(exc.__cause__)
    if isinstance(exc, openai.APIConnectionError):
        cause = type(exc.__cause__).__name__ if exc.__cause__ is not None else "no answer"
        return _Failure(f"connection error ({cause})", retryable=True)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        server = " ".join(redact(_server_message(exc), secrets).split())
        shown = f"HTTP {status}" + (f": {server[:200]}" if server else "")
        if status == 429 or status >= 500:
            return _Failure(
                shown, retryable=True, status=status, retry_after=_retry_after(exc), server_message=server
            )
        return _Failure(shown, retryable=False, status=status, server_message=server)
    return _Failure(f"{type(exc).__name__}", retryable=False)
