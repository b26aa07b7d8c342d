"""followup's folders on a shared machine: nothing planted in them is read, run or written through.

A second user is made for these tests (as root, as CI runs them): it plants
folders, files and links in a folder everyone may write, as another user on the
machine could. The same user's own links into their files (a cache entry that
points at ~/.bashrc) are planted too. Each run is the real ``followup`` in a new
process.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.engine.rules_cache import RulesCache
from followup.rules.loader import shipped_rules
from tests.conftest import ROOT
from tests.link_server import Served, link_server

EXAMPLE = str(ROOT / "examples" / "interviews.ics")
NOW = "2026-11-30T08:00"
OTHER = f"followup-other-{os.getpid()}"
"""The second user: a name of this run's own, so that another run's is never removed."""


@pytest.fixture(scope="module")
def other_user() -> Iterator[str]:
    """A second user on this machine, made as root (as CI runs the tests), removed after."""
    assert os.getuid() == 0, "these tests make a second user: run them as root, as CI does"
    known = subprocess.run(["id", "-u", OTHER], capture_output=True, check=False)
    made = known.returncode != 0
    if made:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/bin/sh", OTHER], check=True
        )
    try:
        yield OTHER
    finally:
        if made:
            subprocess.run(["userdel", OTHER], capture_output=True, check=False)


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder everyone may write, as /tmp is (sticky)."""
    folder = Path(tempfile.mkdtemp(prefix="followup-shared-", dir="/tmp"))
    folder.chmod(0o1777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def as_other(user: str, script: str) -> None:
    """Run a shell script as the other user."""
    subprocess.run(["sh", "-c", script], user=user, group=user, check=True, umask=0o000)


def followup(home: Path, *args: str, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CACHE_HOME": str(cache or home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    env.pop("FOLLOWUP_RULES_CACHE", None)
    return subprocess.run(
        [sys.executable, "-m", "followup.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )


def my_rules(home: Path, thanks: str = "Send") -> Path:
    text, _ = shipped_rules()
    path = home / "my-rules.yaml"
    path.write_text(text.replace("Send {{", f"{thanks} {{{{"), encoding="utf-8")
    return path


def entry_for(cache_root: Path, rules: Path) -> Path:
    path = RulesCache(cache_root / "followup").path(str(rules.resolve()))
    assert path is not None
    return path


def plan(home: Path, rules: Path, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    return followup(
        home, "plan", "--from", EXAMPLE, "--now", NOW, "--rules", str(rules), cache=cache
    )


def test_a_followup_folder_made_by_another_user_in_a_shared_folder_is_not_used(
    other_user: str, shared: Path, tmp_path: Path
) -> None:
    rules = my_rules(tmp_path)
    clean = plan(tmp_path, rules)
    assert clean.returncode == 0, clean.stderr
    # The other user makes the cache folder first, and plants a rules entry in it that
    # says something else (its key is computable by anyone who can read the rules).
    good = entry_for(tmp_path / "cache", rules).read_text(encoding="utf-8")
    planted = entry_for(shared, rules)
    subprocess.run(
        ["sh", "-c", f"mkdir -p {planted.parent} && cat > {planted}"],
        user=other_user,
        group=other_user,
        input=good.replace("Send {{", "PLANTED {{"),
        text=True,
        check=True,
        umask=0o000,
    )
    run = plan(tmp_path, rules, cache=shared)
    assert run.returncode == 0, run.stderr
    assert "PLANTED" not in run.stdout
    assert run.stdout == clean.stdout
    assert f"not using {shared / 'followup'}" in run.stderr
    assert "belongs to another user" in run.stderr
    assert planted.read_text(encoding="utf-8") != good  # not written through either


def test_a_followup_folder_that_is_another_users_link_is_not_written_through(
    other_user: str, shared: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "own"
    victim.mkdir()
    as_other(other_user, f"ln -s {victim} {shared / 'followup'}")
    run = plan(tmp_path, my_rules(tmp_path), cache=shared)
    assert run.returncode == 0, run.stderr
    assert list(victim.iterdir()) == []
    assert "is a symbolic link" in run.stderr


def test_an_entry_another_user_planted_in_an_open_cache_folder_is_ignored_and_rebuilt(
    other_user: str, shared: Path, tmp_path: Path
) -> None:
    rules = my_rules(tmp_path)
    clean = plan(tmp_path, rules, cache=shared)
    assert clean.returncode == 0, clean.stderr
    entry = entry_for(shared, rules)
    good = entry.read_text(encoding="utf-8")
    # An older followup left the folders open to all; the other user swaps the entry.
    for folder in (shared / "followup", entry.parent):
        folder.chmod(0o777)
    entry.unlink()
    subprocess.run(
        ["sh", "-c", f"cat > {entry}"],
        user=other_user,
        group=other_user,
        input=good.replace("Send {{", "PLANTED {{"),
        text=True,
        check=True,
    )
    run = plan(tmp_path, rules, cache=shared)
    assert run.returncode == 0, run.stderr
    assert "PLANTED" not in run.stdout and run.stdout == clean.stdout
    assert f"ignoring {entry}: it belongs to another user" in run.stderr
    info = entry.lstat()
    assert info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o600
    assert stat.S_IMODE((shared / "followup").stat().st_mode) == 0o700


def test_a_cache_entry_linked_to_the_users_own_file_is_replaced_not_written_through(
    tmp_path: Path,
) -> None:
    rules = my_rules(tmp_path)
    assert plan(tmp_path, rules).returncode == 0
    entry = entry_for(tmp_path / "cache", rules)
    bashrc = tmp_path / ".bashrc"
    bashrc.write_text("alias ls='ls --color'\n", encoding="utf-8")
    entry.unlink()
    entry.symlink_to(bashrc)
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    run = plan(tmp_path, rules)
    assert run.returncode == 0, run.stderr
    assert bashrc.read_text(encoding="utf-8") == "alias ls='ls --color'\n"
    assert f"ignoring {entry}: it is a symbolic link" in run.stderr
    assert not entry.is_symlink() and entry.is_file()


def test_compiled_template_code_is_never_kept_nor_run_from_the_cache(tmp_path: Path) -> None:
    rules = my_rules(tmp_path)
    assert plan(tmp_path, rules).returncode == 0
    entry = entry_for(tmp_path / "cache", rules)
    marker = tmp_path / "ran"
    # What an older followup kept beside the entry, and a planted one pointing at the
    # user's own file: neither is read.
    code = compile(f"open({str(marker)!r}, 'w')", "<planted>", "exec")
    import marshal

    (tmp_path / "payload").write_bytes(b"\x00" * 32 + marshal.dumps({"x": code}))
    entry.with_suffix(".code").symlink_to(tmp_path / "payload")
    run = plan(tmp_path, rules)
    assert run.returncode == 0, run.stderr
    assert not marker.exists()
    assert sorted(p.suffix for p in entry.parent.iterdir()) == [".code", ".json"]


def test_a_link_copy_planted_by_another_user_is_never_used(
    other_user: str, shared: Path, tmp_path: Path
) -> None:
    calendar = Path(EXAMPLE).read_bytes()
    with link_server() as server:
        server.routes["/basic.ics"] = Served(calendar)
        url = server.base + "/basic.ics"
        first = followup(tmp_path, "plan", "--from", url, "--now", NOW, cache=shared)
        assert first.returncode == 0, first.stderr
        links = shared / "followup" / "links"
        (meta,) = links.glob("*.json")
        (data,) = links.glob("*.data")
        # The folders were left open; the other user swaps the copy for one of its own
        # (the server's ETag is kept, so the server answers 304 and the copy would be used).
        for folder in (shared / "followup", links):
            folder.chmod(0o777)
        forged = calendar.replace(b"ACME", b"FORGED")
        import hashlib
        import json

        info = json.loads(meta.read_text(encoding="utf-8"))
        info["sha256"] = hashlib.sha256(forged).hexdigest()
        meta.unlink()
        data.unlink()
        for path, content in ((data, forged), (meta, json.dumps(info).encode())):
            subprocess.run(
                ["sh", "-c", f"cat > {path}"],
                user=other_user,
                group=other_user,
                input=content,
                check=True,
            )
        again = followup(tmp_path, "plan", "--from", url, "--now", NOW, cache=shared)
    assert again.returncode == 0, again.stderr
    assert "FORGED" not in again.stdout
    assert again.stdout == first.stdout
    assert "it belongs to another user" in again.stderr


def test_a_link_copy_linked_to_the_users_own_file_is_not_written_through(tmp_path: Path) -> None:
    calendar = Path(EXAMPLE).read_bytes()
    with link_server() as server:
        server.routes["/basic.ics"] = Served(calendar)
        url = server.base + "/basic.ics"
        assert followup(tmp_path, "plan", "--from", url, "--now", NOW).returncode == 0
        links = tmp_path / "cache" / "followup" / "links"
        (data,) = links.glob("*.data")
        profile = tmp_path / ".profile"
        profile.write_text("PATH=$HOME/bin:$PATH\n", encoding="utf-8")
        data.unlink()
        data.symlink_to(profile)
        server.routes["/basic.ics"] = Served(calendar.replace(b"ACME", b"Initech"))
        run = followup(tmp_path, "plan", "--from", url, "--now", NOW)
    assert run.returncode == 0, run.stderr
    assert profile.read_text(encoding="utf-8") == "PATH=$HOME/bin:$PATH\n"
    assert not data.is_symlink()
