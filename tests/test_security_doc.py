"""docs/security.md states the limits the code enforces: the numbers must agree."""

from __future__ import annotations

from cli.options import EARLIEST, LATEST
from cli.serve import MAX_REFRESH
from engine.config import DEFAULT_TIMEOUT
from engine.feed.server import TOKEN_BYTES
from engine.mail.replies import MAX_HEADER_BYTES
from engine.marks import LOCK_WAIT
from engine.model import MAILTO_LIMIT
from engine.pipeline import FUTURE, PAST
from engine.read.reader import MAX_ATTENDEES, MAX_BYTES
from rules.loader import MAX_DEPTH, MAX_NODES, MAX_RULES_BYTES
from rules.model import MAX_OFFSET_DAYS, MAX_OFFSET_LENGTH, MAX_PATTERN
from rules.templates import MAX_BITS, MAX_OUTPUT, MAX_STEPS, MAX_VALUE
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
    assert f"{MAX_DEPTH} levels" in row("YAML") and f"{MAX_NODES:,} values" in row("YAML")
    assert f"({MAX_OFFSET_DAYS} days), {MAX_OFFSET_LENGTH} characters" in row("an offset")
    assert f"{MAX_PATTERN} characters" in row("a pattern")
    template = row("a template render")
    assert f"{MAX_STEPS:,} steps, {MAX_OUTPUT:,} characters out" in template
    assert f"{MAX_VALUE:,} in any value, numbers of {MAX_BITS} bits" in template
    assert f"| {MAX_ATTENDEES} |" in row("attendees")
    assert f"{MAILTO_LIMIT:,} characters" in row("a `mailto:` link")
    assert f"{MAX_HEADER_BYTES // 1024} KB" in row("mail headers")


def test_the_readme_links_the_security_page() -> None:
    assert "(docs/security.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
