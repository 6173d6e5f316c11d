"""Every conversation flow in tests/test_stories.yml is predicted exactly, NLU included."""

from pathlib import Path

from tests.support.environment import ROOT, run_rasa


def test_every_test_story_is_predicted_without_errors(trained_model: Path, tmp_path: Path) -> None:
    result = run_rasa(
        [
            "test",
            "core",
            "--model",
            str(trained_model),
            "--stories",
            str(ROOT / "tests" / "test_stories.yml"),
            "--out",
            str(tmp_path),
            "--fail-on-prediction-errors",
            "--no-plot",
        ]
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = (
        failed.read_text() if failed.exists() else result.stdout[-4000:] + result.stderr[-4000:]
    )
    assert result.returncode == 0, details
