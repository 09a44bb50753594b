"""Text helpers shared by tailoring, letters and grounding.

Two kinds of text meet here. The CV's text is the only source of facts about the person: it is
compared after :func:`normalise` (case and accents folded, dashes and quotes unified, whitespace
collapsed, words a PDF broke at a line end joined). A posting's text is data written by a stranger:
:func:`posting_plain` drops its HTML (comments and hidden elements included) and every paragraph
addressed to an automated screener or CV writer before anything reads it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

from jobland_pipeline.lexicon.instructions import remove_instructions, strip_hidden_html
from jobland_pipeline.lexicon.lang import detect_language
from jobland_pipeline.lexicon.tokens import fold
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.normalize import clean_description
from jobland_pipeline.postings.requirements import requirement_lines
from jobland_pipeline.profiles.items import repair_hyphenation

# A word broken at a line end ("Con- sul"); never a number ("2019- present") nor "design- and build".
_BREAK = re.compile(r"(?<![\w-])([^\W\d_]{2,})-\s+(?!(?:and|or|to|und|et|ou|y|o|e|et)\b)([a-z]{2,})")
_UNIFY = str.maketrans(
    {
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("‘’‛`´", "'"),
        **dict.fromkeys("“”„«»", '"'),
        "\u00a0": " ",
    }
)
_WS = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff\uff00-\uffef])\s+(?=[\u3400-\u9fff\uff00-\uffef])")
_TAG = re.compile(r"<!--.*?(?:-->|$)|<[A-Za-z/!?][^>]*>", re.S)


def repair(text: str | None) -> str:
    """``text`` with words broken at a line end joined ("Con- sul" -> "Consul"); '' for None."""
    if not text:
        return ""
    return _BREAK.sub(lambda m: repair_hyphenation(m.group(0)), text)


@lru_cache(maxsize=20_000)
def normalise(text: str) -> str:
    """Folded for comparison: hyphenation repaired, case and accents folded, whitespace collapsed."""
    unified = unicodedata.normalize("NFKC", repair(text)).translate(_UNIFY)
    # A line wrapped inside Chinese text ("风\n险管理") is one word: Chinese has no spaces to keep.
    unified = _CJK_GAP.sub("", unified)
    return _WS.sub(" ", fold(unified)).strip()


def _pattern(needle: str) -> re.Pattern[str]:
    pat = re.escape(needle)
    if re.match(r"[a-z0-9]", needle):
        pat = r"(?<![a-z0-9])" + pat
    if re.search(r"[a-z0-9]$", needle):
        pat += r"(?![a-z0-9])"
    return re.compile(pat)


@lru_cache(maxsize=50_000)
def _compiled(needle: str) -> re.Pattern[str]:
    return _pattern(needle)


def contains(haystack_normalised: str, text: str) -> bool:
    """Whether ``text`` occurs in an already normalised haystack (whole words for Latin letters)."""
    needle = normalise(text)
    if not needle:
        return True
    return _compiled(needle).search(haystack_normalised) is not None


def one_line(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def posting_plain(text: str | None) -> str:
    """Posting text as data: no HTML (comments, hidden elements, tags), no instructions to machines."""
    if not text:
        return ""
    visible = clean_description(strip_hidden_html(text))
    visible = _TAG.sub(" ", visible)  # anything clean_description left (a stray or unclosed tag)
    kept, _ = remove_instructions(visible)
    return kept.strip()


def posting_field(text: str | None) -> str:
    """A one-line posting field (title, company, location) as plain text."""
    cleaned = one_line(posting_plain(text))
    return cleaned or one_line(_TAG.sub(" ", clean_description(text or "")))


# What a job pays or offers (salary, benefits), in the languages letters are written in.
ABOUT_PAY = re.compile(
    r"\b(?:salary|salaries|wages?|bonus|pension|401\(k\)|holiday allowance|paid (?:holiday|leave|time off)|"
    r"health insurance|benefits package|salaire|rémunération|remuneration|mutuelle|tickets? restaurants?|"
    r"salario|sueldo|retribución|retribucion|seguro médico|seguro medico)\b"
    r"|(?:EUR|USD|GBP|CAD|AED|INR|CNY|RMB|[€$£¥])\s?\d|\d(?:[\d,.\s]*)\s?(?:EUR|USD|GBP|CAD|AED|INR|€|元|万)"
    r"|薪|福利|年假|五险|六险|奖金|补贴",
    re.I,
)


_OFFER = re.compile(
    r"^\s*(?:we\s+offer|what\s+we\s+offer|we\s+provide|you\s+will\s+get|nous\s+(?:offrons|proposons)|"
    r"ofrecemos|te\s+ofrecemos|wir\s+bieten|我们提供)\b",
    re.I,
)


@dataclass(frozen=True)
class PostingText:
    """What generation may read of a posting: plain text, with instructions to machines removed."""

    title: str
    company: str
    location: str
    description: str
    salary: str
    url: str

    @classmethod
    def of(cls, posting: Posting) -> PostingText:
        return cls(
            title=posting_field(posting.title),
            company=posting_field(posting.company),
            location=posting_field(posting.location),
            description=posting_plain(posting.description),
            salary=posting_field(posting.salary),
            url=one_line(posting.url),
        )

    @cached_property
    def requirements(self) -> list[str]:
        """The posting's requirement lines (its duty lines when it names none), in its own words, as the
        screening reads them: pay, benefits and hours sections are not requirements ("五险一金" is no keyword)."""
        lines, _ = requirement_lines(self.description)
        if not lines:
            lines = [x.strip(" -•*·\t") for x in self.description.split("\n") if len(x.strip()) > 15]
        out: list[str] = []
        for line in lines:
            line = one_line(line)
            if line.endswith((":", "：")) or ABOUT_PAY.search(line) or _OFFER.match(line):
                continue  # a heading, or what they pay: never something asked of the person
            if 3 < len(line) <= 400 and line not in out:
                out.append(line)
        return out

    @cached_property
    def language(self) -> str:
        return detect_language(f"{self.title}\n{self.description}")

    @property
    def full(self) -> str:
        return "\n".join(x for x in (self.title, self.company, self.location, self.description) if x)
