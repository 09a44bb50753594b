#!/usr/bin/env python3
"""Generate the bundled sample users' CVs for JobLand.

All four people are fictional. Phone numbers are 555 / Ofcom drama numbers
or obvious placeholders, e-mail addresses use example.com, and employers and
universities are invented.

Outputs (relative to the repository root):

    jobland_pipeline/data/sample_inbox/maria_santos/maria_santos_cv.pdf     (English PDF, 2 pages)
    jobland_pipeline/data/sample_inbox/wang_fang/王芳_简历.pdf               (Simplified Chinese PDF)
    jobland_pipeline/data/sample_inbox/daniel_okafor/Daniel_Okafor_CV.docx   (Word, real styles)
    jobland_pipeline/data/sample_inbox/emma_clarke/emma_clarke_resume.txt    (UTF-8 plain text)

The script is deterministic and needs no network: PDFs are written with
reportlab in ``invariant`` mode (fixed dates and document ID) and the DOCX is
re-zipped with fixed member timestamps, so re-running it produces
byte-identical files.

Usage:
    python scripts/make_sample_cvs.py [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "jobland_pipeline" / "data" / "sample_inbox"

FIXED_DATETIME = dt.datetime(2024, 1, 15, 9, 0, 0)
ZIP_DATE_TIME = (2024, 1, 15, 9, 0, 0)


# ---------------------------------------------------------------------------
# 1. Maria Santos — Registered Nurse, Chicago (English PDF, 2 pages)
# ---------------------------------------------------------------------------

MARIA = {
    "name": "Maria Santos, BSN, RN, CCRN",
    "contact": (
        "Chicago, IL  |  (312) 555-0148  |  maria.santos.rn@example.com  |  linkedin.com/in/maria-santos-rn"
    ),
    "summary": (
        "Critical care Registered Nurse with 8 years of acute care experience across "
        "medical-surgical, emergency, and intensive care settings. CCRN-certified ICU nurse "
        "skilled in managing mechanically ventilated patients, titrating vasoactive and "
        "sedation infusions, and recognizing early clinical deterioration. Experienced ESI "
        "triage nurse, rapid response team member, and preceptor for new graduate nurses. "
        "Bilingual English/Spanish; known for clear family communication, calm under "
        "pressure, and a strong commitment to evidence-based, patient-centered care."
    ),
    "experience": [
        {
            "title": "ICU Registered Nurse — Northshore Mercy Hospital, Chicago, IL",
            "unit": "Medical Intensive Care Unit (24 beds, Level I academic affiliate)",
            "dates": "Mar 2021 – Present",
            "bullets": [
                "Provide direct care for 1–2 critically ill adult patients per shift with sepsis, "
                "ARDS, GI bleed, DKA, and multi-organ failure; perform head-to-toe and focused "
                "neurological, cardiac, and respiratory assessments every 1–2 hours.",
                "Manage mechanically ventilated patients (AC/VC, PRVC, APRV) in collaboration with "
                "respiratory therapy; perform daily spontaneous awakening and breathing trials, "
                "contributing to a 1.4-day reduction in average ventilator days on the unit.",
                "Titrate vasoactive drips (norepinephrine, vasopressin, epinephrine, phenylephrine) "
                "and sedation/analgesia (propofol, dexmedetomidine, fentanyl) to MAP, RASS, and "
                "CPOT goals per protocol.",
                "Monitor arterial lines and central venous catheters; assist with bedside "
                "procedures including intubation, central line placement, and bronchoscopy.",
                "Champion for the SEP-1 sepsis bundle: completed lactate, blood cultures, and "
                "antibiotics within 1 hour for 96% of assigned patients; co-led a unit audit that "
                "raised 3-hour bundle compliance from 78% to 92% in 2022.",
                "Respond to rapid response and code blue calls house-wide as a member of the "
                "Rapid Response Team (approximately 15 calls per month).",
                "Precepted 9 new graduate nurses and 4 experienced transfer nurses through a "
                "12-week ICU orientation; all 13 completed orientation and remained on the unit "
                "after 1 year.",
                "Serve as unit infection-control resource nurse; led CLABSI and CAUTI prevention "
                "rounds that helped the MICU reach 14 consecutive months with zero CLABSIs.",
                "Document assessments, drips, and care plans in Epic (flowsheets, MAR, Rover "
                "barcode scanning); Epic super-user for the 2023 ICU flowsheet upgrade.",
            ],
        },
        {
            "title": "Registered Nurse, Emergency Department — St. Brendan Medical Center, Chicago, IL",
            "unit": "Level II Trauma Center, ~65,000 annual visits",
            "dates": "Jun 2018 – Feb 2021",
            "bullets": [
                "Triaged 40–60 patients per 12-hour triage shift using the Emergency Severity "
                "Index (ESI v4); maintained 94% triage accuracy on quarterly chart audits.",
                "Cared for 4–5 patients at a time across acute, fast-track, and resuscitation "
                "areas, including STEMI, stroke, trauma, overdose, and behavioral health patients.",
                "Initiated sepsis screening and standing orders at triage, helping cut the median "
                "door-to-antibiotic time from 94 to 58 minutes.",
                "Served as primary nurse in the resuscitation bay for trauma and cardiac arrest "
                "patients; administered ACLS medications and managed rapid infusers.",
                "Performed IV insertion (including ultrasound-guided IVs), 12-lead ECGs, "
                "splinting, and point-of-care testing; achieved 90%+ first-attempt IV success.",
                "Provided Spanish-language discharge teaching and interpretation support for "
                "Spanish-speaking patients and families.",
                "Served as charge nurse on approximately 4 shifts per month for a team of 12 nurses "
                "and 4 patient care technicians during COVID-19 surge staffing in 2020.",
            ],
        },
        {
            "title": "Staff Nurse, Medical-Surgical Unit — Lakeview Community Hospital, Evanston, IL",
            "unit": "32-bed adult medical-surgical/telemetry unit",
            "dates": "Jul 2016 – May 2018",
            "bullets": [
                "Managed care for 5–6 adult medical and post-operative patients per shift, "
                "including patients with CHF, COPD, diabetes, and post-orthopedic surgery.",
                "Administered oral, IV, and subcutaneous medications, blood products, and TPN; "
                "monitored telemetry and escalated changes in condition to providers.",
                "Completed wound care, ostomy care, and pressure-injury risk assessments "
                "(Braden); unit maintained a hospital-acquired pressure injury rate under 1%.",
                "Delivered discharge education that contributed to a 12% reduction in 30-day "
                "heart failure readmissions on the unit during a 2017 quality initiative.",
                "Member of the unit Falls Prevention Committee; helped implement hourly rounding "
                "that reduced patient falls by 30% in 12 months.",
            ],
        },
    ],
    "education": [
        (
            "Bachelor of Science in Nursing (BSN) — Lakeshore University, Chicago, IL",
            "May 2016  •  School of Nursing  •  Cum Laude, GPA 3.7/4.0  •  "
            "Sigma Theta Tau International Honor Society",
        ),
    ],
    "licenses": [
        "Registered Professional Nurse, State of Illinois — Active, expires 05/2026",
        "CCRN (Adult) — American Association of Critical-Care Nurses (AACN), 2022",
        "ACLS — Advanced Cardiovascular Life Support, American Heart Association, exp. 09/2025",
        "PALS — Pediatric Advanced Life Support, American Heart Association, exp. 09/2025",
        "BLS — Basic Life Support for Healthcare Providers, American Heart Association, exp. 09/2025",
        "NIH Stroke Scale Certification, 2023",
    ],
    "skills": (
        "Patient assessment, Critical care nursing, Mechanical ventilation, Vasoactive drip "
        "titration, Sedation management, Sepsis bundle (SEP-1), Hemodynamic monitoring, "
        "Arterial line and central line care, ESI triage, Rapid response, Code blue / ACLS, "
        "Trauma care, Wound care, Infection control (CLABSI/CAUTI prevention), Patient and "
        "family education, Precepting and mentoring, Charge nurse, Epic EHR, Pyxis, "
        "Alaris infusion pumps"
    ),
    "languages": "English (native), Spanish (fluent)",
}


def _pdf_styles(font: str, bold_font: str, italic_font: str, cjk: bool = False) -> dict:
    wrap = "CJK" if cjk else None
    base = dict(fontName=font, alignment=TA_LEFT, wordWrap=wrap)
    return {
        "name": ParagraphStyle(
            "name", fontName=bold_font, fontSize=22, leading=26, spaceAfter=4, wordWrap=wrap
        ),
        "tagline": ParagraphStyle(
            "tagline",
            fontName=italic_font,
            fontSize=11,
            leading=14,
            spaceAfter=2,
            textColor=colors.HexColor("#333333"),
            wordWrap=wrap,
        ),
        "contact": ParagraphStyle(
            "contact", fontSize=9.5, leading=12, spaceAfter=4, textColor=colors.HexColor("#333333"), **base
        ),
        "heading": ParagraphStyle(
            "heading",
            fontName=bold_font,
            fontSize=11.5,
            leading=14,
            spaceBefore=10,
            spaceAfter=2,
            textColor=colors.HexColor("#1F3A5F"),
            wordWrap=wrap,
        ),
        "role": ParagraphStyle(
            "role", fontName=bold_font, fontSize=10, leading=13, spaceBefore=6, wordWrap=wrap
        ),
        "meta": ParagraphStyle(
            "meta",
            fontName=italic_font,
            fontSize=9.5,
            leading=12,
            spaceAfter=2,
            textColor=colors.HexColor("#444444"),
            wordWrap=wrap,
        ),
        "body": ParagraphStyle("body", fontSize=10, leading=13, spaceAfter=2, **base),
        "bullet": ParagraphStyle(
            "bullet",
            fontSize=10,
            leading=13,
            leftIndent=12,
            bulletIndent=0,
            spaceAfter=2,
            bulletFontName=font,
            **base,
        ),
    }


def _section(story: list, title: str, st: dict) -> None:
    story.append(Paragraph(escape(title), st["heading"]))
    story.append(
        HRFlowable(width="100%", thickness=0.6, color=colors.HexColor("#1F3A5F"), spaceBefore=0, spaceAfter=4)
    )


def _register_vera() -> tuple[str, str, str]:
    """Register the Bitstream Vera TTFs that ship inside the reportlab package.

    The base-14 Helvetica is not used because reportlab encodes "•" as WinAnsi
    code 0x7F, which text extractors (pypdf) do not map back to U+2022. An
    embedded TrueType subset carries a ToUnicode map, so bullets, dashes and
    every other glyph round-trip exactly.
    """
    from reportlab.pdfbase.ttfonts import TTFont

    names = {
        "Vera": "Vera.ttf",
        "Vera-Bold": "VeraBd.ttf",
        "Vera-Italic": "VeraIt.ttf",
        "Vera-BoldItalic": "VeraBI.ttf",
    }
    for name, file in names.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, file))
    pdfmetrics.registerFontFamily(
        "Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic", boldItalic="Vera-BoldItalic"
    )
    return "Vera", "Vera-Bold", "Vera-Italic"


def build_maria_pdf(path: Path) -> None:
    regular, bold, italic = _register_vera()
    st = _pdf_styles(regular, bold, italic)
    story: list = []
    story.append(Paragraph(escape(MARIA["name"]), st["name"]))
    story.append(Paragraph("Registered Nurse — Critical Care / Emergency", st["tagline"]))
    story.append(Paragraph(escape(MARIA["contact"]), st["contact"]))

    _section(story, "PROFESSIONAL SUMMARY", st)
    story.append(Paragraph(escape(MARIA["summary"]), st["body"]))

    _section(story, "EXPERIENCE", st)
    for job in MARIA["experience"]:
        head = [
            Paragraph(escape(job["title"]), st["role"]),
            Paragraph(escape(job["dates"]) + "  |  " + escape(job["unit"]), st["meta"]),
        ]
        bullets = [Paragraph(escape(b), st["bullet"], bulletText="•") for b in job["bullets"]]
        story.append(KeepTogether(head + bullets[:2]))
        story.extend(bullets[2:])

    _section(story, "EDUCATION", st)
    for degree, detail in MARIA["education"]:
        story.append(Paragraph(escape(degree), st["role"]))
        story.append(Paragraph(escape(detail), st["meta"]))

    _section(story, "LICENSES & CERTIFICATIONS", st)
    for lic in MARIA["licenses"]:
        story.append(Paragraph(escape(lic), st["bullet"], bulletText="•"))

    _section(story, "SKILLS", st)
    story.append(Paragraph(escape(MARIA["skills"]), st["body"]))

    _section(story, "LANGUAGES", st)
    story.append(Paragraph(escape(MARIA["languages"]), st["body"]))

    doc = SimpleDocTemplate(
        str(path),
        pagesize=LETTER,
        leftMargin=0.7 * 72,
        rightMargin=0.7 * 72,
        topMargin=0.7 * 72,
        bottomMargin=0.7 * 72,
        title="Maria Santos — CV",
        author="Maria Santos",
        subject="Curriculum Vitae",
        creator="JobLand scripts/make_sample_cvs.py",
        invariant=True,
    )
    doc.build(story, onLaterPages=_page_number_footer("Maria Santos — Page {n}", regular))


def _page_number_footer(fmt: str, font: str):
    def _draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#777777"))
        canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 0.4 * 72, fmt.format(n=doc.page))
        canvas.restoreState()

    return _draw


# ---------------------------------------------------------------------------
# 2. 王芳 (Wang Fang) — 会计, 上海 (Simplified Chinese PDF)
# ---------------------------------------------------------------------------

WANG = {
    "name": "王芳",
    "tagline": "求职意向：高级会计 / 财务主管",
    "info": [
        ("姓名", "王芳"),
        ("电话", "138-0000-1234"),
        ("邮箱", "wangfang.acc@example.com"),
        ("所在地", "上海"),
        ("工作年限", "7年"),
        ("期望职位", "高级会计 / 财务主管"),
    ],
    "summary": (
        "7年财务会计工作经验，先后从事出纳、总账会计及高级会计工作，覆盖贸易、制造业及互联网科技行业。"
        "熟悉企业会计准则及增值税、企业所得税相关法规，能够独立完成月结、年结及合并报表编制，"
        "具备成本核算、税务申报、预算管理及内部控制建设经验。熟练使用用友U8、SAP FI及Excel，"
        "善于通过财务分析模型为管理层提供决策支持。工作细致严谨，沟通协调能力强。"
    ),
    "experience": [
        {
            "dates": "2022.07 – 至今",
            "company": "上海云启科技有限公司",
            "title": "高级会计",
            "bullets": [
                "负责公司及3家子公司的月结、年结及合并报表编制，优化结账流程后月结周期由8个工作日缩短至5个工作日；",
                "负责增值税、企业所得税及个人所得税的纳税申报与汇算清缴，年申报税额约2,600万元，连续3年无税务风险事项；",
                "牵头办理研发费用加计扣除及高新技术企业资质复审，2023年度享受税收优惠约380万元；",
                "作为SAP FI模块关键用户参与系统上线，梳理120余个会计科目及15类凭证模板，系统上线后数据差异率低于0.1%；",
                "搭建Excel财务分析模型（Power Query + 数据透视表），自动生成月度经营分析报告，报告编制时间减少约60%；",
                "参与年度预算编制及月度预算执行分析，覆盖8个部门、年度费用预算约1.2亿元，偏差超过10%的项目及时预警；",
                "配合会计师事务所完成年度审计，准备审计资料200余项，审计调整事项由上一年度的11项降至3项；",
                "梳理费用报销及付款审批流程，完善内部控制制度5项，推动线上审批覆盖率达到100%。",
            ],
        },
        {
            "dates": "2019.04 – 2022.06",
            "company": "上海恒锐精密机械有限公司",
            "title": "总账会计",
            "bullets": [
                "负责总账核算、凭证审核及月结、年结工作，每月审核凭证约1,500张，按时出具资产负债表、利润表及现金流量表；",
                "负责2条生产线、约1,200个物料编码的成本核算，采用分步法归集分配料工费，成本差异分析按月报送管理层；",
                "负责应收应付账款管理，对接约300家供应商及80家客户，应收账款周转天数由75天降至58天；",
                "使用用友U8完成总账、固定资产、存货及应收应付模块日常操作，维护固定资产卡片约2,000张；",
                "协助完成增值税申报及出口退税申报，年度出口退税额约450万元；",
                "配合年度审计、存货盘点及税务稽查，整理内控测试底稿，全年未发现重大缺陷。",
            ],
        },
        {
            "dates": "2017.07 – 2019.03",
            "company": "上海东联国际贸易有限公司",
            "title": "出纳",
            "bullets": [
                "负责日常现金收付及银行结算，月均处理收付款业务约600笔，全年差错率为零；",
                "管理5个人民币及外币银行账户，每月编制银行余额调节表，及时跟进未达账项；",
                "办理外汇收结汇及进口付汇业务，年处理外汇业务金额约800万美元；",
                "协助会计进行应收应付对账及费用报销初审，每月整理并装订会计凭证。",
            ],
        },
    ],
    "education": {
        "dates": "2013.09 – 2017.06",
        "school": "东海财经大学",
        "degree": "会计学  本科（管理学学士）",
        "courses": "主修课程：中级财务会计、高级财务会计、成本会计、税法、审计学、财务管理、管理会计、会计信息系统",
    },
    "skills": [
        "熟悉《企业会计准则》、增值税及企业所得税相关法规，掌握合并报表编制及抵销处理；",
        "熟练使用用友U8、SAP FI（总账、应收应付、资产会计）及金税系统、电子税务局；",
        "精通Excel（VLOOKUP/XLOOKUP、数据透视表、Power Query），可搭建财务分析及预算模型；",
        "具备成本核算、预算管理、资金管理及内部控制流程设计经验。",
    ],
    "certificates": [
        "中级会计师（2021年）",
        "初级会计师（2017年）",
        "注册会计师（CPA）专业阶段合格（2023年）：会计、税法、财务成本管理、经济法、审计、公司战略与风险管理",
    ],
    "languages": [
        "普通话（母语）",
        "英语（CET-6），可阅读英文财务报表及邮件沟通",
    ],
}


class _TextLine(Flowable):
    """A single unwrapped line of text drawn with one drawString call."""

    def __init__(
        self, text: str, font: str, size: float, space_before: float = 0, space_after: float = 0
    ) -> None:
        super().__init__()
        self.text, self.font, self.size = text, font, size
        self.spaceBefore, self.spaceAfter = space_before, space_after

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = self.size * 1.3
        return self.width, self.height

    def draw(self):
        self.canv.setFont(self.font, self.size)
        self.canv.drawString(0, self.size * 0.3, self.text)


def build_wang_pdf(path: Path) -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = "STSong-Light"
    st = _pdf_styles(font, font, font, cjk=True)
    # "•" (U+2022) is outside GBK, so the non-embedded STSong-Light may have no
    # glyph for it in some viewers; draw the bullet glyph with embedded Vera.
    st["bullet"].bulletFontName = _register_vera()[0]
    st["name"].fontSize = 24
    st["name"].leading = 30
    st["heading"].fontSize = 13
    st["heading"].leading = 17
    st["body"].leading = 15
    st["bullet"].leading = 15

    story: list = []
    story.append(Paragraph(escape(WANG["name"]), st["name"]))
    story.append(Paragraph(escape(WANG["tagline"]), st["tagline"]))

    _section(story, "个人信息", st)
    for label, value in WANG["info"]:
        story.append(Paragraph(f"{escape(label)}：{escape(value)}", st["body"]))

    _section(story, "个人简介", st)
    story.append(Paragraph(escape(WANG["summary"]), st["body"]))

    def row(*parts: str) -> _TextLine:
        # One text run per header line (columns separated by spaces), so text
        # extraction keeps "日期    公司    职位" together on a single line.
        return _TextLine("    ".join(parts), font, 11, space_before=7, space_after=3)

    _section(story, "工作经历", st)
    for job in WANG["experience"]:
        header = row(job["dates"], job["company"], job["title"])
        bullets = [Paragraph(escape(b), st["bullet"], bulletText="•") for b in job["bullets"]]
        story.append(KeepTogether([header, *bullets[:2]]))
        story.extend(bullets[2:])

    _section(story, "教育背景", st)
    edu = WANG["education"]
    story.append(row(edu["dates"], edu["school"], edu["degree"]))
    story.append(Paragraph(escape(edu["courses"]), st["body"]))

    _section(story, "专业技能", st)
    for s in WANG["skills"]:
        story.append(Paragraph(escape(s), st["bullet"], bulletText="•"))

    _section(story, "证书", st)
    for c in WANG["certificates"]:
        story.append(Paragraph(escape(c), st["bullet"], bulletText="•"))

    _section(story, "语言能力", st)
    for lang in WANG["languages"]:
        story.append(Paragraph(escape(lang), st["bullet"], bulletText="•"))

    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title="王芳 — 个人简历",
        author="王芳",
        subject="个人简历",
        creator="JobLand scripts/make_sample_cvs.py",
        invariant=True,
    )
    doc.build(story)


# ---------------------------------------------------------------------------
# 3. Daniel Okafor — Data Engineer, London (DOCX)
# ---------------------------------------------------------------------------

DANIEL = {
    "name": "Daniel Okafor",
    "headline": "Senior Data Engineer",
    "contact": (
        "London, UK  |  +44 20 7946 0321  |  daniel.okafor@example.com  |  "
        "linkedin.com/in/daniel-okafor-data  |  github.com/dokafor-data"
    ),
    "profile": (
        "Data engineer with 6 years' experience building reliable batch and streaming data "
        "platforms in retail and fintech. I design and run ELT pipelines in Python, SQL and "
        "Apache Airflow, model data with dbt for analytics and finance teams, and operate "
        "infrastructure on AWS and Snowflake as code with Terraform. I care about data quality, "
        "cost-efficient platforms and making data easy for analysts to trust and use."
    ),
    "experience": [
        {
            "title": "Senior Data Engineer",
            "company": "Harrowgate & Finch Retail Group, London",
            "dates": "Jan 2022 – Present",
            "bullets": [
                "Lead a team of 4 data engineers owning the company's Snowflake data platform, "
                "serving 120+ analysts and 300+ Looker dashboards across 420 UK stores and e-commerce.",
                "Migrated 85 legacy cron/SSIS jobs to Apache Airflow (MWAA) and dbt, cutting "
                "nightly batch runtime from 6.5 hours to 1.8 hours and pipeline failures by 70%.",
                "Built a real-time inventory stream with Apache Kafka (Amazon MSK) and Spark "
                "Structured Streaming processing ~40 million events per day, reducing stock-level "
                "latency on the website from 30 minutes to under 60 seconds.",
                "Designed a Kimball-style dimensional model (14 fact and 30 dimension tables) for "
                "sales, inventory and loyalty data in dbt, with 600+ dbt tests and source freshness checks.",
                "Reduced Snowflake spend by 35% (~£180k a year) through warehouse right-sizing, "
                "clustering keys, incremental models and query-cost monitoring.",
                "Introduced Terraform for AWS and Snowflake resources and a GitHub Actions CI/CD "
                "pipeline (lint, dbt build on Slim CI, Docker image builds), taking deployments "
                "from fortnightly releases to multiple per day.",
                "Mentored 3 junior engineers and ran the fortnightly data engineering guild.",
            ],
        },
        {
            "title": "Data Engineer",
            "company": "Pennyworth Payments Ltd (fintech), London",
            "dates": "Sep 2019 – Dec 2021",
            "bullets": [
                "Built and maintained 60+ Airflow DAGs ingesting card-transaction, ledger and CRM "
                "data from PostgreSQL, Kafka and third-party APIs into an S3 data lake and Amazon Redshift.",
                "Developed PySpark jobs on AWS Glue and EMR processing ~2 TB of transaction data "
                "per day for fraud analytics and regulatory reporting.",
                "Delivered the FCA safeguarding reconciliation pipeline, automating a daily "
                "manual process that previously took the finance team 3 hours.",
                "Implemented data quality checks with Great Expectations, catching 95% of "
                "upstream schema and volume issues before they reached reporting.",
                "Containerised ingestion services with Docker and deployed them to ECS; "
                "managed infrastructure with Terraform.",
                "Partnered with data scientists to productionise a churn model feature store, "
                "reducing feature refresh time from daily to hourly.",
            ],
        },
        {
            "title": "Junior Data Analyst",
            "company": "Brightwell Insurance Services, Reading",
            "dates": "Jul 2018 – Aug 2019",
            "bullets": [
                "Wrote SQL (SQL Server) and Python (pandas) reports on claims and policy data "
                "for underwriting and operations teams.",
                "Automated 12 weekly Excel reports with Python scripts and scheduled jobs, saving "
                "about 10 hours of analyst time per week.",
                "Built Power BI dashboards tracking claims turnaround times across 5 regional offices.",
            ],
        },
    ],
    "education": [
        (
            "BSc (Hons) Computer Science, First Class — University of Northbridge",
            "Sep 2015 – Jun 2018",
            "Dissertation: Scalable stream processing for IoT sensor data with Apache Spark.",
        ),
    ],
    "skills": [
        ("Programming", "Python, SQL, Bash, Scala (basic)"),
        ("Orchestration & transformation", "Apache Airflow, dbt, Great Expectations"),
        ("Big data & streaming", "Apache Spark / PySpark, Apache Kafka, Spark Structured Streaming"),
        ("Cloud & warehouses", "AWS (S3, Glue, Redshift, EMR, MSK, Lambda, ECS), Snowflake, PostgreSQL"),
        ("Infrastructure & DevOps", "Terraform, Docker, GitHub Actions, CI/CD, Git"),
        ("Data modelling", "Kimball dimensional modelling, data vault basics, SCD Type 2, data contracts"),
        ("BI", "Looker, Power BI"),
    ],
    "certifications": [
        "AWS Certified Data Engineer – Associate (2024)",
        "SnowPro Core Certification – Snowflake (2022)",
        "dbt Fundamentals – dbt Labs (2021)",
    ],
    "languages": [
        "English (native)",
        "French (intermediate)",
    ],
}


def _deterministic_zip(data: bytes) -> bytes:
    """Re-write a zip archive with fixed timestamps and stable member order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def build_daniel_docx(path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    for section in doc.sections:
        section.top_margin = Cm(1.8)
        section.bottom_margin = Cm(1.8)
        section.left_margin = Cm(2.0)
        section.right_margin = Cm(2.0)

    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)

    doc.add_paragraph(DANIEL["name"], style="Title")
    headline = doc.add_paragraph()
    run = headline.add_run(DANIEL["headline"])
    run.bold = True
    run.font.size = Pt(12)
    run.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    doc.add_paragraph(DANIEL["contact"])

    doc.add_heading("Profile", level=1)
    doc.add_paragraph(DANIEL["profile"])

    doc.add_heading("Work Experience", level=1)
    for job in DANIEL["experience"]:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(8)
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.keep_with_next = True
        r = p.add_run(f"{job['title']} — {job['company']}")
        r.bold = True
        d = doc.add_paragraph()
        d.paragraph_format.space_after = Pt(2)
        d.paragraph_format.keep_with_next = True
        dr = d.add_run(job["dates"])
        dr.italic = True
        for b in job["bullets"]:
            doc.add_paragraph(b, style="List Bullet")

    doc.add_heading("Education", level=1)
    for degree, dates, note in DANIEL["education"]:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.add_run(degree).bold = True
        d = doc.add_paragraph()
        d.paragraph_format.space_after = Pt(0)
        d.add_run(dates).italic = True
        doc.add_paragraph(note)

    doc.add_heading("Skills", level=1)
    for label, items in DANIEL["skills"]:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f"{label}: ").bold = True
        p.add_run(items)

    doc.add_heading("Certifications", level=1)
    for c in DANIEL["certifications"]:
        doc.add_paragraph(c, style="List Bullet")

    doc.add_heading("Languages", level=1)
    for lang in DANIEL["languages"]:
        doc.add_paragraph(lang, style="List Bullet")

    for p in doc.paragraphs:
        if p.style.name == "Title":
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT

    cp = doc.core_properties
    cp.author = "Daniel Okafor"
    cp.last_modified_by = "Daniel Okafor"
    cp.title = "Daniel Okafor — CV"
    cp.subject = "Curriculum Vitae"
    cp.comments = "Fictional sample CV generated by JobLand scripts/make_sample_cvs.py"
    cp.keywords = ""
    cp.revision = 1
    cp.created = FIXED_DATETIME
    cp.modified = FIXED_DATETIME
    cp.last_printed = FIXED_DATETIME

    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_deterministic_zip(buf.getvalue()))


