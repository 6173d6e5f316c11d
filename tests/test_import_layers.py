"""The import layers: the Rasa-free core at the bottom, the two processes' packages above it
with no arrows between them. `lint-imports` (import-linter, contracts in pyproject.toml) checks
the tree in the lint step; these tests show it passes here and fails on a crossing import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")
PACKAGES = ["core", "actions", "channels", "components", "server"]


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_of_the_tree(destination: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, destination / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def test_the_tree_keeps_its_import_layers() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_import_from_one_process_into_the_other_breaks_the_lint(tmp_path: Path) -> None:
    tree = copy_of_the_tree(tmp_path)
    guard = tree / "channels" / "guard.py"
    guard.write_text(guard.read_text() + "\nfrom actions import privacy  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "independent BROKEN" in result.stdout


def test_rasa_in_the_core_breaks_the_lint(tmp_path: Path) -> None:
    tree = copy_of_the_tree(tmp_path)
    names = tree / "core" / "names.py"
    names.write_text(names.read_text() + "\nimport rasa  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
