"""The training data, domain and config agree with each other (`rasa data validate`)."""

from tests.support.environment import run_rasa


def test_rasa_data_validate_passes() -> None:
    result = run_rasa(["data", "validate", "--max-history", "5"])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