# ---------------------------------------------------------------------------
# 4. Emma Clarke — High School Mathematics Teacher, Richmond (plain text)
# ---------------------------------------------------------------------------

EMMA_TXT = """\
Emma Clarke
emma.clarke.math@example.com | (804) 555-0192 | Richmond, VA

SUMMARY
Dedicated secondary mathematics teacher with 10 years of experience teaching grades 7-12,
from Math 7 through AP Calculus AB. Current Math Department Chair leading a team of
9 teachers. Uses data-driven instruction, differentiated lessons, and technology
(Google Classroom, Desmos) to raise achievement for all learners, including students
with IEPs and English learners. Committed to mentoring new teachers and building a
collaborative department culture.

EXPERIENCE

Math Department Chair | Larkspur High School, Richmond, VA
07/2022 - Present
- Lead a department of 9 mathematics teachers serving about 1,150 students; run
  bi-weekly PLC meetings focused on common assessments and student data.
- Coordinated the vertical alignment of Algebra I, Geometry, and Algebra II pacing
  guides to the 2023 Virginia Mathematics Standards of Learning.
- Built a shared bank of 60+ common formative assessments in Google Forms, cutting
  teacher grading and data-entry time by about 3 hours per week.
- Mentor 4 first- and second-year teachers through the division's new teacher
  induction program; all 4 were rated "proficient" or higher on their evaluations.
- Manage the department's $12,000 annual budget for instructional materials and
  calculators.

Mathematics Teacher (Algebra I, Geometry, AP Calculus AB) | Larkspur High School, Richmond, VA
08/2018 - Present
- Teach 5 sections (about 130 students) per year of Algebra I, Geometry, and
  AP Calculus AB.
- Raised the Algebra I SOL pass rate of my students from 71% to 86% (+15 points)
  between 2019 and 2023, using weekly data checks and targeted re-teaching groups.
- Grew AP Calculus AB enrollment from 22 to 48 students; 74% of students scored 3 or
  higher on the 2023 AP exam (global average: 58%).
- Differentiate instruction with tiered tasks, small-group stations, and Desmos
  activities for a wide range of learners.
- Collaborate with the special education team to implement IEP and 504 accommodations
  for 25-30 students per year, including co-teaching two inclusion sections of Algebra I.
- Use Google Classroom, Desmos, and Delta Math to deliver assignments and give fast
  feedback; led 3 staff trainings on Desmos classroom activities.
- Run after-school tutoring twice a week and a Saturday SOL review camp, serving
  40+ students each spring.
- Sponsor the school's Math Honor Society (Mu Alpha Theta) chapter, growing it from
  12 to 35 members.

Math Teacher (Grades 7-8) | Hollins Ridge Middle School, Henrico, VA
08/2014 - 06/2018
- Taught Math 7, Math 8, and Pre-Algebra to about 140 students per year.
- Increased my Grade 8 students' Math SOL pass rate from 68% to 81% (+13 points)
  over 3 years through data-driven instruction and common unit assessments.
- Designed intervention groups based on benchmark data, moving 30+ students per year
  from "below basic" to "proficient".
- Worked with the special education and ESL teachers to adapt materials and
  assessments for students with IEPs and English learners.
- Coached the MATHCOUNTS team, which placed 2nd in the regional competition in 2017.

EDUCATION

M.Ed. Curriculum & Instruction | Blue Ridge State University, Richmond, VA
05/2017

B.S. Mathematics (Minor: Secondary Education) | Appomattox State University, Farmville, VA
05/2014

CERTIFICATIONS

- Virginia Postgraduate Professional Teaching License - Mathematics (6-12) endorsement
  (valid through 06/2027)
- Mathematics - Algebra I add-on endorsement (Virginia)
- College Board AP Summer Institute: AP Calculus AB (2019)
- CPR/First Aid/AED - American Red Cross (2024)

SKILLS

Curriculum design, Data-driven instruction, Differentiated instruction, Virginia SOL
preparation, AP Calculus, IEP/504 accommodations, Co-teaching, Classroom management,
Formative assessment, Google Classroom, Desmos, Delta Math, Google Workspace,
Microsoft Excel, PowerSchool, Teacher mentoring, Parent communication

LANGUAGES

English (native)
"""


def build_emma_txt(path: Path) -> None:
    path.write_text(EMMA_TXT, encoding="utf-8", newline="\n")


# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default: {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    out: Path = args.out

    targets = [
        (out / "maria_santos" / "maria_santos_cv.pdf", build_maria_pdf),
        (out / "wang_fang" / "王芳_简历.pdf", build_wang_pdf),
        (out / "daniel_okafor" / "Daniel_Okafor_CV.docx", build_daniel_docx),
        (out / "emma_clarke" / "emma_clarke_resume.txt", build_emma_txt),
    ]
    for path, builder in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        builder(path)
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
