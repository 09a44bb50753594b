"""The user's own stories: achievements the CV has no room for, chosen per posting by BM25.

A ``stories.md`` (or ``stories.txt``) beside the CV holds one story per Markdown heading, or per
blank-line separated paragraph when it has no headings. For each posting the stories are ranked with
BM25 (the posting's words as the query, the stories as the corpus) and at most three are kept, and
only those above a relevance floor: the rarity-weighted words the story shares with the posting (the
same background word rarity the cheat sheet uses), and one line of the posting (a duty, a
requirement) that the story answers, because BM25 scores over a handful of stories are not
comparable from one posting to the next. No story is ever forced into a posting it does not fit.

The stories are the user's words, so what they state counts as the user's own fact for the grounding
check (beside the CV); they are also text from outside, so they are read like a CV: instruction-like
lines are removed, the file is refused with a reason when it is empty, binary or too large (the CV
is never affected), and nothing in them is ever obeyed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from jobland_pipeline.documents.errors import DocumentError
from jobland_pipeline.documents.text import decode_text
from jobland_pipeline.generation.text import ABOUT_PAY, PostingText, one_line
from jobland_pipeline.inbox import MAX_STORIES_BYTES
from jobland_pipeline.lexicon.idf import idf
from jobland_pipeline.lexicon.instructions import is_instruction, remove_instructions
from jobland_pipeline.lexicon.tokens import has_han, tokens

MAX_STORIES = 60  # stories read from one file (the rest are named as left out)
MAX_STORY_CHARS = 3000  # one story's text kept (a story is a paragraph or a section, not a chapter)
MAX_SELECTED = 3
MIN_EVIDENCE = 10.0  # rarity-weighted posting words a story must share to be relevant at all
MIN_SHARED_TERMS = 2  # ... and at least this many distinct rare-enough words
RARE_ENOUGH = 3.5  # background idf of a word that says something about a job (not "data", "month")
FOCUS = 0.35  # ... and cover this share of one posting line's rare words (a duty, a requirement)
FOCUS_HAN = 0.15  # ... of a Chinese line (its bigrams across word boundaries count too)
K1, B = 1.2, 0.75  # BM25's usual constants

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_MARK = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
# A sentence ends at . ! ? ; followed by a space ("6.5 hours" is one number), at 。！？； and at a line end.
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])\s*|\n+")
_LABEL = re.compile(
    r"^\s*\**\s*(situation|task|action|result|情境|背景|任务|行动|结果)\s*\**\s*[:：]\s*", re.IGNORECASE
)
_LABEL_PART = {
    "situation": "situation",
    "情境": "situation",
    "背景": "situation",
    "task": "task",
    "任务": "task",
    "action": "action",
    "行动": "action",
    "result": "result",
    "结果": "result",
}
_RESULT_CUE = re.compile(
    r"\d|%|\b(?:result|resulting|saved|cut|reduc\w*|increas\w*|improv\w*|grew|won|award\w*|"
    r"launched|delivered|achiev\w*|fell|rose|dropp\w*|doubl\w*|halv\w*)\b|结果|降低|提升|提高|减少|节省|获得",
    re.IGNORECASE,
)
_TASK_CUE = re.compile(
    r"\b(?:needed|had to|asked|goal|task|aim|responsible|in charge|challenge|problem|deadline)\b|需要|负责|任务|目标",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Story:
    """One story: its heading (when the file has headings) and its text, as the user wrote them."""

    number: int
    title: str | None
    text: str

    @property
    def label(self) -> str:
        return self.title or f"#{self.number}"

    def sentences(self) -> list[str]:
        """Its sentences (and list items), each as written."""
        parts = (_LABEL.sub("", _LIST_MARK.sub("", x)).strip() for x in _SENTENCE.split(self.text))
        return [p for p in parts if len(p) > 3]

    def labelled(self) -> list[tuple[str | None, str]]:
        """Its sentences with the STAR label each starts with ("Result: ..."), if any."""
        out: list[tuple[str | None, str]] = []
        for raw in _SENTENCE.split(self.text):
            line = _LIST_MARK.sub("", raw).strip()
            m = _LABEL.match(line)
            text = line[m.end() :].strip() if m else line
            if len(text) > 3:
                out.append((_LABEL_PART[m.group(1).lower()] if m else None, text))
        return out

    def words(self) -> str:
        """Its title and sentences (without STAR labels): what is matched and what grounds facts."""
        body = "\n".join(self.sentences())
        return f"{self.title}\n{body}" if self.title else body


@dataclass(frozen=True)
class Stories:
    """A user's stories file as read: the stories, or why none were (``skipped``)."""

    name: str = ""
    stories: tuple[Story, ...] = ()
    skipped: str | None = None
    removed: int = 0  # instruction-like passages removed (never obeyed, never quoted)
    left_out: int = 0  # stories beyond MAX_STORIES

    def notes(self) -> list[str]:
        """What a run should say about the file: skipped (why), lines removed, stories left out."""
        notes = [f"stories skipped: {self.skipped}"] if self.skipped else []
        if self.removed:
            notes.append(f"{self.name}: {self.removed} instruction-like line(s) removed, never used")
        if self.left_out:
            notes.append(f"{self.name}: {self.left_out} stories beyond the first {MAX_STORIES} left out")
        return notes


