"""Chinese screening: pay, benefits and hours are not requirements, and shared terms are real words.

Wang Fang (a senior accountant in Shanghai) against the bundled Chinese accounting postings, plus
postings written here with other ways of heading a benefits section, and an English posting to show
that its requirements are read as before.
"""

from __future__ import annotations

import re

from jobland_pipeline.lexicon.tokens import fold
from jobland_pipeline.postings import load_postings
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.requirements import _read_lines, requirement_lines
from jobland_pipeline.screening import screen_postings
from jobland_pipeline.screening.analysis import analyse
from tests.conftest import SAMPLE_POSTINGS

# Words of pay, benefits and working hours: none of them names something a CV can hold.
OFFER_WORDS = re.compile(
    r"福利|薪资|月薪|五险一金|补贴|餐补|带薪|年终奖|体检|双休|工作时间|周一至周五|面议|节日"
)
REASON_COUNT = re.compile(r"满足其(\d+)项要求中的(\d+)项")
SHARED = re.compile(r"共同要点：(.+)")


def _chinese_postings() -> list[Posting]:
    postings = [p for p in load_postings(SAMPLE_POSTINGS) if p.id.startswith("smp-fincn-")]
    assert len(postings) >= 6
    return postings


def _listed_requirements(description: str) -> list[str]:
    """The bulleted lines under the posting's "任职要求" heading, read here independently of the engine."""
    after = description.split("任职要求", 1)[1].split("\n")[1:]
    lines = []
    for line in after:
        if not line.startswith("- "):
            break
        lines.append(line[2:].strip())
    return lines


def _screen_wang(sample_profiles, postings):  # type: ignore[no-untyped-def]
    profile, text = sample_profiles["wang_fang"]
    return {s.posting_id: s for s in screen_postings(profile, postings, cv_text=text)}, text


