"""The README's two commands work on a fresh copy of the project, exactly as written.

The copy holds what git would clone (the tracked files, and new ones not ignored),
so no virtual environment or node_modules of this checkout helps. The quick start
runs as written; the test command runs as written with one test file added, which
is passed on to pytest: installing everything again is what is checked here, and
the whole suite is what CI runs with the same command.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_after(heading: str) -> str:
    """The first ```sh block after ``heading`` in the README."""
    rest = README[README.index(heading) :]
    found = re.search(r"```sh\n(.*?)\n```", rest, re.DOTALL)
    assert found is not None, f"no sh block after {heading!r}"
    return found.group(1).strip()


def fresh_copy(target: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = ROOT / name.decode()
        if source.is_file():
            (target / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name.decode())
    return target


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fresh_copy(tmp_path_factory.mktemp("fresh"))


def run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=900
    )


def test_the_quick_start_runs_the_main_job_on_the_bundled_example(copy: Path) -> None:
    command = command_after("## Quick start")
    assert "followup ics --from examples/interviews.ics" in command
    done = run(command, copy)
    assert done.returncode == 0, done.stderr
    assert "follow-ups for" in done.stdout  # the plan's table
    calendar = Calendar.from_ical((copy / "followups.ics").read_bytes())
    assert len(calendar.walk("VEVENT")) > 5


def test_the_test_command_installs_what_the_tests_need_and_runs_them(copy: Path) -> None:
    command = command_after("Run the tests")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"\n{command}\n" in ci, ".ci/run must run the README's test command"
    done = run(f"{command} tests/test_layout.py", copy)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert re.search(r"\d+ passed", done.stdout)
    assert (copy / "tests" / "js" / "node_modules" / "playwright-core").is_dir()
