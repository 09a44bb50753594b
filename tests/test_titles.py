"""Suggested titles fit the person: a nurse gets nursing titles, an accountant accounting ones."""

import pytest

from jobland_pipeline.profiles import suggest_titles


@pytest.mark.parametrize(
    ("user", "families", "first"),
    [
        ("maria_santos", {"nursing"}, "ICU Registered Nurse"),
        ("wang_fang", {"accounting_finance"}, "Senior Accountant"),
        ("daniel_okafor", {"data", "software"}, "Senior Data Engineer"),
        ("emma_clarke", {"teaching"}, "Math Department Chair"),
    ],
)
def test_titles_match_the_profession(sample_profiles, user: str, families: set[str], first: str) -> None:  # type: ignore[no-untyped-def]
    profile, _ = sample_profiles[user]
    titles = suggest_titles(profile)
    assert 5 <= len(titles) <= 10
    assert titles[0].title == first
    assert all(t.family in families for t in titles), [(t.title, t.family) for t in titles]
    assert len({t.slug for t in titles}) == len(titles)
    assert all(t.reason for t in titles)


def test_reasons_name_real_evidence(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    profile, _ = sample_profiles["maria_santos"]
    top = suggest_titles(profile)[0]
    assert "core skills" in top.reason and "ICU Registered Nurse" in top.reason
    shown = top.reason.split("(", 1)[1].split(")", 1)[0].split(", ")
    assert set(shown) <= set(profile.skills)


def test_chinese_user_sees_chinese_titles_and_reasons(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    profile, _ = sample_profiles["wang_fang"]
    titles = suggest_titles(profile)
    assert titles[0].display_title == "高级会计"
    assert "核心技能" in titles[0].reason


def test_pinned_titles_come_first(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    profile, _ = sample_profiles["emma_clarke"]
    titles = suggest_titles(profile, pinned=["STEM Program Coordinator"])
    assert titles[0].title == "STEM Program Coordinator" and titles[0].source == "pinned"


def test_senior_people_get_no_entry_level_titles(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    profile, _ = sample_profiles["emma_clarke"]
    assert all(t.level != "entry" for t in suggest_titles(profile, limit=10))
