"""Job-title acronyms and the titles they stand for: a nurse's CV says "RN", the posting "Registered Nurse".

Only acronyms that mean one job wherever a job title uses them. Left out on purpose: "PM" (product or
project manager), "PA" (physician or personal assistant), "GM" (general manager or General Motors),
"CPO" (chief product or procurement officer, or a prosthetist), "CMO" (a marketing chief or a
contract manufacturer), "AI" and "IT" (also words), "BI" ("bi-lingual"). Field acronyms ("HR", "UX",
"QA", "ML") are glossary concepts, matched as a whole: "QA Engineer" is not any "Quality Engineer".
After "to", "the" or "for" an acronym is not spelled out: an "Assistant to the CEO" is no chief.
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
    "dba": "database administrator",
    "cpa": "certified public accountant",
}


def expand_acronyms(words: Iterable[str]) -> list[str]:
    """Folded words with every title acronym replaced by the words it stands for."""
    out: list[str] = []
    before = ""
    for word in words:
        spelled = TITLE_ACRONYMS.get(word)
        if spelled is None or before in _SOMEONE_ELSE:
            out.append(word)
        else:
            out.extend(spelled.split())
        before = word
    return out


_SOMEONE_ELSE = frozenset(["to", "the", "for"])  # "Assistant to the CEO", "EA for CFO"
