"""Partition keys and file-safe slugs.

Keys end up in file names, DuckDB rows and Dagster partition keys, so they are
restricted to ``[a-z0-9_-]`` and bounded in length: no path separators, no
``..``, no NUL, no shell characters, nothing a homoglyph can hide behind.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

SEARCH_KEY_SEPARATOR = "::"
MAX_SLUG_LENGTH = 64

_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$")


class InvalidKeyError(ValueError):
    """A user id, title slug or search key that is not safe to use."""


def slugify(text: str, *, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Make a stable ASCII slug; non-Latin text keeps a short hash so it stays unique.

    >>> slugify("ICU Registered Nurse")
    'icu-registered-nurse'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    ascii_share = len(folded.strip()) / max(1, len(text.strip()))
    if not slug or ascii_share < 0.5:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug}-{digest}".strip("-") if slug else f"t-{digest}"
    return slug[:max_length].strip("-")


def validate_user_id(user_id: str) -> str:
    """Return the user id if it is a safe slug, else raise with the reason."""
    if not isinstance(user_id, str) or not _SLUG_RE.match(user_id):
        raise InvalidKeyError(
            f"invalid user id {user_id!r}: use 1-64 characters from a-z, 0-9, '_' and '-', "
            "starting and ending with a letter or digit"
        )
    return user_id


def user_id_from_folder(name: str) -> str:
    """Derive a user id from an inbox folder name (lower-cased, slugged, validated)."""
    if "\x00" in name or name in {".", ".."} or "/" in name or "\\" in name:
        raise InvalidKeyError(f"invalid inbox folder name {name!r}")
    candidate = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")
    if candidate != name.lower() or not candidate:
        raise InvalidKeyError(
            f"inbox folder {name!r} is not a valid user id (allowed: a-z, 0-9, '_' and '-')"
        )
    return validate_user_id(candidate)


def search_key(user_id: str, title_slug: str) -> str:
    """Composite key of one (user, title) search: ``"<user>::<title-slug>"``."""
    validate_user_id(user_id)
    if not _SLUG_RE.match(title_slug):
        raise InvalidKeyError(f"invalid title slug {title_slug!r}")
    return f"{user_id}{SEARCH_KEY_SEPARATOR}{title_slug}"


def split_search_key(key: str) -> tuple[str, str]:
    """Inverse of :func:`search_key`, validating both halves."""
    user_id, sep, title_slug = key.partition(SEARCH_KEY_SEPARATOR)
    if not sep:
        raise InvalidKeyError(f"invalid search key {key!r}: expected '<user>::<title-slug>'")
    search_key(user_id, title_slug)
    return user_id, title_slug


def file_stem(partition_key: str) -> str:
    """File-name form of a partition key (``::`` is not portable in file names)."""
    return partition_key.replace(SEARCH_KEY_SEPARATOR, "__")
