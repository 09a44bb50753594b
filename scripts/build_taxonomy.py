#!/usr/bin/env python3
"""Build the bundled occupational taxonomy: jobland_pipeline/taxonomy/data/occupations.json.gz.

JobLand suggests job titles for anyone, so it generalises a person's own role titles through an open
taxonomy rather than a hand-written list of IT jobs. This script merges two open taxonomies into one
compact file, keyed by O*NET-SOC 2019 occupation (about 1,000 occupations):

* O*NET (CC BY 4.0): occupation titles, ~50k alternate titles with their short forms, reported titles,
  job zones and technology-skill examples (English).
* ESCO (EU reuse decision 2011/833/EU, CC BY 4.0 from v1.1): ~3,000 occupations with preferred and
  alternative labels in English, French, Spanish (CSV export) and German (SKOS export), attached to
  O*NET occupations through Nesta's open ESCO-O*NET crosswalk (O*NET-SOC 2010 codes, carried to
  2019 codes with O*NET's own 2010-to-2019 crosswalk). ESCO occupations below the crosswalked level
  inherit their parent's O*NET code, and their labels count a little less.

Every title keeps a weight (0-100) saying how much it speaks for its occupation: the O*NET title 100,
an ESCO preferred label 90 (75 when inherited), an O*NET alternate title 65-100 by how many O*NET
sources report it, a reported title 60-70, an ESCO alternative label 55 (45 when inherited), plus 5 for
each further source giving the same title. Titles that are over-long or contain codes ("EMT-I/85") are
dropped (never the O*NET occupation title itself), titles with a spelled-out form in parentheses are
split ("HR Business Partner (Human Resources Business Partner)"), ESCO's "masculine/feminine" labels
are split into their two forms, and duplicates (same normalised key, which folds gender) are dropped
within an occupation and language. ISCO-08 groups come from the attached ESCO occupations, else from
the BLS SOC-to-ISCO crosswalk (--isco-soc).

Deterministic, no network. PROVENANCE.md next to the output records where the inputs came from.

Usage:
    python scripts/build_taxonomy.py --onet DIR --esco DIR --esco-de FILE --crosswalk FILE \\
        --onet-2010-2019 FILE [--isco-soc FILE] [--out DIR]

--onet holds O*NET's text files ("Occupation Data.txt", "Alternate Titles.txt", "Sample of Reported
Titles.txt", "Job Zones.txt", "Technology Skills.txt", "Read Me.txt"); --esco holds ESCO's CSV export
(occupations_en.csv, occupations_fr.csv, occupations_es.csv, broaderRelationsOccPillar.csv); --esco-de is
an ESCO occupations SKOS/Turtle file with German labels; --crosswalk is Nesta's
esco_onet_crosswalk_Nov2020.csv; --onet-2010-2019 is O*NET's 2010-to-2019 taxonomy crosswalk and
--isco-soc the BLS SOC 2010 to ISCO-08 crosswalk (CSV, comma or semicolon separated).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobland_pipeline.taxonomy._normalize import title_key, title_tokens  # noqa: E402

OUT_DIR = ROOT / "jobland_pipeline" / "taxonomy" / "data"
OUT_NAME = "occupations.json.gz"
FORMAT = 1
LANGS = ("en", "fr", "es", "de")

MAX_TITLE_CHARS = 60
MAX_TITLE_WORDS = 8
MAX_TOOLS = 20
# A code is a slash next to a digit ("EMT-I/85"), a long number ("Form 1040"), a hash, or a mixed
# letters-and-digits token of four or more characters ("GS12", "MOS 91B" stays: short).
_CODE_RE = re.compile(r"/\d|\d/|\d{4,}|#\d|\b(?=[a-z]*\d)(?=\d*[a-z])[a-z\d]{4,}\b", re.IGNORECASE)
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z&]{1,5}$")
_PAREN_RE = re.compile(r"^(.*?)\s*\(([^()]+)\)\s*$")
_ESCO_URI = "http://data.europa.eu/esco/occupation/"

W_ONET_TITLE = 100
W_ESCO_PREF = 90
W_ESCO_PREF_INHERITED = 75
W_ESCO_ALT = 55
W_ESCO_ALT_INHERITED = 45
W_REPORTED_SHOWN = 70
W_REPORTED = 60
W_CORROBORATED = 5


# ---------------------------------------------------------------- reading


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """O*NET text files: tab separated, UTF-8, one header line."""
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    """CSV with its delimiter sniffed (the 2010-to-2019 crosswalk copy uses semicolons)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        head = fh.readline()
        fh.seek(0)
        delimiter = ";" if head.count(";") > head.count(",") else ","
        yield from csv.DictReader(fh, delimiter=delimiter)


