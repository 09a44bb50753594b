"""Profile extraction on the sample users and on real CVs (content, not just "it ran")."""

import pytest

from jobland_pipeline.documents import extract_file
from jobland_pipeline.profiles import build_profile
from jobland_pipeline.profiles.dates import find_date_range, total_years
from jobland_pipeline.profiles.roles import split_header
from tests.conftest import AS_OF, REAL_CVS


def test_nurse_profile(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    p, _ = sample_profiles["maria_santos"]
    assert p.contact.name == "Maria Santos"
    assert p.contact.email == "maria.santos.rn@example.com"
    assert p.contact.location == "Chicago, IL"
    assert [(r.title, r.employer) for r in p.roles] == [
        ("ICU Registered Nurse", "Northshore Mercy Hospital"),
        ("Registered Nurse, Emergency Department", "St. Brendan Medical Center"),
        ("Staff Nurse, Medical-Surgical Unit", "Lakeview Community Hospital"),
    ]
    assert p.roles[0].is_current and p.roles[0].start == "2021-03"
    assert p.roles[2].start == "2016-07" and p.roles[2].end == "2018-05"
    assert {"Critical Care", "Ventilator Management", "ACLS", "Epic EHR"} <= set(p.skills)
    assert any("Spanish" in lang for lang in p.languages)
    assert p.education and "BSN" in (p.education[0].degree or "")


def test_bullets_are_the_cvs_own_words(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    p, text = sample_profiles["maria_santos"]
    flat = " ".join(text.split())
    for role in p.roles:
        assert len(role.bullets) >= 4
        for bullet in role.bullets:
            assert bullet in flat, bullet  # wrapped PDF lines are re-joined, never rewritten


def test_chinese_accountant_profile(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    p, _ = sample_profiles["wang_fang"]
    assert p.language == "zh"
    assert p.contact.name == "王芳" and p.contact.email == "wangfang.acc@example.com"
    assert (p.roles[0].title, p.roles[0].employer) == ("高级会计", "上海云启科技有限公司")
    assert [r.title for r in p.roles] == ["高级会计", "总账会计", "出纳"]
    assert {"General Ledger", "VAT", "Financial Reporting", "Cost Accounting"} <= set(p.skills)
    assert "Microsoft Excel" in p.skills  # "Excel" written next to Chinese characters still counts
    assert p.roles[0].bullets[0].startswith("负责公司及3家子公司的月结")


def test_docx_data_engineer_profile(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    p, _ = sample_profiles["daniel_okafor"]
    assert p.contact.name == "Daniel Okafor" and p.contact.location == "London, UK"
    assert [r.title for r in p.roles] == ["Senior Data Engineer", "Data Engineer", "Junior Data Analyst"]
    assert {"Python", "SQL", "Apache Airflow", "dbt", "Apache Spark"} <= set(p.skills)
    assert p.seniority == "senior"


def test_txt_teacher_profile(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    p, _ = sample_profiles["emma_clarke"]
    assert p.contact.phone == "(804) 555-0192"
    assert p.roles[1].title.startswith("Mathematics Teacher (Algebra I, Geometry, AP Calculus AB)")
    assert p.roles[1].employer == "Larkspur High School"
    assert 11 <= p.years_experience <= 13  # 2014-08 to now, overlapping roles counted once


def test_real_rendercv_cv() -> None:
    doc = extract_file(REAL_CVS / "rendercv_John_Doe_EngineeringresumesTheme_CV.pdf")
    p = build_profile(doc.text, user_id="john", language=doc.language, as_of=AS_OF)
    assert p.contact.name == "John Doe" and p.contact.email == "john.doe@email.com"
    assert ("Co-Founder & CTO", "Nexus AI") in [(r.title, r.employer) for r in p.roles]
    assert "Research Intern" in [r.title for r in p.roles]
    assert "Python" in p.skills


def test_real_resume_matcher_cv() -> None:
    doc = extract_file(REAL_CVS / "resumematcher_single-column.pdf")
    p = build_profile(doc.text, user_id="john", language=doc.language, as_of=AS_OF)
    assert p.contact.email == "john.doe@email.com"
    assert [r.title for r in p.roles][:2] == ["Senior Software Engineer", "Software Engineer"]
    assert len(p.skills) >= 5


@pytest.mark.parametrize(
    ("line", "start", "end", "current"),
    [
        ("Mar 2021 – Present", "2021-03", None, True),
        ("08/2018 - Present", "2018-08", None, True),
        ("2019.04 – 2022.06    上海某公司    总账会计", "2019-04", "2022-06", False),
        ("2022年7月 至今", "2022-07", None, True),
        ("Sept. 2015 to June 2017", "2015-09", "2017-06", False),
        ("2012 - 2016", "2012-01", "2016-01", False),
    ],
)
def test_date_ranges(line: str, start: str, end: str | None, current: bool) -> None:
    found = find_date_range(line)
    assert found is not None
    assert (found.start, found.end, found.is_current) == (start, end, current)


def test_overlapping_roles_count_once() -> None:
    from datetime import date

    assert total_years([("2020-01", "2022-01"), ("2021-01", None)], date(2024, 1, 1)) == 4.0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "ICU Registered Nurse — Northshore Mercy Hospital, Chicago, IL",
            ("ICU Registered Nurse", "Northshore Mercy Hospital", "Chicago, IL"),
        ),
        ("Data Engineer | Pennyworth Payments Ltd", ("Data Engineer", "Pennyworth Payments Ltd", None)),
        ("Teacher at Lincoln High School", ("Teacher", "Lincoln High School", None)),
        ("上海云启科技有限公司    高级会计", ("高级会计", "上海云启科技有限公司", None)),
    ],
)
def test_split_header(header: str, expected: tuple[str, str | None, str | None]) -> None:
    assert split_header(header) == expected