def read_stories(data: bytes | None, name: str) -> Stories:
    """The stories of a file's bytes; an empty, binary or oversized file is skipped with the reason."""
    if data is None:
        return Stories(name)
    if len(data) > MAX_STORIES_BYTES:
        return Stories(name, skipped=f"{name}: over the {MAX_STORIES_BYTES:,}-byte limit for stories")
    if b"\0" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Stories(name, skipped=f"{name}: a binary file, not text")
    try:
        text, _ = decode_text(data)
    except DocumentError as exc:
        return Stories(name, skipped=f"{name}: {exc}")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        return Stories(name, skipped=f"{name}: a binary file, not text ({controls} control characters)")
    clean, _ = remove_instructions(text.replace("\r\n", "\n").replace("\r", "\n"))
    removed = _instruction_count(text) - _instruction_count(clean)
    stories = parse_stories(clean)
    if not stories:
        return Stories(name, skipped=f"{name}: no story in it (empty)", removed=removed)
    return Stories(
        name, tuple(stories[:MAX_STORIES]), removed=removed, left_out=max(0, len(stories) - MAX_STORIES)
    )


def _instruction_count(text: str) -> int:
    return sum(1 for line in text.split("\n") if line.strip() and is_instruction(line))


def parse_stories(text: str) -> list[Story]:
    """A story per heading (its section), or per paragraph (before any heading, or with none).

    With headings of several levels the deepest one names the stories; a shallower heading is the
    file's title or a group ("# Stories", "## Teaching") and the text under it an introduction.
    """
    levels = [len(m.group(1)) for line in text.split("\n") if (m := _HEADING.match(line))]
    level = max(levels, default=0)
    stories: list[Story] = []
    title: str | None = None
    heading = 0
    section: list[str] = []

    def close() -> None:
        if heading == level and title is not None:
            _add(stories, title, "\n".join(section))
        elif heading == 0:
            for paragraph in re.split(r"\n\s*\n", "\n".join(section)):
                _add(stories, None, paragraph)

    for line in text.split("\n"):
        if m := _HEADING.match(line):
            close()
            heading, title, section = len(m.group(1)), one_line(m.group(2)).strip("*_ ") or None, []
        else:
            section.append(line)
    close()
    return stories


def _add(stories: list[Story], title: str | None, text: str) -> None:
    lines = [x.rstrip() for x in text.strip().split("\n") if x.strip() and not is_instruction(x)]
    body = "\n".join(lines)[:MAX_STORY_CHARS].strip()
    if len(one_line(body)) > 3:
        stories.append(Story(len(stories) + 1, title, body))


# --- relevance ------------------------------------------------------------------------------------


