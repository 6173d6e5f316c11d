"""The training data, domain and config agree with each other: Rasa's own `rasa data validate`
checks, run in this process (as the CLI runs them, without starting another Python)."""

from rasa.cli.utils import validate_files
from rasa.shared.importers.importer import TrainingDataImporter

from tests.support.environment import ROOT


def test_rasa_data_validate_passes() -> None:
    importer = TrainingDataImporter.load_from_config(
        domain_path=str(ROOT / "domain.yml"),
        training_data_paths=[str(ROOT / "data")],
        config_path=str(ROOT / "config.yml"),
    )
    # Rasa's CLI exits (SystemExit) when the project has errors; warnings are allowed, as with
    # `rasa data validate --max-history 5`.
    validate_files(fail_on_warnings=False, max_history=5, importer=importer)
