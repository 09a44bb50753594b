"""Every CV format from one TailoredCV: content, styles, Chinese, escaping, themes and speed."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from jobland_pipeline.generation import TailoredCV, build_package, tailor_cv
from jobland_pipeline.generation.formats import (
    CV_FILES,
    LETTER_FILES,
    THEMES,
    escape_latex,
    render_cv,
    render_letter,
)
from jobland_pipeline.generation.formats._model import LABELS, clean
from jobland_pipeline.generation.formats._pdf import VERA, cjk_font_file, html_to_pdf
from jobland_pipeline.generation.render import zh_punctuation
from jobland_pipeline.postings import load_postings
from jobland_pipeline.profiles.models import Contact, Education, Entry, Role
from jobland_pipeline.research import build_dossier
from jobland_pipeline.screening import screen_postings
from tests.conftest import SAMPLE_POSTINGS

SCRIPT = "<script>alert(1)</script>"
TEX_ATTACK = r"{\input{/etc/passwd}}"
LATIN = "Café – résumé • R&D"
USERS = {"maria_santos": "ICU Registered Nurse", "wang_fang": "会计"}
THEME_NAMES = sorted(THEMES)


def _squash(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines wherever the layout did."""
    return "".join(text.split())


def _shown(text: str, cv: TailoredCV) -> str:
    """A CV line as documents show it: cleaned, and in Chinese with full-width punctuation."""
    return zh_punctuation(clean(text)) if cv.language == "zh" else clean(text)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _pdf_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._skip += tag in {"style", "title"}

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in {"style", "title"}

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _html(data: bytes) -> _Text:
    parser = _Text()
    parser.feed(data.decode())
    return parser


def _docx(data: bytes):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def postings():  # type: ignore[no-untyped-def]
    return load_postings(SAMPLE_POSTINGS)


@pytest.fixture(scope="module")
def cvs(sample_profiles, postings) -> dict[str, TailoredCV]:  # type: ignore[no-untyped-def]
    out = {}
    for user, words in USERS.items():
        profile, _ = sample_profiles[user]
        posting = next(p for p in postings if words in p.title)
        out[user] = tailor_cv(profile, posting)
    return out


@pytest.fixture(scope="module")
def rendered(cvs) -> dict[tuple[str, str], dict[str, bytes]]:  # type: ignore[no-untyped-def]
    return {(user, theme): render_cv(cv, theme=theme) for user, cv in cvs.items() for theme in THEME_NAMES}


@pytest.fixture(scope="module")
def hostile_cv(cvs) -> TailoredCV:  # type: ignore[no-untyped-def]
    cv = cvs["maria_santos"].model_copy(deep=True)
    cv.contact.name = "Zoë Łukasz-Müller"
    cv.headline = f"Nurse {SCRIPT}"
    cv.summary = f"{LATIN} 100% $5 #1 a_b ~x^2 [note] -- {TEX_ATTACK}"
    cv.roles[0].employer = 'Acme <img src=x onerror="alert(1)"> & Sons'
    cv.roles[0].bullets[0] = f"{TEX_ATTACK} and {SCRIPT} & more"
    cv.roles[0].bullets[1] = "[2023] started with a bracket, a NUL\x00 and a vertical tab\x0b"
    cv.skills.append("C# & .NET_Core")
    return cv


@pytest.fixture(scope="module")
def hostile(hostile_cv) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    return render_cv(hostile_cv, theme="modern")


