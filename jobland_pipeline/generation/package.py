"""Assemble one application package: tailored CV (every format), cover letter, cheat sheet.

The CV's literal text (``cv_text``) is the only source of facts about the person: the tailored CV,
the letter and the cheat sheet are each checked against it claim by claim (see ``grounding.py``),
and the result is kept as ``Package.grounding_report`` (written as ``grounding_report.json``). The
posting is read only through :class:`PostingText` (no HTML, no instructions to machines); the letter
and the cheat sheet are written in the posting's language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from jobland_pipeline.generation.formats import render_cv, render_letter
from jobland_pipeline.generation.formats._model import LABELS, SECTION_LABELS, cv_language
from jobland_pipeline.generation.grounding import Claim, check_document, cv_claims, report
from jobland_pipeline.generation.letters import (
    SHEET,
    CompanyFacts,
    answers,
    lead,
    letter_language,
    long_date,
    matched_skills,
    years_phrase,
)
from jobland_pipeline.generation.render import placeholders, render, template_words
from jobland_pipeline.generation.stories import Story, letter_sentence, star, stories_text, trail
from jobland_pipeline.generation.tailor import TailoredCV, keyword_coverage, keyword_report, tailor_cv
from jobland_pipeline.generation.text import PostingText, normalise, one_line, posting_plain
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.research.dossier import Dossier
from jobland_pipeline.screening.models import Screening

MAX_LETTER_WORDS = 450


class Package(BaseModel):
    posting_id: str
    company: str
    title: str
    files: dict[str, str | bytes] = Field(
        description="file name -> content (text, or bytes for PDF/DOCX/LaTeX)"
    )
    ats_coverage_before: float
    ats_coverage_after: float
    grounding_issues: list[str]
    placeholder_issues: list[str]
    grounding_report: dict[str, Any] = Field(
        default_factory=dict, description="per document: the claims checked, passed and failed, and why"
    )
    language: str = Field(default="en", description="the language of the letter and cheat sheet")

    @property
    def ok(self) -> bool:
        return not self.grounding_issues and not self.placeholder_issues


def _labels_text(language: str) -> str:
    return "\n".join([*LABELS[language].values(), *(v for d in SECTION_LABELS.values() for v in d.values())])


def _letter(
    cv: TailoredCV,
    profile: Profile,
    posting: PostingText,
    screening: Screening,
    company: CompanyFacts,
    *,
    cv_text: str,
    language: str,
    day: str,
    tone: str,
    stories: Sequence[Story] = (),
) -> str:
    """The cover letter, shortened (fewer bullets, then no culture or news) to keep to the word limit.

    The most relevant of the user's stories adds one sentence, the story's own (never shortened away:
    it is why this letter differs from the next)."""
    template = "cover_letter.md.j2" if language == "en" else f"cover_letter_{language}.md.j2"
    contact = cv.contact
    years = years_phrase(cv_text) if cv_language(profile.language) == language else None
    base = {
        "name": one_line(contact.name),
        "contact_line": " · ".join(
            one_line(x) for x in (contact.email, contact.phone, contact.location) if x
        ),
        "date": day,
        "posting": posting,
        "tone": tone,
        "mission": company.letter_mission,
        "matched": matched_skills(cv, screening, posting, normalise(cv_text)),
        "years": years,
        "story": letter_sentence(stories[0], posting) if stories else "",
    }
    letter = ""
    for count, culture, news in ((2, True, True), (2, False, True), (1, False, False), (0, False, False)):
        letter = render(
            template,
            **base,
            lead=lead(cv, posting, count),
            culture=company.letter_culture if culture else "",
            news=company.news[0]["title"] if news and company.news else "",
        )
        if language == "zh" or len(letter.split()) <= MAX_LETTER_WORDS:
            break
    return letter


def _sheet(
    cv: TailoredCV,
    posting: PostingText,
    screening: Screening,
    company: CompanyFacts,
    *,
    cv_text: str,
    language: str,
    missing: list[str],
    stories: Sequence[Story] = (),
) -> str:
    answered, open_lines = answers(cv, posting, screening, LABELS[language])
    return render(
        "cheat_sheet.md.j2",
        L=SHEET[language],
        posting=posting,
        screening=screening,
        reasons=[r for r in (one_line(posting_plain(x)) for x in screening.reasons) if r],
        answered=answered,
        open_lines=open_lines,
        keywords_missing=[t for t in missing if not re.search(r"[\u3400-\u9fff]{5}", t)][:10],
        matched=matched_skills(cv, screening, posting, normalise(cv_text)),
        company=company,
        stars=[star(s) for s in stories],
    )


@dataclass(frozen=True)
class _Drafts:
    """The package's generated texts and what they were written with."""

    cv_md: str
    letter: str
    sheet: str
    language: str
    day: str
    stories: str = ""  # the user's stories the texts used: the person's facts, like the CV's


