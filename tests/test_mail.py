"""``followup mail`` against a real Dovecot: replies stop chains, the mailbox is never touched."""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.config import config_dir
from followup.engine.marks import load_marks
from tests.everyday_support import run
from tests.mail_server import (
    OTHER_TOKEN,
    PASSWORD,
    TOKEN,
    USER,
    MailServer,
    TokenChecker,
    dovecot,
    token_checker,
)
from tests.sync_support import CalendarApp, account, interview

pytest_plugins = ["tests.conftest_caldav"]

BERLIN = ZoneInfo("Europe/Berlin")
NOW = "2026-12-01T09:00"


def event(uid: str, summary: str, start: str, notes: str) -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART;TZID=Europe/Berlin:{start}\r\nDURATION:PT1H\r\n"
        f"SUMMARY:{summary}\r\nDESCRIPTION:{notes}\r\nEND:VEVENT\r\n"
    )


CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    + event(
        "acme@test",
        "Interview with ACME",
        "20261120T100000",
        "Company: ACME\\nRecruiter: Dana Smith <dana@acme.example>",
    )
    + event(
        "globex@test",
        "Interview with Globex",
        "20261124T140000",
        "Company: Globex\\nRecruiter: sam@globex.example",
    )
    + event(
        "initech@test",
        "Interview with Initech",
        "20261123T110000",
        "Company: Initech\\nRecruiter: Priya Nair <priya@initech.example>",
    )
    + event("hooli@test", "Interview with Hooli", "20261125T090000", "Company: Hooli")
    + "END:VCALENDAR\r\n"
)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


@pytest.fixture
def server() -> Iterator[MailServer]:
    with dovecot() as running:
        yield running


@pytest.fixture
def calendar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "interviews.ics"
    path.write_text(CALENDAR, newline="")
    monkeypatch.setenv("MAIL_PASSWORD", PASSWORD)
    return path


def configure(server_port: int, *, ca_file: Path | None, timeout: float = 10) -> None:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    ca = f'ca_file = "{ca_file}"\n' if ca_file else ""
    (folder / "config.toml").write_text(
        f'[mail]\nhost = "localhost"\nport = {server_port}\nusername = "{USER}"\n'
        f'password_env = "MAIL_PASSWORD"\ntimeout = {timeout}\n{ca}'
    )


def fill(server: MailServer) -> None:
    """The recruiter's reply, a colleague's, and every kind of message that is no reply."""
    server.append(
        sender="Dana Smith <dana@acme.example>",
        subject="Re: Thank you",
        date=at(2026, 11, 25, 16, 0),
        message_id="<reply-acme@acme.example>",
    )
    server.append(
        sender="Globex Talent <jobs@globex.example>",
        subject="Your application at Globex",
        date=at(2026, 11, 27, 9, 30),
        message_id="<colleague@globex.example>",
    )
    server.append(
        sender="Priya Nair <priya@initech.example>",
        subject="Automatic reply: Thank you",
        date=at(2026, 11, 24, 9, 0),
        message_id="<ooo@initech.example>",
        headers={"Auto-Submitted": "auto-replied"},
    )
    server.append(
        sender="Priya Nair <priya@initech.example>",
        subject="Looking forward to our chat",
        date=at(2026, 11, 22, 12, 0),
        message_id="<before@initech.example>",
    )
    server.append(
        sender='"Priya Nair (Initech)" <priya@initech-careers.example>',
        subject="Re: Thank you",
        date=at(2026, 11, 26, 12, 0),
        message_id="<forged@initech-careers.example>",
    )
    server.append(
        sender="Bob <bob@hooli-partner.example>",
        subject="Re: interview",
        date=at(2026, 11, 28, 12, 0),
        message_id="<other-company@example>",
        flags="\\Flagged",
    )


