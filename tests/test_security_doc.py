"""docs/security.md states the limits the code enforces: the numbers must agree."""

from __future__ import annotations

from followup.cli.options import EARLIEST, LATEST
from followup.cli.serve import MAX_REFRESH
from followup.engine.caldav import state
from followup.engine.config import DEFAULT_TIMEOUT
from followup.engine.dav import bounded
from followup.engine.feed.server import CONNECTION_LIMIT, HEADER_DEADLINE, TOKEN_BYTES, WAITING_CAP
from followup.engine.mail.replies import MAX_HEADER_BYTES
from followup.engine.marks import LOCK_WAIT
from followup.engine.model import MAILTO_LIMIT
from followup.engine.pipeline import FUTURE, PAST
from followup.engine.read.reader import (
    MAX_ATTENDEES,
    MAX_BYTES,
    MAX_INTERVIEWS,
    MAX_LINE,
    MAX_PER_SERIES,
)
from followup.engine.read.reader import MAX_STEPS as MAX_SERIES_STEPS
from followup.engine.read.scan import MAX_REPAIRS
from followup.engine.sources import link
from followup.engine.sources.archive import MAX_DIRECTORY, MAX_EXTRA, MAX_MEMBERS
from followup.rules.loader import MAX_DEPTH, MAX_NODES, MAX_RULES_BYTES
from followup.rules.model import MAX_OFFSET_DAYS, MAX_OFFSET_LENGTH, MAX_PATTERN
from followup.rules.templates import MAX_BITS, MAX_OUTPUT, MAX_STEPS, MAX_VALUE
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")


def row(name: str) -> str:
    """The table row whose first cell starts with ``name``."""
    return next(line for line in DOC.splitlines() if line.startswith(f"| {name}"))


def test_the_limits_table_gives_the_numbers_in_the_code() -> None:
    assert f"{MAX_BYTES // 2**20} MB" in row("a calendar file")
    assert f"years {EARLIEST.year} to {LATEST.year - 1}" in row("`--now`, `--since`")
    assert f"{MAX_REPAIRS} read with a warning" in row("END lines that do not match")
    assert f"{PAST.days} days back" in row("planning window")
    assert f"{FUTURE.days} days ahead" in row("planning window")
    assert f"{MAX_RULES_BYTES:,} bytes" in row("a rules file")
    assert f"{MAX_REFRESH.days} days" in row("`serve --refresh`")
    assert f"{TOKEN_BYTES} random bytes" in row("feed token")
    assert f"{DEFAULT_TIMEOUT:g} s" in row("CalDAV requests")
    assert f"{LOCK_WAIT:g} s" in row("waiting for another `followup mark`")
    assert f"{MAX_DEPTH} levels" in row("YAML") and f"{MAX_NODES:,} values" in row("YAML")
    assert f"({MAX_OFFSET_DAYS} days), {MAX_OFFSET_LENGTH} characters" in row("an offset")
    assert f"{MAX_PATTERN} characters" in row("a pattern")
    template = row("a template render")
    assert f"{MAX_STEPS:,} steps, {MAX_OUTPUT:,} characters out" in template
    assert f"{MAX_VALUE:,} in any value, numbers of {MAX_BITS} bits" in template
    assert f"| {MAX_ATTENDEES} |" in row("attendees")
    assert f"{MAILTO_LIMIT:,} characters" in row("a `mailto:` link")
    assert f"{MAX_HEADER_BYTES // 1024} KB" in row("mail headers")


def test_the_limits_on_calendars_links_and_servers_are_the_numbers_in_the_code() -> None:
    assert f"{MAX_PER_SERIES:,}, then" in row("occurrences of one")
    assert f"{MAX_SERIES_STEPS:,}, else" in row("steps to expand")
    assert f"| {MAX_INTERVIEWS:,} |" in row("interviews in one file")
    assert f"{MAX_LINE:,} characters read" in row("one content line")
    limits = link.Limits()
    assert (
        f"{limits.max_bytes // 2**20} MB (decompressed, streamed), {limits.timeout:g} s per "
        f"read, {limits.deadline:g} s in all, {link.MAX_REDIRECTS} redirects"
    ) in row("an .ics link")
    assert f"{MAX_MEMBERS} members" in row("a ZIP export")
    assert f"extra fields of at most {MAX_EXTRA:,} bytes" in row("a ZIP export")
    assert f"a directory of {MAX_DIRECTORY // 2**20} MB" in row("a ZIP export")
    answers = bounded.Limits()
    assert f"{answers.answer_bytes // 2**20} MB decoded, {answers.per_run / 60:g} minutes" in (
        row("a CalDAV answer")
    )
    assert (
        f"{HEADER_DEADLINE:g} s to send the headers, {WAITING_CAP} waiting, "
        f"{CONNECTION_LIMIT} connections"
    ) in row("feed clients")
    assert f"{state.LOCK_WAIT:g} s, then exit code 8" in row("waiting for another `followup sync`")


def test_the_readme_links_the_security_page() -> None:
    assert "(docs/security.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_limits_on_mail_are_the_numbers_in_the_code() -> None:
    from followup.engine.config import MAIL_DEADLINE
    from followup.engine.mail import authres, imap

    assert f"{MAX_HEADER_BYTES // 1024} KB a message" in row("mail headers")
    assert f"{MAIL_DEADLINE:g} s for the whole session" in row("a mail check")
    answers = row("IMAP answers")
    assert f"a literal of {imap.MAX_LITERAL // 2**20} MB" in answers
    assert f"{imap.MAX_ANSWER // 2**20} MB in one answer" in answers
    assert f"lines of {imap.MAX_LINE:,} bytes" in answers
    assert (
        f"{authres.MAX_RESULTS_HEADERS} headers a message, {authres.MAX_RESULTS_CHARS:,} "
        f"characters and {authres.MAX_RESULTS} results each"
    ) in row("Authentication-Results")


def test_the_limits_added_for_hostile_input_are_the_numbers_in_the_code() -> None:
    from followup.engine.caldav import quiet
    from followup.engine.mail import imap
    from followup.engine.read import facts, language, timewords
    from followup.engine.read.reader import MAX_NOTED
    from followup.engine.rules_cache import MAX_CACHE_BYTES
    from followup.rules.loader import MAX_PROBLEMS
    from followup.rules.templates import MAX_WIDTH

    assert f"| {facts.MAX_PEOPLE} |" in row("interviewers of one interview")
    read = row("text read for facts")
    assert f"a title up to {facts.MAX_TITLE} characters" in read
    assert f"a line of notes up to {facts.MAX_LINE:,}" in read
    assert f"a timeline up to {timewords.MAX_TEXT}" in read
    assert f"{language.MAX_TEXT:,} to tell the language" in read
    assert f"{MAX_NOTED} shown" in row("warnings about single events")
    assert f"{MAX_PROBLEMS} at once" in row("mistakes reported")
    assert f"| {MAX_WIDTH:,} |" in row("a width or precision")
    assert f"{MAX_CACHE_BYTES // 10**6} MB an entry" in row("the rules cache")
    check = row("the quiet check")
    assert f"{quiet.MAX_WAIT:g} s a calendar, an answer of {quiet.MAX_ANSWER // 1024} KB" in check
    assert f"a note of {quiet.MAX_NOTE // 2**20} MB" in check
    assert imap.MAX_UID == 2**32 - 1 and "of 32 bits" in row("IMAP answers")
