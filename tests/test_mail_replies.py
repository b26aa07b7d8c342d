"""Which messages stop a chain, against a real Dovecot: forged senders, shared senders, mailing
lists, look-alike domains and rebuilt mailboxes each leave the chain running.

Each test puts in the mailbox the message that a missing guard would take for
the reply, and checks it is not taken; most also hold the genuine reply, so a
guard that refused everything would fail too.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.engine.config import config_dir
from followup.engine.marks import load_marks
from tests.everyday_support import run
from tests.mail_server import PASSWORD, PROVIDER, USER, MailServer, dovecot
from tests.test_mail import NOW, at, event

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
        "Company: Globex\\nRecruiter: Globex Hiring <no-reply@greenhouse.io>",
    )
    + event(
        "umbrella@test",
        "Interview with Umbrella",
        "20261124T160000",
        "Company: Umbrella\\nRecruiter: Sam Lee <sam.umbrella@hire.lever.co>",
    )
    + event(
        "initech@test",
        "Interview with Initech",
        "20261123T110000",
        "Company: Initech\\nRecruiter: Priya Nair <priya.recruits@gmail.com>",
    )
    + "END:VCALENDAR\r\n"
)

FAILED = (
    f"{PROVIDER}; spf=fail (domain of acme.example does not designate 203.0.113.9 as "
    "permitted sender) smtp.mailfrom=dana@acme.example; dkim=none (message not signed); "
    "dmarc=fail (p=NONE) header.from=acme.example"
)
"""What the provider writes for a message From dana@acme.example sent by someone else."""


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


def configure(server: MailServer, extra: str = "") -> None:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(
        f'[mail]\nhost = "localhost"\nport = {server.port}\nusername = "{USER}"\n'
        f'password_env = "MAIL_PASSWORD"\nca_file = "{server.cert}"\ntimeout = 10\n{extra}'
    )


def check(calendar: Path) -> dict[str, object]:
    result = run("mail", "--from", str(calendar), "--now", NOW, "--json")
    assert result.code == 0, result.err
    report: dict[str, object] = json.loads(result.out)
    return report


def recorded(report: dict[str, object]) -> dict[str, str]:
    """interview -> Message-ID of the reply recorded for it."""
    return {r["interview"]: r["message_id"] for r in report["recorded"]}  # type: ignore[attr-defined]


# -- forged senders (issue 23, class 4) ----------------------------------------------------


def test_a_forged_mail_from_the_recruiters_address_is_listed_not_recorded(
    server: MailServer, calendar: Path
) -> None:
    """From says dana@acme.example, but the provider found SPF failing, no DKIM and DMARC
    failing: someone else sent it. Writing "dmarc=pass" lower down does not help."""
    configure(server)
    server.append(
        sender="Dana Smith <dana@acme.example>",
        subject="Re: Thank you - we have filled the role",
        date=at(2026, 11, 25, 16, 0),
        message_id="<forged@evil.example>",
        authentication=FAILED,
        headers={"Authentication-Results": "mx.test.example; dmarc=pass header.from=acme.example"},
    )
    result = run("mail", "--from", str(calendar), "--now", NOW)
    assert result.code == 0, result.err
    assert load_marks() == {}
    assert (
        "Interview with ACME: a message from dana@acme.example (Wed 25 Nov 2026, Re: Thank you - "
        "we have filled the role) failed your mail provider's sender checks (spf=fail, "
        "dkim=none, dmarc=fail); not recorded. If it is theirs: followup mark acme@test "
        "replied --note 'mail from dana@acme.example on 2026-11-25, unverified'"
    ) in result.out
    assert "0 new replies" in result.out

    # The command it names records it, and the chain stops.
    command = result.out.split("If it is theirs: ", 1)[1].splitlines()[0]
    accepted = run(*shlex.split(command)[1:], "--from", str(calendar), "--now", NOW)
    assert accepted.code == 0, accepted.err
    assert load_marks()["acme@test"].status == "replied"


def test_a_mail_without_the_providers_checks_is_unverified_and_listed_again_next_time(
    server: MailServer, calendar: Path
) -> None:
    configure(server)
    server.append(
        sender="dana@acme.example",
        subject="Re: Thank you",
        date=at(2026, 11, 25, 16, 0),
        message_id="<unchecked@acme.example>",
        authentication=None,
    )
    first = check(calendar)
    assert recorded(first) == {}
    [listed] = first["unverified"]  # type: ignore[misc]
    assert listed["interview"] == "acme@test"
    assert listed["sender_check"] == "unchecked"
    assert listed["evidence"] == "no Authentication-Results"
    assert listed["accept"].startswith("followup mark acme@test replied --note ")
    # Nothing is lost between runs: the next one lists it again.
    again = check(calendar)
    assert [u["message_id"] for u in again["unverified"]] == ["<unchecked@acme.example>"]  # type: ignore[attr-defined]
    assert load_marks() == {}


def test_a_verified_reply_stops_the_chain_even_after_a_forged_one(
    server: MailServer, calendar: Path
) -> None:
    configure(server)
    server.append(
        sender="dana@acme.example",
        subject="Forged",
        date=at(2026, 11, 24, 9, 0),
        message_id="<forged@evil.example>",
        authentication=FAILED,
    )
    server.append(
        sender="dana@acme.example",
        subject="Re: Thank you",
        date=at(2026, 11, 26, 9, 0),
        message_id="<real@acme.example>",
    )
    report = check(calendar)
    assert recorded(report) == {"acme@test": "<real@acme.example>"}
    assert report["unverified"] == []


def test_with_authserv_id_only_that_providers_verdict_is_believed(
    server: MailServer, calendar: Path
) -> None:
    """The sender wrote their own Authentication-Results on top, under another name; with
    [mail] authserv_id the provider's own (failing) verdict is the one read."""
    configure(server, f'authserv_id = "{PROVIDER}"\n')
    server.append(
        sender="dana@acme.example",
        subject="Re: Thank you",
        date=at(2026, 11, 25, 16, 0),
        message_id="<forged@evil.example>",
        authentication="mx.evil.example; dmarc=pass header.from=acme.example",
        headers={"Authentication-Results": FAILED},
    )
    report = check(calendar)
    assert recorded(report) == {}
    assert [u["sender_check"] for u in report["unverified"]] == ["failed"]  # type: ignore[attr-defined]


