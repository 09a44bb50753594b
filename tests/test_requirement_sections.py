"""Pay, benefits, hours and place sections are not requirements, for every reader of requirements.

``postings.requirements.requirement_lines`` leaves those lines out itself, so the screening's
requirements, a tailored CV's keywords and a dossier's skills in demand all read the same lines. The
postings here list things under their offer headings that look like skills ("Python training budget",
"AWS certification paid for", "CPA考试培训", "Excel进阶课程"), under headings the requirements walk does
not know on its own ("Compensation & Benefits", "三、薪资福利：", "【福利待遇】", "工作时间：…").
"""

from __future__ import annotations

import unicodedata

import pytest

from jobland_pipeline.generation.text import PostingText
from jobland_pipeline.lexicon.sections import offer_lines
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.requirements import _read_lines, requirement_lines
from jobland_pipeline.research.dossier import build_dossier
from jobland_pipeline.screening.analysis import analyse

ENGLISH = """About the role
You will build the data platform behind our pricing.

Requirements
- 3+ years building data pipelines in Python
- Strong SQL and data modelling
- Experience with Airflow or Dagster

Compensation & Benefits
- Python training budget
- AWS certification paid for
- Kubernetes conference ticket every year"""

CHINESE = """一、岗位职责：
1、负责财务数据分析
二、任职要求：
1、本科及以上学历，财务相关专业
2、熟练使用SQL与Python进行数据分析
3、三年以上财务分析经验
三、薪资福利：
1、CPA考试培训，考试费用报销
2、Excel进阶课程
【福利待遇】
- 财务建模与数据分析培训
工作时间：周一至周五 9:00-18:00"""

CASES = {
    "english": (
        ENGLISH,
        [
            "3+ years building data pipelines in Python",
            "Strong SQL and data modelling",
            "Experience with Airflow or Dagster",
        ],
        ["Python training budget", "AWS certification paid for", "Kubernetes conference ticket every year"],
    ),
    "chinese": (
        CHINESE,
        ["本科及以上学历，财务相关专业", "熟练使用SQL与Python进行数据分析", "三年以上财务分析经验"],
        [
            "CPA考试培训，考试费用报销",
            "Excel进阶课程",
            "财务建模与数据分析培训",
            "工作时间：周一至周五 9:00-18:00",
        ],
    ),
}


def _nfkc(lines: list[str]) -> list[str]:
    return [unicodedata.normalize("NFKC", line) for line in lines]


