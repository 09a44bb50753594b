"""Education entries with the degree and the institution told apart, in any common CV layout.

"Doctor of Pharmacy (PharmD) - University of Waterloo, School of Pharmacy, 2019", "复旦大学 法律硕士
（Juris Master），2017年" and "Grado en Ingeniería Informática - Universidad Politécnica de Madrid, 2019"
name the same two things in different orders: the institution is the part with an institution word,
the degree the part with a degree word (or, failing that, the other part).
"""

from __future__ import annotations

import re

from jobland_pipeline.profiles.dates import find_date_range
from jobland_pipeline.profiles.items import protect_brackets, repair_hyphenation, unprotect
from jobland_pipeline.profiles.models import Education
from jobland_pipeline.profiles.sections import strip_bullet

DEGREE_RE = re.compile(
    r"\b(Ph\.?D|Doctor(?:ate)? of|Doctor|M\.?Ed|M\.?S\.?c?|M\.?A\.?|MBA|M\.?Tech|M\.?Eng|M\.?Phil|LL\.?[BM]|J\.?D|"
    r"Master(?:'s)?(?: of| in)?|B\.?S\.?N|B\.?S\.?c?|B\.?A\.?|B\.?E\.?|B\.?Eng|B\.?Tech|B\.?Com|Bachelor(?:'s)?(?: of)?|"
    r"Associate(?:'s)? (?:Degree|of)|Diploma|Diplôme|Diplom|A\.?D\.?N|Certificate in|PharmD|MD|DDS|"
    r"NVQ|BTEC|HND|HNC|GCSE|A[- ]levels?|Licence|Licenciatura|Licenciado|Grado|Máster|Maestría|Doctorado|"
    r"Ingeniero|Ingénieur|Brevet|CAP|BEP|BTS|DUT|Baccalauréat|Bac|Abitur|Bachelor|Magister|Staatsexamen|"
    r"Ausbildung|Laurea|Bacharelado|Mestrado)\b|博士|硕士|学士|本科|研究生|大专|专科|學士|碩士",
    re.IGNORECASE,
)
INSTITUTION_RE = re.compile(
    r"\b(University|Universit[éàa]t?|Universidad|Universidade|Università|Universiteit|College|Institute|Institut|"
    r"Instituto|School|Academy|Académie|Academia|Polytechnic|Politécnica|Polytechnique|Hogeschool|Hochschule|"
    r"Fachhochschule|École|Ecole|Escuela|Escola|Lycée|CFA|Conservatoire|Inns|Seminary)\b|大学|学院|大學|學院",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_SEP = re.compile(r"\s+[—–-]\s+|\s*[|｜]\s*|,\s+|，|\s{2,}")


def parse_education(lines: list[str]) -> list[Education]:
    entries: list[Education] = []
    for line in lines:
        _, text = strip_bullet(line)
        text = repair_hyphenation(text)
        degree_hit = DEGREE_RE.search(text)
        inst_hit = INSTITUTION_RE.search(text)
        years = _YEAR.findall(text)
        continues = bool(entries) and not degree_hit and entries[-1].year is None
        if degree_hit or (inst_hit and not entries) or (inst_hit and years and not continues):
            entries.append(_entry(text, years))
        elif entries and (inst_hit or years):
            _continue(entries[-1], text, years)
    return entries


def _continue(last: Education, text: str, years: list[str]) -> None:
    """A line that goes on with the previous entry: its text is added, empty fields are filled."""
    last.text = f"{last.text} {text}"
    last.institution = last.institution or _institution(text)
    last.year = last.year or (years[-1] if years else None)


def _entry(text: str, years: list[str]) -> Education:
    dates = find_date_range(text)
    source = (text[: dates.span[0]] + "  " + text[dates.span[1] :]).strip() if dates else text
    return _parts(text, source, years)


def _parts(text: str, source: str, years: list[str]) -> Education:
    protected = protect_brackets(source)
    parts = [p.strip(" .") for p in _SEP.split(protected) if p.strip(" .")]
    parts = [unprotect(p, source) for p in parts]
    parts = [p for p in parts if not re.fullmatch(r"(?:(?:19|20)\d\d\s*年?)", p)]
    institution, degree = _school(parts)
    if degree is None:
        degree = _degree(parts, institution)
    return Education(degree=degree, institution=institution, year=years[-1] if years else None, text=text)


def _degree(parts: list[str], institution: str | None) -> str | None:
    """The first part naming a degree, else the first part that is not a school."""
    degree = next((p for p in parts if DEGREE_RE.search(p) and p != institution), None)
    if degree is None:
        degree = next((p for p in parts if p != institution and not INSTITUTION_RE.search(p)), None)
    return degree


def _school(parts: list[str]) -> tuple[str | None, str | None]:
    """(institution, degree written inside the institution's part) from the first part naming one."""
    inst_index = next((i for i, p in enumerate(parts) if INSTITUTION_RE.search(p)), None)
    if inst_index is None:
        return None, None
    institution = parts[inst_index]
    # "University of Waterloo, School of Pharmacy": a following part naming a school belongs to it.
    nxt = inst_index + 1
    if nxt < len(parts) and INSTITUTION_RE.search(parts[nxt]) and not DEGREE_RE.search(parts[nxt]):
        institution = f"{institution}, {parts[nxt]}"
    if re.search(r"[\u4e00-\u9fff]", institution) and " " in institution:
        # "复旦大学 法律硕士(Juris Master)": the school ends at its institution word.
        m = INSTITUTION_RE.search(institution)
        if m and DEGREE_RE.search(institution[m.end() :]):
            return institution[: m.end()].strip(), institution[m.end() :].strip()
    return institution, None


def _institution(text: str) -> str | None:
    return next((p for p in _SEP.split(text) if INSTITUTION_RE.search(p)), None)