# --- every file, both themes ---------------------------------------------------------------------


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("user", USERS)
def test_every_format_is_rendered(rendered, user: str, theme: str) -> None:  # type: ignore[no-untyped-def]
    files = rendered[(user, theme)]
    assert tuple(files) == CV_FILES
    assert files["tailored_cv.pdf"].startswith(b"%PDF-")
    assert zipfile.is_zipfile(io.BytesIO(files["tailored_cv.docx"]))
    for name in ("tailored_cv.md", "tailored_cv.html", "tailored_cv.tex"):
        files[name].decode("utf-8")


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("user", USERS)
def test_pdf_text_has_name_roles_and_bullets(rendered, cvs, user: str, theme: str) -> None:  # type: ignore[no-untyped-def]
    cv = cvs[user]
    text = _squash(_pdf_text(rendered[(user, theme)]["tailored_cv.pdf"]))
    assert cv.contact.name and _squash(cv.contact.name) in text
    for role in cv.roles:
        assert _squash(role.title) in text
        assert role.employer and _squash(role.employer) in text
        for bullet in role.bullets:
            assert _squash(_shown(bullet, cv)) in text
    assert _squash(cv.skill_labels[0]) in text
    if user == "wang_fang":
        assert "王芳" in text and "高级会计" in text and "工作经历" in text


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("user", USERS)
def test_docx_uses_real_word_styles(rendered, cvs, user: str, theme: str) -> None:  # type: ignore[no-untyped-def]
    cv = cvs[user]
    doc = _docx(rendered[(user, theme)]["tailored_cv.docx"])
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paragraphs[0] == ("Title", cv.contact.name)
    assert paragraphs[1] == ("Subtitle", cv.headline)
    labels = LABELS[cv.language]
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert headings[:3] == [labels["summary"], labels["skills"], labels["experience"]]
    roles = [text for style, text in paragraphs if style == "Heading 2"]
    assert roles == [f"{r.title} — {r.employer}" for r in cv.roles]
    bullets = [text for style, text in paragraphs if style == "List Bullet"]
    assert bullets[: sum(len(r.bullets) for r in cv.roles)] == [
        _shown(b, cv) for r in cv.roles for b in r.bullets
    ]
    assert not doc.tables and not doc.inline_shapes
    assert doc.core_properties.title.startswith(cv.contact.name)
    rfonts = doc.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:rFonts')}")
    assert rfonts.get(qn("w:ascii")) == THEMES[theme].docx_font
    assert rfonts.get(qn("w:eastAsia")) == THEMES[theme].docx_east_asian
    assert rfonts.get(qn("w:asciiTheme")) is None  # a theme font would override the explicit one


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("user", USERS)
def test_html_is_one_column_semantic_and_ats_safe(rendered, cvs, user: str, theme: str) -> None:  # type: ignore[no-untyped-def]
    cv = cvs[user]
    raw = rendered[(user, theme)]["tailored_cv.html"].decode()
    parsed = _html(rendered[(user, theme)]["tailored_cv.html"])
    assert {"h1", "h2", "h3", "ul", "li"} <= set(parsed.tags)
    assert not {"table", "img", "script", "iframe", "svg", "link", "object"} & set(parsed.tags)
    assert parsed.tags.count("h1") == 1
    assert f'lang="{"zh-CN" if cv.language == "zh" else "en"}"' in raw
    text = " ".join(parsed.parts)
    assert all(_shown(b, cv) in text for r in cv.roles for b in r.bullets)
    assert "@font-face" not in raw and "file:" not in raw  # the HTML file names no local files


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("user", USERS)
def test_markdown_is_the_packages_own(rendered, cvs, user: str, theme: str) -> None:  # type: ignore[no-untyped-def]
    md = rendered[(user, theme)]["tailored_cv.md"].decode()
    cv = cvs[user]
    assert md.startswith(f"# {cv.contact.name}\n")
    assert all(f"- {_shown(b, cv)}" in md for r in cv.roles for b in r.bullets)


