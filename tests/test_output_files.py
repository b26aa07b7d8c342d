"""Writing files: what is already at the path decides how, and a failure is one message.

Real FIFOs, symbolic links and a character device made with mknod (a copy of
/dev/null's device numbers, so the system's own /dev/null is never at risk).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.atomic import write_atomic, write_new
from followup.engine.errors import FollowupError, MarksError, UnsafeChange, WriteError
from followup.engine.marks import Mark, record_mark
from tests.cli_result import ended_cleanly
from tests.conftest import ROOT

EXAMPLE = str(ROOT / "examples" / "interviews.ics")
NOW = "2026-11-30T08:00"
FOLLOWUP = [sys.executable, "-m", "followup.cli.main"]


def ics(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["ics", "--from", EXAMPLE, "--now", NOW, *args])
    ended_cleanly(result)
    assert not isinstance(result.exception, OSError)
    return result.exit_code, result.output


def test_a_symbolic_link_is_kept_and_the_file_it_points_to_is_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.ics"
    real.write_text("old")
    link = tmp_path / "followups.ics"
    link.symlink_to(real.name)
    code, _ = ics("-o", str(link))
    assert code == 0
    assert link.is_symlink() and os.readlink(link) == real.name
    assert real.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_a_dangling_link_creates_the_file_it_names(tmp_path: Path) -> None:
    link = tmp_path / "followups.ics"
    link.symlink_to("made.ics")
    assert ics("-o", str(link))[0] == 0
    assert link.is_symlink()
    assert (tmp_path / "made.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_a_loop_of_links_is_one_message(tmp_path: Path) -> None:
    (tmp_path / "a.ics").symlink_to("b.ics")
    (tmp_path / "b.ics").symlink_to("a.ics")
    code, out = ics("-o", str(tmp_path / "a.ics"))
    assert code == WriteError.exit_code
    assert out.count("followup:") == 1 and "a.ics" in out


def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    read_end = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there before the write
    os.set_blocking(read_end, True)
    received: list[bytes] = []

    def drain() -> None:
        # before the writer comes a read ends at once (no writer yet): read until data then EOF
        chunks: list[bytes] = []
        with os.fdopen(read_end, "rb", buffering=0) as handle:
            for _ in range(3000):
                chunk = handle.read(65536)
                if chunk:
                    chunks.append(chunk)
                elif chunks:
                    break
                else:
                    time.sleep(0.01)
        received.append(b"".join(chunks))

    reader = threading.Thread(target=drain)
    reader.start()
    code, _ = ics("-o", str(fifo))
    reader.join()
    assert code == 0
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received[0].startswith(b"BEGIN:VCALENDAR")


def test_a_fifo_nobody_reads_is_refused_rather_than_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, out = ics("-o", str(fifo))
    assert code == WriteError.exit_code
    assert "no program is reading" in out
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_character_device_is_written_through_not_replaced(tmp_path: Path) -> None:
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the numbers of /dev/null
    code, _ = ics("-o", str(null))
    assert code == 0
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert not list(tmp_path.glob(".null.*"))


def test_dev_stdout_writes_to_the_stream_the_shell_opened(tmp_path: Path) -> None:
    out = tmp_path / "out.ics"
    with out.open("wb") as handle:
        handle.write(b"kept\n")
        handle.flush()
        done = subprocess.run(
            [*FOLLOWUP, "ics", "--from", EXAMPLE, "--now", NOW, "-o", "/dev/stdout"],
            stdout=handle,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"kept\nBEGIN:VCALENDAR")  # appended, not replaced
    assert not out.is_symlink()


def test_a_folder_or_a_disk_device_is_refused(tmp_path: Path) -> None:
    code, out = ics("-o", str(tmp_path))
    assert code == 2 and "is a directory" in out
    disk = tmp_path / "disk"
    os.mknod(disk, stat.S_IFBLK | 0o600, os.makedev(7, 200))
    with pytest.raises(WriteError, match="disk device"):
        write_atomic(disk, b"BEGIN:VCALENDAR")
    assert stat.S_ISBLK(disk.lstat().st_mode)


def test_a_missing_folder_after_dash_o_is_one_message_and_no_folder_is_made(
    tmp_path: Path,
) -> None:
    code, out = ics("-o", str(tmp_path / "no" / "such" / "followups.ics"))
    assert code == WriteError.exit_code == 9
    assert out.count("followup:") == 1
    assert "the folder" in out and "does not exist" in out
    assert not (tmp_path / "no").exists()


def test_a_folder_that_cannot_be_made_is_one_message_for_the_marks_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    monkeypatch.setenv("FOLLOWUP_DATA_DIR", str(blocker / "followup"))
    with pytest.raises(FollowupError, match=r"(?i)not a (directory|folder)"):
        record_mark(Mark("uid-1", "replied"))
    result = CliRunner().invoke(main, ["mark", "ACME", "replied", "--from", EXAMPLE, "--now", NOW])
    assert result.exit_code in (WriteError.exit_code, MarksError.exit_code)
    ended_cleanly(result)
    assert result.output.count("followup:") == 1


def test_a_read_only_folder_is_one_message(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    # root ignores permission bits: a read-only mount is out of reach, so use a file as folder
    target = folder / "x.ics" if os.geteuid() != 0 else tmp_path / "file" / "x.ics"
    (tmp_path / "file").write_text("")
    folder.chmod(0o500)
    try:
        with pytest.raises(WriteError) as caught:
            write_atomic(target, b"data", make_folders=False)
        assert str(target) in caught.value.message
    finally:
        folder.chmod(0o700)


def test_a_write_the_disk_refuses_keeps_the_old_file_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    """The disk is full for this process (a file size limit: EFBIG, as ENOSPC would be)."""
    target = tmp_path / "followups.ics"
    target.write_bytes(b"the old follow-ups")
    code = (
        "import resource, signal, sys\n"
        "from followup.engine.errors import WriteError\n"
        "from followup.engine.atomic import write_atomic\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "try:\n"
        "    write_atomic(sys.argv[1], b'x' * 65536)\n"
        "except WriteError as error:\n"
        "    print(error.message)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(target)], cwd=ROOT, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"cannot write to {target}: file too large")
    assert target.read_bytes() == b"the old follow-ups"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["followups.ics"]


def test_a_replaced_file_keeps_its_permissions_and_a_mode_is_applied(tmp_path: Path) -> None:
    target = tmp_path / "token"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    link = tmp_path / "link"
    link.symlink_to(target.name)
    write_atomic(link, b"secret", mode=0o600)
    assert link.is_symlink() and target.read_bytes() == b"secret"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_unusable_config_folder_is_one_message_for_the_feed_token_and_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup.engine.feed.server import load_or_create_token

    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(WriteError, match="feed token"):
        load_or_create_token(blocker / "followup" / "feed-token")
    monkeypatch.setenv("FOLLOWUP_CONFIG_DIR", str(blocker / "followup"))
    result = CliRunner().invoke(main, ["init", "--yes", "--timezone", "Europe/Berlin"])
    assert result.exit_code == WriteError.exit_code
    ended_cleanly(result)
    assert "cannot write to" in result.output


def test_init_writes_through_a_fifo_at_the_config_path_instead_of_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    os.mkfifo(folder / "config.toml")
    monkeypatch.setenv("FOLLOWUP_CONFIG_DIR", str(folder))
    result = CliRunner().invoke(main, ["init", "--yes", "--timezone", "Europe/Berlin"])
    assert "no program is reading from that pipe" in result.output  # refused, not waited on
    assert stat.S_ISFIFO((folder / "config.toml").lstat().st_mode)


def test_a_new_file_never_writes_into_a_file_or_a_link_already_at_its_path(
    tmp_path: Path,
) -> None:
    # draft -o without --force: whatever is there (made a moment ago, or a link to
    # another of the user's files) is left as it is.
    kept = tmp_path / "draft.eml"
    kept.write_bytes(b"the user's own text")
    victim = tmp_path / "notes.txt"
    victim.write_bytes(b"precious")
    link = tmp_path / "link.eml"
    link.symlink_to(victim)
    for path in (kept, link):
        with pytest.raises(UnsafeChange, match="exists; it is not replaced"):
            write_new(path, b"From: x")
    assert kept.read_bytes() == b"the user's own text"
    assert victim.read_bytes() == b"precious" and link.is_symlink()
    write_new(tmp_path / "fresh.eml", b"From: x")
    assert (tmp_path / "fresh.eml").read_bytes() == b"From: x"
