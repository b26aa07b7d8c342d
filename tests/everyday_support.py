"""Helpers for the everyday commands' tests: the test calendar and the command line."""

from __future__ import annotations

from dataclasses import dataclass

from click.testing import CliRunner

from followup.cli.main import main
from tests.conftest import DATA

EVERYDAY = DATA / "everyday"
SEARCH = str(EVERYDAY / "search.ics")
"""Four interviews in Europe/Berlin: ACME (timeline, highlights), Globex (no
timeline), Initech (Status: heard back) and Hooli (before the clocks change)."""


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def run(*args: str, input: str | None = None) -> Run:
    """Run ``followup ARGS`` as a person would, with stdout and stderr apart."""
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return Run(result.exit_code, result.stdout, result.stderr)
