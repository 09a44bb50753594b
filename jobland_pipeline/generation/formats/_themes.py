"""Named looks for every format: same content, different typography and colours."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    """One look, spelled out for each format's own font and colour vocabulary.

    Font lists are CSS ``font-family`` stacks without quotes (multi-word names are valid unquoted
    there, and quotes would be HTML-escaped inside ``<style>``). xhtml2pdf reads the same stack and
    picks, per character, the first face it knows: a base-14 face for Latin, for Chinese the embedded
    CJK TrueType font the PDF adds before ``STSong-Light`` (a CID font ReportLab ships metrics for,
    the last resort when no CJK font file is found; see ``_pdf.py``).
    """

    name: str
    description: str
    font_stack: str  # CSS, browsers and xhtml2pdf
    heading_stack: str
    size_pt: float
    text: str
    muted: str
    accent: str
    rule: str
    uppercase_headings: bool
    docx_font: str
    docx_heading_font: str
    docx_east_asian: str
    tex_font: str  # TeX Gyre family file stem, used when installed (Latin Modern otherwise)
    tex_sans: bool  # Latin Modern Sans when the TeX Gyre face is missing
    tex_cjk_noto: str
    tex_cjk_fandol: str  # ships with TeX Live's Chinese collection


_CJK_SERIF = "Noto Serif CJK SC, Source Han Serif SC, Songti SC, SimSun, STSong-Light"
_CJK_SANS = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, STSong-Light"

THEMES: dict[str, Theme] = {
    theme.name: theme
    for theme in (
        Theme(
            name="classic",
            description="serif, black and grey, small-caps section rules",
            font_stack=f"Georgia, Times New Roman, Times, {_CJK_SERIF}, serif",
            heading_stack=f"Georgia, Times New Roman, Times, {_CJK_SERIF}, serif",
            size_pt=10.5,
            text="#111111",
            muted="#555555",
            accent="#111111",
            rule="#888888",
            uppercase_headings=True,
            docx_font="Times New Roman",
            docx_heading_font="Times New Roman",
            docx_east_asian="SimSun",
            tex_font="texgyretermes",
            tex_sans=False,
            tex_cjk_noto="Noto Serif CJK SC",
            tex_cjk_fandol="FandolSong",
        ),
        Theme(
            name="modern",
            description="sans-serif, dark-blue accents, coloured section headings",
            font_stack=f"Helvetica Neue, Helvetica, Arial, {_CJK_SANS}, sans-serif",
            heading_stack=f"Helvetica Neue, Helvetica, Arial, {_CJK_SANS}, sans-serif",
            size_pt=10,
            text="#1f2933",
            muted="#52606d",
            accent="#1f5f8b",
            rule="#1f5f8b",
            uppercase_headings=False,
            docx_font="Arial",
            docx_heading_font="Arial",
            docx_east_asian="Microsoft YaHei",
            tex_font="texgyreheros",
            tex_sans=True,
            tex_cjk_noto="Noto Sans CJK SC",
            tex_cjk_fandol="FandolHei",
        ),
    )
}


def get_theme(name: str) -> Theme:
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}; themes: {', '.join(sorted(THEMES))}") from None
