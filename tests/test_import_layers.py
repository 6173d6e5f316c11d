"""The import layers: the Rasa-free core at the bottom, the two processes' packages above it
with no arrows between them. `lint-imports` (import-linter, contracts in pyproject.toml) checks
the tree in the lint step; these tests show it passes here and fails on a crossing import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.parametrize(
    "module, crossing_import, broken_contract",
    [
        # One process reaching into the other.
        ("channels/guard.py", "from actions import privacy", "independent BROKEN"),
        # Rasa in the core.
        ("core/names.py", "import rasa", "Rasa nor any other package of the assistant BROKEN"),
    ],
)
def test_a_crossing_import_breaks_the_lint(
    module: str, crossing_import: str, broken_contract: str, tmp_path: Path
) -> None:
    tree = copy_of_the_tree(tmp_path)
    source = tree / module
    source.write_text(source.read_text() + f"\n{crossing_import}  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert broken_contract in " ".join(result.stdout.split())