def clean_title(title: str) -> str:
    return re.sub(r"\s+", " ", title.replace("\u00a0", " ")).strip(" ,;")


def usable(title: str) -> bool:
    """Keep titles a person could put on a CV: not over-long, not codes, with at least one word."""
    if not title or len(title) > MAX_TITLE_CHARS or len(title.split()) > MAX_TITLE_WORDS:
        return False
    return not _CODE_RE.search(title) and bool(title_tokens(title))


def split_parenthesis(title: str) -> list[str]:
    """ "X (Y)" gives X and, when Y spells X out or is an acronym, Y too."""
    match = _PAREN_RE.match(title)
    if not match:
        return [title]
    main, inner = match.group(1).strip(), match.group(2).strip()
    out = [main] if main else []
    if len(inner.split()) >= 2 or _ACRONYM_RE.match(inner):
        out.append(inner)
    return out


_MINOR_WORDS = frozenset(str.split("a an and as at by for in of on or the to with via"))


def english_case(label: str) -> str:
    """ESCO writes English labels in lowercase ("ICT application developer"); O*NET in title case. One style
    reads better in a list of suggestions, so ESCO's English labels take O*NET's."""
    words = label.split(" ")
    out = []
    for i, word in enumerate(words):
        if word and word[0].islower() and (i == 0 or word not in _MINOR_WORDS):
            word = word[0].upper() + word[1:]
        out.append(word)
    return " ".join(out)


def split_gendered(label: str) -> list[str]:
    """ESCO writes "directeur technique/directrice technique": keep both forms as titles."""
    parts = [p.strip() for p in label.split("/")]
    if len(parts) != 2 or min(len(p) for p in parts) < 4:
        return [label]
    first, second = (p.lower().split() for p in parts)
    # The two forms of one title start alike ("directeur"/"directrice", "Elektriker"/"Elektrikerin").
    if abs(len(first) - len(second)) <= 1 and first[0][:3] == second[0][:3]:
        return parts
    return [label]


# ---------------------------------------------------------------- model


@dataclass
class Occupation:
    """One O*NET occupation being assembled; titles per language as (title, weight) in insertion order."""

    code: str
    title: str
    job_zone: int | None = None
    titles: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    esco: list[tuple[float, str]] = field(default_factory=list)
    isco_votes: Counter[str] = field(default_factory=Counter)
    tools: list[str] = field(default_factory=list)

    def add(self, lang: str, title: str, weight: int, *, keep: bool = False) -> None:
        """Add a title; ``keep`` bypasses the filters (the occupation's own title is always kept, even
        "Health and Safety Engineers, Except Mining Safety Engineers and Inspectors")."""
        if keep:
            self.titles[lang].append((clean_title(title), weight))
            return
        for part in split_parenthesis(clean_title(title)):
            if usable(part):
                self.titles[lang].append((part, weight))

    def finished_titles(self) -> dict[str, list[list[object]]]:
        """Deduplicated by normalised key (keeping the best weight), preferred title first, then by weight."""
        out: dict[str, list[list[object]]] = {}
        for lang in LANGS:
            best: dict[str, tuple[str, int, int]] = {}
            seen = Counter[str]()
            for order, (title, weight) in enumerate(self.titles.get(lang, [])):
                key = title_key(title)
                if not key:
                    continue
                seen[key] += 1
                if key not in best or weight > best[key][1]:
                    best[key] = (title, weight, best[key][2] if key in best else order)
            if not best:
                continue
            # A title given by two sources (O*NET and ESCO, an alternate and a reported title) is surer.
            for key, (title, weight, order) in best.items():
                best[key] = (title, min(100, weight + W_CORROBORATED * (seen[key] - 1)), order)
            ranked = sorted(best.values(), key=lambda item: (item[2] != 0, -item[1], item[2]))
            out[lang] = [[title, weight] for title, weight, _ in ranked]
        return out