def test_no_pay_benefit_or_schedule_line_is_a_requirement_or_missing(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    postings = _chinese_postings()
    results, _ = _screen_wang(sample_profiles, postings)
    for posting in postings:
        # The bundled postings do have such sections: the check is not vacuous.
        assert "福利待遇" in posting.description
        lines = [r.line for r in analyse(posting).requirements]
        assert lines and not [line for line in lines if OFFER_WORDS.search(line)], (posting.id, lines)
        missing = results[posting.id].missing_skills
        assert not [line for line in missing if OFFER_WORDS.search(line)], (posting.id, missing)
        assert not [line for line in missing if line.rstrip(":：").endswith(("福利待遇", "薪资"))]


def test_the_requirement_count_counts_the_requirement_lines_only(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    postings = _chinese_postings()
    results, _ = _screen_wang(sample_profiles, postings)
    for posting in postings:
        listed = _listed_requirements(posting.description)
        assert listed, posting.id
        [count] = [m for r in results[posting.id].reasons if (m := REASON_COUNT.search(r))]
        total, covered = int(count.group(1)), int(count.group(2))
        # Every listed requirement is counted (a line saying "要求" elsewhere may add one), no offer line is.
        lines = [r.line for r in analyse(posting).requirements]
        assert total == len(lines) and set(listed) <= set(lines), (posting.id, total, listed, lines)
        assert total <= len(listed) + 1 and 0 <= covered <= total


def test_shared_terms_are_whole_terms_not_bigrams_across_words(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    postings = _chinese_postings()
    results, cv_text = _screen_wang(sample_profiles, postings)
    cv = fold(cv_text)
    straddling = {"级会", "业所", "技有", "有限", "限公", "年"}
    for posting in postings:
        [shared] = [m.group(1) for r in results[posting.id].reasons if (m := SHARED.search(r))]
        terms = shared.split("、")
        assert terms and not straddling & set(terms), (posting.id, terms)
        for term in terms:
            # A term of two characters or more, in both texts (the posting's title is part of it), and not part of a company's name.
            assert (
                len(term) >= 2 and term in cv and term in fold(f"{posting.title}\n{posting.description}")
            ), (posting.id, term)
            assert not re.search(r"有限|公司|集团", term) and term not in fold(posting.company)
    senior = results["smp-fincn-005"]
    [shared] = [m.group(1) for r in senior.reasons if (m := SHARED.search(r))]
    assert "高级会计" in shared.split("、") or "会计" in shared.split("、")


def _posting(pid: str, description: str, title: str = "会计") -> Posting:
    return Posting(id=pid, title=title, company="测试公司", location="上海", description=description)


SYNTHETIC = {
    "bracketed": """【岗位职责】
1. 负责日常账务处理及月度结账
2. 编制财务报表
【任职要求】
1. 本科及以上学历，会计相关专业
2. 三年以上会计工作经验，熟练使用金蝶K3
3. 持有初级会计师证书
【福利待遇】
1. 五险一金，周末双休
2. 年终奖金，带薪年假
【工作地点】
北京市朝阳区建国路88号""",
    "numbered": """一、岗位职责：
1、负责总账核算
二、任职资格：
1、财务相关专业，本科学历
2、熟练使用用友NC系统
3、熟悉增值税申报流程
三、薪资福利：
1、月薪8000-12000元，具体面议
2、餐补、交通补贴，节日福利
四、联系方式：张女士 010-12345678""",
    "we_offer": """任职要求：
- 两年以上出纳经验
- 持有会计从业资格证
- 熟悉银行结算业务
我们提供：
- 有竞争力的薪资
- 弹性工作时间，带薪年假
工作时间: 周一至周五 9:00-18:00""",
}
SYNTHETIC_REQUIREMENTS = {
    "bracketed": [
        "本科及以上学历，会计相关专业",
        "三年以上会计工作经验，熟练使用金蝶K3",
        "持有初级会计师证书",
    ],
    "numbered": ["财务相关专业，本科学历", "熟练使用用友NC系统", "熟悉增值税申报流程"],
    "we_offer": ["两年以上出纳经验", "持有会计从业资格证", "熟悉银行结算业务"],
}


def test_benefit_sections_under_other_chinese_headings_are_not_requirements(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    postings = [_posting(f"syn-{name}", text) for name, text in SYNTHETIC.items()]
    results, _ = _screen_wang(sample_profiles, postings)
    for name, posting in zip(SYNTHETIC, postings, strict=True):
        lines = [r.line for r in analyse(posting).requirements]
        assert lines == SYNTHETIC_REQUIREMENTS[name], (name, lines)
        [count] = [m for r in results[posting.id].reasons if (m := REASON_COUNT.search(r))]
        assert int(count.group(1)) == len(SYNTHETIC_REQUIREMENTS[name])
        assert not [line for line in results[posting.id].missing_skills if OFFER_WORDS.search(line)]


def test_the_heading_walk_alone_took_benefits_for_requirements() -> None:
    """What the fix is for: the heading walk alone reads these benefit lines as requirement lines;
    ``requirement_lines`` (which every reader of requirements calls) leaves them out."""
    lines, _ = _read_lines(SYNTHETIC["numbered"])
    assert [line for line in lines if OFFER_WORDS.search(line)]
    kept, explicit = requirement_lines(SYNTHETIC["numbered"])
    assert explicit and kept == SYNTHETIC_REQUIREMENTS["numbered"]


ENGLISH = """About the role
You will run payroll and month-end close for our UK entities.

Requirements
- 3+ years of payroll experience
- Must hold an ACCA or CIMA qualification
- Advanced Excel (pivot tables, VLOOKUP)

Benefits
- 25 days holiday plus bank holidays
- Private health insurance
- Hybrid working, 2 days a week in the office

Salary: £45,000 - £52,000"""


def test_an_english_posting_with_a_benefits_section_reads_as_before() -> None:
    posting = Posting(
        id="en-1", title="Payroll Accountant", company="Acme Ltd", location="London", description=ENGLISH
    )
    expected = [
        "3+ years of payroll experience",
        "Must hold an ACCA or CIMA qualification",
        "Advanced Excel (pivot tables, VLOOKUP)",
    ]
    assert requirement_lines(ENGLISH) == (expected, True)
    assert [r.line for r in analyse(posting).requirements] == expected


def test_skills_come_before_personal_qualities_in_missing(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    description = """任职要求：
- 具备良好的团队合作精神和抗压能力
- 熟悉SQL Server数据库及Python编程
- 熟悉增值税申报流程"""
    [result] = screen_postings(
        sample_profiles["wang_fang"][0],
        [_posting("syn-soft", description)],
        cv_text=sample_profiles["wang_fang"][1],
    )
    missing = result.missing_skills
    assert "熟悉SQL Server数据库及Python编程" in missing and "具备良好的团队合作精神和抗压能力" in missing
    assert missing.index("熟悉SQL Server数据库及Python编程") < missing.index(
        "具备良好的团队合作精神和抗压能力"
    )


def test_a_quality_the_cv_claims_is_not_listed_as_missing(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    profile, text = sample_profiles["wang_fang"]
    assert "细致" in text and "沟通" in text  # the CV says "工作细致严谨，沟通协调能力强"
    description = """任职要求：
- 工作认真细致，责任心强，具备良好的沟通能力
- 熟悉SQL Server数据库及Python编程"""
    [result] = screen_postings(profile, [_posting("syn-claimed", description)], cv_text=text)
    assert result.missing_skills == ["熟悉SQL Server数据库及Python编程"]
    [count] = [m for r in result.reasons if (m := REASON_COUNT.search(r))]
    assert int(count.group(1)) == 2  # still a requirement: counted, just not named as missing


def test_a_benefit_naming_a_credential_is_not_a_required_credential() -> None:
    """ "中级职称考试费用报销" under a bare "福利待遇" heading is a benefit, not a licence the job requires."""
    description = """任职要求：
- 本科及以上学历，会计相关专业
- 三年以上会计工作经验
福利待遇
- 五险一金，周末双休
- 中级职称、CPA考试费用报销及通过奖励
工作地点：上海市浦东新区"""
    demands = analyse(_posting("syn-credential", description)).demands
    assert "三年以上会计工作经验" in demands.required
    assert not [c for c in demands.credentials if "职称" in c.text]
    assert not [s for s in demands.required if OFFER_WORDS.search(s) or "职称" in s or "工作地点" in s]


def test_tailoring_keywords_and_dossiers_leave_out_pay_and_benefits_too() -> None:
    """The ATS keywords of a tailored CV and a dossier's skills in demand read requirements the way the
    screening does: "五险一金" or a salary line is what the employer offers, not a keyword to match."""
    from jobland_pipeline.generation.text import PostingText
    from jobland_pipeline.research.dossier import build_dossier

    postings = _chinese_postings()
    assert postings
    for posting in postings:
        asked = PostingText.of(posting).requirements
        assert asked, posting.id
        assert not [line for line in asked if OFFER_WORDS.search(line)], posting.id
    for company in sorted({p.company for p in postings}):
        dossier = build_dossier(company, [p for p in postings if p.company == company])
        assert not [s for s in dossier.skills_in_demand if OFFER_WORDS.search(s)], company
        assert dossier.skills_in_demand, company


def test_a_chinese_requirement_is_covered_by_the_words_the_cv_has(sample_profiles) -> None:  # type: ignore[no-untyped-def]
    """Bigrams across two words (会计、财务管理等相关专业 -> 理等, 等相) are in no CV: read by character, a
    senior accountant with 中级会计师 covers an accountant's requirements, and what she lacks stays missing."""
    postings = _chinese_postings()
    results, cv_text = _screen_wang(sample_profiles, postings)
    junior = results["smp-fincn-001"]  # 会计: degree in accounting, 2 years, 初级/中级 title, 准则与税法
    [count] = [m for r in junior.reasons if (m := REASON_COUNT.search(r))]
    assert int(count.group(2)) >= 3, junior.reasons
    assert "熟悉中国会计准则与税法" not in junior.missing_skills
    assert "中级会计师" in cv_text  # what covers "持有中级会计师证书者优先"
    assert not [line for line in junior.missing_skills if "中级会计师" in line]
    posting = Posting(
        id="zh-other",
        title="会计",
        company="华诚科技有限公司",
        location="上海",
        source="local",
        description="任职要求：\n- 熟练使用SAP FICO模块与金蝶云星空\n- 持有ACCA资格证书\n- 熟悉Java开发，有大型分布式系统设计经验",
    )
    other = _screen_wang(sample_profiles, [posting])[0]["zh-other"]
    assert "持有ACCA资格证书" in other.missing_skills  # she has no ACCA
    [count] = [m for r in other.reasons if (m := REASON_COUNT.search(r))]
    assert (count.group(1), count.group(2)) == ("3", "0")  # 系统 and 设计 alone do not cover the Java line
