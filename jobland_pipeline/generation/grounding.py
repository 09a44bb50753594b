"""Every fact in a tailored CV must trace to the source profile; anything else is an invention.

A bullet may be the CV's own, or a re-wording of one: then it must share enough words with a source
bullet of the same role, and every number and every skill it states must be in the CV. Roles,
employers and dates, education and certifications must be exactly the CV's.
"""

from __future__ import annotations

import re

from jobland_pipeline.generation.tailor import TailoredCV
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.profiles.vocab import load_vocabulary
from jobland_pipeline.textutil import tokens

MIN_OVERLAP = 0.35
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def _overlap(a: str, b: str) -> float:
    ta, tb = set(tokens(a)), set(tokens(b))
    return len(ta & tb) / max(1, min(len(ta), len(tb)))


def _trace(text: str, sources: list[str], profile_skills: set[str], cv_numbers: set[str]) -> list[str]:
    """Why a re-worded text is not traceable (empty: it is)."""
    problems: list[str] = []
    if text in sources:
        return problems
    if not sources or max(_overlap(text, s) for s in sources) < MIN_OVERLAP:
        problems.append(f"not traceable to the CV: {text!r}")
    missing_numbers = _numbers(text) - cv_numbers
    if missing_numbers:
        problems.append(f"number(s) not in the CV: {', '.join(sorted(missing_numbers))} in {text!r}")
    invented = set(load_vocabulary().matcher.find(text)) - profile_skills
    if invented:
        problems.append(f"skill(s) not in the CV: {', '.join(sorted(invented))} in {text!r}")
    return problems


def check_grounding(cv: TailoredCV, profile: Profile) -> list[str]:
    """Return one message per ungrounded fact (empty list = grounded)."""
    issues: list[str] = []
    skills = set(profile.skills)
    source_text = " ".join(
        [
            profile.summary or "",
            *(b for r in profile.roles for b in r.bullets),
            *profile.certifications,
            *(e.text for e in profile.education),
            *profile.skills_listed,
        ]
    )
    cv_numbers = _numbers(source_text) | _numbers(" ".join(r.dates_text or "" for r in profile.roles))
    source_roles = {(r.title, r.employer, r.start, r.end): r for r in profile.roles}
    for role in cv.roles:
        source = source_roles.get((role.title, role.employer, role.start, role.end))
        if source is None:
            issues.append(
                f"role not in the CV: {role.title} at {role.employer} ({role.start}–{role.end or 'now'})"
            )
            continue
        for bullet in role.bullets:
            issues.extend(f"bullet {p}" for p in _trace(bullet, source.bullets, skills, cv_numbers))
    issues.extend(f"skill not in the CV: {s}" for s in cv.skills if s not in skills)
    source_edu = {e.text for e in profile.education}
    issues.extend(f"education not in the CV: {e.text}" for e in cv.education if e.text not in source_edu)
    issues.extend(
        f"certification not in the CV: {c}" for c in cv.certifications if c not in set(profile.certifications)
    )
    if cv.summary and cv.summary != profile.summary:
        issues.extend(f"summary {p}" for p in _trace(cv.summary, [profile.summary or ""], skills, cv_numbers))
    if cv.headline and cv.headline not in {r.title for r in profile.roles}:
        issues.append(f"headline is not a role on the CV: {cv.headline}")
    if cv.contact != profile.contact:
        issues.append("contact details differ from the CV")
    return issues