def load_onet(onet_dir: Path) -> dict[str, Occupation]:
    occupations: dict[str, Occupation] = {}
    for row in read_tsv(onet_dir / "Occupation Data.txt"):
        occ = Occupation(code=row["O*NET-SOC Code"], title=clean_title(row["Title"]))
        occ.add("en", occ.title, W_ONET_TITLE, keep=True)
        occupations[occ.code] = occ
    for row in read_tsv(onet_dir / "Job Zones.txt"):
        if row["O*NET-SOC Code"] in occupations:
            occupations[row["O*NET-SOC Code"]].job_zone = int(row["Job Zone"])
    for row in read_tsv(onet_dir / "Alternate Titles.txt"):
        occ = occupations.get(row["O*NET-SOC Code"])
        if occ is None:
            continue
        sources = len([s for s in row.get("Source(s)", "").split(",") if s.strip()])
        weight = min(100, 50 + 15 * sources)
        occ.add("en", row["Alternate Title"], weight)
        short = row.get("Short Title", "").strip()
        if short and short.lower() != "n/a":
            occ.add("en", short, weight)
    reported = onet_dir / "Sample of Reported Titles.txt"
    if reported.exists():
        for row in read_tsv(reported):
            occ = occupations.get(row["O*NET-SOC Code"])
            if occ is not None:
                shown = row.get("Shown in My Next Move", "N") == "Y"
                occ.add("en", row["Reported Job Title"], W_REPORTED_SHOWN if shown else W_REPORTED)
    tools_path = onet_dir / "Technology Skills.txt"
    if tools_path.exists():
        rows = list(read_tsv(tools_path))
        spread = Counter(row["Example"] for row in rows)
        universal = len(occupations) * 0.25
        per_occ: dict[str, list[tuple[bool, bool, int, str]]] = defaultdict(list)
        for row in rows:
            hot = row.get("Hot Technology", "N") == "Y"
            n = spread[row["Example"]]
            # What sets the occupation apart first: O*NET's "hot technologies" (frequent in job postings)
            # before the rest, the most specific first (React for a developer, STAAD.Pro for a civil
            # engineer), and tools a quarter of all occupations list (Excel, Outlook) last.
            per_occ[row["O*NET-SOC Code"]].append((n > universal, not hot, n, row["Example"]))
        for code, items in per_occ.items():
            if code in occupations:
                seen: list[str] = []
                for *_, name in sorted(items):
                    if name not in seen:
                        seen.append(name)
                occupations[code].tools = seen[:MAX_TOOLS]
    return occupations


def onet_version(onet_dir: Path) -> str:
    readme = onet_dir / "Read Me.txt"
    if readme.exists():
        match = re.search(r"O\*NET ([\d.]+) Database", readme.read_text(encoding="utf-8"))
        if match:
            return match.group(1)
    return "unknown"


# ---------------------------------------------------------------- ESCO


@dataclass
class EscoOccupation:
    uri: str
    isco: str | None = None
    # language -> (preferred label, alternative labels); hidden labels (misspellings) are not kept
    labels: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    parents: list[str] = field(default_factory=list)


