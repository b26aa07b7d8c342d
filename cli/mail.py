"""``followup mail``: stop a chain when the recruiter has written back."""

from __future__ import annotations

import logging
import shlex
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import click

from followup.cli.options import Job, job_options, json_option, make_job
from followup.cli.terminal import echo, one_line
from followup.engine.config import Config
from followup.engine.mail.check import MailReport
from followup.engine.mail.replies import Reply
from followup.engine.model import Interview
from followup.engine.questions import argument
from followup.engine.sources import Source
from followup.engine.write.text import json_text
from followup.rules.model import RuleSet

MAIL_EVERY = timedelta(minutes=15)
"""How often `serve` looks for replies."""


@click.command(short_help="Find recruiters' replies in your mailbox and stop their chains.")
@job_options
@click.option("--dry-run", is_flag=True, help="Say what was found; record nothing.")
@json_option
def mail(
    source: str | None,
    rules_path: Path | None,
    now_text: str | None,
    since_text: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Look in your mailbox for replies from recruiters, and stop those chains.

    For each interview still waiting for an answer, followup looks for a
    message from the recruiter's address (or the company's domain) received
    after the interview began. A reply found is recorded like `followup mark
    INTERVIEW replied`, with a note naming the message; `followup mark
    INTERVIEW pending` undoes it. Out-of-office, mailing lists and other
    automatic answers do not count, nor does a message your mail provider
    could not verify came from that address (SPF, DKIM, DMARC): it is listed
    with the command that accepts it. The mailbox is opened read-only: nothing is marked as read,
    moved or changed, and no message body is fetched. Set it up in the
    [mail] section of the config file (docs/mail.md).

    \b
    Examples:
      followup mail --dry-run
      followup mail --from calendar.ics --json
    """
    from followup.engine.config import ConfigError, config_path, load_config, mail_settings
    from followup.engine.mail.check import check_mail
    from followup.engine.pipeline import interviews_from

    config = load_config()
    settings = mail_settings(config)
    if settings is None:
        raise ConfigError(
            f"{config_path()}: there is no [mail] section",
            hint="add host, username and a password or token command (docs/mail.md)",
        )
    job = make_job(source, rules_path, now_text, since_text)
    reading = interviews_from(job.require_source(), rules=job.rules, now=job.now, window=job.window)
    report = check_mail(settings, reading.events, job.planning_now(reading), dry_run=dry_run)
    if as_json:
        click.echo(report_json(report), nl=False)
    else:
        echo(report_text(report), nl=False)


def report_text(report: MailReport) -> str:
    verb = "would record" if report.dry_run else "recorded"
    lines = []
    for reply in report.replies:
        lines.append(
            f"{reply.interview.summary}: {verb} as replied ({reply.message.sender}, "
            f"{reply.message.received:%a %d %b %Y}, {reply.message.subject or '(no subject)'})"
        )
    for reply in report.already:
        lines.append(
            f"{reply.interview.summary}: the reply of {reply.message.received:%d %b} was "
            "recorded before; left as you have it"
        )
    for reply in report.unverified:
        lines.append(unverified_text(reply))
    for interview in report.unknown:
        lines.append(unknown_text(interview))
    if report.cut:
        from followup.engine.mail.replies import MAX_HEADER_BYTES

        lines.append(
            f"{report.cut} message{'s' if report.cut != 1 else ''} had more than "
            f"{MAX_HEADER_BYTES // 1024} KB of the headers followup reads; only the first "
            f"{MAX_HEADER_BYTES // 1024} KB {'were' if report.cut != 1 else 'was'} looked at."
        )
    found = len(report.replies)
    lines.append(
        f"Looked for replies to {report.watched} interview{'s' if report.watched != 1 else ''}: "
        f"{found} new repl{'ies' if found != 1 else 'y'} ({report.commands} IMAP commands)."
    )
    return "\n".join(one_line(line) for line in lines) + "\n"  # a title adds no line


def unknown_text(interview: Interview) -> str:
    """Why no reply can be recognised for this interview, and what to add."""
    address = interview.facts.recruiter_email
    if address:
        return (
            f"{interview.summary}: {address} is a scheduling system's shared address, "
            "which writes for every company, so no reply can be recognised (add the "
            "recruiter's own address, 'Recruiter: name <email>', to its notes)"
        )
    return (
        f"{interview.summary}: no recruiter email in the event, so no reply can be "
        "recognised (add 'Recruiter: name <email>' to its notes)"
    )


def accept_command(reply: Reply) -> str:
    """The one command that records an unverified message as the reply."""
    note = f"mail from {reply.message.sender} on {reply.message.received:%Y-%m-%d}, unverified"
    key = reply.interview.key
    if key.startswith("-"):  # a key read as an option: the options first, then `--` and it
        return f"followup mark --note {shlex.quote(note)} {argument(key)} replied"
    return f"followup mark {shlex.quote(key)} replied --note {shlex.quote(note)}"


def unverified_text(reply: Reply) -> str:
    check = reply.message.check
    why = (
        f"failed your mail provider's sender checks ({check.evidence})"
        if check.verdict == "failed"
        else f"is not verified by your mail provider ({check.evidence})"
    )
    return (
        f"{reply.interview.summary}: a message from {reply.message.sender} "
        f"({reply.message.received:%a %d %b %Y}, {reply.message.subject or '(no subject)'}) "
        f"{why}; not recorded. If it is theirs: {accept_command(reply)}"
    )


def report_json(report: MailReport) -> str:
    def reply(r: Reply) -> dict[str, str]:
        return {
            "interview": r.interview.key,
            "title": r.interview.summary,
            "from": r.message.sender,
            "date": r.message.received.isoformat(),
            "subject": r.message.subject,
            "message_id": r.message.message_id,
            "sender_check": r.message.check.verdict,
            "evidence": r.message.check.evidence,
        }

    data = {
        "dry_run": report.dry_run,
        "watched": report.watched,
        "recorded": [reply(r) for r in report.replies],
        "recorded_before": [reply(r) for r in report.already],
        "unverified": [reply(r) | {"accept": accept_command(r)} for r in report.unverified],
        "no_recruiter_email": [iv.key for iv in report.unknown],
        "imap_commands": report.commands,
        "headers_cut": report.cut,
    }
    return json_text(data)


def check_first(job: Job, source: Source, config: Config, *, dry_run: bool) -> None:
    """The mail check that `sync` runs first when [mail] says check = true, on the
    interviews in ``source``.

    Its findings are one line on stderr; a mail server that cannot be reached is
    said there too and does not stop the sync (the next run looks again).
    """
    from followup.engine.errors import ServerError
    from followup.engine.mail.check import check_mail
    from followup.engine.pipeline import interviews_from

    if config.mail is None or not config.mail.check:
        return
    from followup.engine.config import mail_settings

    settings = mail_settings(config)
    assert settings is not None
    reading = interviews_from(source, rules=job.rules, now=job.now, window=job.window)
    try:
        report = check_mail(settings, reading.events, job.planning_now(reading), dry_run=dry_run)
    except ServerError as err:
        echo(f"followup: replies not checked: {err.message}", err=True)
        return
    for reply in report.replies:
        verb = "would stop" if dry_run else "stopped"
        echo(
            one_line(f"{reply.interview.summary}: {reply.message.sender} replied; {verb} its "
                     "follow-ups."),
            err=True,
        )  # fmt: skip
    for reply in report.unverified:
        echo(one_line(unverified_text(reply)), err=True)


def watch_mail(
    source: Source,
    rules: RuleSet,
    clock: Callable[[], datetime],
    config: Config,
    stop: threading.Event,
    every: timedelta = MAIL_EVERY,
) -> threading.Thread | None:
    """While `serve` runs: look for replies at start and every ``every``, in the background.

    A reply recorded changes the marks file, which the feed watches, so the feed is
    rebuilt without the stopped steps. What happens goes to the server's log.
    """
    if config.mail is None or not config.mail.check:
        return None
    from followup.engine.config import mail_settings
    from followup.engine.errors import FollowupError
    from followup.engine.mail.check import check_mail
    from followup.engine.pipeline import default_window, interviews_from

    settings = mail_settings(config)
    assert settings is not None
    log = logging.getLogger("followup.feed")

    def look() -> None:
        while not stop.is_set():
            now = clock()
            try:
                reading = interviews_from(source, rules=rules, now=now, window=default_window(now))
                report = check_mail(settings, reading.events, now, dry_run=False)
                for reply in report.replies:
                    log.info(
                        "%s: %s replied; its follow-ups stop",
                        reply.interview.summary,
                        reply.message.sender,
                    )
                for reply in report.unverified:
                    log.info("%s", unverified_text(reply))
            except FollowupError as err:
                log.info("replies not checked: %s", err.message)
            stop.wait(every.total_seconds())

    thread = threading.Thread(target=look, name="followup-mail", daemon=True)
    thread.start()
    return thread
