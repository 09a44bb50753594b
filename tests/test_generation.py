"""Tailored CVs hold only the user's own facts; letters use the dossier and leave no placeholders."""

from datetime import date

from jobland_pipeline.generation import build_package, check_grounding, tailor_cv
from jobland_pipeline.generation.render import placeholders
from jobland_pipeline.postings import load_postings
from jobland_pipeline.research import build_dossier
from jobland_pipeline.screening import screen_postings
from tests.conftest import SAMPLE_POSTINGS

TODAY = date(2026, 11, 27)


def _best(sample_profiles, user, words):  # type: ignore[no-untyped-def]
    profile, text = sample_profiles[user]
    postings = [p for p in load_postings(SAMPLE_POSTINGS) if any(w in p.title for w in words)]
    results = screen_postings(profile, postings, cv_text=text)
    best = max(results, key=lambda s: s.score)
    posting = next(p for p in postings if p.id == best.posting_id)
    company = [p for p in load_postings(SAMPLE_POSTINGS) if p.company == posting.company]
    return profile, posting, best, build_dossier(posting.company, company)


def test_tailored_cv_reorders_but_never_invents(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    profile, posting, _, _ = _best(sample_profiles, "maria_santos", ["ICU"])
    cv = tailor_cv(profile, posting)
    assert check_grounding(cv, profile) == []
    source = {b for r in profile.roles for b in r.bullets}
    assert all(b in source for r in cv.roles for b in r.bullets)
    assert [(r.title, r.employer, r.start) for r in cv.roles] == [
        (r.title, r.employer, r.start) for r in profile.roles
    ]
    matched_first = [s for s in cv.skills if s in set(cv.keywords_covered)]
    assert cv.skills[: len(matched_first)] == matched_first  # posting skills lead the list
    assert (
        cv.roles[0].bullets != profile.roles[0].bullets[: len(cv.roles[0].bullets)]
    )  # re-ordered by relevance


def test_grounding_catches_a_lying_cv(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    profile, posting, _, _ = _best(sample_profiles, "maria_santos", ["ICU"])
    cv = tailor_cv(profile, posting)
    lie = cv.model_copy(deep=True)
    lie.roles[0].bullets.append("Led a 40-bed ICU as Chief Nursing Officer.")
    lie.skills.append("Kubernetes")
    lie.roles[1].employer = "Mayo Clinic"
    issues = check_grounding(lie, profile)
    assert any("Chief Nursing Officer" in i for i in issues)
    assert any("Kubernetes" in i for i in issues)
    assert any("Mayo Clinic" in i for i in issues)


def test_package_letter_uses_dossier_and_posting(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    profile, posting, screening, dossier = _best(sample_profiles, "maria_santos", ["ICU"])
    package = build_package(profile, posting, screening, dossier, today=TODAY)
    assert package.ok, package.grounding_issues + package.placeholder_issues
    letter = package.files["cover_letter.md"]
    assert posting.company in letter and posting.title in letter
    assert dossier.mission and dossier.mission in letter
    assert "Maria Santos" in letter
    assert placeholders(letter) == []
    assert "<script" not in package.files["tailored_cv.html"]
    sheet = package.files["cheat_sheet.md"]
    assert "STAR" in sheet and posting.company in sheet
    assert 0 <= package.ats_coverage_after <= 1


def test_chinese_package_is_in_chinese(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    profile, posting, screening, dossier = _best(sample_profiles, "wang_fang", ["会计"])
    package = build_package(profile, posting, screening, dossier, today=TODAY)
    assert package.ok
    assert "尊敬的" in package.files["cover_letter.md"] and "工作经历" in package.files["tailored_cv.md"]
    assert "王芳" in package.files["tailored_cv.html"]


def test_html_cv_escapes_text(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    profile, posting, screening, dossier = _best(sample_profiles, "daniel_okafor", ["Data Engineer"])
    evil = posting.model_copy(update={"title": "<img src=x onerror=alert(1)>Data Engineer"})
    html = build_package(profile, evil, screening, dossier, today=TODAY).files["tailored_cv.html"]
    assert "<img" not in html and "&lt;img" in html


def test_placeholder_detection() -> None:
    assert placeholders("Dear [Company] team, {{ name }}") == ["[Company]", "{{", "}}"]
    assert placeholders("Dear Acme team") == []
