"""Text that was UTF-8 but was decoded as cp1252 or Latin-1 somewhere on its way ("Ã©" for "é",
"â€¢" for "•"), repaired: job boards send such text, and so do CVs exported by portals or saved by
tools that guessed the wrong encoding.
"""

from __future__ import annotations

import re

# A UTF-8 lead byte (0xC2-0xF4) read as Latin-1/cp1252, followed by continuation bytes (0x80-0xBF) read
# as Latin-1 (C1 controls) or cp1252 (the printable specials of 0x80-0x9F).
_CP1252_SPECIALS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_CONT = f"[\u0080-\u00bf{_CP1252_SPECIALS}]"
_MOJIBAKE_RUN = re.compile(f"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}")
_MOJIBAKE_MARK = re.compile(f"[ÂÃâ][\u0080-\u00bf{_CP1252_SPECIALS}]")


def _to_bytes(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        try:
            out.extend(ch.encode("cp1252"))
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return None
            out.append(ord(ch))  # C1 controls: the Latin-1 reading of 0x80-0x9F
    return bytes(out)


def _repair_run(match: re.Match[str]) -> str:
    raw = _to_bytes(match.group(0))
    if raw is None:
        return match.group(0)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return match.group(0)


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded as cp1252/Latin-1 ("Ã©" -> "é", "â€™" -> "’").

    The whole text is re-decoded when it round-trips (``encode("cp1252").decode("utf-8")``) and that
    reduces the mojibake marks; otherwise only the runs that look like mis-decoded UTF-8 sequences are
    repaired, so text that also holds genuine non-Latin characters keeps them intact.
    """
    if not text or not _MOJIBAKE_MARK.search(text):
        return text
    before = len(_MOJIBAKE_MARK.findall(text))
    raw = _to_bytes(text)
    if raw is not None:
        try:
            whole = raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if len(_MOJIBAKE_MARK.findall(whole)) < before:
                return whole
    repaired = _MOJIBAKE_RUN.sub(_repair_run, text)
    return repaired if len(_MOJIBAKE_MARK.findall(repaired)) < before else text