def test_chinese_is_intact_in_every_format(rendered, cvs) -> None:  # type: ignore[no-untyped-def]
    cv = cvs["wang_fang"]
    wanted = ["王芳", "高级会计", cv.roles[0].employer, _shown(cv.roles[0].bullets[0], cv), "个人简介"]
    files = rendered[("wang_fang", "classic")]
    pdf = _squash(_pdf_text(files["tailored_cv.pdf"]))
    docx = "\n".join(p.text for p in _docx(files["tailored_cv.docx"]).paragraphs)
    html = " ".join(_html(files["tailored_cv.html"]).parts)
    tex = files["tailored_cv.tex"].decode()
    for item in wanted:
        assert item
        assert _squash(item) in pdf
        assert item in docx
        assert item in html
        assert escape_latex(item) in tex
    # The CJK font is embedded (a subset), not STSong-Light that only some viewers supply.
    assert any(f.endswith("+WenQuanYiMicroHei-0") for f in _pdf_fonts(files["tailored_cv.pdf"]))
    assert "/STSong-Light" not in _pdf_fonts(files["tailored_cv.pdf"])
    assert "\\usepackage{xeCJK}" in tex
    assert "xeCJK" not in rendered[("maria_santos", "classic")]["tailored_cv.tex"].decode()


# --- themes ------------------------------------------------------------------------------------