def bm25(documents: Sequence[Sequence[str]], query: Sequence[str]) -> list[float]:
    """Okapi BM25 of each document (a token list) for a query (distinct tokens count once).

    The idf is Lucene's ``ln(1 + (N - n + 0.5) / (n + 0.5))``, never negative, so a word every
    story uses adds a little rather than subtracting.
    """
    n = len(documents)
    if not n:
        return []
    counts = [Counter(d) for d in documents]
    average = sum(len(d) for d in documents) / n or 1.0
    terms = set(query)
    df = {t: sum(1 for c in counts if t in c) for t in terms}
    scores: list[float] = []
    for doc, c in zip(documents, counts, strict=True):
        norm = K1 * (1 - B + B * len(doc) / average)
        scores.append(
            sum(
                math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) * c[t] * (K1 + 1) / (c[t] + norm)
                for t in terms
                if c[t]
            )
        )
    return scores


def posting_terms(posting: PostingText) -> set[str]:
    """The posting's content words (title and description) as tokens; bare numbers say nothing."""
    return {t for t in tokens("\n".join([posting.title, posting.description])) if not t.isdigit()}


def _weight(term: str) -> float:
    """A word's background rarity; a Chinese bigram counts half (a word of four characters gives
    three bigrams, and the background counts hold few Chinese texts, so bigrams look rarer than
    they are)."""
    return idf(term) * (0.5 if has_han(term) else 1.0)


def _rare(terms: set[str]) -> list[str]:
    """The words that say something about a job, rarest first."""
    return sorted((t for t in terms if idf(t) >= RARE_ENOUGH), key=lambda t: (-_weight(t), t))


def _lines(posting: PostingText) -> list[list[str]]:
    """The rare words of each line of the posting (its title, duties, requirements, blurb), pay aside."""
    out: list[list[str]] = []
    for line in [posting.title, *posting.description.split("\n")]:
        line = line.strip(" -•*·\t")
        if len(line) > 10 and not ABOUT_PAY.search(line):
            out.append(_rare({t for t in tokens(line) if not t.isdigit()}))
    return out


def _focused(doc: set[str], lines: list[list[str]]) -> bool:
    """The story answers one line of the posting: it shares two or more of the line's rare words,
    and they are a good part of it. Words scattered over the company's blurb and the duties ("sell",
    "store", "rush") do not make a story relevant; "Familiarity with Kafka or other streaming
    systems" answered by a Kafka streaming story does."""
    for rare in lines:
        shared = [t for t in rare if t in doc]
        if len(shared) < MIN_SHARED_TERMS:
            continue
        need = FOCUS_HAN if any(has_han(t) for t in rare) else FOCUS
        if sum(_weight(t) for t in shared) >= need * sum(_weight(t) for t in rare):
            return True
    return False


def _evidence(terms: set[str], shared: set[str]) -> tuple[float, int]:
    rare = _rare(shared & terms)
    return sum(_weight(t) for t in rare), len(rare)


@dataclass(frozen=True)
class Selected:
    """A story chosen for a posting: its BM25 score and the posting's words it shares."""

    story: Story
    score: float
    evidence: float
    shared: tuple[str, ...]


def select_stories(
    stories: Sequence[Story], posting: PostingText, *, limit: int = MAX_SELECTED
) -> list[Selected]:
    """The stories most relevant to a posting, best first: BM25 ranks, the floor admits (enough rare
    words shared with the posting overall, and one line of the posting the story answers)."""
    terms = posting_terms(posting)
    query = _rare(terms)
    lines = _lines(posting)
    docs = [tokens(s.words()) for s in stories]
    chosen: list[Selected] = []
    for story, doc, score in zip(stories, docs, bm25(docs, query), strict=True):
        shared = set(doc) & terms
        evidence, distinct = _evidence(terms, shared)
        if evidence >= MIN_EVIDENCE and distinct >= MIN_SHARED_TERMS and _focused(shared, lines):
            chosen.append(Selected(story, round(score, 3), round(evidence, 2), tuple(_rare(shared)[:8])))
    chosen.sort(key=lambda s: (-s.score, s.story.number))
    return chosen[:limit]


