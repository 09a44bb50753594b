from pathlib import Path

import pytest

from jobland_pipeline.documents import DocumentError, extract_document, extract_file
from jobland_pipeline.documents.extract import MAX_FILE_BYTES, detect_language
from tests import hostile
from tests.conftest import REAL_CVS, SAMPLE_CVS


@pytest.mark.parametrize(
    ("user", "fmt", "language", "needle"),
    [
        ("maria_santos", "pdf", "en", "ICU Registered Nurse"),
        ("wang_fang", "pdf", "zh", "上海云启科技有限公司"),
        ("daniel_okafor", "docx", "en", "Senior Data Engineer"),
        ("emma_clarke", "txt", "en", "Math Department Chair"),
    ],
)
def test_sample_cvs_extract(user: str, fmt: str, language: str, needle: str) -> None:
    doc = extract_file(SAMPLE_CVS[user])
    assert doc.format == fmt
    assert doc.language == language
    assert needle in doc.text
    assert len(doc.sha256) == 64


def test_docx_bullets_and_headings_kept() -> None:
    doc = extract_file(SAMPLE_CVS["daniel_okafor"])
    lines = doc.text.split("\n")
    assert "Work Experience" in lines
    assert any(line.startswith("• ") for line in lines)


def test_real_chinese_pdf_stays_intact() -> None:
    doc = extract_file(REAL_CVS / "zh_zheyuye_latex_resume.pdf")
    assert doc.language == "zh"
    assert "教育背景" in doc.text or "教育经历" in doc.text


@pytest.mark.parametrize(
    ("data", "name", "code", "words"),
    [
        (b"", "empty.pdf", "empty", "empty"),
        (b"   \n", "blank.txt", "empty", "empty"),
        (hostile.text_pdf()[:400], "truncated.pdf", "corrupt", "damaged"),
        (hostile.GARBAGE, "garbage.pdf", "unsupported_format", "not a PDF"),
        (hostile.HTML_AS_PDF, "cv.pdf", "unsupported_format", "HTML"),
        (hostile.encrypted_pdf(), "locked.pdf", "encrypted", "password"),
        (hostile.image_only_pdf(), "scan.pdf", "no_text_layer", "OCR is not enabled"),
        (hostile.OLE_DOC, "old.docx", "unsupported_format", ".doc"),
        (b"PK\x03\x04" + b"\x00" * 100, "broken.docx", "corrupt", "ZIP"),
        (hostile.docx_xxe(), "xxe.docx", "corrupt", "DTD"),
        (hostile.docx_zip_bomb(), "bomb.docx", "too_large", "zip bomb"),
        (hostile.docx_bad_crc(), "crc.docx", "corrupt", "damaged"),
    ],
)
def test_bad_files_fail_with_a_clear_reason(data: bytes, name: str, code: str, words: str) -> None:
    with pytest.raises(DocumentError) as info:
        extract_document(data, name)
    assert info.value.code == code
    assert words.lower() in str(info.value).lower()


def test_oversized_file_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.pdf"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(DocumentError) as info:
        extract_file(big)
    assert info.value.code == "too_large"


@pytest.mark.parametrize("encoding", ["utf-16", "gb18030", "utf-8-sig", "cp1252"])
def test_text_in_common_encodings(encoding: str) -> None:
    text = "Jane Doe\nRegistered Nurse — café experience\n2019 - Present\nICU Nurse at General Hospital\n"
    if encoding == "gb18030":
        text = "王芳\n工作经历\n2019.04 – 至今 上海某公司 会计\n负责月结和纳税申报工作\n"
    doc = extract_document(text.encode(encoding), "cv.txt")
    assert doc.text.split("\n")[0] == text.split("\n")[0]
    assert doc.parser.startswith("text:")


def test_a_cv_saved_with_mojibake_is_repaired() -> None:
    """UTF-8 read as cp1252 and saved again ("â€¢" for "•", "Ã©" for "é"): the C1 control character
    inside such a run is repaired with it, not dropped first (which left "â¢" for good)."""
    text = "Jane Doe\nTECHNICAL SKILLS • Typewriting • SPSS\nCafé manager, Naïve Bayes\n"
    garbled = text.encode("utf-8").decode("latin-1")  # "â\x80¢": the C1 control \x80 inside
    assert "\x80" in garbled
    doc = extract_document(garbled.encode("utf-8"), "cv.txt")
    assert doc.text.split("\n") == text.strip().split("\n")


def test_docx_with_entities_never_resolves_them() -> None:
    with pytest.raises(DocumentError):
        extract_document(hostile.docx_xxe(), "xxe.docx")


def test_detect_language() -> None:
    assert detect_language("工作经历 高级会计 上海") == "zh"
    assert detect_language("Work experience, senior accountant") == "en"


