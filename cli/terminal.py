"""Text for a terminal: what an invite says is shown, never obeyed.

Event titles, notes and organizer names are written by whoever sent the
invite. Printed raw, an escape sequence in a SUMMARY could retitle the
terminal window, hide the lines before it, plant a link (OSC 8) or, on some
terminals, answer back keystrokes; a bidi override could show a different
text from the one stored. Every human output of the command line goes
through ``terminal_text`` (``echo`` does it); ``--json`` does not, as JSON
escapes control characters itself.
"""

from __future__ import annotations

from collections.abc import Iterable

import click

REPLACEMENT = "\ufffd"

# C0 controls but TAB and LF, DEL, C1 controls (0x9B is CSI, 0x9D OSC), and the bidi
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that reorder what is shown.
_UNSAFE: dict[int, str] = {
    code: REPLACEMENT
    for code in (
        *range(0x00, 0x20),
        0x7F,
        *range(0x80, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
    if chr(code) not in "\n\t"
}


def terminal_text(text: str) -> str:
    """``text`` with every control character and bidi override shown as U+FFFD (linear time)."""
    return text.translate(_UNSAFE)


def echo(message: str = "", *, nl: bool = True, err: bool = False) -> None:
    """``click.echo`` for people: the text made safe for a terminal first."""
    click.echo(terminal_text(message), nl=nl, err=err)


def one_line(text: str) -> str:
    """``text`` on one line: a title with line breaks cannot add a line that reads as
    followup's own (a fake warning, a fake command to paste)."""
    return " ".join(text.splitlines())


def warn(warnings: Iterable[str]) -> None:
    """What the reader skipped or guessed (and other warnings of a run): on standard
    error, each once and on one line, made safe for a terminal. Every command shows them
    here, so that standard output holds only the answer (a table, a calendar, JSON)."""
    for warning in dict.fromkeys(warnings):
        echo(f"warning: {one_line(warning)}", err=True)
