"""CVs exported by a job portal as labelled blocks, laid out as the section parser reads a CV.

Some Indian job portals export a CV as one flattened text: free text (often a skills summary), then
"Education Details" (the degrees, then the person's designation on a line of its own, a blank line,
and their current "Designation - Employer"), "Skill Details" ("Python- Experience - 6 months"), and
"Company Details" ("company - Acme" / "description - ..." pairs). The headings are glued to the line
before them ("...SPSSEducation Details"), the designation sits inside the education block and the
company blocks carry no dates, so the general parser found no headline, no education and no skill in
such a CV, and suggested no title for 40 % of the 166 real ones in
``../shared/fixtures/real/labeled`` (``bench/title_categories.py``).

``read_export`` recognises the export by its three block headings (each ending its line, the last
followed by a "company - " line) and lays the same lines out with the headings the parser knows: the
designation and the current role on top (the headline), the free text, then Education, Skills (each
skill's name without its "- Experience - ..." note) and each company under an Experience heading.
Every line it writes is a line, or part of a line, of the CV: nothing is invented. The export holds no
name (the portal keeps contact details apart), so ``build_profile`` reads none from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobland_pipeline.profiles.roles import TITLE_WORDS
from jobland_pipeline.profiles.sections import match_heading

# The export: free text, then three blocks whose headings end their line (glued to the text before
# them), the company block opening on a "company - " line. Headings inside a sentence, or a CV that
# merely uses such headings, are no export.
_HEADINGS = ("Education Details", "Skill Details", "Company Details")
_COMPANY_LINE = re.compile(r"[ \t]*company[ \t]+-")
_BLANK = re.compile(r"\n[ \t]*\n")
_LEAD_BULLET = re.compile(r"\s*[•*➢▪●◦■►]\s*|\s+[−–]\s+")
_SKILL_NOTE = re.compile(r"\s*-\s*Ex\w*ence\b.*$", re.I)  # "- Experience - 6 months", "- Exprience - ..."
_FIELD = re.compile(r"^(company|description)\s+-\s?(.*)$", re.I)
# Job nouns that are also an honorific or a surname elsewhere ("Advocate Priya Sharma", "Jane Coach"):
# a designation is never a name, so they name the job there.
_DESIGNATION_NOUNS = re.compile(r"\b(?:advocates?|coach(?:es)?)\b", re.I)


@dataclass(frozen=True)
class Export:
    """A portal export laid out as a CV: its designation lines (the person's job as the portal files
    it, then their current "Designation - Employer"), which open the text, and the rest."""

    designation: list[str]
    body: str  # the rest, from the free text on

    @property
    def text(self) -> str:
        return "\n".join([*self.designation, self.body])

    @staticmethod
    def names_job(line: str) -> bool:
        """Whether a designation line names a job: a job noun, or one that elsewhere is also an
        honorific or a surname; a field alone ("HR", "Data Science") does not."""
        return bool(TITLE_WORDS.search(line) or _DESIGNATION_NOUNS.search(line))


def read_export(text: str) -> Export | None:
    """The export laid out with the headings the section parser reads, or None when ``text`` is no
    portal export."""
    if not all(heading in text for heading in _HEADINGS):
        return None  # most CVs: read no further
    blocks = _blocks(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if blocks is None:
        return None
    lead, education, skills_block, companies = blocks
    designation, current, degrees = _education_block(education)
    skills = _skills(skills_block)
    parts = _lead(lead.strip())
    if degrees:
        parts += ["Education", *degrees]
    if skills:
        parts += ["Skills", *skills]
    parts += _companies(companies)
    return Export([*designation, *current], "\n".join(p for p in parts if p))


def _blocks(lines: list[str]) -> tuple[str, str, str, str] | None:
    """(free text, education, skills, companies): the text around the first line ending in each
    heading in turn, the last one followed by a "company - " line; one pass over the lines."""
    cuts: list[tuple[int, str]] = []  # (line, the text before the heading on it)
    for i, line in enumerate(lines):
        heading = _HEADINGS[len(cuts)]
        bare = line.rstrip(" \t")
        if not bare.endswith(heading):
            continue
        if len(cuts) == 2 and not (i + 1 < len(lines) and _COMPANY_LINE.match(lines[i + 1])):
            continue
        cuts.append((i, bare[: -len(heading)]))
        if len(cuts) == 3:
            break
    if len(cuts) < 3:
        return None
    (e, before_e), (k, before_k), (c, before_c) = cuts
    lead = "\n".join([*lines[:e], before_e])
    return (
        lead,
        "\n".join([*lines[e + 1 : k], before_k]),
        "\n".join([*lines[k + 1 : c], before_c]),
        "\n".join(lines[c + 1 :]),
    )


def _lead(text: str) -> list[str]:
    """The free text before the blocks. Mostly a skills list flattened into one line ("TECHNICAL SKILLS
    • Typewriting • TORA • SPSS", "Skills: Python, SQL"): then under a Skills heading, an item per
    bullet; other text as it is."""
    first, _, rest = text.partition("\n")
    words = first.split()
    for n in (3, 2, 1):
        found = match_heading(" ".join(words[:n]).rstrip(":"))
        if found == ("skills", "") and len(words) > n:
            items = [p.strip(" :") for p in _LEAD_BULLET.split(first.split(None, n)[n])]
            return ["Skills", *(i for i in items if i), rest]
    return [text]


def _lines(block: str) -> list[str]:
    return [line.strip() for line in block.split("\n") if line.strip()]


def _education_block(block: str) -> tuple[list[str], list[str], list[str]]:
    """(designation, current role, degrees): the first paragraph's last line is the designation, the
    lines before it the degrees; later paragraphs hold the current role ("Web Designer - Acme")."""
    paragraphs = [p for p in (_lines(chunk) for chunk in _BLANK.split(block)) if p]
    if not paragraphs:
        return [], [], []
    first, rest = paragraphs[0], paragraphs[1:]
    current = [line for p in rest for line in p]
    return first[-1:], current, first[:-1]


def _skills(block: str) -> list[str]:
    """Each skill line without its experience note: "Python- Experience - Less than 1 year" -> "Python"."""
    names = (_SKILL_NOTE.sub("", line).strip(" -") for line in _lines(block))
    return [name for name in names if name]


def _companies(block: str) -> list[str]:
    """Each company under an Experience heading of its own (a description holds the rest of the CV,
    its own headings included: the next company is experience again), its description's lines as
    bullets; empty pairs dropped."""
    out: list[str] = []
    for line in _lines(block):
        field = _FIELD.match(line)
        if field is None:
            out.append(f"- {line}")
        elif field.group(2).strip():
            value = field.group(2).strip()
            out += ["Experience", value] if field.group(1).lower() == "company" else [f"- {value}"]
    return out
