"""No function or method is too branchy to read: cyclomatic complexity 15 or less, as radon counts it.

A function past 15 (``if``s, loops, boolean operators and comprehensions, each one more path) is one
whose behaviour can no longer be held in mind or tested path by path; it is split into small named
helpers or made table-driven instead. Measured from the source with radon's own API, so the number
is the one ``radon cc -s`` prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Class, Function

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("jobland_pipeline", "assets", "resources", "sensors", "jobland_cli")
LIMIT = 15


def _functions(blocks: list[Function | Class]) -> Iterator[Function]:
    """Every function, method and closure among radon's blocks, once each.

    radon lists a module's functions, its classes and their methods; closures and the methods of
    nested classes hang below them. A class's own number is the sum of its methods, not a function's.
    """
    for block in blocks:
        if isinstance(block, Class):
            for inner in block.inner_classes:
                yield from _functions([inner, *inner.methods])
        else:
            yield block
            yield from _functions(list(block.closures))


def _sources() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def test_the_packages_have_sources() -> None:
    found = {p.relative_to(ROOT).parts[0] for p in _sources()}
    assert found == set(PACKAGES)


def test_no_function_is_more_complex_than_the_limit() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{f.lineno} {f.fullname} {f.complexity}"
        for path in _sources()
        for f in _functions(cc_visit(path.read_text(encoding="utf-8")))
        if f.complexity > LIMIT
    ]
    print("\n".join(offenders))
    assert not offenders, f"cyclomatic complexity over {LIMIT}:\n" + "\n".join(offenders)
