"""The marks, the answers and the mail checkpoint on a shared machine: what another user
planted in followup's data or state folder is never read or written through.

A second user is made for these tests (as root, as CI runs them; see
tests/test_shared_folders.py) and plants files and links in followup's folders
as an older followup left them open (0777), as another user on the machine
could. Each run is the real ``followup`` in a new process.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from followup.engine.mail.check import state_path
from tests.conftest import ROOT
from tests.imap_faults import faulty_imap
from tests.mail_server import PASSWORD, USER
from tests.test_mail import CALENDAR as MAIL_CALENDAR
from tests.test_mail import NOW as MAIL_NOW
from tests.test_shared_folders import other_user, shared  # noqa: F401  # the fixtures

EXAMPLE = str(ROOT / "examples" / "interviews.ics")
NOW = "2026-11-30T08:00"
ACME = "7f3c2a10acme@google.com"
REJECTED = f'"{ACME}" = {{ status = "rejected" }}\n'
"""A mark that ends ACME's chain: planted, it would silence the user's follow-ups."""


@pytest.fixture
def home(shared: Path) -> Iterator[Path]:  # noqa: F811
    """The user's folders under a folder everyone may write (sticky, as /tmp), with
    followup's data folder left open to all, as an older followup (or a umask of 0) left it."""
    data = shared / "data" / "followup"
    data.mkdir(parents=True)
    data.chmod(0o777)
    yield shared


