"""Download a CV from a URL the user gave us, safely (SSRF-proof, size- and time-bounded).

No Dagster. HTTP goes through the project's one network layer (:mod:`jobland_pipeline.net`: its
httpx client and its retry policy); every check below is made here, before the client may connect.
The rules, in the order they apply to every hop:

1. The URL must be ``http``/``https``, without a user name or password, without spaces or control
   characters, and with a host that is either a DNS name, a canonical dotted-quad IPv4 address or a
   bracketed IPv6 address. Numeric hosts in other forms (``2130706433``, ``0x7f.1``, ``0177.0.0.1``)
   are refused: they are decoded only to say why.
2. The host is resolved once (``socket.getaddrinfo``); if ANY address is not public (loopback,
   private, link-local incl. the cloud metadata service, multicast, reserved, unspecified, CGNAT,
   or an IPv4-mapped/6to4/NAT64 form of those: net's :func:`~jobland_pipeline.net.blocked_kind`,
   the check the API clients apply to redirects too) the hop is refused with ``blocked_address`` —
   unless ``"host:port"`` is in ``allowed_private`` (exact string; for tests on a loopback server).
3. The connection goes to the address that was checked (the request URL names that IP address, so
   there is no second DNS lookup and DNS rebinding cannot swap it), with the original ``Host`` header
   and, for HTTPS, the original host name for SNI and certificate checking. No proxy from the
   environment is used (it would connect elsewhere).
4. Redirects are followed up to ``max_redirects`` and each new URL goes through 1-3 again before
   any connection is made.
5. The body is bounded in size (``Content-Length`` checked before reading, then counted while
   reading) and in time (a timeout per network operation plus a deadline of ``3 * timeout`` for the
   whole download, enforced by net's watchdog on every read, headers included, so slow-drip servers
   cannot keep us forever).
6. The content type must be one a CV can have, and the bytes decide in the end: PDF, DOCX (ZIP) or
   text; an HTML page is refused whatever the headers say.

A hop that fails in a way that may pass (connection refused or dropped, 429, 5xx) is tried again
under net's :class:`~jobland_pipeline.net.RetryPolicy` (once by default), never past the deadline; a
timeout is not retried (the download has one time budget), nor is a TLS failure.

Error messages never contain a query string (it may hold an access token) nor a traceback.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import SplitResult, parse_qsl, quote, unquote, urljoin, urlsplit

from jobland_pipeline.net import (
    REDIRECT_STATUSES,
    ConnectFailed,
    DeadlineExceeded,
    HttpClient,
    NetError,
    NetworkError,
    Response,
    RetryPolicy,
    StatusError,
    TimedOut,
    TooLarge,
    blocked_kind,
    is_retryable,
    is_retryable_status,
    status_error,
)

__all__ = ["FetchError", "FetchedFile", "fetch_cv"]

_blocked_kind = blocked_kind  # net's address check (the API clients' redirect check uses it too)

# Media type -> the kind of bytes it must carry (None: any of the accepted kinds).
ACCEPTED_CONTENT_TYPES: dict[str, str | None] = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/plain": "text",
    "text/markdown": "text",
    "application/octet-stream": None,
    "binary/octet-stream": None,
}

_MAX_URL_LENGTH = 4096
_MAX_FILE_NAME = 100
_DEADLINE_FACTOR = 3
# One more try for a hop that failed in a way that may pass; short waits: someone is waiting for the CV.
DEFAULT_RETRY = RetryPolicy(max_retries=1, backoff_base=0.5, backoff_max=2.0)
_ACCEPT = (
    "application/pdf, application/vnd.openxmlformats-officedocument.wordprocessingml.document, "
    "text/plain, text/markdown;q=0.9, application/octet-stream;q=0.5"
)

_HOST_NAME = re.compile(
    r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?"
)
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script")
_UTF8_BOM = b"\xef\xbb\xbf"


class FetchError(ValueError):
    """A CV URL that cannot be downloaded.

    ``code`` is stable (``bad_argument``, ``bad_url``, ``bad_scheme``, ``credentials_in_url``,
    ``blocked_address``, ``too_many_redirects``, ``bad_redirect``, ``http_status``, ``too_large``,
    ``timeout``, ``bad_content_type``, ``content_mismatch``, ``empty``, ``network``); ``reason``
    (also ``str(error)``) is one human line without query strings, headers or traceback text.
    """

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class FetchedFile:
    url: str  # final URL after redirects
    file_name: str  # sanitised basename: no path characters, no NUL, at most 100 characters
    content_type: str  # the media type the server declared ("" when it declared none)
    data: bytes


@dataclass(frozen=True)
class _Target:
    url: str  # normalised: non-ASCII path/query percent-encoded, fragment dropped
    scheme: str
    host: str  # ASCII (IDNA) host name, or the IP address without brackets
    port: int
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None  # set when the URL host is an IP literal
    request_target: str  # path + query sent in the request line

    @property
    def host_port(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def host_header(self) -> str:
        """The ``Host`` header: the URL's host, with the port when it is not the scheme's default."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    @property
    def display(self) -> str:
        """The URL for messages: no query string, no fragment, bounded length."""
        path = urlsplit(self.url).path or "/"
        if len(path) > 80:
            path = path[:77] + "..."
        return f"{self.scheme}://{self.host_port}{path}"


