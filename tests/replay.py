"""A loopback HTTP server that replays API fixtures by route, with failure scenarios per test.

    with ReplayServer() as server:
        server.route("GET", "/v1/boards/acme/jobs", *scenario("rate_limited", fixture_reply("greenhouse/acme.json")))
        engine = GreenhouseBoards(["acme"], base_url=server.base_url, transport=...)
        ...
        assert server.count("GET", "/v1/boards/acme/jobs") == 2

Engines are pointed at it through their base URL setting; no client library is patched. Faults are
replies too: ``redirect_reply`` (to an internal address), ``gzip_bomb_reply``, ``bom_reply``,
``huge_reply``, ``status_reply(429, retry_after=...)``. Replies of a
route are served in order and the last one repeats. Every request is counted and kept (method, path,
query, headers, body) so tests can assert on what was sent. A "hang" waits on the server's stop event,
so shutting the server down ends it at once; handler threads are joined on exit.
"""

from __future__ import annotations

import json
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "api"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # wait before answering (interrupted by shutdown): a hang
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    repeat: int = 1  # the body is sent this many times (a huge body without holding it in memory)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)  # when the request arrived (this process's clock)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def json_reply(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps(value, ensure_ascii=False).encode("utf-8")
    return Reply(status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})})


def fixture_reply(name: str, status: int = 200) -> Reply:
    """A fixture file under tests/fixtures/api, served byte for byte as JSON."""
    return Reply(status, (FIXTURES / name).read_bytes(), {"Content-Type": "application/json; charset=utf-8"})


def status_reply(status: int, *, retry_after: str | None = None) -> Reply:
    headers = {"Content-Type": "application/json"}
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    return Reply(status, json.dumps({"error": f"status {status}"}).encode(), headers)


def html_reply(status: int = 200) -> Reply:
    page = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>"
    return Reply(status, page, {"Content-Type": "text/html; charset=utf-8"})


def malformed_reply() -> Reply:
    return Reply(200, b'{"jobs": [{"id": 1, "title": "Data Engineer",', {"Content-Type": "application/json"})


def deep_reply(depth: int = 100_000) -> Reply:
    """Valid JSON nested deeper than any parser here recurses."""
    return Reply(200, b"[" * depth + b"]" * depth, {"Content-Type": "application/json"})


