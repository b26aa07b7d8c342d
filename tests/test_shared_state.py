"""The sync state and the quiet note on a shared machine: a planted key or link is never used
or written through (see tests/test_shared_folders.py for the caches)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from followup.engine.caldav.quiet import note_path
from followup.engine.caldav.state import KEY_FILE
from followup.engine.folders import state_dir
from tests.conftest import ROOT
from tests.sync_support import NOW, CalendarApp, account, one_past_one_ahead
from tests.test_shared_folders import other_user, shared  # noqa: F401  # the fixtures

pytest_plugins = ["tests.conftest_caldav"]

WHEN = NOW.strftime("%Y-%m-%dT%H:%M")


def sync(work: str, target: str) -> subprocess.CompletedProcess[str]:
    """``followup sync`` in a new process (warnings go to its standard error)."""
    done = subprocess.run(
        [sys.executable, "-m", "followup.cli.main", "sync", "--from", account(work), "--to",
         account(target), "--now", WHEN],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ),
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done


def test_a_quiet_note_linked_to_the_users_own_file_is_replaced_not_written_through(
    app: CalendarApp, password: str, tmp_path: Path
) -> None:
    work, target = one_past_one_ahead(app)
    sync(work, target)
    sync(work, target)  # nothing to do: the note is kept
    [note] = list(note_path([]).parent.glob("*.json"))
    profile = tmp_path / ".profile"
    profile.write_text("PATH=$HOME/bin:$PATH\n", encoding="utf-8")
    note.unlink()
    note.symlink_to(profile)
    result = sync(work, target)
    assert profile.read_text(encoding="utf-8") == "PATH=$HOME/bin:$PATH\n"
    assert f"ignoring {note}: it is a symbolic link" in result.stderr
    assert not note.is_symlink() and note.is_file()


def test_a_key_planted_by_another_user_is_never_used(
    app: CalendarApp,
    password: str,
    other_user: str,  # noqa: F811
    shared: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FOLLOWUP_STATE_DIR", str(shared / "followup"))
    work, target = one_past_one_ahead(app)
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o777)  # as an older followup, or a umask of 0, left it
    planted = "ab" * 32
    key = folder / KEY_FILE
    subprocess.run(
        ["sh", "-c", f"echo {planted} > {key}"], user=other_user, group=other_user, check=True
    )
    result = sync(work, target)
    assert f"ignoring {key}: it belongs to another user" in result.stderr
    info = key.lstat()
    assert info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o600
    assert key.read_text(encoding="ascii").strip() != planted
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def open_state(monkeypatch: pytest.MonkeyPatch, under: Path, kind: str) -> Path:
    """followup's ``kind`` folder under a shared one, left open to all by an older followup."""
    folder = under / kind / "followup"
    monkeypatch.setenv(f"FOLLOWUP_{kind.upper()}_DIR", str(folder))
    return folder


def test_a_sync_state_another_user_planted_is_ignored_and_written_anew(
    app: CalendarApp,
    password: str,
    other_user: str,  # noqa: F811
    shared: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    open_state(monkeypatch, shared, "state")
    work, target = one_past_one_ahead(app)
    sync(work, target)
    [saved] = list((state_dir() / "sync").glob("*.json"))
    good = saved.read_text(encoding="utf-8")
    (shared / "state").chmod(0o755)  # the user's, open to read: the other user gets by
    for folder in (state_dir(), saved.parent):
        folder.chmod(0o777)
    saved.unlink()
    # "every follow-up there is one you dismissed": sync would leave them all alone
    planted = good.replace('"dismissed": {}', '"dismissed": {"x": "y"}')
    subprocess.run(
        ["sh", "-c", f"cat > {saved}"],
        user=other_user,
        group=other_user,
        input=planted,
        text=True,
        check=True,
    )
    result = sync(work, target)
    assert f"ignoring {saved}: it belongs to another user" in result.stderr
    info = saved.lstat()
    assert info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o600
    assert saved.read_text(encoding="utf-8") != planted
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700


def test_a_quiet_note_another_user_planted_is_never_followed(
    app: CalendarApp,
    password: str,
    other_user: str,  # noqa: F811
    shared: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    open_state(monkeypatch, shared, "cache")
    work, target = one_past_one_ahead(app)
    sync(work, target)
    sync(work, target)  # nothing to do: the note is kept
    [note] = list(note_path([]).parent.glob("*.json"))
    text = note.read_text(encoding="utf-8")
    (shared / "cache").chmod(0o755)  # the user's, open to read: the other user gets by
    for folder in (note.parent.parent, note.parent):
        folder.chmod(0o777)
    note.unlink()
    subprocess.run(
        ["sh", "-c", f"cat > {note}"],
        user=other_user,
        group=other_user,
        input=text,  # the user's own sealed note, copied: still not theirs to trust
        text=True,
        check=True,
    )
    result = sync(work, target)
    assert f"ignoring {note}: it belongs to another user" in result.stderr
    info = note.lstat()
    assert info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o600
    assert stat.S_IMODE(note.parent.stat().st_mode) == 0o700