def test_themes_change_the_look_not_the_content(rendered) -> None:  # type: ignore[no-untyped-def]
    classic, modern = rendered[("maria_santos", "classic")], rendered[("maria_santos", "modern")]
    assert classic["tailored_cv.html"] != modern["tailored_cv.html"]
    assert _html(classic["tailored_cv.html"]).parts == _html(modern["tailored_cv.html"]).parts
    assert _squash(_pdf_text(classic["tailored_cv.pdf"])).lower() == (
        _squash(_pdf_text(modern["tailored_cv.pdf"])).lower()
    )  # classic upper-cases section headings
    assert "/Times-Roman" in _pdf_fonts(classic["tailored_cv.pdf"])
    assert "/Helvetica" in _pdf_fonts(modern["tailored_cv.pdf"])
    assert "/Times-Roman" not in _pdf_fonts(modern["tailored_cv.pdf"])
    docs = [_docx(f["tailored_cv.docx"]) for f in (classic, modern)]
    assert [p.text for p in docs[0].paragraphs] == [p.text for p in docs[1].paragraphs]
    assert classic["tailored_cv.tex"] != modern["tailored_cv.tex"]
    assert classic["tailored_cv.md"] == modern["tailored_cv.md"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_empty_cv_still_renders(language: str) -> None:
    files = render_cv(TailoredCV(contact=Contact(), language=language), theme="modern")
    title = LABELS[language]["cv"]
    assert _squash(title) in _squash(_pdf_text(files["tailored_cv.pdf"]))
    assert [p.text for p in _docx(files["tailored_cv.docx"]).paragraphs] == [title]
    _check_tex(files["tailored_cv.tex"].decode())
    assert render_letter("", language=language)["cover_letter.pdf"].startswith(b"%PDF-")


def test_unknown_theme_lists_the_themes(cvs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="classic, modern"):
        render_cv(cvs["maria_santos"], theme="fancy")
    with pytest.raises(ValueError, match="unknown theme 'fancy'"):
        render_letter("Hello", language="en", theme="fancy")


# --- escaping ----------------------------------------------------------------------------------


def test_html_escapes_markup(hostile) -> None:  # type: ignore[no-untyped-def]
    raw = hostile["tailored_cv.html"].decode()
    parsed = _html(hostile["tailored_cv.html"])
    assert "<script" not in raw.lower() and "<img" not in raw.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert not {"script", "img"} & set(parsed.tags)
    text = "".join(parsed.parts)
    assert SCRIPT in text and TEX_ATTACK in text and 'onerror="alert(1)"' in text
    assert "\x00" not in raw and "\x0b" not in raw


def test_pdf_prints_markup_and_tex_literally(hostile) -> None:  # type: ignore[no-untyped-def]
    text = _pdf_text(hostile["tailored_cv.pdf"])
    squashed = _squash(text)
    for literal in (SCRIPT, TEX_ATTACK, "C# & .NET_Core", "100% $5 #1 a_b ~x^2 [note] --"):
        assert _squash(literal) in squashed
    assert LATIN in text  # é – • & survive, with their spaces
    assert "Zoë Łukasz-Müller" in text  # Ł is outside WinAnsi: drawn with the embedded Vera
    assert any("Vera" in font for font in _pdf_fonts(hostile["tailored_cv.pdf"]))


def test_docx_keeps_markup_as_text(hostile) -> None:  # type: ignore[no-untyped-def]
    doc = _docx(hostile["tailored_cv.docx"])
    text = "\n".join(p.text for p in doc.paragraphs)
    assert SCRIPT in text and TEX_ATTACK in text and LATIN in text
    assert "a NUL and a vertical tab" in text  # control characters dropped, not a broken file
    xml = zipfile.ZipFile(io.BytesIO(hostile["tailored_cv.docx"])).read("word/document.xml").decode()
    assert "&lt;script&gt;" in xml and "<script" not in xml


_TEX_COMMANDS = {
    # the template's own commands; any other control word would have come from data
    *[
        "documentclass",
        "usepackage",
        "IfFontExistsTF",
        "setmainfont",
        "renewcommand",
        "familydefault",
        "sfdefault",
    ],
    *[
        "setCJKmainfont",
        "definecolor",
        "pagestyle",
        "setlength",
        "parindent",
        "parskip",
        "setlist",
        "textbullet",
    ],
    *[
        "newcommand",
        "cvsection",
        "cvrole",
        "cvmeta",
        "par",
        "vspace",
        "color",
        "large",
        "Huge",
        "bfseries",
        "mdseries",
        "hrule",
    ],
    *["MakeUppercase", "begin", "end", "item"],
    *["textbackslash", "textasciitilde", "textasciicircum"],  # escapes
}
_TEX_SYMBOLS = set("{}$&%#_")  # \{ \} \$ \& \% \# \_


def _tex_unescape(text: str) -> str:
    pairs = {
        r"\textbackslash{}": "\\",
        r"\textasciitilde{}": "~",
        r"\textasciicircum{}": "^",
        "{[}": "[",
        "{]}": "]",
        "-{}": "-",
        **{f"\\{c}": c for c in _TEX_SYMBOLS},
    }
    pattern = re.compile("|".join(re.escape(k) for k in sorted(pairs, key=len, reverse=True)))
    return pattern.sub(lambda m: pairs[m.group(0)], text)


def _check_tex(tex: str) -> None:
    tokens = re.findall(r"\\([A-Za-z@]+|.)", tex)
    words = {t for t in tokens if t[0].isalpha()}
    symbols = {t for t in tokens if not t[0].isalpha()}
    assert words <= _TEX_COMMANDS, words - _TEX_COMMANDS
    assert symbols <= _TEX_SYMBOLS, symbols - _TEX_SYMBOLS
    unescaped = re.sub(r"\\.", "", tex)
    assert unescaped.count("{") == unescaped.count("}")
    depth = 0
    for ch in unescaped:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    body = tex.split("\\begin{document}", 1)[1]
    assert re.findall(r"\\begin\{(\w+)\}", body) == re.findall(r"\\end\{(\w+)\}", body)[:-1]
    assert tex.rstrip().endswith("\\end{document}")
    for special in "%&#$_^~":
        assert not re.search(rf"(?<!\\){re.escape(special)}", body), special


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("user", USERS)
def test_latex_is_well_formed(rendered, user: str, theme: str) -> None:  # type: ignore[no-untyped-def]
    _check_tex(rendered[(user, theme)]["tailored_cv.tex"].decode())


def test_latex_escapes_data_into_text(hostile) -> None:  # type: ignore[no-untyped-def]
    tex = hostile["tailored_cv.tex"].decode()
    _check_tex(tex)
    assert "\\input" not in tex
    assert r"\{\textbackslash{}input\{/etc/passwd\}\}" in tex
    assert r"\item{} {[}2023{]} started with a bracket" in tex
    assert "100\\% \\$5 \\#1 a\\_b \\textasciitilde{}x\\textasciicircum{}2 {[}note{]} -{}-" in tex
    assert "C\\# \\& .NET\\_Core" in tex and LATIN.replace("&", "\\&") in tex


@pytest.mark.parametrize(
    "text",
    [
        TEX_ATTACK,
        r"\\ \\\\ \end{document} \def\x{1}\x",
        "& % $ # _ { } ~ ^ \\ [ ] -- --- ----",
        "^^5c^^5cinput ~~ $$x$$ %comment",
        "王芳 – R&D • café ½ “quotes” C++/C#",
    ],
)
def test_escape_latex_round_trips(text: str) -> None:
    escaped = escape_latex(text)
    assert _tex_unescape(escaped) == text
    assert not re.search(r"\\(?!textbackslash\{\}|textasciitilde\{\}|textasciicircum\{\}|[{}$&%#_])", escaped)


def test_escape_latex_drops_control_characters() -> None:
    assert escape_latex("a\x00b\x1bc\nd\u2028e") == "a b c d e"


# --- letters -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def letters(sample_profiles, postings, cvs) -> dict[str, str]:  # type: ignore[no-untyped-def]
    out = {}
    for user, words in USERS.items():
        profile, text = sample_profiles[user]
        posting = next(p for p in postings if words in p.title)
        (screening,) = screen_postings(profile, [posting], cv_text=text)
        dossier = build_dossier(posting.company, [p for p in postings if p.company == posting.company])
        package = build_package(profile, posting, screening, dossier, cv_text=text, today=date(2026, 11, 27))
        out[user] = package.files["cover_letter.md"]
    return out


def test_letter_pdf_and_docx_in_english(letters) -> None:  # type: ignore[no-untyped-def]
    files = render_letter(letters["maria_santos"], language="en")
    assert tuple(files) == LETTER_FILES
    text = _pdf_text(files["cover_letter.pdf"])
    assert "Maria Santos" in text and "Sincerely," in text and "Northwind Health" in text
    doc = _docx(files["cover_letter.docx"])
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paragraphs[0][1].startswith("Maria Santos\nmaria.santos.rn@example.com")  # line breaks kept
    assert ("Normal", "Sincerely,\nMaria Santos") in paragraphs
    bullets = [t for s, t in paragraphs if s == "List Bullet"]
    assert len(bullets) == 2 and all(f"- {b}" in letters["maria_santos"] for b in bullets)
    for bullet in bullets:
        assert _squash(bullet) in _squash(text)
    assert doc.core_properties.language == "en"


def test_letter_pdf_and_docx_in_chinese(letters) -> None:  # type: ignore[no-untyped-def]
    files = render_letter(letters["wang_fang"], language="zh", theme="modern")
    text = _squash(_pdf_text(files["cover_letter.pdf"]))
    for item in ("王芳", "尊敬的", "此致", "敬礼", "期待有机会进一步沟通"):
        assert item in text
    doc = _docx(files["cover_letter.docx"])
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "此致\n敬礼" in body and "王芳" in body
    assert doc.core_properties.language == "zh-CN"


def test_letter_markdown_is_literal_except_emphasis() -> None:
    letter = (
        f"# Letter {SCRIPT}\n\nDear team,\n**Bold {TEX_ATTACK}** and *italic* & <b>not bold</b>\n\n"
        "- item <img src=x>\n- second\n\nYours,\nZoë"
    )
    files = render_letter(letter, language="en")
    text = _pdf_text(files["cover_letter.pdf"])
    for literal in (f"Letter {SCRIPT}", f"Bold {TEX_ATTACK}", "& <b>not bold</b>", "item <img src=x>"):
        assert _squash(literal) in _squash(text)
    doc = _docx(files["cover_letter.docx"])
    assert doc.paragraphs[0].style.name == "Heading 1" and doc.paragraphs[0].text == f"Letter {SCRIPT}"
    runs = doc.paragraphs[1].runs
    assert [r.text for r in runs if r.bold] == [f"Bold {TEX_ATTACK}"]
    assert [r.text for r in runs if r.italic] == ["italic"]
    assert [p.text for p in doc.paragraphs if p.style.name == "List Bullet"] == ["item <img src=x>", "second"]


# --- fonts, resources, speed -------------------------------------------------------------------


def test_caller_fonts_are_embedded(cvs) -> None:  # type: ignore[no-untyped-def]
    cv = cvs["maria_santos"].model_copy(update={"contact": cvs["maria_santos"].contact.model_copy()})
    cv.contact.name = "Łukasz Čapek"
    pdf = render_cv(cv, fonts=[VERA.regular])["tailored_cv.pdf"]
    assert "Łukasz Čapek" in _pdf_text(pdf)
    assert any(font.endswith("+BitstreamVeraSans-Roman") for font in _pdf_fonts(pdf))
    with pytest.raises(FileNotFoundError):
        render_cv(cv, fonts=["/nonexistent/font.ttf"])


def test_characters_no_builtin_face_has_are_reported(cvs, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    cv = cvs["maria_santos"].model_copy(update={"contact": cvs["maria_santos"].contact.model_copy()})
    cv.contact.name = "Lech Wałęsa, Antonín Dvořák"
    render_cv(cv)
    assert any("no font for ęř" in r.getMessage() for r in caplog.records)


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.mark.skipif(not DEJAVU.is_file(), reason="Debian's fonts-dejavu-core is not installed")
def test_a_wider_latin_font_covers_the_rest(cvs, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    cv = cvs["maria_santos"].model_copy(update={"contact": cvs["maria_santos"].contact.model_copy()})
    cv.contact.name = "Lech Wałęsa, Antonín Dvořák"
    pdf = render_cv(cv, fonts=[DEJAVU])["tailored_cv.pdf"]
    assert "Lech Wałęsa, Antonín Dvořák" in _pdf_text(pdf)
    assert any(font.endswith("+DejaVuSans") for font in _pdf_fonts(pdf))
    assert not any("no font for" in r.getMessage() for r in caplog.records)


WQY = cjk_font_file()


@pytest.mark.skipif(WQY is None, reason="no CJK TrueType font (the project installs paperang-p2-fonts-cjk)")
def test_a_cjk_truetype_font_makes_a_self_contained_pdf(cvs) -> None:  # type: ignore[no-untyped-def]
    assert WQY is not None
    pdf = render_cv(cvs["wang_fang"], fonts=[WQY])["tailored_cv.pdf"]
    assert "/STSong-Light" not in _pdf_fonts(pdf)
    assert "王芳" in _pdf_text(pdf)


def test_the_pdf_renderer_fetches_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not an image")
    html = (
        f'<html><body><p>x</p><img src="{secret.as_uri()}"><img src="http://169.254.169.254/latest">'
        f'<link rel="stylesheet" href="{secret.as_uri()}"></body></html>'
    )
    started = time.perf_counter()
    pdf = html_to_pdf(html)
    assert time.perf_counter() - started < 5
    assert b"/Subtype /Image" not in pdf
    blocked = [r.getMessage() for r in caplog.records if "Blocked by the resource policy" in r.getMessage()]
    assert any("remote resources are not allowed" in m for m in blocked)
    assert any(str(secret) in m for m in blocked)


def test_rendering_one_package_is_fast(cvs, letters) -> None:  # type: ignore[no-untyped-def]
    render_cv(cvs["maria_santos"])  # warm: imports and font metrics
    started = time.perf_counter()
    render_cv(cvs["maria_santos"], theme="modern")
    render_letter(letters["maria_santos"], language="en", theme="modern")
    render_cv(cvs["wang_fang"])
    render_letter(letters["wang_fang"], language="zh")
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"two packages (CV in 5 formats + letter in 2) took {elapsed:.2f} s"


# --- optional: the LaTeX really compiles ---------------------------------------------------------


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed (TeX Live)")
def test_latex_compiles_with_xelatex(rendered, hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name, tex in (
        ("hostile", hostile["tailored_cv.tex"]),
        ("zh", rendered[("wang_fang", "classic")]["tailored_cv.tex"]),
    ):
        (tmp_path / f"{name}.tex").write_bytes(tex)
        result = subprocess.run(
            ["xelatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-2000:]
    text = _pdf_text((tmp_path / "hostile.pdf").read_bytes())
    assert _squash(TEX_ATTACK) in _squash(text) and "root:" not in text


# --- every section of the CV, in every format ----------------------------------------------------


def _full_cv() -> TailoredCV:
    return TailoredCV(
        contact=Contact(
            name="Élodie Exemple",
            email="elodie@example.com",
            location="Lyon, France",
            links=["https://elodie.example.com"],
        ),
        headline="Ingénieure données",
        summary="Ingénieure données, six ans de pipelines en production.",
        skills=["Python", "dbt", "PostgreSQL"],
        roles=[
            Role(
                title="Ingénieure données",
                employer="Rhône Analytique",
                location="Lyon",
                dates_text="Mars 2021 - aujourd'hui",
                bullets=["Migré 40 pipelines vers dbt & Airflow."],
            )
        ],
        projects=[
            Entry(
                title="Tableau de bord des retards", bullets=["Chargé 2 ans de données TCL dans PostgreSQL."]
            )
        ],
        education=[Education(text="Master Informatique - Université Lyon 1, 2019")],
        certifications=["dbt Fundamentals – dbt Labs (2021)"],
        awards=["Prix du jury, Hackathon Open Data Lyon 2025"],
        publications=["« Pipelines sobres », Revue des données, 2024"],
        other_sections={
            "volunteer": ["Cours de Python pour Rails & Femmes, 2023"],
            "flight_time": ["12 heures"],
        },
        languages=["Français (langue maternelle)", "anglais (C1)"],
        language="fr",
    )


def test_every_section_is_in_every_format_with_the_cvs_language_labels() -> None:
    cv = _full_cv()
    files = render_cv(cv, theme="modern")
    items = [
        "Tableau de bord des retards",
        "Chargé 2 ans de données TCL dans PostgreSQL.",
        "Prix du jury, Hackathon Open Data Lyon 2025",
        "« Pipelines sobres », Revue des données, 2024",
        "Cours de Python pour Rails & Femmes, 2023",
        "12 heures",
        "dbt Fundamentals – dbt Labs (2021)",
        "https://elodie.example.com",
        "Français (langue maternelle)",
    ]
    headings = [
        "Projets",
        "Distinctions",
        "Publications",
        "Bénévolat",
        "Heures de vol",
        "Formation",
        "Langues",
    ]
    md = files["tailored_cv.md"].decode()
    html = " ".join(_html(files["tailored_cv.html"]).parts)
    pdf = _squash(_pdf_text(files["tailored_cv.pdf"]))
    docx = [(p.style.name, p.text) for p in _docx(files["tailored_cv.docx"]).paragraphs]
    tex = files["tailored_cv.tex"].decode()
    for item in items + headings:
        assert item in md and item in html, item
        assert _squash(item).lower() in pdf.lower(), item
        assert any(item in text for _, text in docx), item
        assert escape_latex(item) in tex, item
    assert ("Heading 1", "Projets") in docx and ("Heading 2", "Tableau de bord des retards") in docx
    assert ("List Bullet", "Prix du jury, Hackathon Open Data Lyon 2025") in docx
    assert 'lang="fr"' in files["tailored_cv.html"].decode()
    assert md.index("## Expérience professionnelle") < md.index("## Projets") < md.index("## Formation")
    _check_tex(tex)


def test_markdown_never_carries_a_tag() -> None:
    cv = _full_cv().model_copy(update={"summary": "Data <script>alert(1)</script> and <!-- hidden --> text"})
    md = render_cv(cv)["tailored_cv.md"].decode()
    assert "<script" not in md and "<!--" not in md
    assert "Data &lt;script>alert(1)&lt;/script> and &lt;!-- hidden --> text" in md
    letter = render_letter("Dear team,\n\nI wrote &lt;b> once.", language="fr")
    assert "I wrote <b> once." in "\n".join(p.text for p in _docx(letter["cover_letter.docx"]).paragraphs)