# --------------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------------


def fetch_cv(
    url: str,
    *,
    timeout: float = 10.0,
    max_bytes: int = 15 * 1024 * 1024,
    max_redirects: int = 3,
    allowed_private: frozenset[str] = frozenset(),
    user_agent: str = "JobLand/0.1 (+cv-fetch)",
    retry: RetryPolicy = DEFAULT_RETRY,
) -> FetchedFile:
    """Download the CV at ``url``; raise :class:`FetchError` (with a stable ``code``) when it is unsafe or unusable."""
    if not timeout > 0:
        raise FetchError("bad_argument", "timeout must be a positive number of seconds")
    if max_bytes < 1:
        raise FetchError("bad_argument", "max_bytes must be at least 1")
    if max_redirects < 0:
        raise FetchError("bad_argument", "max_redirects must not be negative")
    if not user_agent or any(ord(ch) < 32 or ord(ch) == 127 for ch in user_agent):
        raise FetchError("bad_argument", "user_agent must be a non-empty single line")

    secrets: list[str] = []  # query strings seen on the way; scrubbed from every message
    try:
        return _fetch(
            url,
            secrets=secrets,
            timeout=timeout,
            max_bytes=max_bytes,
            max_redirects=max_redirects,
            allowed_private=allowed_private,
            user_agent=user_agent,
            retry=retry,
        )
    except FetchError as error:
        reason = _scrub(error.reason, secrets)
        if reason == error.reason:
            raise
        raise FetchError(error.code, reason) from None


def _fetch(
    url: str,
    *,
    secrets: list[str],
    timeout: float,
    max_bytes: int,
    max_redirects: int,
    allowed_private: frozenset[str],
    user_agent: str,
    retry: RetryPolicy,
) -> FetchedFile:
    deadline = time.monotonic() + _DEADLINE_FACTOR * timeout
    # A fresh default TLS context per download (the system's CAs, SSL_CERT_FILE, host names checked);
    # trust_env off: no proxy, no netrc.
    with HttpClient(
        timeout=timeout,
        max_body_bytes=max_bytes,
        user_agent=user_agent,
        verify=ssl.create_default_context(),
        trust_env=False,
    ) as client:
        redirects = 0
        while True:
            target = _parse_url(url, secrets)
            addresses = _resolve(target, allowed_private)
            with _get(client, target, addresses, timeout=timeout, deadline=deadline, retry=retry) as response:
                if response.status in REDIRECT_STATUSES:
                    url = _redirect(response, target, redirects, max_redirects)
                    redirects += 1
                    continue  # this hop is closed before the next URL is checked
                if response.status != 200:
                    raise FetchError(
                        "http_status", f"the server answered HTTP {response.status} for {target.display}"
                    )
                return _read_file(response, target, max_bytes=max_bytes, timeout=timeout)


def _redirect(response: Response, target: _Target, redirects: int, max_redirects: int) -> str:
    """The next URL of a redirect (still to be checked like the first one)."""
    location = response.headers.get("Location")
    if not location or not location.strip():
        raise FetchError(
            "bad_redirect", f"HTTP {response.status} without a Location header from {target.display}"
        )
    if redirects >= max_redirects:
        raise FetchError(
            "too_many_redirects",
            f"more than {max_redirects} redirect(s) starting from the CV URL (last: {target.display})",
        )
    return urljoin(target.url, location.strip())


# --------------------------------------------------------------------------------------------------
# URL and address checks
# --------------------------------------------------------------------------------------------------


