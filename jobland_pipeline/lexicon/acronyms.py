"""Job-title acronyms and the titles they stand for: a nurse's CV says "RN", the posting "Registered Nurse".

Only acronyms that mean one job wherever a job title uses them. Left out on purpose: "PM" (product or
project manager), "PA" (physician or personal assistant), "GM" (general manager or General Motors),
"CPO" (chief product or procurement officer, or a prosthetist), "CMO" (a marketing chief or a
contract manufacturer), "AI" and "IT" (also words). Acronyms the glossary already holds as concepts
("HR", "UX", "SRE") are not repeated here.
"""

from __future__ import annotations

from collections.abc import Iterable

TITLE_ACRONYMS: dict[str, str] = {
    "ceo": "chief executive officer",
    "cto": "chief technology officer",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cio": "chief information officer",
    "ciso": "chief information security officer",
    "chro": "chief human resources officer",
    "vp": "vice president",
    "svp": "senior vice president",
    "evp": "executive vice president",
    "rn": "registered nurse",
    "lpn": "licensed practical nurse",
    "lvn": "licensed vocational nurse",
    "cna": "certified nursing assistant",
    "np": "nurse practitioner",
    "emt": "emergency medical technician",
    "sde": "software development engineer",
    "swe": "software engineer",
    "qa": "quality assurance",
    "ml": "machine learning",
    "bi": "business intelligence",
    "dba": "database administrator",
    "cpa": "certified public accountant",
}


def expand_acronyms(words: Iterable[str]) -> list[str]:
    """Folded words with every title acronym replaced by the words it stands for."""
    out: list[str] = []
    for word in words:
        spelled = TITLE_ACRONYMS.get(word)
        if spelled is None:
            out.append(word)
        else:
            out.extend(spelled.split())
    return out
