"""Suggested titles come from the person's own titles, generalised only where the CV backs every word."""

from __future__ import annotations

from datetime import date

import pytest

from jobland_pipeline.lexicon.tokens import latin_words
from jobland_pipeline.profiles import build_profile, suggest_titles

AS_OF = date(2026, 12, 1)


def _titles(text: str, **kw: object) -> list:  # type: ignore[type-arg]
    return suggest_titles(build_profile(text, user_id="u", as_of=AS_OF), **kw)  # type: ignore[arg-type]


ELECTRICIAN = """Sam Example
Approved Electrician

Email: sam@example.com
Location: Leeds, UK

EXPERIENCE
Approved Electrician - Aire Valley Electrical Contractors Ltd, Leeds
March 2020 - present
- Commercial installation and maintenance: containment, three-phase distribution boards, fault-finding.
- Inspection and testing; EICRs and Minor Works certificates.

Electrician - Kirkstall Home Services, Leeds
September 2017 - February 2020
- Domestic rewires and consumer unit upgrades.

Apprentice Electrician - Kirkstall Home Services, Leeds
September 2013 - August 2017
- Four-year apprenticeship.

SKILLS
Commercial and industrial installation; maintenance; inspection and testing; fault-finding
"""

CAREER_CHANGER = """Maricel Example
Logistics Coordinator (career changer from airline cabin crew)

Email: m@example.com
Location: Dubai, United Arab Emirates
Looking for: a junior logistics coordinator role in Dubai. I am not looking to go back to cabin crew work.

EXPERIENCE
Logistics Coordinator - Creekside Freight Services LLC, Dubai
March 2025 - present
- Coordinate sea-freight and air-freight import and export shipments; shipping documents.

Senior Cabin Crew - Gulfwing Airways, Dubai
June 2016 - November 2023
- Led cabin teams on long-haul flights.

SKILLS
Shipment coordination; import and export documentation; customs declarations; CargoWise
"""

CHINESE = """王示例
资深律师

电子邮箱：wang@example.com
所在地：上海市
求职意向：公司并购律师，或企业法务经理、法律顾问职位。

工作经历
资深律师 — 上海某律师事务所
2021年3月 – 至今
・起草并谈判股权转让协议。

律师 — 上海另一律师事务所
2017年7月 – 2021年2月
・参与外资企业设立项目。
"""


def test_titles_are_the_persons_own_first_and_every_word_is_on_the_cv() -> None:
    titles = _titles(ELECTRICIAN)
    names = [t.title for t in titles]
    assert names[:2] == ["Approved Electrician", "Electrician"] or names[0] == "Approved Electrician"
    assert 5 <= len(titles) <= 10
    cv_words = {w for w in latin_words(ELECTRICIAN)}
    for t in titles:
        assert t.reason, t.title
        missing = [w for w in latin_words(t.title) if w not in cv_words and w not in {"of", "and"}]
        assert not missing, (t.title, missing)  # never a title with no evidence in the CV


def test_no_title_below_the_persons_level() -> None:
    assert not any("apprentice" in t.title.lower() for t in _titles(ELECTRICIAN, limit=10))


def test_career_changer_gets_the_new_line_not_the_old_one() -> None:
    titles = [t.title.lower() for t in _titles(CAREER_CHANGER, limit=10)]
    assert titles[0] == "logistics coordinator"
    assert not any("cabin" in t or "crew" in t for t in titles)


def test_chinese_cv_gets_chinese_titles_including_its_stated_targets() -> None:
    titles = [t.title for t in _titles(CHINESE)]
    assert titles[0] == "资深律师"
    assert {"企业法务经理", "法律顾问"} <= set(titles)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in titles)
    assert all("简历" in t.reason or "职位" in t.reason or "求职" in t.reason for t in _titles(CHINESE))


def test_pinned_titles_come_first() -> None:
    titles = _titles(ELECTRICIAN, pinned=["Electrical Site Supervisor"])
    assert titles[0].title == "Electrical Site Supervisor" and titles[0].source == "pinned"


def test_taxonomy_generalisation_keeps_the_job() -> None:
    titles = _titles(ELECTRICIAN, limit=10)
    general = [t for t in titles if t.source == "taxonomy"]
    assert general, [t.title for t in titles]
    assert all("electrician" in t.title.lower() for t in general)
    assert all("O*NET" in t.reason for t in general)


FOUNDER = """Alex Example
San Francisco, CA | alex@example.com

EXPERIENCE
Co-Founder & CTO, Example AI - San Francisco, CA
June 2023 - present
- Built the model-serving platform; scaled engineering from 3 to 28 people.

Senior Machine Learning Engineer, Bigco - San Francisco, CA
May 2019 - May 2023
- Trained and deployed ranking models.

SKILLS
Python, PyTorch, Kubernetes
"""