# --- what the letter and the cheat sheet say with them ---------------------------------------------


def letter_sentence(story: Story, posting: PostingText) -> str:
    """The story's sentence that says most about this posting, as written: one of what the user did
    or what came of it (the scene and the task stay in the cheat sheet), and one that states an
    outcome (a number, "cut", "reduced"...) counts a quarter more, since a letter shows what changed."""
    terms = posting_terms(posting)
    laid_out = star(story)
    sentences = laid_out.action + laid_out.result or story.sentences() or [one_line(story.text)]

    def weight(sentence: str) -> tuple[float, int]:
        evidence, _ = _evidence(terms, set(tokens(sentence)))
        return evidence * (1.25 if _RESULT_CUE.search(sentence) else 1.0), -sentences.index(sentence)

    best = one_line(max(sentences, key=weight))
    if len(best) > 300:
        best = best[:299].rstrip() + "…"
    return best if best.endswith((".", "!", "?", "。", "！", "？", "…")) else best + "."


@dataclass(frozen=True)
class Star:
    """A story's sentences laid out as Situation, Task, Action, Result (any part may be empty)."""

    number: int
    title: str | None
    situation: list[str]
    task: list[str]
    action: list[str]
    result: list[str]


def star(story: Story) -> Star:
    """STAR from the story's own sentences: its labels when it has them ("Result: ..."), otherwise
    the first sentence sets the scene, a sentence about what was needed is the task, the last one
    with a number or an outcome is the result, and the rest is the action. Nothing is added."""
    labelled = story.labelled()
    if any(label for label, _ in labelled):
        parts = _by_label(labelled)
    else:
        parts = _by_position([s for _, s in labelled])
    return Star(
        story.number, story.title, parts["situation"], parts["task"], parts["action"], parts["result"]
    )


def _by_label(labelled: list[tuple[str | None, str]]) -> dict[str, list[str]]:
    """Each sentence under the last label before it (unlabelled opening sentences: the situation)."""
    parts: dict[str, list[str]] = {"situation": [], "task": [], "action": [], "result": []}
    current = "situation"
    for label, sentence in labelled:
        current = label or current
        parts[current].append(sentence)
    return parts


def _by_position(sentences: list[str]) -> dict[str, list[str]]:
    """Scene first, outcome last, a sentence about what was needed as the task, the rest as action."""
    if len(sentences) < 2:
        return {"situation": [], "task": [], "action": sentences, "result": []}
    results = [i for i, s in enumerate(sentences) if _RESULT_CUE.search(s)]
    last = results[-1] if results and results[-1] > 0 else len(sentences) - 1
    middle = sentences[1:last]
    task = next((s for s in middle if _TASK_CUE.search(s)), None)
    return {
        "situation": [sentences[0]],
        "task": [task] if task else [],
        "action": [s for s in middle if s != task],
        "result": sentences[last:],
    }


def stories_text(stories: Sequence[Story]) -> str:
    """The stories as one text: what grounds the user's facts besides the CV."""
    return "\n\n".join(s.words() for s in stories)


def trail(selected: Sequence[Story], posting: PostingText) -> list[dict[str, object]]:
    """Which stories a package used and the posting's words each shares (for grounding_report.json)."""
    terms = posting_terms(posting)
    return [
        {
            "story": s.label,
            "shared_words": _rare(set(tokens(s.words())) & terms)[:8],
        }
        for s in selected
    ]


def prompt_text(stories: Sequence[Story]) -> str:
    """The stories for a prompt's ``<stories>`` block: every ``<`` and ``>`` becomes ``‹ ›``, so that
    nothing a story says (``</stories>``, ``</stories x=1>``, ``< /stories>``, a zero-width space inside
    the tag) can close the fence and pass for an instruction; a story needs no angle brackets."""
    return stories_text(stories).replace("<", "‹").replace(">", "›")
