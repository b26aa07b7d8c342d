"""``followup mail`` against an IMAP server that misbehaves: slow, huge, or malformed answers.

The faults are injected at the server (tests/imap_faults.py, a small IMAP server
over TLS on 127.0.0.1): followup runs as a user would run it, through the real
command, and must end with one message and exit code 5, in bounded time and
memory, never a traceback and never a hang.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.config import config_dir
from followup.engine.mail.imap import MAX_ANSWER, MAX_LITERAL
from followup.engine.marks import load_marks
from tests.everyday_support import run
from tests.imap_faults import Fault, FaultyServer, faulty_imap
from tests.mail_server import PASSWORD, USER
from tests.sync_support import CalendarApp, account, interview
from tests.test_mail import CALENDAR, NOW, at

pytest_plugins = ["tests.conftest_caldav"]


@pytest.fixture
def calendar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "interviews.ics"
    path.write_text(CALENDAR, newline="")
    monkeypatch.setenv("MAIL_PASSWORD", PASSWORD)
    return path


def configure(server: FaultyServer, *, deadline: float = 120, extra: str = "") -> None:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(
        f'[mail]\nhost = "localhost"\nport = {server.port}\nusername = "{USER}"\n'
        f'password_env = "MAIL_PASSWORD"\nca_file = "{server.cert}"\ntimeout = 10\n'
        f"deadline = {deadline}\n{extra}"
    )


def test_the_faulty_server_answering_honestly_gives_the_reply(calendar: Path) -> None:
    """The control for the faults below: without one, this server's mailbox holds the
    recruiter's verified reply, and followup records it."""
    with faulty_imap("none") as server:
        configure(server)
        result = run("mail", "--from", str(calendar), "--now", NOW, "--json")
    assert result.code == 0, result.err
    assert [r["interview"] for r in json.loads(result.out)["recorded"]] == ["acme@test"]
    assert server.commands[-3:] == ["UID SEARCH", "UID FETCH", "LOGOUT"]
    assert "EXAMINE" in server.commands


@pytest.mark.parametrize("fault", ["dribble", "dribble-tls"])
def test_a_server_that_answers_one_byte_every_half_second_is_cut_off_at_the_deadline(
    calendar: Path, fault: Fault
) -> None:
    """Every byte comes well within the read timeout (10 s), so only the deadline on the
    whole session (2 s here) ends it: in IMAP's answers, or already in the TLS handshake.
    The fault is injected at the server."""
    with faulty_imap(fault) as server:
        configure(server, deadline=2)
        result = run("mail", "--from", str(calendar), "--now", NOW)
    assert result.code == 5
    assert result.err.startswith(
        "followup: localhost took more than 2 s for the mail check; stopped, nothing recorded"
    )
    assert "deadline in [mail]" in result.err
    assert load_marks() == {}
    # followup hung up at its deadline, long before the server would have stopped (30 s).
    assert server.gave_up == [False]


def test_a_timers_sync_goes_on_when_the_mail_server_dribbles(
    calendar: Path, app: CalendarApp, password: str
) -> None:
    """`sync` with `[mail] check = true` looks for replies first: a mail server that
    dribbles (injected at the server) costs it the deadline, then the sync is done."""
    work, target = app.make_calendar("work"), app.make_calendar("followups")
    app.add(
        work,
        "acme",
        interview("acme@x", at(2026, 11, 23, 10, 0), notes="Recruiter: dana@acme.example"),
    )
    with faulty_imap("dribble") as server:
        configure(server, deadline=2, extra="check = true\n")
        done = CliRunner().invoke(
            main, ["sync", "--now", NOW, "--from", account(work), "--to", account(target)]
        )
    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    assert done.exit_code == 0, done.output
    assert "followup: replies not checked: localhost took more than 2 s" in done.stderr
    assert app.followups(target)  # and the follow-ups were written


def test_a_400_mb_literal_is_refused_before_it_is_read(calendar: Path) -> None:
    """The server answers the FETCH of headers with a 400 MB literal (injected at the
    server, which streams up to 8 MB of it): followup refuses it from its announced size."""
    with faulty_imap("huge-literal") as server:
        configure(server)
        result = run("mail", "--from", str(calendar), "--now", NOW)
    assert result.code == 5
    assert result.err.startswith(
        "followup: localhost sent 400,000,000 bytes where followup asked for a message's "
        f"headers (at most {MAX_LITERAL // 2**20} MB is read in one piece); stopped"
    )
    assert load_marks() == {}


def test_an_endless_answer_is_refused_at_the_cap(calendar: Path) -> None:
    """The server answers SEARCH with untagged lines that never end (injected at the
    server): followup stops reading at MAX_ANSWER bytes."""
    with faulty_imap("long-answer") as server:
        configure(server)
        result = run("mail", "--from", str(calendar), "--now", NOW)
    assert result.code == 5
    assert result.err.startswith(
        f"followup: localhost sent more than {MAX_ANSWER // 2**20} MB in one answer; stopped"
    )


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        ("bad-uidvalidity", "the answer to EXAMINE INBOX is not valid IMAP; stopped"),
        ("bad-uidnext", "the answer to EXAMINE INBOX is not valid IMAP; stopped"),
        ("bad-search", "the answer to SEARCH is not valid IMAP; stopped"),
        ("bad-uid", "the answer to SEARCH is not valid IMAP (a UID that is not a 32-bit"),
        ("bad-fetch", "the answer to FETCH is not valid IMAP; stopped"),
        ("bad-greeting", "does not answer as an IMAP server"),
    ],
)
def test_a_malformed_answer_is_one_message_never_a_traceback(
    calendar: Path, fault: Fault, said: str
) -> None:
    """Each answer is wrong in one way, injected at the server; ``run`` fails the test on
    any exception, so a traceback cannot pass for a message."""
    with faulty_imap(fault) as server:
        configure(server)
        result = run("mail", "--from", str(calendar), "--now", NOW)
    assert result.code == 5
    first, *rest = result.err.splitlines()
    assert first.startswith("followup: localhost")
    assert said in first
    assert all(line.startswith("  hint:") for line in rest)
    assert load_marks() == {}
