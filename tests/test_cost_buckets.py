"""Every test lands in one cost bucket by itself, so `make test-fast` (`-m unit`) never waits for
a model or a server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from scripts.local_servers import LocalAssistant
from tests.support.environment import ROOT
from tests.support.markers import COST_BUCKETS, cost_bucket


@pytest.mark.parametrize(
    "path, fixtures, bucket",
    [
        ("actions/test_triage.py", ["make_tracker", "dispatcher"], "unit"),
        ("channels/test_telegram.py", ["fake_telegram", "tmp_path"], "unit"),
        ("server/test_lock_store.py", ["prefix"], "unit"),
        ("nlu/test_heldout_nlu.py", ["trained_model", "tmp_path"], "model"),
        ("actions/test_new_feature.py", ["assistant", "trained_model"], "e2e"),
        ("channels/test_telegram.py", ["channel_assistant", "trained_model"], "e2e"),
        ("e2e/test_faults.py", ["tmp_path_factory"], "e2e"),
        ("e2e/test_replicas.py", ["cluster", "trained_model"], "replicas"),
        ("e2e/test_new_replica_case.py", ["cluster"], "replicas"),
        ("channels/test_web_widget.py", ["page", "browser", "channel_assistant"], "browser"),
    ],
)
def test_a_test_is_put_in_the_bucket_of_the_most_expensive_thing_it_needs(
    path: str, fixtures: List[str], bucket: str
) -> None:
    assert cost_bucket(path, fixtures) == bucket


def test_every_bucket_is_registered_in_pyproject(pytestconfig: pytest.Config) -> None:
    # --strict-markers turns a marker missing from pyproject.toml into a collection error.
    registered = {line.split(":")[0] for line in pytestconfig.getini("markers")}
    assert set(COST_BUCKETS) <= registered
    assert "--strict-markers" in pytestconfig.getini("addopts")


def test_the_fast_set_leaves_out_every_test_that_uses_the_running_assistant() -> None:
    # The real hook on real files, as `make test-fast` selects them: test_api_access uses the
    # `assistant` fixture; test_web_widget_socket mixes pure tests with `channel_assistant` ones.
    socket_tests = "tests/channels/test_web_widget_socket.py"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        + ["-m", "unit", "tests/e2e/test_api_access.py", socket_tests],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    fast = [line for line in result.stdout.splitlines() if "::" in line]
    assert f"{socket_tests}::test_message_text_reads_only_string_messages" in fast
    assert f"{socket_tests}::test_a_session_is_confirmed_and_a_message_answered" not in fast
    assert not any("test_api_access" in test for test in fast)


def test_a_fast_test_that_starts_servers_itself_fails_saying_where_it_belongs(
    tmp_path: Path,
) -> None:
    # This test is `unit` itself, so the guard in tests/conftest.py is on here.
    with pytest.raises(pytest.fail.Exception, match="tests/e2e/"):
        LocalAssistant(model=tmp_path / "model.tar.gz", workdir=tmp_path).start()
