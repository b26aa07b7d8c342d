"""docs/security.md states the limits the code enforces: the numbers must agree."""

from __future__ import annotations

from cli.options import EARLIEST, LATEST
from cli.serve import MAX_REFRESH
from engine.config import DEFAULT_TIMEOUT
from engine.feed.server import TOKEN_BYTES
from engine.marks import LOCK_WAIT
from engine.pipeline import FUTURE, PAST
from engine.read.reader import MAX_BYTES
from rules.loader import MAX_RULES_BYTES
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")


def row(name: str) -> str:
    """The table row whose first cell starts with ``name``."""
    return next(line for line in DOC.splitlines() if line.startswith(f"| {name}"))


def test_the_limits_table_gives_the_numbers_in_the_code() -> None:
    assert f"{MAX_BYTES // 2**20} MB" in row("a calendar file")
    assert f"years {EARLIEST.year} to {LATEST.year - 1}" in row("`--now`, `--since`")
    assert f"{PAST.days} days back" in row("planning window")
    assert f"{FUTURE.days} days ahead" in row("planning window")
    assert f"{MAX_RULES_BYTES:,} bytes" in row("a rules file")
    assert f"{MAX_REFRESH.days} days" in row("`serve --refresh`")
    assert f"{TOKEN_BYTES} random bytes" in row("feed token")
    assert f"{DEFAULT_TIMEOUT:g} s" in row("CalDAV requests")
    assert f"{LOCK_WAIT:g} s" in row("waiting for another")


def test_the_readme_links_the_security_page() -> None:
    assert "(docs/security.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
