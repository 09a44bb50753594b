"""Which addresses JobLand must never be sent to, and which redirects it may follow.

:func:`blocked_kind` says why an IP address is not public: loopback, private, link-local (the cloud
metadata service 169.254.169.254 named as such), multicast, reserved, unspecified, CGNAT, or an
IPv4-mapped / NAT64 / 6to4 / Teredo form of one of those. The CV downloader
(:mod:`jobland_pipeline.documents.fetch`) refuses such addresses on every hop; the API clients refuse
a redirect to one (:func:`redirect_refusal`).

A redirect of an API call is followed only when it stays on the API's host:

* the same origin (scheme, host and port): the endpoint that was configured, whatever its address
  (a local LLM server on 127.0.0.1 may redirect ``/v1/`` to ``/v1``);
* the same host on another scheme or port (``http`` -> ``https``), when every address the host
  resolves to is public;
* never from ``https`` to ``http`` (the key would travel in clear), never to another host (an API key
  header would travel with it), never to a non-public address, never to a URL with a user name or
  password or to a scheme other than http(s).

The host name is resolved for the check and again when the connection is made; as the name is the
API's own (the first request already went to it), a change between the two is the API's own DNS.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

__all__ = ["IPAddress", "blocked_kind", "host_port", "redirect_refusal", "resolve_kinds"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_METADATA = ipaddress.IPv4Address("169.254.169.254")
_LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".localdomain", ".home.arpa")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def blocked_kind(ip: IPAddress) -> str | None:
    """Why JobLand must not connect to ``ip`` (``None``: a public address)."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_kind(ip)
        if embedded is not None:
            return embedded or None
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip == _METADATA:
        return "link-local (cloud metadata)"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "shared (CGNAT)"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "non-public"
    return None


def _embedded_kind(ip: ipaddress.IPv6Address) -> str | None:
    """For an IPv6 form that carries an IPv4 address: the verdict on that address ("" = public).

    ``None`` when ``ip`` is none of those forms (or a 6to4/Teredo one whose inner addresses are
    public), so the plain IPv6 checks apply.
    """
    if ip.ipv4_mapped is not None:
        inner = blocked_kind(ip.ipv4_mapped)
        return f"IPv4-mapped {inner}" if inner else ""
    if ip in _NAT64_WELL_KNOWN:
        inner = blocked_kind(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        return f"NAT64 {inner}" if inner else ""
    if ip in _NAT64_LOCAL:
        return "local NAT64"
    tunnelled = [("6to4", ip.sixtofour)] if ip.sixtofour is not None else []
    tunnelled += [("Teredo", inner) for inner in ip.teredo or ()]
    for kind, inner_ip in tunnelled:
        inner = blocked_kind(inner_ip)
        if inner:
            return f"{kind} {inner}"
    return "site-local" if ip.is_site_local else None


def resolve_kinds(host: str, port: int) -> list[tuple[IPAddress, str | None]]:
    """Every address ``host`` resolves to, with :func:`blocked_kind` of each; raises OSError."""
    try:
        return [(literal := ipaddress.ip_address(host), blocked_kind(literal))]
    except ValueError:
        pass
    found: list[tuple[IPAddress, str | None]] = []
    for family, _type, _proto, _name, sockaddr in socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    ):
        if family in (socket.AF_INET, socket.AF_INET6):
            ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            if all(ip != seen for seen, _ in found):
                found.append((ip, blocked_kind(ip)))
    if not found:
        raise OSError(f"{host} has no IPv4 or IPv6 address")
    return found


def host_port(url: str) -> str:
    """``host:port`` of a URL, for messages (never its path or query)."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    shown = f"[{host}]" if ":" in host else host
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        port = None
    return f"{shown}:{port}" if port else shown


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower().rstrip("."), parts.port or _DEFAULT_PORTS.get(scheme)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _shape_refusal(target: str) -> str | None:
    """Why ``target`` cannot be followed whatever its address: scheme, credentials, port, host."""
    parts = urlsplit(target)
    where = host_port(target)
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        return "a redirect to a scheme other than http(s) is not followed"
    if "@" in parts.netloc:
        return f"a redirect to {where} with a user name or password is not followed"
    try:
        parts.port  # noqa: B018 - raises on an invalid port
    except ValueError:
        return "a redirect to an invalid port is not followed"
    if not parts.hostname:
        return "a redirect without a host is not followed"
    return None


def redirect_refusal(current: str, target: str) -> str | None:
    """Why the redirect from ``current`` to ``target`` must not be followed (``None``: follow it).

    See the module docstring for the rules; the reason names ``host:port`` only, never a path or query.
    """
    shape = _shape_refusal(target)
    if shape is not None:
        return shape
    here, there = _origin(current), _origin(target)
    if here == there:
        return None
    where = host_port(target)
    host = there[1]
    literal = _literal(host)
    kind = blocked_kind(literal) if literal is not None else None
    if kind is not None:
        return f"a redirect to {where} was refused: {kind} address, not a public one"
    if host == "localhost" or host.endswith(_LOCAL_NAMES):
        return f"a redirect to {where} was refused: a local host name"
    if here[0] == "https" and there[0] == "http":
        return f"a redirect from https to http ({where}) was refused"
    if host != here[1]:
        return f"a redirect to another host ({where}) is not followed"
    return _resolved_refusal(host, there[2] or 0, where)


def _resolved_refusal(host: str, port: int, where: str) -> str | None:
    """The same host on another scheme or port: followed only when it resolves to public addresses."""
    try:
        kinds = resolve_kinds(host, port)
    except (OSError, UnicodeError):
        return f"a redirect to {where} was refused: the host name could not be resolved"
    for ip, kind in kinds:
        if kind is not None:
            return f"a redirect to {where} was refused: {host} resolves to {ip}, {kind} address, not a public one"
    return None
