"""`make bench-load`: simulated patients hold whole conversations over REST at once, against
(a) one Rasa server on SQLite and (b) two Rasa replicas on PostgreSQL + Redis. Prints a table
(messages/s, latency, errors, lost events, peak memory per level) and writes it to
bench-results/load.md. A benchmark, not a test: it exits 0 even when a target is missed.

    .venv/bin/python scripts/bench_load.py [--levels 1,8,32,64] [--setups sqlite,replicas]
        [--think-seconds 1,3] [--conversations N] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Tuple

from scripts.load_patients import (
    ConversationRecord,
    count_lost_events,
    run_patients,
)
from scripts.local_servers import LocalAssistant
from scripts.local_services import (
    TEST_REDIS_URL,
    scratch_database,
    scratch_redis_prefix,
)
from scripts.sample_clinic import SAMPLE_CLINIC_ENVIRONMENT
from scripts.train_if_stale import train_if_stale

ROOT = Path(__file__).resolve().parent.parent

SETUPS = {
    "sqlite": "(a) one Rasa server, SQLite",
    "replicas": "(b) two Rasa replicas + one action server, PostgreSQL + Redis",
}
DEFAULT_LEVELS, QUICK_LEVELS = "1,8,32,64", "1,4"
DEFAULT_THINK, QUICK_THINK = "1,3", "0.2,0.5"
P95_TARGET_MS, P95_TARGET_SENDERS = 150, 32
RESULTS = ROOT / "bench-results" / "load.md"


def conversations_per_patient(senders: int, quick: bool, override: Optional[int]) -> int:
    """Fewer conversations per patient at higher levels, so the full run fits in ~8 minutes:
    3 at 1 sender, 2 at 8, 1 at 32 and 64."""
    if override:
        return override
    return 1 if quick else max(1, min(3, 16 // senders))


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation); NaN without values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def process_group(leader: int) -> List[int]:
    """Every live process in the group `leader` leads: the server and anything it forked.
    LocalAssistant starts each server in a session of its own, so the group is the server."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # the process ended while we looked
        # Fields after "(command)": state, ppid, pgrp, ...; the command may contain spaces.
        if int(stat[stat.rindex(")") + 2 :].split()[2]) == leader:
            members.append(int(entry.name))
    return members


def peak_rss_mb(process: Optional[subprocess.Popen]) -> float:
    """VmHWM (peak resident memory since start) summed over the server's process group.

    Summed, not the maximum: peaks of different processes may not coincide, so this is an
    upper bound of what the server held at once (the Rasa 3.6 servers do not fork here, so
    the group is one process and both are the same)."""
    if process is None or process.poll() is not None:
        return math.nan
    total_kb = 0
    for pid in process_group(process.pid):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


@dataclass
class LevelResult:
    """What one level of concurrent senders measured."""

    setup: str
    senders: int
    conversations: int
    seconds: float
    records: List[ConversationRecord]
    lost_events: int
    rasa_rss_mb: List[float] = field(default_factory=list)
    actions_rss_mb: float = math.nan

    @property
    def latencies(self) -> List[float]:
        return [latency for record in self.records for latency in record.latencies_ms]

    @property
    def messages_per_second(self) -> float:
        return sum(record.answered for record in self.records) / self.seconds

    @property
    def error_kinds(self) -> Counter:
        return Counter(error for record in self.records for error in record.errors)

    @property
    def errors(self) -> int:
        return sum(self.error_kinds.values())


def run_level(
    assistant: LocalAssistant, setup: str, senders: int, arguments: argparse.Namespace
) -> LevelResult:
    """`senders` patients at once against the running servers, then the tracker check."""
    conversations = conversations_per_patient(senders, arguments.quick, arguments.conversations)
    urls = [assistant.replica_url(replica) for replica in range(assistant.replicas)]
    records, seconds = asyncio.run(
        run_patients(
            urls,
            sender_prefix=f"load-{arguments.run_tag}-{setup}-{senders}",
            patients=senders,
            conversations=conversations,
            think_seconds=arguments.think_seconds,
            timeout=arguments.timeout,
            # The same seed for both setups: they get the same conversations.
            seed=f"{arguments.seed}-{senders}",
        )
    )
    return LevelResult(
        setup=setup,
        senders=senders,
        conversations=conversations,
        seconds=seconds,
        records=records,
        lost_events=count_lost_events(assistant.tracker, records),
        rasa_rss_mb=[peak_rss_mb(server) for server in assistant.rasa_servers],
        actions_rss_mb=peak_rss_mb(assistant.action_server),
    )


@contextmanager
def running_setup(setup: str, model: Path, workdir: Path) -> Iterator[LocalAssistant]:
    """The servers of one setup; stopped, and their scratch database and Redis keys removed,
    however the block ends (Ctrl-C included)."""
    with ExitStack() as cleanup:
        environment, replicas = dict(SAMPLE_CLINIC_ENVIRONMENT), 1
        if setup == "replicas":
            replicas = 2
            environment["DATABASE_URL"] = cleanup.enter_context(scratch_database("benchload"))
            environment["REDIS_URL"] = TEST_REDIS_URL
            environment["REDIS_KEY_PREFIX"] = cleanup.enter_context(
                scratch_redis_prefix("benchload")
            )
        assistant = LocalAssistant(
            model=model, workdir=workdir, replicas=replicas, environment=environment
        )
        cleanup.callback(assistant.stop)  # registered last, so it runs before the drops
        try:
            assistant.start()
        except Exception:
            for log in sorted(workdir.glob("*.log")):
                tail = log.read_text(errors="replace").splitlines()[-15:]
                print(f"--- last lines of {log.name}:", *tail, sep="\n", file=sys.stderr)
            raise
        yield assistant


