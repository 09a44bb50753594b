"""The version of the code a screening runs: a digest of the modules it imports and the data they read.

A screening row is reused while its basis holds (``reuse.screening_basis``), and the basis names the code
version, so that an upgrade of the matching re-screens. A digest of the whole package would re-screen
every posting after any release, a change to the mailer or the S3 inbox included; this one digests only
the modules the screening stage can reach by import (found statically, imports inside functions too)
and the data files of their packages (lexicon, taxonomy, places, prompts). Whatever it cannot see counts:
a module is in unless no import reaches it, and a data file is in when its package's code is.
"""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PACKAGE = PACKAGE_DIR.name

ROOTS = (
    f"{PACKAGE}.screening",  # the package and every module in it
    f"{PACKAGE}.llm",  # the engines that score and judge, their prompts
    f"{PACKAGE}.outcomes",  # the calibrator of the chances
    f"{PACKAGE}.postings.stage",  # postings as the screening reads them back
)


def _modules(package_dir: Path) -> dict[str, Path]:
    """Dotted module name -> its file, for every module of the package."""
    out: dict[str, Path] = {}
    for path in package_dir.rglob("*.py"):
        if "__pycache__" in path.parts:
            continue
        parts = (package_dir.name, *path.relative_to(package_dir).with_suffix("").parts)
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports anywhere in its file (absolute or relative)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    wanted: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            wanted.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            wanted.add(module)
            wanted.update(f"{module}.{alias.name}" for alias in node.names)  # submodules imported by name
    found = set()
    for module in wanted:
        while module and module not in modules:
            module = module.rpartition(".")[0]
        if module:
            found.add(module)
    return found


def reachable(package_dir: Path = PACKAGE_DIR, roots: tuple[str, ...] = ROOTS) -> set[str]:
    """Every module of the package the roots reach by import, parent packages included (importing
    ``a.b.c`` runs ``a/__init__`` and ``a/b/__init__``). A root that is a package brings all its modules."""
    modules = _modules(package_dir)
    todo = [m for m in modules for root in roots if m == root or m.startswith(root + ".")]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(p for p in (".".join(parts[:i]) for i in range(1, len(parts))) if p in modules)
        todo.extend(_imported(name, modules[name], modules))
    return seen


def _package_of(path: Path, package_dir: Path) -> str:
    """The dotted package a file belongs to: its nearest folder with an ``__init__.py``."""
    folder = path.parent
    while folder != package_dir and not (folder / "__init__.py").is_file():
        folder = folder.parent
    return ".".join((package_dir.name, *folder.relative_to(package_dir).parts))


def code_fingerprint(package_dir: Path = PACKAGE_DIR, roots: tuple[str, ...] = ROOTS) -> str:
    """A digest of the screening's code (``reachable``) and of the data files of its packages."""
    modules = reachable(package_dir, roots)
    modules_of = _modules(package_dir)
    files = {modules_of[m] for m in modules}
    packages = {m for m in modules if modules_of[m].name == "__init__.py"}
    for path in package_dir.rglob("*"):
        data = path.suffix not in {".py", ".pyc", ".pyo"} and "__pycache__" not in path.parts
        if data and path.is_file() and _package_of(path, package_dir) in packages:
            files.add(path)
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def screening_code_version() -> str:
    """``code_fingerprint`` of the installed package, once per process."""
    return code_fingerprint()
