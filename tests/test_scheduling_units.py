"""The systemd units and launchd jobs of docs/scheduling.md are ones the real tools accept."""

from __future__ import annotations

import os
import plistlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from followup.cli.main import main
from tests.conftest import ROOT

PAGE = ROOT / "docs" / "scheduling.md"

# "`~/.config/systemd/user/NAME`:" ending a line, then a fenced block: the file of that name.
_FILE = re.compile(r"`~/(?P<path>[^`\n]+)`:\n\n```(?P<kind>ini|xml)\n(?P<text>.*?)```", re.S)


def files(kind: str) -> dict[str, str]:
    text = PAGE.read_text(encoding="utf-8")
    return {
        Path(m.group("path")).name: m.group("text")
        for m in _FILE.finditer(text)
        if m.group("kind") == kind
    }


def test_the_page_gives_a_sync_service_and_timer_and_a_feed_service() -> None:
    assert sorted(files("ini")) == [
        "followup-serve.service",
        "followup-sync.service",
        "followup-sync.timer",
    ]
    serve = files("ini")["followup-serve.service"]
    assert "Restart=on-failure" in serve
    assert "WantedBy=default.target" in serve


def verify(tmp_path: Path, units: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``systemd-analyze --user verify`` on the units, for a user whose home holds followup."""
    home = tmp_path / "home"
    folder = home / ".config" / "systemd" / "user"
    folder.mkdir(parents=True)
    (home / ".local" / "bin").mkdir(parents=True)
    (home / ".local" / "bin" / "followup").symlink_to(Path(sys.executable).with_name("followup"))
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    for name, text in units.items():
        (folder / name).write_text(text)
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}
    analyze = shutil.which("systemd-analyze")
    assert analyze is not None, "tests/run installs systemd"
    return subprocess.run(
        [analyze, "--user", "verify", *(str(folder / name) for name in units)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_systemd_accepts_every_unit_of_the_page_without_a_word(tmp_path: Path) -> None:
    done = verify(tmp_path, files("ini"))
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "")


def test_systemd_analyze_would_catch_a_mistyped_key_or_a_missing_program(tmp_path: Path) -> None:
    units = files("ini")
    units["followup-serve.service"] = (
        units["followup-serve.service"]
        .replace("Restart=", "Restartt=")
        .replace("bin/followup", "bin/folowup")
    )
    done = verify(tmp_path, units)
    assert "Unknown key 'Restartt'" in done.stderr
    assert "folowup is not executable" in done.stderr


def test_no_user_unit_waits_for_a_target_only_the_system_has() -> None:
    for name, text in files("ini").items():
        assert "network-online.target" not in text, name


def top() -> click.Context:
    """The context a command runs under, as the shell starts it: its options (-h, too)
    as followup's own group gives them (click keeps a command's help option once made)."""
    return click.Context(main, info_name="followup", **main.context_settings)


def test_each_command_a_unit_runs_is_a_followup_command_with_options_that_exist() -> None:
    for name, text in files("ini").items():
        for line in text.splitlines():
            if line.startswith("ExecStart="):
                program, *words = line.removeprefix("ExecStart=").split()
                assert program == "%h/.local/bin/followup", name
                parent = top()
                command = main.get_command(parent, words[0])
                assert command is not None, name
                command.make_context(words[0], words[1:], parent=parent)


# ------------------------------------------------------------------ launchd ----


def test_the_launchd_jobs_are_well_formed_property_lists_that_run_followup() -> None:
    jobs = files("xml")
    assert sorted(jobs) == ["org.followup.serve.plist", "org.followup.sync.plist"]
    for name, text in jobs.items():
        job = plistlib.loads(text.encode())
        assert job["Label"] == name.removesuffix(".plist")
        program, command, *args = job["ProgramArguments"]
        assert program == "/Users/you/.local/bin/followup", "launchd expands no ~"
        parent = top()
        found = main.get_command(parent, command)
        assert found is not None, name
        found.make_context(command, args, parent=parent)
        assert Path(job["StandardErrorPath"]).is_absolute()
    serve = plistlib.loads(jobs["org.followup.serve.plist"].encode())
    assert serve["RunAtLoad"] is True
    assert serve["KeepAlive"] == {"SuccessfulExit": False}  # again whenever it fails
    assert plistlib.loads(jobs["org.followup.sync.plist"].encode())["StartInterval"] == 900


def test_a_broken_property_list_is_refused_by_the_same_check() -> None:
    text = files("xml")["org.followup.serve.plist"].replace("</dict>\n</plist>", "</plist>")
    with pytest.raises(Exception, match="mismatched tag"):
        plistlib.loads(text.encode())
