"""Chinese PDFs a recipient can read: the CJK font embedded, full-width punctuation, every line inside
the page, nothing lost (issue 12, "Outputs people read")."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from jobland_pipeline.generation.formats import render_cv, render_letter
from jobland_pipeline.generation.formats._pdf import VERA, cjk_font_file
from jobland_pipeline.generation.render import zh_punctuation
from jobland_pipeline.generation.tailor import TailoredCV
from jobland_pipeline.profiles.models import Contact, Role

A4_WIDTH = 595.2756
RIGHT_MARGIN = 51.02  # 1.8 cm, _document.css.j2
FULL_WIDTH = "，。：；！？（）“”、"
# A company's own words as a posting quotes them: one run of 300 characters without a space.
QUOTE = "我们致力于通过数据驱动的财务管理和精细化的成本控制，为客户创造长期价值并推动可持续发展。" * 7
LETTER = f"""王芳
wang.fang@example.com · 138-0000-1234

尊敬的华诚科技有限公司招聘团队：

您好！我希望应聘贵公司的“会计”职位（上海）。贵公司在介绍中写道：“{QUOTE}”这正是我希望投入的方向。

- 配合会计师事务所完成年度审计，准备审计资料200余项；
- 熟悉 Excel、SAP 等工具：能独立完成月末结账！

此致
敬礼

