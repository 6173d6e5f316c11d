"""The README and docs/ hold together: links lead somewhere, and every setting is documented.

Read as text only (no Rasa, no model, no server).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
ENV_EXAMPLE = ROOT / ".env.example"

# Markdown pages whose links are checked: the README, every page of docs/, the deployment guide.
PAGES = [README, *sorted(DOCS.glob("*.md")), ROOT / "deploy" / "README.md"]

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, mailto:, tel: ...
SETTING = re.compile(r"`([A-Z][A-Z0-9_]+)`")
ENV_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]+)=")


def _prose(text: str) -> str:
    """The text without fenced code blocks, inline code and HTML comments, where a `[x](y)` is
    not a link."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r"^\s*```.*?^\s*```", "", text, flags=re.DOTALL | re.MULTILINE)
    return re.sub(r"`[^`\n]*`", "", text)


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> Set[str]:
    text = re.sub(r"^\s*```.*?^\s*```", "", path.read_text("utf-8"), flags=re.DOTALL | re.M)
    return {_anchor(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*$", text, re.M)}


def _relative_links() -> List[Tuple[str, str]]:
    """(page, target) for every link that is not to another site."""
    return [
        (str(page.relative_to(ROOT)), target)
        for page in PAGES
        for target in LINK.findall(_prose(page.read_text("utf-8")))
        if not EXTERNAL.match(target)
    ]


def _section(text: str, title: str) -> str:
    """A `## title` section of a Markdown page, up to the next `## ` heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no '## {title}' section"
    return match.group(1)


def readme_configuration_settings() -> Dict[str, str]:
    """Each setting named in the first cell of a row of the README's configuration table, with
    its row."""
    settings: Dict[str, str] = {}
    for line in _section(README.read_text("utf-8"), "Configuration").splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        first_cell = line.split("|")[1]
        for name in SETTING.findall(first_cell):
            settings[name] = line
    return settings


def env_example_settings() -> Set[str]:
    """Every setting .env.example lists, set or commented out."""
    return {
        match.group(1)
        for line in ENV_EXAMPLE.read_text("utf-8").splitlines()
        if (match := ENV_LINE.match(line.strip()))
    }


def test_pages_exist() -> None:
    assert README.is_file()
    assert len(PAGES) > 2, "docs/ has no pages"


@pytest.mark.parametrize(("page", "target"), _relative_links())
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page: str, target: str) -> None:
    source = ROOT / page
    path_part, _, fragment = target.partition("#")
    destination = (source.parent / path_part).resolve() if path_part else source
    assert destination.exists(), f"{page}: {target} points to a missing file"
    assert destination.is_relative_to(ROOT), f"{page}: {target} leaves the project"
    if fragment and destination.suffix == ".md":
        assert fragment in _anchors(destination), f"{page}: no heading for #{fragment}"


def test_the_link_checker_sees_links_and_skips_code() -> None:
    text = "[a](docs/x.md) `[b](nope.md)` [c](https://example.org)\n```\n[d](nope.md)\n```\n"
    assert LINK.findall(_prose(text)) == ["docs/x.md", "https://example.org"]
    assert _anchor("Red flags: how they are recognised, and `why`") == (
        "red-flags-how-they-are-recognised-and-why"
    )


def test_every_docs_page_is_listed_in_the_readme() -> None:
    readme_links = {target.partition("#")[0] for _, target in _relative_links()}
    missing = [
        f"docs/{p.name}" for p in sorted(DOCS.glob("*.md")) if f"docs/{p.name}" not in readme_links
    ]
    assert not missing, f"not linked from README.md: {missing}"


def test_every_setting_in_env_example_is_in_the_readme_configuration_table() -> None:
    documented = readme_configuration_settings()
    missing = sorted(env_example_settings() - set(documented))
    assert not missing, f"in .env.example but not in README's Configuration table: {missing}"


def test_every_setting_in_the_readme_configuration_table_is_in_env_example() -> None:
    listed = env_example_settings()
    missing = sorted(set(readme_configuration_settings()) - listed)
    assert not missing, f"in README's Configuration table but not in .env.example: {missing}"


def test_every_configuration_row_gives_a_default_and_a_meaning() -> None:
    for name, row in readme_configuration_settings().items():
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        assert len(cells) == 3 and all(cells), f"{name}: row needs variable, default, meaning"
