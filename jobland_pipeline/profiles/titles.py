"""Suggest 5-10 specific job titles from the bundled title vocabulary, each with its reason."""

from __future__ import annotations

from jobland_pipeline.keys import slugify
from jobland_pipeline.profiles.models import Profile, TitleSuggestion
from jobland_pipeline.profiles.vocab import TitleEntry, load_vocabulary
from jobland_pipeline.textutil import best_title_similarity

LEVELS = ("entry", "mid", "senior", "lead")
MIN_TITLES, MAX_TITLES = 5, 10


def _level_gap(title_level: str, seniority: str) -> int:
    if title_level not in LEVELS or seniority not in LEVELS:
        return 1
    return abs(LEVELS.index(title_level) - LEVELS.index(seniority))


def _level_fit(title_level: str, seniority: str) -> float:
    return (1.0, 0.7, 0.3, 0.1)[_level_gap(title_level, seniority)]


def _skill_fit(entry: TitleEntry, have: set[str]) -> tuple[float, list[str]]:
    weights = [1.0 / (1 + 0.15 * i) for i in range(len(entry.skills))]
    matched = [s for s in entry.skills if s in have]
    score = sum(w for s, w in zip(entry.skills, weights, strict=True) if s in have) / (sum(weights) or 1)
    return score, matched


def _role_fit(entry: TitleEntry, profile: Profile) -> tuple[float, str | None]:
    best, best_role = 0.0, None
    for i, role in enumerate(profile.roles[:4]):
        recency = (1.0, 0.8, 0.6, 0.5)[i]
        sim = max(
            best_title_similarity(role.title, entry.all_names),
            best_title_similarity(" ".join(entry.all_names), role.title) * 0.8,
        )
        if sim * recency > best:
            best, best_role = sim * recency, role.title
    return best, best_role


def suggest_titles(
    profile: Profile, *, pinned: list[str] | None = None, limit: int = 8
) -> list[TitleSuggestion]:
    """Rank vocabulary titles by skills, held roles, job family and seniority; pinned titles come first."""
    vocab = load_vocabulary()
    have = set(profile.skills)
    families = {k: v for k, v in profile.families.items() if k != "general"}
    top_share = max(families.values(), default=0.0) or 1.0
    scored: list[tuple[float, TitleEntry, list[str], str | None]] = []
    for entry in vocab.titles:
        skill_fit, matched = _skill_fit(entry, have)
        role_fit, role = _role_fit(entry, profile)
        family_fit = families.get(entry.family, 0.0) / top_share
        if not matched and role_fit < 0.5:
            continue
        if entry.level == "entry" and profile.seniority in {"senior", "lead"}:
            continue  # a department chair is not looking for teaching-assistant jobs
        if family_fit < 0.05 and role_fit < 0.5:
            continue  # generic skills (budgeting, leadership) alone do not make a teacher an FP&A manager
        fit = 0.50 * skill_fit + 0.30 * role_fit + 0.20 * family_fit
        score = fit * (0.55 + 0.45 * _level_fit(entry.level, profile.seniority))
        scored.append((score, entry, matched, role))
    scored.sort(key=lambda item: (-item[0], item[1].title))
    limit = max(MIN_TITLES, min(MAX_TITLES, limit))
    out: list[TitleSuggestion] = [_pinned(t, profile) for t in (pinned or [])][:limit]
    seen = {s.slug for s in out}
    for score, entry, matched, role in scored:
        if len(out) >= limit:
            break
        slug = slugify(entry.title)
        if slug in seen:
            continue
        seen.add(slug)
        out.append(
            TitleSuggestion(
                title=entry.title,
                slug=slug,
                display_title=entry.zh if profile.language == "zh" and entry.zh else entry.title,
                title_zh=entry.zh,
                family=entry.family,
                level=entry.level,
                aliases=list(entry.aliases),
                skills=list(entry.skills),
                score=round(score * 100, 1),
                reason=_reason(entry, matched, role, profile),
            )
        )
    return out


def _pinned(title: str, profile: Profile) -> TitleSuggestion:
    """A pinned title, enriched with the vocabulary's aliases and skills when it names a known title."""
    zh = profile.language == "zh"
    wanted = title.strip().lower()
    entry = next((t for t in load_vocabulary().titles if wanted in {n.lower() for n in t.all_names}), None)
    return TitleSuggestion(
        title=title.strip(),
        slug=slugify(title),
        display_title=title.strip(),
        title_zh=entry.zh if entry else None,
        family=entry.family if entry else None,
        level=entry.level if entry else None,
        aliases=[n for n in entry.all_names if n.lower() != wanted] if entry else [],
        skills=list(entry.skills) if entry else [],
        score=100.0,
        source="pinned",
        reason="您在设置中固定了这个职位" if zh else "You pinned this title in your settings",
    )


def _reason(entry: TitleEntry, matched: list[str], role: str | None, profile: Profile) -> str:
    zh = profile.language == "zh"
    parts: list[str] = []
    if matched:
        shown = "、".join(matched[:4]) if zh else ", ".join(matched[:4])
        parts.append(
            f"简历中有该职位 {len(matched)}/{len(entry.skills)} 项核心技能（{shown}）"
            if zh
            else f"your CV shows {len(matched)} of its {len(entry.skills)} core skills ({shown})"
        )
    if role:
        parts.append(f"与您担任过的“{role}”一职相近" if zh else f"it is close to your role as {role}")
    if profile.years_experience:
        level = {"entry": "入门", "mid": "中级", "senior": "高级", "lead": "负责人"}.get(
            entry.level, entry.level
        )
        parts.append(
            f"{profile.years_experience:g} 年经验符合{level}级别"
            if zh
            else f"{profile.years_experience:g} years of experience fit a {entry.level}-level role"
        )
    text = "；".join(parts) if zh else "; ".join(parts)
    return (text + "。") if zh else (text[:1].upper() + text[1:] + ".")