def _documents(
    cv: TailoredCV,
    profile: Profile,
    posting: tuple[Posting, PostingText],
    screening: Screening,
    company: CompanyFacts,
    cv_text: str,
    drafts: _Drafts,
) -> dict[str, list[Claim]]:
    """Grounding: the CV item by item, then every text claim by claim, each with the context it may
    quote (the posting as given and as cleaned, the dossier, the template's own words)."""
    raw, clean = posting
    language = drafts.language
    posting_facts = "\n".join(x for x in (clean.title, clean.company, clean.location) if x)
    cv_language_labels = _labels_text(cv_language(cv.language))
    names = {"the posting's title": raw.title, "the employer": raw.company}
    contact = profile.contact
    return {
        "tailored_cv": cv_claims(cv, profile, cv_text),
        "tailored_cv.md": check_document(
            drafts.cv_md,
            cv_text,
            context={
                "the CV's headings": cv_language_labels,
                "the template": template_words("tailored_cv.md.j2"),
            },
            document="tailored_cv.md",
            contact=contact,
        ),
        "cover_letter.md": check_document(
            drafts.letter,
            cv_text,
            context={
                "the posting": posting_facts,
                "the dossier": company.text(),
                "the letter's date": drafts.day,
                "the template": template_words(
                    "cover_letter.md.j2" if language == "en" else f"cover_letter_{language}.md.j2"
                ),
            },
            names=names,
            document="cover_letter.md",
            stories=drafts.stories,
            contact=contact,
        ),
        "cheat_sheet.md": check_document(
            drafts.sheet,
            cv_text,
            context={
                "the posting": "\n".join([clean.full, clean.salary]),
                "the dossier": company.text(),
                "the screening": "\n".join(
                    [f"{screening.score}/100 {screening.probability}", *screening.reasons]
                ),
                "the template": template_words("cheat_sheet.md.j2")
                + "\n".join(SHEET[language].values())
                + "\n"
                + _labels_text(language),
            },
            names=names,
            document="cheat_sheet.md",
            person=False,
            stories=drafts.stories,
            contact=contact,
        ),
    }


def _grounding_issues(documents: dict[str, list[Claim]]) -> list[str]:
    """One message per failed claim, each once.

    The Markdown CV's own check backs the item-by-item one up (its failures repeat any invention the
    items already show, so they only count when the items passed; all are in the report).
    """
    structural = [c.message() for c in documents["tailored_cv"] if not c.ok]
    issues = [f"tailored CV: {m}" for m in structural]
    text_documents = (
        ("cover_letter.md", "cheat_sheet.md")
        if structural
        else ("tailored_cv.md", "cover_letter.md", "cheat_sheet.md")
    )
    for name in text_documents:
        issues += [f"{name}: {c.message()}" for c in documents[name] if not c.ok]
    return list(dict.fromkeys(issues))


def _residue(cv_text: str, files: dict[str, str | bytes], drafts: _Drafts) -> list[str]:
    """Template placeholders left in a text (and where they came from), and a letter over the limit."""
    in_cv = set(placeholders(cv_text))
    residue = [
        f"{name}: {p}"
        + (" (your CV itself has this placeholder text: replace it there)" if p in in_cv else "")
        for name in ("tailored_cv.md", "cover_letter.md", "cheat_sheet.md")
        for p in placeholders(str(files[name]))
    ]
    words = len(drafts.letter.split())
    if drafts.language != "zh" and words > MAX_LETTER_WORDS:
        residue.append(f"cover_letter.md: {words} words, over the {MAX_LETTER_WORDS}-word limit")
    return residue


def build_package(
    profile: Profile,
    posting: Posting,
    screening: Screening,
    dossier: Dossier | None,
    *,
    cv_text: str,
    today: date,
    cv: TailoredCV | None = None,
    theme: str = "classic",
    tone: str = "formal",
    stories: Sequence[Story] = (),
) -> Package:
    """The package for one posting; ``cv`` is an engine's tailoring (default: the offline one).

    Whatever wrote the CV, it and every other document are checked against ``cv_text`` (the CV's
    own text) before anything is sent: ``Package.ok`` is False when any claim is not grounded.
    ``stories`` are the user's stories chosen for this posting (best first, see ``stories.py``): the
    letter and the cheat sheet use them, and what they state counts as the user's own, like the CV
    (the tailored CV itself stays the CV's alone).
    """
    clean = PostingText.of(posting)
    cv = cv or tailor_cv(profile, posting)
    language = letter_language(clean)
    company = CompanyFacts.of(dossier)
    day = long_date(today, language)

    rendered = render_cv(cv, theme=theme)
    cv_md = rendered["tailored_cv.md"].decode()
    letter = _letter(
        cv,
        profile,
        clean,
        screening,
        company,
        cv_text=cv_text,
        language=language,
        day=day,
        tone=tone,
        stories=stories,
    )
    _, missing = keyword_report(cv.text(), clean)
    sheet = _sheet(
        cv, clean, screening, company, cv_text=cv_text, language=language, missing=missing, stories=stories
    )
    files: dict[str, str | bytes] = {
        "tailored_cv.md": cv_md,
        "tailored_cv.html": rendered["tailored_cv.html"].decode(),
        "tailored_cv.pdf": rendered["tailored_cv.pdf"],
        "tailored_cv.docx": rendered["tailored_cv.docx"],
        "tailored_cv.tex": rendered["tailored_cv.tex"],
        "cover_letter.md": letter,
        "cheat_sheet.md": sheet,
    }
    files.update(render_letter(letter, language=language, theme=theme))
    drafts = _Drafts(
        cv_md=cv_md, letter=letter, sheet=sheet, language=language, day=day, stories=stories_text(stories)
    )
    documents = _documents(cv, profile, (posting, clean), screening, company, cv_text, drafts)
    grounding = report(documents)
    grounding.update({"posting_id": posting.id, "language": language, "cv_language": cv.language})
    if stories:
        grounding["stories"] = trail(stories, clean)
    return Package(
        posting_id=posting.id,
        company=clean.company or posting.company,
        title=clean.title or posting.title,
        files=files,
        ats_coverage_before=keyword_coverage(cv_text, clean),
        ats_coverage_after=keyword_coverage(cv_md, clean),
        grounding_issues=_grounding_issues(documents),
        placeholder_issues=_residue(cv_text, files, drafts),
        grounding_report=grounding,
        language=language,
    )
