"""What a command run under click's CliRunner ended with.

CliRunner keeps an uncaught exception in ``result.exception`` (exit code 1); the
traceback is never in ``result.output``, so looking for "Traceback" there cannot fail.
"""

from __future__ import annotations

from click.testing import Result


def ended_cleanly(result: Result) -> None:
    """The command ended as followup ends it (a message and an exit code), never by an
    uncaught exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
