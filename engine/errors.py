"""Errors a user can cause, each with the exit code the command line gives it.

The base class and rules errors come from ``rules.errors`` (the bottom layer);
the kinds raised by reading, syncing and serving are defined here.

Every error here is shown as one message (plus an optional hint), never as a
traceback. The command line maps them in one place (``cli.main``).
"""

from __future__ import annotations

from followup.rules.errors import FollowupError, RulesError

__all__ = [
    "EXIT_CODES",
    "Busy",
    "FollowupError",
    "MarksError",
    "RulesError",
    "ServerError",
    "SourceError",
    "SyncIncomplete",
    "UnsafeChange",
    "UsageMistake",
    "WriteError",
]


class UsageMistake(FollowupError):
    """What was typed names nothing, or more than one thing: no such interview or step, a
    missing option. The same exit code as a wrong option."""

    exit_code = 2


class SourceError(FollowupError):
    """An interview source (an .ics file, stdin, a calendar) that cannot be read."""

    exit_code = 4


class MarksError(FollowupError):
    """The file of recorded replies (``followup mark``) is damaged."""

    exit_code = 4


class ServerError(FollowupError):
    """A CalDAV server that cannot be reached, refuses us, or is not CalDAV."""

    exit_code = 5


class SyncIncomplete(FollowupError):
    """A sync in which some items failed; a re-run finishes the job."""

    exit_code = 6


class UnsafeChange(FollowupError):
    """A change refused to protect the user's data (e.g. removing every follow-up at once)."""

    exit_code = 7


class Busy(FollowupError):
    """Something followup needs is taken: the port the feed should listen on, or a lock
    held by another run of followup."""

    exit_code = 8


class WriteError(FollowupError):
    """A file that cannot be written: a missing or read-only folder, a full disk, a folder
    or a disk device where a file should go."""

    exit_code = 9


EXIT_CODES: dict[str, int] = {
    "ok": 0,
    "error": 1,
    "usage": 2,
    "rules": RulesError.exit_code,
    "source": SourceError.exit_code,
    "server": ServerError.exit_code,
    "sync-incomplete": SyncIncomplete.exit_code,
    "refused": UnsafeChange.exit_code,
    "busy": Busy.exit_code,
    "unwritable": WriteError.exit_code,
}
