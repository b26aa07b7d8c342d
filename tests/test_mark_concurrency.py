"""Two ``followup mark`` at once both keep their mark: real processes, one marks file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from followup.engine.atomic import LockTimeout
from followup.engine.marks import Mark, load_marks, lock_path, marks_path, record_mark
from tests.conftest import ROOT

EXAMPLE = str(ROOT / "examples" / "interviews.ics")
NOW = "2026-11-30T08:00"

WRITER = """
import sys
from followup.engine.marks import Mark, record_mark
name, count = sys.argv[1], int(sys.argv[2])
sys.stdout.write("ready\\n"); sys.stdout.flush()
sys.stdin.readline()  # start together
for n in range(count):
    record_mark(Mark(f"{name}-{n}@x", "replied", note=f"reply {n}"))
"""


def test_processes_marking_at_the_same_time_lose_no_mark(isolated_home: Path) -> None:
    count, writers = 40, 3
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, f"w{i}", str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=os.environ.copy(),
        )
        for i in range(writers)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(b"go\n")
        proc.stdin.flush()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    marks = load_marks()
    assert len(marks) == count * writers
    assert {f"w{i}-{n}@x" for i in range(writers) for n in range(count)} == set(marks)


def test_two_mark_commands_at_once_both_keep_their_mark(isolated_home: Path) -> None:
    commands = [
        [
            sys.executable,
            "-m",
            "followup.cli.main",
            "mark",
            who,
            "replied",
            "--from",
            EXAMPLE,
            "--now",
            NOW,
        ]
        for who in ("ACME", "c81e0f55initech-r1@google.com", "d92a7b01initech-r2@google.com")
    ]
    procs = [subprocess.Popen(c, cwd=ROOT, stderr=subprocess.PIPE) for c in commands]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    titles = {mark.interview for mark in load_marks().values()}
    assert len(titles) == 3


def test_a_lock_held_too_long_is_one_message_and_nothing_changes(isolated_home: Path) -> None:
    import fcntl  # here, not above: the other tests also run where it is missing

    record_mark(Mark("first@x", "replied"))
    before = marks_path().read_bytes()
    holder = os.open(lock_path(marks_path()), os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        with pytest.raises(LockTimeout) as caught:
            record_mark(Mark("second@x", "offer"), wait=0.2)
    finally:
        os.close(holder)
    assert "another followup is still writing the marks file" in caught.value.message
    assert marks_path().read_bytes() == before
    record_mark(Mark("second@x", "offer"))  # free again once the holder is gone
    assert set(load_marks()) == {"first@x", "second@x"}
