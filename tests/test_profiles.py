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
    assert {"Critical care nursing", "Mechanical ventilation", "Arterial line and central line care"} <= set(
        p.skills
    )
    assert any("Spanish" in lang for lang in p.languages)
    assert ("es", 5) in [(s.language, s.level) for s in p.language_skills]
    assert p.education[0].degree == "Bachelor of Science in Nursing (BSN)"
    assert p.education[0].institution == "Lakeshore University" and p.education[0].year == "2016"
    # A licence line stays whole: its commas are part of it.
    assert "Registered Professional Nurse, State of Illinois — Active, expires 05/2026" in p.certifications


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
    assert "预算管理" in p.skills and any("SAP FI" in s for s in p.skills)  # the CV's own words
    assert p.education[0].institution == "东海财经大学" and p.education[0].year == "2017"
    assert p.roles[0].bullets[0].startswith("负责公司及3家子公司的月结")


def test_docx_data_engineer_profile(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    p, _ = sample_profiles["daniel_okafor"]
    assert p.contact.name == "Daniel Okafor" and p.contact.location == "London, UK"
    assert [r.title for r in p.roles] == ["Senior Data Engineer", "Data Engineer", "Junior Data Analyst"]
    assert {"Python", "SQL", "Apache Airflow", "dbt", "Apache Spark / PySpark"} <= set(p.skills)
    assert p.seniority == "senior" and p.headline == "Senior Data Engineer"


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
    assert any("Python" in skill for skill in p.skills)


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
        ("Avril 2022 - aujourd'hui", "2022-04", None, True),
        ("Septembre 2019 - mars 2022", "2019-09", "2022-03", False),
        ("Febrero 2023 - actualidad", "2023-02", None, True),
        ("Septiembre 2020 - enero 2023", "2020-09", "2023-01", False),
        ("Mai 2019 – heute", "2019-05", None, True),
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
        (
            "First Officer, Airbus A319/A320/A321 - Peakline Airways, Denver (DEN domicile)",
            ("First Officer, Airbus A319/A320/A321", "Peakline Airways", "Denver (DEN domicile)"),
        ),
        (
            "Desarrollador Backend Java Senior - Tramontana Pagos S.L., Madrid (híbrido)",
            ("Desarrollador Backend Java Senior", "Tramontana Pagos S.L.", "Madrid (híbrido)"),
        ),
        ("资深律师 — 上海浦江明德律师事务所", ("资深律师", "上海浦江明德律师事务所", None)),
    ],
)
def test_split_header(header: str, expected: tuple[str, str | None, str | None]) -> None:
    assert split_header(header) == expected


STUDENT = """Li Example
Computer Science student

Email: li@example.com | https://github.com/li-example
Location: Toronto, Canada

PROJECTS
Route Planner - Python, OR-Tools
- Built a delivery route planner that cut simulated driving time by 18%.
- Wrote a Con-
  sul service registry client for the demo cluster.
Chat Moderation Bot
- Flagged abusive messages in a 2,000-member Discord server.

AWARDS
- Dean's List, 2024 and 2025

PUBLICATIONS
- Example, L. (2025). Faster routing heuristics. Student Research Journal.

EDUCATION
BSc Computer Science - University of Toronto, 2026

SKILLS
Python, SQL, OR-Tools, Git
"""


def test_a_project_only_cv_keeps_its_projects_awards_publications_and_links() -> None:
    from datetime import date

    p = build_profile(STUDENT, user_id="li", as_of=date(2026, 12, 1))
    assert [e.title for e in p.projects] == ["Route Planner - Python, OR-Tools", "Chat Moderation Bot"]
    assert p.projects[0].bullets[0].startswith("Built a delivery route planner")
    assert any("Consul service registry" in b for b in p.projects[0].bullets)  # "Con- sul" repaired
    assert p.awards == ["Dean's List, 2024 and 2025"]
    assert p.publications and "Faster routing heuristics" in p.publications[0]
    assert "https://github.com/li-example" in p.contact.links and p.contact.location == "Toronto, Canada"
    assert p.education[0].institution == "University of Toronto"


def test_french_and_spanish_cvs_are_read_in_their_language() -> None:
    from datetime import date

    fr = """Julien Exemple
Sous-chef de cuisine

Adresse : Paris 11e, France

EXPÉRIENCE PROFESSIONNELLE
Sous-chef - Le Comptoir, Paris 11e
Avril 2022 - aujourd'hui
- Seconde le chef sur une carte bistronomique.

FORMATION
CAP Cuisine - CFA Médéric, Paris, 2015

LANGUES
Français (langue maternelle), anglais (intermédiaire, B1)
"""
    p = build_profile(fr, user_id="j", as_of=date(2026, 12, 1))
    assert p.language == "fr" and p.headline == "Sous-chef de cuisine"
    assert [(r.title, r.employer, r.start) for r in p.roles] == [("Sous-chef", "Le Comptoir", "2022-04")]
    assert (p.education[0].degree, p.education[0].institution) == ("CAP Cuisine", "CFA Médéric")
    assert {(s.language, s.level) for s in p.language_skills} == {("fr", 6), ("en", 3)}
    assert p.contact.location == "Paris 11e, France"


def test_years_are_counted_per_line_of_work() -> None:
    from datetime import date

    text = """Pat Example
Logistics Coordinator

EXPERIENCE
Logistics Coordinator - Freight Co LLC, Dubai
March 2025 - present
- Coordinate shipments.

Senior Cabin Crew - Gulfwing Airways, Dubai
June 2016 - November 2023
- Led cabin teams.
"""
    p = build_profile(text, user_id="p", as_of=date(2026, 12, 1))
    fields = {f.field: f.years for f in p.experience_by_field}
    assert fields["logistics coordinator"] < 2 and fields["cabin crew"] > 7
    assert p.seniority == "entry"  # a career changer's earlier years do not make them senior here


REFEREE_CV = """Jane Doe
Referred by J. Referee <referee@example.com>
jane.doe@example.org | (555) 010-2000 | Chicago, IL

SUMMARY
Registered nurse.

EXPERIENCE
Registered Nurse | Mercy Hospital, Chicago, IL
01/2020 - Present
- Cared for patients. Manager: Bob Boss (bob.boss@mercy.example)

REFERENCES
Dr. Ann Ref, ann.ref@hospital.example
"""


@pytest.mark.parametrize(
    ("cv", "expected"),
    [
        (REFEREE_CV, "jane.doe@example.org"),  # the referral line before the owner's is not hers
        (REFEREE_CV.replace("jane.doe@example.org | ", ""), None),  # only others' addresses: none
        (
            "Jane Doe\nj.work@corp.example | jane.doe@mail.example\n\nEXPERIENCE\nNurse | Mercy, Chicago\n",
            "jane.doe@mail.example",
        ),
        (
            "Jane Doe\nEmail: jd77@mail.example\nPhone: 555 010 2000\n\nEXPERIENCE\nNurse | Mercy\n",
            "jd77@mail.example",
        ),
    ],
)
def test_the_address_is_the_persons_own_or_none(cv: str, expected: str | None) -> None:
    """A digest goes to the profile's address: never a referee's, a manager's or one from the body."""
    profile = build_profile(cv, user_id="jane")
    assert profile.contact.email == expected
