"""Red-flag triage measured on a frozen message set: the figures `make bench` prints.

A set (tests/benchmark/red_flags_*.yml) holds red-flag messages with the levels that are right
for them, messages that deny a sign, put it in the past or only ask about it, and ordinary
first messages. Each message is put through the assistant's NLU (the running server's
/model/parse, or anything else that maps text to an outcome) and gets one outcome: the level
it is escalated at ("emergency" or "urgent"), "clarify" when the assistant asks whether any
warning sign is there now, or None.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
BENCHMARK_DIR = ROOT / "tests" / "benchmark"
BLIND_SETS = ("red_flags_blind_a.yml", "red_flags_blind_b.yml", "red_flags_blind_c.yml")
# The development sets: also written blind to the system, then used openly to write the rules
# and to train the red-flag classifier, so their figures say little about new wording.
EXAMPLES_DIR = ROOT / "data" / "red_flags"
ALERT_LEVELS = ("emergency", "urgent")
CLARIFY = "clarify"

Classify = Callable[[str], Optional[str]]


def outcome_of_parse(parsed: Dict) -> Optional[str]:
    """The outcome of one /model/parse result: the escalation level, CLARIFY, or None."""
    intent = (parsed.get("intent") or {}).get("name")
    if intent == "possible_red_flag":
        return CLARIFY
    if intent != "report_red_flag":
        return None
    levels = [e["value"] for e in parsed.get("entities", []) if e["entity"] == "triage_level"]
    return levels[0] if levels else CLARIFY


@dataclass
class Figures:
    """What one set showed."""

    name: str
    frozen_at: str
    red_flags: int = 0
    right_level: int = 0
    any_alert: int = 0
    clarified: int = 0
    per_category: Dict[str, Tuple[int, int]] = field(default_factory=dict)
    negated: int = 0
    false_alarms: int = 0
    negated_clarified: int = 0
    openers: int = 0
    openers_alerted: int = 0
    openers_clarified: int = 0
    misses: List[str] = field(default_factory=list)

    def rate(self, part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    @property
    def right_level_recall(self) -> float:
        return self.rate(self.right_level, self.red_flags)

    @property
    def any_alert_recall(self) -> float:
        return self.rate(self.any_alert, self.red_flags)

    @property
    def false_alarm_rate(self) -> float:
        return self.rate(self.false_alarms, self.negated)

    @property
    def openers_escalated_rate(self) -> float:
        return self.rate(self.openers_alerted + self.openers_clarified, self.openers)


def frozen_commit(path: Path) -> str:
    """The commit that last changed the set, marked "+edited" if it differs from it now."""
    if ROOT not in path.resolve().parents:
        return "not in the repository"
    relative = str(path.resolve().relative_to(ROOT))
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%h", "--", relative],
        cwd=ROOT, capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    changed = subprocess.run(
        ["git", "diff", "--quiet", "HEAD", "--", relative], cwd=ROOT, check=False
    ).returncode
    if not commit:
        return "not committed"
    return commit + (" +edited since" if changed else "")


def load_set(path: Path) -> Dict[str, List[Dict]]:
    """A benchmark set: `red_flags`, `negated` and `openers` lists."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def measure(path: Path, classify: Classify, keep_misses: bool = True) -> Figures:
    """Every message of the set through `classify`, counted."""
    cases = load_set(path)
    figures = Figures(name=path.name, frozen_at=frozen_commit(path))
    per_category: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    for case in cases["red_flags"]:
        outcome = classify(case["text"])
        right = outcome in case["acceptable"]
        figures.red_flags += 1
        figures.right_level += right
        figures.any_alert += outcome in ALERT_LEVELS
        figures.clarified += outcome == CLARIFY
        per_category[case["category"]][0] += right
        per_category[case["category"]][1] += 1
        if not right and keep_misses:
            wanted = "/".join(case["acceptable"])
            figures.misses.append(f"red flag {case['category']} ({outcome}, wanted {wanted})")
    for case in cases["negated"]:
        outcome = classify(case["text"])
        figures.negated += 1
        figures.false_alarms += outcome in ALERT_LEVELS
        figures.negated_clarified += outcome == CLARIFY
    for case in cases["openers"]:
        outcome = classify(case["text"])
        figures.openers += 1
        figures.openers_alerted += outcome in ALERT_LEVELS
        figures.openers_clarified += outcome == CLARIFY
    figures.per_category = {name: (right, total) for name, (right, total) in per_category.items()}
    return figures


def table(figures: Figures) -> str:
    """The set's figures as a markdown table, with the targets of issue 9."""
    f = figures
    rows = [
        f"Set `{f.name}`, frozen at commit {f.frozen_at}:",
        "",
        "| measure | result | target |",
        "|---|---|---|",
        f"| right-level recall ({f.red_flags} red-flag messages) | "
        f"{f.right_level_recall:.1%} ({f.right_level}) | >= 98% |",
        f"| at least an urgent warning | {f.any_alert_recall:.1%} ({f.any_alert}) | 100% |",
        f"| asked to clarify instead | {f.clarified} | |",
        f"| false alarms on denied / past / hypothetical ({f.negated}) | "
        f"{f.false_alarm_rate:.1%} ({f.false_alarms}) | <= 3% |",
        f"| asked to clarify on those | {f.negated_clarified} | |",
        f"| ordinary openers escalated or asked to clarify ({f.openers}) | "
        f"{f.openers_escalated_rate:.1%} ({f.openers_alerted} + {f.openers_clarified}) | <= 2% |",
        "",
        "| category | right level |",
        "|---|---|",
    ]
    for category, (right, total) in sorted(f.per_category.items()):
        rows.append(f"| {category} | {right}/{total} |")
    return "\n".join(rows)


def classify_with_rules(text: str) -> Optional[str]:
    """The level the content file's red-flag rules alone give (no statistical model)."""
    from core.red_flags import current_red_flags, highest_level

    return highest_level(current_red_flags(text))


def parse_with_server(url: str, token: Optional[str]) -> Classify:
    """A classifier that asks a running Rasa server's /model/parse."""
    import requests

    def classify(text: str) -> Optional[str]:
        response = requests.post(
            f"{url}/model/parse", params={"token": token} if token else {},
            json={"text": text}, timeout=30,
        )  # fmt: skip
        response.raise_for_status()
        return outcome_of_parse(response.json())

    return classify


def main() -> int:
    """Measures sets against a server that is already running (e.g. an older version)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--url", help="a Rasa server, e.g. http://127.0.0.1:5005 (else rules only)")
    parser.add_argument("--token", help="its API token")
    parser.add_argument("--misses", action="store_true", help="list wrong outcomes by category")
    arguments = parser.parse_args()
    classify = (
        parse_with_server(arguments.url, arguments.token) if arguments.url else classify_with_rules
    )
    for path in arguments.sets:
        figures = measure(path.resolve(), classify)
        print(table(figures), "\n")
        if arguments.misses:
            print("\n".join(figures.misses), "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
