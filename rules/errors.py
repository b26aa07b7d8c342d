"""The errors a user can cause, with the exit code the command line gives each.

``FollowupError`` is the base every layer raises (``engine`` adds its own kinds in
``engine.errors``); it lives here because ``rules`` is the bottom layer and
imports nothing from ``engine``. Every such error is shown as one message (plus
an optional hint), never as a traceback; ``cli.main`` maps them in one place.
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


class TemplateRenderError(FollowupError):
    """A template in the rules that cannot be written out: says which rule and which interview."""

    exit_code = 3