def load_esco_csv(esco_dir: Path) -> dict[str, EscoOccupation]:
    esco: dict[str, EscoOccupation] = {}
    for lang in ("en", "fr", "es"):
        path = esco_dir / f"occupations_{lang}.csv"
        if not path.exists():
            continue
        for row in read_csv(path):
            uri = row["conceptUri"]
            occ = esco.setdefault(uri, EscoOccupation(uri=uri))
            occ.isco = occ.isco or (row.get("iscoGroup") or None)
            alts = [a.strip() for a in (row.get("altLabels") or "").split("\n") if a.strip()]
            occ.labels[lang] = (row["preferredLabel"].strip(), alts)
    broader = esco_dir / "broaderRelationsOccPillar.csv"
    if broader.exists():
        for row in read_csv(broader):
            if (
                row["conceptType"] == "Occupation"
                and row["broaderType"] == "Occupation"
                and row["conceptUri"] in esco
            ):
                esco[row["conceptUri"]].parents.append(row["broaderUri"])
    return esco


_TTL_BLOCK_RE = re.compile(r"^<([^>]+)> a skos:Concept ;(.*?)(?=^<[^>]+> a skos:|\Z)", re.S | re.M)
_TTL_LABEL_RE = re.compile(r'skos:(prefLabel|altLabel) "((?:[^"\\]|\\.)*)"@de')


def load_esco_de(path: Path, esco: dict[str, EscoOccupation]) -> None:
    """German labels from an ESCO SKOS/Turtle export (local ids linked to ESCO by skos:exactMatch)."""
    text = path.read_text(encoding="utf-8")
    local_to_uri: dict[str, str] = {}
    local_broader: dict[str, list[str]] = {}
    found: dict[str, tuple[str, list[str]]] = {}
    isco_of_local: dict[str, str] = {}
    for local, body in _TTL_BLOCK_RE.findall(text):
        occ_uri = re.search(r"<(" + re.escape(_ESCO_URI) + r"[^>]+)>", body)
        isco = re.search(r"<http://data\.europa\.eu/esco/isco/C(\d+)>", body)
        broader = re.search(r"skos:broader ([^;]+);", body)
        local_broader[local] = re.findall(r"<([^>]+)>", broader.group(1)) if broader else []
        if isco:
            isco_of_local[local] = isco.group(1)
        if not occ_uri:
            continue
        uri = occ_uri.group(1)
        local_to_uri[local] = uri
        pref, alts = "", []
        for kind, label in _TTL_LABEL_RE.findall(body):
            label = label.replace('\\"', '"').strip()
            if kind == "prefLabel":
                pref = label
            elif kind == "altLabel":
                alts.append(label)
        if pref:
            found[uri] = (pref, alts)
    for local, uri in local_to_uri.items():
        occ = esco.setdefault(uri, EscoOccupation(uri=uri))
        if uri in found:
            occ.labels["de"] = found[uri]
        for parent in local_broader.get(local, []):
            if parent in local_to_uri and local_to_uri[parent] not in occ.parents:
                occ.parents.append(local_to_uri[parent])
            elif parent in isco_of_local and len(isco_of_local[parent]) == 4:
                occ.isco = occ.isco or isco_of_local[parent]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def _same_word(a: str, b: str) -> bool:
    """ "manager" and "management", "developer" and "developers": one word for choosing a code."""
    return a == b or (len(a) >= 5 and len(b) >= 5 and a[:6] == b[:6])


def map_2010_to_2019(path: Path, onet_titles: dict[str, str]) -> dict[str, list[str]]:
    mapping: dict[str, list[str]] = defaultdict(list)
    for row in read_csv(path):
        old = row.get("O*NET-SOC 2010 Code") or row.get("soc2010_code") or ""
        new = row.get("O*NET-SOC 2019 Code") or row.get("soc2019_code") or ""
        if old and new in onet_titles and new not in mapping[old]:
            mapping[old].append(new)
    return mapping


def pick_2019(old: str, candidates: list[str], label: str, onet_titles: dict[str, str]) -> str:
    """A 2010 code split in 2019 ("Managers, All Other" became project management specialists,
    entertainment managers...): keep the one whose title shares most words with the ESCO label, then the
    one that kept the 2010 code, then O*NET's order."""
    words = _words(label)

    def shared(code: str) -> int:
        title_words = _words(onet_titles[code])
        return sum(1 for w in words if any(_same_word(w, t) for t in title_words))

    return max(candidates, key=lambda code: (shared(code), code == old, -candidates.index(code)))