def followup(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")}
    for kind in ("data", "state", "cache", "config"):
        env[f"FOLLOWUP_{kind.upper()}_DIR"] = str(home / kind / "followup")
    env["MAIL_PASSWORD"] = PASSWORD
    return subprocess.run(
        [sys.executable, "-m", "followup.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        input=stdin,
        check=False,
    )


def plant(user: str, path: Path, text: str) -> None:
    subprocess.run(
        ["sh", "-c", f"cat > {path}"], user=user, group=user, input=text, text=True, check=True
    )


def plan(home: Path) -> subprocess.CompletedProcess[str]:
    done = followup(home, "plan", "--from", EXAMPLE, "--now", NOW)
    assert done.returncode == 0, done.stderr
    return done


def acme(table: str) -> list[str]:
    """The lines of ``followup plan``'s table for ACME's interview."""
    return [line for line in table.splitlines() if line.rstrip().endswith(" ACME")]


def mine_and_closed(path: Path) -> None:
    info = path.lstat()
    assert stat.S_ISREG(info.st_mode)
    assert info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_marks_file_another_user_planted_is_ignored_and_written_anew(
    other_user: str,  # noqa: F811
    home: Path,
    tmp_path: Path,
) -> None:
    clean = plan(tmp_path)
    marks = home / "data" / "followup" / "marks.toml"
    plant(other_user, marks, REJECTED)
    run = plan(home)
    assert run.stdout == clean.stdout  # ACME's follow-ups are still planned
    assert acme(run.stdout)
    assert f"ignoring {marks}: it belongs to another user" in run.stderr
    marked = followup(home, "mark", "Globex", "replied", "--from", EXAMPLE, "--now", NOW)
    assert marked.returncode == 0, marked.stderr
    mine_and_closed(marks)
    text = marks.read_text(encoding="utf-8")
    assert ACME not in text and "2b9d41c7globex@google.com" in text


def test_a_marks_file_another_user_linked_to_the_users_file_is_not_written_through(
    other_user: str,  # noqa: F811
    home: Path,
    tmp_path: Path,
) -> None:
    profile = tmp_path / ".profile"
    profile.write_text("PATH=$HOME/bin:$PATH\n", encoding="utf-8")
    profile.chmod(0o644)
    marks = home / "data" / "followup" / "marks.toml"
    subprocess.run(["ln", "-s", str(profile), str(marks)], user=other_user, check=True)
    run = plan(home)
    assert f"ignoring {marks}: it is a symbolic link made by another user" in run.stderr
    marked = followup(home, "mark", "ACME", "replied", "--from", EXAMPLE, "--now", NOW)
    assert marked.returncode == 0, marked.stderr
    assert profile.read_text(encoding="utf-8") == "PATH=$HOME/bin:$PATH\n"
    assert not marks.is_symlink()
    mine_and_closed(marks)


def test_a_marks_file_the_user_linked_elsewhere_is_still_read_and_written_through(
    tmp_path: Path,
) -> None:
    """The user's own link (a marks file kept with their dotfiles) is theirs to make."""
    kept = tmp_path / "dotfiles" / "marks.toml"
    kept.parent.mkdir()
    kept.write_text(REJECTED, encoding="utf-8")
    kept.chmod(0o600)
    data = tmp_path / "data" / "followup"
    data.mkdir(parents=True)
    (data / "marks.toml").symlink_to(kept)
    run = plan(tmp_path)
    assert "ignoring" not in run.stderr
    # the rejection is read: ACME's chain has stopped
    assert len(acme(run.stdout)) < len(acme(plan(tmp_path / "clean").stdout))
    marked = followup(tmp_path, "mark", "Globex", "replied", "--from", EXAMPLE, "--now", NOW)
    assert marked.returncode == 0, marked.stderr
    assert (data / "marks.toml").is_symlink()
    assert "2b9d41c7globex@google.com" in kept.read_text(encoding="utf-8")


def test_an_answers_file_another_user_planted_is_ignored_and_written_anew(
    other_user: str,  # noqa: F811
    home: Path,
    tmp_path: Path,
) -> None:
    clean = plan(tmp_path)
    answers = home / "data" / "followup" / "answers.toml"
    plant(other_user, answers, f'"{ACME}" = {{ interview = false }}\n')
    run = plan(home)
    assert run.stdout == clean.stdout  # ACME is still an interview
    assert f"ignoring {answers}: it belongs to another user" in run.stderr
    answered = followup(home, "answer", "--", "x@y", "interview")
    assert answered.returncode == 0, answered.stderr
    mine_and_closed(answers)
    assert ACME not in answers.read_text(encoding="utf-8")


def test_an_answers_file_others_may_write_is_ignored(home: Path, tmp_path: Path) -> None:
    clean = plan(tmp_path)
    answers = home / "data" / "followup" / "answers.toml"
    answers.write_text(f'"{ACME}" = {{ interview = false }}\n', encoding="utf-8")
    answers.chmod(0o666)  # anyone could have written this line
    run = plan(home)
    assert run.stdout == clean.stdout
    assert f"ignoring {answers}: others may write it" in run.stderr


def test_a_data_folder_another_user_made_is_not_used(
    other_user: str,  # noqa: F811
    shared: Path,  # noqa: F811
) -> None:
    subprocess.run(
        ["sh", "-c", f"mkdir -p {shared}/data/followup && cat > {shared}/data/followup/marks.toml"],
        user=other_user,
        group=other_user,
        input=REJECTED,
        text=True,
        check=True,
        umask=0o000,
    )
    run = followup(shared, "plan", "--from", EXAMPLE, "--now", NOW)
    assert run.returncode == 9, run.stderr
    assert run.stderr.count("followup: cannot use") == 1
    assert "belongs to another user" in run.stderr
    assert "Traceback" not in run.stderr
    marked = followup(shared, "mark", "ACME", "replied", "--from", EXAMPLE, "--now", NOW)
    assert marked.returncode == 9
    assert (shared / "data" / "followup" / "marks.toml").read_text(encoding="utf-8") == REJECTED


# -- the mail checkpoint (state folder) ------------------------------------------------------


def configure_mail(home: Path, port: int, cert: Path) -> Path:
    folder = home / "config" / "followup"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(
        f'[mail]\nhost = "localhost"\nport = {port}\nusername = "{USER}"\n'
        f'password_env = "MAIL_PASSWORD"\nca_file = "{cert}"\ntimeout = 10\n'
    )
    calendar = home / "interviews.ics"
    calendar.write_text(MAIL_CALENDAR, newline="")
    return calendar


def checkpoint(home: Path) -> Path:
    """Where ``followup mail`` keeps what it has searched, in ``home``'s state folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FOLLOWUP_STATE_DIR", str(home / "state" / "followup"))
        return state_path(SimpleNamespace(host="localhost", username=USER))  # type: ignore[arg-type]


def test_a_mail_checkpoint_linked_to_the_users_file_is_replaced_not_written_through(
    tmp_path: Path,
) -> None:
    with faulty_imap("none") as server:
        calendar = configure_mail(tmp_path, server.port, server.cert)
        first = followup(tmp_path, "mail", "--from", str(calendar), "--now", MAIL_NOW)
        assert first.returncode == 0, first.stderr
        saved = checkpoint(tmp_path)
        assert saved.is_file()
        profile = tmp_path / ".profile"
        profile.write_text("PATH=$HOME/bin:$PATH\n", encoding="utf-8")
        saved.unlink()
        saved.symlink_to(profile)
        again = followup(tmp_path, "mail", "--from", str(calendar), "--now", MAIL_NOW)
    assert again.returncode == 0, again.stderr
    assert profile.read_text(encoding="utf-8") == "PATH=$HOME/bin:$PATH\n"
    assert f"ignoring {saved}: it is a symbolic link" in again.stderr
    assert not saved.is_symlink()
    mine_and_closed(saved)


def test_a_mail_checkpoint_another_user_planted_is_ignored_and_written_anew(
    other_user: str,  # noqa: F811
    shared: Path,  # noqa: F811
) -> None:
    with faulty_imap("none") as server:
        calendar = configure_mail(shared, server.port, server.cert)
        saved = checkpoint(shared)
        saved.parent.mkdir(parents=True)
        for folder in (shared / "state" / "followup", saved.parent):
            folder.chmod(0o777)
        # "searched up to here already": the recruiter's reply would never be looked at
        plant(
            other_user,
            saved,
            '{"version": 1, "folders": {"INBOX": [1, 999999]}, "covered": [], "applied": {}}',
        )
        run = followup(shared, "mail", "--from", str(calendar), "--now", MAIL_NOW)
    assert run.returncode == 0, run.stderr
    assert f"ignoring {saved}: it belongs to another user" in run.stderr
    assert "1 new reply" in run.stdout
    mine_and_closed(saved)


# -- the config file ---------------------------------------------------------------------------


def planted_config(port: int, cert: Path, marker: Path) -> str:
    """A config whose password command runs whatever its writer wants, as the user."""
    return (
        f'[mail]\nhost = "localhost"\nport = {port}\nusername = "{USER}"\n'
        f'password_command = "touch {marker}"\nca_file = "{cert}"\ntimeout = 10\n'
    )


def test_a_config_file_another_user_planted_is_not_read_so_its_password_command_never_runs(
    other_user: str,  # noqa: F811
    shared: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    marker = tmp_path / "ran"
    folder = shared / "config" / "followup"
    folder.mkdir(parents=True)
    folder.chmod(0o777)  # as an older followup, or a umask of 0, left it
    with faulty_imap("none") as server:
        plant(other_user, folder / "config.toml", planted_config(server.port, server.cert, marker))
        calendar = shared / "interviews.ics"
        calendar.write_text(MAIL_CALENDAR, newline="")
        run = followup(shared, "mail", "--from", str(calendar), "--now", MAIL_NOW)
    assert not marker.exists()
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("followup: ") == 1 and "Traceback" not in run.stderr
    assert f"{folder / 'config.toml'}: not read, as someone else could have written it" in (
        run.stderr
    )


def test_a_config_file_in_a_folder_others_may_write_is_not_read(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    folder = tmp_path / "config" / "followup"
    folder.mkdir(parents=True)
    with faulty_imap("none") as server:
        (folder / "config.toml").write_text(planted_config(server.port, server.cert, marker))
        folder.chmod(0o777)  # anyone could have put the file there
        calendar = tmp_path / "interviews.ics"
        calendar.write_text(MAIL_CALENDAR, newline="")
        run = followup(tmp_path, "mail", "--from", str(calendar), "--now", MAIL_NOW)
        assert not marker.exists()
        assert run.returncode == 2, run.stderr
        assert f"others may change {folder}" in run.stderr
        folder.chmod(0o700)  # made the user's alone, the same file is read and its command run
        again = followup(tmp_path, "mail", "--from", str(calendar), "--now", MAIL_NOW)
    assert marker.exists(), again.stderr


def test_a_marks_file_only_the_users_own_group_may_write_is_read(tmp_path: Path) -> None:
    """A umask of 002 with a group of one's own (a user private group) writes files 0664:
    the group is no one else's, as for the folders above followup's."""
    data = tmp_path / "data" / "followup"
    data.mkdir(parents=True)
    marks = data / "marks.toml"
    marks.write_text(REJECTED, encoding="utf-8")
    os.chown(marks, -1, os.getgid())
    marks.chmod(0o664)
    run = plan(tmp_path)
    assert "ignoring" not in run.stderr
    assert len(acme(run.stdout)) < len(acme(plan(tmp_path / "clean").stdout))