def _parse_url(url: str, secrets: list[str]) -> _Target:
    parts = _split_url(url, secrets)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        raise FetchError("bad_url", "the CV URL has an invalid port") from None
    raw_host = parts.hostname or ""
    if not raw_host:
        raise FetchError("bad_url", "the CV URL has no host")
    if port is None:
        port = 443 if scheme == "https" else 80
    if port == 0:
        raise FetchError("bad_url", "the CV URL has an invalid port")
    host, ip = _host_of(raw_host, bracketed="[" in parts.netloc)

    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~") or "/"
    query = quote(parts.query, safe="/?%:@!$&'()*+,;=-._~")
    request_target = f"{path}?{query}" if query else path
    _remember_secrets(query, secrets)
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc = f"{netloc}:{port}"
    return _Target(
        url=f"{scheme}://{netloc}{request_target}",
        scheme=scheme,
        host=host,
        port=port,
        ip=ip,
        request_target=request_target,
    )


def _split_url(url: str, secrets: list[str]) -> SplitResult:
    """The URL's parts, once its length, characters, scheme and (absent) credentials are checked."""
    if not isinstance(url, str) or not url.strip():
        raise FetchError("bad_url", "the CV URL is empty")
    if len(url) > _MAX_URL_LENGTH:
        raise FetchError("bad_url", f"the CV URL is longer than {_MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchError("bad_url", "the CV URL cannot be parsed") from None
    _remember_secrets(parts.query, secrets)
    if any(ord(ch) <= 32 or ord(ch) == 127 for ch in url):
        raise FetchError("bad_url", "the CV URL contains spaces or control characters")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = scheme if re.fullmatch(r"[a-z][a-z0-9+.-]{0,19}", scheme) else "none"
        raise FetchError("bad_scheme", f"only http and https URLs can be downloaded (got scheme {shown!r})")
    if "\\" in url:
        raise FetchError("bad_url", "the CV URL contains a backslash")
    if "@" in parts.netloc:
        raise FetchError("credentials_in_url", "the CV URL must not contain a user name or password")
    return parts


def _host_of(
    raw_host: str, *, bracketed: bool
) -> tuple[str, ipaddress.IPv4Address | ipaddress.IPv6Address | None]:
    """(ASCII host, its IP address when the URL names one): ``[IPv6]``, a dotted quad or a DNS name."""
    if not bracketed:
        host = _ascii_host(raw_host)
        return host, _ipv4_literal(host)
    if "%" in raw_host:
        raise FetchError("bad_url", "IPv6 zone identifiers are not allowed in a CV URL")
    try:
        ip = ipaddress.IPv6Address(raw_host)
    except ValueError:
        raise FetchError("bad_url", "the CV URL has an invalid IPv6 address") from None
    return str(ip), ip


def _ascii_host(host: str) -> str:
    if "%" in host:
        raise FetchError("bad_url", "the CV URL host must not be percent-encoded")
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise FetchError("bad_url", "the CV URL has an invalid host name") from None
    if len(ascii_host) > 253 or not _HOST_NAME.fullmatch(ascii_host):
        raise FetchError("bad_url", "the CV URL has an invalid host name")
    return ascii_host


def _ipv4_literal(host: str) -> ipaddress.IPv4Address | None:
    """The address when ``host`` is a canonical dotted quad; ``None`` for a DNS name; refuse other numeric forms."""
    if not _looks_numeric(host):
        return None
    try:
        return ipaddress.IPv4Address(host)
    except ValueError:
        pass
    decoded = _parse_loose_ipv4(host)
    kind = _blocked_kind(decoded) if decoded is not None else None
    if decoded is not None and kind is not None:
        raise FetchError(
            "blocked_address",
            f"the host {host[:40]!r} is the {kind} address {decoded} written in another form",
        )
    raise FetchError(
        "bad_url", f"the host {host[:40]!r} is a numeric address that is not a canonical dotted quad"
    )


def _looks_numeric(host: str) -> bool:
    """True when a URL parser would read ``host`` as an IPv4 address (its last label is a number)."""
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    return bool(_NUMERIC_LABEL.fullmatch(labels[-1]))


def _parse_loose_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Decode the inet_aton/WHATWG forms (``2130706433``, ``0x7f.1``, ``0177.0.0.1``); only used to explain refusals."""
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    if not 1 <= len(labels) <= 4:
        return None
    numbers = []
    for label in labels:
        if re.fullmatch(r"0x[0-9a-f]*", label):
            numbers.append(int(label[2:] or "0", 16))
        elif re.fullmatch(r"0[0-7]+", label):
            numbers.append(int(label, 8))
        elif re.fullmatch(r"0|[1-9][0-9]*", label):
            numbers.append(int(label))
        else:
            return None
    if any(number > 255 for number in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


@dataclass(frozen=True)
class _Address:
    family: int
    sockaddr: tuple
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address

    def url(self, target: _Target) -> str:
        """The target's URL with this checked address in place of the host name: no lookup can follow."""
        host = f"[{self.ip}]" if self.ip.version == 6 else str(self.ip)
        return f"{target.scheme}://{host}:{target.port}{target.request_target}"


def _resolve(target: _Target, allowed_private: frozenset[str]) -> list[_Address]:
    if target.ip is not None:
        family = socket.AF_INET6 if target.ip.version == 6 else socket.AF_INET
        sockaddr: tuple = (
            (str(target.ip), target.port, 0, 0)
            if family == socket.AF_INET6
            else (str(target.ip), target.port)
        )
        addresses = [_Address(family, sockaddr, target.ip)]
    else:
        try:
            infos = socket.getaddrinfo(
                target.host, target.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        except (OSError, UnicodeError):
            raise FetchError("network", f"could not resolve the host {target.host}") from None
        addresses = []
        for family, _type, _proto, _name, sockaddr in infos:
            if family not in (socket.AF_INET, socket.AF_INET6):
                continue
            try:
                ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            except ValueError:
                raise FetchError(
                    "blocked_address", f"{target.host} resolves to an unparseable address"
                ) from None
            address = _Address(family, tuple(sockaddr), ip)
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise FetchError("network", f"the host {target.host} has no IPv4 or IPv6 address")
    if target.host_port in allowed_private:
        return addresses
    for address in addresses:
        kind = _blocked_kind(address.ip)
        if kind is not None:
            where = (
                f"{target.host} is not a public address ({kind})"
                if target.ip is not None
                else f"{target.host} resolves to {address.ip}, which is not a public address ({kind})"
            )
            raise FetchError("blocked_address", f"{where}; JobLand only downloads CVs from public servers")
    return addresses


# --------------------------------------------------------------------------------------------------
# One hop through net's client, pinned to the checked addresses
# --------------------------------------------------------------------------------------------------


def _get(
    client: HttpClient,
    target: _Target,
    addresses: list[_Address],
    *,
    timeout: float,
    deadline: float,
    retry: RetryPolicy,
) -> Response:
    """The hop's answer (status and headers; the body unread), tried again on what may pass."""
    try:
        return retry.call(
            lambda: _get_once(client, target, addresses, deadline), retry_if=_may_pass, deadline=deadline
        )
    except StatusError as error:
        raise FetchError(
            "http_status", f"the server answered HTTP {error.status} for {target.display}"
        ) from None
    except NetError as error:
        raise _network_error(error, target, timeout=timeout) from None


def _may_pass(error: BaseException) -> bool:
    """Retry what may pass, except a timeout: the whole download has one time budget."""
    return is_retryable(error) and not isinstance(error, TimedOut)


def _get_once(
    client: HttpClient,
    target: _Target,
    addresses: list[_Address],
    deadline: float,
    *,
    accept: str = _ACCEPT,
    encoding: str = "identity",
) -> Response:
    """GET from the first checked address that accepts a connection (never a fresh DNS lookup); the
    posting-page downloader asks for HTML, possibly compressed, through the same guard."""
    headers = {
        "Host": target.host_header,
        "Accept": accept,
        "Accept-Encoding": encoding,
        "Connection": "close",
    }
    refused: ConnectFailed | None = None
    for address in addresses:
        try:
            response = client.request(
                "GET",
                address.url(target),
                headers=headers,
                deadline=deadline,
                sni_hostname=target.host if target.scheme == "https" else None,
                stream=True,
            )
        except ConnectFailed as error:
            if not error.retryable:  # TLS: the server's certificate, not this address
                raise
            refused = error
            continue
        if is_retryable_status(response.status):
            response.close()
            raise status_error(response.status, response.headers)
        return response
    assert refused is not None, "_resolve returns at least one address"
    raise refused


def _network_error(error: NetError, target: _Target, *, timeout: float) -> FetchError:
    if isinstance(error, DeadlineExceeded):
        return FetchError(
            "timeout", f"downloading from {target.display} took longer than {_DEADLINE_FACTOR * timeout:g} s"
        )
    if isinstance(error, TimedOut):
        return FetchError("timeout", f"{target.display} did not answer within {timeout:g} s")
    if isinstance(error, TooLarge):
        return FetchError("too_large", f"{target.display} is larger than the limit of {error.limit} bytes")
    detail = error.reason if isinstance(error, NetworkError) else error.message
    return FetchError("network", f"could not download from {target.display}: {detail}")


# --------------------------------------------------------------------------------------------------
# The body: size, type and content checks
# --------------------------------------------------------------------------------------------------


def _read_file(response: Response, target: _Target, *, max_bytes: int, timeout: float) -> FetchedFile:
    raw_type = response.headers.get("Content-Type") or ""
    content_type = raw_type.split(";", 1)[0].strip().lower()
    if content_type and content_type not in ACCEPTED_CONTENT_TYPES:
        shown = (
            content_type
            if re.fullmatch(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+", content_type)
            else "invalid"
        )
        shown = shown[:80]
        raise FetchError(
            "bad_content_type",
            f"{target.display} is {shown}, not a CV document (PDF, DOCX, text or Markdown)",
        )

    declared = _content_length(response)
    if declared is not None and declared > max_bytes:
        raise FetchError(
            "too_large",
            f"{target.display} is {declared} bytes (Content-Length); the limit is {max_bytes} bytes",
        )
    try:
        body = response.read()  # counted against max_bytes while reading, under the deadline
    except NetError as error:
        raise _network_error(error, target, timeout=timeout) from None

    _check_content(body, content_type, target)
    return FetchedFile(
        url=target.url,
        file_name=_file_name(response, target),
        content_type=content_type,
        data=body,
    )


def _content_length(response: Response) -> int | None:
    if "chunked" in response.headers.get("Transfer-Encoding", "").lower():
        return None  # Content-Length does not count a chunked body; so we ignore it
    lengths = set()
    for value in response.headers.get_list("Content-Length"):
        for item in str(value).split(","):
            item = item.strip()
            if not item.isdigit():
                raise FetchError("network", "the server sent an invalid Content-Length header")
            lengths.add(int(item))
    if len(lengths) > 1:
        raise FetchError("network", "the server sent conflicting Content-Length headers")
    return lengths.pop() if lengths else None


def _detect_kind(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if _is_text(data):
        return "text"
    return None


def _is_html(data: bytes) -> bool:
    head = data[:1024].removeprefix(_UTF8_BOM).lstrip().lower()
    return head.startswith(_HTML_STARTS)


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    body = data.removeprefix(_UTF8_BOM)
    for encoding in ("utf-8", "gb18030", "cp1252"):
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:4096]
        controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
        return controls <= len(sample) // 10
    return False


def _check_content(data: bytes, content_type: str, target: _Target) -> None:
    if not data:
        raise FetchError("empty", f"{target.display} is empty")
    if _is_html(data):
        raise FetchError("content_mismatch", f"{target.display} is an HTML page, not a CV document")
    kind = _detect_kind(data)
    if kind is None:
        raise FetchError(
            "content_mismatch", f"{target.display} is not a PDF, DOCX or text file (judged by its bytes)"
        )
    expected = ACCEPTED_CONTENT_TYPES.get(content_type)
    if expected is not None and kind != expected:
        raise FetchError(
            "content_mismatch",
            f"{target.display} is declared as {content_type} but its bytes are {kind.upper()}",
        )


def _file_name(response: Response, target: _Target) -> str:
    candidates: list[str] = []
    disposition = Message()
    try:
        disposition["Content-Disposition"] = response.headers.get("Content-Disposition", "")
        disposition_name = disposition.get_filename()
    except (ValueError, LookupError, TypeError):
        disposition_name = None
    if disposition_name:
        candidates.append(str(disposition_name))
    segment = urlsplit(target.url).path.rsplit("/", 1)[-1]
    if segment:
        candidates.append(unquote(segment, errors="replace"))
    for candidate in candidates:
        name = sanitise_file_name(candidate)
        if name:
            return name
    return "cv"


def sanitise_file_name(name: str) -> str:
    """Basename only: no directories, drive letters, NUL or control characters, at most 100 characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ord(ch) >= 32 and ord(ch) != 127 and ch not in ':*?"<>|')
    name = name.strip().lstrip(".").strip()
    if len(name) > _MAX_FILE_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and 0 < len(ext) <= 10:
            name = stem[: _MAX_FILE_NAME - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:_MAX_FILE_NAME].rstrip()
    return name


def _remember_secrets(query: str, secrets: list[str]) -> None:
    """Note a query string (and its longer values, raw and decoded) so no message can repeat them."""
    if len(query) >= 3:
        secrets.append(query)
    for _key, value in parse_qsl(query, keep_blank_values=True):
        for form in (value, quote(value, safe="")):
            if len(form) >= 8:
                secrets.append(form)


def _scrub(message: str, secrets: list[str]) -> str:
    for secret in sorted(set(secrets), key=len, reverse=True):
        message = message.replace(secret, "…")
    return message