def test_a_founders_joined_title_gives_the_job_and_its_acronym_spelled_out() -> None:
    titles = [t.title for t in _titles(FOUNDER, limit=10)]
    assert "Co-Founder & CTO" not in titles
    assert titles[0] == "CTO"
    assert "Chief Technology Officer" in titles  # the CV's "CTO" backs every word
    assert not any("founder" in t.lower() for t in titles)
    assert "Machine Learning Engineer" in titles


def test_a_title_joined_by_its_qualifiers_stays_whole() -> None:
    from jobland_pipeline.profiles.titles import _split_compound

    assert _split_compound("Sales & Marketing Manager") == ["Sales & Marketing Manager"]
    assert _split_compound("Owner / Head Chef") == ["Head Chef"]
    assert _split_compound("Founding Member & Site Reliability Engineer & Infrastructure Team Lead") == [
        "Site Reliability Engineer",
        "Infrastructure Team Lead",
    ]


def test_the_unit_a_director_heads_is_not_part_of_the_title() -> None:
    cv = FOUNDER.replace(
        "Co-Founder & CTO, Example AI", "Founding Member & Director of Infrastructure Division, Kasa"
    )
    titles = [t.title for t in _titles(cv, limit=10)]
    assert titles[0] == "Director of Infrastructure"
    assert not any("Division" in t or "Founding" in t for t in titles)


def test_real_cv_of_a_founder_searches_the_job_not_the_stake() -> None:
    from jobland_pipeline.documents import extract_file
    from tests.conftest import REAL_CVS

    doc = extract_file(REAL_CVS / "rendercv_John_Doe_EngineeringresumesTheme_CV.pdf")
    profile = build_profile(doc.text, user_id="u", language=doc.language, as_of=AS_OF)
    titles = [t.title for t in suggest_titles(profile)]
    assert titles[:2] == ["CTO", "Chief Technology Officer"]
    assert not any("&" in t or "Intern" in t for t in titles)  # the PhD's internships are behind them


GRADUATE = """Priya Example
priya@example.com

B.E. Electrical - Shivaji University
June 2019 - May 2023

Diploma in Electrical Engineering - Government Polytechnic, Pune
June 2016 - May 2019

Skills: AutoCAD, PLC, MATLAB
"""


def test_a_graduates_degree_gives_the_job_it_trains_for_never_the_degree_itself() -> None:
    titles = _titles(GRADUATE)
    assert [t.title for t in titles] == ["Electrical Engineer"]
    assert "B.E. Electrical" in titles[0].reason


@pytest.mark.parametrize(
    ("degree", "job"),
    [
        ("LLB Law Mumbai", "Lawyer"),
        ("BTech CSE", "Software Engineer"),
        ("Bachelor of Engineering (BE) Electronics", "Electronics Engineer"),
        ("M.Tech Structural Engineering", "Structural Engineer"),
        ("MBA Finance", None),  # a manager's title is not a new graduate's
        ("B.E. (Mechanical)", "Mechanical Engineer"),
        ("BE(Civil)", "Civil Engineer"),
        ("B.E. E&TC", None),  # no field of two letters ("E Engineer")
        ("Bachelor of Law Enforcement", None),
    ],
)
def test_degrees_and_their_jobs(degree: str, job: str | None) -> None:
    from jobland_pipeline.profiles.titles import _degree_titles

    assert _degree_titles(degree) == ([job] if job else [])


@pytest.mark.parametrize(
    ("title", "searchable"),
    [
        ("B.E. Electrical", False),
        ("Bachelor of Arts Sociology", False),
        ("Master Law Chennai", False),
        ("description", False),
        ("Mumbai", False),
        (
            "COMPUTER KNOWLEDGE Drafting tools AutoCAD Packages MS Office Applications Operating systems",
            False,
        ),
        ("Scrum Master", True),
        ("Driver", True),  # a job noun, though a town is called so
        ("Cook", True),
        ("iOS Developer", True),
        ("Köchin", True),
        ("大堂经理", True),
        ("Intermediate Accountant", True),  # a level, not a school year
        ("LLM Engineer", True),
        ("PhD Researcher", True),
        ("Master Electrician", True),
        ("Senior Executive PMO", True),
        ("资深律师", True),
    ],
)
def test_what_reads_as_a_job_title(title: str, searchable: bool) -> None:
    from jobland_pipeline.profiles.titles import _reads_as_title

    assert _reads_as_title(title) is searchable


def test_a_labelled_title_loses_its_label() -> None:
    from jobland_pipeline.profiles.titles import _display

    assert _display("Role: Civil Engineer") == "Civil Engineer"
    assert _display("Designation - Java Developer") == "Java Developer"
    assert _display("Post-doctoral Fellow") == "Post-doctoral Fellow"
    assert _display("Puesto: Gerente de Ventas") == "Gerente de Ventas"
    assert _display("职位：会计") == "会计"


