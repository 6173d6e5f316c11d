"""The test harness stays a harness: scripts/ never imports from tests/, and a test module
reaches shared helpers through tests/support/ (or conftest fixtures), never another test module.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Callable, Iterator, List, Tuple

from tests.support.environment import ROOT

SCRIPTS, TESTS = ROOT / "scripts", ROOT / "tests"
SUPPORT_PACKAGE = "tests.support"


def imported_modules(path: Path) -> Iterator[Tuple[int, str]]:
    """(line, module) for every import in a file; relative imports keep their dots."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, "." * node.level + (node.module or "")


def is_test_module(module: str) -> bool:
    """A module pytest would collect or load as a conftest, however it is named."""
    last = module.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def reaches_into_tests(module: str) -> bool:
    """Whether an import from a test file goes past the harness into other test code."""
    if module.startswith("."):
        return True  # tests are not a package of modules importing each other
    if module == "tests" or module.startswith("tests."):
        return not (module == SUPPORT_PACKAGE or module.startswith(SUPPORT_PACKAGE + "."))
    return is_test_module(module)


def violations(folder: Path, forbidden: Callable[[str], bool]) -> List[str]:
    """`file:line imports module` for every forbidden import under `folder`."""
    return [
        f"{path.relative_to(folder.parent)}:{line} imports {module}"
        for path in sorted(folder.rglob("*.py"))
        for line, module in imported_modules(path)
        if forbidden(module)
    ]


def from_tests(module: str) -> bool:
    return module == "tests" or module.startswith("tests.")


def test_no_script_imports_from_the_tests() -> None:
    assert violations(SCRIPTS, from_tests) == []


def test_test_modules_import_only_the_harness_never_each_other() -> None:
    assert violations(TESTS, reaches_into_tests) == []


def test_the_checks_see_the_imports_they_forbid(tmp_path: Path) -> None:
    # A check that never matches proves nothing: each kind of forbidden import is caught.
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "bench.py").write_text(
        "import json\nfrom tests.conftest import CLINIC_ENVIRONMENT\n"
    )
    assert violations(tmp_path / "scripts", from_tests) == [
        "scripts/bench.py:2 imports tests.conftest"
    ]
    (tmp_path / "tests" / "e2e").mkdir(parents=True)
    (tmp_path / "tests" / "e2e" / "test_a.py").write_text(
        "from tests.support.sites import ClinicSite\n"
        "from tests.channels.test_telegram import message_update\n"
        "def helper():\n    from .conftest import TOKEN\n    import test_slack\n"
        "    from tests import conftest\n"
    )
    assert violations(tmp_path / "tests", reaches_into_tests) == [
        "tests/e2e/test_a.py:2 imports tests.channels.test_telegram",
        "tests/e2e/test_a.py:4 imports .conftest",
        "tests/e2e/test_a.py:5 imports test_slack",
        "tests/e2e/test_a.py:6 imports tests",
    ]
