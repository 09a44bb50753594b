"""Assemble one application package: tailored CV (Markdown + HTML), cover letter, cheat sheet."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from jobland_pipeline.generation.formats import render_cv, render_letter
from jobland_pipeline.generation.grounding import check_grounding
from jobland_pipeline.generation.render import placeholders, render
from jobland_pipeline.generation.tailor import TailoredCV, keyword_coverage, tailor_cv
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.research.dossier import Dossier
from jobland_pipeline.screening.models import Screening
from jobland_pipeline.textutil import tokens

MAX_LETTER_WORDS = 450


class Package(BaseModel):
    posting_id: str
    company: str
    title: str
    files: dict[str, str | bytes] = Field(description="file name -> content (text, or bytes for PDF/DOCX)")
    ats_coverage_before: float
    ats_coverage_after: float
    grounding_issues: list[str]
    placeholder_issues: list[str]

    @property
    def ok(self) -> bool:
        return not self.grounding_issues and not self.placeholder_issues


def _star_bullets(cv: TailoredCV, limit: int = 3) -> list[tuple[str, str]]:
    """(role, bullet) pairs with numbers or outcomes first: the best raw material for STAR answers."""
    pairs = [(r.title, b) for r in cv.roles[:2] for b in r.bullets]
    pairs.sort(key=lambda rb: (not any(ch.isdigit() for ch in rb[1]), -len(tokens(rb[1]))))
    return pairs[:limit]


def build_package(
    profile: Profile,
    posting: Posting,
    screening: Screening,
    dossier: Dossier | None,
    *,
    today: date,
    cv: TailoredCV | None = None,
    theme: str = "classic",
    tone: str = "formal",
) -> Package:
    """The package for one posting; ``cv`` is an engine's tailoring (default: the offline one).

    Whatever wrote the CV, it is checked for grounding against the profile before anything is sent.
    """
    cv = cv or tailor_cv(profile, posting)
    zh = profile.language == "zh"
    context = {
        "cv": cv,
        "profile": profile,
        "posting": posting,
        "screening": screening,
        "dossier": dossier,
        "today": today.isoformat(),
        "matched": screening.matched_skills[:5],
        "highlights": [b for r in cv.roles[:1] for b in r.bullets[:2]],
        "current": cv.roles[0] if cv.roles else None,
        "stars": _star_bullets(cv),
        "tone": tone,
    }
    suffix = "_zh" if zh else ""
    cv_md = render("tailored_cv.md.j2", **context)
    files = {
        "tailored_cv.md": cv_md,
        "tailored_cv.html": render("tailored_cv.html.j2", **context),
        "cover_letter.md": render(f"cover_letter{suffix}.md.j2", **context),
        "cheat_sheet.md": render(f"cheat_sheet{suffix}.md.j2", **context),
    }
    source_text = "\n".join(
        [
            *(b for r in profile.roles for b in r.bullets),
            *profile.skills_listed,
            *profile.certifications,
            profile.summary or "",
            *(r.title for r in profile.roles),
        ]
    )
    residue = [
        f"{name}: {p}"
        for name, text in files.items()
        if name.endswith(".md")
        for p in placeholders(str(text))
    ]
    words = len(str(files["cover_letter.md"]).split())
    if profile.language != "zh" and words > MAX_LETTER_WORDS:
        residue.append(f"cover_letter.md: {words} words, over the {MAX_LETTER_WORDS}-word limit")
    # The other formats of the same CV and letter (PDF from the HTML, DOCX, LaTeX): one source, no drift.
    rendered = render_cv(cv, theme=theme)
    files.update({k: v for k, v in rendered.items() if k.endswith((".pdf", ".docx", ".tex"))})
    letter = render_letter(str(files["cover_letter.md"]), language=profile.language, theme=theme)
    files.update({k: v for k, v in letter.items() if k.endswith((".pdf", ".docx"))})
    return Package(
        posting_id=posting.id,
        company=posting.company,
        title=posting.title,
        files=files,
        ats_coverage_before=keyword_coverage(source_text, posting),
        ats_coverage_after=keyword_coverage(cv_md, posting),
        grounding_issues=check_grounding(cv, profile),
        placeholder_issues=residue,
    )