# -- shared senders: applicant-tracking systems and free mail --------------------------------


def test_an_applicant_tracking_systems_sender_is_never_one_companys_reply(
    server: MailServer, calendar: Path
) -> None:
    """Globex's invite came from Greenhouse's no-reply and Umbrella's recruiter writes from
    Lever; Greenhouse and Lever send for every company, here for ACME."""
    configure(server)
    for sender, message_id in [
        ("Greenhouse <no-reply@greenhouse.io>", "<acme-via-greenhouse@greenhouse.io>"),
        ("ACME via Lever <no-reply@hire.lever.co>", "<acme-via-lever@hire.lever.co>"),
    ]:
        server.append(
            sender=sender,
            subject="Your interview with ACME is confirmed",
            date=at(2026, 11, 27, 9, 0),
            message_id=message_id,
        )
    server.append(
        sender="Sam Lee <sam.umbrella@hire.lever.co>",
        subject="Re: Thank you",
        date=at(2026, 11, 28, 9, 0),
        message_id="<sam@hire.lever.co>",
    )
    report = check(calendar)
    assert recorded(report) == {"umbrella@test": "<sam@hire.lever.co>"}
    assert report["unverified"] == []
    assert "globex@test" in report["no_recruiter_email"]  # type: ignore[operator]
    said = run("mail", "--from", str(calendar), "--now", NOW, "--dry-run").out
    # The invite's organizer is Greenhouse's robot, which is no recruiter: nothing to match.
    assert "Interview with Globex: no recruiter email in the event, so no reply can be " in said


def test_a_free_mail_domain_is_never_taken_for_the_companys(
    server: MailServer, calendar: Path
) -> None:
    """Initech's recruiter writes from Gmail: anyone else at gmail.com is no one from Initech,
    and only her own address counts."""
    configure(server)
    server.append(
        sender="Someone Else <someone.else@gmail.com>",
        subject="Re: Thank you",
        date=at(2026, 11, 25, 9, 0),
        message_id="<stranger@gmail.com>",
    )
    assert recorded(check(calendar)) == {}
    server.append(
        sender="Priya Nair <priya.recruits@gmail.com>",
        subject="Re: Thank you",
        date=at(2026, 11, 26, 9, 0),
        message_id="<priya@gmail.com>",
    )
    assert recorded(check(calendar)) == {"initech@test": "<priya@gmail.com>"}


