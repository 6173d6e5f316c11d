"""`make bench`: prints the assistant's measured quality and speed. Numbers, not pass/fail.

- training time of our model, from scratch;
- intent macro-F1 and entity F1 on the held-out NLU file, for our pipeline and for Rasa's
  default `rasa init` pipeline trained on the same data in the same run;
- red-flag triage on the frozen blind sets and the development sets in tests/benchmark/ (right
  level per category, any alert, false alarms, escalated openers), through the running server's
  /model/parse (see scripts/red_flag_benchmark.py);
- the blind NLU set (tests/benchmark/nlu_blind.yml) and the languages set through the running
  server's /model/parse: intent macro-F1, off-topic taken for a medical intent, small-talk
  accuracy, entity F1 (see scripts/nlu_benchmark.py);
- REST webhook latency (p50/p95) for one user talking to the real servers.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

from scripts import nlu_benchmark
from scripts.local_servers import LocalAssistant
from scripts.red_flag_benchmark import (
    BENCHMARK_DIR,
    BLIND_SETS,
    EXAMPLES_DIR,
    measure,
    parse_with_server,
    table,
)

ROOT = Path(__file__).resolve().parent.parent

RASA = str(ROOT / ".venv" / "bin" / "rasa")
os.environ["RASA_TELEMETRY_ENABLED"] = "false"  # nothing leaves this machine
HELDOUT = ROOT / "tests" / "nlu" / "heldout_nlu.yml"
NLU_BLIND = ROOT / "tests" / "benchmark" / "nlu_blind.yml"
LANGUAGES_BLIND = ROOT / "tests" / "benchmark" / "languages_blind.yml"
# What `rasa init` writes: no pipeline and no policies, so Rasa fills in its defaults.
RASA_INIT_CONFIG = "recipe: default.v1\nassistant_id: rasa-init-baseline\nlanguage: en\n"
LATENCY_CONVERSATION = [
    "hi",
    "what is iliopsoas syndrome",
    "what causes it",
    "next",
    "next",
    "back",
    "how is it treated",
    "does dry needling help",
    "how is it diagnosed",
    "what is the thomas test",
    "how can i prevent it",
    "when should i see a doctor",
    "are you a bot",
    "i'd like to book an appointment",
    "thanks",
]
LATENCY_ROUNDS = 8


def rasa(*arguments: str, environment: Dict[str, str] | None = None) -> None:
    subprocess.run(
        [RASA, *arguments],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **(environment or {})},
    )


def train(config: Path, out: Path, nlu_only: bool) -> Tuple[Path, float]:
    """Trains a model from scratch and returns its path and the seconds it took."""
    started = time.monotonic()
    command = ["train", "nlu", "--nlu", "data/nlu"] if nlu_only else ["train"]
    # An empty cache of its own, so nothing trained before (by `make test`) is reused.
    empty_cache = {"RASA_CACHE_DIRECTORY": str(out / "rasa-cache")}
    rasa(
        *command,
        *("--config", str(config), "--out", str(out), "--fixed-model-name", "model"),
        environment=empty_cache,
    )
    return out / "model.tar.gz", time.monotonic() - started


FALLBACK_THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)


def fallback_sweep(evaluation: Path) -> List[Tuple[float, int, int, int]]:
    """For each FallbackClassifier threshold: correct intents it would lose to the fallback,
    wrong intents it would catch, and how many were wrong, from a `--successes` evaluation."""
    successes = json.loads((evaluation / "intent_successes.json").read_text())
    errors = json.loads((evaluation / "intent_errors.json").read_text())

    def confidence(example: Dict) -> float:
        return example["intent_prediction"]["confidence"]

    def fell_back(example: Dict) -> bool:
        return example["intent_prediction"]["name"] == "nlu_fallback"

    return [
        (
            threshold,
            sum(1 for e in successes if confidence(e) < threshold and not fell_back(e)),
            sum(1 for e in errors if confidence(e) < threshold or fell_back(e)),
            len(errors),
        )
        for threshold in FALLBACK_THRESHOLDS
    ]


def nlu_scores(model: Path, out: Path) -> Dict[str, float]:
    """Intent macro-F1 and entity F1 (DIET's entities) on the held-out file."""
    rasa("test", "nlu", "--model", str(model), "--nlu", str(HELDOUT), "--out", str(out),
         "--successes", "--no-plot")  # fmt: skip
    intents = json.loads((out / "intent_report.json").read_text())
    entities = json.loads((out / "DIETClassifier_report.json").read_text())
    return {
        "intent_macro_f1": intents["macro avg"]["f1-score"],
        "entity_macro_f1": entities["macro avg"]["f1-score"],
        "entity_micro_f1": entities.get("micro avg", entities.get("weighted avg"))["f1-score"],
    }


def red_flag_tables(assistant: LocalAssistant) -> List[str]:
    """Red-flag triage on the frozen blind sets and the development sets, through the running
    server's NLU (the red-flag rules and DIET together), as markdown tables."""
    classify = parse_with_server(assistant.url, assistant.auth_token)
    tables = []
    for path in [BENCHMARK_DIR / name for name in BLIND_SETS]:
        tables.append("#### blind\n\n" + table(measure(path, classify, keep_misses=False)))
    for path in sorted(EXAMPLES_DIR.glob("*.yml")):
        kind = "development (rules written and classifier trained on it)"
        tables.append(f"#### {kind}\n\n" + table(measure(path, classify, keep_misses=False)))
    return tables


def latency(assistant: LocalAssistant) -> Dict[str, float]:
    timings: List[float] = []
    for round_number in range(LATENCY_ROUNDS):
        sender = f"bench-latency-{round_number}-{time.time_ns()}"
        for message in LATENCY_CONVERSATION:
            started = time.perf_counter()
            assistant.send(sender, message)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "messages": len(timings),
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(0.95 * (len(timings) - 1))],
        "max_ms": timings[-1],
    }


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        work = Path(folder)
        print("Training our model from scratch ...", flush=True)
        model, training_seconds = train(ROOT / "config.yml", work / "ours", nlu_only=False)
        print("Training the `rasa init` default pipeline on the same NLU data ...", flush=True)
        baseline_config = work / "rasa_init_config.yml"
        baseline_config.write_text(RASA_INIT_CONFIG)
        baseline, baseline_seconds = train(baseline_config, work / "baseline", nlu_only=True)
        print("Evaluating both on the held-out file ...", flush=True)
        ours = nlu_scores(model, work / "ours-eval")
        sweep = fallback_sweep(work / "ours-eval")
        theirs = nlu_scores(baseline, work / "baseline-eval")

        print("Starting the servers for red flags and latency ...", flush=True)
        assistant = LocalAssistant(model=model, workdir=work / "servers").start()
        try:
            flags = red_flag_tables(assistant)
            blind_nlu = nlu_benchmark.report(
                f"{NLU_BLIND.name} (blind)",
                nlu_benchmark.measure(
                    NLU_BLIND, nlu_benchmark.parse_with_server(assistant.url, assistant.auth_token)
                ),
            )
            languages = nlu_benchmark.language_report(
                f"{LANGUAGES_BLIND.name} (blind)",
                nlu_benchmark.measure_languages(
                    LANGUAGES_BLIND, nlu_benchmark.raw_parser(assistant.url, assistant.auth_token)
                ),
            )
            speed = latency(assistant)
        finally:
            assistant.stop()

    print("\n## Benchmark (make bench)\n")
    print("| measure | ours | rasa init default | target |")
    print("|---|---|---|---|")
    print(f"| intent macro-F1 (held-out, development) | {ours['intent_macro_f1']:.3f} | "
          f"{theirs['intent_macro_f1']:.3f} | >= 0.95 |")  # fmt: skip
    print(f"| entity macro-F1 (held-out) | {ours['entity_macro_f1']:.3f} | "
          f"{theirs['entity_macro_f1']:.3f} | >= 0.95 |")  # fmt: skip
    print(f"| entity micro-F1 (held-out) | {ours['entity_micro_f1']:.3f} | "
          f"{theirs['entity_micro_f1']:.3f} | |")  # fmt: skip
    print(f"| training time from scratch (s) | {training_seconds:.0f} (NLU + dialogue) | "
          f"{baseline_seconds:.0f} (NLU only) | |")  # fmt: skip
    print(f"| REST p50 latency, 1 user ({speed['messages']} msgs) | {speed['p50_ms']:.0f} ms "
          "| | |")  # fmt: skip
    print(f"| REST p95 latency, 1 user | {speed['p95_ms']:.0f} ms | | < 100 ms |")
    print("\nFallbackClassifier threshold sweep (our model, held-out file):")
    print("| threshold | correct intents lost to the fallback | wrong intents caught |")
    print("|---|---|---|")
    for threshold, lost, caught, wrong in sweep:
        print(f"| {threshold} | {lost} | {caught} of {wrong} |")
    print("\n### Blind NLU set\n")
    print(blind_nlu)
    print("\n" + languages)
    print("\n### Red flags\n")
    print("\n\n".join(flags))
    return 0


if __name__ == "__main__":
    sys.exit(main())