def attach_esco(
    occupations: dict[str, Occupation],
    esco: dict[str, EscoOccupation],
    crosswalk_path: Path,
    xwalk_2010_2019: Path,
) -> dict[str, int]:
    onet_titles = {code: occ.title for code, occ in occupations.items()}
    to_2019 = map_2010_to_2019(xwalk_2010_2019, onet_titles)
    direct: dict[str, tuple[str, float]] = {}  # ESCO uri -> (O*NET 2019 code, confidence in 0..1)
    for row in read_csv(crosswalk_path):
        uri, old = row["concept_uri"], row["onet_code"]
        candidates = to_2019.get(old) or ([old] if old in occupations else [])
        if not candidates or uri not in esco:
            continue
        code = pick_2019(old, candidates, row["esco_occupation"], onet_titles)
        confidence = {"2.0": 1.0, "1.0": 0.9, "0.5": 0.75}.get(row.get("confidence", ""), 0.8)
        similarity = float(row.get("semantic_similarity") or 0.5)
        direct[uri] = (code, confidence * similarity)

    # Identical names outrank the crosswalk: Nesta sends ESCO "software developer" to O*NET's Computer
    # Programmers (its 2010 codes had no plain "Software Developers"), but O*NET 2019 has that occupation.
    by_title_key: dict[str, list[str]] = defaultdict(list)
    for code, title in onet_titles.items():
        by_title_key[title_key(title)].append(code)
    for uri, occ in esco.items():
        if "en" in occ.labels:
            same = by_title_key.get(title_key(occ.labels["en"][0]), [])
            if len(same) == 1:
                direct[uri] = (same[0], 1.0)

    def resolve(uri: str, depth: int = 0) -> tuple[str, float, bool] | None:
        if uri in direct:
            return direct[uri][0], direct[uri][1], depth > 0
        if depth > 5 or uri not in esco:
            return None
        for parent in esco[uri].parents:
            found = resolve(parent, depth + 1)
            if found:
                return found
        return None

    stats = Counter[str]()
    resolved: list[tuple[float, str, str, bool]] = []
    for uri in esco:
        found = resolve(uri)
        if found is None:
            stats["esco_unmapped"] += 1
            continue
        code, strength, inherited = found
        stats["esco_inherited" if inherited else "esco_direct"] += 1
        resolved.append((strength * (0.8 if inherited else 1.0), uri, code, inherited))
    # Best-matching ESCO occupations first, so the first ESCO label of a language is its preferred title.
    for strength, uri, code, inherited in sorted(resolved, key=lambda item: (-item[0], item[1])):
        occ, src = occupations[code], esco[uri]
        occ.esco.append((strength, uri.removeprefix(_ESCO_URI)))
        if src.isco:
            occ.isco_votes[src.isco] += strength
        for lang in LANGS:
            if lang not in src.labels:
                continue
            pref = src.labels[lang][0]
            pref = english_case(pref) if lang == "en" else pref
            for form in split_gendered(pref):
                occ.add(lang, form, W_ESCO_PREF_INHERITED if inherited else W_ESCO_PREF)
    # Alternative labels after every preferred label, so preferred labels lead each language.
    for _strength, uri, code, inherited in sorted(resolved, key=lambda item: (-item[0], item[1])):
        occ, src = occupations[code], esco[uri]
        for lang in LANGS:
            if lang in src.labels:
                for alt in src.labels[lang][1]:
                    alt = english_case(alt) if lang == "en" else alt
                    for form in split_gendered(alt):
                        occ.add(lang, form, W_ESCO_ALT_INHERITED if inherited else W_ESCO_ALT)
    return dict(stats)