# -- mailing lists and look-alike domains (issue 30) ----------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        {"List-Id": "ACME News <news.acme.example>"},
        {"List-Unsubscribe": "<https://acme.example/unsubscribe?u=1>"},
        {"Precedence": "bulk"},
    ],
    ids=["list-id", "list-unsubscribe", "precedence-bulk"],
)
def test_a_company_newsletter_is_no_reply(
    server: MailServer, calendar: Path, header: dict[str, str]
) -> None:
    """One mark of a mailing list at a time, on a message from the company's own domain that
    passes every check: each alone keeps it from counting."""
    configure(server)
    server.append(
        sender="ACME News <news@acme.example>",
        subject="This month at ACME",
        date=at(2026, 11, 25, 9, 0),
        message_id="<newsletter@acme.example>",
        headers=header,
    )
    report = check(calendar)
    assert recorded(report) == {}
    assert report["unverified"] == []


def test_a_look_alike_domain_is_not_the_companys_but_a_subdomain_is(
    server: MailServer, calendar: Path
) -> None:
    """Dovecot's SEARCH FROM matches "acme.example" inside any address: the domains must be
    compared on label boundaries. The look-alikes come first, so taking one would show."""
    configure(server)
    for sender, day in [
        ("dana@notacme.example", 21),
        ("dana@acme.example.evil.net", 22),
        ("dana@xacme.example", 23),
    ]:
        server.append(
            sender=sender,
            subject="Re: Thank you",
            date=at(2026, 11, day, 9, 0),
            message_id=f"<look-alike-{day}@example.net>",
        )
    server.append(
        sender="Lee <lee@careers.acme.example>",
        subject="Next steps",
        date=at(2026, 11, 24, 9, 0),
        message_id="<colleague@careers.acme.example>",
    )
    report = check(calendar)
    assert recorded(report) == {"acme@test": "<colleague@careers.acme.example>"}


# -- a rebuilt mailbox (issue 30) ------------------------------------------------------------


def test_a_rebuilt_mailbox_is_searched_again_not_trusted(
    server: MailServer, calendar: Path
) -> None:
    """After a run, the folder is rebuilt (a new UIDVALIDITY; UIDs start at 1 again) and the
    reply lands at a UID the checkpoint has seen already: only a full search finds it."""
    server.create("Replies")
    configure(server, 'folders = ["Replies"]\n')
    for n in range(3):
        server.append(
            sender=f"news{n}@unrelated.example",
            subject="Offers",
            date=at(2026, 11, 21 + n, 9, 0),
            message_id=f"<unrelated-{n}@example.net>",
            folder="Replies",
        )
    assert recorded(check(calendar)) == {}
    validity = server.uidvalidity("Replies")

    server.recreate("Replies")
    server.append(
        sender="dana@acme.example",
        subject="Re: Thank you",
        date=at(2026, 11, 25, 16, 0),
        message_id="<after-rebuild@acme.example>",
        folder="Replies",
    )
    assert server.uidvalidity("Replies") != validity
    assert recorded(check(calendar)) == {"acme@test": "<after-rebuild@acme.example>"}


def test_headers_longer_than_followup_reads_are_read_in_part_and_said(
    server: MailServer, calendar: Path
) -> None:
    """The sender padded the message with 70 KB of its own Authentication-Results: Dovecot
    sends the first 64 KB asked for, the reply is still found, and the cut is said."""
    configure(server)
    padding = "\r\n ".join(["mx.evil.example; dkim=none"] + ["dkim=none;"] * 7000)
    server.append(
        sender="dana@acme.example",
        subject="Re: Thank you",
        date=at(2026, 11, 25, 16, 0),
        message_id="<padded@acme.example>",
        headers={"Authentication-Results": padding},
    )
    result = run("mail", "--from", str(calendar), "--now", NOW)
    assert result.code == 0, result.err
    assert "Interview with ACME: recorded as replied" in result.out
    assert (
        "1 message had more than 64 KB of the headers followup reads; only the first 64 KB "
        "was looked at."
    ) in result.out