@pytest.mark.parametrize(
    ("factory", "code", "words"),
    [
        (hostile.many_pages_pdf, "too_large", "300 pages"),
        (hostile.flate_bomb_pdf, "too_large", "decompression bomb"),
        (hostile.cyclic_pages_pdf, "corrupt", "damaged"),
        (hostile.nested_array_pdf, "corrupt", "damaged"),
    ],
)
def test_pdf_bombs_are_refused_quickly(factory, code: str, words: str) -> None:  # type: ignore[no-untyped-def]
    import time

    data = factory()
    start = time.perf_counter()
    with pytest.raises(DocumentError) as info:
        extract_document(data, "bomb.pdf")
    assert info.value.code == code and words in str(info.value)
    assert time.perf_counter() - start < 10


def test_html_and_markdown_cvs_are_read() -> None:
    html = (
        b"<html><head><style>p{}</style></head><body><h1>Jane Doe</h1><p>jane@example.com</p><h2>Experience</h2>"
        b"<ul><li>ICU Nurse, Mercy Hospital, 2019 - Present</li></ul><script>steal()</script></body></html>"
    )
    doc = extract_document(html, "cv.html")
    assert doc.format == "html" and doc.parser == "html:utf-8"
    assert "Experience" in doc.text.split("\n") and "steal" not in doc.text and "<" not in doc.text
    md = b"# Jane Doe\n\njane@example.com\n\n## Experience\n\n* **ICU Nurse**, Mercy Hospital, 2019 - Present\n"
    doc = extract_document(md, "cv.md")
    assert (
        doc.format == "md"
        and "Experience" in doc.text.split("\n")
        and "- ICU Nurse, Mercy Hospital" in doc.text
    )


def test_a_name_that_lies_about_the_format_is_refused() -> None:
    with pytest.raises(DocumentError, match=r"cv\.pdf is named \.pdf but is an HTML page"):
        extract_document(hostile.HTML_AS_PDF, "cv.pdf")
    with pytest.raises(DocumentError, match=r"named \.docx but is plain text"):
        extract_document(b"Jane Doe, nurse, a plain text CV that is long enough to read.", "cv.docx")


def test_garbled_text_layer_is_detected() -> None:
    # What a broken ToUnicode map produces: placeholders in ASCII plus glyphs scattered over scripts.
    junk = "xxxx xxx ચྪ ࢎტМࣟ ਖ਼ ഋ ཀྵ ೲ ๆ ᐁ xxxx xxxxx xxx xxxx 2015-2019 xxx@gmail.com " * 3
    with pytest.raises(DocumentError) as info:
        extract_document(junk.encode("utf-8"), "cv.txt")
    assert info.value.code == "garbled_text" and "OCR is not enabled" in str(info.value)


def test_docling_reads_a_docx_for_real() -> None:
    """docling-slim is installed: a DOCX goes through its Word backend, with the same profile."""
    from jobland_pipeline.documents.docling_reader import DoclingConfig, available
    from jobland_pipeline.profiles import build_profile

    assert available()
    doc = extract_file(SAMPLE_CVS["daniel_okafor"], docling=DoclingConfig(enabled=True))
    plain = extract_file(SAMPLE_CVS["daniel_okafor"], docling=None)
    assert doc.parser == "docling" and plain.parser == "ooxml"
    assert "Harrowgate & Finch" in doc.text and "&amp;" not in doc.text
    ours, theirs = build_profile(plain.text, user_id="a"), build_profile(doc.text, user_id="a")
    assert [(r.title, r.employer, len(r.bullets)) for r in ours.roles] == [
        (r.title, r.employer, len(r.bullets)) for r in theirs.roles
    ]


def test_docling_failing_on_a_file_falls_back_and_says_so() -> None:
    from jobland_pipeline.documents.docling_reader import DoclingConfig

    weird = hostile.docx_paragraphs("Jane Doe", "Registered nurse with eight years in intensive care units")
    doc = extract_document(weird, "cv.docx", docling=DoclingConfig(enabled=True))
    assert "Jane Doe" in doc.text
    assert doc.parser == "docling" or (doc.parser == "ooxml" and "docling failed" in (doc.note or ""))


def test_a_page_mark_on_one_page_does_not_land_in_a_bullet() -> None:
    """The sample nurse's CV prints "Maria Santos — Page 2" at the top of page 2 only."""
    from tests.conftest import profile_of

    profile, text = profile_of("maria_santos")
    assert "Page 2" not in text
    assert not [b for r in profile.roles for b in r.bullets if "Page" in b]
    assert any(
        "administered ACLS medications and managed rapid infusers." in b
        for r in profile.roles
        for b in r.bullets
    )