王芳
"""


def _squash(text: str) -> str:
    return "".join(text.split())


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _font_objects(pdf: bytes) -> Iterator[dict]:  # type: ignore[type-arg]
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            yield font
            for descendant in font.get("/DescendantFonts", []):
                yield descendant.get_object()


def _embedded(pdf: bytes) -> dict[str, bool]:
    """Every font the pages use: is its program in the file (FontFile, FontFile2 or FontFile3)?"""
    out: dict[str, bool] = {}
    for font in _font_objects(pdf):
        name = str(font.get("/BaseFont"))
        descriptor = font.get("/FontDescriptor")
        has = descriptor is not None and any(
            k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        out[name] = out.get(name, False) or has
    return out


@cache
def _metrics_name(base_font: str) -> str:
    """The ReportLab font that measures a PDF font: base-14 by name, embedded subsets by their file."""
    name = base_font.lstrip("/").split("+", 1)[-1]
    if name in pdfmetrics.standardFonts:
        return name
    if name.startswith("WenQuanYiMicroHei"):
        path, key = cjk_font_file(), "test-cjk"
    elif name.startswith("BitstreamVeraSans"):
        path, key = VERA.regular, "test-vera"
    else:
        raise AssertionError(f"a font this test cannot measure: {base_font}")
    pdfmetrics.registerFont(TTFont(key, str(path)))
    return key


@dataclass
class Line:
    page: int
    y: float
    x: float
    width: float
    text: str


def _lines(pdf: bytes) -> list[Line]:
    """Each drawn line: where it starts and how wide its glyphs are (font metrics × size)."""
    lines: list[Line] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):

        def visit(text, cm, tm, font, size, number=number) -> None:  # type: ignore[no-untyped-def]
            if not text.strip("\n") or font is None:
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = round(tm[4] * cm[1] + tm[5] * cm[3] + cm[5], 1)
            width = pdfmetrics.stringWidth(text.strip("\n"), _metrics_name(str(font["/BaseFont"])), size)
            if lines and lines[-1].page == number and lines[-1].y == y:
                lines[-1].width += width
                lines[-1].text += text
            else:
                lines.append(Line(number, y, x, width, text))

        page.extract_text(visitor_text=visit)
    return lines


def _assert_inside_the_page(pdf: bytes, size: float) -> None:
    for line in _lines(pdf):
        right = line.x + line.width
        # A closing mark may hang into the margin (Chinese line-start rule), never off the page.
        assert right <= A4_WIDTH - RIGHT_MARGIN + size + 0.5, (round(right, 1), line.text[:40])
        assert right < A4_WIDTH


# The font comes with the project's dependencies: skipped only outside CI, where it may be missing.
pytestmark = pytest.mark.skipif(
    cjk_font_file() is None and os.environ.get("CI") != "true",
    reason="no CJK TrueType font: install the project (paperang-p2-fonts-cjk)",
)


@pytest.fixture(scope="module")
def letter_pdf() -> bytes:
    return render_letter(LETTER, language="zh", theme="classic")["cover_letter.pdf"]


def test_the_cjk_font_is_embedded_and_every_font_with_it(letter_pdf: bytes) -> None:
    fonts = _embedded(letter_pdf)
    cjk = [name for name in fonts if "WenQuanYiMicroHei" in name]
    assert cjk and all(fonts[name] for name in cjk), fonts  # a subset (AAAAAA+…) with its FontFile2
    assert "/STSong-Light" not in fonts  # the viewer-supplied CID font is no longer used
    # Whatever is not embedded is one of the 14 faces every PDF viewer has.
    assert all(embedded or name.lstrip("/") in pdfmetrics.standardFonts for name, embedded in fonts.items())


def test_every_character_comes_back_with_full_width_punctuation(letter_pdf: bytes) -> None:
    got = _squash(_text(letter_pdf))
    for line in LETTER.splitlines():
        assert _squash(line.removeprefix("- ")) in got, line[:30]
    for mark in FULL_WIDTH:
        assert got.count(mark) == _squash(LETTER).count(mark), mark
    assert _squash(QUOTE) in got  # the 301-character quote whole, in order


def test_a_long_quote_wraps_between_characters_inside_the_page(letter_pdf: bytes) -> None:
    lines = _lines(letter_pdf)
    quoted = [line for line in lines if "数据驱动" in line.text]
    # 301 characters of 10.5 pt on a 483 pt line: the quote fills 7 lines, not one running off the page.
    assert len(quoted) >= 6
    _assert_inside_the_page(letter_pdf, 10.5)
    # The address block and the sign-off keep their own lines ("此致" and "敬礼" are two lines).
    texts = [_squash(line.text) for line in lines]
    assert "此致" in texts and "敬礼" in texts
    assert "王芳" in texts


def test_ascii_punctuation_from_nfkc_text_is_full_width_again() -> None:
    nfkc = (
        "华诚科技有限公司成立于2009年,总部位于上海,员工逾1,800人;工作地点:上海(浦东)!网址:https://a.cn/x?y=1"
    )
    assert zh_punctuation(nfkc) == (
        "华诚科技有限公司成立于2009年，总部位于上海，员工逾1,800人；工作地点：上海（浦东）！网址：https://a.cn/x?y=1"
    )
    assert zh_punctuation("Email: a@b.com, Excel (advanced)") == "Email: a@b.com, Excel (advanced)"
    pdf = render_letter(f"尊敬的团队：\n\n{nfkc}\n", language="zh")["cover_letter.pdf"]
    got = _squash(_text(pdf))
    assert "2009年，总部" in got and "1,800人；" in got and "地点：上海（浦东）！" in got


def _chinese_cv() -> TailoredCV:
    return TailoredCV(
        language="zh",
        contact=Contact(name="王芳", email="wang.fang@example.com", location="上海"),
        headline="高级会计",
        summary="七年财务会计经验：" + QUOTE,
        roles=[
            Role(
                title="高级会计",
                employer="上海云启科技有限公司",
                bullets=["配合会计师事务所完成年度审计,准备审计资料200余项;" + QUOTE[:120]],
            )
        ],
        skills=["Excel", "SAP"],
    )


def test_a_chinese_cv_embeds_its_font_and_stays_inside_the_page() -> None:
    pdf = render_cv(_chinese_cv())["tailored_cv.pdf"]
    fonts = _embedded(pdf)
    assert any("WenQuanYiMicroHei" in name and embedded for name, embedded in fonts.items()), fonts
    got = _squash(_text(pdf))
    assert "审计，准备审计资料200余项；" in got  # the ASCII of the CV's extraction is full-width again
    assert _squash(QUOTE) in got
    _assert_inside_the_page(pdf, 21)  # the name is the largest text (2 × 10.5 pt)


def test_an_english_letter_embeds_no_cjk_font_and_breaks_a_long_url() -> None:
    url = "https://careers.example.com/" + "very-long-path-segment-" * 12 + "apply"
    pdf = render_letter(f"Dear team,\n\nPlease see {url} for the posting.\n\nSincerely,\nAna", language="en")[
        "cover_letter.pdf"
    ]
    assert not any("WenQuanYi" in name for name in _embedded(pdf))
    assert _squash(url) in _squash(_text(pdf))
    _assert_inside_the_page(pdf, 10.5)
