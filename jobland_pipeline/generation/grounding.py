"""Every fact in a tailored CV must trace to the source profile; anything else is an invention."""

from __future__ import annotations

from jobland_pipeline.generation.tailor import TailoredCV
from jobland_pipeline.profiles.models import Profile


def check_grounding(cv: TailoredCV, profile: Profile) -> list[str]:
    """Return one message per ungrounded fact (empty list = grounded)."""
    issues: list[str] = []
    source_bullets = {b for r in profile.roles for b in r.bullets}
    source_roles = {(r.title, r.employer, r.start, r.end) for r in profile.roles}
    for role in cv.roles:
        if (role.title, role.employer, role.start, role.end) not in source_roles:
            issues.append(
                f"role not in the CV: {role.title} at {role.employer} ({role.start}–{role.end or 'now'})"
            )
        issues.extend(f"bullet not in the CV: {b!r}" for b in role.bullets if b not in source_bullets)
    issues.extend(f"skill not in the CV: {s}" for s in cv.skills if s not in set(profile.skills))
    source_edu = {e.text for e in profile.education}
    issues.extend(f"education not in the CV: {e.text}" for e in cv.education if e.text not in source_edu)
    issues.extend(
        f"certification not in the CV: {c}" for c in cv.certifications if c not in set(profile.certifications)
    )
    if cv.summary and cv.summary != profile.summary:
        issues.append("summary differs from the CV's own summary")
    if cv.contact != profile.contact:
        issues.append("contact details differ from the CV")
    return issues