def format_megabytes(values: Sequence[float]) -> str:
    return ", ".join("?" if math.isnan(value) else f"{value:.0f}" for value in values)


def report(results: List[LevelResult], arguments: argparse.Namespace) -> List[str]:
    """The header, the table, the targets and what the errors were, as markdown lines."""
    low, high = arguments.think_seconds
    per_level = ", ".join(
        f"{conversations_per_patient(level, arguments.quick, arguments.conversations)} at {level}"
        for level in arguments.levels
    )
    lines = [
        f"## Load benchmark (make bench-load), {datetime.now():%Y-%m-%d %H:%M}, "
        f"{os.cpu_count()} CPUs",
        "",
        f"Simulated patients over REST, 8-9 messages per conversation, a fresh sender id each; "
        f"**think time {low:g}-{high:g} s** (uniform, seed {arguments.seed}) between a patient's "
        f"messages; conversations per patient: {per_level} senders.",
        *(f"- {label}" for setup, label in SETUPS.items() if setup in arguments.setups),
        "- msgs/s: messages answered / wall time of the level (think time included). Latency: "
        "each request, client side, failed ones included. Lost events: user events missing or "
        "duplicated in the tracker, plus bot events that differ from the replies received.",
        "- Peak RSS: VmHWM summed over each server's process group, read after the level (a "
        "high-water mark since start-up); rasa lists one figure per replica.",
        "",
        "| setup | senders | msgs/s | p50 ms | p95 ms | p99 ms | errors | lost events "
        "| peak RSS MB (rasa / actions) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        latencies = result.latencies
        lines.append(
            f"| {result.setup} | {result.senders} | {result.messages_per_second:.1f} "
            f"| {percentile(latencies, 0.50):.0f} | {percentile(latencies, 0.95):.0f} "
            f"| {percentile(latencies, 0.99):.0f} | {result.errors} | {result.lost_events} "
            f"| {format_megabytes(result.rasa_rss_mb)} / "
            f"{format_megabytes([result.actions_rss_mb])} |"
        )
    lines.append("")
    clean = all(result.errors == 0 and result.lost_events == 0 for result in results)
    lines.append(
        f"target: zero errors and lost events at every level: {'met' if clean else 'NOT met'}"
    )
    target = [r for r in results if r.setup == "sqlite" and r.senders == P95_TARGET_SENDERS]
    p95_target = f"target: p95 < {P95_TARGET_MS} ms at {P95_TARGET_SENDERS} senders on (a): "
    if target:
        p95 = percentile(target[0].latencies, 0.95)
        lines.append(p95_target + f"{'met' if p95 < P95_TARGET_MS else 'NOT met'} ({p95:.0f} ms)")
    else:
        lines.append(p95_target + "not measured (that level was not run)")
    for result in results:
        for kind, count in result.error_kinds.most_common(5):
            lines.append(f"- errors at {result.setup}/{result.senders}: {count} x {kind}")
    return lines


def pair(text: str) -> Tuple[float, float]:
    low, high = (float(part) for part in text.split(","))
    if not 0 <= low <= high:
        raise argparse.ArgumentTypeError("expected LOW,HIGH with 0 <= LOW <= HIGH")
    return low, high


def parse_arguments(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", help=f"concurrent senders (default {DEFAULT_LEVELS})")
    parser.add_argument("--setups", default="sqlite,replicas", help="sqlite, replicas or both")
    parser.add_argument("--think-seconds", help=f"pause range between messages ({DEFAULT_THINK})")
    parser.add_argument("--conversations", type=int, help="conversations per patient, any level")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per request")
    parser.add_argument("--seed", default="7", help="seed of the patients' choices and pauses")
    parser.add_argument(
        "--quick", action="store_true", help=f"smoke run: levels {QUICK_LEVELS}, short pauses"
    )
    arguments = parser.parse_args(argv)
    levels = arguments.levels or (QUICK_LEVELS if arguments.quick else DEFAULT_LEVELS)
    arguments.levels = [int(level) for level in levels.split(",")]
    arguments.setups = [setup.strip() for setup in arguments.setups.split(",")]
    unknown = set(arguments.setups) - set(SETUPS)
    if unknown or any(level < 1 for level in arguments.levels):
        parser.error(f"setups are {', '.join(SETUPS)}; levels are positive whole numbers")
    think = arguments.think_seconds or (QUICK_THINK if arguments.quick else DEFAULT_THINK)
    arguments.think_seconds = pair(think)
    arguments.run_tag = uuid.uuid4().hex[:6]  # sender ids never repeat between runs
    return arguments


def main() -> int:
    arguments = parse_arguments()
    model = train_if_stale(ROOT / "models")
    results: List[LevelResult] = []
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
            for setup in arguments.setups:
                print(f"Starting {SETUPS[setup]} ...", flush=True)
                with running_setup(setup, model, Path(folder) / setup) as assistant:
                    for senders in arguments.levels:
                        result = run_level(assistant, setup, senders, arguments)
                        results.append(result)
                        print(
                            f"  {setup}, {senders} senders x {result.conversations} "
                            f"conversations: {result.seconds:.0f} s, {result.errors} errors",
                            flush=True,
                        )
    except KeyboardInterrupt:
        print("Interrupted: servers stopped, scratch database and Redis keys removed.")
        return 130
    lines = report(results, arguments)
    lines.append(f"\n(whole run: {time.monotonic() - started:.0f} s)")
    print("\n" + "\n".join(lines))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