def isco_fallback(occupations: dict[str, Occupation], isco_soc: Path, xwalk_2010_2019: Path) -> int:
    """ISCO-08 group for occupations no ESCO occupation maps to (Logisticians), from the BLS SOC 2010 to
    ISCO-08 crosswalk reached through O*NET's 2010-to-2019 crosswalk. A SOC code often lists several ISCO
    groups; the one named most often across the O*NET occupation's 2010 predecessors wins, then file order."""
    soc_to_isco: dict[str, list[str]] = defaultdict(list)
    for row in read_csv(isco_soc):
        soc = (row.get("soc2010_code") or row.get("2010 SOC Code") or "").strip()
        isco = (row.get("isco08_code") or row.get("ISCO-08 Code") or "").strip()
        if soc and isco.isdigit() and len(isco) == 4:
            soc_to_isco[soc].append(isco)
    predecessors: dict[str, list[str]] = defaultdict(list)
    for row in read_csv(xwalk_2010_2019):
        old = row.get("O*NET-SOC 2010 Code") or row.get("soc2010_code") or ""
        new = row.get("O*NET-SOC 2019 Code") or row.get("soc2019_code") or ""
        predecessors[new].append(old[:7])
    filled = 0
    for code, occ in occupations.items():
        if occ.isco_votes:
            continue
        votes = Counter[str]()
        for soc in predecessors.get(code, [code[:7]]):
            for rank, isco in enumerate(soc_to_isco.get(soc, [])):
                votes[isco] += 1.0 - rank * 1e-3
        if votes:
            occ.isco_votes[votes.most_common(1)[0][0]] = 0.01
            filled += 1
    return filled


# ---------------------------------------------------------------- output


def build(args: argparse.Namespace) -> dict[str, object]:
    occupations = load_onet(args.onet)
    esco = load_esco_csv(args.esco)
    if args.esco_de:
        load_esco_de(args.esco_de, esco)
    stats = attach_esco(occupations, esco, args.crosswalk, args.onet_2010_2019)
    if args.isco_soc:
        stats["isco_from_soc_crosswalk"] = isco_fallback(occupations, args.isco_soc, args.onet_2010_2019)
    records = []
    for code in sorted(occupations):
        occ = occupations[code]
        titles = occ.finished_titles()
        if "en" not in titles:
            continue
        isco = occ.isco_votes.most_common(1)[0][0] if occ.isco_votes else None
        records.append(
            {
                "id": code,
                "title": occ.title,
                "isco": isco,
                "job_zone": occ.job_zone,
                "esco": [uuid for _, uuid in sorted(occ.esco, key=lambda item: -item[0])],
                "tools": occ.tools,
                "titles": titles,
            }
        )
    counts = {lang: sum(len(r["titles"].get(lang, [])) for r in records) for lang in LANGS}
    return {
        "format": FORMAT,
        "sources": {
            "onet": onet_version(args.onet),
            "esco_en_fr_es": args.esco_version,
            "esco_de": args.esco_de_version,
        },
        "stats": {"occupations": len(records), "titles": counts, **stats},
        "occupations": records,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--onet", type=Path, required=True, help="folder of O*NET text files")
    parser.add_argument("--esco", type=Path, required=True, help="folder of ESCO CSV files (en, fr, es)")
    parser.add_argument("--esco-de", type=Path, help="ESCO occupations Turtle file with German labels")
    parser.add_argument("--crosswalk", type=Path, required=True, help="Nesta esco_onet_crosswalk_Nov2020.csv")
    parser.add_argument("--onet-2010-2019", type=Path, required=True, help="O*NET-SOC 2010 to 2019 crosswalk")
    parser.add_argument("--isco-soc", type=Path, help="BLS SOC 2010 to ISCO-08 crosswalk (ISCO fallback)")
    parser.add_argument("--esco-version", default="v1.0 (2,942 occupations)", help="recorded in the output")
    parser.add_argument("--esco-de-version", default="v1.2.0", help="recorded in the output")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    data = build(args)
    args.out.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")
    target = args.out / OUT_NAME
    # mtime=0 keeps the gzip bytes identical from one build to the next.
    with (
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(payload)
    print(f"wrote {target} ({target.stat().st_size / 1e6:.2f} MB): {json.dumps(data['stats'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
