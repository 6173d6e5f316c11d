"""NLU quality on the held-out file, which is never trained on."""

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.support.environment import ROOT, run_rasa

HELDOUT = ROOT / "tests" / "nlu" / "heldout_nlu.yml"
MINIMUM_INTENT_MACRO_F1 = 0.90
ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def _examples(path: Path) -> set:
    examples = set()
    for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
        for line in (block.get("examples") or "").splitlines():
            text = ENTITY_MARKUP.sub(r"\1", line.strip().removeprefix("- ")).strip().lower()
            if text:
                examples.add(text)
    return examples


def test_heldout_file_shares_no_example_with_the_training_data() -> None:
    training = set().union(*(_examples(path) for path in (ROOT / "data" / "nlu").glob("*.yml")))
    heldout = _examples(HELDOUT)
    assert len(heldout) >= 150
    assert not heldout & training


def test_intent_macro_f1_on_heldout_data_meets_the_floor(
    trained_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    result = run_rasa(
        [
            "test",
            "nlu",
            "--model",
            str(trained_model),
            "--nlu",
            str(HELDOUT),
            "--out",
            str(tmp_path),
            "--no-plot",
        ]
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads((tmp_path / "intent_report.json").read_text())
    macro_f1 = report["macro avg"]["f1-score"]
    with capsys.disabled():  # the report belongs in every test run's output
        print("\nIntent report on the held-out file:")
        for name, scores in sorted(report.items()):
            if isinstance(scores, dict):
                print(f"  {name:28} f1={scores['f1-score']:.3f} support={scores['support']}")
        print(f"  intent macro F1 = {macro_f1:.3f}")
    assert macro_f1 >= MINIMUM_INTENT_MACRO_F1
