"""The core's dependencies point one way: each package imports only packages of lower layers.

Read from the source with ``ast`` (imports inside functions count too: a lazy import is still a
dependency). The core never imports Dagster or the wiring; only ``definitions.py`` does.
"""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "jobland_pipeline"
WIRING = ("dagster", "dagster_aws", "dagster_postgres", "assets", "resources", "sensors", "jobland_cli")

# Lower layers first. A package may import its own layer's leaf modules only when listed together
# below as separate layers; a package never imports a higher layer.
LAYERS: list[set[str]] = [
    {"atomic"},
    {
        "keys",
        "textutil",
        "mojibake",
        "messages",
        "records",
        "net",
        "data",
        "local_state",
        "jsonlimits",
        "progress",
    },
    {"places", "taxonomy", "inbox"},
    {"lexicon", "inbox_cursor"},
    {"documents"},
    {"profiles", "s3inbox"},
    {"postings"},
    {"research", "screening"},
    {"generation"},
    {"delivery"},
    {"llm"},
    {"warehouse", "settings", "evaluation", "batch"},
    {"golden", "trail", "outcomes", "digest_day"},
    {"definitions"},
]
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}


def _package(path: Path) -> str:
    return path.relative_to(CORE).parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _modules() -> list[Path]:
    return sorted(p for p in CORE.rglob("*.py") if p.name != "__init__.py" or p.parent != CORE)


def test_every_core_package_has_a_layer() -> None:
    packages = {_package(p) for p in _modules()}
    assert packages <= set(LAYER), sorted(packages - set(LAYER))


def test_dependencies_point_down() -> None:
    wrong: list[str] = []
    for path in _modules():
        mine = _package(path)
        for module in _imports(path):
            if not module.startswith("jobland_pipeline."):
                continue
            other = module.split(".")[1]
            if other != mine and LAYER.get(other, 99) >= LAYER[mine]:
                wrong.append(f"{path.relative_to(CORE)} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_core_never_imports_the_wiring() -> None:
    wrong = [
        f"{path.relative_to(CORE)} imports {module}"
        for path in _modules()
        if _package(path) != "definitions"
        for module in _imports(path)
        if module.split(".")[0] in WIRING
    ]
    assert not wrong, "\n".join(wrong)
