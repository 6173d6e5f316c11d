"""Tests for scripts/patch_webchat.py: the widget bundle is rewritten once, at install time."""

from __future__ import annotations

from pathlib import Path

import pytest

from channels.web_widget import WEB_ROOT, WEBCHAT_BUNDLE
from scripts.patch_webchat import (
    PATCHED,
    WEBCHAT_SOCKET_OPTIONS,
    patched_bundle,
    write_patched_bundle,
)

FONT_IMPORT = "@import url(https://fonts.googleapis.com/css?family=Inter:400,500&display=swap);"


def test_the_font_import_is_dropped_and_the_socket_opened_as_a_websocket() -> None:
    bundle = f".rw-widget{{}}{FONT_IMPORT}.rw-x{{}};{WEBCHAT_SOCKET_OPTIONS};"
    patched = patched_bundle(bundle)
    assert "fonts.googleapis.com" not in patched and ".rw-widget{}.rw-x{}" in patched
    assert 'transports:["websocket"]' in patched and WEBCHAT_SOCKET_OPTIONS not in patched


def test_a_bundle_these_changes_were_not_written_for_stops_the_install() -> None:
    with pytest.raises(ValueError, match="rasa-webchat changed"):
        patched_bundle("var r={path:n},o=io(e,r)")


def test_the_patched_file_is_written_beside_npms(tmp_path: Path) -> None:
    original = tmp_path / "rasa-webchat" / "lib" / "index.js"
    original.parent.mkdir(parents=True)
    original.write_text(f"{FONT_IMPORT}{WEBCHAT_SOCKET_OPTIONS}")
    written = write_patched_bundle(tmp_path)
    assert written == tmp_path / PATCHED
    assert "fonts.googleapis.com" not in written.read_text()
    assert original.read_text() == f"{FONT_IMPORT}{WEBCHAT_SOCKET_OPTIONS}"  # npm's file as is


def test_the_server_serves_the_file_the_script_writes() -> None:
    assert WEBCHAT_BUNDLE == WEB_ROOT / "node_modules" / PATCHED


def test_the_installed_bundle_is_patched() -> None:
    bundle = WEBCHAT_BUNDLE.read_text()
    assert "fonts.googleapis.com" not in bundle
    assert 'transports:["websocket"]' in bundle and WEBCHAT_SOCKET_OPTIONS not in bundle
