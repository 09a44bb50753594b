"""How well the offline profile extractor reads real CVs.

For every CV in tests/fixtures/cvs and, when present, ../shared/fixtures/real/cvs (files whose licence
does not allow copying them into the project are only read from there), prints the PDF extraction
mode, characters, language, sections detected, roles found (count and the first "title @ employer"),
whether a name and an e-mail were found, and the number of skills; totals at the end.

    python bench/cv_parsing.py [--mode auto|plain|layout] [--text NAME]

``--mode`` forces one pypdf extraction mode for every PDF (to compare them); ``--text NAME`` prints
the extracted text of the CVs whose file name contains NAME.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdf  # noqa: E402

from jobland_pipeline.documents import DocumentError, extract_document  # noqa: E402
from jobland_pipeline.documents.extract import (  # noqa: E402
    clean_text,
    detect_language,
    garbled_share,
)
from jobland_pipeline.documents.pdf import MODES, extract_pdf_text  # noqa: E402
from jobland_pipeline.profiles import build_profile  # noqa: E402
from jobland_pipeline.profiles.sections import split_sections  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "cvs"
SHARED = ROOT.parent / "shared" / "fixtures" / "real" / "cvs"
AS_OF = date(2026, 11, 27)
SUFFIXES = {".pdf", ".docx", ".txt"}


@dataclass
class Row:
    name: str
    mode: str
    chars: int
    language: str
    garbled: float
    scripts: list[str]
    sections: list[str]
    roles: int
    with_employer: int
    first_role: str
    person: str | None
    email: str | None
    skills: int
    error: str | None = None


def read(path: Path, mode: str) -> tuple[str, str, str]:
    """(text, language, extraction mode) the way the pipeline reads the file."""
    data = path.read_bytes()
    if path.suffix.lower() == ".pdf":
        raw, _, used = extract_pdf_text(data, mode)
        text = clean_text(raw)
        return text, detect_language(text), used
    doc = extract_document(data, path.name)
    return doc.text, doc.language, doc.parser


def measure(path: Path, mode: str) -> Row:
    try:
        text, language, used = read(path, mode)
    except DocumentError as exc:
        return Row(path.name, "-", 0, "-", 0.0, [], [], 0, 0, "", None, None, 0, error=f"{exc.code}: {exc}")
    profile = build_profile(text, user_id="bench", language=language, as_of=AS_OF)
    sections = [s.name for s in split_sections(text) if s.name != "header"]
    first = profile.roles[0] if profile.roles else None
    return Row(
        name=path.name,
        mode=used,
        chars=len(text),
        language=language,
        garbled=garbled_share(text),
        scripts=foreign_scripts(text),
        sections=list(dict.fromkeys(sections)),
        roles=len(profile.roles),
        with_employer=sum(1 for r in profile.roles if r.employer),
        first_role=f"{first.title} @ {first.employer}" if first else "",
        person=profile.contact.name,
        email=profile.contact.email,
        skills=len(profile.skills),
    )


# The scripts garbled_share() expects in an English or Chinese CV.
from jobland_pipeline.documents.extract import EXPECTED_SCRIPTS  # noqa: E402


def foreign_scripts(text: str) -> list[str]:
    """Scripts of letters and marks that neither English nor Chinese CVs use (junk glyphs of a broken
    font map land in many of them at once)."""
    names = {
        unicodedata.name(ch, "?").split()[0]
        for ch in text
        if unicodedata.category(ch)[0] in "LM" and not unicodedata.name(ch, "").startswith(EXPECTED_SCRIPTS)
    }
    return sorted(names)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["auto", *MODES], default="auto")
    parser.add_argument("--text", help="print the extracted text of CVs whose name contains this")
    args = parser.parse_args()

    folders = [FIXTURES]
    if SHARED.is_dir():
        folders.append(SHARED)
    files: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in SUFFIXES:
                files.setdefault(path.name, path)  # the same file in both folders is read once
    print(
        f"# cv_parsing on {platform.node()} ({_cpu()}, {os.cpu_count()} CPUs), Python "
        f"{platform.python_version()}, pypdf {pypdf.__version__}, PDF mode {args.mode}"
    )
    print(
        f"# inputs: {FIXTURES.relative_to(ROOT)} ({sum(1 for p in files.values() if p.parent == FIXTURES)})"
    )
    if SHARED.is_dir():
        extra = sum(1 for p in files.values() if p.parent == SHARED)
        print(f"#         {SHARED} ({extra} more, read in place: not all may be copied)")
    else:
        print(f"#         {SHARED} is absent: only the project's own fixtures are measured")
    if args.text:
        for name, path in files.items():
            if args.text in name:
                print(f"\n===== {name}\n{read(path, args.mode)[0]}")
        return

    start = time.perf_counter()
    rows = [measure(path, args.mode) for path in files.values()]
    elapsed = time.perf_counter() - start
    header = (
        f"{'file':<50} {'mode':<6} {'chars':>6} {'lang':<4} {'name':<4} {'mail':<4} "
        f"{'sections':>8} {'roles':>5} {'w/empl':>6} {'skills':>6}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        if r.error:
            print(f"{r.name:<50} ERROR  {r.error}")
            continue
        print(
            f"{r.name:<50} {r.mode:<6} {r.chars:>6} {r.language:<4} {'yes' if r.person else 'no':<4} "
            f"{'yes' if r.email else 'no':<4} {len(r.sections):>8} {r.roles:>5} {r.with_employer:>6} "
            f"{r.skills:>6}"
        )
        print(f"    name: {r.person!r}  e-mail: {r.email!r}")
        print(f"    sections: {', '.join(r.sections) or '-'}")
        print(f"    first role: {r.first_role or '-'}")
        if r.scripts or r.garbled:
            print(
                f"    garbled share {r.garbled:.3f}; foreign scripts ({len(r.scripts)}): {', '.join(r.scripts)}"
            )
    ok = [r for r in rows if not r.error]
    print("-" * len(header))
    print(
        f"TOTAL {len(rows)} CVs ({len(rows) - len(ok)} unreadable): "
        f"name {sum(1 for r in ok if r.person)}/{len(ok)}, e-mail {sum(1 for r in ok if r.email)}/{len(ok)}, "
        f"experience section {sum(1 for r in ok if 'experience' in r.sections)}/{len(ok)}, "
        f"with roles {sum(1 for r in ok if r.roles)}/{len(ok)}; "
        f"sections {sum(len(r.sections) for r in ok)}, roles {sum(r.roles for r in ok)} "
        f"({sum(r.with_employer for r in ok)} with an employer), skills {sum(r.skills for r in ok)}; "
        f"{elapsed:.2f} s"
    )


if __name__ == "__main__":
    main()
