"""Every fact in a generated document must occur in the CV's own text; anything else is an invention.

The check reads the CV's literal text (normalised: case and accents folded, whitespace collapsed,
words broken at a line end joined), never a vocabulary of aliases: "K8s" on a CV grounds "K8s", not
"Kubernetes".

A tailored CV is checked item by item: contact details, headline, every role (title, employer,
place, dates), skills, education, certifications, languages, projects, awards, publications and the
other sections must occur in the CV text. A bullet may be the CV's own or a re-wording of one (an
LLM tailor's): then it must share enough words with a source bullet of the same role, and every
number, proper noun and rare term it states must be in the CV.

Any other text (cover letter, cheat sheet) is checked claim by claim: numbers, years, dates,
e-mail addresses, URLs, proper nouns, acronyms and CamelCase tool names, capitalised multi-word
names, company names (Chinese: ...公司, ...大学), years of experience and proficiency words. Company
facts may come from the posting's title/company/location and the dossier; the person's own facts
only from the CV. "N years" needs the CV to state that number of years itself, and "fluent",
"expert", "certified"... need the CV to use the word.

Every check is a :class:`Claim` (what, where, passed or not and why); :func:`report` turns them into
the machine-readable ``grounding_report.json``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from jobland_pipeline.generation.tailor import TailoredCV
from jobland_pipeline.generation.text import contains, normalise, repair
from jobland_pipeline.lexicon.idf import idf
from jobland_pipeline.lexicon.tokens import STOPWORDS, fold, tokens
from jobland_pipeline.profiles.models import Contact, Profile, Role

MIN_OVERLAP = 0.35  # share of a re-worded bullet's words that a source bullet must share
RARE_IDF = 6.5  # a word this rare in job texts (a tool, a name) must be in the CV to be stated

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"'“”«»]+", re.I)
_DATE = re.compile(
    r"(?<![\w/.-])(?:\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}-\d{1,2}(?:-\d{1,2})?|\d{1,2}/\d{4})(?![\w/-])"
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A number claim, with its "K"/"M" when it has one ("2.5K GitHub stars" is 2.5, never a bare "2").
_CLAIM_NUMBER = re.compile(
    r"(?<![A-Za-z\u00c0-\u024f0-9.,])(\d+(?:[.,]\d+)*)(?:[kKmM]\+?)?(?![A-Za-z\u00c0-\u024f0-9]|[.,]\d)"
)
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f][0-9A-Za-z\u00c0-\u024f'’+#&./-]*")
_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CONNECTORS = frozenset(
    [
        "of",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "del",
        "and",
        "&",
        "y",
        "et",
        "the",
        "van",
        "der",
        "von",
        "für",
        "di",
        "da",
        "do",
    ]
)
_PRONOUNS = frozenset({"I", "I'm", "I’m", "I've", "I’ve", "I'd", "I’d", "I'll", "I’ll"})
_SENTENCE_END = tuple(".!?:;—–-|·•")
_QUOTE = re.compile(r"“([^”]{2,})”|«\s*([^»]{2,}?)\s*»|\"([^\"]{2,})\"|「([^」]{2,})」|『([^』]{2,})』")

_NUMBER_WORDS: dict[str, int] = {
    **{
        w: i + 1
        for i, w in enumerate(
            [
                "one",
                "two",
                "three",
                "four",
                "five",
                "six",
                "seven",
                "eight",
                "nine",
                "ten",
                "eleven",
                "twelve",
                "thirteen",
                "fourteen",
                "fifteen",
                "sixteen",
                "seventeen",
                "eighteen",
                "nineteen",
                "twenty",
            ]
        )
    },
    "thirty": 30,
    "forty": 40,
    **{
        w: i + 1
        for i, w in enumerate(
            [
                "un",
                "deux",
                "trois",
                "quatre",
                "cinq",
                "six",
                "sept",
                "huit",
                "neuf",
                "dix",
                "onze",
                "douze",
                "treize",
                "quatorze",
                "quinze",
                "seize",
                "dix-sept",
                "dix-huit",
                "dix-neuf",
                "vingt",
            ]
        )
    },
    "une": 1,
    "trente": 30,
    **{
        w: i + 1
        for i, w in enumerate(
            [
                "uno",
                "dos",
                "tres",
                "cuatro",
                "cinco",
                "seis",
                "siete",
                "ocho",
                "nueve",
                "diez",
                "once",
                "doce",
                "trece",
                "catorce",
                "quince",
                "dieciseis",
                "diecisiete",
                "dieciocho",
                "diecinueve",
                "veinte",
            ]
        )
    },
    "una": 1,
    "treinta": 30,
}
_YEARS = re.compile(
    r"(?<![\w.,-])("
    + "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))
    + r"|\d{1,2}(?:[.,]\d)?)\s*(?:\+\s*)?(?:-\s*)?(?:years?|yrs?|ans|an|anos?|jahre?n?)(?![\w])"
)
_HAN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_YEARS_ZH = re.compile(
    r"(?<![0-9.一二两三四五六七八九十])([0-9]{1,2}(?:\.[0-9])?|[一二两三四五六七八九十]{1,3})\s*(?:多|余)?\s*年(?![月级度底初末代内])"
)
PROFICIENCY = frozenset(
    [
        "proficient",
        "proficiency",
        "expert",
        "experts",
        "expertise",
        "fluent",
        "fluently",
        "fluency",
        "certified",
        "mastery",
        "native",
        "bilingual",
        "experte",
        "courant",
        "couramment",
        "bilingue",
        "maitrise",
        "maitriser",
        "confirme",
        "confirmee",
        "certifie",
        "certifiee",
        "natif",
        "experto",
        "experta",
        "fluido",
        "fluida",
        "dominio",
        "certificado",
        "certificada",
        "nativo",
        "nativa",
        "competente",
    ]
)
PROFICIENCY_ZH = ("精通", "熟练", "流利", "专家", "母语", "认证")
_ORG_ZH = re.compile(
    r"([\u4e00-\u9fff()（）]{2,16}?)(有限责任公司|股份有限公司|有限公司|律师事务所|事务所|公司|集团|大学|学院|医院|银行|研究院|研究所)"
)
_ORG_ZH_GENERIC = frozenset("贵本该我其此各这那某")


class Claim(BaseModel):
    """One checked statement: what it is, where it stands, whether the sources ground it, and why."""

    kind: str
    text: str
    ok: bool
    why: str
    where: str = ""

    def message(self) -> str:
        place = f" ({self.where})" if self.where else ""
        return f"{self.kind} {self.why}: {self.text}{place}"


# --- sources -------------------------------------------------------------------------------------


def _numbers(text: str) -> set[str]:
    out: set[str] = set()
    for n in _NUMBER.findall(text):
        out.add(n.replace(",", "") if _THOUSANDS.match(n) else n)
        out.add(re.sub(r"[.,]", "", n))
    return out


def _number_key(n: str) -> str:
    return n.replace(",", "") if _THOUSANDS.match(n) else n


def _han_number(text: str) -> float | None:
    if re.fullmatch(r"\d{1,2}(?:[.,]\d)?", text):
        return float(text.replace(",", "."))
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = _HAN_DIGITS.get(head, 1) if head else 1
        return tens * 10 + (_HAN_DIGITS.get(tail, 0) if tail else 0)
    return _HAN_DIGITS.get(text) if len(text) == 1 else None


def years_stated(text: str) -> set[float]:
    """Every number of years a text states ("thirteen years", "Treize ans", "八年", "four-year")."""
    values: set[float] = set()
    for m in _YEARS.finditer(fold(text)):
        if (value := _NUMBER_WORDS.get(m.group(1)) or _han_number(m.group(1))) is not None:
            values.add(value)
    for m in _YEARS_ZH.finditer(text):
        if (value := _han_number(m.group(1))) is not None:
            values.add(value)
    return values


@dataclass
class Source:
    """A text claims may come from, prepared once."""

    name: str
    text: str

    @cached_property
    def norm(self) -> str:
        return normalise(self.text)

    @cached_property
    def numbers(self) -> set[str]:
        return _numbers(normalise(self.text))

    @cached_property
    def words(self) -> set[str]:
        return {w.strip(".-/'’") for w in _WORD.findall(self.norm)}

    @cached_property
    def tokens(self) -> set[str]:
        return set(tokens(repair(self.text)))

    @cached_property
    def years(self) -> set[float]:
        return years_stated(normalise(self.text))

    def has(self, text: str) -> bool:
        return contains(self.norm, text)


@dataclass
class Sources:
    """The CV (facts about the person) and context (posting, dossier, the template's own words)."""

    cv: Source
    context: list[Source] = field(default_factory=list)
    # Names a text repeats word for word (the posting's title, the employer): a quote, not a claim.
    # "...Onsite in Albania - 2 years, plus 3 months training" is the job's name, not the person's years.
    names: list[Source] = field(default_factory=list)
    # The user's own stories (stories.md): their facts are the person's, like the CV's.
    stories: list[Source] = field(default_factory=list)
    # The name and e-mail the profile holds (the CV's, or what the user wrote in settings.yaml
    # instead): they ground that name and that address only, never a word or number inside them.
    contact: Contact = field(default_factory=Contact)

    @property
    def own(self) -> list[Source]:
        """What may state facts about the person: the CV, then the user's stories."""
        return [self.cv, *self.stories]

    def is_contact_email(self, text: str) -> bool:
        return bool(self.contact.email) and text.casefold() == str(self.contact.email).casefold()

    def in_contact_name(self, text: str) -> bool:
        """Words of the person's name as the profile holds it ("M. Ruiz" of "Ana M. Ruiz")."""
        return self._contact_name is not None and self._contact_name.has(text)

    @cached_property
    def _contact_name(self) -> Source | None:
        return Source(CONTACT_SOURCE, self.contact.name) if self.contact.name else None

    @property
    def all(self) -> list[Source]:
        return [*self.own, *self.context]

    def own_source(self, text: str) -> Source | None:
        return next((s for s in self.own if s.has(text)), None)

    def find(self, text: str) -> Source | None:
        return next((s for s in self.all if s.has(text)), None)


def sources(
    cv_text: str,
    context: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
    stories: str = "",
    contact: Contact | None = None,
) -> Sources:
    return Sources(
        cv=Source("the CV", cv_text),
        context=[Source(k, v) for k, v in (context or {}).items() if v],
        names=[Source(k, v) for k, v in (names or {}).items() if v and len(v.strip()) >= 4],
        stories=[Source("the user's stories", stories)] if stories.strip() else [],
        contact=contact or Contact(),
    )


CONTACT_SOURCE = "your contact details"


# --- claims in free text -------------------------------------------------------------------------


def _sentence_initial(line: str, start: int) -> bool:
    before = line[:start].rstrip()
    before = before.rstrip("*#>•·\"“”«»'‘’([_` ")
    return not before or before.endswith(_SENTENCE_END)


def _is_tool(word: str) -> bool:
    letters = _LETTER.findall(word)
    if not letters or len(word) < 2:
        return False
    if any(ch.isupper() for ch in word[1:]):  # ICU, CargoWise, iOS
        return True
    if any(ch.isdigit() for ch in word):
        return True
    return bool(re.search(r"[A-Za-z][+#]|[A-Za-z]/[A-Za-z]", word))


def _joins(gap: str, previous: str) -> bool:
    """Whether two name-like words separated by ``gap`` belong to one name ("St. Jude", "R & D")."""
    return gap.strip() in {"", "-", "—", "–", "&", "/"} or (gap.strip() == "." and len(previous) <= 3)


def _spans(line: str) -> Iterable[tuple[int, int, list[tuple[int, int, str]]]]:
    """Runs of capitalised or tool-like words (connectors allowed inside) in one line."""
    run: list[tuple[int, int, str]] = []
    for m in _WORD.finditer(line):
        word = m.group(0).rstrip(".,-/'’&")
        if not word:
            continue
        if run and not _joins(line[run[-1][1] : m.start()], run[-1][2]):
            yield from _close(run)
            run = []
        name_like = (
            word[0].isupper() or (_is_tool(word) and not word[0].isdigit())
        ) and word not in _PRONOUNS
        if name_like or (run and word.lower() in _CONNECTORS):
            run.append((m.start(), m.start() + len(word), word))
        else:
            yield from _close(run)
            run = []
    yield from _close(run)


def _close(run: list[tuple[int, int, str]]) -> Iterable[tuple[int, int, list[tuple[int, int, str]]]]:
    while run and run[-1][2].lower() in _CONNECTORS:
        run = run[:-1]
    if run:
        yield run[0][0], run[-1][1], run


def _without_sentence_start(line: str, run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A capital that starts a sentence is no name (a tool name is still one): drop such words, and the
    connectors after them, from the start of a run."""
    while run and _sentence_initial(line, run[0][0]) and not _is_tool(run[0][2]):
        run = run[1:]
        while run and run[0][2].lower() in _CONNECTORS:
            run = run[1:]
    return run


def _name_claims(line: str) -> Iterable[tuple[int, int, str, list[str]]]:
    """(start, end, surface, words) of names, acronyms and tool names stated in one line."""
    for _, _, found in _spans(line):
        run = _without_sentence_start(line, found)
        if not run:
            continue
        caps = [w for _, _, w in run if w.lower() not in _CONNECTORS]
        if len(caps) == 1 and not _is_tool(caps[0]) and len(caps[0]) < 2:
            continue
        yield run[0][0], run[-1][1], line[run[0][0] : run[-1][1]], [w for _, _, w in run]


def _unknown_words(surface: str, words: list[str], src: Sources) -> list[str]:
    """Words of a name no source phrase covers (the longest phrases are tried first)."""
    unknown: list[str] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            phrase = " ".join(words[i:j])
            if (
                src.find(phrase)
                or (j - i > 1 and src.find(_phrase(surface, words, i, j)))
                or src.in_contact_name(phrase)
            ):
                i = j
                break
        else:
            if words[i].lower() not in _CONNECTORS:
                unknown.append(words[i])
            i += 1
    return unknown


def _phrase(surface: str, words: list[str], i: int, j: int) -> str:
    start = surface.find(words[i])
    end = surface.find(words[j - 1], max(start, 0)) + len(words[j - 1])
    return surface[start:end] if start >= 0 and end > start else " ".join(words[i:j])


def _quoted(text: str, src: Sources) -> list[tuple[int, int, str]]:
    """Quoted passages that quote a source literally: (start, end, source name)."""
    out: list[tuple[int, int, str]] = []
    for m in _QUOTE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        found = src.find(inner.strip(" .…"))
        if found is not None:
            out.append((m.start(), m.end(), found.name))
    for name in src.names:
        phrase = name.text.strip()
        start = text.find(phrase)
        while start >= 0:
            out.append((start, start + len(phrase), name.name))
            start = text.find(phrase, start + len(phrase))
    return out


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with every match of ``pattern`` replaced by spaces (positions are kept)."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _bare_url(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.I).rstrip("/")


class _TextCheck:
    """The claims of one generated text, in the order :func:`check_text` finds them."""

    def __init__(self, text: str, src: Sources, document: str, person: bool) -> None:
        self.src = src
        self.document = document
        self.person = person
        self.quotes = _quoted(text, src)
        self.claims: list[Claim] = []

    def quoted(self, pos: int) -> str | None:
        """The source a quoted passage covering ``pos`` quotes, if any."""
        return next((name for a, b, name in self.quotes if a <= pos < b), None)

    def add(self, kind: str, surface: str, ok: bool, why: str) -> None:
        self.claims.append(Claim(kind=kind, text=surface, ok=ok, why=why, where=self.document))

    def grounded(self, kind: str, surface: str, pos: int, found: Source | None) -> None:
        """In a source, or quoted from one; else not in the CV."""
        if found is not None:
            self.add(kind, surface, True, f"in {found.name}")
        elif name := self.quoted(pos):
            self.add(kind, surface, True, f"quoted from {name}")
        else:
            self.add(kind, surface, False, "not in the CV")

    def contacts(self, text: str) -> str:
        """E-mail addresses (the CV's only) and URLs; returns the text with them blanked."""
        masked = text
        for m in _EMAIL.finditer(masked):
            surface = m.group(0).rstrip(".,;:)")
            found = self.src.own_source(surface)
            if found is None and self.src.is_contact_email(surface):
                self.add("e-mail", surface, True, CONTACT_SOURCE)
                continue
            self.add("e-mail", surface, found is not None, f"in {found.name}" if found else "not in the CV")
        masked = _blank(masked, _EMAIL)
        for m in _URL.finditer(masked):
            surface = m.group(0).rstrip(".,;:)")
            self.grounded("URL", surface, m.start(), self.src.find(_bare_url(surface)))
        return _blank(masked, _URL)

    def years(self, masked: str, folded: str) -> str:
        """Years of experience ("8 years", "八年"); returns the text with them blanked, so that their
        number is checked as such and not again as a number."""
        spans: list[tuple[int, int]] = []
        for pattern, source_text in ((_YEARS, folded), (_YEARS_ZH, masked)):
            for m in pattern.finditer(source_text):
                spans.append((m.start(), m.end()))
                self._years_claim(masked[m.start() : m.end()], m.group(1), m.start())
        for a, b in spans:
            masked = masked[:a] + " " * (b - a) + masked[b:]
        return masked

    def _years_claim(self, surface: str, number: str, pos: int) -> None:
        value = _NUMBER_WORDS.get(number) or _han_number(number)
        if value in self.src.cv.years:
            self.add("years of experience", surface, True, "the CV states this number of years")
        elif any(value in s.years for s in self.src.stories):
            self.add("years of experience", surface, True, "the user's stories state this number of years")
        elif name := self.quoted(pos):
            self.add("years of experience", surface, True, f"quoted from {name}")
        elif not self.person and (found := self.src.find(surface)):
            self.add("years of experience", surface, True, f"in {found.name}")
        else:
            self.add("years of experience", surface, False, "not stated by the CV")

    def proficiency_words(self, masked: str, folded: str) -> None:
        for m in re.finditer(r"[^\W\d_]+", folded):
            if m.group(0) in PROFICIENCY:
                self.proficiency(m.group(0), m.start(), folded)
        for word in PROFICIENCY_ZH:
            for m in re.finditer(word, masked):
                self.proficiency(word, m.start(), masked)

    def proficiency(self, word: str, pos: int, text: str) -> None:
        """A proficiency word is the CV's when the CV uses it about the same thing (a word nearby)."""
        reach = 8 if word in PROFICIENCY_ZH else 30
        near = set(
            tokens(text[max(0, pos - reach) : pos] + " " + text[pos + len(word) : pos + len(word) + reach])
        )
        near -= set(tokens(word))
        cv_lines = [line for s in self.src.own for line in s.text.split("\n") if word in _fold_aligned(line)]
        about = set().union(*(set(tokens(line)) for line in cv_lines)) if cv_lines else set()
        if cv_lines and (not near or near & about):
            self.add("proficiency", word, True, "the CV uses this word about it")
        elif name := self.quoted(pos):
            self.add("proficiency", word, True, f"quoted from {name}")
        elif not self.person and (found := self.src.find(word)):
            self.add("proficiency", word, True, f"in {found.name}")
        elif cv_lines:
            self.add("proficiency", word, False, "the CV does not use this word about it")
        else:
            self.add("proficiency", word, False, "not a word the CV uses")

    def dates(self, masked: str) -> str:
        """Dates: in a source, or made of numbers the sources have; returns the text with them blanked."""
        for m in _DATE.finditer(masked):
            found = self.src.find(m.group(0))
            if found is None and all(
                _number_key(n) in _all_numbers(self.src) for n in _NUMBER.findall(m.group(0))
            ):
                found = self.src.cv
            self.grounded("date", m.group(0), m.start(), found)
        return _blank(masked, _DATE)

    def numbers(self, masked: str) -> None:
        for m in _CLAIM_NUMBER.finditer(masked):
            n = _number_key(unicodedata.normalize("NFKC", m.group(1)))
            kind = "year" if re.fullmatch(r"(?:19|20)\d\d", n) else "number"
            found = next(
                (s for s in self.src.all if n in s.numbers or re.sub(r"[.,]", "", n) in s.numbers), None
            )
            self.grounded(kind, m.group(0), m.start(), found)

    def names(self, masked: str) -> None:
        offset = 0
        for line in masked.split("\n"):
            for start, _, surface, words in _name_claims(line):
                self._name(surface, words, offset + start)
            offset += len(line) + 1

    def _name(self, surface: str, words: list[str], pos: int) -> None:
        unknown = _unknown_words(surface, words, self.src)
        if not unknown:
            found = self.src.find(surface)
            self.add("name", surface, True, f"in {found.name}" if found else "every word in the sources")
        elif name := self.quoted(pos):
            self.add("name", surface, True, f"quoted from {name}")
        else:
            self.add("name", surface, False, f"not in the CV ({', '.join(unknown)})")

    def organisations(self, masked: str) -> None:
        """Chinese organisation names (...公司, ...大学): their last two characters and the suffix."""
        for m in _ORG_ZH.finditer(masked):
            head, suffix = m.group(1), m.group(2)
            if head[-1] in _ORG_ZH_GENERIC:
                continue
            self.grounded("organisation", head + suffix, m.start(), self.src.find(head[-2:] + suffix))


def check_text(text: str, src: Sources, *, document: str = "", person: bool = True) -> list[Claim]:
    """Every claim a generated text makes, checked against the sources.

    ``person``: years of experience and proficiency words are about the person (a letter, a CV), so
    they must be the CV's own; otherwise (a cheat sheet quoting the posting) any source grounds them.
    """
    check = _TextCheck(text, src, document, person)
    masked = check.contacts(text)
    folded = _fold_aligned(masked)
    masked = check.years(masked, folded)
    check.proficiency_words(masked, folded)
    masked = check.dates(masked)
    check.numbers(masked)
    check.names(masked)
    check.organisations(masked)
    return check.claims


def _all_numbers(src: Sources) -> set[str]:
    return set().union(*(s.numbers for s in src.all))


def _fold_aligned(text: str) -> str:
    """``fold`` character by character, so positions still match the original text."""
    return "".join(f if len(f := fold(ch)) == 1 else ch.lower() for ch in text)


# --- the tailored CV -----------------------------------------------------------------------------


def _overlap(a: str, b: str) -> float:
    ta, tb = set(tokens(a)), set(tokens(b))
    return len(ta & tb) / max(1, min(len(ta), len(tb)))


def _rare_terms(text: str, src: Sources) -> list[str]:
    """Rare words (tools, names written in lower case) a re-worded text adds to the CV."""
    out: list[str] = []
    for m in re.finditer(r"[A-Za-z\u00c0-\u024f][\w+#.-]*[\w+#]", text):
        word = m.group(0)
        toks = tokens(word)
        if len(toks) != 1 or len(toks[0]) < 4 or toks[0] in STOPWORDS or toks[0] in src.cv.tokens:
            continue
        if idf(toks[0]) >= RARE_IDF and not src.find(word):
            out.append(word)
    return out


def _claims_of_reworded(text: str, src: Sources, where: str) -> list[Claim]:
    """Numbers, names and rare terms of a re-worded text: only the failures, one per term."""
    failures = [c for c in check_text(text, src, document=where) if not c.ok]
    named = {normalise(w) for c in failures if c.kind == "name" for w in re.split(r"\s+", c.text)}
    for word in _rare_terms(text, src):
        if normalise(word) not in named:
            failures.append(Claim(kind="term", text=word, ok=False, why="not in the CV", where=where))
    return failures


@dataclass
class _Checker:
    cv: TailoredCV
    profile: Profile
    src: Sources
    claims: list[Claim] = field(default_factory=list)

    def literal(self, kind: str, text: str | None, where: str, *, fallback: Sequence[str] = ()) -> bool:
        """``text`` occurs in the CV text (or, as the profile extractor read it, all its words do)."""
        if not text or not text.strip():
            return True
        if self.src.cv.has(text):
            self.claims.append(Claim(kind=kind, text=text, ok=True, why="in the CV", where=where))
            return True
        norm = normalise(text)
        if any(normalise(f) == norm for f in fallback):
            toks = set(tokens(repair(text)))
            failures = [c for c in check_text(text, self.src, document=where) if not c.ok]
            if toks <= self.src.cv.tokens and not failures:
                self.claims.append(
                    Claim(kind=kind, text=text, ok=True, why="every word in the CV (as read)", where=where)
                )
                return True
        self.claims.append(Claim(kind=kind, text=text, ok=False, why="not in the CV", where=where))
        return False

    def traced(self, kind: str, text: str, sources_: list[str], where: str, owner: str) -> None:
        """A text that is the CV's own, or a re-wording of one of ``sources_`` adding no fact."""
        if self.src.cv.has(text):
            self.claims.append(Claim(kind=kind, text=text, ok=True, why="in the CV", where=where))
            return
        best = max((_overlap(text, s) for s in sources_), default=0.0)
        if best < MIN_OVERLAP:
            self.claims.append(
                Claim(kind=kind, text=text, ok=False, why=f"not traceable to {owner} on the CV", where=where)
            )
            return
        failures = _claims_of_reworded(text, self.src, where)
        if failures:
            self.claims.extend(
                c.model_copy(update={"text": f"{c.text} in {text!r}", "kind": c.kind}) for c in failures
            )
        else:
            self.claims.append(
                Claim(
                    kind=kind,
                    text=text,
                    ok=True,
                    why=f"re-worded from {owner} ({best:.0%} shared)",
                    where=where,
                )
            )

    def role(self, i: int, role: Role) -> None:
        where = f"roles[{i}]"
        key = (normalise(role.title), normalise(role.employer or ""))
        source = next(
            (r for r in self.profile.roles if (normalise(r.title), normalise(r.employer or "")) == key), None
        )
        label = f"{role.title} at {role.employer}" if role.employer else role.title
        if source is None:
            self.claims.append(self._unknown_role(role, label, where))
            return
        self.literal("role", role.title, f"{where}.title", fallback=[source.title])
        self.literal("employer", role.employer, f"{where}.employer", fallback=[source.employer or ""])
        self.literal("location", role.location, f"{where}.location", fallback=[source.location or ""])
        self._dates(role, source, label, where)
        for j, bullet in enumerate(role.bullets):
            self.traced("bullet", bullet, source.bullets, f"{where}.bullets[{j}]", f"a bullet of {label}")

    def _unknown_role(self, role: Role, label: str, where: str) -> Claim:
        """A role that is none of the profile's: its employer or title is not the CV's, or the pair is."""
        if role.employer and not self.src.cv.has(role.employer):
            why, text = "not in the CV", f"{role.employer} (role {role.title})"
            kind = "employer"
        elif not self.src.cv.has(role.title):
            why, text, kind = "not in the CV", label, "role"
        else:
            why, text, kind = "not a role on the CV", label, "role"
        span = role.dates_text or f"{role.start or '?'}–{role.end or 'now'}"
        dates = f" ({span})"
        return Claim(kind=kind, text=text + dates, ok=False, why=why, where=where)

    def _dates(self, role: Role, source: Role, label: str, where: str) -> None:
        """The role's dates are the source role's, written as the CV writes them."""
        if (role.start, role.end) != (source.start, source.end) or (
            role.dates_text and not self.src.cv.has(role.dates_text)
        ):
            self.claims.append(
                Claim(
                    kind="dates",
                    text=f"{role.dates_text or role.start}–{role.end or 'now'} ({label})",
                    ok=False,
                    why="not the CV's dates",
                    where=f"{where}.dates",
                )
            )
        elif role.dates_text or role.start:
            self.claims.append(
                Claim(
                    kind="dates",
                    text=role.dates_text or str(role.start),
                    ok=True,
                    why="in the CV",
                    where=where,
                )
            )

    def _contact(self) -> None:
        """Name, e-mail, phone (its digits suffice) and location, then the links."""
        cv, profile = self.cv, self.profile
        for key in ("name", "email", "phone", "location"):
            value = getattr(cv.contact, key)
            if key in ("name", "email") and value and not self.src.cv.has(value):
                # The profile's own (settings.yaml may set them); the tailoring copies, never writes them.
                settings_value = getattr(self.src.contact, key)
                if settings_value and normalise(value) == normalise(settings_value):
                    self.claims.append(
                        Claim(kind="contact", text=value, ok=True, why=CONTACT_SOURCE, where=key)
                    )
                    continue
            if key == "phone" and value and not self.src.cv.has(value):
                digits = re.sub(r"\D", "", value)
                ok = bool(digits) and digits in re.sub(r"\D", "", self.src.cv.text)
                self.claims.append(
                    Claim(
                        kind="contact",
                        text=value,
                        ok=ok,
                        why="in the CV" if ok else "not in the CV",
                        where="phone",
                    )
                )
                continue
            self.literal("contact", value, f"contact.{key}", fallback=[getattr(profile.contact, key) or ""])
        for link in cv.contact.links:
            bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", link, flags=re.I).rstrip("/")
            self.literal("link", bare, "contact.links")

    def _headline(self) -> None:
        """The CV's headline or one of its titles, or a re-wording of one."""
        cv, profile = self.cv, self.profile
        if cv.headline and not self.src.cv.has(cv.headline):
            role_titles = [r.title for r in profile.roles]
            if any(normalise(cv.headline) == normalise(t) for t in [*role_titles, profile.headline or ""]):
                self.literal(
                    "headline", cv.headline, "headline", fallback=[*role_titles, profile.headline or ""]
                )
            else:
                self.traced(
                    "headline", cv.headline, [profile.headline or "", *role_titles], "headline", "a title"
                )
        elif cv.headline:
            self.literal("headline", cv.headline, "headline")

    def _lists(self) -> None:
        """Certifications, languages, awards, publications and the other sections, item by item."""
        cv, profile = self.cv, self.profile
        groups: list[tuple[str, list[str], list[str]]] = [
            ("certification", cv.certifications, profile.certifications),
            ("language", cv.languages, profile.languages),
            ("award", cv.awards, profile.awards),
            ("publication", cv.publications, profile.publications),
        ]
        for name, items in cv.other_sections.items():
            groups.append((name.replace("_", " "), items, profile.other_sections.get(name, [])))
        for kind, items, source in groups:
            for i, item in enumerate(items):
                self.literal(kind, item, f"{kind}[{i}]", fallback=source)

    def _projects(self) -> None:
        """Project titles; their bullets against the same project's (or any project's) bullets."""
        profile = self.profile
        by_title = {normalise(p.title): p for p in profile.projects}
        for i, project in enumerate(self.cv.projects):
            source_project = by_title.get(normalise(project.title))
            if source_project is None:
                self.literal("project", project.title, f"projects[{i}]")
                bullets = [b for p in profile.projects for b in p.bullets]
            else:
                self.literal("project", project.title, f"projects[{i}]", fallback=[source_project.title])
                bullets = source_project.bullets
            for j, bullet in enumerate(project.bullets):
                self.traced(
                    "bullet", bullet, bullets, f"projects[{i}].bullets[{j}]", f"project {project.title}"
                )

    def run(self) -> list[Claim]:
        cv, profile = self.cv, self.profile
        self._contact()
        self._headline()
        if cv.summary:
            self.traced("summary", cv.summary, [profile.summary or ""], "summary", "the summary")
        for i, skill in enumerate(cv.skills):
            self.literal("skill", skill, f"skills[{i}]", fallback=[*profile.skills, *profile.skills_listed])
        for i, role in enumerate(cv.roles):
            self.role(i, role)
        for i, edu in enumerate(cv.education):
            self.literal(
                "education", edu.text, f"education[{i}]", fallback=[e.text for e in profile.education]
            )
        self._lists()
        self._projects()
        return self.claims


def cv_claims(cv: TailoredCV, profile: Profile, cv_text: str) -> list[Claim]:
    """Every item of a tailored CV, checked against the CV's literal text (and the profile's roles)."""
    return _Checker(cv, profile, sources(cv_text, contact=profile.contact)).run()


def check_grounding(cv: TailoredCV, profile: Profile, cv_text: str) -> list[str]:
    """One message per ungrounded fact of a tailored CV (empty list = grounded)."""
    return [c.message() for c in cv_claims(cv, profile, cv_text) if not c.ok]


def check_document(
    text: str,
    cv_text: str,
    *,
    context: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
    document: str = "",
    person: bool = True,
    stories: str = "",
    contact: Contact | None = None,
) -> list[Claim]:
    """Every claim of a generated text (letter, cheat sheet), checked against the CV text and ``context``
    (posting title/company/location, the dossier, the template's own words); ``names`` repeated word for
    word (the posting's title) are quotes. ``stories`` (the user's own stories) state the person's facts
    as the CV does; ``contact`` (the profile's, which settings.yaml may set) grounds that name and
    that e-mail address only."""
    return check_text(
        text, sources(cv_text, context, names, stories, contact), document=document, person=person
    )


def report(documents: dict[str, list[Claim]]) -> dict[str, object]:
    """The machine-readable grounding report: per document, the claims checked, passed and failed."""
    out: dict[str, dict[str, Any]] = {}
    for name, claims in documents.items():
        failed = [c for c in claims if not c.ok]
        out[name] = {
            "checked": len(claims),
            "passed": len(claims) - len(failed),
            "failed": len(failed),
            "failures": [{"kind": c.kind, "claim": c.text, "why": c.why, "where": c.where} for c in failed],
            "claims": [c.model_dump() for c in claims],
        }
    ok = all(not d["failed"] for d in out.values())
    return {"ok": ok, "documents": out}
