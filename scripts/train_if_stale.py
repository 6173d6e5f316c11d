"""Trains the model only when it is missing or older than what it is trained from.

"Older" is judged by a fingerprint of the training inputs (data, config, domain, the content
file and the NLU code), stored beside the model, so a fresh clone with new file dates does
not retrain for nothing and an edit anywhere in the inputs always does.

    .venv/bin/python scripts/train_if_stale.py [--out models] [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL_NAME = "iliopsoas"
TRAINING_INPUTS = [
    "config.yml",
    "domain.yml",
    "data",
    "components",
    # The Rasa-free core: the content file, red-flag rules and classifier, the language gate,
    # all read by components/ when training and at run time.
    "core",
]


def fingerprint() -> str:
    """A hash of every training input's path and content."""
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts:
                continue
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def model_path(out: Path) -> Path:
    """Where the trained model lives."""
    return out / f"{MODEL_NAME}.tar.gz"


def train_if_stale(out: Path, force: bool = False) -> Path:
    """Returns the model's path, training it first if it is missing or stale."""
    model, stamp = model_path(out), out / f"{MODEL_NAME}.fingerprint"
    wanted = fingerprint()
    if not force and model.exists() and stamp.exists() and stamp.read_text() == wanted:
        print(f"Model {model} is up to date.")
        return model
    print("Training the model (a minute or two) ...", flush=True)
    started = time.monotonic()
    subprocess.run(
        [
            str(ROOT / ".venv/bin/rasa"),
            "train",
            "--out",
            str(out),
            "--fixed-model-name",
            MODEL_NAME,
            "--quiet",
        ],
        cwd=ROOT,
        check=True,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    stamp.write_text(wanted)
    print(f"Trained in {time.monotonic() - started:.0f} s: {model}")
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "models")
    parser.add_argument("--force", action="store_true", help="train even if up to date")
    arguments = parser.parse_args()
    train_if_stale(arguments.out.resolve(), arguments.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
