"""Where ``fcntl`` is missing (Windows), plan, ics and mark work, and marks still take turns.

The tests of those commands run again in a Python where ``import fcntl`` fails
(tests/no_fcntl/sitecustomize.py, first on PYTHONPATH), as on Windows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from followup.engine.atomic import LockTimeout, locked
from tests.conftest import ROOT

HOOK = ROOT / "tests" / "no_fcntl"

TESTS = [
    "tests/test_cli_core.py",
    "tests/test_mark.py",
    "tests/test_ics_stopped.py",
    "tests/test_render.py",
    "tests/test_timing.py",
    "tests/test_output_files.py",
    "tests/test_mark_concurrency.py::test_processes_marking_at_the_same_time_lose_no_mark",
    "tests/test_mark_concurrency.py::test_two_mark_commands_at_once_both_keep_their_mark",
    "tests/test_without_fcntl.py::test_a_second_lock_on_the_same_file_gives_up_with_a_message",
    "--deselect",  # khal, not followup, needs fcntl
    "tests/test_ics_stopped.py::test_khal_strikes_the_stopped_steps_when_the_new_file_is_imported",
]


def without_fcntl() -> dict[str, str]:
    env = os.environ.copy()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HOOK), env.get("PYTHONPATH")]))
    return env


def test_a_second_lock_on_the_same_file_gives_up_with_a_message(tmp_path: Path) -> None:
    lock = tmp_path / "marks.toml.lock"
    with locked(lock, what="the marks file"):
        with pytest.raises(LockTimeout) as caught, locked(lock, wait=0.1, what="the marks file"):
            pass
        assert "another followup is still writing the marks file" in caught.value.message
    with locked(lock):  # free again once the first is released
        pass


def test_the_hook_really_hides_fcntl_from_followup() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import followup.engine.atomic as a\n"
            "print(a.fcntl, a.msvcrt)\n"
            "try:\n    import fcntl\nexcept ImportError:\n    print('no fcntl')\n",
        ],
        cwd=ROOT,
        env=without_fcntl(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "None None\nno fcntl\n"


def test_plan_ics_and_mark_pass_their_tests_without_fcntl() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS],
        cwd=ROOT,
        env=without_fcntl(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    summary = done.stdout.strip().splitlines()[-1]
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary and "error" not in summary
