"""Errors a user can cause, each with the exit code the command line gives it.

Every error here is shown as one message (plus an optional hint), never as a
traceback. The command line maps them in one place (``cli.main``).
"""

from __future__ import annotations


class FollowupError(Exception):
    """A problem the user can fix; ``str(err)`` is the message shown to them."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class RulesError(FollowupError):
    """A rules file that cannot be read: names the file, line and column."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        where = path or "<rules>"
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}", hint=hint)
        self.path = path
        self.line = line
        self.column = column
        self.detail = message


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


EXIT_CODES: dict[str, int] = {
    "ok": 0,
    "error": 1,
    "usage": 2,
    "rules": RulesError.exit_code,
    "source": SourceError.exit_code,
    "server": ServerError.exit_code,
    "sync-incomplete": SyncIncomplete.exit_code,
    "refused": UnsafeChange.exit_code,
}
