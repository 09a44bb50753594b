import pytest

from jobland_pipeline.keys import (
    InvalidKeyError,
    file_stem,
    search_key,
    slugify,
    split_search_key,
    user_id_from_folder,
    validate_user_id,
)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("ICU Registered Nurse", "icu-registered-nurse"),
        ("C++ Developer (Senior)", "c-developer-senior"),
        ("  Café Manager ", "cafe-manager"),
    ],
)
def test_slugify_latin(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugify_chinese_is_stable_and_distinct() -> None:
    assert slugify("高级会计") == slugify("高级会计")
    assert slugify("高级会计") != slugify("总账会计")
    assert slugify("高级会计").startswith("t-")


@pytest.mark.parametrize(
    "bad", ["", "..", "../etc", "a/b", "a\x00b", "x" * 65, "Ａdmin", "rm -rf;", "-lead", "user name", "émile"]
)
def test_hostile_user_ids_are_rejected(bad: str) -> None:
    with pytest.raises(InvalidKeyError):
        validate_user_id(bad)


@pytest.mark.parametrize("bad", ["..", "a\x00", "a/b", "Bad Name", "$(reboot)", "ｍaria"])
def test_hostile_inbox_folders_are_rejected(bad: str) -> None:
    with pytest.raises(InvalidKeyError):
        user_id_from_folder(bad)


def test_search_key_round_trip_and_file_stem() -> None:
    key = search_key("maria_santos", "icu-registered-nurse")
    assert key == "maria_santos::icu-registered-nurse"
    assert split_search_key(key) == ("maria_santos", "icu-registered-nurse")
    assert "/" not in file_stem(key) and ":" not in file_stem(key)
    with pytest.raises(InvalidKeyError):
        split_search_key("maria_santos::../../etc")
