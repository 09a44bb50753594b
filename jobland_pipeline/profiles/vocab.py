"""The bundled skills and titles vocabularies, and a fast matcher over them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from jobland_pipeline.documents.extract import is_cjk


class VocabularyError(ValueError):
    """A malformed vocabulary file; the message names the file and the entry."""


@dataclass(frozen=True)
class SkillEntry:
    name: str
    families: tuple[str, ...]
    aliases: tuple[str, ...]
    case_sensitive: bool = False


@dataclass(frozen=True)
class TitleEntry:
    title: str
    family: str
    level: str
    zh: str | None
    aliases: tuple[str, ...]
    skills: tuple[str, ...]

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.title, *(self.aliases), *((self.zh,) if self.zh else ()))


@dataclass
class SkillMatcher:
    """Finds canonical skills in text: whole-word for Latin aliases, substring for CJK ones."""

    entries: dict[str, SkillEntry]
    _insensitive: re.Pattern[str] | None = None
    _sensitive: re.Pattern[str] | None = None
    _short: re.Pattern[str] | None = None
    _lookup: dict[str, str] = field(default_factory=dict)
    _cjk: list[tuple[str, str]] = field(default_factory=list)
    _cache: dict[str, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        insensitive: list[str] = []
        sensitive: list[str] = []
        for entry in self.entries.values():
            for alias in (entry.name, *entry.aliases):
                alias = alias.strip()
                if not alias:
                    continue
                if any(is_cjk(ch) for ch in alias):
                    self._cjk.append((alias, entry.name))
                elif entry.case_sensitive:
                    sensitive.append(alias)
                    self._lookup[alias] = entry.name
                else:
                    insensitive.append(alias)
                    self._lookup.setdefault(alias.lower(), entry.name)
        self._insensitive = _alternation(insensitive, re.IGNORECASE)
        self._sensitive = _alternation([a for a in sensitive if len(a) > 2], 0)
        self._short = _alternation([a for a in sensitive if len(a) <= 2], 0, strict_edges=True)
        self._cjk.sort(key=lambda pair: -len(pair[0]))

    def find(self, text: str) -> dict[str, int]:
        """Canonical skill -> number of mentions (memoised: the same posting is matched by many searches)."""
        cached = self._cache.get(text)
        if cached is None:
            cached = self._find(text)
            if len(self._cache) > 20_000:
                self._cache.clear()
            self._cache[text] = cached
        return dict(cached)

    def _find(self, raw: str) -> dict[str, int]:
        # PDF line wrapping splits phrases ("calm under\npressure"): match on collapsed whitespace.
        text = _SPACES.sub(" ", raw)
        counts: dict[str, int] = {}
        if self._insensitive is not None:
            for match in self._insensitive.finditer(text):
                name = self._lookup.get(match.group(1).lower())
                if name:
                    counts[name] = counts.get(name, 0) + 1
        for pattern in (self._sensitive, self._short):
            for match in pattern.finditer(text) if pattern is not None else ():
                name = self._lookup.get(match.group(1))
                if name:
                    counts[name] = counts.get(name, 0) + 1
        joined = _CJK_GAP.sub("", text)
        for alias, name in self._cjk:
            hits = joined.count(alias)
            if hits:
                counts[name] = counts.get(name, 0) + hits
        return counts


_SPACES = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


def _alternation(aliases: list[str], flags: int, *, strict_edges: bool = False) -> re.Pattern[str] | None:
    """One regex for many aliases; edges are ASCII-only so "精通Excel" matches Excel.

    Very short case-sensitive names ("R", "Go") also refuse "&" and "-" edges ("R&D", "Go-live").
    """
    if not aliases:
        return None
    ordered = sorted(set(aliases), key=len, reverse=True)
    body = "|".join(re.escape(a) for a in ordered)
    edge = r"A-Za-z0-9_+#&\-" if strict_edges else r"A-Za-z0-9_+#"
    return re.compile(rf"(?<![{edge}])({body})(?![{edge}]|\.[A-Za-z0-9])", flags)


@dataclass(frozen=True)
class Vocabulary:
    skills: dict[str, SkillEntry]
    titles: tuple[TitleEntry, ...]
    matcher: SkillMatcher

    def label(self, skill: str, language: str) -> str:
        """How a skill is written for a reader of ``language`` (a Chinese CV shows its Chinese name)."""
        entry = self.skills.get(skill)
        if language == "zh" and entry is not None:
            return next((a for a in entry.aliases if any(is_cjk(ch) for ch in a)), skill)
        return skill

    def families_of(self, skill: str) -> tuple[str, ...]:
        entry = self.skills.get(skill)
        return entry.families if entry else ()


def _read_yaml(name: str) -> dict[str, Any]:
    text = resources.files("jobland_pipeline.data.vocab").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise VocabularyError(f"vocab/{name}: expected a mapping at the top level")
    return data


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise VocabularyError(f"{where}: expected a list of strings")
    return tuple(value)


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Load and validate both vocabularies once per process."""
    skills: dict[str, SkillEntry] = {}
    for i, raw in enumerate(_read_yaml("skills.yaml").get("skills") or []):
        where = f"vocab/skills.yaml: skills[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise VocabularyError(f"{where}: each skill needs a 'name'")
        skills[raw["name"]] = SkillEntry(
            name=raw["name"],
            families=_str_list(raw.get("families"), f"{where}.families"),
            aliases=_str_list(raw.get("aliases"), f"{where}.aliases"),
            case_sensitive=bool(raw.get("case_sensitive", False)),
        )
    titles: list[TitleEntry] = []
    for i, raw in enumerate(_read_yaml("titles.yaml").get("titles") or []):
        where = f"vocab/titles.yaml: titles[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("title"), str):
            raise VocabularyError(f"{where}: each title needs a 'title'")
        title_skills = _str_list(raw.get("skills"), f"{where}.skills")
        unknown = [s for s in title_skills if s not in skills]
        if unknown:
            raise VocabularyError(f"{where} ({raw['title']}): unknown skills {unknown}")
        titles.append(
            TitleEntry(
                title=raw["title"],
                family=str(raw.get("family") or "general"),
                level=str(raw.get("level") or "mid"),
                zh=raw.get("zh"),
                aliases=_str_list(raw.get("aliases"), f"{where}.aliases"),
                skills=title_skills,
            )
        )
    return Vocabulary(skills=skills, titles=tuple(titles), matcher=SkillMatcher(skills))