@pytest.mark.parametrize(
    ("title", "parts"),
    [
        ("QA / QC Inspector", ["QA / QC Inspector"]),  # a field acronym is no job of its own
        ("ML / AI Engineer", ["ML / AI Engineer"]),
        ("Founder & CEO", ["CEO"]),
    ],
)
def test_only_job_parts_split_a_joined_title(title: str, parts: list[str]) -> None:
    from jobland_pipeline.profiles.titles import _split_compound

    assert _split_compound(title) == parts


@pytest.mark.parametrize(
    ("title", "plain"),
    [
        ("Director of the Finance Department", "Director of Finance"),
        ("Head of Red Team", "Head of Red Team"),  # the team is the job
        ("Head of Business Unit", "Head of Business Unit"),
    ],
)
def test_only_a_department_or_division_is_dropped(title: str, plain: str) -> None:
    from jobland_pipeline.profiles.titles import _UNIT

    assert _UNIT.sub(r"of \1", title) == plain


OBJECTIVE_CV = """Priya Example
priya@example.com

{objective}

EDUCATION
B.Sc. Mathematics, University of Pune, 2024
"""


@pytest.mark.parametrize(
    ("objective", "first"),
    [
        (
            "OBJECTIVE\nTo obtain an entry-level software developer position in a growing company.",
            "Entry-level software developer",
        ),
        ("Career Objective: To work as a Civil Engineer in a reputed organization.", "Civil Engineer"),
        ("Aspiring Data Scientist with a passion for machine learning.", "Data Scientist"),
        ("SUMMARY\nRecent graduate looking for a position as a Business Analyst.", "Business Analyst"),
        ("OBJECTIVE\nTo secure a challenging position as a Mechanical Engineer.", "Mechanical Engineer"),
    ],
)
def test_the_job_an_objective_names_comes_first(objective: str, first: str) -> None:
    titles = [t.title for t in _titles(OBJECTIVE_CV.format(objective=objective))]
    assert titles[0] == first


def test_an_objective_without_a_job_names_none() -> None:
    for objective in (
        "OBJECTIVE\nTo pursue a career in finance.",
        "SUMMARY\nLooking to join a startup in a leadership role.",
    ):
        profile = build_profile(OBJECTIVE_CV.format(objective=objective), user_id="u", as_of=AS_OF)
        assert profile.targets == []


def test_an_entry_level_title_is_also_searched_as_postings_write_it() -> None:
    cv = OBJECTIVE_CV.format(objective="OBJECTIVE\nTo obtain an entry-level software developer position.")
    assert [t.title for t in _titles(cv)][:2] == ["Entry-level software developer", "Software developer"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Served in the role as interim manager for six months.",  # a past role, not a goal
        "Began my career as a Software Engineer at IBM.",
        "I used to work as a chef in Paris.",
        "Authorised to work as a Registered Nurse in the UK.",
        "My career as a nurse spans 15 years.",
        "Consistently exceeded targets in my position as Regional Sales Manager.",
        "Mentored interns to get promoted.",
        "To pursue a career in finance.",
    ],
)
def test_a_sentence_about_past_work_names_no_target(sentence: str) -> None:
    from jobland_pipeline.profiles.constraints import read_targets

    assert read_targets([sentence]) == []


@pytest.mark.parametrize(
    ("sentence", "targets"),
    [
        ("Aspiring lawyer passionate about human rights.", ["lawyer"]),
        ("Aspiring Data Scientist and former Teacher.", ["Data Scientist"]),
        ("Looking for a job as a waiter, bartender or barista.", ["waiter", "bartender", "barista"]),
        ("To obtain a Data Analyst position that builds on my Lab Technician role.", ["Data Analyst"]),
        (
            "Looking for a Data Analyst role, building on my experience in the job as a lab technician.",
            ["Data Analyst"],
        ),
        ("Objective: Looking for an opportunity as a Java Developer", ["Java Developer"]),
        ("Suche eine Stelle als Pflegefachkraft", ["Pflegefachkraft"]),
    ],
)
def test_an_objective_names_only_the_jobs_it_wants(sentence: str, targets: list[str]) -> None:
    from jobland_pipeline.profiles.constraints import read_targets

    assert read_targets([sentence]) == targets


def test_an_entry_level_spelled_with_a_space_keeps_its_title_whole() -> None:
    cv = OBJECTIVE_CV.format(objective="OBJECTIVE\nTo obtain an Entry Level Sales Associate position.")
    assert not any(t.title.startswith("Level") for t in _titles(cv))


def test_an_index_form_of_a_taxonomy_title_is_never_suggested() -> None:
    cv = OBJECTIVE_CV.format(objective="OBJECTIVE\nTo obtain an entry-level software developer position.")
    titles = [t.title for t in _titles(cv, limit=10)]
    assert "Developer of Software" not in titles
    assert "Software developer" in titles
