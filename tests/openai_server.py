"""A loopback server speaking the OpenAI chat-completions wire format, for tests (no network, no keys).

Usage::

    with OpenAIServer() as server:
        server.push("{\"score\": 80}")                        # content of the next answer
        server.push(Reply(status=429, headers={"Retry-After": "1"}), Reply(content="{}"))
        server.fallback = Reply(status=500)                    # answer when the queue is empty
        server.responder = lambda body: "{...}"                # or compute the answer from the request
        client = openai.OpenAI(base_url=server.base_url, api_key="x")
        ...
        server.requests[0].body["response_format"]["type"]    # what was sent

``reject_formats={"json_schema"}`` makes it answer 400 ("response_format json_schema is not supported")
to any request whose ``response_format.type`` is in the set, like some local servers do; rejected requests
are recorded too but consume no scripted reply.

Order of answers: rejection, then the queue, then ``responder``, then ``fallback``; with none of them a
500 "no scripted reply" (so a test that forgot a reply fails loudly rather than hanging).

A reply with ``delay`` hangs that long before answering (for client time-outs); :meth:`close` releases
every hanging handler at once, so shutting down never waits for a delay to run out.
"""

from __future__ import annotations

import collections
import itertools
import json
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["OpenAIServer", "RecordedRequest", "Reply"]

_ids = itertools.count(1)


@dataclass
class Reply:
    """One scripted answer.

    ``content``: the assistant message (a string; None sends ``"content": null``).
    ``status``: HTTP status; for status >= 400 the body is ``error`` (a dict sent as is, or a string
    wrapped as ``{"error": {"message": ..., "type": ...}}``). ``raw``: send these bytes as the body
    instead (e.g. HTML from a proxy). ``headers``: extra response headers (e.g. Retry-After).
    ``delay``: seconds to wait before answering (a hang). ``prompt_tokens`` / ``completion_tokens``:
    usage (default: about a token per 4 characters); ``usage=False`` leaves usage out.
    """

    content: str | None = ""
    status: int = 200
    error: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    usage: bool = True
    finish_reason: str = "stop"
    refusal: str | None = None
    raw: bytes | None = None
    content_type: str = "application/json"


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: Any  # parsed JSON (or the raw text when it was not JSON)
    at: float = field(default_factory=time.monotonic)  # when it arrived

    @property
    def response_format(self) -> str | None:
        """``response_format.type`` of the request, or None when absent."""
        if isinstance(self.body, dict) and isinstance(self.body.get("response_format"), dict):
            return self.body["response_format"].get("type")
        return None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages") or []) if isinstance(self.body, dict) else []

    def message(self, role: str) -> str:
        """Text of the last message with this role ("" when none)."""
        for message in reversed(self.messages):
            if message.get("role") == role:
                content = message.get("content")
                if isinstance(content, list):  # content parts
                    return "".join(p.get("text", "") for p in content if isinstance(p, dict))
                return content or ""
        return ""


def _prompt_size(body: Any) -> int:
    text = json.dumps(body.get("messages", []) if isinstance(body, dict) else body, ensure_ascii=False)
    return max(1, len(text) // 4)


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins the handler threads: nothing outlives the server
    allow_reuse_address = True
    owner: OpenAIServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out closed its socket; writing to it then fails: not an error of the test.
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 10  # a silent client cannot hold a handler thread (and so close()) for long

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        owner = self.server.owner
        if self.path.rstrip("/").endswith("/models"):
            self._send_json(200, {"object": "list", "data": [{"id": owner.model, "object": "model"}]})
        else:
            self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(data or b"null")
        except ValueError:
            body = data.decode("utf-8", "replace")
        recorded = RecordedRequest(
            method="POST",
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        owner._record(recorded)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        reply = owner._next_reply(recorded)
        if reply.delay > 0 and owner._stopping.wait(reply.delay):
            self.close_connection = True
            return  # the server is closing: drop the hanging request
        self._send_reply(reply, body)

    # -- answers --------------------------------------------------------------------------------

    def _send_reply(self, reply: Reply, body: Any) -> None:
        owner = self.server.owner
        if reply.raw is not None:
            self._send_bytes(reply.status, reply.raw, reply.content_type, reply.headers)
            return
        if reply.status >= 400:
            error = reply.error
            if error is None:
                error = f"scripted HTTP {reply.status}"
            if isinstance(error, str):
                kind = "rate_limit_error" if reply.status == 429 else "server_error"
                if reply.status < 500 and reply.status != 429:
                    kind = "invalid_request_error"
                error = {"error": {"message": error, "type": kind}}
            self._send_json(reply.status, error, reply.headers)
            return
        content = reply.content
        prompt_tokens = reply.prompt_tokens if reply.prompt_tokens is not None else _prompt_size(body)
        completion_tokens = reply.completion_tokens
        if completion_tokens is None:
            completion_tokens = max(1, len(content or "") // 4)
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if reply.refusal is not None:
            message["refusal"] = reply.refusal
        answer: dict[str, Any] = {
            "id": f"chatcmpl-test-{next(_ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": (body.get("model") if isinstance(body, dict) else None) or owner.model,
            "choices": [{"index": 0, "message": message, "finish_reason": reply.finish_reason}],
        }
        if reply.usage:
            answer["usage"] = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            }
        self._send_json(reply.status, answer, reply.headers)

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._send_bytes(status, data, "application/json", headers or {})

    def _send_bytes(self, status: int, data: bytes, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True


class OpenAIServer:
    """The server (see the module docstring). Start on construction; stop with :meth:`close`."""

    def __init__(
        self,
        *,
        model: str = "test-model",
        reject_formats: Iterable[str] = (),
        responder: Callable[[dict[str, Any]], str | Reply] | None = None,
        fallback: Reply | None = None,
    ) -> None:
        self.model = model
        self.reject_formats: set[str] = set(reject_formats)
        self.responder = responder
        self.fallback = fallback
        self.requests: list[RecordedRequest] = []
        self._queue: collections.deque[Reply] = collections.deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self._closed = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def push(self, *replies: Reply | str) -> None:
        """Queue answers (a string is the content of a 200 answer)."""
        with self._lock:
            for reply in replies:
                self._queue.append(Reply(content=reply) if isinstance(reply, str) else reply)

    @property
    def pending(self) -> int:
        """Scripted replies not yet used."""
        with self._lock:
            return len(self._queue)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.rstrip("/").endswith("/chat/completions")]

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _next_reply(self, request: RecordedRequest) -> Reply:
        kind = request.response_format
        if kind is not None and kind in self.reject_formats:
            return Reply(
                status=400,
                error={
                    "error": {
                        "message": f"response_format {kind} is not supported",
                        "type": "invalid_request_error",
                    }
                },
            )
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        if self.responder is not None and isinstance(request.body, dict):
            try:
                answer = self.responder(request.body)
            except Exception as exc:  # a broken responder is a test bug: say so in the answer
                return Reply(status=500, error=f"responder failed: {type(exc).__name__}: {exc}")
            return Reply(content=answer) if isinstance(answer, str) else answer
        if self.fallback is not None:
            return self.fallback
        return Reply(status=500, error="no scripted reply")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._stopping.set()  # release hanging handlers
        self._httpd.shutdown()
        self._thread.join(timeout=10)
        self._httpd.server_close()  # joins the handler threads

    def __enter__(self) -> OpenAIServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