def test_only_real_replies_stop_a_chain_and_the_mailbox_is_left_as_it_was(
    server: MailServer, calendar: Path
) -> None:
    configure(server.port, ca_file=server.cert)
    fill(server)
    before, flags = server.snapshot(), server.flags()
    assert len(before) == 6

    result = run("mail", "--from", str(calendar), "--now", NOW, "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert {r["interview"] for r in report["recorded"]} == {"acme@test", "globex@test"}
    assert report["format"] == 1  # docs/json.md
    assert report["no_recruiter_email"] == ["hooli@test"]

    marks = load_marks()
    assert set(marks) == {"acme@test", "globex@test"}
    assert marks["acme@test"].status == "replied"
    assert "<reply-acme@acme.example>" in (marks["acme@test"].note or "")
    assert "dana@acme.example" in (marks["acme@test"].note or "")
    # Read-only: the same files (Maildir keeps flags in the names), the same flags.
    assert server.snapshot() == before
    assert server.flags() == flags

    planned = run("plan", "--from", str(calendar), "--now", NOW, "--until", "2027-01-31")
    acme = planned.out.split("Interview with ACME", 1)[1].split("\n\n", 1)[0]
    assert "Check in with" not in acme
    assert "the status is replied" in acme
    initech = planned.out.split("Interview with Initech", 1)[1].split("\n\n", 1)[0]
    assert "Check in with Initech" in initech


def test_a_second_run_with_nothing_new_only_examines_the_folder(
    server: MailServer, calendar: Path
) -> None:
    configure(server.port, ca_file=server.cert)
    fill(server)
    first = json.loads(run("mail", "--from", str(calendar), "--now", NOW, "--json").out)
    assert first["imap_commands"] <= 4
    again = run("mail", "--from", str(calendar), "--now", NOW, "--json")
    second = json.loads(again.out)
    assert second["recorded"] == []
    assert second["imap_commands"] == 1  # EXAMINE INBOX: nothing arrived since


def test_undoing_a_found_reply_sticks_until_a_new_message_arrives(
    server: MailServer, calendar: Path
) -> None:
    configure(server.port, ca_file=server.cert)
    fill(server)
    run("mail", "--from", str(calendar), "--now", NOW)
    assert run("mark", "acme@test", "pending", "--from", str(calendar), "--now", NOW).code == 0
    again = run("mail", "--from", str(calendar), "--now", NOW)
    assert again.code == 0, again.err
    assert "acme@test" not in load_marks()
    server.append(
        sender="dana@acme.example",
        subject="Next steps",
        date=at(2026, 11, 30, 10, 0),
        message_id="<next@acme.example>",
    )
    third = run("mail", "--from", str(calendar), "--now", NOW)
    assert "Interview with ACME: recorded as replied" in third.out
    assert "<next@acme.example>" in (load_marks()["acme@test"].note or "")


def test_dry_run_records_nothing(server: MailServer, calendar: Path) -> None:
    configure(server.port, ca_file=server.cert)
    fill(server)
    result = run("mail", "--from", str(calendar), "--now", NOW, "--dry-run")
    assert result.code == 0, result.err
    assert "Interview with ACME: would record as replied (dana@acme.example" in result.out
    assert load_marks() == {}


@pytest.fixture
def oauth() -> Iterator[tuple[MailServer, TokenChecker]]:
    """Dovecot taking OAuth2 tokens, checked by an introspection endpoint on 127.0.0.1."""
    with token_checker() as checker, dovecot(introspection_url=checker.url) as running:
        yield running, checker


def configure_oauth2(server: MailServer, token: str, *, password_too: bool = False) -> None:
    """[mail] with an oauth2_command that prints ``token`` (and, if asked, a password too)."""
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    command = json.dumps([sys.executable, "-c", f"print({token!r})"])
    password = 'password_env = "MAIL_PASSWORD"\n' if password_too else ""
    (folder / "config.toml").write_text(
        f'[mail]\nhost = "localhost"\nport = {server.port}\nusername = "{USER}"\n'
        f'oauth2_command = {command}\n{password}ca_file = "{server.cert}"\ntimeout = 10\n'
    )


def test_an_oauth2_token_from_the_command_logs_in_and_the_reply_stops_the_chain(
    oauth: tuple[MailServer, TokenChecker], calendar: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, checker = oauth
    monkeypatch.delenv("MAIL_PASSWORD")
    configure_oauth2(server, TOKEN)
    fill(server)

    result = run("mail", "--from", str(calendar), "--now", NOW)
    assert result.code == 0, result.err
    assert "Interview with ACME: recorded as replied" in result.out
    assert checker.asked == [TOKEN]  # Dovecot checked the token, once: it was XOAUTH2
    assert TOKEN not in result.out + result.err
    assert load_marks()["acme@test"].status == "replied"

    planned = run("plan", "--from", str(calendar), "--now", NOW, "--until", "2027-01-31")
    acme = planned.out.split("Interview with ACME", 1)[1].split("\n\n", 1)[0]
    assert "Check in with" not in acme
    assert "the status is replied" in acme


def test_a_token_the_provider_calls_inactive_is_one_message_and_no_password_is_tried(
    oauth: tuple[MailServer, TokenChecker], calendar: Path
) -> None:
    """The right password is at hand too (MAIL_PASSWORD, password_env): had followup
    fallen back to it, Dovecot would have let it in and the run would succeed."""
    server, checker = oauth
    expired = "ya29.expired-access-token"
    configure_oauth2(server, expired, password_too=True)

    result = run("mail", "--from", str(calendar), "--now", NOW)
    assert result.code == 5
    assert result.err.startswith(f"followup: localhost refused the OAuth2 access token for {USER}")
    assert "oauth2_command" in result.err
    assert checker.asked == [expired]
    assert expired not in result.out + result.err
    assert PASSWORD not in result.out + result.err
    assert load_marks() == {}


def test_a_token_for_another_account_is_refused(
    oauth: tuple[MailServer, TokenChecker], calendar: Path
) -> None:
    """The provider calls the token active, but for sam@example.org, not the username in
    [mail]: Dovecot must not let it into jo's mailbox."""
    server, checker = oauth
    configure_oauth2(server, OTHER_TOKEN)
    fill(server)
    result = run("mail", "--from", str(calendar), "--now", NOW)
    assert result.code == 5
    assert f"refused the OAuth2 access token for {USER}" in result.err
    assert checker.asked == [OTHER_TOKEN]
    assert OTHER_TOKEN not in result.out + result.err
    assert load_marks() == {}


def test_a_wrong_password_is_one_message_with_exit_code_5(
    server: MailServer, calendar: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(server.port, ca_file=server.cert)
    monkeypatch.setenv("MAIL_PASSWORD", "wrong")
    result = run("mail", "--from", str(calendar), "--now", NOW)
    assert result.code == 5
    assert result.err.startswith(
        f"followup: localhost refused the user name or password for {USER}"
    )


def test_a_certificate_that_does_not_verify_is_refused(server: MailServer, calendar: Path) -> None:
    configure(server.port, ca_file=None)
    result = run("mail", "--from", str(calendar), "--now", NOW)
    assert result.code == 5
    assert "certificate could not be verified" in result.err
    assert load_marks() == {}


def test_an_unreachable_server_is_one_message(calendar: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    configure(port, ca_file=None)
    result = run("mail", "--from", str(calendar), "--now", NOW)
    assert result.code == 5
    assert f"cannot reach the mail server localhost:{port}" in result.err


def test_a_server_that_stalls_times_out_with_one_message(calendar: Path) -> None:
    """A socket that accepts connections and never says a word (the fault is the server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        configure(listener.getsockname()[1], ca_file=None, timeout=1)
        result = run("mail", "--from", str(calendar), "--now", NOW)
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()
    assert result.code == 5
    assert "no answer within the timeout" in result.err


def test_mail_without_a_mail_section_says_how_to_set_it_up(calendar: Path) -> None:
    result = run("mail", "--from", str(calendar), "--now", NOW)
    assert result.code == 2
    assert "there is no [mail] section" in result.err


def test_sync_looks_for_replies_first_when_the_config_says_so(
    server: MailServer, app: CalendarApp, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAIL_PASSWORD", PASSWORD)
    configure(server.port, ca_file=server.cert)
    path = config_dir() / "config.toml"
    path.write_text(path.read_text() + "check = true\n")
    work, target = app.make_calendar("work"), app.make_calendar("followups")
    app.add(
        work,
        "acme",
        interview("acme@x", at(2026, 11, 23, 10, 0), notes="Recruiter: dana@acme.example"),
    )
    server.append(
        sender="dana@acme.example",
        subject="Re: Thank you",
        date=at(2026, 11, 25, 16, 0),
        message_id="<reply@acme.example>",
    )
    sync = ["sync", "--now", NOW, "--from", account(work), "--to", account(target)]

    tried = CliRunner().invoke(main, [*sync, "--dry-run"])
    assert tried.exit_code == 0, tried.output
    assert "Interview with ACME: dana@acme.example replied; would stop its follow-ups." in (
        tried.stderr
    )
    assert load_marks() == {}

    done = CliRunner().invoke(main, [*sync, "--json"])
    assert done.exit_code == 0, done.output
    assert load_marks()["acme@x"].status == "replied"
    titles = [item["title"] for item in json.loads(done.stdout)["created"]]
    assert titles and not any("Check in" in title for title in titles)


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"[" * 100_000, b'["a list"]', b'{"version": 1, "folders": {"INBOX": 3}}'],
)
def test_a_damaged_checkpoint_means_a_full_search_never_a_traceback(
    tmp_path: Path, content: bytes
) -> None:
    from followup.engine.mail.check import Checkpoint, load_checkpoint

    path = tmp_path / "checkpoint.json"
    path.write_bytes(content)

    assert load_checkpoint(path) == Checkpoint()


@pytest.mark.machine_zone("UTC")
def test_mail_reads_now_without_an_offset_where_the_plan_is_made(
    server: MailServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # timezone: local on a computer set to UTC plans in the interviews' zone (Berlin): at
    # 10:00 there the 10:30 interview has not begun, so no reply to it is looked for yet;
    # at 10:00 UTC (11:00 in Berlin) it has.
    path = tmp_path / "today.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + event(
            "acme@test",
            "Interview with ACME",
            "20261203T103000",
            "Company: ACME\\nRecruiter: Dana Smith <dana@acme.example>",
        )
        + "END:VCALENDAR\r\n",
        newline="",
    )
    monkeypatch.setenv("MAIL_PASSWORD", PASSWORD)
    configure(server.port, ca_file=server.cert)

    def watched(now: str) -> int:
        result = run("mail", "--from", str(path), "--now", now, "--json", "--dry-run")
        assert result.code == 0, result.err
        count: int = json.loads(result.out)["watched"]
        return count

    assert watched("2026-12-03T10:00") == 0
    assert watched("2026-12-03T10:00Z") == 1