def _posting(name: str, description: str) -> Posting:
    return Posting(
        id=f"offer-{name}", title="财务数据分析师", company=f"Offer Co {name}", description=description
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_walk_alone_would_take_the_offer_lines_for_requirements(name: str) -> None:
    """Not vacuous: under these headings the heading walk reads the offer items as requirements."""
    description, expected, offered = CASES[name]
    lines, explicit = _read_lines(description)
    assert explicit and lines[: len(expected)] == expected
    assert set(offered) & set(lines), lines


@pytest.mark.parametrize("name", sorted(CASES))
def test_requirement_lines_leave_the_offer_section_out(name: str) -> None:
    description, expected, offered = CASES[name]
    lines, explicit = requirement_lines(description)
    assert (lines, explicit) == (expected, True)
    assert not set(offered) & set(lines)


@pytest.mark.parametrize("name", sorted(CASES))
def test_screening_tailoring_and_dossier_read_the_same_requirements(name: str) -> None:
    description, expected, offered = CASES[name]
    posting = _posting(name, description)
    analysis = analyse(posting)
    assert [r.line for r in analysis.requirements] == expected and analysis.explicit
    # Generation reads the posting as plain text, its punctuation NFKC-normalised ("，" -> ",").
    assert PostingText.of(posting).requirements == _nfkc(expected)
    assert build_dossier(posting.company, [posting]).skills_in_demand == expected
    for line in offered:
        assert line not in [r.line for r in analysis.requirements]
        assert unicodedata.normalize("NFKC", line) not in PostingText.of(posting).requirements


def test_a_condition_in_an_offer_section_stays_a_requirement() -> None:
    """A line under "Schedule" that says "must" is one the posting made a condition."""
    description = """Requirements
- Valid food hygiene certificate

Schedule & Pay
- Four 10-hour shifts a week
- Must be able to work weekends
- Free barista course"""
    lines, explicit = requirement_lines(description)
    assert explicit and lines == ["Valid food hygiene certificate", "Must be able to work weekends"]


def test_when_only_offer_lines_were_listed_every_reader_gets_the_duty_lines() -> None:
    """A requirements heading followed straight by the pay section: the posting is read again without
    the offer lines, and its duties (flagged as weaker) are what the screening, the tailoring and the
    dossier read. (The dossier used to keep nothing here; it now reads what the screening reads.)"""
    description = """一、岗位职责：
- 负责总账核算
- 编制月度财务报表
二、任职要求：
三、薪资福利：
1、月薪8000-12000元
2、Excel培训补贴"""
    duties = ["负责总账核算", "编制月度财务报表"]
    assert _read_lines(description) == (["薪资福利：", "月薪8000-12000元", "Excel培训补贴"], True)
    assert requirement_lines(description) == (duties, False)
    posting = _posting("fallback", description)
    analysis = analyse(posting)
    assert [r.line for r in analysis.requirements] == duties and not analysis.explicit
    assert PostingText.of(posting).requirements == duties
    assert build_dossier(posting.company, [posting]).skills_in_demand == duties


TITLE_CASE_ITEMS = {
    "english": (
        """Requirements
- 3+ years of Python
- Experience with Terraform

Compensation & Benefits
- Private Health Insurance
- Kubernetes Conference Budget
- 25 days holiday and AWS certification paid for""",
        ["3+ years of Python", "Experience with Terraform"],
    ),
    "chinese": (
        """任职要求：
- 熟练使用SQL与Python
三、薪资福利：
- Power BI认证补贴
- CPA考试培训，考试费用报销""",
        ["熟练使用SQL与Python"],
    ),
}


@pytest.mark.parametrize("name", sorted(TITLE_CASE_ITEMS))
def test_a_title_case_item_does_not_end_an_offer_section(name: str) -> None:
    """ "- Private Health Insurance" and "- Power BI认证补贴" are items of the benefits list, not headings of
    a new section: what follows them in that list is no requirement either."""
    description, expected = TITLE_CASE_ITEMS[name]
    assert requirement_lines(description) == (expected, True)
    posting = _posting(f"title-{name}", description)
    assert [r.line for r in analyse(posting).requirements] == expected
    assert PostingText.of(posting).requirements == _nfkc(expected)
    assert build_dossier(posting.company, [posting]).skills_in_demand == expected


def test_a_title_case_line_that_is_no_list_item_still_ends_an_offer_section() -> None:
    description = """Benefits
- Private Health Insurance
- Stock Options
Our Team
- Twelve engineers across Berlin and Lisbon
**Why Join Us**
- Kubernetes at scale"""
    assert offer_lines(description) == frozenset(
        {"Benefits", "Private Health Insurance", "Stock Options", "Why Join Us", "Kubernetes at scale"}
    )


@pytest.mark.parametrize(
    "heading",
    ["* **Basic Qualifications**", "- **Requirements**", "• Tech Stack:", "• Core Competencies"],
)
def test_a_list_item_written_as_a_heading_ends_an_offer_section(heading: str) -> None:
    """A bulleted bold item, one ending with a colon, or a named section after the benefits starts the
    requirements: they are not offer lines, and the requirement reader keeps them."""
    text = "\n".join(
        [
            "Benefits",
            "- Private Health Insurance",
            "- 25 Days Holiday",
            heading,
            "- 3+ years of Python in production",
            "- Experience with AWS and Terraform",
        ]
    )
    offer = offer_lines(text)
    assert {"Private Health Insurance", "25 Days Holiday"} <= offer
    assert (
        "3+ years of Python in production" not in offer and "Experience with AWS and Terraform" not in offer
    )
    lines, _ = requirement_lines(text)
    assert "3+ years of Python in production" in lines and "Private Health Insurance" not in lines
