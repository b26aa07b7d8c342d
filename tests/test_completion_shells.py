"""TAB in a real bash, zsh and fish, under a pty, on a calendar written to attack the shell.

Each shell loads the completion script as docs/completion.md says, and ``followup``
is then shadowed by a shell function that writes its arguments to a file: TAB
runs the real program (the script calls it through ``env``), Enter runs the
function. A UID or title made of shell syntax must come out of Enter as the
literal word, and must never run (the marker file it would create stays absent).
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from followup.cli.completion import format_item

BIN = str(Path(sys.executable).parent)
NOW = "2026-11-20"  # no colon: bash would split the word at it (COMP_WORDBREAKS)

CALENDAR = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//followup tests//hostile//EN\r
BEGIN:VEVENT\r
UID:{uid}\r
SUMMARY:{title}\r
DTSTART:20261118T100000Z\r
DTEND:20261118T110000Z\r
END:VEVENT\r
END:VCALENDAR\r
"""

HOSTILE_UIDS = [
    "x$(touch {mark})y",
    "x`touch {mark}`y",
    "x;touch {mark};y",
    "x|touch {mark}",
    "x&&touch {mark}&",
    'it\'s "quoted" $(touch {mark})',
    "*$HOME{{a,b}}~!#",
    "-rf >{mark} <x",
]


class Terminal:
    """A shell on a pty: type into it, read what it shows."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: the shell, with the pty as its controlling terminal
            os.chdir(cwd)
            os.execve(argv[0], argv, env)
        self.pid, self.fd, self.seen = pid, fd, b""

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def wait_for(self, text: str, within: float = 60) -> None:
        """Read until ``text`` has been shown (a bound, not a pause: it returns at once)."""
        wanted = text.encode()
        end = time.monotonic() + within
        while wanted not in self.seen:
            left = end - time.monotonic()
            assert left > 0, f"the shell never showed {text!r}; it showed {self.seen[-2000:]!r}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:
                    break
        assert wanted in self.seen, f"the shell ended before {text!r}: {self.seen[-2000:]!r}"

    def close(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


SETUP = {
    "bash": (
        ["bash", "--norc", "--noprofile", "-i"],
        'eval "$(_FOLLOWUP_COMPLETE=bash_source followup)"\r'
        "followup() { printf '%s\\0' \"$@\" > argv; }\r",
    ),
    "zsh": (
        ["zsh", "-f", "-i"],
        "autoload -Uz compinit && compinit -u\r"
        'eval "$(_FOLLOWUP_COMPLETE=zsh_source followup)"\r'
        'followup() { print -rN -- "$@" > argv }\r',
    ),
    "fish": (
        ["fish", "--no-config", "-i"],
        "_FOLLOWUP_COMPLETE=fish_source followup | source\r"
        "function followup; printf '%s\\0' $argv > argv; end\r",
    ),
}


def tab_then_enter(shell: str, folder: Path, typed: str) -> list[str]:
    """Type ``typed`` after ``followup`` in ``shell``, press TAB, then Enter; the words
    the command got."""
    argv, setup = SETUP[shell]
    found = shutil.which(argv[0])
    assert found is not None, f"{argv[0]} is not installed (tests/run installs it)"
    env = {
        "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(folder),
        "TERM": "xterm",
        "PS1": "$ ",
        "INPUTRC": "/dev/null",
        "TZ": "Europe/Berlin",
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_STATE_HOME": str(folder / "state"),
        "XDG_CACHE_HOME": str(folder / "cache"),
        "FOLLOWUP_RULES_CACHE": "off",
    }
    terminal = Terminal([found, *argv[1:]], env, folder)
    try:
        terminal.type(setup + "echo READY-'4'2\r")
        terminal.wait_for("READY-42")
        # readline, ZLE and fish's reader take the keys in order: TAB completes (it runs
        # followup) before Enter is read, and the echo runs after the command.
        terminal.type(f"followup {typed}\t\r")
        terminal.type("echo DONE-'4'2\r")
        terminal.wait_for("DONE-42")
    finally:
        terminal.close()
    return (folder / "argv").read_bytes().decode().split("\0")[:-1]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("uid", HOSTILE_UIDS)
def test_tab_inserts_a_hostile_uid_as_the_literal_word_and_enter_runs_nothing(
    shell: str, uid: str, tmp_path: Path
) -> None:
    mark = tmp_path / "MARK"
    uid = uid.format(mark=mark)
    title = f"Interview with ACME $(touch {mark}) `touch {mark}`"
    (tmp_path / "cal.ics").write_text(CALENDAR.format(uid=uid, title=title), encoding="utf-8")
    words = tab_then_enter(shell, tmp_path, f"explain --from cal.ics --now {NOW} ")
    assert not mark.exists()
    assert words == ["explain", "--from", "cal.ics", "--now", NOW, uid]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_tab_by_a_title_with_shell_syntax_inserts_the_uid_quoted(
    shell: str, tmp_path: Path
) -> None:
    mark = tmp_path / "MARK"
    uid = f"a b$(touch {mark})"
    title = f"Interview with ACME;touch {mark}|touch {mark}"
    (tmp_path / "cal.ics").write_text(CALENDAR.format(uid=uid, title=title), encoding="utf-8")
    words = tab_then_enter(shell, tmp_path, f"explain --from cal.ics --now {NOW} ACME")
    assert not mark.exists()
    assert words == ["explain", "--from", "cal.ics", "--now", NOW, uid]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_uid_with_a_line_break_or_an_escape_is_not_offered(shell: str, tmp_path: Path) -> None:
    mark = tmp_path / "MARK"
    # A folded UID line keeps its escaped line break: "\n" in the text of the UID.
    uid = f"x\\n;touch {mark}\x1b]52;c;ZWNobyBoaQ==\x07"
    (tmp_path / "cal.ics").write_text(
        CALENDAR.format(uid=uid, title="Interview with ACME"), encoding="utf-8"
    )
    words = tab_then_enter(shell, tmp_path, f"explain --from cal.ics --now {NOW} ")
    assert not mark.exists()
    assert words == ["explain", "--from", "cal.ics", "--now", NOW]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_no_answer_holds_a_control_character(shell: str) -> None:
    title = "Interview \x1b]0;owned\x07 with \x1b]8;;https://evil.example/\x1b\\ACME\n\u202e"
    line = format_item(shell, "plain", "acme-1@example.com", title)
    assert line is not None
    assert not any(ord(c) < 0x20 and c not in "\n\t" for c in line)
    assert "\u202e" not in line and "\x9b" not in line
    if shell != "bash":  # bash shows no help
        shown = line.split("\n")[-1] if shell == "zsh" else line.split("\t")[-1]
        assert "owned" in shown
    assert format_item(shell, "plain", "a\x1bb", None) is None
