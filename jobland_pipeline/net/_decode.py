"""Content-Encoding decoded in bounded steps, so a compression bomb is stopped by its decompressed size.

httpx's own decoders inflate each network read in one go: 64 KiB of gzip can become 64 MB before
anyone counts it. Here every read is inflated at most :data:`PIECE` bytes at a time
(``zlib.decompressobj().decompress(data, max_length)``), so the caller's size cap applies to the
decompressed bytes while they are produced, and memory stays within the cap plus one piece.

Only the encodings the client asks for (``Accept-Encoding: gzip, deflate``) are decoded, stacked as
the header lists them; any other (``br``, ``zstd``, ``compress``) is refused with
:class:`~jobland_pipeline.net.NetError` rather than passed on as bytes nobody can read.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

from ._exceptions import NetError

__all__ = ["ACCEPT_ENCODING", "PIECE", "decoded"]

ACCEPT_ENCODING = "gzip, deflate"
PIECE = 1 << 16  # decompressed bytes produced per step
_IDENTITY = frozenset({"", "identity"})


def encodings(header: str) -> list[str]:
    """The ``Content-Encoding`` codings in the order they were applied (identity left out)."""
    codings = [c.strip().lower() for c in header.split(",")]
    codings = [c for c in codings if c not in _IDENTITY]
    for coding in codings:
        if coding not in ("gzip", "x-gzip", "deflate"):
            shown = coding if coding.isascii() and len(coding) <= 20 else "unknown"
            raise NetError(f"unsupported content encoding {shown!r}", retryable=False)
    return codings


def decoded(chunks: Iterable[bytes], content_encoding: str) -> Iterator[bytes]:
    """The body's bytes with every listed coding undone, at most :data:`PIECE` bytes a step."""
    stream: Iterable[bytes] = chunks
    for coding in reversed(encodings(content_encoding)):
        stream = _inflate(stream, coding)
    return iter(stream)


def _inflate(chunks: Iterable[bytes], coding: str) -> Iterator[bytes]:
    inflater = _Inflater(coding)
    for chunk in chunks:
        yield from inflater.feed(chunk)
    yield from inflater.finish()


class _Inflater:
    """One zlib stream: gzip, or deflate with a zlib header or raw (servers send both as "deflate")."""

    def __init__(self, coding: str) -> None:
        self.coding = "gzip" if coding == "x-gzip" else coding
        wbits = zlib.MAX_WBITS | 16 if self.coding == "gzip" else zlib.MAX_WBITS
        self._obj = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not self._started and data:
            self._started = True
            if self.coding == "deflate" and not _has_zlib_header(data):
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        while data and not self._obj.eof:
            piece = self._step(data)
            data = self._obj.unconsumed_tail
            if not piece:
                break
            yield piece
        while not self._obj.eof:  # output still held back after the input was taken
            piece = self._step(b"")
            if not piece:
                break
            yield piece

    def finish(self) -> Iterator[bytes]:
        if not self._started:
            return
        try:
            rest = self._obj.flush(PIECE)
        except zlib.error:
            raise self._undecodable() from None
        if rest:
            yield rest

    def _step(self, data: bytes) -> bytes:
        try:
            return self._obj.decompress(data, PIECE)
        except zlib.error:
            raise self._undecodable() from None

    def _undecodable(self) -> NetError:
        return NetError(f"undecodable response body (bad {self.coding} data)", retryable=False)


def _has_zlib_header(data: bytes) -> bool:
    """RFC 1950: compression method 8 and a header checksum that divides by 31."""
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