def huge_reply(size: int, *, declare_length: bool = True) -> Reply:
    """A JSON-looking body of about ``size`` bytes (sent in 64 KiB pieces)."""
    piece = b" " * 65536
    return Reply(
        200,
        piece,
        {"Content-Type": "application/json"},
        send_length=declare_length,
        repeat=max(1, size // len(piece) + 1),
    )


def gzip_bomb(size: int, *, fill: bytes = b" ") -> bytes:
    """``size`` bytes of ``fill`` gzip-compressed (about 1,000:1), built a MiB at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = fill * ((1 << 20) // len(fill))
    parts = [packer.compress(block) for _ in range(size // len(block))]
    parts.append(packer.flush())
    return b"".join(parts)


def gzip_bomb_reply(size: int = 1 << 30) -> Reply:
    """A small gzip body (about 1 MB for the default GiB) that inflates to ``size`` bytes of spaces."""
    return Reply(200, gzip_bomb(size), {"Content-Type": "application/json", "Content-Encoding": "gzip"})


def bom_reply(reply: Reply) -> Reply:
    """The same answer with a UTF-8 byte-order mark before the body."""
    return Reply(reply.status, b"\xef\xbb\xbf" + reply.body, dict(reply.headers))


def redirect_reply(location: str, status: int = 302) -> Reply:
    """A redirect to ``location`` (absolute or relative), with an empty body."""
    return Reply(status, b"", {"Location": location, "Content-Type": "text/plain"})


def hang_reply(seconds: float, then: Reply | None = None) -> Reply:
    reply = then or json_reply({"jobs": []})
    return Reply(reply.status, reply.body, dict(reply.headers), delay=seconds)


def http_date(seconds_from_now: float) -> str:
    return formatdate(time.time() + seconds_from_now, usegmt=True)


def scenario(name: str, ok: Reply | None = None) -> list[Reply]:
    """The replies of a named failure scenario, ``ok`` being the eventual good answer."""
    good = ok or json_reply({})
    scenarios = {
        "ok": [good],
        "rate_limited": [status_reply(429, retry_after="1"), good],  # 429 + Retry-After, then success
        "rate_limited_date": [status_reply(429, retry_after=http_date(2)), good],
        "server_error": [status_reply(500)],  # 500 forever
        "flaky": [status_reply(503), good],
        "not_found": [status_reply(404)],
        "hang": [hang_reply(10.0, good)],  # sleeps past any client timeout used in tests
        "malformed": [malformed_reply()],
        "deep": [deep_reply()],
        "html": [html_reply()],
        "huge": [huge_reply(2_000_000)],
        "huge_no_length": [huge_reply(2_000_000, declare_length=False)],
    }
    return scenarios[name]


@dataclass
class _Route:
    method: str
    path: str
    query: dict[str, str]
    replies: list[Reply]
    served: int = 0

    def next_reply(self) -> Reply:
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # handler threads are joined by server_close()
    block_on_close = True
    replay: ReplayServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up early (timeouts, body caps) are part of the scenarios


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.replay._handle(self)

    def do_POST(self) -> None:
        self.server.replay._handle(self)


class ReplayServer:
    """ThreadingHTTPServer on 127.0.0.1 (ephemeral port) in a background thread; a context manager."""

    def __init__(self) -> None:
        self._routes: list[_Route] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.hits: Counter[str] = Counter()
        self.seen: list[Seen] = []
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- configuration ---------------------------------------------------------------------------

    def route(
        self, method: str, path: str, *replies: Reply, query: dict[str, str] | None = None
    ) -> ReplayServer:
        """Serve ``replies`` in order (the last repeats) to METHOD path [with these query values]."""
        if not replies:
            raise ValueError("a route needs at least one reply")
        with self._lock:
            self._routes = [
                r
                for r in self._routes
                if not (r.method == method and r.path == path and r.query == (query or {}))
            ]
            self._routes.append(_Route(method.upper(), path, dict(query or {}), list(replies)))
            self._routes.sort(key=lambda r: -len(r.query))  # the most specific match first
        return self

    def count(self, method: str | None = None, path: str | None = None) -> int:
        with self._lock:
            return sum(
                1
                for s in self.seen
                if (method is None or s.method == method) and (path is None or s.path == path)
            )

    def requests(self, path: str | None = None) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if path is None or s.path == path]

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "use the server as a context manager"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # -- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> ReplayServer:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.replay = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="replay-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()  # ends hangs at once
        assert self._httpd is not None and self._thread is not None
        self._httpd.shutdown()
        self._httpd.server_close()  # joins the handler threads
        self._thread.join(timeout=5)
        assert not self._thread.is_alive(), "replay server thread did not stop"

    # -- serving ---------------------------------------------------------------------------------

    def _handle(self, handler: _Handler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        seen = Seen(
            handler.command, parts.path, query, {k.lower(): v for k, v in handler.headers.items()}, body
        )
        with self._lock:
            self.seen.append(seen)
            self.hits[f"{handler.command} {parts.path}"] += 1
            route = next(
                (
                    r
                    for r in self._routes
                    if r.method == handler.command
                    and r.path == parts.path
                    and all(query.get(k) == v for k, v in r.query.items())
                ),
                None,
            )
            reply = (
                route.next_reply() if route else json_reply({"error": f"no route {parts.path}"}, status=404)
            )
        if reply.delay and self._stop.wait(reply.delay):
            return  # shutting down: hang up without answering
        try:
            handler.send_response(reply.status)
            for key, value in reply.headers.items():
                handler.send_header(key, value)
            if reply.send_length:
                handler.send_header("Content-Length", str(len(reply.body) * reply.repeat))
            handler.send_header("Connection", "close")
            handler.end_headers()
            for _ in range(reply.repeat):
                if self._stop.is_set():
                    break
                handler.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            pass  # the client gave up (timeout, body cap): expected in the scenarios
