"""CV-by-URL downloads against real local HTTP servers (the client is never patched)."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from jobland_pipeline.documents.fetch import (
    FetchedFile,
    FetchError,
    _blocked_kind,
    fetch_cv,
    sanitise_file_name,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
DOCX_BYTES = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"word/document.xml" + bytes(range(1, 9))
HTML_BYTES = b"  \n<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>login</body></html>\n"
MARKDOWN_BYTES = "# 王芳\n\n数据工程师 · Data Engineer\n\n- Python, SQL\n".encode()
TOKEN = "s3cr3t-T0KEN-4f9a1c"
HUGE = 20 * 1024 * 1024


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every handler thread: nothing outlives a test
    block_on_close = True

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.tls = tls
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.requests: list[tuple[str, dict[str, str]]] = []

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset({f"127.0.0.1:{self.port}"})

    def url(self, path: str, host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        with self.lock:
            return [path for path, _headers in self.requests]

    def get_request(self):  # type: ignore[override]
        sock, address = super().get_request()
        if self.tls is not None:
            # The TLS handshake then happens in the handler thread, on the first read.
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request, client_address) -> None:  # type: ignore[override]
        pass  # clients that hang up mid-response (too_large, timeouts, TLS refusals) are expected


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests.append((self.path, dict(self.headers.items())))
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        path = parts.path
        if path.startswith("/loop/"):
            step = int(path.rsplit("/", 1)[1])
            if step < 5:
                self._redirect(f"/loop/{step + 1}")
            else:
                self._send(200, PDF_BYTES, "application/pdf")
            return
        routes = {
            "/": lambda: self._send(200, b"Jane Doe\nNurse\n", "text/plain"),
            "/cv.pdf": lambda: self._send(200, PDF_BYTES, "application/pdf"),
            "/docs/old": lambda: self._redirect("../cv.pdf"),
            "/to-metadata": lambda: self._redirect("http://169.254.169.254/latest/meta-data/"),
            "/to-metadata-signed": lambda: self._redirect(f"http://169.254.169.254/latest/?sig={TOKEN}"),
            "/to-private": lambda: self._redirect("http://10.0.0.1/"),
            "/to-file": lambda: self._redirect("file:///etc/passwd"),
            "/no-location": lambda: self._send(302, b"", None),
            "/huge-length": self._huge_length,
            "/chunked": lambda: self._chunked(int(query.get("chunks", ["100"])[0])),
            "/stall": self._stall,
            "/drip": self._drip,
            "/drip-headers": self._drip_headers,
            "/page.html": lambda: self._send(200, HTML_BYTES, "text/html; charset=utf-8"),
            "/fake.pdf": lambda: self._send(200, HTML_BYTES, "application/pdf"),
            "/fake.bin": lambda: self._send(200, HTML_BYTES, "application/octet-stream"),
            "/blob.bin": lambda: self._send(
                200, b"\x7fELF\x02\x01\x01\x00" + bytes(200), "application/octet-stream"
            ),
            "/pdf.txt": lambda: self._send(200, PDF_BYTES, "text/plain"),
            "/empty.txt": lambda: self._send(200, b"", "text/plain"),
            "/cv.md": lambda: self._send(200, MARKDOWN_BYTES, "text/markdown; charset=utf-8"),
            "/download/Jane%20Doe%20CV.docx": lambda: self._send(200, DOCX_BYTES, None),
            "/disposition": lambda: self._send(
                200,
                b"Jane Doe\n",
                "text/plain",
                [("Content-Disposition", 'attachment; filename="../../etc/passwd"')],
            ),
        }
        route = routes.get(path)
        if route is None:
            self._send(404, b"not found\n", "text/plain")
        else:
            route()

    def _send(
        self, status: int, body: bytes, content_type: str | None, headers: list[tuple[str, str]] | None = None
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers or []:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, b"", None, [("Location", location)])

    def _huge_length(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(HUGE))
        self.end_headers()
        self.wfile.write(PDF_BYTES)
        self.server.stop.wait(5)  # never sends the rest: a client that reads would hang here

    def _chunked(self, chunks: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for _ in range(chunks):
                self.wfile.write(b"3e8\r\n" + b"a" * 999 + b"\n\r\n")
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True

    def _stall(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "100")
        self.end_headers()
        self.server.stop.wait(5)

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self._drip_bytes()

    def _drip_headers(self) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        self._drip_bytes()

    def _drip_bytes(self) -> None:
        # One byte every 0.2 s for 5 s at most, so a client without a deadline fails instead of hanging.
        self.close_connection = True
        try:
            for _ in range(25):
                if self.server.stop.wait(0.2):
                    break
                self.wfile.write(b"x")
        except OSError:
            pass


def _serve(tls: ssl.SSLContext | None = None) -> Iterator[_Server]:
    server = _Server(tls)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def server() -> Iterator[_Server]:
    yield from _serve()


def _refused(url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch_cv(url, **kwargs)  # type: ignore[arg-type]
    error = info.value
    assert str(error) == error.reason
    assert "\n" not in error.reason and "Traceback" not in error.reason
    return error


# --- happy paths ---------------------------------------------------------------------------------


def test_pdf_downloads_intact_with_original_host_and_user_agent(server: _Server) -> None:
    fetched = fetch_cv(server.url("/cv.pdf"), allowed_private=server.allowed)
    assert fetched == FetchedFile(
        url=server.url("/cv.pdf"), file_name="cv.pdf", content_type="application/pdf", data=PDF_BYTES
    )
    [(path, headers)] = server.requests
    assert path == "/cv.pdf"
    assert headers["Host"] == f"127.0.0.1:{server.port}"
    assert headers["User-Agent"] == "JobLand/0.1 (+cv-fetch)"
    assert headers["Accept-Encoding"] == "identity"


def test_host_name_is_resolved_then_pinned_and_sent_as_host(server: _Server) -> None:
    fetched = fetch_cv(
        server.url("/cv.md", host="localhost"), allowed_private=frozenset({f"localhost:{server.port}"})
    )
    assert fetched.data == MARKDOWN_BYTES
    assert fetched.content_type == "text/markdown"
    assert fetched.file_name == "cv.md"
    assert server.requests[0][1]["Host"] == f"localhost:{server.port}"


def test_docx_without_content_type_named_from_url(server: _Server) -> None:
    fetched = fetch_cv(server.url("/download/Jane%20Doe%20CV.docx"), allowed_private=server.allowed)
    assert fetched.data == DOCX_BYTES
    assert fetched.content_type == ""
    assert fetched.file_name == "Jane Doe CV.docx"


def test_no_path_segment_names_the_file_cv(server: _Server) -> None:
    fetched = fetch_cv(server.url("/"), allowed_private=server.allowed)
    assert (fetched.file_name, fetched.data) == ("cv", b"Jane Doe\nNurse\n")


def test_relative_redirect_on_the_same_allowed_server(server: _Server) -> None:
    fetched = fetch_cv(server.url("/docs/old"), allowed_private=server.allowed)
    assert fetched.data == PDF_BYTES
    assert fetched.url == server.url("/cv.pdf")
    assert server.paths() == ["/docs/old", "/cv.pdf"]


def test_redirects_up_to_the_limit_are_followed(server: _Server) -> None:
    fetched = fetch_cv(server.url("/loop/2"), allowed_private=server.allowed, max_redirects=3)
    assert fetched.url == server.url("/loop/5")
    assert server.paths() == ["/loop/2", "/loop/3", "/loop/4", "/loop/5"]


def test_size_exactly_at_the_cap_is_accepted(server: _Server) -> None:
    fetched = fetch_cv(server.url("/cv.pdf"), allowed_private=server.allowed, max_bytes=len(PDF_BYTES))
    assert fetched.data == PDF_BYTES


def test_chunked_body_under_the_cap_is_accepted(server: _Server) -> None:
    fetched = fetch_cv(server.url("/chunked?chunks=5"), allowed_private=server.allowed, max_bytes=10_000)
    assert fetched.data == (b"a" * 999 + b"\n") * 5


# --- addresses -----------------------------------------------------------------------------------


def test_loopback_without_allowance_never_reaches_the_server(server: _Server) -> None:
    error = _refused(server.url("/cv.pdf"))
    assert error.code == "blocked_address"
    assert "loopback" in error.reason
    assert server.requests == []


def test_allowance_is_an_exact_host_port_match(server: _Server) -> None:
    for allowed in ({"127.0.0.1"}, {f"localhost:{server.port}"}, {f"127.0.0.1:{server.port + 1}"}):
        error = _refused(server.url("/cv.pdf"), allowed_private=frozenset(allowed))
        assert error.code == "blocked_address"
    error = _refused(server.url("/cv.pdf", host="localhost"))
    assert error.code == "blocked_address"
    assert "localhost resolves to 127.0.0.1" in error.reason
    assert server.requests == []


def test_redirect_to_cloud_metadata_is_refused_without_connecting(server: _Server) -> None:
    started = time.monotonic()
    error = _refused(server.url("/to-metadata"), allowed_private=server.allowed, timeout=5)
    assert error.code == "blocked_address"
    assert "169.254.169.254" in error.reason and "cloud metadata" in error.reason
    assert time.monotonic() - started < 2  # a connection attempt would wait for the 5 s timeout
    assert server.paths() == ["/to-metadata"]


def test_redirect_to_a_private_network_is_refused(server: _Server) -> None:
    started = time.monotonic()
    error = _refused(server.url("/to-private"), allowed_private=server.allowed, timeout=5)
    assert error.code == "blocked_address"
    assert "10.0.0.1" in error.reason and "private" in error.reason
    assert time.monotonic() - started < 2
    assert server.paths() == ["/to-private"]


def test_redirect_to_another_scheme_is_refused(server: _Server) -> None:
    error = _refused(server.url("/to-file"), allowed_private=server.allowed)
    assert error.code == "bad_scheme"
    assert "'file'" in error.reason


def test_redirect_chain_longer_than_the_limit(server: _Server) -> None:
    error = _refused(server.url("/loop/0"), allowed_private=server.allowed, max_redirects=3)
    assert error.code == "too_many_redirects"
    assert "more than 3 redirect" in error.reason
    assert server.paths() == ["/loop/0", "/loop/1", "/loop/2", "/loop/3"]
    error = _refused(server.url("/docs/old"), allowed_private=server.allowed, max_redirects=0)
    assert error.code == "too_many_redirects"


def test_redirect_without_location(server: _Server) -> None:
    error = _refused(server.url("/no-location"), allowed_private=server.allowed)
    assert (error.code, "HTTP 302" in error.reason) == ("bad_redirect", True)


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("2130706433", "loopback"),  # decimal 127.0.0.1
        ("0x7f000001", "loopback"),
        ("0x7f.1", "loopback"),
        ("0177.0.0.1", "loopback"),
        ("127.1", "loopback"),
        ("127.0.0.1.", "loopback"),
        ("[::1]", "loopback"),
        ("[::ffff:127.0.0.1]", "IPv4-mapped loopback"),
        ("[::ffff:7f00:1]", "IPv4-mapped loopback"),
        ("169.254.169.254", "cloud metadata"),
        ("[::ffff:169.254.169.254]", "cloud metadata"),
        ("[64:ff9b::a9fe:a9fe]", "NAT64 link-local (cloud metadata)"),
        ("[2002:a9fe:a9fe::1]", "6to4 link-local"),
        ("[fe80::1]", "link-local"),
        ("[fd12:3456::1]", "private"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "CGNAT"),
        ("0.0.0.0", "unspecified"),
        ("[::]", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("[ff02::1]", "multicast"),
        ("240.0.0.1", "private"),  # 240/4 is both reserved and private to ipaddress
    ],
)
def test_internal_ip_literals_are_refused(host: str, kind: str) -> None:
    error = _refused(f"http://{host}/cv.pdf", timeout=5)
    assert error.code == "blocked_address"
    assert kind in error.reason


def test_non_canonical_numeric_hosts_are_refused_even_when_public() -> None:
    for host in ("134744072", "0x08080808", "8.8.2056", "1.2.3.4.5", "cv.123"):
        error = _refused(f"http://{host}/cv.pdf", timeout=5)
        assert error.code == "bad_url"
        assert "numeric address" in error.reason


def test_allowance_never_covers_an_obfuscated_address(server: _Server) -> None:
    allowed = frozenset({f"2130706433:{server.port}", *server.allowed})
    error = _refused(f"http://2130706433:{server.port}/cv.pdf", allowed_private=allowed)
    assert error.code == "blocked_address"
    assert "127.0.0.1 written in another form" in error.reason
    assert server.requests == []


def test_public_addresses_pass_the_address_check() -> None:
    for text in (
        "8.8.8.8",
        "1.1.1.1",
        "2606:4700:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
    ):
        assert _blocked_kind(ipaddress.ip_address(text)) is None, text


# --- URL shape -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("file:///etc/passwd", "file"),
        ("ftp://example.com/cv.pdf", "ftp"),
        ("gopher://example.com/", "gopher"),
        ("javascript:alert(1)", "javascript"),
        ("data:application/pdf;base64,JVBERi0=", "data"),
        ("example.com/cv.pdf", "none"),
    ],
)
def test_only_http_and_https(url: str, scheme: str) -> None:
    error = _refused(url)
    assert error.code == "bad_scheme"
    assert repr(scheme) in error.reason


def test_credentials_in_url_are_refused(server: _Server) -> None:
    for netloc in ("user:hunter2@example.com", f"user:hunter2@127.0.0.1:{server.port}", "user@example.com"):
        error = _refused(f"http://{netloc}/cv.pdf", allowed_private=server.allowed)
        assert error.code == "credentials_in_url"
        assert "hunter2" not in error.reason
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http:///cv.pdf",
        "http://exa mple.com/",
        "http://example.com/\r\nX-Injected: 1",
        "http://example.com:99999/",
    ],
)
def test_malformed_urls(url: str) -> None:
    assert _refused(url).code == "bad_url"


# --- size and time -------------------------------------------------------------------------------


def test_content_length_over_the_cap_is_refused_before_reading(server: _Server) -> None:
    started = time.monotonic()
    error = _refused(server.url("/huge-length"), allowed_private=server.allowed, timeout=3)
    assert error.code == "too_large"
    assert f"{HUGE} bytes (Content-Length)" in error.reason
    assert time.monotonic() - started < 1.5  # the body never arrives: reading it would time out


def test_content_length_one_byte_over_a_small_cap(server: _Server) -> None:
    error = _refused(server.url("/cv.pdf"), allowed_private=server.allowed, max_bytes=len(PDF_BYTES) - 1)
    assert error.code == "too_large"


def test_chunked_body_over_the_cap(server: _Server) -> None:
    error = _refused(server.url("/chunked?chunks=100"), allowed_private=server.allowed, max_bytes=10_000)
    assert error.code == "too_large"
    assert "larger than the limit of 10000 bytes" in error.reason


def test_server_that_stalls_after_headers_times_out(server: _Server) -> None:
    started = time.monotonic()
    error = _refused(server.url("/stall"), allowed_private=server.allowed, timeout=0.5)
    assert error.code == "timeout"
    assert "did not answer within 0.5 s" in error.reason
    assert time.monotonic() - started < 1.4


def test_slow_drip_body_hits_the_overall_deadline(server: _Server) -> None:
    started = time.monotonic()
    error = _refused(server.url("/drip"), allowed_private=server.allowed, timeout=0.5)
    elapsed = time.monotonic() - started
    assert error.code == "timeout"
    assert "took longer than 1.5 s" in error.reason
    assert 1.4 < elapsed < 2.5


def test_slow_drip_headers_hit_the_overall_deadline(server: _Server) -> None:
    started = time.monotonic()
    error = _refused(server.url("/drip-headers"), allowed_private=server.allowed, timeout=0.5)
    assert error.code == "timeout"
    assert "took longer than 1.5 s" in error.reason
    assert time.monotonic() - started < 2.5


# --- status and content --------------------------------------------------------------------------


def test_not_found_is_an_http_status_error(server: _Server) -> None:
    error = _refused(server.url("/missing.pdf"), allowed_private=server.allowed)
    assert error.code == "http_status"
    assert "HTTP 404" in error.reason


def test_html_content_type_is_refused(server: _Server) -> None:
    error = _refused(server.url("/page.html"), allowed_private=server.allowed)
    assert error.code == "bad_content_type"
    assert "text/html" in error.reason


@pytest.mark.parametrize("path", ["/fake.pdf", "/fake.bin"])
def test_html_bytes_are_refused_whatever_the_header(server: _Server, path: str) -> None:
    error = _refused(server.url(path), allowed_private=server.allowed)
    assert error.code == "content_mismatch"
    assert "HTML page" in error.reason


def test_bytes_must_match_the_declared_type(server: _Server) -> None:
    error = _refused(server.url("/pdf.txt"), allowed_private=server.allowed)
    assert error.code == "content_mismatch"
    assert "declared as text/plain but its bytes are PDF" in error.reason
    error = _refused(server.url("/blob.bin"), allowed_private=server.allowed)
    assert error.code == "content_mismatch"
    assert "not a PDF, DOCX or text file" in error.reason


def test_empty_body_is_refused(server: _Server) -> None:
    assert _refused(server.url("/empty.txt"), allowed_private=server.allowed).code == "empty"


# --- file names ----------------------------------------------------------------------------------


def test_content_disposition_path_becomes_a_safe_basename(server: _Server) -> None:
    fetched = fetch_cv(server.url("/disposition"), allowed_private=server.allowed)
    assert fetched.file_name == "passwd"
    assert fetched.data == b"Jane Doe\n"


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("C:evil.pdf", "Cevil.pdf"),
        ("cv\x00.pdf", "cv.pdf"),
        ("line\r\nbreak.txt", "linebreak.txt"),
        ("..", ""),
        ("/", ""),
        (".hidden.pdf", "hidden.pdf"),
    ],
)
def test_sanitise_file_name(raw: str, safe: str) -> None:
    assert sanitise_file_name(raw) == safe


def test_long_file_names_keep_their_extension() -> None:
    name = sanitise_file_name("x" * 300 + ".pdf")
    assert len(name) == 100
    assert name.endswith("x.pdf")


# --- errors never leak tokens --------------------------------------------------------------------


def test_query_string_token_never_appears_in_messages(server: _Server) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    cases = [
        (server.url(f"/missing.pdf?token={TOKEN}"), server.allowed, "http_status"),
        (server.url(f"/page.html?token={TOKEN}"), server.allowed, "bad_content_type"),
        (server.url(f"/to-metadata?token={TOKEN}"), server.allowed, "blocked_address"),
        (server.url("/to-metadata-signed"), server.allowed, "blocked_address"),
        (server.url(f"/cv.pdf?token={TOKEN}"), frozenset(), "blocked_address"),
        (
            f"http://127.0.0.1:{closed_port}/cv.pdf?token={TOKEN}",
            frozenset({f"127.0.0.1:{closed_port}"}),
            "network",
        ),
        (f"ftp://example.com/cv.pdf?token={TOKEN}", frozenset(), "bad_scheme"),
        (f"http://2130706433/?token={TOKEN}", frozenset(), "blocked_address"),
    ]
    for url, allowed, code in cases:
        error = _refused(url, allowed_private=allowed, timeout=2)
        assert error.code == code, (url, error.reason)
        assert TOKEN not in str(error) and "token=" not in str(error) and "sig=" not in str(error)
        assert error.__cause__ is None


def test_connection_refused_is_a_network_error() -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    error = _refused(f"http://127.0.0.1:{port}/cv.pdf", allowed_private=frozenset({f"127.0.0.1:{port}"}))
    assert error.code == "network"
    assert f"127.0.0.1:{port}/cv.pdf: connection refused" in error.reason


# --- HTTPS ---------------------------------------------------------------------------------------


def test_https_to_a_plain_http_server_is_a_tls_network_error(server: _Server) -> None:
    error = _refused(server.url("/cv.pdf", scheme="https"), allowed_private=server.allowed, timeout=2)
    assert error.code == "network"
    assert "TLS" in error.reason


@pytest.fixture
def tls_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[_Server]:
    """An HTTPS server with a throwaway certificate for ``localhost`` only, trusted via SSL_CERT_FILE."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    yield from _serve(context)


def test_https_checks_the_certificate_against_the_url_host(tls_server: _Server) -> None:
    fetched = fetch_cv(
        tls_server.url("/cv.pdf", host="localhost", scheme="https"),
        allowed_private=frozenset({f"localhost:{tls_server.port}"}),
    )
    assert fetched.data == PDF_BYTES
    assert tls_server.requests[0][1]["Host"] == f"localhost:{tls_server.port}"
    # Same server and certificate, but the URL names 127.0.0.1, which the certificate does not cover.
    error = _refused(tls_server.url("/cv.pdf", scheme="https"), allowed_private=tls_server.allowed)
    assert error.code == "network"
    assert "certificate" in error.reason
    assert tls_server.paths() == ["/cv.pdf"]
