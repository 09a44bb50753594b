"""The README's settings table is the settings table the code reads (no drift)."""

from pathlib import Path

from resources import SETTINGS

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_starts_with_the_two_commands() -> None:
    lines = [line.strip() for line in README.read_text(encoding="utf-8").splitlines() if line.strip()]
    commands = [line for line in lines if line.startswith("make ")]
    assert commands[:2] == ["make run", "make test"]


def test_readme_documents_every_setting() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- settings:start -->", 1)[1].split("<!-- settings:end -->", 1)[0]
    documented = {line.split("`")[1] for line in block.splitlines() if line.startswith("| `")}
    assert documented == {s.env for s in SETTINGS}
