"""Lists as CVs write them: comma/semicolon/bullet separated items, with brackets kept whole.

"containment (trunking, tray, basket, conduit)" is one skill, "State of Illinois — Active, expires
05/2026" is one licence: splitting inside brackets, or splitting a credential line at its commas,
loses what the person wrote.
"""

from __future__ import annotations

import re

from jobland_pipeline.profiles.sections import strip_bullet

_SPLIT = re.compile(r"\s*(?:[,;，；、|•·]|\s{2,})\s*")
_SEMI = re.compile(r"\s*[;；|•·]\s*")
_GROUP_LABEL = re.compile(r"^([^:：]{1,30})[:：]\s+(?=\S)")


def protect_brackets(text: str, mark: str = "\ue000") -> str:
    """Separators inside (...) or （...） replaced by ``mark`` so a split leaves brackets whole."""
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch in "(（[":
            depth += 1
        elif ch in ")）]" and depth:
            depth -= 1
        out.append(mark if depth and ch in ",;，；、|" else ch)
    return "".join(out)


def _joined(lines: list[str]) -> list[str]:
    """A PDF wraps long list lines: a line that starts in lower case continues the one before it."""
    out: list[str] = []
    for line in lines:
        is_bullet, text = strip_bullet(line)
        if (
            out
            and not is_bullet
            and re.match(r"[a-z(]", text)
            and not out[-1].rstrip().endswith((",", ";", "，", "；", "、"))
        ):
            out[-1] = f"{out[-1].rstrip()} {text}"
        else:
            out.append(line)
    return out


def split_items(lines: list[str], *, keep_commas: bool = False) -> list[str]:
    """Items of a list section; "Group: a, b" gives a and b. ``keep_commas`` splits on ; | • only."""
    items: list[str] = []
    for line in _joined(lines):
        _, text = strip_bullet(line)
        label = _GROUP_LABEL.match(text)
        if label and not keep_commas:
            text = text[label.end() :]
        protected = protect_brackets(text)
        splitter = _SEMI if keep_commas else _SPLIT
        for part in splitter.split(protected):
            part = unprotect(part, text).strip(" .")
            if part:
                items.append(part)
    return list(dict.fromkeys(items))


def unprotect(part: str, source: str) -> str:
    """Put back the separators that were inside brackets, as the CV wrote them."""
    if "\ue000" not in part:
        return part
    pattern = re.escape(part).replace("\ue000", "[,;，；、|]")
    found = re.search(pattern, source)
    return found.group(0) if found else part.replace("\ue000", ",")


def list_lines(lines: list[str]) -> list[str]:
    """One item per bullet or line (credential lines keep their commas); wrapped lines joined."""
    items: list[str] = []
    marked = sum(1 for line in lines if strip_bullet(line)[0]) >= 2
    for line in lines:
        is_bullet, text = strip_bullet(line)
        if not text:
            continue
        # In a bulleted list an unmarked line continues the item above (a PDF wrapped it).
        if items and not is_bullet and (marked or _continues(items[-1], text)):
            joiner = (
                ""
                if re.search(r"[\u4e00-\u9fff]$", items[-1]) and re.match(r"[\u4e00-\u9fff]", text)
                else " "
            )
            items[-1] = f"{items[-1]}{joiner}{text}"
        else:
            items.append(text)
    return [repair_hyphenation(i) for i in items]


def _continues(previous: str, text: str) -> bool:
    """A wrapped line: the previous ends mid-phrase, or this one starts in lower case."""
    return previous.endswith(("-", ",", "(", "&", " and", " of")) or bool(re.match(r"[a-z(]", text))


_HYPHEN_BREAK = re.compile(r"\b(\w{2,})-\s+(?!(?:and|or|to|und|oder|et|ou|y|o|e|bis)\b)([a-z]{2,})")
_COMPOUND_HEADS = frozenset(
    [
        "self",
        "well",
        "non",
        "co",
        "re",
        "pre",
        "post",
        "multi",
        "cross",
        "full",
        "part",
        "long",
        "short",
        "high",
        "low",
        "hands",
        "up",
        "down",
        "day",
        "night",
        "real",
        "cost",
        "client",
        "customer",
        "user",
        "data",
        "cloud",
        "front",
        "back",
        "end",
        "full",
        "time",
        "first",
        "second",
        "third",
        "mid",
        "senior",
    ]
)


def repair_hyphenation(text: str) -> str:
    """Join words a PDF broke at a line end ("Con- sul" -> "Consul"); compounds keep their hyphen."""

    def join(m: re.Match[str]) -> str:
        if m.group(1).lower() in _COMPOUND_HEADS:
            return f"{m.group(1)}-{m.group(2)}"
        return m.group(1) + m.group(2)

    return _HYPHEN_BREAK.sub(join, text)
